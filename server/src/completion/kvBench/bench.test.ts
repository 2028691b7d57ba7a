// kv-bench on a small editing session with the generated test model (random weights: the invariants
// that hold on any model and the JSON shape; test/real/kv.real.test.ts runs it on SmolLM2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTestModel } from '../../model/testModel';
import { runKvBench, VARIANTS } from './bench';

test('kv-bench: every strategy on the same requests; prefix and repaired are exact; hotpath evaluates least', async () => {
  const text = readFileSync(join(__dirname, '..', '..', 'model', 'embedded', 'kv', 'chunks.ts'), 'utf8').slice(0, 3000);
  const r = await runKvBench({
    model: await ensureTestModel(),
    modelKind: 'test model',
    files: [{ label: 'chunks.ts', text, tokens: 0 }],
    seed: 3,
    threads: 1,
    generate: 8,
    positions: 8,
    chunkReuseMin: 64,
    episodes: 2,
    typedChars: 8,
    contextSize: 2048,
    variants: VARIANTS.filter((v) => v.name === 'hotpath_no_repair' || v.name === 'hotpath_converge'),
  });
  assert.equal(r.files.length, 1);
  assert.ok(r.requests >= 3, `requests: ${r.requests}`);
  assert.equal(r.edit_aware.supported, true);
  for (const name of ['full', 'full_aligned', 'prefix', 'prefix_aligned', 'chunk', 'hotpath', 'hotpath_repaired', 'hotpath_no_repair', 'hotpath_converge', 'hotpath_converge_refined']) {
    const s = r.strategies[name];
    assert.ok(s, name);
    assert.ok(s.agreement >= 0 && s.agreement <= 1, name);
    assert.ok(s.vs_aligned.agreement >= 0 && s.vs_aligned.agreement <= 1, name);
    assert.ok(s.evaluated_tokens >= 0 && s.ms_per_edit >= 0 && s.background_tokens >= 0, name);
  }
  assert.equal(r.strategies.prefix.agreement, 1, 'prefix reuse holds the same cells as full recomputation');
  assert.equal(r.strategies.prefix.top1, 1);
  assert.ok(r.strategies.prefix.kl! < 1e-3, `prefix KL ${r.strategies.prefix.kl}`);
  assert.ok(r.repairPauses > 0, 'the trace has pauses long enough to repair');
  assert.equal(r.strategies.hotpath_repaired.agreement, 1, 'repair converges to full recomputation');
  assert.equal(r.strategies.hotpath_repaired.top1, 1);
  // the aligned layout: prefix reuse in it is the aligned full recomputation bit for bit, at most one batch more per request
  assert.equal(r.align, 64);
  assert.equal(r.strategies.prefix_aligned.vs_aligned.identical, 1, 'prefix reuse in the aligned layout = full recomputation in it');
  assert.ok(r.strategies.prefix_aligned.evaluated_tokens <= r.strategies.prefix.evaluated_tokens + r.align);
  assert.equal(r.targets.repaired_identical_to_aligned_full, true, 'a finished repair gives the aligned full recomputation bit for bit');
  assert.equal(r.strategies.hotpath_repaired.vs_aligned.identical, 1);
  assert.ok(r.strategies.hotpath.evaluated_tokens < r.strategies.prefix_aligned.evaluated_tokens, 'hotpath evaluates less than prefix reuse in the same layout');
  assert.ok(r.strategies.prefix.evaluated_tokens <= r.strategies.full.evaluated_tokens);
  assert.equal(r.strategies.full.reencodes, r.strategies.full.sampled);
  assert.ok(r.strategies.hotpath.background_tokens > 0);
  assert.equal(r.strategies.hotpath_no_repair.background_tokens, 0);
  // round 10: each repaired request records its repair's tokens per strategy (the far-edit totals come from them)
  const repairedLines = r.trace.filter((l) => l.repairs);
  assert.ok(repairedLines.length > 0 && repairedLines.every((l) => typeof l.bg?.hotpath === 'number' && typeof l.bg?.hotpath_converge === 'number'));
  assert.equal(repairedLines.reduce((s, l) => s + l.bg!.hotpath, 0) / r.requests, r.strategies.hotpath.background_tokens, 'the per-request repairs add up to the row');
  assert.ok(r.trace.filter((l) => !l.repairs).every((l) => l.bg === undefined));
  assert.ok(r.repair_cpu.cpu_s_per_minute >= 0 && r.repair_cpu.trace_minutes > 0);
  assert.equal(r.targets.repaired_equals_full, true);
  const json = JSON.parse(JSON.stringify(r));
  assert.equal(typeof json.strategies.hotpath.ms_per_edit, 'number');
  assert.equal(json.trace.length, r.requests);
  for (const line of r.trace) {
    for (const name of ['prefix', 'prefix_aligned', 'chunk', 'hotpath', 'hotpath_no_repair']) assert.equal(typeof line.fg[name], 'number', name);
    assert.equal(line.a.prefix_aligned?.[3] ?? 1, 1, 'prefix_aligned identical wherever full_aligned ran');
    assert.ok(line.fg.hotpath <= line.tokens && line.fg.prefix <= line.tokens, 'no strategy evaluates more than the prompt');
  }
  // the decisive figures: the noise floor (prefix reuse in the usual batches) cannot miss a decisive position
  assert.ok(r.decisive, 'decisive figures');
  assert.equal(r.decisive.tau, 2 * r.decisive.noise);
  assert.equal(r.decisive.all.prefix.top1 ?? 1, 1);
  assert.equal(r.decisive.all.hotpath_repaired.top1 ?? 1, 1);
  assert.equal(r.decisive.all.hotpath.requests, r.requests);
  for (const line of r.trace) {
    assert.ok(line.d && line.d.tf.length > 0 && line.d.tf.length <= 8 && line.d.g.length > 0, 'the reference\'s margins kept at every request');
    assert.equal(line.x?.hotpath?.[1], line.d.g.length, 'hotpath\'s outcome kept against as many greedy steps');
  }
  const fgPrefix = r.trace.reduce((s, l) => s + l.fg.prefix, 0) / r.trace.length;
  assert.ok(Math.abs(fgPrefix - r.strategies.prefix.evaluated_tokens) < 1e-9, 'the per-request figures add up to the row');
});

test('kv-bench --baselines full,prefix (round 14): no chunk row, prefix_aligned on demand, every other figure unchanged', async () => {
  const text = readFileSync(join(__dirname, '..', '..', 'model', 'embedded', 'kv', 'chunks.ts'), 'utf8').slice(0, 3000);
  const options = {
    model: await ensureTestModel(),
    modelKind: 'test model',
    files: [{ label: 'chunks.ts', text, tokens: 0 }],
    seed: 5,
    threads: 1,
    generate: 8,
    positions: 8,
    chunkReuseMin: 64,
    episodes: 3,
    typedChars: 8,
    contextSize: 2048,
    fullEvery: 100,
    variants: VARIANTS.filter((v) => v.name === 'hotpath_gap_tail0'),
  };
  const all = await runKvBench(options);
  const cut = await runKvBench({ ...options, baselines: [] });
  assert.equal(cut.strategies.chunk, undefined);
  assert.equal(cut.ratios.chunk_evaluated_vs_full, undefined);
  assert.deepEqual(cut.baselines, []);
  assert.ok(all.strategies.chunk);
  // where hotpath repairs after a request without full recomputation, its repaired cells are the aligned reference
  const repaired = all.trace.filter((l) => l.repairs && l.i > 1).length;
  assert.ok(repaired > 0, 'the trace repairs after a request without full recomputation');
  assert.equal(cut.reference_aligned.hotpath_repaired, repaired);
  assert.equal(cut.reference_aligned.prefix_aligned + repaired, all.reference_aligned.prefix_aligned);
  assert.equal(cut.requests, all.requests);
  const strip = (r: Record<string, unknown>, more: string[] = []) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'chunk' && k !== 'prefix_aligned' && !more.includes(k)));
  for (const [a, c] of all.trace.map((l, k) => [l, cut.trace[k]] as const)) {
    assert.equal(c.i, a.i);
    assert.deepEqual(strip(c.fg), strip(a.fg), `request ${a.i}: foreground tokens`);
    assert.deepEqual(strip(c.s), strip(a.s), `request ${a.i}: against full recomputation`);
    assert.deepEqual(c.bg, a.bg, `request ${a.i}: repair tokens`);
    // against the aligned reference: the same figures, the repaired row being the reference itself where it is one
    const asRef = c.repairs && c.i > 1 ? ['hotpath_repaired'] : [];
    assert.deepEqual(strip(c.a, asRef), strip(a.a, asRef), `request ${a.i}: against the aligned reference`);
    assert.deepEqual(strip(c.x ?? {}, asRef), strip(a.x ?? {}, asRef), `request ${a.i}: greedy outcome`);
    assert.deepEqual(c.d, a.d, `request ${a.i}: the reference's margins and the noise floor`);
    if (asRef.length) assert.equal(a.a.hotpath_repaired[3], 1, `request ${a.i}: the repair is the aligned reference bit for bit`);
  }
  for (const name of ['prefix', 'hotpath', 'hotpath_gap_tail0']) {
    const { ms_per_edit: _m, cpu_ms_per_edit: _c, background_ms_per_edit: _b, ...a } = all.strategies[name];
    const { ms_per_edit: _m2, cpu_ms_per_edit: _c2, background_ms_per_edit: _b2, ...c } = cut.strategies[name];
    assert.deepEqual(c, a, name);
  }
});
