// Minified bundles: one function of thousands of loops over differently named collections, and
// thousands of functions sharing one-letter names. The estimate must finish (it used to run for
// minutes) and stay honest about what it dropped.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadWasmBackend } from '../parsing/wasm';
import { snapshot, type ParserFactory } from '../parsing';
import { languageById } from '../languages';
import { estimateRoots } from '.';

function bundle(loops: number): string {
  const body: string[] = [];
  for (let i = 0; i < loops; i++) body.push(`function e(t){for(const n of t.a${i}){t.push(n)}return t}for(const r of p.b${i})e(r);`);
  return `function M(p){${body.join('')}return 1}`;
}

describe('complexity estimate on minified code', () => {
  let parsers: ParserFactory;
  before(async () => {
    parsers = await loadWasmBackend();
  });

  it('finishes on a 3,000-loop function with 3,000 functions named `e`, as a lower bound', { timeout: 120_000 }, () => {
    const text = bundle(3000);
    const tree = parsers.create('javascript').parse(text);
    const root = snapshot(tree.rootNode.walk(), text);
    tree.dispose();
    const estimates = estimateRoots(languageById('javascript').complexity, [root]);
    const outer = estimates.find((e) => e.name === 'M');
    assert.ok(outer, 'the bundle function is estimated');
    assert.equal(outer.cost.lower, true);
    assert.ok(outer.cost.terms.length <= 16);
  });
});
