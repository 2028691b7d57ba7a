// The complexity estimate of each top-level statement of one file with no budget (a generated
// parser's IIFE is one unit): functions, sizes read (sizeRef calls) and the CPU time, for units over
// 100 ms (not a claim on a loaded machine).
// Run: node --import tsx bench/speed/estimate-units.ts FILE (bench/speed.md round 11).
import { readFileSync } from 'node:fs';
import { estimateRoots, type ComplexityAdapter } from '../../server/src/complexity';
import { languageForPath } from '../../server/src/languages';
import { loadParserFactory, snapshot } from '../../server/src/parsing';

async function main(): Promise<void> {
  const file = process.argv[2];
  const spec = languageForPath(file)!;
  const text = readFileSync(file, 'utf8');
  const parser = (await loadParserFactory('wasm', [spec.grammar])).create(spec.grammar);
  const tree = parser.parse(text);
  const root = snapshot(tree.rootNode.walk(), text);
  let reads = 0;
  const adapter: ComplexityAdapter = { ...spec.complexity, sizeRef: (n) => (reads++, spec.complexity.sizeRef(n)) };
  for (const unit of root.namedChildren) {
    reads = 0;
    const t0 = process.cpuUsage();
    const est = estimateRoots(adapter, [unit]);
    const c = process.cpuUsage(t0);
    const ms = (c.user + c.system) / 1000;
    if (ms > 100 || reads > 100000) process.stdout.write(`unit at ${unit.startIndex} (${unit.type}, ${unit.text.length} chars): ${est.length} functions, ${reads} size reads, ${ms.toFixed(0)} ms CPU\n`);
  }
}
void main();
