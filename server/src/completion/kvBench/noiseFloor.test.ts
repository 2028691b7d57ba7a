// Far edits beside the noise floor (noiseFloor.ts): within the floor where the greedy agreement is at
// least the floor's at the same edit; the shortfall is how far below it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecisiveLine } from './decisive';
import { floorReport } from './noiseFloor';

const line = (episode: string, prefix: number, floor: number, a: Record<string, number>, noise = 0): DecisiveLine & { file: number; i: number } => ({
  file: 0,
  i: prefix,
  episode,
  tokens: 1000,
  fg: { prefix, hotpath: 100 },
  a: { prefix: [floor, 0.9, 0.002, 0], prefix_aligned: [1, 1, 0, 1], ...Object.fromEntries(Object.entries(a).map(([n, g]) => [n, [g, 0.95, 0.01, 0]])) },
  d: { noise, tf: [1], g: [1] },
});

test('floorReport: per far edit each strategy beside the floor; within where its greedy agreement is at least the floor\'s', () => {
  const r = floorReport([
    // the floor itself misses 0.95 here (0.625): a strategy at 0.625 is within it, one at 0.5 is not
    line('far-edit', 600, 0.625, { hotpath: 0.625, hotpath_gap: 0.5 }, 0.8),
    // the floor is the reference bit for bit (noise 0): within means all 16
    line('far-edit', 700, 1, { hotpath: 1, hotpath_gap: 0.0625 }),
    // not far edits: a typed key, and a far-edit request that changed 1% of the prompt
    line('typing', 5, 1, { hotpath: 0 }),
    line('far-edit', 10, 1, { hotpath: 0 }),
  ]);
  assert.equal(r.edits.length, 2);
  assert.deepEqual(r.edits.map((e) => [e.i, e.noise, e.floor.greedy]), [[600, 0.8, 0.625], [700, 0, 1]]);
  assert.equal(r.edits[0].strategies.hotpath.within, true);
  assert.equal(r.edits[0].strategies.hotpath_gap.within, false);
  assert.deepEqual(Object.keys(r.strategies).sort(), ['hotpath', 'hotpath_gap'], 'the floor and the references are not strategies');
  assert.deepEqual(r.strategies.hotpath, { edits: 2, within: 2, ge095: 1, floor_ge095: 1, shortfall: 0, worst: 0 });
  const g = r.strategies.hotpath_gap;
  assert.equal(g.within, 0);
  assert.equal(g.ge095, 0);
  assert.ok(Math.abs(g.shortfall - (0.125 + 0.9375) / 2) < 1e-12);
  assert.equal(g.worst, 0.9375);
  // named strategies only, and a run without the floor's row has no far edit to compare
  assert.deepEqual(Object.keys(floorReport([line('far-edit', 600, 1, { hotpath: 1, hotpath_gap: 1 })], ['hotpath']).strategies), ['hotpath']);
  assert.equal(floorReport([{ episode: 'far-edit', tokens: 1000, fg: { prefix: 900 }, a: { hotpath: [1, 1, 0, 0] } }]).edits.length, 0);
});
