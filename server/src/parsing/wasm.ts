// web-tree-sitter backend. Grammars are the .wasm files that scripts/build.mjs copies into grammars/.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Edit, Language, Parser as WasmParser, type Tree } from 'web-tree-sitter';
import { NodeNames } from './syntax';
import type { GrammarName, Parser, ParsedTree, ParserFactory, RawNode, TextEdit, TextRange } from './parser';

/** grammars/ sits beside dist/ when bundled and two levels up from server/src in tests. */
export function grammarsDir(): string {
  const candidates = [join(__dirname, '..', 'grammars'), join(__dirname, '..', '..', '..', 'grammars')];
  const found = candidates.find((dir) => existsSync(join(dir, 'manifest.json')));
  if (!found) throw new Error(`Hotpath grammars not found (looked in ${candidates.join(', ')}); run \`npm run build\`.`);
  return found;
}

class WasmTree implements ParsedTree {
  constructor(readonly tree: Tree) {}
  get rootNode(): RawNode {
    return this.tree.rootNode as unknown as RawNode;
  }
  edit(edit: TextEdit): void {
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
  readonly names = new NodeNames();
  private readonly parser = new WasmParser();
  constructor(readonly grammar: GrammarName, language: Language) {
    this.parser.setLanguage(language);
  }
  parse(text: string, oldTree?: ParsedTree): ParsedTree {
    const tree = this.parser.parse(text, (oldTree as WasmTree | undefined)?.tree ?? null);
    if (!tree) throw new Error(`tree-sitter (${this.grammar}) returned no tree`);
    return new WasmTree(tree);
  }
  dispose(): void {
    this.parser.delete();
  }
}

export async function loadWasmBackend(grammars: readonly GrammarName[] = ['python', 'javascript', 'typescript', 'tsx']): Promise<ParserFactory> {
  const dir = grammarsDir();
  await WasmParser.init({ locateFile: (file: string) => join(dir, file) });
  const languages = new Map<GrammarName, Language>();
  for (const g of grammars) languages.set(g, await Language.load(join(dir, `${g}.wasm`)));
  return {
    backend: 'wasm',
    create(grammar) {
      const language = languages.get(grammar);
      if (!language) throw new Error(`grammar ${grammar} is not loaded`);
      return new WasmGrammarParser(grammar, language);
    },
  };
}
