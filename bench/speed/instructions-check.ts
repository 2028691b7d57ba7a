// Instruction counts of `hotpath check --no-cache --jobs 1` without its process start (issue 18 round 10):
// checkFiles as the CLI calls it (file reading, project configuration, analysis in process on one
// thread, findings as --format json has them), with the WASM parser the CLI picks for the stdlib's 10 MB, with no per-unit time budget (the CLI's 2 s
// budget trips under valgrind). Findings JSON on stdout, the CPU time on stderr.
// Bundle it in each build's checkout, then count under callgrind:
//   npx esbuild bench/speed/instructions-check.ts --bundle --platform=node --format=cjs --external:esbuild \
//     --external:tree-sitter --external:tree-sitter-python --external:tree-sitter-javascript --external:tree-sitter-typescript \
//     --define:import.meta.url=__u --banner:js="var __u = require('url').pathToFileURL(__filename).href;" \
//     --outfile=dist/instructions-check.js
//   valgrind --tool=callgrind node --single-threaded dist/instructions-check.js bench/speed/instructions-20.txt
import { checkFiles } from '../../server/src/cli/check';
import { toJson } from '../../server/src/cli/json';
import { readFileSync } from 'node:fs';

async function main(): Promise<void> {
  const files = readFileSync(process.argv[2], 'utf8').trim().split('\n');
  const t0 = process.cpuUsage();
  const found = await checkFiles(files, { jobs: 1, unitBudgetMs: Infinity, parser: 'wasm' });
  const c = process.cpuUsage(t0);
  process.stderr.write(`${files.length} files, check cpu ${((c.user + c.system) / 1000).toFixed(0)} ms\n`);
  process.stdout.write(JSON.stringify(toJson(found)));
}
void main();
