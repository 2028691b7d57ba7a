// What HP301 and HP302 say: the chain, the legend, the related locations (the fixture harness in
// languages/rules.test.ts checks the reported lines and the fix).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeText } from '../../analysis/analyzeText';
import { languageById, type LanguageId } from '../../languages';
import type { ParserFactory } from '../../parsing';
import { loadWasmBackend } from '../../parsing/wasm';

let wasm: ParserFactory;
before(async () => {
  wasm = await loadWasmBackend();
});

function findings(language: LanguageId, code: string, rule: string) {
  return analyzeText(languageById(language), wasm, code).filter((f) => f.code === rule);
}

describe('HP301 message', () => {
  it('names the function, the estimate, the chain and the legend; related spans point at each link', () => {
    const code = `def dedupe(items):
    seen = []
    for x in items:
        if x not in seen:
            seen.append(x)
    return seen
`;
    const [f] = findings('python', code, 'HP301');
    assert.equal(f.message, '`dedupe` is O(n²): loop over `items` × `x not in seen` (list scan) (n = len(items))');
    assert.equal(code.slice(f.startIndex, f.endIndex), 'dedupe');
    assert.deepEqual(f.related.map((r) => [code.slice(r.startIndex, r.endIndex), r.message]), [
      ['for x in items', 'loop over `items`'],
      ['x not in seen', '`x not in seen` (list scan)'],
    ]);
  });

  it('uses two variables for two inputs', () => {
    const [f] = findings('javascript', `function overlap(orders, known) {\n  return orders.filter((o) => known.includes(o));\n}\n`, 'HP301');
    assert.equal(f.message, '`overlap` is O(n·m): loop over `orders` × `known.includes(o)` (scan) (n = orders.length, m = known.length)');
  });

  it('names a number held by the object as itself, not as a length (rot-js `this._width`, pypng `range(self.planes)`: issue 13 round 11)', () => {
    const js = `class Maze {
  create() {
    const out = [];
    for (let i = 0; i < this._width; i++) {
      for (let j = 0; j < this._height; j++) out.push(i + j);
    }
    return out;
  }
}
`;
    const [f] = findings('javascript', js, 'HP301');
    assert.equal(f.message, '`create` is O(n·m): loop `i < this._width` × loop `j < this._height` (n = this._width, m = this._height)');
    const py = `class Image:
    def interlace(self, lines):
        out = []
        for y in lines:
            for i in range(self.planes):
                out.append(y)
        return out
`;
    const [g] = findings('python', py, 'HP301');
    assert.match(g.message, /self\.planes/);
    assert.doesNotMatch(g.message, /len\(self\.planes\)/);
  });

  it('reports a lower bound when the rest is unknown, and mentions the whole estimate', () => {
    const [f] = findings('python', `from x import g\n\ndef f(xs: list):\n    g()\n    return [xs.index(x) for x in xs]\n`, 'HP301');
    assert.match(f.message, /^`f` is ≥ O\(n²\): loop over `xs` × `xs\.index\(x\)` \(scan\)/);
  });
});

describe('HP302 message', () => {
  it('names the calls and points at them', () => {
    const code = `def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n`;
    const [f] = findings('python', code, 'HP302');
    assert.equal(f.message, '`fib` is O(2ⁿ): 2 recursive calls per level on an input that shrinks by a constant, without memoization');
    assert.deepEqual(f.related.map((r) => code.slice(r.startIndex, r.endIndex)), ['fib(n - 1)', 'fib(n - 2)']);
    assert.equal(f.fix?.title, 'Memoize `fib` with @functools.cache (its arguments must be hashable)');
  });

  it('uses `@cache` when it is imported from functools', () => {
    const code = `from functools import cache\n\ndef paths(r, c):\n    if r == 0 or c == 0:\n        return 1\n    return paths(r - 1, c) + paths(r, c - 1)\n`;
    const [f] = findings('python', code, 'HP302');
    assert.deepEqual(f.fix?.replacements.map((r) => r.newText), ['@cache\n']);
  });
});
