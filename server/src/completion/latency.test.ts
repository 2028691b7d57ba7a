import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdaptiveDebounce, sleep, TypeAhead } from './latency';

test('debounce waits longer for fast typists than the minimum and shrinks by the expected latency', () => {
  const d = new AdaptiveDebounce({ minMs: 50, maxMs: 1000, factor: 1.5 });
  assert.equal(d.delay(), 50, 'no history: minimum');
  for (let t = 0; t <= 1200; t += 120) d.keystroke(t);
  assert.equal(d.delay(), 180, '1.5 x the 120 ms gap');
  d.recordLatency(100);
  assert.equal(d.delay(), 80);
  d.recordLatency(1000);
  assert.equal(d.delay(), 50, 'never below the minimum');
  // a long pause is not a keystroke gap
  const e = new AdaptiveDebounce({ minMs: 50, maxMs: 1000 });
  e.keystroke(0);
  e.keystroke(5000);
  assert.equal(e.delay(), 50);
  // slow typing is clamped to the maximum
  const f = new AdaptiveDebounce({ minMs: 50, maxMs: 400, factor: 2 });
  for (let t = 0; t < 3000; t += 300) f.keystroke(t);
  assert.equal(f.delay(), 400);
});

test('sleep is cancellable', async () => {
  const ac = new AbortController();
  const p = sleep(10_000, ac.signal);
  ac.abort();
  await assert.rejects(p, /cancelled/);
  await sleep(1);
});

test('type-ahead: typing into a suggestion reuses its rest; a different context does not', () => {
  const ta = new TypeAhead();
  const doc = 'def f(xs):\n    return '; // cursor at end
  ta.remember('u', doc, doc.length, 'sum(xs)', 0);
  assert.equal(ta.lookup('u', doc + 'su', doc.length + 2, 10), 'm(xs)');
  assert.equal(ta.lookup('u', doc + 'sx', doc.length + 2, 10), undefined, 'typed something else');
  assert.equal(ta.lookup('v', doc + 'su', doc.length + 2, 10), undefined, 'another document');
  assert.equal(ta.lookup('u', 'x' + doc + 'su', doc.length + 3, 10), undefined, 'text before changed');
  assert.equal(ta.lookup('u', doc, doc.length, 10), 'sum(xs)', 'same place: cached');
  assert.equal(ta.lookup('u', doc, doc.length, 10 * 60_000), undefined, 'expired');
  ta.forget('u');
  assert.equal(ta.lookup('u', doc, doc.length, 10), undefined);
});
