// Publish findings as diagnostics: a stable code linked to the rule's page (codeDescription), a
// severity, a one-line message, and related information only for the other places of the chain
// (the loop, the list's definition); the explanation is in the hover and on the rule's page.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { INVALID_SYNTAX } from '../analysis/document';
import type { OpenDocument } from '../documents';
import type { Feature, ServerContext } from '../featureContext';
import { invalidateProjectSelections, PROJECT_CONFIG_FILES, rangeOf, toDiagnostic, visibleFindings } from './findings';


/** Diagnostics for a document, including the notice when it was skipped. */
export async function diagnosticsFor(ctx: ServerContext, doc: OpenDocument): Promise<Diagnostic[]> {
  const settings = await ctx.settings.get();
  if (doc.skipped) {
    return [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Information, source: 'hotpath', message: doc.skipped }];
  }
  // Code whose analysis ran past the per-unit time budget: say so where it is, rather than show nothing.
  const skipped: Diagnostic[] = (settings.enable ? doc.analysis?.skippedUnits() ?? [] : []).map((s) => {
    const lineEnd = doc.text.indexOf('\n', s.startIndex);
    return { range: rangeOf(doc, s.startIndex, Math.min(s.endIndex, lineEnd === -1 ? doc.text.length : lineEnd)), severity: DiagnosticSeverity.Information, source: 'hotpath', message: s.message };
  });
  // Code that does not parse, as Ruff reports it (invalid-syntax): whatever the rule selection.
  const syntax: Diagnostic[] = (settings.enable ? doc.analysis?.syntaxErrors() ?? [] : []).map((e) => ({
    range: rangeOf(doc, e.startIndex, e.endIndex),
    severity: DiagnosticSeverity.Error,
    code: INVALID_SYNTAX,
    source: 'hotpath',
    message: e.message,
  }));
  return [...syntax, ...visibleFindings(doc, settings, ctx.log).map((f) => toDiagnostic(doc, f)), ...skipped];
}

export async function publish(ctx: ServerContext, doc: OpenDocument): Promise<void> {
  const version = doc.version;
  const diagnostics = [...(await diagnosticsFor(ctx, doc)), ...ctx.diagnosticsContributors.flatMap((c) => c(doc))];
  // A newer edit may have arrived while settings were fetched; it will publish its own.
  if (ctx.documents.get(doc.uri) !== doc || doc.version !== version) return;
  await ctx.connection.sendDiagnostics({ uri: doc.uri, version, diagnostics });
}

export const feature: Feature = {
  register(ctx) {
    ctx.documents.onDidAnalyse((doc) => void publish(ctx, doc).catch((err) => ctx.log(`diagnostics failed: ${err}`)));
    ctx.documents.onDidClose((uri) => void ctx.connection.sendDiagnostics({ uri, diagnostics: [] }));
    ctx.settings.onDidChange(() => {
      for (const doc of ctx.documents.all()) void publish(ctx, doc);
    });
    // A project configuration file changed (the client watches them): read them again.
    ctx.onDidChangeWatchedFiles((changes) => {
      if (!changes.some((c) => PROJECT_CONFIG_FILES.some((name) => c.uri.endsWith(`/${name}`)))) return;
      invalidateProjectSelections();
      for (const doc of ctx.documents.all()) void publish(ctx, doc);
    });
    ctx.documents.onDidClose((uri) => invalidateProjectSelections(uri));
  },
};
