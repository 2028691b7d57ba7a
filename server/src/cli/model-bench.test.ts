import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run } from './model-bench';

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  try {
    const code = await run(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

test('model-bench --format json on the test model: engine and direct rows, KV reuse, the device named', async () => {
  const r = await capture(['--test-model', 'tiny', '--contexts', '64,128', '--generate', '4', '--repeat', '1', '--threads', '1', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(r.out) as {
    backend: string;
    device: string;
    threads: number;
    rows: { runner: string; context: number; mode: string; promptTokens: number; reusedTokens: number; generatedTokens: number; ttftMs: number }[];
    overhead: { context: number; mode: string; ttftRatio: number }[];
  };
  assert.equal(report.backend, 'embedded');
  assert.match(report.device, /^(CPU \(1 thread\)|CUDA|VULKAN|METAL)/);
  assert.equal(report.threads, 1);
  assert.equal(report.rows.length, 8);
  for (const row of report.rows) {
    assert.ok(row.ttftMs > 0);
    assert.equal(row.reusedTokens, row.mode === 'cold' ? 0 : row.context - 16, `${row.runner} ${row.context} ${row.mode}`);
    assert.equal(row.promptTokens, row.mode === 'cold' ? row.context : row.context + 16);
    assert.ok(row.generatedTokens >= 1 && row.generatedTokens <= 4);
  }
  assert.deepEqual(report.rows.map((x) => x.runner).sort(), ['direct', 'direct', 'direct', 'direct', 'engine', 'engine', 'engine', 'engine']);
  assert.equal(report.overhead.length, 4);
});

test('model-bench usage errors and a missing model', async () => {
  assert.equal((await capture(['--contexts', 'abc', '--model', 'x'])).code, 2);
  assert.equal((await capture(['--bogus', '1'])).code, 2);
  assert.equal((await capture(['--format', 'xml', '--model', 'x'])).code, 2);
  // An unknown test-model shape is refused before the generator runs (it printed the generator's argparse usage).
  const shape = await capture(['--test-model', 'huge']);
  assert.equal(shape.code, 2);
  assert.match(shape.err, /--test-model must be one of tiny, small, /);
  assert.doesNotMatch(shape.err, /make_test_model|usage: /);
  const missing = await capture(['--model', '/nonexistent.gguf', '--no-direct', '--contexts', '64']);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /model file not found: \/nonexistent\.gguf/);
});
