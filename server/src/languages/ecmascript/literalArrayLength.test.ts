// `Array(63).fill(0)` has a literal length (issue 13 round 16, in sample: jay-peg's 63-entry marker
// table, HP202 information judged wrong by both judges): a reduce over it is bounded by construction,
// a hint. The negatives have the same shape with the length not a small literal.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeText } from '../../analysis/analyzeText';
import { loadWasmBackend } from '../../parsing/wasm';
import type { ParserFactory } from '../../parsing';
import { languageById } from '..';

let wasm: ParserFactory;
before(async () => {
  wasm = await loadWasmBackend(['javascript']);
});

const severities = (code: string) => analyzeText(languageById('javascript'), wasm, code).filter((f) => f.code === 'HP202').map((f) => f.severity);
const table = (size: string) => `const M = {};\nconst markers = ${size}\n  .fill(0)\n  .reduce((acc, v, i) => ({ ...acc, [i + 0xffc0]: M }), {});\nmodule.exports = { markers };\n`;

describe('an array of literal length', () => {
  it('Array(63).fill(0).reduce: a hint, bounded by construction', () => {
    assert.deepEqual(severities(table('Array(63)')), ['hint']);
  });
  const kept: [string, string][] = [
    ['the length is a parameter', `function f(n) {\n  return ${table('Array(n)').split('\n')[1].replace('const markers = ', '')}\n    .fill(0)\n    .reduce((acc, v, i) => ({ ...acc, [i]: v }), {});\n}\nmodule.exports = { f };\n`],
    ['the literal is over 4,096', table('Array(100000)')],
    ['two arguments make two elements, not a length', table('Array(1, 2)')],
  ];
  for (const [why, code] of kept) it(`information when ${why}`, () => assert.deepEqual(severities(code), ['information'], code));
});
