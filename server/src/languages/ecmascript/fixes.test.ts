// Where the ECMAScript quick fixes must NOT be offered (the fixture harness checks the fixes that are).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeText } from '../../analysis/analyzeText';
import { loadWasmBackend } from '../../parsing/wasm';
import type { ParserFactory } from '../../parsing';
import { javascript, typescript } from '.';

let factory: ParserFactory;
before(async () => {
  factory = await loadWasmBackend(['javascript', 'typescript']);
});

function fixesOf(code: string, rule: string, lang = javascript): boolean[] {
  return analyzeText(lang, factory, code)
    .filter((f) => f.code === rule)
    .map((f) => f.fix !== undefined);
}

describe('ecmascript quick fixes', () => {
  it('HP201: a Set only for includes on an array that does not change, hoisted where it runs once', () => {
    const code = `function merge(xs, ys) {
  const seen = [];
  for (const x of xs) if (!seen.includes(x)) seen.push(x);
  const later = () => xs.map((x) => seen.includes(x));
  for (const x of xs) if (seen.indexOf(x) === -1) console.log(x);
  for (const x of xs) if (seen.includes(x)) console.log(x);
  return [seen, later];
}
`;
    assert.deepEqual(fixesOf(code, 'HP201'), [false, false, false, true]);
  });

  it('HP201: no fix for a callback on something that is not known to be an array', () => {
    const code = `export function f(stream: any, allowed: string[]) {
  return stream.filter((x: string) => allowed.includes(x));
}
`;
    assert.deepEqual(fixesOf(code, 'HP201', typescript), [false]);
  });

  it('HP202: no fix when the accumulator is a parameter, escapes, or gets spread elements', () => {
    const code = `function f(acc, xs, log) {
  for (const x of xs) acc = [...acc, x];
  let a = [];
  for (const x of xs) { a = [...a, x]; log.push(a); }
  let b = [];
  for (const x of xs) b = [...b, ...x];
  return xs.reduce((m, x) => ({ ...m, [x]: m }), {});
}
`;
    assert.deepEqual(fixesOf(code, 'HP202'), [false, false, false, false]);
  });

  it('HP202: TypeScript object reduce without a declared accumulator type gets no fix', () => {
    const code = `export const byId = (xs: { id: string }[]) => xs.reduce((acc, x) => ({ ...acc, [x.id]: x }), {});
`;
    assert.deepEqual(fixesOf(code, 'HP202', typescript), [false]);
  });

  it('HP209: no hoist when the loop is the body of an if without braces, or the name is declared twice', () => {
    const code = `function f(xs, base, c) {
  if (c) for (const x of xs) { const s = new Set(base); if (s.has(x)) return x; }
  for (const x of xs) { const t = new Set(base); if (t.has(x)) return x; }
  for (const y of xs) { const t = new Set(base); if (t.has(y)) return y; }
}
`;
    assert.deepEqual(fixesOf(code, 'HP209'), [false, false, false]);
  });
});
