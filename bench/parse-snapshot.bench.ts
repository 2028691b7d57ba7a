// Where a check's parsing time goes, per backend, in one process: parse each of the speed
// benchmark's standard-library files (bench/lib.ts stdlibFiles, 638 files here), then copy every
// top-level node into a SyntaxNode snapshot (what document.ts does per unit):
//   - the native binding through its cursor (`Parser.snapshot` of the native backend),
//   - WASM through web-tree-sitter's TreeCursor (`snapshot(node.walk(), …)`, before round 5),
//   - WASM through the direct cursor (parsing/wasmCursor.ts; `Parser.snapshot` of the WASM backend).
// The backends run in turn, each round; the last round's times are printed (earlier ones warm up).
// Run: `npm run bench -- parse-snapshot` (HOTPATH_PARSE_ROUNDS, default 3).
import { readFileSync } from 'node:fs';
import { loadNativeBackend } from '../server/src/parsing/native';
import { loadWasmBackend } from '../server/src/parsing/wasm';
import { NodeNames, snapshot, type Parser, type SyntaxNode } from '../server/src/parsing';
import { stdlibFiles } from './lib';

const ROUNDS = Number(process.env.HOTPATH_PARSE_ROUNDS ?? 3);

type Copy = (parser: Parser, node: Parameters<Parser['snapshot']>[0], text: string) => SyntaxNode;

async function main(): Promise<void> {
  const paths = stdlibFiles();
  const texts = paths.map((p) => readFileSync(p, 'utf8'));
  const wasm = (await loadWasmBackend(['python'])).create('python');
  const native = loadNativeBackend(['python']).factory?.create('python');
  const names = new NodeNames();
  const viaParser: Copy = (parser, node, text) => parser.snapshot(node, text);
  const viaTreeCursor: Copy = (_parser, node, text) => snapshot(node.walk(), text, names);
  const variants: { name: string; parser: Parser; copy: Copy }[] = [
    ...(native ? [{ name: 'native binding, its cursor', parser: native, copy: viaParser }] : []),
    { name: "WASM, web-tree-sitter's TreeCursor", parser: wasm, copy: viaTreeCursor },
    { name: 'WASM, direct cursor (parsing/wasmCursor.ts)', parser: wasm, copy: viaParser },
  ];
  const last = new Map<string, { parse: number; snapshot: number; nodes: number }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const v of variants) {
      let parse = 0;
      let copy = 0;
      let nodes = 0;
      for (const text of texts) {
        const t0 = performance.now();
        const tree = v.parser.parse(text);
        const t1 = performance.now();
        const copies = tree.rootNode.namedChildren.map((child) => v.copy(v.parser, child!, text));
        copy += performance.now() - t1;
        parse += t1 - t0;
        tree.dispose();
        for (const c of copies) nodes += c.descendants().length;
      }
      last.set(v.name, { parse: parse / 1000, snapshot: copy / 1000, nodes });
    }
  }
  console.log(`${texts.length} files, round ${ROUNDS} of ${ROUNDS}${native ? '' : ' (native binding not installed)'}\n`);
  console.log('| backend | parse s | snapshot s | per node |\n|---|---:|---:|---:|');
  for (const [name, r] of last) console.log(`| ${name} | ${r.parse.toFixed(2)} | ${r.snapshot.toFixed(2)} | ${Math.round((r.snapshot * 1e9) / r.nodes)} ns |`);
  const n = native && last.get('native binding, its cursor');
  const d = last.get('WASM, direct cursor (parsing/wasmCursor.ts)')!;
  if (n) console.log(`\nsnapshots: the direct cursor ${(n.snapshot / d.snapshot).toFixed(2)}× faster than the native binding's cursor (${d.nodes} nodes)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
