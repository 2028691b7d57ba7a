import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reconcile } from './integrity';
import type { BenchmarkResult, ComplexityClass } from './types';

function result(complexity: ComplexityClass, notes: string[] = []): BenchmarkResult {
  const point = { n: 4096, censored: false, median: 1e-3, mad: 0, mean: 1e-3, stddev: 0, min: 1e-3, max: 1e-3, ciLow: 1e-3, ciHigh: 1e-3, rme: 0, samples: 5, outliers: 0, batch: 1 };
  return { complexity, points: [point], fit: { notes } } as unknown as BenchmarkResult;
}

test('the static estimate is reconciled with the measured class: agreement, a term not yet visible, a lower bound, a missed cost', () => {
  assert.equal(reconcile(result('O(n^2)'), { degree: 2, lowerBound: false, display: 'O(n²)' })!.agrees, true);
  assert.equal(reconcile(result('O(n log n)'), { degree: 1, lowerBound: false, display: 'O(n)' })!.agrees, true);
  // The pop(0) queue: the lens says O(n²), the fit O(n log n) with the largest sizes rising.
  const queue = reconcile(result('O(n log n)', ['the largest sizes grow faster than the O(n log n) fit (…)']), { degree: 2, lowerBound: false, display: 'O(n²)' })!;
  assert.equal(queue.agrees, false);
  assert.match(queue.explanation, /larger term of the static estimate O\(n²\) does not show up to n=4096 although the largest sizes already grow faster/);
  assert.match(reconcile(result('O(n^2)'), { degree: 1, lowerBound: true, display: '≥ O(n)' })!.explanation, /only a lower bound/);
  assert.match(reconcile(result('O(n^2)'), { degree: 1, lowerBound: false, display: 'O(n)' })!.explanation, /misses a cost/);
  assert.equal(reconcile(result('O(n)'), undefined), undefined);
});
