// growthVerdict.ts: how one benchmark reads (moved from verify.test.ts with the code; behaviour unchanged).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BenchmarkResult } from '../execution';
import { topSlope, verificationOf, wallLimitOf } from './growthVerdict';

describe('check --verify: the decision', () => {
  it('the slope at the top of the sweep sees a cost that starts late', () => {
    // Linear up to 8192, then V8's large-object copy on every shift().
    const pts = [1024, 2048, 4096, 8192, 16384].map((n) => ({ n, median: n < 16384 ? n * 1e-8 : 9e-3 }));
    const top = topSlope(pts)!;
    assert.deepEqual([top.from, top.to], [8192, 16384]);
    assert.ok(top.slope > 3, String(top.slope));
    assert.ok(Math.abs(topSlope([1, 2, 4, 8].map((n) => ({ n, median: n })))!.slope - 1) < 1e-9);
  });

  it('one slowed median at half the top size does not decide alone (two CI runs: a quadratic read n^1.2, a linear scan "no growth")', () => {
    const result = (complexity: string, exponent: number, pts: [number, number][]) =>
      ({ complexity, fit: { models: [{}], exponent, notes: [] }, points: pts.map(([n, median]) => ({ n, median, censored: false })), inputs: { kind: 'types', params: [{ name: 'items', type: 'list[int]' }] } }) as unknown as BenchmarkResult;
    // dedupe in CI: 1621 → 3242 → 6484, quadratic, with the 3242 point slowed 1.85×.
    const quadratic = verificationOf('dedupe', result('O(n^2)', 2, [[405, 0.73e-3], [810, 2.9e-3], [1621, 11.6e-3], [3242, 1.85 * 46.4e-3], [6484, 185.6e-3]]));
    assert.equal(quadratic.status, 'confirmed');
    assert.deepEqual(quadratic.status === 'confirmed' && [quadratic.from, quadratic.maxN, Number(quadratic.slope.toFixed(1))], [1621, 6484, 2]);
    // The same slowed point under a linear time: linear growth (refuted), not "no growth", named by the wide pair.
    const linear = verificationOf('scan', result('O(n)', 1, [[4096, 1e-3], [8192, 2e-3], [16384, 4e-3 * 3], [32768, 8e-3]]));
    assert.equal(linear.status, 'refuted');
    assert.deepEqual(linear.status === 'refuted' && [linear.from, linear.maxN, Number(linear.slope.toFixed(1))], [8192, 32768, 1]);
    // A slowed point does not make a linear time superlinear, whichever pair reads it.
    assert.equal(verificationOf('scan', result('O(n)', 1.05, [[4096, 1e-3], [8192, 2e-3 * 2], [16384, 4e-3], [32768, 8e-3]])).status, 'refuted');
    // A slowed top under a linear fit (blacklist alone, under load: n^1.7 at the top) reads as the wide pair, so the split is not refused as "steep at the top".
    const slowTop = verificationOf('scrub', result('O(n)', 1, [[4096, 1e-3], [8192, 2e-3], [16384, 4e-3], [32768, 8e-3 * 1.6]]));
    assert.deepEqual(slowTop.status === 'refuted' && [slowTop.from, slowTop.maxN, Number(slowTop.slope.toFixed(1))], [8192, 32768, 1.3]);
    // The middle point slowed 3× under a quadratic: the pairs disagree (n^0.4 at the top, n^2.0 wide): no verdict, not "refuted" (review 11 S1).
    const split = verificationOf('dedupe', result('O(n^2)', 2, [[810, 2.9e-3], [1621, 11.6e-3], [3242, 3 * 46.4e-3], [6484, 185.6e-3]]));
    assert.equal(split.status, 'unmeasured');
    assert.match(split.status === 'unmeasured' ? split.why : '', /grew as n\^0\.4 from n=3242 to 6484 but as n\^2\.0 from n=1621 .*one slowed size, no verdict$/);
    // Without the fit's agreement a steep wide pair confirms nothing.
    assert.equal(verificationOf('scan', result('O(n)', 1.1, [[1024, 1e-3], [2048, 2e-3], [4096, 8e-3], [8192, 12e-3]])).status, 'refuted');
  });
});

describe('check --verify: limits that stop a sweep are named (review 6, V3)', () => {
  const stopped = (points: [number, boolean][], notes: string[], stoppedBy: string) =>
    ({ complexity: 'O(1)', fit: { models: [], exponent: 0, notes }, points: points.map(([n, censored]) => ({ n, median: 0.025, censored })), stoppedBy, inputs: { kind: 'types', params: [] } }) as unknown as BenchmarkResult;

  it('tells a sweep stopped by a wall-clock limit from one stopped by its own budget (review 14 S4)', () => {
    assert.equal(wallLimitOf(stopped([[1, false]], [], 'budget')), undefined);
    assert.equal(wallLimitOf(stopped([[1, false]], [], 'wallCap')), "the sweep's wall-time cap stopped it");
    const waited = 'stopped at n=64: counting one call (its input made under callgrind too) took more than 160 s of wall time (where a sweep stops then depends on the machine)';
    assert.equal(wallLimitOf(stopped([[1, false]], [waited], 'error')), waited);
    assert.equal(wallLimitOf(stopped([[1, false]], ['stopped at n=4: hog ran out of its memory limit (512 MB)'], 'error')), undefined);
  });

  it('says the per-call time limit, an error at a later size, or the sweep budget', () => {
    const spin = verificationOf('spin', stopped([[1, true]], ['n=1 ran past the per-call limit of 1000 ms (right-censored)'], 'perCallLimit'));
    assert.deepEqual(spin, { status: 'unmeasured', why: 'the benchmark of `spin` measured 0 sizes, too few to fit a class: n=1 ran past the per-call limit of 1000 ms (right-censored)' });
    const hog = verificationOf('hog', stopped([[1, false], [2, false]], ['stopped at n=4: hog ran out of its memory limit (512 MB)'], 'error'));
    assert.match(hog.status === 'unmeasured' ? hog.why : '', /measured 2 sizes, too few to fit a class: stopped at n=4: hog ran out of its memory limit/);
    const slow = verificationOf('hog', stopped([[1, false]], [], 'budget'));
    assert.match(slow.status === 'unmeasured' ? slow.why : '', /measured 1 size, too few to fit a class: the sweep budget of one function \(--verify-function-ms\) ran out at n=1, 25\.0 ms a call$/);
  });
});
