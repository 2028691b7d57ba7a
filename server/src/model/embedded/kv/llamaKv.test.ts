// The node-llama-cpp internals behind the edit-aware KV cache, checked against the public API and
// full recomputation on the generated test model.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import { ensureTestModel } from '../../testModel';
import { appendTokens, copyPrefix, eraseRanges, fillTrailingGap, generateGreedy, ggmlTypeName, insertAdjacent, insertGaps, insertGroups, insertGroupsOrGaps, logitsAfter, supportsEditAwareReuse } from './llamaKv';
import { createKvContext, loadLlama, loadModel, modelTokenizer } from './llamaTesting';

let model: LlamaModel;
let ctx: LlamaContext;
before(async () => {
  model = await loadModel(await ensureTestModel());
  ctx = await createKvContext(model, 2048, 1, 3);
});
after(async () => {
  await ctx?.dispose();
  await model?.dispose();
});

const text = Array.from({ length: 12 }, (_, i) => `for x${i} in range(${i}):\n    print(x${i} * 2)\n`).join('');

/** Each case's set-up: the model's tokenizer, the text's tokens and `n` fresh sequences of the shared
 *  context, disposed after `body` whatever it throws. */
async function withSequences(n: number, body: (f: { tok: ReturnType<typeof modelTokenizer>; base: Token[]; seqs: LlamaContextSequence[] }) => Promise<void>): Promise<void> {
  const tok = modelTokenizer(model);
  const base = tok.tokenize(text) as Token[];
  const seqs = Array.from({ length: n }, () => ctx.getSequence());
  try {
    await body({ tok, base, seqs });
  } finally {
    for (const s of seqs) s.dispose();
  }
}

/** Equal within floating-point tolerance: batch composition changes the last bits (f16 KV cells). */
function close(a: Float64Array, b: Float64Array, relTol = 1e-3): boolean {
  if (a.length !== b.length) return false;
  let m = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return m <= relTol * scale;
}

test('inserting groups and erasing them again restores the cache exactly (cells are placed where the token list says)', () =>
  withSequences(1, async ({ tok, base, seqs: [seq] }) => {
    assert.equal(supportsEditAwareReuse(seq), true);
    await appendTokens(seq, base);
    const last = base[base.length - 1];
    await eraseRanges(seq, [{ start: base.length - 1, end: base.length }]);
    const before = await logitsAfter(seq, last);
    // logitsAfter leaves the sequence without `last`
    const g1 = tok.tokenize(' alpha beta') as Token[];
    const g2 = tok.tokenize(' gamma') as Token[];
    const g3 = tok.tokenize(' delta epsilon zeta') as Token[];
    const n = seq.nextTokenIndex;
    await insertGroups(seq, [
      { at: 0, tokens: g1 },
      { at: 40, tokens: g2 },
      { at: 40, tokens: g3 },
    ]);
    const expected = [...g1, ...base.slice(0, 40), ...g2, ...g3, ...base.slice(40, n)];
    assert.deepEqual(seq.contextTokens, expected);
    assert.equal(seq.nextTokenIndex, expected.length);
    // erase exactly where the groups should be
    await eraseRanges(seq, [
      { start: 0, end: g1.length },
      { start: g1.length + 40, end: g1.length + 40 + g2.length + g3.length },
    ]);
    assert.deepEqual(seq.contextTokens, base.slice(0, n));
    const after = await logitsAfter(seq, last);
    assert.ok(close(before, after, 1e-6), 'the shifted cells are back at their positions with their original keys');
  }));

test('adjacent insertion places the tokens where the token list says (erasing them restores the cache up to rounding)', () =>
  withSequences(1, async ({ tok, base, seqs: [seq] }) => {
    await appendTokens(seq, base.slice(0, 150));
    const last = base[150];
    const before = await logitsAfter(seq, last);
    const x = tok.tokenize(' inserted words here') as Token[];
    await insertAdjacent(seq, 60, x);
    assert.deepEqual(seq.contextTokens, [...base.slice(0, 60), ...x, ...base.slice(60, 150)]);
    const inserted = await logitsAfter(seq, last);
    assert.ok(!close(before, inserted, 1e-6), 'the insertion changed the output');
    await eraseRanges(seq, [{ start: 60, end: 60 + x.length }]);
    assert.deepEqual(seq.contextTokens, base.slice(0, 150));
    // the cells before the insertion point were rotated forth and back (f16 rounding), the others shifted and back
    assert.ok(close(before, await logitsAfter(seq, last)));
  }));

test('insertion with context: each group decoded after a copy of the tokens before it, the copies erased', () =>
  withSequences(2, async ({ tok, base, seqs: [a, b] }) => {
    const g = tok.tokenize(' inserted words') as Token[];
    await appendTokens(a, base.slice(0, 120));
    assert.equal(await insertGroups(a, [{ at: 120, tokens: g }], 512, 5), 5 + g.length, 'evaluated: the copies and the group');
    assert.deepEqual(a.contextTokens, [...base.slice(0, 120), ...g]);
    // the same by hand: the copy of the 5 tokens before the point decoded before the group, then erased
    await appendTokens(b, base.slice(0, 120));
    await appendTokens(b, [...base.slice(115, 120), ...g]);
    await eraseRanges(b, [{ start: 120, end: 125 }]);
    assert.deepEqual(b.contextTokens, a.contextTokens);
    assert.ok(close(await logitsAfter(a, base[120]), await logitsAfter(b, base[120]), 1e-6));
  }));

test('an insertion at the end is an ordinary evaluation: exact', () =>
  withSequences(2, async ({ tok, base, seqs: [a, b] }) => {
    const tail = base.slice(100, 110);
    await appendTokens(a, base.slice(0, 100));
    await insertGroups(a, [{ at: 100, tokens: tail }]);
    await appendTokens(b, base.slice(0, 110));
    assert.deepEqual(a.contextTokens, b.contextTokens);
    assert.ok(close(await logitsAfter(a, base[110]), await logitsAfter(b, base[110])));
  }));

test('copyPrefix copies a sequence cut to a prefix; generateGreedy leaves the prompt cached', () =>
  withSequences(2, async ({ tok, base, seqs: [a, b] }) => {
    await appendTokens(a, base);
    await copyPrefix(b, a, 80);
    assert.deepEqual(b.contextTokens, base.slice(0, 80));
    await appendTokens(b, base.slice(80, 120));
    await eraseRanges(a, [{ start: 120, end: base.length }]);
    assert.ok(close(await logitsAfter(a, base[120]), await logitsAfter(b, base[120])));
    const g1 = await generateGreedy(a, base[120], 6);
    assert.equal(g1.length, 6);
    assert.deepEqual(a.contextTokens, base.slice(0, 121), 'the prompt and its last token stay cached, generated cells go');
    await eraseRanges(a, [{ start: 120, end: 121 }]);
    const g2 = await generateGreedy(a, base[120], 6);
    assert.deepEqual(g2, g1);
  }));

// review 8 K3: the lone-token decision reads weight types through a hand copy of ggml's enum
test("GGML type names: the copy agrees with node-llama-cpp's GgmlType wherever it names a type", async () => {
  const { lib } = await loadLlama();
  const enumNames = lib.GgmlType as unknown as Record<number, string | undefined>;
  assert.equal(ggmlTypeName(3), 'Q4_1', "SmolLM2's block weights");
  let named = 0;
  for (let t = 0; t < 64; t++) {
    const ours = ggmlTypeName(t);
    if (ours === `type ${t}`) continue;
    named++;
    assert.equal(ours, enumNames[t], `type ${t}`);
  }
  assert.ok(named >= 31, `${named} types named`);
  assert.equal(ggmlTypeName(1000), 'type 1000');
});

// insertMode 'gap' (round 10): inserted tokens get positions but no cells; later cells shifted as
// insertGroups shifts them. A gap uncovered by a cut is evaluated before anything follows it.
test('insertGaps evaluates nothing and shifts the later cells; fillTrailingGap evaluates a gap a cut left at the end, exactly', () =>
  withSequences(2, async ({ tok, base, seqs: [seq, ref] }) => {
    const n = base.length;
    await appendTokens(seq, base);
    const g = tok.tokenize(' alpha beta') as Token[];
    const at = n - 1;
    const maxPos = () => (seq as unknown as { _context: { _ctx: { getSequenceKvCacheMaxPosition(id: number): number } }; _sequenceId: number })._context._ctx.getSequenceKvCacheMaxPosition((seq as unknown as { _sequenceId: number })._sequenceId);
    assert.equal(await insertGaps(seq, [{ at, tokens: g }]), 0, 'nothing evaluated');
    const expected = [...base.slice(0, at), ...g, ...base.slice(at)];
    assert.deepEqual(seq.contextTokens, expected);
    assert.equal(seq.nextTokenIndex, n + g.length);
    assert.equal(maxPos(), n + g.length - 1, 'the last cell shifted right by the gap');
    assert.equal(await fillTrailingGap(seq), 0, 'the last token has its cell: nothing to fill');
    // cut the last token off: the gap is now the end of the cache, and must be evaluated before it
    await eraseRanges(seq, [{ start: n + g.length - 1, end: n + g.length }]);
    assert.equal(maxPos(), at - 1, 'the gap has no cells');
    assert.equal(await fillTrailingGap(seq), g.length, 'the gap evaluated');
    const got = await logitsAfter(seq, base[n - 1]);
    // the same batches on a fresh sequence: the cells before the gap, then the gap's tokens, then the last token
    await appendTokens(ref, base.slice(0, at));
    await appendTokens(ref, g);
    assert.deepEqual(got, await logitsAfter(ref, base[n - 1]), 'bit for bit the recomputation: the gap was filled after exact cells');
    // a group at the very end cannot be a gap: it is appended
    await appendTokens(seq, [base[n - 1]]);
    const m = seq.nextTokenIndex;
    assert.equal(await insertGaps(seq, [{ at: m, tokens: g }]), g.length);
    assert.equal(maxPos(), m + g.length - 1);
  }));

// round 11: groups of at most gapMax tokens left as gaps, larger ones decoded (after their copies);
// the tokens end in the order of the groups whatever their kind, a gap's insertion point moved by the
// decoded groups before it.
test('insertGroupsOrGaps: small groups are gaps, large ones decoded in place; tokens in order, a gap filled later equals the recomputation', () =>
  withSequences(2, async ({ tok, base, seqs: [seq, ref] }) => {
    const n = base.length;
    await appendTokens(seq, base);
    const small = tok.tokenize(' ab') as Token[];
    const large = tok.tokenize(' alpha beta gamma delta epsilon zeta eta theta') as Token[];
    assert.ok(small.length <= 3 && large.length > 3);
    const at1 = 5;
    const at2 = n - 3;
    // a large group and a small one at the same point (the large first), and a small one later
    const groups = [{ at: at1, tokens: large }, { at: at1, tokens: small }, { at: at2, tokens: small }];
    assert.equal(await insertGroupsOrGaps(seq, groups, 512, 2, 3), large.length + 2, 'the large group and its 2 copied tokens evaluated, nothing for the gaps');
    const expected = [...base.slice(0, at1), ...large, ...small, ...base.slice(at1, at2), ...small, ...base.slice(at2)];
    assert.deepEqual(seq.contextTokens, expected);
    assert.equal(seq.nextTokenIndex, expected.length);
    // the gaps have no cells: cut everything from the second gap on, the cache ends in it; fill it
    const m = expected.length;
    const secondGap = at2 + large.length + small.length;
    await eraseRanges(seq, [{ start: secondGap + small.length, end: m }]);
    assert.equal(await fillTrailingGap(seq), small.length, 'only the second gap is the trailing one');
    assert.equal(seq.nextTokenIndex, secondGap + small.length);
    // with no gap limit, every group inside is a gap: nothing evaluated
    await seq.clearHistory();
    await appendTokens(seq, base);
    assert.equal(await insertGroupsOrGaps(seq, groups), 0);
    assert.deepEqual(seq.contextTokens, expected);
    // with a limit below every group, all decoded as insertGroups decodes them, bit for bit
    await seq.clearHistory();
    await appendTokens(seq, base);
    assert.equal(await insertGroupsOrGaps(seq, groups, 512, 2, 0), large.length + 2 * small.length + 3 * 2);
    await appendTokens(ref, base);
    await insertGroups(ref, groups, 512, 2);
    const last = expected[m - 1];
    await eraseRanges(seq, [{ start: m - 1, end: m }]);
    await eraseRanges(ref, [{ start: m - 1, end: m }]);
    assert.deepEqual(await logitsAfter(seq, last), await logitsAfter(ref, last));
  }));
