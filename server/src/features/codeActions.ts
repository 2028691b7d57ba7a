// Quick fixes for findings whose rewrite is mechanical, a "suppress on this line" action for every
// Hotpath diagnostic, and "Fix all" (`source.fixAll.hotpath`: the Source Action menu and
// `editor.codeActionsOnSave`) for the fixes of rules marked safeFix (behaviour kept in every case).
// Fixes are recomputed on the current text.
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import { DocumentAnalysis } from '../analysis/document';
import { applySafeFixes, minimalReplacement } from '../analysis/fixes';
import type { Feature, ServerContext } from '../featureContext';
import { ruleByCode } from '../languages';
import type { HotpathSettings } from '../settings';
import { positions, rangeOf, visibleFindings } from './findings';
import { documentView, type OpenDocument } from '../documents';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.hotpath`;

/** Does a request's `only` filter ask for our fix-all action? (`source`, `source.fixAll`, or ours.) */
export function wantsFixAll(only: readonly string[] | undefined): boolean {
  return only !== undefined && only.some((k) => FIX_ALL_KIND === k || FIX_ALL_KIND.startsWith(`${k}.`));
}

/** The document's text with every safe fix applied (visible findings only), round after round (analysis/fixes.ts). */
export function fixAllText(ctx: Pick<ServerContext, 'parsers' | 'projectSelections'>, doc: OpenDocument, settings: HotpathSettings): { text: string; applied: number } {
  const parser = ctx.parsers.create(doc.spec.grammar);
  return applySafeFixes(
    doc.text,
    (text) => {
      const analysis = new DocumentAnalysis(doc.spec, parser, text);
      try {
        return visibleFindings(documentView(doc.uri, doc.spec, text, analysis), settings, ctx.projectSelections);
      } finally {
        analysis.dispose();
      }
    },
    (code) => ruleByCode(code)?.safeFix === true,
  );
}

function suppressAction(doc: OpenDocument, diagnostic: Diagnostic): CodeAction {
  const td = doc.document;
  const line = diagnostic.range.start.line;
  const lineText = td.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
  const code = String(diagnostic.code);
  const existing = /hotpath:\s*ignore\[([^\]]*)\]/.exec(lineText);
  let edit: TextEdit;
  if (existing) {
    const start = lineText.indexOf(existing[0]) + existing[0].length - 1;
    edit = { range: { start: { line, character: start }, end: { line, character: start } }, newText: `, ${code}` };
  } else {
    const at = { line, character: lineText.length };
    edit = { range: { start: at, end: at }, newText: `  ${doc.spec.lineComment} hotpath: ignore[${code}]` };
  }
  return {
    title: `Suppress ${code} on this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [doc.uri]: [edit] } },
  };
}

export const feature: Feature = {
  capabilities: { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] } },
  register(ctx) {
    ctx.connection.onCodeAction(async (params) => {
      const doc = ctx.documents.get(params.textDocument.uri);
      if (!doc?.analysis) return [];
      if (wantsFixAll(params.context.only)) {
        const version = doc.version;
        const { text, applied } = fixAllText(ctx, doc, await ctx.settings.get());
        const edit = minimalReplacement(doc.text, text);
        if (!edit || ctx.documents.get(doc.uri) !== doc || doc.version !== version) return [];
        return [
          {
            title: `Fix all safe Hotpath findings (${applied})`,
            kind: FIX_ALL_KIND,
            edit: { documentChanges: [{ textDocument: { uri: doc.uri, version }, edits: [{ range: rangeOf(doc, edit.startIndex, edit.endIndex), newText: edit.newText }] }] },
          },
        ];
      }
      const td = positions(doc);
      const actions: CodeAction[] = [];
      // The lines of the server's own current findings, per code: "Suppress … on this line" is offered
      // only where one of them is (a stale or forged diagnostic from the client, e.g. at line 40 of a
      // 5-line document, would insert the comment elsewhere or outside the text).
      let current: Map<string, Set<number>> | undefined;
      const findingOnLine = (code: string, line: number) => {
        if (!current) {
          current = new Map();
          for (const f of doc.analysis!.findings()) {
            const lines = current.get(f.code) ?? current.set(f.code, new Set()).get(f.code)!;
            lines.add(td.positionAt(f.startIndex).line);
          }
        }
        return current.get(code)?.has(line) ?? false;
      };
      for (const diagnostic of params.context.diagnostics) {
        if (diagnostic.source !== 'hotpath' || !diagnostic.code) continue;
        const start = td.offsetAt(diagnostic.range.start);
        const end = td.offsetAt(diagnostic.range.end);
        const finding = doc.analysis.recheckUnitAt(start).find((f) => f.code === diagnostic.code && f.startIndex === start && f.endIndex === end);
        if (finding?.fix) {
          const extra = ctx.fixTitleContributors.map((c) => c(doc, finding)).find(Boolean);
          actions.push({
            title: extra ? `${finding.fix.title} (${extra})` : finding.fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: true,
            edit: { changes: { [doc.uri]: finding.fix.replacements.map((r) => ({ range: rangeOf(doc, r.startIndex, r.endIndex), newText: r.newText })) } },
          });
        }
        if (finding || findingOnLine(String(diagnostic.code), diagnostic.range.start.line)) actions.push(suppressAction(doc, diagnostic));
      }
      // Other features' actions (ctx.codeActionContributors: e.g. optimize.ts).
      for (const c of ctx.codeActionContributors) {
        try {
          actions.push(...(await c(doc, params)));
        } catch (err) {
          ctx.log(`code actions: ${(err as Error)?.message ?? err}`);
        }
      }
      return actions;
    });
  },
};
