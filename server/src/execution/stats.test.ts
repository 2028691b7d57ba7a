import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ratioCi, shrinkingTimes, topSizesRatio } from './stats';

/** Samples around a median with ±2% spread. */
const around = (m: number) => [0.98, 0.99, 1, 1.01, 1.02].map((f) => m * f);

test('the headline speedup is the median over the largest sizes, not the one size whose timing went backwards (issue 17)', () => {
  // The compare: per-size speedups 66×, 42×, 18×, 55×, 523×; the fast version took 1.536 ms
  // at n=3322, 1.154 ms at 4977 and 0.460 ms at 9811 (its timing went backwards at the top).
  const fast = [0.2e-3, 0.9e-3, 1.536e-3, 1.154e-3, 0.46e-3];
  const speedups = [66, 42, 18, 55, 523];
  const ns = [1000, 2000, 3322, 4977, 9811];
  const sizes = ns.map((n, i) => ({ n, a: around(fast[i] * speedups[i]), b: around(fast[i]) }));
  const r = topSizesRatio(sizes, 1);
  assert.deepEqual(r.sizes, [3322, 4977, 9811]);
  assert.ok(Math.abs(r.ratio - 55) < 0.5, String(r.ratio));
  assert.ok(r.ciLow <= r.ratio && r.ratio <= r.ciHigh);
  assert.ok(r.ciHigh < 523, `the CI [${r.ciLow}, ${r.ciHigh}] must not reach the outlier`);
  // The fall at the top is reported.
  const points = ns.map((n, i) => ({ n, median: fast[i], ciLow: fast[i] * 0.98, ciHigh: fast[i] * 1.02, censored: false }));
  assert.deepEqual(shrinkingTimes(points).map((w) => [w.from, w.to]), [[4977, 9811]]);
});

test('few sizes: all of them count; a single size gives its own ratio and CI', () => {
  const one = topSizesRatio([{ n: 10, a: around(2), b: around(1) }]);
  assert.ok(Math.abs(one.ratio - 2) < 1e-9);
  assert.ok(one.ciLow < 2 && one.ciHigh > 2);
  // Twelve sizes: the largest four (a third).
  const many = topSizesRatio(Array.from({ length: 12 }, (_, i) => ({ n: 2 ** i, a: around(i + 1), b: around(1) })));
  assert.deepEqual(many.sizes, [256, 512, 1024, 2048]);
  // A flat or growing series is not shrinking.
  assert.deepEqual(shrinkingTimes([1, 2, 4].map((n) => ({ n, median: n, ciLow: n * 0.9, ciHigh: n * 1.1, censored: false }))), []);
});

test('ratioCi: the ratio of medians with a seeded percentile-bootstrap interval around it; one sample gives no interval', () => {
  const r = ratioCi(around(3), around(1), 7);
  assert.ok(Math.abs(r.ratio - 3) < 1e-9, String(r.ratio));
  assert.ok(r.ciLow < 3 && r.ciHigh > 3 && r.ciLow > 2.8 && r.ciHigh < 3.2, `[${r.ciLow}, ${r.ciHigh}]`);
  assert.deepEqual(ratioCi(around(3), around(1), 7), r, 'seeded: the same interval twice');
  assert.deepEqual(ratioCi([6], around(2)), { ratio: 3, ciLow: 3, ciHigh: 3 });
});
