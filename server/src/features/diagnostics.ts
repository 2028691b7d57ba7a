// Publish findings as diagnostics: a stable code linked to the rule's page (codeDescription), a
// severity, a one-line message, and related information only for the other places of the chain
// (the loop, the list's definition); the explanation is in the hover and on the rule's page.
import { DiagnosticSeverity, LSPErrorCodes, ResponseError, type CancellationToken, type Diagnostic } from 'vscode-languageserver/node';
import { INVALID_SYNTAX } from '../analysis/document';
import type { Finding, Severity } from '../analysis/rule';
import type { OpenDocument } from '../documents';
import { askToPullAgain, type Feature, type ServerContext } from '../featureContext';
import { PROJECT_CONFIG_FILES, rangeOf, toDiagnostic, visibleFindings } from './findings';

/**
 * The most diagnostics published for one file. A file with thousands of findings is generated or
 * pathological; publishing them all on every keystroke costs megabytes of JSON each time. The
 * most severe are shown, in document order, with a summary diagnostic saying how many there are.
 */
export const MAX_DIAGNOSTICS_PER_FILE = 500;

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** At most `max` findings: the most severe first, returned in document order. */
export function capFindings(findings: readonly Finding[], max: number): Finding[] {
  if (findings.length <= max) return [...findings];
  const keep = new Set(
    findings
      .map((f, i) => ({ f, i }))
      .sort((a, b) => SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || a.i - b.i)
      .slice(0, max)
      .map((x) => x.f),
  );
  return findings.filter((f) => keep.has(f));
}

/** Diagnostics for a document, including the notice when it was skipped or its findings capped. */
export async function diagnosticsFor(ctx: ServerContext, doc: OpenDocument, max = MAX_DIAGNOSTICS_PER_FILE): Promise<Diagnostic[]> {
  const settings = await ctx.settings.get();
  const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (doc.skipped) return [{ range: top, severity: DiagnosticSeverity.Information, source: 'hotpath', message: doc.skipped }];
  // Code that does not parse, as Ruff reports it (invalid-syntax): whatever the rule selection, first.
  const syntax: Diagnostic[] = (settings.enable ? doc.analysis?.syntaxErrors() ?? [] : []).slice(0, max).map((e) => ({
    range: rangeOf(doc, e.startIndex, e.endIndex),
    severity: e.severity === 'information' ? DiagnosticSeverity.Information : DiagnosticSeverity.Error,
    code: INVALID_SYNTAX,
    source: 'hotpath',
    message: e.message,
  }));
  const all = visibleFindings(doc, settings, ctx.projectSelections);
  const shown = capFindings(all, max - syntax.length);
  const out = [...syntax, ...shown.map((f) => toDiagnostic(doc, f))];
  if (shown.length < all.length) {
    out.unshift({
      range: top,
      severity: DiagnosticSeverity.Information,
      source: 'hotpath',
      message: `Hotpath shows ${shown.length} of the ${all.length} findings in this file (the most severe first); \`hotpath check\` on the file lists them all.`,
    });
  }
  // Code whose analysis ran past the per-unit time budget: say so where it is, rather than show nothing.
  const skipped: Diagnostic[] = (settings.enable ? doc.analysis?.skippedUnits() ?? [] : []).map((s) => {
    const lineEnd = doc.text.indexOf('\n', s.startIndex);
    return { range: rangeOf(doc, s.startIndex, Math.min(s.endIndex, lineEnd === -1 ? doc.text.length : lineEnd)), severity: DiagnosticSeverity.Information, source: 'hotpath', message: s.message };
  });
  return [...out, ...skipped];
}

/** Everything shown for an open document: its findings and what features contribute. */
export async function openDocumentDiagnostics(ctx: ServerContext, doc: OpenDocument): Promise<Diagnostic[]> {
  return [...(await diagnosticsFor(ctx, doc)), ...ctx.diagnosticsContributors.flatMap((c) => c(doc))];
}

/**
 * A pull for an open document: its diagnostics once its analysis is up to date and complete (a large
 * file is analysed in slices: the answer waits for the last one, woken by the store after each slice,
 * without holding up other requests), or [] when it was closed meanwhile. A pull the client cancels
 * (superseded by an edit) stops waiting and answers RequestCancelled, as LSP asks (review 10 L6).
 */
export async function pulledDiagnostics(ctx: ServerContext, doc: OpenDocument, token?: CancellationToken): Promise<Diagnostic[]> {
  const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'the pull was cancelled');
  while (ctx.documents.get(doc.uri) === doc && (doc.stale || doc.partial)) {
    if (token?.isCancellationRequested) throw cancelled();
    void doc.analysis; // brings an edited text up to date (the store goes on with units left for later)
    if (doc.partial) await untilCancelled(ctx.documents.nextStep(doc), token);
  }
  if (token?.isCancellationRequested) throw cancelled();
  if (ctx.documents.get(doc.uri) !== doc) return [];
  void doc.completeAnalysis;
  return openDocumentDiagnostics(ctx, doc);
}

/** `step`, or the token's cancellation if it comes first. */
function untilCancelled(step: Promise<void>, token: CancellationToken | undefined): Promise<void> {
  if (!token) return step;
  let sub: { dispose(): void } | undefined;
  const cancel = new Promise<void>((resolve) => (sub = token.onCancellationRequested(() => resolve())));
  return Promise.race([step, cancel]).finally(() => sub?.dispose());
}

/**
 * Publishes diagnostics so that they cannot pile up: one message is written at a time and the
 * next is built only when the transport has taken the previous one (back-pressure); a document
 * waits in `queued` at most once, and what is published for it is built when its turn comes, from
 * its newest analysed version. However fast edits arrive, memory holds one message in flight and
 * one queue entry per open document.
 */
export class DiagnosticsPublisher {
  /** URIs waiting to be published, in order (a re-queued document moves to the back). */
  private readonly queued = new Set<string>();
  private writing = false;

  constructor(
    private readonly ctx: ServerContext,
    private readonly build: (doc: OpenDocument) => Promise<Diagnostic[]> = (doc) => openDocumentDiagnostics(ctx, doc),
    /** Told after each publication how long building and sending it took (the server's timing log). */
    private readonly published?: (doc: OpenDocument, ms: { buildMs: number; sendMs: number }) => void,
  ) {}

  /** Publish the document's diagnostics (or clear them when it is no longer open) soon. */
  request(uri: string): void {
    this.queued.delete(uri);
    this.queued.add(uri);
    if (!this.writing) void this.drain();
  }

  /** How many documents wait (for tests and logs). */
  get pending(): number {
    return this.queued.size;
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queued.size > 0) {
        const uri = this.queued.values().next().value as string;
        this.queued.delete(uri);
        try {
          await this.publishOne(uri);
        } catch (err) {
          this.ctx.log(`diagnostics for ${uri} failed: ${(err as Error)?.stack ?? err}`);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async publishOne(uri: string): Promise<void> {
    const doc = this.ctx.documents.get(uri);
    if (!doc) {
      await this.ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    const t0 = performance.now();
    const diagnostics = await this.build(doc);
    const t1 = performance.now();
    // Closed or re-opened while settings were read: whoever replaced it has queued itself.
    if (this.ctx.documents.get(uri) !== doc) return;
    // Edited since: the analysis behind `diagnostics` is older than the text; publish the newer one.
    if (doc.stale) {
      this.queued.add(uri);
      return;
    }
    // Units of it are still being analysed: the store publishes it when they are done.
    if (doc.partial) return;
    await this.ctx.connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
    this.published?.(doc, { buildMs: t1 - t0, sendMs: performance.now() - t1 });
  }
}

export const feature: Feature = {
  register(ctx) {
    const all = () => {
      ctx.documents.all().forEach((doc) => void ctx.publishDiagnostics(doc));
      askToPullAgain(ctx);
    };
    ctx.documents.onDidAnalyse((doc) => void ctx.publishDiagnostics(doc));
    ctx.documents.onDidClose((uri) => void ctx.publishDiagnostics(uri));
    ctx.settings.onDidChange(all);
    // A project configuration file changed (the client watches them): read them again.
    ctx.onDidChangeWatchedFiles((changes) => {
      if (!changes.some((c) => PROJECT_CONFIG_FILES.some((name) => c.uri.endsWith(`/${name}`)))) return;
      ctx.projectSelections.invalidate();
      all();
    });
    ctx.documents.onDidClose((uri) => ctx.projectSelections.invalidate(uri));
  },
};
