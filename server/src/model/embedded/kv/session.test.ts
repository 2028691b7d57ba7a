// The edit-aware KV session on the generated test model (random weights: these tests check the
// cache mechanics against full recomputation, not completion quality).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LlamaContext, LlamaModel, Token } from 'node-llama-cpp';
import { ensureTestModel } from '../../testModel';
import type { PromptPart } from './chunks';
import { createKvContext, fullInLayout, loadModel, modelTokenizer } from './llamaTesting';
import type { LayoutKind } from './layout';
import { KvSession, type ReuseStrategy } from './session';
import { appendTokens, logitsAfter } from './llamaKv';

let model: LlamaModel;
const contexts: LlamaContext[] = [];

before(async () => {
  model = await loadModel(await ensureTestModel());
});
after(async () => {
  for (const c of contexts) await c.dispose();
  await model?.dispose();
});

async function session(strategy: ReuseStrategy, options: { repairChunk?: number; scratch?: boolean; refreshTail?: number; exactWithin?: number; align?: number; layout?: LayoutKind } = {}): Promise<KvSession> {
  const ctx = await createKvContext(model, 4096, 1, options.scratch === false ? 1 : 2);
  contexts.push(ctx);
  const main = ctx.getSequence();
  const scratch = options.scratch === false ? undefined : ctx.getSequence();
  return new KvSession(main, scratch, modelTokenizer(model), { strategy, repairChunk: options.repairChunk ?? 128, refreshTail: options.refreshTail, exactWithin: options.exactWithin, align: options.align, layout: options.layout });
}

const SOURCE = Array.from({ length: 40 }, (_, i) => `def f${i}(items):\n    total = 0\n    for x in items:\n        total += x * ${i}\n    return total\n\n`).join('');

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}
function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

let reference: KvSession;
async function fullLogits(parts: PromptPart[]): Promise<{ logits: Float64Array; tokens: readonly number[] }> {
  reference ??= await session('full', { scratch: false });
  await reference.sync(parts);
  return { logits: await reference.nextLogits(), tokens: reference.tokens.slice() };
}

const cases: [string, (s: string) => string][] = [
  ['insert at start', (s) => 'import os\n' + s],
  ['insert in the middle', (s) => s.slice(0, 1200) + '    print(total)\n' + s.slice(1200)],
  ['insert at end', (s) => s + 'def g():\n    pass\n'],
  ['delete at start', (s) => s.slice(40)],
  ['delete in the middle', (s) => s.slice(0, 900) + s.slice(960)],
  ['delete at end', (s) => s.slice(0, s.length - 50)],
  ['multi-place edit', (s) => 'x = 1\n' + s.slice(0, 700) + 'y = 2\n' + s.slice(700, 1500) + s.slice(1530, 2500) + '# z\n' + s.slice(2500)],
];

for (const [name, edit] of cases) {
  test(`hotpath: ${name} evaluates only the new tokens, and repair converges to full recomputation`, async () => {
    const s = await session('hotpath');
    const first = await s.sync([{ text: SOURCE }]);
    assert.equal(first.reencoded, true);
    assert.equal(first.stale, 0);
    const text = edit(SOURCE);
    const st = await s.sync([{ text }]);
    const full = await fullLogits([{ text }]);
    assert.deepEqual(s.tokens, full.tokens, 'cached tokens are what a full tokenization gives');
    assert.equal(st.reencoded, false);
    assert.ok(st.evaluated < full.tokens.length * 0.1, `evaluated ${st.evaluated} of ${full.tokens.length}`);
    assert.equal(st.reused + st.evaluated, full.tokens.length);
    if (name.endsWith('at end')) assert.equal(st.stale, 0, 'an edit at the end leaves nothing stale');
    else assert.ok(st.stale > 0, 'cells after the edit are stale');
    const r = await s.repair();
    assert.equal(r.done, true);
    assert.equal(r.stale, 0);
    assert.equal(r.repaired, st.stale);
    const repaired = await s.nextLogits();
    const diff = maxAbsDiff(repaired, full.logits);
    assert.ok(diff <= 1e-3 * Math.max(1, maxAbs(full.logits)), `logits differ by ${diff} after repair`);
    await s.dispose();
  });
}

test('baselines: prefix reuse keeps only the common prefix, chunk reuse keeps moved chunks after a deletion', async () => {
  // whole functions deleted: a token-aligned deletion, the case llama.cpp's chunk reuse handles
  const text = SOURCE.slice(0, SOURCE.indexOf('def f3(')) + SOURCE.slice(SOURCE.indexOf('def f5('));
  const p = await session('prefix', { scratch: false });
  await p.sync([{ text: SOURCE }]);
  const sp = await p.sync([{ text }]);
  const c = await session('chunk', { scratch: false });
  await c.sync([{ text: SOURCE }]);
  const sc = await c.sync([{ text }]);
  assert.deepEqual(p.tokens, c.tokens);
  assert.ok(sp.evaluated > 0.8 * sp.tokens, 'prefix reuse re-evaluates everything after the edit');
  assert.ok(sc.evaluated < sp.evaluated / 5, `chunk reuse shifts the tail (${sc.evaluated} vs ${sp.evaluated})`);
  assert.equal(sc.edits, 1);
  // a deletion inside a line or an insertion defeats llama.cpp's chunk reuse (it only shifts left,
  // and only when the new prompt continues with a cached run right after the common prefix)
  const ins = await c.sync([{ text: 'import sys\n' + text }]);
  assert.ok(ins.evaluated > 0.9 * ins.tokens);
  await p.dispose();
  await c.dispose();
});

test('a duty-cycled repair rests between chunks, the next keystroke ends the rest, and it still converges', async () => {
  const s = await session('hotpath', { repairChunk: 64 });
  await s.sync([{ text: SOURCE }]);
  const text = 'import os\n' + SOURCE;
  const st = await s.sync([{ text }]);
  assert.ok(st.stale > 128);
  const ac = new AbortController();
  // computing 1% of the time: after its first chunk it rests 99 times as long as the chunk took
  const repairing = s.repair({ dutyCycle: 0.01 }, ac.signal);
  while (s.status().repairFrontier === null) await new Promise((r) => setTimeout(r, 5));
  ac.abort();
  const r1 = await repairing;
  assert.equal(r1.repaired, 64, 'one chunk, then the rest, ended by the abort');
  assert.equal(r1.yielded, true);
  assert.equal(r1.done, false);
  const r2 = await s.repair({ dutyCycle: 0.5 });
  assert.equal(r2.done, true);
  const full = await fullLogits([{ text }]);
  assert.ok(maxAbsDiff(await s.nextLogits(), full.logits) <= 1e-3 * Math.max(1, maxAbs(full.logits)));
  await s.dispose();
});

test('repair is chunked and cancellable, and yields to foreground work', async () => {
  const s = await session('hotpath', { repairChunk: 64 });
  await s.sync([{ text: SOURCE }]);
  const st = await s.sync([{ text: 'import os\n' + SOURCE }]);
  assert.ok(st.stale > 200);
  // abort after the first chunk
  const ac = new AbortController();
  const r1 = await s.repair({ maxTokens: 64 }, ac.signal);
  assert.equal(r1.repaired, 64);
  assert.equal(r1.done, false);
  ac.abort();
  const r2 = await s.repair({}, ac.signal);
  assert.equal(r2.repaired, 0);
  assert.equal(r2.yielded, true);
  // a sync arriving during repair runs before the next chunk; an edit after the frontier keeps the repaired part
  const repairing = s.repair();
  const text2 = 'import os\n' + SOURCE + 'x = 1\n';
  const st2 = await s.sync([{ text: text2 }]);
  assert.equal(st2.evaluated, st2.tokens - st.tokens, 'only the appended line was evaluated');
  const r3 = await repairing;
  assert.equal(r3.yielded, true, 'repair yielded to the sync');
  const status = s.status();
  assert.ok(status.repairFrontier !== null && status.repairFrontier >= 64, 'the repaired prefix survived');
  const r4 = await s.repair();
  assert.equal(r4.done, true);
  const full = await fullLogits([{ text: text2 }]);
  assert.ok(maxAbsDiff(await s.nextLogits(), full.logits) <= 1e-3 * Math.max(1, maxAbs(full.logits)));
  // a cancelled sync leaves a session that recovers on the next sync
  const ac2 = new AbortController();
  ac2.abort();
  await assert.rejects(s.sync([{ text: SOURCE }], ac2.signal), /cancelled/);
  const st3 = await s.sync([{ text: SOURCE }]);
  assert.equal(st3.reencoded, true);
  assert.deepEqual(s.tokens, (await fullLogits([{ text: SOURCE }])).tokens);
  await s.dispose();
});

test('greedy completion after repair equals full recomputation; special-token parts; completion keeps the cache', async () => {
  const sp = modelTokenizer(model);
  const pre = sp.special('<|fim_prefix|>');
  const suf = sp.special('<|fim_suffix|>');
  const mid = sp.special('<|fim_middle|>');
  const parts = (cursor: number, typed: string): PromptPart[] => [{ special: pre }, { text: SOURCE.slice(0, cursor) + typed }, { special: suf }, { text: SOURCE.slice(cursor) }, { special: mid }];
  const s = await session('hotpath');
  const f = await session('full', { scratch: false });
  await s.sync(parts(1500, ''));
  let typed = '';
  for (const ch of 'result = ') {
    typed += ch;
    const st = await s.sync(parts(1500, typed));
    assert.ok(st.evaluated <= 3, `typing one character evaluated ${st.evaluated} tokens`);
  }
  await s.repair();
  await f.sync(parts(1500, typed));
  const a = await s.complete({ maxTokens: 16 });
  const b = await f.complete({ maxTokens: 16 });
  assert.deepEqual(a.tokens, b.tokens);
  assert.equal(a.tokens.length, 16);
  // the cache still holds the prompt: a second completion gives the same tokens and evaluates the same amount
  const a2 = await s.complete({ maxTokens: 16 });
  assert.deepEqual(a2.tokens, a.tokens);
  assert.equal(a2.evaluated, a.evaluated);
  await s.dispose();
  await f.dispose();
});

test('an edit too large for reuse to pay re-encodes, leaving nothing stale', async () => {
  const s = await session('hotpath', { scratch: false });
  await s.sync([{ text: SOURCE }]);
  const other = SOURCE.replace(/total/g, 'acc').replace(/items/g, 'values');
  const st = await s.sync([{ text: other }]);
  assert.equal(st.reencoded, true);
  assert.equal(st.evaluated, st.tokens);
  assert.equal(st.stale, 0);
  assert.deepEqual(s.tokens, (await fullLogits([{ text: other }])).tokens);
  await s.dispose();
});

test("the editor's strategy (EDIT_AWARE): an edit near the end is recomputed exactly, one far from it is shifted and the last cells recomputed", async () => {
  const { EDIT_AWARE } = await import('./workerKind');
  const s = await session('hotpath', { ...EDIT_AWARE, scratch: false });
  const opened = await s.sync([{ text: SOURCE }]);
  const n = opened.tokens;
  // a line inserted a few lines before the end: few stale cells (under exactWithin of the prompt) -> exact, like prefix reuse
  const near = SOURCE.slice(0, SOURCE.length - 60) + '# note\n' + SOURCE.slice(SOURCE.length - 60);
  const p = await session('prefix', { scratch: false, align: EDIT_AWARE.align, layout: EDIT_AWARE.layout });
  await p.sync([{ text: SOURCE }]);
  const pn = await p.sync([{ text: near }]);
  const sn = await s.sync([{ text: near }]);
  assert.equal(sn.stale, 0, 'nothing left to repair');
  assert.equal(sn.evaluated, pn.evaluated, 'the same tokens as prefix reuse (in the same layout)');
  let full = await fullLogits([{ text: near }]);
  assert.ok(maxAbsDiff(await s.nextLogits(), full.logits) <= 1e-3 * Math.max(1, maxAbs(full.logits)), 'exact');
  // a line inserted at the top: shifted, plus the last refreshTail cells; the rest stays stale until repair
  const far = 'import os\n' + near;
  const sf = await s.sync([{ text: far }]);
  assert.ok(sf.evaluated < 20 + EDIT_AWARE.refreshTail! && sf.evaluated >= EDIT_AWARE.refreshTail!, `evaluated ${sf.evaluated}`);
  assert.ok(sf.stale > 0.5 * n, `stale ${sf.stale}`);
  // an edit near the end now: recomputed from that edit, no more than prefix reuse evaluates
  const far2 = far.slice(0, far.length - 30) + 'z = 0\n' + far.slice(far.length - 30);
  await p.sync([{ text: far }]);
  const pf = await p.sync([{ text: far2 }]);
  const sf2 = await s.sync([{ text: far2 }]);
  assert.equal(sf2.evaluated, pf.evaluated);
  assert.equal(sf2.stale, sf.stale + (sf2.tokens - sf.tokens), 'the earlier stale cells stay stale');
  const r = await s.repair();
  assert.equal(r.repaired, sf2.stale);
  full = await fullLogits([{ text: far2 }]);
  assert.ok(maxAbsDiff(await s.nextLogits(), full.logits) <= 1e-3 * Math.max(1, maxAbs(full.logits)), 'exact after repair');
  // typing at the end after that appends (the last partial batch again): nothing stale
  const typed = await s.sync([{ text: far2 + 'y' }]);
  assert.ok(typed.evaluated <= 2 + EDIT_AWARE.align! && typed.stale === 0, `evaluated ${typed.evaluated}, stale ${typed.stale}`);
  await p.dispose();
  await s.dispose();
});

// The aligned layout (layout.ts): decode batches fixed by position, so that recomputing after a cut
// at a batch boundary gives the cells of a full recomputation in that layout bit for bit (on the
// real model too: test/real/kv.real.test.ts).
for (const layout of ['grid', 'tail', 'vec'] as LayoutKind[]) test(`${layout} layout: prefix reuse, exact recomputation and a finished repair equal a full recomputation in the same layout bit for bit`, async () => {
  const align = 64;
  const f = await session('full', { scratch: false, align, layout });
  const p = await session('prefix', { scratch: false, align, layout });
  const h = await session('hotpath', { align, layout, repairChunk: 100 });
  await p.sync([{ text: SOURCE }]);
  await h.sync([{ text: SOURCE }]);
  let previous = SOURCE;
  for (const [name, edit] of [...cases, ['typing at the end', (t: string) => t + 'resu'] as const, ['typing on', (t: string) => t + 'lt = f1(x)\n'] as const]) {
    const text = edit(previous);
    await f.sync([{ text }]);
    const want = await f.nextLogits();
    const sp = await p.sync([{ text }]);
    let common = 0;
    const before = h.tokens.slice();
    while (common < before.length && common < f.tokens.length && before[common] === f.tokens[common]) common++;
    assert.ok(sp.evaluated <= f.tokens.length - common + align, `${name}: prefix reuse evaluated ${sp.evaluated}, at most one batch more than the ${f.tokens.length - common} after the common prefix`);
    assert.deepEqual(await p.nextLogits(), want, `${name}: prefix reuse in the aligned layout`);
    const sh = await h.sync([{ text }]);
    if (sh.stale === 0) assert.deepEqual(await h.nextLogits(), want, `${name}: hotpath, nothing stale`);
    else {
      assert.equal((await h.repair()).done, true);
      assert.deepEqual(await h.nextLogits(), want, `${name}: hotpath after repair`);
    }
    // the completion after the prompt is the same too (it decodes the last token alone, as the layout does)
    assert.deepEqual((await h.complete({ maxTokens: 8 })).tokens, (await f.complete({ maxTokens: 8 })).tokens, name);
    previous = text;
  }
  await f.dispose();
  await p.dispose();
  await h.dispose();
});

// The anchored layout: its anchor is the session's (layout.ts anchorAfter), so the reference is a full
// recomputation with that session's anchor; typing past a multiple of 64 costs prefix reuse's tokens.
test('anchored layout: prefix reuse, exact recomputation and a finished repair equal a full recomputation with the session\'s anchor bit for bit', async () => {
  const align = 64;
  const ctx = await createKvContext(model, 4096, 1, 1);
  contexts.push(ctx);
  const ref = ctx.getSequence();
  const p = await session('prefix', { scratch: false, align, layout: 'anchored' });
  const h = await session('hotpath', { align, layout: 'anchored', repairChunk: 100 });
  const full = async (s: KvSession, greedy = 0) => fullInLayout(ref, s.tokens, { kind: 'anchored', b: align, max: 512, oneThread: false, at: s.status().anchor! }, greedy);
  await p.sync([{ text: SOURCE }]);
  await h.sync([{ text: SOURCE }]);
  assert.equal(p.status().anchor, p.tokens.length - 1, 'the first prompt is tiled up to its last token');
  let previous = SOURCE;
  const typing: [string, (t: string) => string][] = Array.from({ length: 6 }, (_, i) => [`typing ${i}`, (t: string) => t + ['res', 'ult', ' = f1', '(x)\n', '    ret', 'urn y\n'][i]]);
  for (const [name, edit] of [...cases, ...typing]) {
    const text = edit(previous);
    const anchorBefore = p.status().anchor!;
    const old = p.tokens.slice();
    const sp = await p.sync([{ text }]);
    let common = 0;
    while (common < old.length && common < p.tokens.length && old[common] === p.tokens[common]) common++;
    if (name.startsWith('typing')) {
      assert.equal(p.status().anchor, anchorBefore, `${name}: typing keeps the anchor`);
      // the old last token was decoded alone, and so was a vec region of one token: decoded again as vec
      assert.ok(sp.evaluated <= p.tokens.length - common + 2, `${name}: prefix reuse's tokens (and up to two decoded alone before): ${sp.evaluated} for ${p.tokens.length - common}`);
    }
    assert.deepEqual(await p.nextLogits(), (await full(p)).logits, `${name}: prefix reuse in the anchored layout`);
    const sh = await h.sync([{ text }]);
    assert.equal(h.status().anchor, p.status().anchor, `${name}: the anchor follows from the prompts, whatever each session recomputed`);
    if (sh.stale > 0) assert.equal((await h.repair()).done, true);
    const want = await full(h, 8);
    assert.deepEqual(await h.nextLogits(), want.logits, `${name}: hotpath${sh.stale > 0 ? ' after repair' : ', nothing stale'}`);
    assert.deepEqual((await h.complete({ maxTokens: 8 })).tokens, want.greedy, `${name}: completion`);
    previous = text;
  }
  await p.dispose();
  await h.dispose();
});

// review 6 K1: kv-bench counts a variant exact after adopt(); with foreground work queued, the repair
// fallback (a variant in another layout) used to yield at once and leave every stale cell.
test('adopt: a session in another layout repairs to the end even with foreground work queued, and holds the full recomputation', async () => {
  const align = 64;
  const h = await session('hotpath', { align, layout: 'anchored', repairChunk: 100, exactWithin: 0.25, refreshTail: 64 });
  const v = await session('hotpath', { align, layout: 'vec', repairChunk: 100, exactWithin: 0.25, refreshTail: 64 });
  const f = await session('full', { scratch: false, align, layout: 'vec' });
  const far = 'import os\n' + SOURCE;
  for (const s of [h, v]) {
    await s.sync([{ text: SOURCE }]);
    const st = await s.sync([{ text: far }]);
    assert.ok(st.stale > 0, 'the far edit is shifted, cells left stale');
  }
  assert.equal((await h.repair()).done, true);
  const stale = v.status().stale;
  const queued = v.probe([], 0, 8); // foreground work queued before the adoption
  const repaired = await v.adopt(h);
  await queued;
  assert.equal(v.status().stale, 0, 'nothing stale after adopt');
  assert.ok(repaired >= stale, `repaired ${repaired} of ${stale} stale cells`);
  await f.sync([{ text: far }]);
  assert.deepEqual(await v.nextLogits(), await f.nextLogits(), 'the cells of a full recomputation in its layout');
  for (const s of [h, v, f]) await s.dispose();
});

// review 7 m1: adopt() read the other session's layout before taking its lock, so syncs of the other
// session queued before the adoption could change its batch classes after the decision: the cells
// copied were decoded in another layout while this session counted them its own. And a session that
// adopted itself waited on its own lock forever.
test('adopt: decides on the other session\'s layout under its lock (syncs queued on it first), and a session cannot adopt itself', async () => {
  const align = 64;
  // one context, as kv-bench's sessions share one (cells are copied only between its sequences)
  const ctx = await createKvContext(model, 4096, 1, 5);
  contexts.push(ctx);
  const opts = { strategy: 'hotpath' as const, align, layout: 'anchored' as const, repairChunk: 100, exactWithin: 0.25, refreshTail: 64 };
  const h = new KvSession(ctx.getSequence(), ctx.getSequence(), modelTokenizer(model), opts);
  const v = new KvSession(ctx.getSequence(), ctx.getSequence(), modelTokenizer(model), opts);
  const ref = ctx.getSequence();
  const far = 'import os\n' + SOURCE;
  for (const s of [h, v]) {
    await s.sync([{ text: SOURCE }]);
    assert.ok((await s.sync([{ text: far }])).stale > 0, 'the far edit is shifted, cells left stale');
  }
  assert.equal((await h.repair()).done, true);
  const anchor = v.status().anchor!;
  assert.equal(h.status().anchor, anchor, 'the same prompts, the same anchor');
  // an edit in the prompt's last line (below the anchor, fewer than 64 tokens after it: the anchor
  // moves to the edit) and back are queued on h, then adopt() is called: it must decide after them
  // (whichever lock it takes first: review 8 K1 orders them by the sessions' creation)
  const edited = far.slice(0, far.length - 12) + 'y' + far.slice(far.length - 11);
  const queued = [h.sync([{ text: edited }]), h.sync([{ text: far }])];
  const adopted = v.adopt(h);
  const repaired = await adopted;
  await Promise.all(queued);
  assert.ok(h.status().anchor! < anchor, `h's anchor moved to the edit (${h.status().anchor} < ${anchor})`);
  assert.equal(h.status().stale, 0, 'h holds the prompt exactly, in its own layout');
  assert.equal(v.status().anchor, anchor, "v's layout is its own");
  assert.equal(v.status().stale, 0, 'nothing stale after adopt');
  assert.ok(repaired > 0, 'v repaired itself: h\'s cells are in another layout');
  const want = await fullInLayout(ref, v.tokens, { kind: 'anchored', b: align, max: 512, oneThread: false, at: anchor });
  assert.deepEqual(await v.nextLogits(), want.logits, "the cells of a full recomputation in v's layout");
  // adopting itself: rejected at once (it used to wait on its own lock; an immediate callback comes
  // after any work of a session that settles without decoding, and this adoption has nothing to decode)
  const self = v.adopt(v).then(() => 'resolved', (e: Error) => `rejected: ${e.message}`);
  const outcome = await Promise.race([self, new Promise<string>((r) => setImmediate(() => setImmediate(() => r('still waiting'))))]);
  assert.match(outcome, /^rejected: adopt: a session cannot adopt its own cells/);
  for (const s of [h, v]) await s.dispose();
});

// kv-bench's hotpath_adjacent: the editor's strategy with insertMode 'adjacent' (a rename's new cells
// decoded right after the text before each occurrence); stale like the shifted cells, repaired exactly.
test("the editor's strategy with adjacent insertion: a rename is shifted with only the inserted tokens and the tail evaluated, and a finished repair equals a full recomputation with the anchor", async () => {
  const align = 64;
  const ctx = await createKvContext(model, 4096, 1, 3);
  contexts.push(ctx);
  const ref = ctx.getSequence();
  const h = new KvSession(ctx.getSequence(), ctx.getSequence(), modelTokenizer(model), { strategy: 'hotpath', align, layout: 'anchored', exactWithin: 0.25, refreshTail: 64, insertMode: 'adjacent', repairChunk: 100 });
  await h.sync([{ text: SOURCE }]);
  const renamed = SOURCE.replace('def f3(', 'def compute_three(').replace('def f7(', 'def compute_seven(').replace('def f9(', 'def compute_nine(');
  const st = await h.sync([{ text: renamed }]);
  assert.ok(st.edits > 1 && st.stale > 0, `a rename of several occurrences, shifted (${st.edits} edits, ${st.stale} stale)`);
  const inserted = st.evaluated - 64;
  assert.ok(inserted > 0 && inserted < 0.25 * h.tokens.length, `only the inserted tokens (${inserted}) and the last 64 cells evaluated`);
  assert.equal((await h.repair()).done, true);
  const want = await fullInLayout(ref, h.tokens, { kind: 'anchored', b: align, max: 512, oneThread: false, at: h.status().anchor! }, 8);
  assert.deepEqual(await h.nextLogits(), want.logits, 'after repair: the full recomputation with the anchor');
  assert.deepEqual((await h.complete({ maxTokens: 8 })).tokens, want.greedy);
  await h.dispose();
});

// insertContext (the editor's since round 9): each inserted group decoded after a copy of the cached
// tokens before its insertion point; the copies are counted and erased, nothing else moves more.
test("the editor's strategy with insertion context: the copies are evaluated and counted, and a finished repair equals a full recomputation with the anchor", async () => {
  const align = 64;
  const ctx = await createKvContext(model, 4096, 1, 5);
  contexts.push(ctx);
  const ref = ctx.getSequence();
  const options = { strategy: 'hotpath' as const, align, layout: 'anchored' as const, exactWithin: 0.25, refreshTail: 64, repairChunk: 100 };
  const plain = new KvSession(ctx.getSequence(), undefined, modelTokenizer(model), options);
  const h = new KvSession(ctx.getSequence(), ctx.getSequence(), modelTokenizer(model), { ...options, insertContext: 4 });
  const renamed = SOURCE.replace('def f3(', 'def compute_three(').replace('def f7(', 'def compute_seven(').replace('def f9(', 'def compute_nine(');
  for (const s of [plain, h]) await s.sync([{ text: SOURCE }]);
  const p = await plain.sync([{ text: renamed }]);
  const st = await h.sync([{ text: renamed }]);
  assert.ok(st.edits > 1 && st.stale > 0, `a rename of several occurrences, shifted (${st.edits} edits, ${st.stale} stale)`);
  assert.equal(st.evaluated, p.evaluated + 4 * st.edits, 'four copied tokens more per inserted group');
  assert.notDeepEqual(await h.nextLogits(), await plain.nextLogits(), 'the inserted cells saw their left neighbours last');
  assert.equal((await h.repair()).done, true);
  const want = await fullInLayout(ref, h.tokens, { kind: 'anchored', b: align, max: 512, oneThread: false, at: h.status().anchor! }, 8);
  assert.deepEqual(await h.nextLogits(), want.logits, 'after repair: the full recomputation with the anchor');
  assert.deepEqual((await h.complete({ maxTokens: 8 })).tokens, want.greedy);
  for (const s of [plain, h]) await s.dispose();
});

// review 8 K1: adopt() held this session's lock while waiting for the other's, so two sessions
// adopting each other at once each held one lock and waited on the other's forever.
test('adopt in both directions at once: both settle (the locks are taken in one order)', async () => {
  const align = 64;
  const h = await session('hotpath', { align, layout: 'anchored', repairChunk: 100, exactWithin: 0.25, refreshTail: 64 });
  const v = await session('hotpath', { align, layout: 'vec', repairChunk: 100, exactWithin: 0.25, refreshTail: 64 });
  for (const s of [h, v]) await s.sync([{ text: SOURCE }]);
  // both exact, in layouts with other batch classes: each adoption repairs nothing and decodes nothing,
  // so both settle before an immediate callback unless they wait on each other
  const both = Promise.all([v.adopt(h), h.adopt(v)]).then((r) => `settled ${r.join(' ')}`);
  const outcome = await Promise.race([both, new Promise<string>((r) => setImmediate(() => setImmediate(() => r('still waiting'))))]);
  assert.equal(outcome, 'settled 0 0');
  for (const s of [h, v]) await s.dispose();
});

// round 9: the editor's strategy decodes each shifted rename's occurrences after their own left
// neighbours (decoded right after the prompt's end, SmolLM2 read them as the cursor line's continuation)
test("the editor's strategy (EDIT_AWARE) decodes each inserted group after a copy of the 4 tokens before it", async () => {
  const { EDIT_AWARE } = await import('./workerKind');
  const ctx = await createKvContext(model, 4096, 1, 2);
  contexts.push(ctx);
  const editor = new KvSession(ctx.getSequence(), undefined, modelTokenizer(model), { ...EDIT_AWARE, strategy: 'hotpath' });
  const before = new KvSession(ctx.getSequence(), undefined, modelTokenizer(model), { ...EDIT_AWARE, strategy: 'hotpath', insertContext: 0 });
  const renamed = SOURCE.replace('def f3(', 'def compute_three(').replace('def f7(', 'def compute_seven(');
  for (const s of [editor, before]) await s.sync([{ text: SOURCE }]);
  const b = await before.sync([{ text: renamed }]);
  const e = await editor.sync([{ text: renamed }]);
  assert.ok(e.stale > 0 && e.edits >= 2, `shifted (${e.edits} edits, ${e.stale} stale)`);
  assert.equal(e.evaluated, b.evaluated + 4 * e.edits);
  for (const s of [editor, before]) await s.dispose();
});

// round 10: insertMode 'gap' evaluates nothing approximate (no inserted token decoded; with refreshTail 0
// no tail either), so a far edit's foreground plus its exact repair is prefix reuse's work, where the
// editor's 'end' insertion (inserted tokens, their copied context, the tail) costs that much more.
test("insertMode 'gap': a far rename evaluates nothing before repair; foreground plus a finished repair is at most prefix reuse's work, and equals a full recomputation with the anchor bit for bit", async () => {
  const align = 64;
  const ctx = await createKvContext(model, 4096, 1, 6);
  contexts.push(ctx);
  const ref = ctx.getSequence();
  const options = { strategy: 'hotpath' as const, align, layout: 'anchored' as const, exactWithin: 0.25, repairChunk: 100 };
  const prefix = new KvSession(ctx.getSequence(), undefined, modelTokenizer(model), { ...options, strategy: 'prefix' });
  const gap = new KvSession(ctx.getSequence(), ctx.getSequence(), modelTokenizer(model), { ...options, refreshTail: 0, insertMode: 'gap' });
  const end = new KvSession(ctx.getSequence(), ctx.getSequence(), modelTokenizer(model), { ...options, refreshTail: 64, insertContext: 4 });
  const renamed = SOURCE.replace('def f3(', 'def compute_three(').replace('def f7(', 'def compute_seven(').replace('def f9(', 'def compute_nine(');
  for (const s of [prefix, gap, end]) await s.sync([{ text: SOURCE }]);
  const p = await prefix.sync([{ text: renamed }]);
  const g = await gap.sync([{ text: renamed }]);
  const e = await end.sync([{ text: renamed }]);
  assert.ok(g.edits > 1 && g.stale > 0, `a rename of several occurrences, shifted (${g.edits} edits, ${g.stale} stale)`);
  assert.equal(g.evaluated, 0, 'no inserted token decoded, no tail');
  assert.ok(p.evaluated > 0.25 * gap.tokens.length, `a far edit: prefix reuse recomputes ${p.evaluated} of ${gap.tokens.length}`);
  // the gaps are read around: the completion before repair runs on the shifted cells
  assert.equal((await gap.complete({ maxTokens: 4 })).tokens.length > 0, true);
  const rg = await gap.repair();
  const re = await end.repair();
  assert.equal(rg.done && re.done, true);
  assert.ok(g.evaluated + rg.repaired <= p.evaluated, `gap: foreground ${g.evaluated} + repair ${rg.repaired} <= prefix reuse ${p.evaluated}`);
  assert.ok(e.evaluated + re.repaired > p.evaluated, `end: foreground ${e.evaluated} + repair ${re.repaired} > prefix reuse ${p.evaluated}`);
  for (const s of [gap, end]) {
    const want = await fullInLayout(ref, s.tokens, { kind: 'anchored', b: align, max: 512, oneThread: false, at: s.status().anchor! }, 8);
    assert.deepEqual(await s.nextLogits(), want.logits, 'after repair: the full recomputation with the anchor');
    assert.deepEqual((await s.complete({ maxTokens: 8 })).tokens, want.greedy);
  }
  for (const s of [prefix, gap, end]) await s.dispose();
});

// A gap is only a problem where something is decoded right after it: a cut that leaves it at the end
// of the cache (a keystroke right after a renamed occurrence near the end, before repair) evaluates it first.
test("insertMode 'gap': edits right after a gap, before repair, evaluate the gap first and still repair to a full recomputation", async () => {
  const ctx = await createKvContext(model, 4096, 1, 3);
  contexts.push(ctx);
  const ref = ctx.getSequence();
  // no layout and no exact recomputation: every edit not at the end is shifted, each cut is where the edit is
  const s = new KvSession(ctx.getSequence(), ctx.getSequence(), modelTokenizer(model), { strategy: 'hotpath', insertMode: 'gap', refreshTail: 0, repairChunk: 100 });
  const text = SOURCE + 'value = f38(items)\nprint(value)\n';
  await s.sync([{ text }]);
  const renamed = text.replace('def f38(', 'def compute_38(').replace('value = f38(', 'value = compute_38(');
  const r = await s.sync([{ text: renamed }]);
  assert.equal(r.evaluated, 0, 'both occurrences left as gaps');
  // typing at the very end: appended after the last cell (there is one: the gaps are inside)
  const typed = renamed + 'x';
  const t = await s.sync([{ text: typed }]);
  assert.ok(t.evaluated >= 1);
  // deleting the text from the middle of the second occurrence on (its new tokens are a gap, the old
  // digits after them kept their cells): the gap becomes the end of the cache
  const cut = typed.slice(0, typed.indexOf('value = compute_38') + 'value = compute_'.length);
  const c = await s.sync([{ text: cut }]);
  assert.ok(c.evaluated > 0, `the gap at the end evaluated (${c.evaluated})`);
  const before = await s.complete({ maxTokens: 4 });
  assert.ok(before.tokens.length > 0);
  assert.equal((await s.repair()).done, true);
  const tokens = s.tokens;
  await appendTokens(ref, tokens.slice(0, -1) as Token[]);
  const want = await logitsAfter(ref, tokens[tokens.length - 1] as Token);
  const got = await s.nextLogits();
  assert.ok(maxAbsDiff(got, want) <= 1e-3 * Math.max(1, maxAbs(want)), 'after repair: a full recomputation (kernel noise only: no layout)');
  await s.dispose();
});

// round 11: 'gap' with gapMax: a rename's small groups stay gaps, a paste (a group over gapMax) is
// decoded as the 'end' insertion decodes it (after insertContext copied tokens), so the pasted block is
// in the cache before repair. Before repair the session equals, bit for bit, the pure 'gap' session on
// a rename and the 'end' session on a paste; after repair, the full recomputation with the anchor.
test("insertMode 'gap' with gapMax: renames stay gaps, a paste is decoded as 'end' decodes it; repair ends at the full recomputation", async () => {
  const align = 64;
  const ctx = await createKvContext(model, 4096, 1, 7);
  contexts.push(ctx);
  const ref = ctx.getSequence();
  const options = { strategy: 'hotpath' as const, align, layout: 'anchored' as const, exactWithin: 0.25, repairChunk: 100, refreshTail: 64, insertContext: 4 };
  const hybrid = new KvSession(ctx.getSequence(), ctx.getSequence(), modelTokenizer(model), { ...options, insertMode: 'gap', gapMax: 8 });
  const gap = new KvSession(ctx.getSequence(), undefined, modelTokenizer(model), { ...options, insertMode: 'gap' });
  const end = new KvSession(ctx.getSequence(), undefined, modelTokenizer(model), { ...options, insertMode: 'end' });
  const all = [hybrid, gap, end];
  for (const s of all) await s.sync([{ text: SOURCE }]);
  // a rename far above the end: every inserted group is a few tokens
  const renamed = SOURCE.replace('def f3(', 'def g3(').replace('def f7(', 'def g7(');
  const r = await Promise.all(all.map((s) => s.sync([{ text: renamed }])));
  assert.ok(r[0].stale > 0 && r[0].edits >= 2, `shifted (${r[0].edits} edits, ${r[0].stale} stale)`);
  assert.equal(r[0].evaluated, r[1].evaluated, 'the rename: only the tail evaluated, as pure gap');
  assert.ok(r[2].evaluated > r[0].evaluated, `'end' decodes the occurrences (${r[2].evaluated} > ${r[0].evaluated})`);
  assert.deepEqual(await hybrid.nextLogits(), await gap.nextLogits(), 'the rename: the pure gap session bit for bit');
  for (const s of all) await s.repair();
  // a paste of several lines far above the end: one group well over gapMax tokens
  const block = 'def pasted(items):\n    out = []\n    for x in items:\n        out.append(x * 2)\n    return out\n\n';
  const at = renamed.indexOf('def f9(');
  const pasted = renamed.slice(0, at) + block + renamed.slice(at);
  const p = await Promise.all(all.map((s) => s.sync([{ text: pasted }])));
  assert.ok(p[0].stale > 0 && p[0].edits === 1, `a shifted paste (${p[0].edits} edits, ${p[0].stale} stale)`);
  assert.ok(p[0].evaluated > p[1].evaluated + 8, `the paste decoded (${p[0].evaluated}), not left as a gap (${p[1].evaluated})`);
  assert.equal(p[0].evaluated, p[2].evaluated, "the paste: what 'end' evaluates (the block, its 4 copied tokens, the tail)");
  assert.deepEqual(await hybrid.nextLogits(), await end.nextLogits(), "the paste: the 'end' session bit for bit");
  assert.notDeepEqual(await hybrid.nextLogits(), await gap.nextLogits(), 'the paste: not the gap session');
  assert.equal((await hybrid.repair()).done, true);
  const want = await fullInLayout(ref, hybrid.tokens, { kind: 'anchored', b: align, max: 512, oneThread: false, at: hybrid.status().anchor! }, 8);
  assert.deepEqual(await hybrid.nextLogits(), want.logits, 'after repair: the full recomputation with the anchor');
  assert.deepEqual((await hybrid.complete({ maxTokens: 8 })).tokens, want.greedy);
  for (const s of all) await s.dispose();
});

// kv-bench's shared opening (KvSession.openFrom): a session opened with a copy of another's cells
// holds what its own first sync would have computed, bit for bit, and goes on from there as if it had
// synced; a session that decodes in other batches (another layout, the default batches) is refused.
test('openFrom: a copy of an opening in the same batches is the session\'s own opening bit for bit; other batches are refused', async () => {
  const ctx = await createKvContext(model, 4096, 1, 5);
  contexts.push(ctx);
  const anchored = { strategy: 'hotpath' as const, align: 64, layout: 'anchored' as const, exactWithin: 0.25, refreshTail: 64, oneThread: false };
  const own = new KvSession(ctx.getSequence(), undefined, modelTokenizer(model), anchored);
  const copied = new KvSession(ctx.getSequence(), undefined, modelTokenizer(model), { ...anchored, insertMode: 'gap' });
  const prefix = new KvSession(ctx.getSequence(), undefined, modelTokenizer(model), { strategy: 'prefix', oneThread: false });
  const grid = new KvSession(ctx.getSequence(), undefined, modelTokenizer(model), { ...anchored, layout: 'grid' });
  const parts = [{ text: SOURCE }];
  assert.equal(await copied.openFrom(own, parts), false, 'the donor has not opened yet');
  await own.sync(parts);
  assert.equal(await prefix.openFrom(own, parts), false, 'the default batches: not the aligned cells');
  assert.equal(await grid.openFrom(own, parts), false, 'another layout: not its cells');
  assert.equal(await copied.openFrom(own, [{ text: SOURCE + '# more\n' }]), false, 'another prompt');
  assert.equal(copied.tokens.length, 0, 'a refusal leaves the session empty');
  assert.equal(await copied.openFrom(own, parts), true);
  assert.deepEqual(copied.status().anchor, own.status().anchor);
  assert.deepEqual(copied.tokens, own.tokens);
  assert.deepEqual(await copied.nextLogits(), await own.nextLogits(), 'the opening');
  await grid.sync(parts);
  assert.deepEqual(await copied.nextLogits(), await own.nextLogits(), 'the opening, after another session of the context decoded');
  // the same edit on both: the same cells (the gap session's rename leaves no inserted cell; an append does)
  const appended = [{ text: SOURCE + 'def g(x):\n    return x\n' }];
  const a = await own.sync(appended);
  const b = await copied.sync(appended);
  assert.equal(a.evaluated, b.evaluated);
  assert.deepEqual(await copied.nextLogits(), await own.nextLogits(), 'after an append');
  assert.equal(await copied.openFrom(own, parts), false, 'a session that holds a prompt');
  for (const s of [own, copied, prefix, grid]) await s.dispose();
});
