// The aligned layout's arithmetic: which batches a prompt is decoded in, and where a cache is cut
// back so that every kept cell was decoded in the batch the new prompt's layout puts it in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignDown, alignedBatches, alignedCut } from './layout';

/** The layout of a whole prompt: its batches as [start, end) pairs. */
const layout = (length: number, b: number) => alignedBatches(0, length, length, b).map((x) => `${x.start}-${x.end}`);

test('alignedBatches: batches of b up to the last token, the last token alone', () => {
  assert.deepEqual(layout(10, 4), ['0-4', '4-8', '8-9', '9-10']);
  assert.deepEqual(layout(9, 4), ['0-4', '4-8', '8-9']);
  assert.deepEqual(layout(8, 4), ['0-4', '4-7', '7-8']);
  assert.deepEqual(layout(1, 4), ['0-1']);
  assert.deepEqual(layout(0, 4), []);
  assert.deepEqual(alignedBatches(4, 10, 10, 4).map((x) => `${x.start}-${x.end}`), ['4-8', '8-9', '9-10']);
  assert.deepEqual(alignedBatches(4, 8, 10, 4).map((x) => `${x.start}-${x.end}`), ['4-8'], 'a run of whole batches');
  assert.deepEqual(alignedBatches(9, 10, 10, 4).map((x) => `${x.start}-${x.end}`), ['9-10'], 'the last token alone');
});

test('alignedBatches refuses a run that is not made of the layout\'s batches', () => {
  assert.throws(() => alignedBatches(3, 10, 10, 4), /not a run of batches/);
  assert.throws(() => alignedBatches(0, 6, 10, 4), /not a run of batches/);
  assert.throws(() => alignedBatches(4, 11, 10, 4), /not a run of batches/);
});

test('every run from a batch start decodes exactly the layout\'s batches of the whole prompt', () => {
  for (const b of [1, 2, 3, 4, 64]) {
    for (let n = 1; n <= 40; n++) {
      const whole = layout(n, b);
      for (const start of [...Array(n).keys()].filter((x) => x % b === 0 || x === n - 1)) {
        const tail = alignedBatches(start, n, n, b).map((x) => `${x.start}-${x.end}`);
        assert.deepEqual(tail, whole.filter((x) => Number(x.split('-')[0]) >= start), `b ${b} n ${n} from ${start}`);
      }
    }
  }
});

test('alignDown', () => {
  assert.equal(alignDown(0, 64), 0);
  assert.equal(alignDown(63, 64), 0);
  assert.equal(alignDown(64, 64), 64);
  assert.equal(alignDown(130, 64), 128);
  assert.equal(alignDown(-1, 64), 0);
});

test('alignedCut: the boundary at or below the first change and below both prompts\' last partial batches', () => {
  // an edit at 70 in a 200-token prompt: back to 64
  assert.equal(alignedCut(70, 200, 205, 64), 64);
  // typing at the end: the old prompt's last partial batch [192, 199) is decoded again
  assert.equal(alignedCut(200, 200, 203, 64), 192);
  // the old last token (alone) at 128, the new prompt longer: 128 is a batch start of both
  assert.equal(alignedCut(129, 129, 131, 64), 128);
  // a shorter prompt: the new last partial batch starts lower
  assert.equal(alignedCut(150, 300, 150, 64), 128);
  // nothing changed: everything is kept
  assert.equal(alignedCut(200, 200, 200, 64), 200);
  assert.equal(alignedCut(0, 0, 10, 64), 0);
  // never more than b tokens beyond what prefix reuse recomputes (b when the old prompt ended on a boundary)
  for (let old = 1; old < 300; old += 7) {
    for (let next = 1; next < 300; next += 11) {
      for (const common of [0, Math.min(old, next) >> 1, Math.min(old, next) - 1, Math.min(old, next)]) {
        if (common === old && old === next) continue;
        const cut = alignedCut(common, old, next, 64);
        assert.ok(cut <= common && common - cut <= 64 && cut % 64 === 0, `${common} ${old} ${next}: ${cut}`);
      }
    }
  }
  assert.equal(alignedCut(128, 128, 131, 64), 64, 'the old batch [64, 127) is not the new [64, 128)');
});

// The property the session relies on: every cell kept by the cut was decoded (in the old prompt's
// layout) in a batch that the new prompt's layout also has, over tokens the two prompts share.
test('alignedCut keeps only batches both layouts share, within the common prefix (exhaustive on small prompts)', () => {
  for (const b of [1, 2, 3, 4]) {
    for (let old = 0; old <= 14; old++) {
      for (let next = 1; next <= 14; next++) {
        for (let common = 0; common <= Math.min(old, next); common++) {
          if (common === old && old === next) continue; // unchanged: nothing is cut
          const cut = alignedCut(common, old, next, b);
          assert.ok(cut <= common, 'within the common prefix');
          const oldBatches = layout(old, b);
          const newBatches = layout(next, b);
          for (const x of newBatches.filter((x) => Number(x.split('-')[1]) <= cut)) assert.ok(oldBatches.includes(x), `b ${b} old ${old} next ${next} common ${common}: batch ${x} kept but not decoded so`);
          assert.ok(newBatches.some((x) => Number(x.split('-')[0]) === cut), `b ${b} old ${old} next ${next} common ${common}: cut ${cut} is a batch start of the new layout`);
          assert.ok(common - cut <= b, 'at most one batch more than prefix reuse');
        }
      }
    }
  }
});
