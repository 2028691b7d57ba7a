// One small interface over the two tree-sitter backends: web-tree-sitter (WASM, the editor's:
// nothing tied to Electron's ABI; its trees are the faster to copy, see wasmCursor.ts, so the CLI
// uses it for larger checks) and the native `tree-sitter` binding (starts faster and parses a little
// faster: the CLI's for small checks when it loads). Rules never see either backend's objects: they read SyntaxNode
// snapshots (syntax.ts, `Parser.snapshot`), so the same tree gives the same findings whichever backend
// made it; on broken code the two tree-sitter versions can recover into different trees.

import type { NodeNames, Point, RawCursor, SyntaxNode } from './syntax';

export type GrammarName = 'python' | 'javascript' | 'typescript' | 'tsx';
export type BackendName = 'wasm' | 'native';

export interface TextEdit {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
  startPosition: Point;
  oldEndPosition: Point;
  newEndPosition: Point;
}

export interface TextRange {
  startIndex: number;
  endIndex: number;
}

/** The part of a backend node that unit splitting needs (shallow walks of the top levels). */
export interface RawNode {
  readonly type: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  /** Whether the subtree holds an ERROR or MISSING node (tree-sitter keeps this per node). */
  readonly hasError: boolean;
  readonly namedChildren: (RawNode | null)[];
  childForFieldName(name: string): RawNode | null;
  walk(): RawCursor;
}

export interface ParsedTree {
  readonly rootNode: RawNode;
  /** Tell the tree about a text edit before re-parsing against it. */
  edit(edit: TextEdit): void;
  /** Ranges whose syntactic structure differs between this (edited) tree and a newer one. */
  changedRanges(newer: ParsedTree): TextRange[];
  /** Free native or WASM memory. */
  dispose(): void;
}

export interface Parser {
  readonly backend: BackendName;
  readonly grammar: GrammarName;
  /** The grammar's node type and field names, learnt as snapshots meet them (pass to `snapshot`). */
  readonly names: NodeNames;
  /** Parse text, reusing an old tree (already edited) when given. Abandons a stopped `parseFresh`. */
  parse(text: string, oldTree?: ParsedTree): ParsedTree;
  /**
   * Parse text afresh (no old tree) in pieces: `stop` is asked every hundred or so parse steps and,
   * when it says true, the parse stops and null is returned; the next call with the same text resumes
   * where it stopped (a call with another text, or any `parse`, starts over). Absent: the backend
   * cannot stop a parse (call `parse`).
   */
  parseFresh?(text: string, stop: () => boolean): ParsedTree | null;
  /**
   * A snapshot of the subtree under a node of one of this parser's trees (`text`: the text it parsed).
   * `order`: receives the snapshot's nodes in pre-order, its root's `descendants()` (syntax.ts `snapshot`).
   */
  snapshot(node: RawNode, text: string, order?: SyntaxNode[]): SyntaxNode;
  /** Free the parser's own WASM memory (its stacks grow with the largest text it parsed). */
  dispose?(): void;
}

export interface ParserFactory {
  readonly backend: BackendName;
  create(grammar: GrammarName): Parser;
}
