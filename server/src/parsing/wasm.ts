// web-tree-sitter backend. Grammars are the .wasm files that scripts/build.mjs copies into grammars/.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Edit, Language, Parser as WasmParser, type Node, type Tree } from 'web-tree-sitter';
import { NodeNames, snapshot, SourceTexts, type ChildLoader, type SyntaxNode } from './syntax';
import type { GrammarName, Parser, ParsedTree, ParserFactory, RawNode, TextEdit, TextRange } from './parser';
import { DirectCursor, wasmRuntimeOf, type WasmRuntime, type WasmTreeCursor } from './wasmCursor';
import { parserInput } from './pythonComments';
import { opaqueLiteralsOf, treeLoader, type LoadableTree } from './opaque';

/** grammars/ sits beside dist/ when bundled and two levels up from server/src in tests. */
export function grammarsDir(): string {
  const candidates = [join(__dirname, '..', 'grammars'), join(__dirname, '..', '..', '..', 'grammars')];
  const found = candidates.find((dir) => existsSync(join(dir, 'manifest.json')));
  if (!found) throw new Error(`Hotpath grammars not found (looked in ${candidates.join(', ')}); run \`npm run build\`.`);
  return found;
}

class WasmTree implements ParsedTree, LoadableTree {
  private edited = false;
  constructor(readonly tree: Tree) {}
  get rootNode(): RawNode {
    return this.tree.rootNode as unknown as RawNode;
  }
  /** Neither freed (web-tree-sitter zeroes a deleted tree's address) nor edited. */
  get intact(): boolean {
    return !this.edited && (this.tree as unknown as { [0]: number })[0] !== 0;
  }
  edit(edit: TextEdit): void {
    this.edited = true;
    this.tree.edit(new Edit(edit));
  }
  changedRanges(newer: ParsedTree): TextRange[] {
    return this.tree.getChangedRanges((newer as WasmTree).tree).map((r) => ({ startIndex: r.startIndex, endIndex: r.endIndex }));
  }
  dispose(): void {
    this.tree.delete();
  }
}

class WasmGrammarParser implements Parser {
  readonly backend = 'wasm' as const;
  readonly names: NodeNames;
  private readonly texts = new SourceTexts();
  private readonly parser = new WasmParser();
  /** This parser's trees by web-tree-sitter's Tree, for the loaders of opaque literals' children. */
  private readonly trees = new WeakMap<Tree, WasmTree>();
  constructor(
    readonly grammar: GrammarName,
    language: Language,
    /** The runtime's cursor functions, for direct snapshots (null: through web-tree-sitter's TreeCursor). */
    readonly runtime: WasmRuntime | null,
  ) {
    this.parser.setLanguage(language);
    this.names = new NodeNames(opaqueLiteralsOf(grammar));
  }
  snapshot(node: RawNode, text: string, order?: SyntaxNode[]): SyntaxNode {
    // Opaque literals are left uncopied only in a subtree without errors (an ERROR or MISSING node
    // inside a literal must stay visible) of a tree this parser made.
    const tree = node.hasError ? undefined : this.trees.get((node as unknown as Node).tree);
    return this.copy(node, text, tree && treeLoader(tree, (raw) => this.copy(raw, text, undefined)), order);
  }
  private copy(node: RawNode, text: string, loader: ChildLoader | undefined, order?: SyntaxNode[]): SyntaxNode {
    const cursor = (node as unknown as Node).walk();
    return snapshot(this.runtime ? new DirectCursor(this.runtime, cursor as unknown as WasmTreeCursor) : cursor, text, this.names, this.texts, loader, order);
  }
  /** The text of a `parseFresh` that stopped: tree-sitter resumes it at the parser's next parse unless reset. */
  private stopped: string | null = null;
  parse(text: string, oldTree?: ParsedTree): ParsedTree {
    this.abandon();
    const input = parserInput(this.grammar, text);
    const tree = this.parser.parse(input, (oldTree as WasmTree | undefined)?.tree ?? null);
    if (!tree) throw new Error(`tree-sitter (${this.grammar}) returned no tree`);
    return this.wrap(tree);
  }
  parseFresh(text: string, stop: () => boolean): ParsedTree | null {
    if (this.stopped !== text) this.abandon();
    const tree = this.parser.parse(parserInput(this.grammar, text), null, { progressCallback: () => stop() });
    this.stopped = tree ? null : text;
    return tree && this.wrap(tree);
  }
  /** A tree of this parser, known to the loaders of its snapshots' opaque literals (`trees`). */
  private wrap(tree: Tree): WasmTree {
    const wrapped = new WasmTree(tree);
    this.trees.set(tree, wrapped);
    return wrapped;
  }
  private abandon(): void {
    if (this.stopped === null) return;
    this.parser.reset();
    this.stopped = null;
  }
  dispose(): void {
    this.parser.delete();
  }
}

/**
 * The WASM runtime, initialised once per process (web-tree-sitter keeps one): its cursor functions
 * when the module object has them (wasmCursor.ts), else null.
 */
let runtime: Promise<WasmRuntime | null> | undefined;

function initRuntime(dir: string): Promise<WasmRuntime | null> {
  return (runtime ??= (async () => {
    // Emscripten fills in the object it is given: it becomes the module.
    const module: Record<string, unknown> = { locateFile: (file: string) => join(dir, file) };
    await WasmParser.init(module);
    return wasmRuntimeOf(module);
  })().catch((err: unknown) => {
    runtime = undefined; // let a later call try again
    throw err;
  }));
}

export async function loadWasmBackend(grammars: readonly GrammarName[] = ['python', 'javascript', 'typescript', 'tsx']): Promise<ParserFactory> {
  const dir = grammarsDir();
  const direct = await initRuntime(dir);
  const languages = new Map<GrammarName, Language>();
  for (const g of grammars) languages.set(g, await Language.load(join(dir, `${g}.wasm`)));
  return {
    backend: 'wasm',
    create(grammar) {
      const language = languages.get(grammar);
      if (!language) throw new Error(`grammar ${grammar} is not loaded`);
      return new WasmGrammarParser(grammar, language, direct);
    },
  };
}
