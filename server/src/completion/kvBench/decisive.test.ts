// The decisive figures (decisive.ts): counting agreement only where the reference's choice is clear
// of the kernels' noise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decisiveFigures, decisiveReport, margin, maxLogitDifference, type DecisiveLine } from './decisive';

const f32 = (xs: number[]) => new Float32Array(xs);

test('margin: top-1 minus runner-up over finite logits; maxLogitDifference ignores -Infinity', () => {
  assert.ok(Math.abs(margin(f32([1, 3, 2.5, -Infinity])) - 0.5) < 1e-6);
  assert.equal(margin(f32([3, 3, 1])), 0);
  assert.equal(margin(f32([-Infinity, 2])), Infinity);
  assert.ok(Math.abs(maxLogitDifference([f32([1, -Infinity, 2])], [f32([1.25, -Infinity, 1.5])]) - 0.5) < 1e-6);
});

test('decisiveFigures: greedy counted up to the reference\'s first near tie, top-1 over positions with a clear margin', () => {
  const m = { tf: [1, 0.2, 1, 3], g: [2, 2, 0.1, 2] };
  // diverges at step 1, before the near tie at step 2: 1 of the 2 decisive steps
  const early = decisiveFigures([{ m, o: { cp: 1, n: 4, misses: [] }, tau: 0.5 }]);
  assert.equal(early.greedy, 0.5);
  assert.equal(early.greedy_ge095, 0);
  // diverges at step 3, after the near tie: the decisive steps all agree
  const late = decisiveFigures([{ m, o: { cp: 3, n: 4, misses: [1] }, tau: 0.5 }]);
  assert.equal(late.greedy, 1);
  assert.equal(late.greedy_ge095, 1);
  // the miss at position 1 (margin 0.2 <= tau) does not count; one at position 0 does
  assert.equal(late.top1, 1);
  assert.equal(late.positions, 3);
  assert.equal(decisiveFigures([{ m, o: { cp: 4, n: 4, misses: [0] }, tau: 0.5 }]).top1, 2 / 3);
  // a first step that is a near tie: undecided, left out of the greedy figure
  const tie = decisiveFigures([{ m: { tf: [1], g: [0.3, 5] }, o: { cp: 0, n: 2, misses: [] }, tau: 0.5 }]);
  assert.equal(tie.decided, 0);
  assert.equal(tie.greedy, null);
  // with tau 0 every step with a margin counts: the plain greedy figure (early divergence: 1 of 4)
  assert.equal(decisiveFigures([{ m, o: { cp: 1, n: 4, misses: [] }, tau: 0 }]).greedy, 0.25);
  // a greedy run cut by an end-of-generation token (n < the margins kept)
  assert.equal(decisiveFigures([{ m, o: { cp: 1, n: 1, misses: [] }, tau: 0.5 }]).greedy, 1);
});

test('decisiveReport: each request\'s tau from its noise floor, far edits are far-edit requests where prefix reuse recomputed >= 25%', () => {
  const line = (episode: string, prefix: number, noise: number, cp: number, misses: number[]): DecisiveLine => ({
    episode,
    tokens: 1000,
    fg: { prefix, hotpath: 100 },
    a: { prefix: [1, 1, 0.001, 0], hotpath: [cp / 4, 1 - misses.length / 4, 0.01, 0] },
    d: { noise, tf: [1, 1, 0.5, 2], g: [2, 2, 2, 2] },
    x: { prefix: [4, 4], hotpath: [cp, 4, ...misses] },
  });
  const r = decisiveReport([line('typing', 5, 0.1, 4, []), line('far-edit', 600, 0.3, 1, [2]), line('far-edit', 10, 0, 4, [])])!;
  assert.equal(r.noise, 0.3);
  assert.equal(r.noisy_requests, 2);
  assert.ok(Math.abs(r.tau - 0.6) < 1e-12);
  assert.equal(r.all.hotpath.requests, 3);
  assert.equal(r.far.requests, 1, 'a far-edit request that changed 1% of the prompt is not a far edit');
  const h = r.far.strategies.hotpath;
  assert.equal(h.greedy, 0.25);
  assert.equal(h.greedy_ge095, 0);
  assert.equal(h.evaluated_tokens, 100);
  assert.equal(h.decisive.greedy, 0.25, 'every greedy step of this reference is decisive');
  assert.equal(h.decisive.top1, 1, 'the miss sits at a near tie (margin 0.5 <= tau)');
  assert.equal(h.decisive.positions, 3);
  assert.equal(r.far.strategies.prefix.decisive.greedy, 1);
  // where the floor showed no noise, every position with a margin counts (tau 0 at that request)
  assert.equal(r.all.hotpath.positions, 4 + 3 + 4, 'positions: 4 at tau 0.2, 3 at tau 0.6, 4 at tau 0');
  assert.equal(decisiveReport([{ episode: 'typing', tokens: 1, fg: {}, a: {} }]), undefined);
});

// round 10: the far-edit target "foreground + repair <= prefix reuse" per far edit, from the repair each
// request's pause ran (trace lines' bg); only edits repaired right after them count (a later repair
// also covers later edits).
test('decisiveReport: far edits\' foreground plus the repair right after them, over prefix reuse', () => {
  const line = (prefix: number, fg: Record<string, number>, repairs: boolean, bg?: Record<string, number>): DecisiveLine => ({
    episode: 'far-edit',
    tokens: 1000,
    fg: { prefix, ...fg },
    a: { hotpath: [1, 1, 0, 0], hotpath_gap_tail0: [1, 1, 0, 0], hotpath_repaired: [1, 1, 0, 1] },
    d: { noise: 0, tf: [1], g: [1] },
    x: { hotpath: [1, 1], hotpath_gap_tail0: [1, 1], hotpath_repaired: [1, 1] },
    repairs,
    ...(bg ? { bg } : {}),
  });
  const r = decisiveReport([
    line(600, { hotpath: 300, hotpath_gap_tail0: 0 }, true, { hotpath: 600, hotpath_gap_tail0: 600 }),
    line(400, { hotpath: 280, hotpath_gap_tail0: 0 }, true, { hotpath: 400, hotpath_gap_tail0: 400 }),
    // not repaired in its pause: left out (its stale cells are repaired with a later request's)
    line(500, { hotpath: 290, hotpath_gap_tail0: 0 }, false),
  ])!;
  const h = r.far.strategies.hotpath;
  assert.equal(h.repaired_requests, 2);
  assert.equal(h.background_tokens, 500);
  assert.equal(h.total_vs_prefix, (300 + 600 + 280 + 400) / 1000);
  assert.equal(r.far.strategies.hotpath_gap_tail0.total_vs_prefix, 1, 'no foreground: the repair is prefix reuse\'s work');
  assert.equal(r.far.strategies.hotpath_repaired.total_vs_prefix, h.total_vs_prefix, 'the repaired row is the same session');
  // runs before round 10 recorded no bg
  const old = decisiveReport([{ ...line(600, { hotpath: 300 }, true), bg: undefined }])!;
  assert.equal(old.far.strategies.hotpath.total_vs_prefix, null);
  assert.equal(old.far.strategies.hotpath.repaired_requests, 0);
});
