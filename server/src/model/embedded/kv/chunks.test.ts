import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyTokenEdits, ChunkedPrompt, ChunkTokenizer, diffHunks, splitChunks, type PromptPart, type Tokenizer } from './chunks';

/** A greedy longest-match tokenizer with merges across line breaks and an SPM-like space prefix. */
function toyTokenizer(spacePrefix: boolean): Tokenizer & { calls: number } {
  const vocab = ['\n\n', '\n    ', '    ', '  ', 'def', 'de', 'return', 'ret', 'ab', 'ba', '▁', '▁a', '▁d'];
  const ids = new Map<string, number>(vocab.map((v, i) => [v, 1000 + i]));
  const tok = {
    calls: 0,
    tokenize(text: string): number[] {
      tok.calls++;
      const s = spacePrefix && text.length > 0 ? '▁' + text : text;
      const out: number[] = [];
      let i = 0;
      while (i < s.length) {
        let best = '';
        for (const v of vocab) if (v.length > best.length && s.startsWith(v, i)) best = v;
        if (best) {
          out.push(ids.get(best)!);
          i += best.length;
        } else {
          out.push(s.charCodeAt(i));
          i++;
        }
      }
      return out;
    },
  };
  return tok;
}

const alphabet = fc.constantFrom('a', 'b', 'd', 'e', 'f', ' ', '    ', '\n', '\n\n', 'def ', 'return ', '\r\n', 'é', '😀');
const textArb = fc.array(alphabet, { maxLength: 60 }).map((a) => a.join(''));

interface Edit {
  at: number;
  del: number;
  ins: string;
}
const editArb = fc.record({ at: fc.nat(), del: fc.nat({ max: 12 }), ins: textArb });

function applyTextEdit(text: string, e: Edit): string {
  const at = e.at % (text.length + 1);
  const del = Math.min(e.del, text.length - at);
  return text.slice(0, at) + e.ins + text.slice(at + del);
}

test('splitChunks cuts at line starts and joins back to the text', () => {
  assert.deepEqual(splitChunks('a\nb\n\nc\n'), ['a\n', 'b\n\n', 'c\n']);
  assert.deepEqual(splitChunks(''), []);
  fc.assert(fc.property(textArb, (t) => splitChunks(t).join('') === t));
});

test('diffHunks turns a into b', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom('x', 'y', 'z', 'w'), { maxLength: 30 }), fc.array(fc.constantFrom('x', 'y', 'z', 'w'), { maxLength: 30 }), (a, b) => {
      const hunks = diffHunks(a, b)!;
      const out: string[] = [];
      let at = 0;
      for (const [a0, a1, b0, b1] of hunks) {
        assert.ok(a0 >= at && a1 >= a0 && b1 >= b0);
        out.push(...a.slice(at, a0), ...b.slice(b0, b1));
        at = a1;
      }
      out.push(...a.slice(at));
      assert.deepEqual(out, b);
    }),
  );
});

for (const spacePrefix of [false, true]) {
  test(`text edits map to token edits equal to full re-tokenization (space prefix ${spacePrefix})`, () => {
    fc.assert(
      fc.property(textArb, textArb, fc.array(fc.array(editArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (pre, suf, rounds) => {
        const tok = toyTokenizer(spacePrefix);
        const prompt = new ChunkedPrompt(new ChunkTokenizer(tok));
        const parts = (p: string, s: string): PromptPart[] => [{ special: 1 }, { text: p }, { special: 2 }, { text: s }, { special: 3 }];
        prompt.update(parts(pre, suf));
        for (const round of rounds) {
          // several edits at once, in both segments
          for (const [i, e] of round.entries()) {
            if (i % 2 === 0) pre = applyTextEdit(pre, e);
            else suf = applyTextEdit(suf, e);
          }
          const before = prompt.tokens.slice();
          const edits = prompt.update(parts(pre, suf));
          const reference = new ChunkTokenizer(toyTokenizer(spacePrefix)).promptTokens(parts(pre, suf));
          assert.deepEqual(prompt.tokens, reference);
          assert.deepEqual(applyTokenEdits(before, edits), reference);
          for (let i = 1; i < edits.length; i++) assert.ok(edits[i].start >= edits[i - 1].start + edits[i - 1].deleteCount);
        }
      }),
      { numRuns: 300 },
    );
  });
}

test('an edit in one line re-tokenizes that line only and inserts only what changed', () => {
  const tok = toyTokenizer(true);
  const prompt = new ChunkedPrompt(new ChunkTokenizer(tok));
  const lines = Array.from({ length: 200 }, (_, i) => `def f${i}\n    return ${i}\n`);
  prompt.update([{ text: lines.join('') }]);
  const n = prompt.tokens.length;
  const calls = tok.calls;
  const edited = lines.slice();
  edited[100] = 'def f100x\n    return 100\n';
  const edits = prompt.update([{ text: edited.join('') }]);
  assert.equal(tok.calls - calls, 1, 'one changed chunk tokenized');
  assert.equal(edits.length, 1);
  assert.deepEqual(edits[0].insert, ['x'.charCodeAt(0)]);
  assert.equal(edits[0].deleteCount, 0);
  assert.equal(prompt.tokens.length, n + 1);
});

test('insertion and deletion at the start, middle and end; multi-place edits', () => {
  const tok = toyTokenizer(false);
  const body = 'abc\nbad\ndef\nfed\n';
  for (const [name, after] of [
    ['insert start', 'zz' + body],
    ['insert middle', 'abc\nbzzad\ndef\nfed\n'],
    ['insert end', body + 'zz'],
    ['delete start', body.slice(2)],
    ['delete middle', 'abc\nbdef\nfed\n'],
    ['delete end', body.slice(0, -3)],
    ['multi-place', 'zabc\nbad\nzdef\nfed\nz'],
  ] as const) {
    const prompt = new ChunkedPrompt(new ChunkTokenizer(tok));
    prompt.update([{ text: body }]);
    const before = prompt.tokens.slice();
    const edits = prompt.update([{ text: after }]);
    assert.deepEqual(applyTokenEdits(before, edits), tok.tokenize(after), name);
    if (name === 'multi-place') assert.equal(edits.length, 3, 'three separate token edits');
  }
});
