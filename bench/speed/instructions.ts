// Instruction counts of the analysis alone (issue 18 round 8): the files of a list (bench/speed/
// instructions-62.txt and -20.txt: 62 and 20 files of the speed bench's 638 standard-library files,
// /usr/lib/python3.11), analysed in one process on one thread with no per-unit time budget (the CLI's
// 2 s budget trips under valgrind); findings JSON on stdout, the analysis CPU time on stderr.
// Bundle it in each build's checkout, then count under callgrind:
//   npx esbuild bench/speed/instructions.ts --bundle --platform=node --format=cjs --external:esbuild \
//     --define:import.meta.url=__u --banner:js="var __u = require('url').pathToFileURL(__filename).href;" \
//     --outfile=dist/instructions.js
//   valgrind --tool=callgrind node --single-threaded dist/instructions.js bench/speed/instructions-62.txt
import { analyseJob } from '../../server/src/analysis/job';
import { languageForPath } from '../../server/src/languages';
import { loadWasmBackend } from '../../server/src/parsing/wasm';
import { readFileSync } from 'node:fs';

async function main(): Promise<void> {
  const files = readFileSync(process.argv[2], 'utf8').trim().split('\n');
  const t0 = process.cpuUsage();
  const factory = await loadWasmBackend(['python', 'javascript', 'typescript', 'tsx']);
  const parsers = new Map<string, ReturnType<typeof factory.create>>();
  const out: unknown[] = [];
  for (const f of files) {
    const spec = languageForPath(f)!;
    let p = parsers.get(spec.grammar);
    if (!p) parsers.set(spec.grammar, (p = factory.create(spec.grammar)));
    out.push([f, analyseJob(spec, p, { language: spec.id, text: readFileSync(f, 'utf8'), unitBudgetMs: Infinity })]);
  }
  const c = process.cpuUsage(t0);
  process.stderr.write(`${files.length} files, analysis cpu ${((c.user + c.system) / 1000).toFixed(0)} ms\n`);
  process.stdout.write(JSON.stringify(out));
}
void main();
