// `npm test`: build (grammars and bundles), then run every *.test.ts under server/, client/,
// scripts/ and test/ with Node's test runner (TypeScript through tsx).
// Pass file paths or substrings to run a subset: `npm test -- rules`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) find(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);

let files = ['server', 'client', 'scripts', 'test'].flatMap((d) => { try { return find(join(root, d)); } catch { return []; } }).sort();
if (filters.length) files = files.filter((f) => filters.some((q) => f.includes(q)));
if (files.length === 0) { console.error('no test files matched'); process.exit(1); }
// e2e suites drive a real VS Code: run them only when asked (.ci/run does, after installing it).
if (!process.env.HOTPATH_E2E) files = files.filter((f) => !f.startsWith('test/e2e/'));
// Real models and the real llama-server (test/real/): with HOTPATH_REAL=1 or HOTPATH_E2E=1 (.ci/run
// builds llama-server with scripts/llama-server/build.sh and fetches SmolLM2 first).
if (!process.env.HOTPATH_E2E && !process.env.HOTPATH_REAL) {
  const real = files.filter((f) => f.startsWith('test/real/'));
  if (real.length) console.error(`(${real.length} real-model test files not run: set HOTPATH_REAL=1 to run them)`);
  files = files.filter((f) => !f.startsWith('test/real/'));
}
const concurrency = process.env.HOTPATH_TEST_CONCURRENCY ?? '2';
// Measurement tests time real runs at growing sizes and judge the growth: beside another test file its
// load is noise in their sweeps (a pair loop read as "no growth" or as n^1.5 at the top in CI), so they
// run after the others, one file at a time.
const MEASURED = new Set(['server/src/cli/verify.test.ts', 'server/src/execution/engine.test.ts', 'server/src/features/optimize.test.ts']);
const run = (list, c) => (list.length ? spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${c}`, '--test-reporter=spec', ...list], { stdio: 'inherit', cwd: root }).status ?? 1 : 0);
const others = run(files.filter((f) => !MEASURED.has(f)), concurrency);
const measured = run(files.filter((f) => MEASURED.has(f)), '1');
process.exit(others || measured);
