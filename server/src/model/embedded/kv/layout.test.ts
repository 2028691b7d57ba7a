// The aligned layout's arithmetic: which batches a prompt is decoded in, and where a cache is cut
// back so that every kept cell was decoded in the batch the new prompt's layout puts it in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignDown, alignedBatches, alignedCut, anchorAfter, batchClass, chunkEnd, layoutBatches, layoutCut, restartAt, tokenClass, type Layout, type LayoutKind } from './layout';

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

// A model of llama.cpp's CPU attention (layout.ts): a token's cell is a function of the cells before
// it, its token and its batch's class (>= b tokens tiled, 2..b-1 vec, 1 alone, or vec with one thread).
function decode(cells: string[], tokens: readonly number[], batches: { start: number; end: number }[], l: Layout): string[] {
  const out = cells.slice();
  for (const x of batches) {
    assert.equal(x.start, out.length, 'batches are decoded in order at the end of the sequence');
    assert.ok(x.end - x.start <= Math.max(l.max, l.kind === 'grid' ? l.b : 0), 'no batch beyond the largest');
    for (let t = x.start; t < x.end; t++) out.push(`${out[t - 1] ?? ''}|${tokens[t]}${batchClass(x.end - x.start, l)[0]}`);
  }
  return out;
}

for (const kind of ['grid', 'tail', 'vec'] as LayoutKind[]) {
  for (const oneThread of [false, true]) {
    test(`${kind} layout${oneThread ? ', one thread' : ''}: a cache cut by layoutCut and completed in the layout equals a full recomputation in it, cell for cell (exhaustive on small prompts)`, () => {
      for (const [b, max] of [[4, 8], [4, 7], [5, 9], [64, 512]]) {
        const l: Layout = { kind, b, max, oneThread };
        const lengths = b === 64 ? [1, 2, 3, 63, 64, 65, 66, 127, 128, 129, 130, 200] : [...Array(16).keys()];
        for (const old of lengths) {
          for (const next of lengths.filter((x) => x > 0)) {
            const commons = b === 64 ? [0, 1, 2, 63, 64, 65, 100, 126, 127, 128, 129, 199, 200] : [...Array(16).keys()];
            for (const common of commons.filter((c) => c <= Math.min(old, next))) {
              const oldTokens = [...Array(old).keys()];
              const newTokens = [...Array(next).keys()].map((t) => (t < common ? t : 1000 + t));
              const full = decode([], newTokens, layoutBatches(l, 0, next, next), l);
              if (kind !== 'grid') full.forEach((c, t) => assert.equal(c.slice(-1), tokenClass(l, t, next)[0], `class of ${t} in ${next}`));
              const cached = decode([], oldTokens, layoutBatches(l, 0, old, old), l);
              const cut = layoutCut(l, common, old, next);
              assert.ok(cut <= common, `${kind} b ${b}: cut ${cut} within the common prefix ${common}`);
              const reused = decode(cached.slice(0, cut), newTokens, layoutBatches(l, cut, next, next), l);
              assert.deepEqual(reused, full, `${kind} b ${b} max ${max} old ${old} next ${next} common ${common} cut ${cut}`);
              const keep = Math.min(common, old - 1, next - 1);
              if (kind === 'vec' && old >= 3 && next >= 3) assert.ok(cut >= keep - (oneThread ? 0 : 1), 'vec: prefix reuse\'s cut (one token earlier at most with threads)');
              if (kind === 'vec' && oneThread && common === old && next > old) assert.equal(cut, old, 'vec, one thread: an append keeps every cell');
              const a = alignDown(next - 1, b);
              if (kind === 'tail' && alignDown(old - 1, b) === a && old - 1 - a >= 2 && next - 1 - a >= 2) {
                assert.ok(cut >= restartAt(l, keep, next), 'tail: no further back than a batch of its class needs');
              }
            }
          }
        }
      }
    });
  }
}

// The anchored layout: the cached prompt was decoded with some anchor (any valid one: 0 or >= b, at
// most its last token); the sync picks the new anchor (anchorAfter) and cuts (layoutCut from the old
// layout to the new). Completed in the new layout, the cache equals a full recomputation with that anchor.
for (const oneThread of [false, true]) {
  test(`anchored layout${oneThread ? ', one thread' : ''}: a cut from any anchor, completed in the new anchor's layout, equals a full recomputation in it; prefix reuse's tokens while the change is at or above the anchor (exhaustive on small prompts)`, () => {
    for (const [b, max] of [[4, 8], [4, 7], [5, 9], [64, 512]]) {
      const base: Layout = { kind: 'anchored', b, max, oneThread };
      const lengths = b === 64 ? [1, 2, 3, 63, 64, 65, 66, 127, 128, 129, 130, 200] : [...Array(16).keys()];
      for (const old of lengths) {
        const anchors = [0, ...(b === 64 ? [64, 100, 128, 192] : [...Array(16).keys()].filter((a) => a >= b))].filter((a) => a === 0 || a <= old - 1);
        for (const at of anchors) {
          const before: Layout = { ...base, at };
          for (const next of lengths.filter((x) => x > 0)) {
            const commons = b === 64 ? [0, 1, 2, 63, 64, 65, 100, 126, 127, 128, 129, 199, 200] : [...Array(16).keys()];
            for (const common of commons.filter((c) => c <= Math.min(old, next))) {
              const oldTokens = [...Array(old).keys()];
              const newTokens = [...Array(next).keys()].map((t) => (t < common ? t : 1000 + t));
              const cached = decode([], oldTokens, layoutBatches(before, 0, old, old), before);
              cached.forEach((c, t) => assert.equal(c.slice(-1), tokenClass(before, t, old)[0], `class of ${t} in ${old} anchored at ${at}`));
              const keep = Math.min(common, old - 1, next - 1);
              const after = anchorAfter(before, keep, next);
              const a = after.at ?? 0;
              assert.ok(a === 0 || (a >= b && a <= next - 1), `anchor ${a} for ${next} tokens`);
              const cut = layoutCut(after, common, old, next, before);
              const what = `b ${b} max ${max} old ${old} at ${at} next ${next} common ${common}: anchor ${a} cut ${cut}`;
              assert.ok(cut <= common, `${what}: within the common prefix`);
              const full = decode([], newTokens, layoutBatches(after, 0, next, next), after);
              full.forEach((c, t) => assert.equal(c.slice(-1), tokenClass(after, t, next)[0], `${what}: class of ${t}`));
              const reused = decode(cached.slice(0, cut), newTokens, layoutBatches(after, cut, next, next), after);
              assert.deepEqual(reused, full, what);
              if (keep > 0 && keep >= at && at > 0 && old >= 3 && next >= 3) {
                // at or above the anchor: prefix reuse's cut, or back to the anchor for a long recomputation
                if (a === at) assert.ok(cut >= keep - (oneThread ? 0 : 1), `${what}: prefix reuse's cut (one token earlier at most with threads)`);
                else assert.ok(next - 1 - keep >= b && cut >= at - (oneThread ? 0 : 1) && keep - cut <= next - 1 - keep + 1, `${what}: moved up only before a long recomputation, back to the anchor`);
              }
            }
          }
        }
      }
    }
  });
}

test('anchored layout: typing past a multiple of 64 keeps the anchor (prefix reuse\'s tokens), a change below it moves it', () => {
  const l: Layout = { kind: 'anchored', b: 64, max: 512, oneThread: false };
  const opened = anchorAfter(l, 0, 100);
  assert.equal(opened.at, 99, 'the first prompt: tiled up to its last token');
  // typed to 131 tokens: the tail layout decodes [64, 128) again, the anchored one only the old last token
  const typed = anchorAfter(opened, 99, 131);
  assert.equal(typed.at, 99);
  // a jump forward of 300 tokens after 20 typed ones: the anchor moves to the end (the 20 decoded again, tiled with the 300)
  assert.equal(anchorAfter({ ...l, at: 1000 }, 1020, 1321).at, 1320);
  assert.equal(layoutCut({ ...l, at: 1320 }, 1021, 1021, 1321, { ...l, at: 1000 }), 1000);
  // but not after more typed tokens than follow
  assert.equal(anchorAfter({ ...l, at: 1000 }, 1400, 1500).at, 1000);
  assert.equal(layoutCut(typed, 100, 100, 131, opened), 99);
  assert.equal(layoutCut({ ...l, kind: 'tail' }, 100, 100, 131), 64);
  assert.equal(layoutCut({ ...typed, oneThread: true }, 100, 100, 131, { ...opened, oneThread: true }), 100);
  // an edit below the anchor: the new prompt's last token, or the edit itself when fewer than 64 tokens follow it
  assert.equal(anchorAfter({ ...l, at: 1000 }, 500, 1201).at, 1200);
  assert.equal(anchorAfter({ ...l, at: 1000 }, 900, 950).at, 900);
  assert.equal(layoutCut({ ...l, at: 900 }, 900, 1100, 950, { ...l, at: 1000 }), 900);
});

test('tail layout: typing at the end costs prefix reuse\'s tokens until the prompt passes a multiple of 64, then the last 64 again', () => {
  const tail: Layout = { kind: 'tail', b: 64, max: 512, oneThread: false };
  // the old prompt ends at 100 (its tail [64, 99) a vec batch): 3 tokens typed (the last one changed)
  assert.equal(layoutCut(tail, 99, 100, 103), 99);
  // an append: the old last token (decoded alone) is decoded again with the tail, unless one thread makes that the same class
  assert.equal(layoutCut(tail, 100, 100, 103), 99);
  assert.equal(layoutCut({ ...tail, oneThread: true }, 100, 100, 103), 100);
  // the grid layout cuts back to the batch boundary
  assert.equal(layoutCut({ ...tail, kind: 'grid' }, 99, 100, 103), 64);
  // passing 128: [64, 128) becomes a tiled batch
  assert.equal(layoutCut(tail, 125, 126, 131), 64);
  // an edit just below the tail: a tiled batch needs 64 tokens
  assert.equal(layoutCut(tail, 150, 200, 201), 128);
  assert.equal(layoutCut(tail, 100, 200, 201), 100);
  // vec: prefix reuse's cut
  assert.equal(layoutCut({ ...tail, kind: 'vec' }, 99, 100, 103), 99);
  assert.equal(layoutCut({ ...tail, kind: 'vec' }, 150, 200, 201), 150);
});

test('layoutBatches refuses runs that would decode a batch of another class', () => {
  const tail: Layout = { kind: 'tail', b: 64, max: 512, oneThread: false };
  assert.throws(() => layoutBatches(tail, 150, 200, 200), /not a run/, 'a tiled batch of 42 tokens');
  assert.throws(() => layoutBatches(tail, 198, 200, 200), /not a run/, 'one token left for the vec tail [192, 199)');
  assert.deepEqual(layoutBatches({ ...tail, oneThread: true }, 198, 200, 200).map((x) => x.end - x.start), [1, 1], 'with one thread a lone token is vec');
  assert.throws(() => layoutBatches({ ...tail, kind: 'vec' }, 0, 198, 200), /not a run/, 'one token left before the last');
  assert.deepEqual(layoutBatches(tail, 0, 1200, 1200).map((x) => x.end - x.start), [384, 384, 384, 47, 1]);
  assert.deepEqual(layoutBatches({ ...tail, kind: 'vec' }, 0, 130, 130).map((x) => x.end - x.start), [43, 43, 43, 1]);
});

test('a repair in steps of any requested size decodes only batches of the layout and reaches the end (exhaustive on small prompts)', () => {
  for (const kind of ['grid', 'tail', 'vec', 'anchored'] as LayoutKind[]) {
    for (const [b, at] of [[4, 0], [8, 0], [4, 4], [4, 9], [8, 17]]) {
      for (let n = 2; n <= 40; n++) {
        const l: Layout = { kind, b, max: 2 * b + 3, oneThread: false, at: at <= n - 1 ? at : 0 }; // an anchor is at most the last token
        for (let p = 0; p < n; p++) {
          for (let chunk = 1; chunk <= 3 * b; chunk++) {
            let from = restartAt(l, p, n);
            const steps: string[] = [];
            while (from < n) {
              const to = chunkEnd(l, from, n, chunk);
              assert.ok(to > from, `${kind} b=${b} n=${n} from=${from} chunk=${chunk}: a step moves on`);
              assert.doesNotThrow(() => layoutBatches(l, from, to, n), `${kind} b=${b} n=${n} [${from}, ${to}) chunk=${chunk} after ${steps.join(' ')}`);
              steps.push(`${from}-${to}`);
              from = to;
            }
          }
        }
      }
    }
  }
});
