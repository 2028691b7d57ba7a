// Opaque literals (issue 18: "no snapshot of subtrees no rule visits"): string literals whose children
// are only the tokens of their own text. A Python `"abc\n"` is `string` > string_start, string_content
// (> escape_sequence…), string_end; a JavaScript one `string` > `"`, string_fragment, escape_sequence,
// `"`. Nothing reads those tokens as code (rules read a literal's `text`), and they were a sixth of the
// nodes a stdlib check copied out of the parser's tree (25,405 of 176,946 in bench/speed's 62 files).
// A unit's snapshot copies such a literal without its children; whole-unit walks enter `codeChildren`,
// which has none for it, and a rule that reads `children` of one gets them copied from the tree then
// (syntax.ts, ChildLoader). An f-string (or t-string) is not opaque: its interpolations hold code.

import type { ChildLoader, OpaqueLiterals, SyntaxNode } from './syntax';
import type { GrammarName, RawNode } from './parser';

const PYTHON: OpaqueLiterals = {
  types: new Set(['string']),
  // node-types.json of tree-sitter-python 0.25: string > string_start, string_content, string_end,
  // interpolation (only with an f or t prefix); string_content > escape_sequence, escape_interpolation.
  inner: new Set(['string_start', 'string_content', 'string_end', 'escape_sequence', 'escape_interpolation']),
  isOpaque(_type, start, text) {
    // The prefix letters before the quote: r, b, u (opaque) or f, t (code inside).
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i) | 0x20; // lower case for letters
      if (c === 0x66 /* f */ || c === 0x74 /* t */) return false;
      if (c < 0x61 || c > 0x7a) return true; // the quote
    }
    return true;
  },
};

const ECMASCRIPT: OpaqueLiterals = {
  types: new Set(['string']),
  // node-types.json of tree-sitter-javascript and -typescript: string > string_fragment,
  // escape_sequence, html_character_reference (JSX), and the quote tokens. Template strings are not
  // `string` (their substitutions hold code).
  inner: new Set(['string_fragment', 'escape_sequence', 'html_character_reference', '"', "'"]),
  isOpaque: () => true,
};

/** Each grammar's opaque literals (a table, as pythonComments.ts's: the grammar decides, not the language). */
const LITERALS: Record<GrammarName, OpaqueLiterals> = { python: PYTHON, javascript: ECMASCRIPT, typescript: ECMASCRIPT, tsx: ECMASCRIPT };

/** The grammar's opaque literals. */
export function opaqueLiteralsOf(grammar: GrammarName): OpaqueLiterals {
  return LITERALS[grammar];
}

/** The backend's view of a tree, for loading an opaque literal's children. */
export interface LoadableTree {
  readonly rootNode: RawNode;
  /** False once the tree was freed or edited: its nodes no longer match the snapshot's text. */
  readonly intact: boolean;
}

/**
 * A ChildLoader over a tree: it finds the literal again by its range and copies it (with `copy`,
 * the parser's snapshot of a raw node), or throws when the tree is no longer the one the snapshot
 * was copied from.
 */
export function treeLoader(tree: LoadableTree, copy: (node: RawNode) => SyntaxNode): ChildLoader {
  return {
    copy(type, start, end) {
      if (!tree.intact) throw new Error(`Hotpath: the children of a ${type} at ${start}..${end} were not copied into the snapshot, and its tree has been freed or edited since`);
      let node: RawLookup | null = (tree.rootNode as unknown as RawLookup).descendantForIndex(start, end);
      while (node && !(node.type === type && node.startIndex === start && node.endIndex === end)) node = node.parent;
      if (!node) throw new Error(`Hotpath: no ${type} at ${start}..${end} in the snapshot's tree`);
      return copy(node as unknown as RawNode);
    },
  };
}

/** What the loader asks of a backend node (web-tree-sitter's Node and the native binding's have these). */
interface RawLookup {
  readonly type: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly parent: RawLookup | null;
  descendantForIndex(start: number, end: number): RawLookup | null;
}
