// Instruction counts of the worker path (issue 18 round 9): the files of a list (bench/speed/
// instructions-20.txt) analysed by an AnalysisPool of N worker threads, no per-unit budget; findings
// JSON on stdout. With SEMI_MB, the workers start after setWorkerSemiSpace(SEMI_MB), as `hotpath
// check` starts its own. Bundle it in each build's checkout (the workers run that build's
// dist/analysisWorker.js, beside it), then count under callgrind:
//   npx esbuild bench/speed/instructions-pool.ts --bundle --platform=node --format=cjs --external:esbuild \
//     --define:import.meta.url=__u --banner:js="var __u = require('url').pathToFileURL(__filename).href;" \
//     --outfile=dist/instructions-pool.js
//   valgrind --tool=callgrind node --single-threaded dist/instructions-pool.js bench/speed/instructions-20.txt 2 [32]
// (Round 9's rows were taken with a copy of this script that read SEMI_MB from the environment.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnalysisPool, setWorkerSemiSpace } from '../../server/src/analysis/pool';
import { languageForPath } from '../../server/src/languages';

async function main(): Promise<void> {
  const files = readFileSync(process.argv[2], 'utf8').trim().split('\n');
  const workers = Number(process.argv[3] ?? 2);
  if (process.argv[4]) setWorkerSemiSpace(Number(process.argv[4]));
  const pool = new AnalysisPool(workers, { parser: 'wasm' }, { path: join(__dirname, 'analysisWorker.js'), typescript: false });
  try {
    const out = await Promise.all(files.map((f) => {
      const spec = languageForPath(f)!;
      return pool.run({ language: spec.id, text: readFileSync(f, 'utf8'), unitBudgetMs: Infinity }).then((a) => [f, a.result]);
    }));
    process.stdout.write(JSON.stringify(out));
  } finally {
    await pool.close();
  }
}
void main();
