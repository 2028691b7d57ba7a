// The regions a parse could not read, as the findings show them (DocumentAnalysis.syntaxErrors):
// a syntax error (an ERROR region or a MISSING token), or valid code the grammar lacks (grammarGaps.ts:
// information). Telling them apart
// parses a repaired copy of the whole file; the answer is kept (GapMemo) for as long as the regions
// and the text their repair reads stay the same, so typing elsewhere in a file that keeps e.g.
// `export type * from` does not cost a full parse per keystroke (review 10 L7). The key is the regions'
// windows (repairWindow) while the answer comes from a parse of the whole repaired file (review 11
// M2): it assumes that text outside the windows changes the answer only by changing the error
// regions too (an unclosed bracket above is a region of its own), and so the key.
import type { Parser, RawNode } from '../parsing';
import { grammarGapsIn, repairWindow, treeErrors, type GrammarGap } from './grammarGaps';

/**
 * Code the parser could not read, reported like Ruff's `invalid-syntax`: an `ERROR` region (the
 * outermost one) or a `MISSING` token the parser had to assume. Findings inside an error region are
 * dropped; the rest of the file is analysed as usual.
 */
export interface InvalidSyntax {
  startIndex: number;
  endIndex: number;
  message: string;
  /** 'information' for valid code the grammar does not know (grammarGaps.ts); otherwise an error. */
  severity?: 'information';
}

/** The last gap check of a document: the regions' windows it read, and what it found. */
export interface GapMemo {
  key?: string;
  unread?: GrammarGap[][];
}

/** The regions' windows, where they are relative to each other but not in the file (an edit above them moves them). */
function windowsKey(text: string, regions: readonly { startIndex: number; endIndex: number }[]): string {
  return regions
    .map((r) => {
      const w = repairWindow(text, r);
      return `${w.from - w.context},${r.startIndex - w.context},${r.endIndex - w.context}:${text.slice(w.context, w.to)}`;
    })
    .join('\0');
}

const short = (s: string) => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 40 ? one.slice(0, 39) + '…' : one;
};

/** The syntax errors of a tree of `text`, valid code the grammar lacks as information (see the file comment). */
export function syntaxErrorsIn(root: RawNode, text: string, gaps: readonly GrammarGap[], parser: Parser, memo: GapMemo): (InvalidSyntax & { missing: boolean })[] {
  const spans = treeErrors(root, text);
  let unread: GrammarGap[][] = [];
  if (spans.length && gaps.length) {
    const key = windowsKey(text, spans);
    if (memo.key !== key || !memo.unread) Object.assign(memo, { key, unread: grammarGapsIn(gaps, parser, text, spans) });
    unread = memo.unread!;
  }
  return spans.map((e, i): InvalidSyntax & { missing: boolean } => {
    const { startIndex, endIndex, missing } = e;
    const expected = /^[a-z_]+$/.test(e.what) ? `a ${e.what.replace(/_/g, ' ')}` : `\`${e.what}\``;
    const found = unread[i] ?? [];
    if (found.length) {
      const what = found.map((g) => `${g.construct} (${g.valid ? `valid since ${g.valid}` : 'valid in every version'})`).join(' and ');
      const rest = missing ? `the rest of the file is analysed` : `\`${short(e.what) || '…'}\` is not analysed, the rest of the file is`;
      return { startIndex, endIndex, missing, severity: 'information', message: `not read: ${what} is valid code that the tree-sitter grammar Hotpath parses with does not know; ${rest}` };
    }
    if (missing) return { startIndex, endIndex, missing, message: `invalid syntax: expected ${expected} here` };
    return { startIndex, endIndex, missing, message: `invalid syntax: cannot parse \`${short(e.what) || '…'}\`; this part is not analysed, the rest of the file is` };
  });
}
