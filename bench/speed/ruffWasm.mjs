// Ruff's PERF rules compiled to WebAssembly (@astral-sh/ruff-wasm-nodejs) over a list of files, as one
// whole process: what `bench/speed.bench.ts` times against `hotpath check`. Prints one JSON line:
// the findings and the files Ruff refused; with --warm, also the time of a second pass over the same
// files in the same process (Ruff warm: its WASM module compiled, its code hot).
//
//   node bench/speed/ruffWasm.mjs FILE_LIST [--warm]   (FILE_LIST: one path per line)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Workspace, PositionEncoding } = require('@astral-sh/ruff-wasm-nodejs');
const files = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
// py39 so that PERF203 (try/except in a loop) is on, as in bench/ruff-parity.bench.ts.
const ws = new Workspace({ 'target-version': 'py39', lint: { select: ['PERF'] } }, PositionEncoding.Utf16);
function pass() {
  let findings = 0;
  let refused = 0;
  for (const f of files) {
    try {
      findings += ws.check(readFileSync(f, 'utf8')).length;
    } catch {
      refused++;
    }
  }
  return { findings, refused };
}
const first = pass();
let warmMs;
if (process.argv.includes('--warm')) {
  const t0 = performance.now();
  pass();
  warmMs = performance.now() - t0;
}
console.log(JSON.stringify({ ...first, warmMs }));
