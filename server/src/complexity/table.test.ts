// Runs the evidence table (table.ts): every function's estimate must be the expected class.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { languageById } from '../languages';
import { snapshot, type ParserFactory } from '../parsing';
import { loadWasmBackend } from '../parsing/wasm';
import { estimateRoots } from '.';
import { TABLE } from './table';

let wasm: ParserFactory;
before(async () => {
  wasm = await loadWasmBackend();
});

export function estimateIn(factory: ParserFactory, language: Parameters<typeof languageById>[0], code: string, fn: string): string {
  const tree = factory.create(languageById(language).grammar).parse(code);
  try {
    const root = snapshot(tree.rootNode.walk(), code);
    const est = estimateRoots(languageById(language).complexity, [root]).find((e) => e.name === fn);
    return est ? est.display : '(no such function)';
  } finally {
    tree.dispose();
  }
}

describe('complexity table', () => {
  it('has at least 40 functions in both languages and every class', () => {
    assert.ok(TABLE.length >= 40);
    assert.ok(TABLE.filter((c) => c.language === 'python').length >= 20);
    assert.ok(TABLE.filter((c) => c.language !== 'python').length >= 20);
    for (const cls of ['O(1)', 'O(log n)', 'O(n)', 'O(n log n)', 'O(n²)', 'O(n·m)', 'O(n³)', 'O(2ⁿ)']) assert.ok(TABLE.some((c) => c.expect === cls), cls);
  });
  for (const c of TABLE) {
    it(`${c.language} ${c.fn} is ${c.expect}`, () => {
      assert.equal(estimateIn(wasm, c.language, c.code, c.fn), c.expect);
    });
  }
});
