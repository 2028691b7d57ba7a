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
  /** Since when it is valid (`TypeScript 5.0`). */
  valid: string;
  /** Where it occurs (a global expression); each match is replaced by `patch(match)`, of the same length. */
  find: RegExp;
  patch(match: string): string;
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

/** What a region's repair reads: its whole lines [from, to) and the context before them from `context`. */
export function repairWindow(text: string, r: { startIndex: number; endIndex: number }): { context: number; from: number; to: number } {
  // Whole lines: the construct may begin before the error (`export` of `export type *`) or end after it.
  const from = text.lastIndexOf('\n', r.startIndex - 1) + 1;
  const lineEnd = text.indexOf('\n', Math.max(r.endIndex - 1, from));
  return { context: Math.max(0, from - CONTEXT), from, to: lineEnd < 0 ? text.length : lineEnd };
}

/**
 * For each region of `text` the parser could not read, the constructs of `gaps` that were all it
 * lacked there: every region's whole lines rewritten at once, the file parsed again (once), and no
 * error left on a region's lines; an empty list for a region that still does not parse (a syntax
 * error) or holds none of the constructs.
 */
export function grammarGapsIn(gaps: readonly GrammarGap[], parser: Parser, text: string, regions: readonly { startIndex: number; endIndex: number }[]): GrammarGap[][] {
  const none = regions.map((): GrammarGap[] => []);
  if (!gaps.length) return none;
  const patches: { from: number; to: number; text: string; used: GrammarGap[]; index: number }[] = [];
  regions.forEach((r, index) => {
    // The lines before are read as context (a type parameter list opened on an earlier line), not rewritten.
    const { context, from, to } = repairWindow(text, r);
    // Regions on the same lines share one rewrite.
    const last = patches[patches.length - 1];
    if (last && from < last.to) return;
    let region = text.slice(context, to);
    const used: GrammarGap[] = [];
    for (const gap of gaps) {
      const patched = region.replace(gap.find, (m: string, ...rest: unknown[]) => {
        const at = rest.find((x): x is number => typeof x === 'number') ?? 0;
        const p = gap.patch(m);
        return p.length === m.length && context + at >= from ? p : m;
      });
      if (patched !== region) used.push(gap);
      region = patched;
    }
    region = region.slice(from - context);
    if (used.length) patches.push({ from, to, text: region, used, index });
  });
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
    for (const p of patches) {
      if (left.some((e) => e.startIndex < p.to && Math.max(e.endIndex, e.startIndex + 1) > p.from)) continue;
      // Every region on those lines was the construct.
      regions.forEach((r, i) => {
        if (r.startIndex < p.to && r.endIndex > p.from) none[i] = p.used;
      });
    }
    return none;
  } finally {
    tree.dispose();
  }
}
