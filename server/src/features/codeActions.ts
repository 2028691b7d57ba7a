// Quick fixes for findings whose rewrite is mechanical and safe, and a "suppress on this line"
// action for every Hotpath diagnostic. Fixes are recomputed on the current text of the unit.
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import type { Feature } from '../featureContext';
import { positions, rangeOf } from './findings';
import type { OpenDocument } from '../documents';

function suppressAction(doc: OpenDocument, diagnostic: Diagnostic): CodeAction {
  const td = positions(doc);
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
  capabilities: { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] } },
  register(ctx) {
    ctx.connection.onCodeAction((params) => {
      const doc = ctx.documents.get(params.textDocument.uri);
      if (!doc?.analysis) return [];
      const td = positions(doc);
      const actions: CodeAction[] = [];
      for (const diagnostic of params.context.diagnostics) {
        if (diagnostic.source !== 'hotpath' || !diagnostic.code) continue;
        const start = td.offsetAt(diagnostic.range.start);
        const end = td.offsetAt(diagnostic.range.end);
        const finding = doc.analysis.recheckUnitAt(start).find((f) => f.code === diagnostic.code && f.startIndex === start && f.endIndex === end);
        if (finding?.fix) {
          actions.push({
            title: finding.fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: true,
            edit: { changes: { [doc.uri]: finding.fix.replacements.map((r) => ({ range: rangeOf(doc, r.startIndex, r.endIndex), newText: r.newText })) } },
          });
        }
        actions.push(suppressAction(doc, diagnostic));
      }
      // Other features' actions (ctx.codeActionContributors: e.g. optimize.ts).
      for (const c of ctx.codeActionContributors) {
        try {
          actions.push(...c(doc, params));
        } catch (err) {
          ctx.log(`code actions: ${(err as Error)?.message ?? err}`);
        }
      }
      return actions;
    });
  },
};
