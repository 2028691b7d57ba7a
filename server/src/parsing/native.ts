// Native `tree-sitter` binding backend: an optional dependency, used when it is installed and
// built for this Node, by checks of small runs (cli/check.ts parserFor) or `--parser native|auto`.
// Never loaded inside the editor, whose Electron ABI differs. Snapshots read its trees through its
// cursor, one N-API call per property: larger checks are faster with WASM (wasmCursor.ts).

import { NodeNames, snapshot, SourceTexts, type ChildLoader, type SyntaxNode } from './syntax';
import { opaqueLiteralsOf, treeLoader, type LoadableTree } from './opaque';
import type { GrammarName, Parser, ParsedTree, ParserFactory, RawNode, TextEdit, TextRange } from './parser';
import { parserInput } from './pythonComments';

/* eslint-disable @typescript-eslint/no-explicit-any */
type NativeTree = any;

class NativeParsedTree implements ParsedTree, LoadableTree {
  private edited = false;
  constructor(readonly tree: NativeTree) {}
  get rootNode(): RawNode {
    return this.tree.rootNode as RawNode;
  }
  /** Not edited (the binding frees trees through the garbage collector, never under a node we hold). */
  get intact(): boolean {
    return !this.edited;
  }
  edit(edit: TextEdit): void {
    this.edited = true;
    this.tree.edit(edit);
  }
  changedRanges(newer: ParsedTree): TextRange[] {
    return this.tree.getChangedRanges((newer as NativeParsedTree).tree).map((r: TextRange) => ({ startIndex: r.startIndex, endIndex: r.endIndex }));
  }
  dispose(): void {
    // The native binding frees trees through the garbage collector.
  }
}

function loadGrammar(grammar: GrammarName): unknown {
  switch (grammar) {
    case 'python':
      return require('tree-sitter-python');
    case 'javascript':
      return require('tree-sitter-javascript');
    case 'typescript':
      return require('tree-sitter-typescript').typescript;
    case 'tsx':
      return require('tree-sitter-typescript').tsx;
  }
}

/** The native backend, or null with the reason when the binding or a grammar is unavailable. */
export function loadNativeBackend(only: readonly GrammarName[] = ['python', 'javascript', 'typescript', 'tsx']): { factory: ParserFactory | null; reason?: string } {
  let NativeParser: any;
  try {
    NativeParser = require('tree-sitter');
  } catch (err) {
    return { factory: null, reason: `native tree-sitter is not installed (${(err as Error).message.split('\n')[0]})` };
  }
  const grammars = new Map<GrammarName, unknown>();
  try {
    for (const g of only) grammars.set(g, loadGrammar(g));
  } catch (err) {
    return { factory: null, reason: `a native grammar failed to load (${(err as Error).message.split('\n')[0]})` };
  }
  return {
    factory: {
      backend: 'native',
      create(grammar): Parser {
        const parser = new NativeParser();
        parser.setLanguage(grammars.get(grammar));
        const names = new NodeNames(opaqueLiteralsOf(grammar));
        const texts = new SourceTexts();
        // This parser's trees by the binding's tree, for the loaders of opaque literals' children.
        const trees = new WeakMap<object, NativeParsedTree>();
        const copy = (node: RawNode, text: string, loader?: ChildLoader, order?: SyntaxNode[]): SyntaxNode => snapshot(node.walk(), text, names, texts, loader, order);
        return {
          backend: 'native',
          grammar,
          names,
          snapshot(node, text, order) {
            // As the WASM backend: only in a subtree without errors, of a tree this parser made.
            const tree = node.hasError ? undefined : trees.get((node as unknown as { tree: object }).tree);
            return copy(node, text, tree && treeLoader(tree, (raw) => copy(raw, text)), order);
          },
          parse(text: string, oldTree?: ParsedTree): ParsedTree {
            // The binding reads long strings in chunks; give it a buffer large enough for the file.
            const input = parserInput(grammar, text);
            const tree = parser.parse(input, (oldTree as NativeParsedTree | undefined)?.tree, { bufferSize: Math.max(32 * 1024, text.length * 2 + 1) });
            const wrapped = new NativeParsedTree(tree);
            trees.set(tree, wrapped);
            return wrapped;
          },
        };
      },
    },
  };
}
