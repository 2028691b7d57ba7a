// Valid code the tree-sitter grammars cannot read (issue 13 round 12: typedload's `tuple[*(…)]`,
// mp4box's `import { in as ipcoBox }`, ml-levenberg-marquardt's `export type * from`). A region the
// parser could not read is told apart from a syntax error by a repair: each construct a language
// plug-in lists (LanguageSpec.grammarGaps) is rewritten in place, with text of the same length the
// grammar knows, in that region only, and the file parsed again; when the region then parses, the
// construct was all the parser lacked, and the finding says so instead of calling the code invalid.
import type { Parser, RawNode } from '../parsing';

export interface GrammarGap {
  /** The construct, as the finding names it (`export type * from`). */
  construct: string;
  /** Since when it is valid (`TypeScript 5.0`); absent: in every version of the language. */
  valid?: string;
  /** Where it occurs (a global expression); each match is replaced by `patch(match, groups)` (its capture groups), of the same length. */
  find: RegExp;
  patch(match: string, groups: readonly (string | undefined)[]): string;
}

export interface ErrorSpan {
  startIndex: number;
  endIndex: number;
  /** The text of an ERROR region, or the node type of a MISSING token. */
  what: string;
  missing: boolean;
}

/**
 * The regions under `node` the parser could not read: ERROR nodes (the outermost ones) and MISSING
 * tokens. Only subtrees that hold an error are entered (tree-sitter marks them).
 */
export function errorSpans(node: RawNode, text: string, out: ErrorSpan[] = []): ErrorSpan[] {
  const cursor = node.walk();
  try {
    for (;;) {
      if (cursor.nodeType === 'ERROR') {
        out.push({ startIndex: cursor.startIndex, endIndex: Math.max(cursor.endIndex, cursor.startIndex + 1), what: text.slice(cursor.startIndex, cursor.endIndex), missing: false });
      } else if (cursor.nodeIsMissing) {
        out.push({ startIndex: cursor.startIndex, endIndex: cursor.startIndex, what: cursor.nodeType, missing: true });
      } else if (cursor.currentNode.hasError && cursor.gotoFirstChild()) continue;
      // A cursor made by node.walk() has `node` as its root: it never moves to node's siblings.
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return out;
      }
    }
  } finally {
    cursor.delete?.();
  }
}

/** Every error of a tree (the root's children that hold one, or the root itself). */
export function treeErrors(root: RawNode, text: string): ErrorSpan[] {
  const out: ErrorSpan[] = [];
  if (!root.hasError) return out;
  const top = root.namedChildren.filter((c): c is RawNode => c !== null && c.hasError);
  // An error directly under the root (an anonymous MISSING token) is in no named child: walk it all.
  for (const node of top.length ? top : [root]) errorSpans(node, text, out);
  return out;
}

/** How many characters before a region's first line a construct may begin in (`<` … `out T`). */
const CONTEXT = 400;

/** A line that holds nothing but white space or a comment (`//`, `/*`, `*`, `#`). */
const NO_CODE = /^[ \t]*(?:(?:\/\/|\/\*|\*|#)[^\n]*)?\r?$/;

/**
 * What a region's repair reads: its whole lines [from, end) and the next line that holds code, [from,
 * to), with their line breaks, and the context before them from `context`. The next line is read
 * (and may be rewritten) because a construct may be what follows the error (a MISSING `;` is assumed
 * at the end of the line before `in_key = true`; a dedented continuation line ends the line before
 * it); the region is read as repaired when its own lines [from, end) parse.
 */
export function repairWindow(text: string, r: { startIndex: number; endIndex: number }): { context: number; from: number; end: number; to: number } {
  // Whole lines: the construct may begin before the error (`export` of `export type *`) or end after it.
  const from = text.lastIndexOf('\n', r.startIndex - 1) + 1;
  const end = lineAfter(text, Math.max(r.endIndex - 1, from));
  let to = end;
  for (let next = to; next < text.length; ) {
    const after = lineAfter(text, next);
    to = after;
    if (!NO_CODE.test(text.slice(next, after).replace(/\n$/, ''))) break;
    next = after;
  }
  return { context: Math.max(0, from - CONTEXT), from, end, to };
}

/** How many lines apart two regions' windows may be and still be rewritten as one (the lines between too). */
const NEAR_LINES = 8;

function linesBetween(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The end of the line that holds `at`, past its line break. */
function lineAfter(text: string, at: number): number {
  const end = text.indexOf('\n', at);
  return end < 0 ? text.length : end + 1;
}

/**
 * For each region of `text` the parser could not read, the constructs of `gaps` that were all it
 * lacked there: every region's window (repairWindow) rewritten at once, the file parsed again (once),
 * and no error left on a region's own lines. A region with no construct of its own whose window parses
 * once the constructs before it were rewritten was their consequence (a dedent the grammar took from a
 * continuation line ends the blocks after it too): it gets the constructs of the rewrites before it.
 * An empty list for a region that still does not parse (a syntax error) or follows no rewrite.
 */
export function grammarGapsIn(gaps: readonly GrammarGap[], parser: Parser, text: string, regions: readonly { startIndex: number; endIndex: number; missing?: boolean }[]): GrammarGap[][] {
  const none = regions.map((): GrammarGap[] => []);
  if (!gaps.length) return none;
  const patches: { from: number; to: number; text: string; used: GrammarGap[]; matches: { gap: GrammarGap; from: number; to: number }[] }[] = [];
  const windows = regions.map((r) => repairWindow(text, r));
  // Regions whose windows overlap or lie a few lines apart share one rewrite of their lines and those
  // between (an assumed `;` and the type argument list after it, over several lines, with regions
  // in it: date-fns's declarations).
  const spans: { context: number; from: number; to: number }[] = [];
  for (const w of windows) {
    const last = spans[spans.length - 1];
    if (last && (w.from < last.to || linesBetween(text, last.to, w.from) <= NEAR_LINES)) last.to = Math.max(last.to, w.to);
    else spans.push({ ...w });
  }
  for (const { context, from, to } of spans) {
    // The lines before are read as context (a type parameter list opened on an earlier line), not rewritten.
    let region = text.slice(context, to);
    const used: GrammarGap[] = [];
    // Where each rewrite is (rewrites keep the length, so offsets in `region` stay the text's).
    const matches: { gap: GrammarGap; from: number; to: number }[] = [];
    for (const gap of gaps) {
      const patched = region.replace(gap.find, (m: string, ...rest: unknown[]) => {
        const index = rest.findIndex((x) => typeof x === 'number');
        const at = index < 0 ? 0 : (rest[index] as number);
        const p = gap.patch(m, rest.slice(0, Math.max(index, 0)) as (string | undefined)[]);
        if (p.length !== m.length || context + at < from) return m;
        if (p !== m) matches.push({ gap, from: context + at, to: context + at + m.length });
        return p;
      });
      if (patched !== region) used.push(gap);
      region = patched;
    }
    region = region.slice(from - context);
    if (used.length) patches.push({ from, to, text: region, used, matches });
  }
  if (!patches.length) return none;
  let repaired = '';
  let at = 0;
  for (const p of patches) {
    repaired += text.slice(at, p.from) + p.text;
    at = p.to;
  }
  repaired += text.slice(at);
  const tree = parser.parse(repaired);
  try {
    const left = treeErrors(tree.rootNode, repaired);
    const meets = (e: ErrorSpan, from: number, to: number) => e.startIndex < to && Math.max(e.endIndex, e.startIndex + 1) > from;
    // A region's own lines; the last line's reach the end of the text, where an error of a file with no
    // final line break (an unclosed block) sits (review 12 B1).
    const onOwnLines = (e: ErrorSpan, w: { from: number; end: number }) => meets(e, w.from, w.end >= repaired.length ? Infinity : w.end);
    // A rewrite that leaves an error on lines of no region (the lines between regions rewritten as one)
    // hid a real error there: it explains none of its regions (review 12 B1).
    const suspect = new Set(patches.filter((p) => left.some((e) => meets(e, p.from, p.to) && !windows.some((w) => onOwnLines(e, w)))));
    // An error the repaired parse finds after every rewrite and on no region's lines was not in the
    // original parse: a rewrite moved it there (date-fns's `FPFn2<…, DateArg<Date` with the last `>`
    // deleted: the original parse spent its recovery on the import types, the repaired one finds the
    // unclosed `<` on the next line). The rewrite just before it explains none of its regions.
    for (const e of left) {
      if (windows.some((w) => onOwnLines(e, w)) || patches.some((p) => meets(e, p.from, p.to))) continue;
      const last = patches.filter((p) => p.to <= e.startIndex).pop();
      if (last) suspect.add(last);
    }
    windows.forEach((w, i) => {
      if (left.some((e) => onOwnLines(e, w))) return;
      const own = patches.filter((p) => p.from < w.to && p.to > w.from);
      // A token the parser had to assume is explained only by a rewrite of its own lines, never as the
      // consequence of one before it (review 12 B1: `in_key` then an unclosed block at the end).
      if (!own.length && regions[i].missing) return;
      const before = own.length ? own : patches.filter((p) => p.from < regions[i].startIndex);
      if (before.some((p) => suspect.has(p))) return;
      // A region of a span rewritten as one is told of the constructs on its own lines, when it holds
      // any (review 12 M3); else (a consequence of rewrites around it) of all of them.
      const mine = own.flatMap((p) => p.matches).filter((m) => m.from < w.to && m.to > w.from).map((m) => m.gap);
      none[i] = [...new Set(mine.length ? mine : before.flatMap((p) => p.used))];
    });
    return none;
  } finally {
    tree.dispose();
  }
}
