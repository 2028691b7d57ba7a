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
  it('a const kept as declared, read by name: a hint', () => {
    assert.deepEqual(severities('export function f() {\n  const table = Array(4).fill(0);\n  return table.reduce((acc, x) => [...acc, x], []);\n}\n'), ['hint']);
  });
  it('Array(63).fill(0).reduce: a hint, bounded by construction', () => {
    assert.deepEqual(severities(table('Array(63)')), ['hint']);
  });
  const kept: [string, string][] = [
    ['the length is a parameter', `function f(n) {\n  return ${table('Array(n)').split('\n')[1].replace('const markers = ', '')}\n    .fill(0)\n    .reduce((acc, v, i) => ({ ...acc, [i]: v }), {});\n}\nmodule.exports = { f };\n`],
    ['the literal is over 4,096', table('Array(100000)')],
    ['two arguments make two elements, not a length', table('Array(1, 2)')],
    // Review 13 S3 (/tmp/rv13/j2.js): a hint on the old code, though `table` holds the items.
    ['the array is rebound to a concat of the input', 'export function f(items) {\n  let table = Array(4).fill(0);\n  table = table.concat(items);\n  return table.reduce((acc, x) => [...acc, x], []);\n}\n'],
    ['the input is spread-pushed into the array', 'export function g(items) {\n  const table = Array(4).fill(0);\n  table.push(...items);\n  return table.reduce((acc, x) => [...acc, x], []);\n}\n'],
    ['the array is handed to a call that may fill it', 'export function h(items) {\n  const table = Array(4).fill(0);\n  load(table, items);\n  return table.reduce((acc, x) => [...acc, x], []);\n}\n'],
  ];
  for (const [why, code] of kept) it(`information when ${why}`, () => assert.deepEqual(severities(code), ['information'], code));
});
