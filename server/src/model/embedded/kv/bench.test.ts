// kv-bench on a small trace (the CLI's JSON shape and the invariants that hold on any model).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ensureTestModel } from '../../testModel';
import { runKvBench } from './bench';

test('kv-bench: every strategy on the same trace; hotpath evaluates least; repair reaches full agreement', async () => {
  const r = await runKvBench({
    model: await ensureTestModel(),
    modelKind: 'test model',
    sources: [join(__dirname, '..')],
    files: 1,
    editsPerFile: 3,
    seed: 3,
    threads: 1,
    minTokens: 300,
    maxTokens: 1500,
    generate: 8,
    chunkReuseMin: 64,
  });
  assert.equal(r.edits, 3);
  assert.equal(r.files.length, 1);
  for (const name of ['full', 'prefix', 'chunk', 'hotpath', 'hotpath_repaired', 'hotpath_no_repair'] as const) {
    const s = r.strategies[name];
    assert.ok(s.agreement >= 0 && s.agreement <= 1, name);
    assert.ok(s.evaluated_tokens >= 0 && s.ms_per_edit >= 0, name);
  }
  assert.equal(r.strategies.full.agreement, 1);
  assert.equal(r.strategies.prefix.agreement, 1, 'prefix reuse is exact');
  assert.equal(r.strategies.hotpath_repaired.agreement, 1);
  assert.ok(r.strategies.hotpath.evaluated_tokens < r.strategies.prefix.evaluated_tokens);
  assert.ok(r.strategies.prefix.evaluated_tokens <= r.strategies.full.evaluated_tokens);
  assert.equal(r.strategies.full.reencodes, 3);
  assert.equal(r.strategies.hotpath.reencodes, 0);
  assert.equal(r.targets.agreement_after_repair_eq_1, true);
  assert.ok(JSON.parse(JSON.stringify(r)).strategies.hotpath_repaired.repair_tokens > 0);
});
