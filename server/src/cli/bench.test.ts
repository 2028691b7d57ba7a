// `hotpath bench` through the bundled CLI (dist/cli.js): JSON shape, text output, exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'hotpath-cli-bench-'));
const file = join(dir, 'lib.py');
writeFileSync(
  file,
  `def total(xs: list[int]) -> int:
    s = 0
    for x in xs:
        s += x
    return s

def total_fast(xs: list[int]) -> int:
    return sum(xs)

def total_off(xs: list[int]) -> int:
    return sum(xs) + (1 if len(xs) > 3 else 0)
`,
);

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'bench', ...args], { encoding: 'utf8', timeout: 120000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--format json: complexity is one of the seven classes, points carry n and the statistics', () => {
  const r = cli(file, '--function', 'total', '--sizes', '10,100,1000,10000', '--format', 'json', '--quiet');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(['O(1)', 'O(log n)', 'O(n)', 'O(n log n)', 'O(n^2)', 'O(n^3)', 'O(2^n)'].includes(out.complexity));
  // A linear sum: O(n), or O(n log n) when a loaded machine's timings blur the two at four sizes (perf13's
  // full run at load 15 fitted O(n log n) once). What it must never be is constant, quadratic or worse.
  assert.ok(['O(n)', 'O(n log n)'].includes(out.complexity), out.complexity);
  assert.deepEqual(out.points.map((p: { n: number }) => p.n), [10, 100, 1000, 10000]);
  for (const p of out.points) for (const k of ['median', 'mad', 'mean', 'stddev', 'min', 'max', 'ciLow', 'ciHigh', 'rme', 'samples', 'outliers', 'batch', 'censored']) assert.ok(k in p, k);
  assert.equal(typeof out.fit.confidence, 'number');
  assert.equal(typeof out.fit.constant, 'number');
  assert.equal(typeof out.fit.r2, 'number');
  assert.equal(r.stderr, '');
});

test('the class is checked by a second sweep unless --no-stability', () => {
  const checked = JSON.parse(cli(file, '--function', 'total', '--sizes', '10,100,1000,10000', '--format', 'json', '--quiet').stdout);
  assert.deepEqual(checked.stability.points.map((p: { n: number }) => p.n), [10, 100, 1000, 10000]);
  const r = cli(file, '--function', 'total', '--sizes', '10,100,1000,10000', '--format', 'json', '--quiet', '--no-stability');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).stability, undefined);
});

test('--compare: text report with speedups; a behaviour difference exits 1 with the first differing input', () => {
  const ok = cli(file, '--function', 'total', '--compare', 'total_fast', '--sizes', '100,1000,10000', '--quiet');
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /equivalence: same results, argument mutations, global state and exception types on \d+ inputs/);
  assert.match(ok.stdout, /speedup/);
  assert.match(ok.stdout, /verdict: (faster|same|slower)/);
  const bad = cli(file, '--function', 'total', '--compare', 'total_off', '--sizes', '100', '--quiet');
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /REJECTED: total_off behaves differently from total \(return value\) at n=4/);
  assert.match(bad.stdout, /input: /);
});

test('errors: unknown function and bad options exit 2 with a message; progress goes to stderr', () => {
  const missing = cli(file, '--function', 'nope', '--quiet');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no top-level function 'nope'/);
  const usage = cli(file, '--function', 'total', '--sizes', 'ten');
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--sizes must be/);
  const withProgress = cli(file, '--function', 'total', '--sizes', '10,100');
  assert.equal(withProgress.code, 0);
  assert.match(withProgress.stderr, /total: n=100/);
  assert.match(withProgress.stdout, /complexity: O\(/);
});

test('a function that never returns has no complexity: JSON says so (complexity null, the reason) and the exit status is 2', () => {
  const never = join(dir, 'never.py');
  writeFileSync(never, 'def forever(xs: list[int]) -> int:\n    while True:\n        pass\n');
  const r = cli(never, '--function', 'forever', '--per-call-ms', '300', '--format', 'json', '--quiet');
  assert.equal(r.code, 2, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.complexity, null);
  assert.equal(out.fit.complexity, null);
  assert.match(out.error, /no input size finished within the limits .*per-call limit of 300 ms.*does forever return\?/);
  assert.ok(out.points.every((p: { censored: boolean }) => p.censored));
  assert.match(r.stderr, /hotpath bench: no input size finished/);
  const text = cli(never, '--function', 'forever', '--per-call-ms', '300', '--quiet');
  assert.equal(text.code, 2);
  assert.doesNotMatch(text.stdout, /O\(1\)/);
});
