// HP302's head-and-tail split with the tail call in more than one `return` (issue 13 round 16, in
// sample: schemdraw `flatten`, round 15, information judged wrong by both judges as 2ⁿ): each `return`
// holds a head and a tail call or a tail call alone, and one `return` runs per call, so each level
// makes at most two disjoint calls. The negatives have the same shape with the split not established.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeText } from '../analysis/analyzeText';
import { loadWasmBackend } from '../parsing/wasm';
import type { ParserFactory } from '../parsing';
import { languageById } from '../languages';

let wasm: ParserFactory;
before(async () => {
  wasm = await loadWasmBackend(['python', 'javascript']);
});

const hp302 = (code: string, language: 'python' | 'javascript' = 'python') => analyzeText(languageById(language), wasm, code).filter((f) => f.code === 'HP302');

const flatten = (first: string, second = 'return flatten(S[1:])', third = 'return S[:1] + flatten(S[1:])') => `def flatten(S):
    if S == []:
        return S
    if isinstance(S[0], list):
        ${first}
    if isinstance(S[0], str):
        ${second}
    ${third}
`;

describe('HP302 head and tail across several returns', () => {
  it('schemdraw flatten: a head-and-tail return and tail-only returns are a walk, no finding', () => {
    assert.deepEqual(hp302(flatten('return flatten(S[0]) + flatten(S[1:])')), []);
  });
  it('JavaScript: the same with `arr.slice(1)`', () => {
    const code = 'function flat(a) {\n  if (a.length === 0) return a;\n  if (Array.isArray(a[0])) return flat(a[0]).concat(flat(a.slice(1)));\n  if (a[0] === null) return flat(a.slice(1));\n  return [a[0]].concat(flat(a.slice(1)));\n}\n';
    assert.deepEqual(hp302(code, 'javascript'), []);
  });
  const kept: [string, string][] = [
    ['two tail calls in one return', flatten('return flatten(S[1:]) + flatten(S[1:])')],
    ['a third call in the head-and-tail return', flatten('return flatten(S[0]) + flatten(S[1:]) + flatten(S[1:])')],
    ['a self-call outside any return', flatten('rest = flatten(S[1:])\n        return flatten(S[1:]) + rest')],
    ['the last element with the list after the first (overlap)', flatten('return flatten(S[-1]) + flatten(S[1:])')],
  ];
  for (const [why, code] of kept) it(`kept when ${why}`, () => assert.equal(hp302(code).length, 1, code));
});
