// A lens request's budget overrun (review 11 S5): the targets whose calls never reach the function
// that overran are still estimated with their calls, so that what a function's lens shows does not
// depend on which other lenses were asked for in the same request.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ComplexityAdapter } from '../complexity';
import { python } from '../languages/python';
import { pythonAdapter } from '../languages/python/complexity';
import { loadWasmBackend } from '../parsing/wasm';
import { DocumentAnalysis } from './document';
import { run } from './estimates';

describe('FileEstimates.withCallsOf past a unit budget', () => {
  it("keeps own estimates only for the targets that reach the function past the budget; another target's lens still has its calls", async () => {
    const wasm = await loadWasmBackend(['python']);
    // A counter clock: each size the estimator reads costs 1 ms of it (no real time, no timing).
    let clock = 0;
    const adapter: ComplexityAdapter = { ...pythonAdapter, sizeRef: (node) => (clock++, pythonAdapter.sizeRef(node)) };
    const spec = { ...python, rules: [], complexity: adapter };
    const chain = (name: string, n: number) => `def ${name}(xs):\n    s0 = xs\n${Array.from({ length: n }, (_, i) => `    s${i + 1} = s${i} + [${i}]\n`).join('')}    for x in s${n}:\n        for y in s${n}:\n            pass\n`;
    // a's calls (two long chains) take it past the budget; c calls d, which has nothing to do with them.
    const text = `def a(xs):\n    for x in xs:\n        f1(xs)\n        f2(xs)\n${chain('f1', 150)}${chain('f2', 150)}def c(xs):\n    for x in xs:\n        d(xs)\n\ndef d(xs):\n    for y in xs:\n        pass\n`;
    const lenses = (together: boolean) => {
      const doc = new DocumentAnalysis(spec, wasm.create('python'), text, { unitBudgetMs: 1500, clock: () => clock });
      try {
        const all = doc.estimates.all();
        const a = all.find((e) => e.own.name === 'a')!;
        const c = all.find((e) => e.own.name === 'c')!;
        const asked = together ? [a, c] : [c];
        const first = run(doc.estimates.withCallsOf(asked));
        return { a: together ? first[0] : undefined, aOwn: a.own, c: first[first.length - 1].display, cOwn: c.own.display, again: doc.estimates.withCalls(c.unit, c.own).display };
      } finally {
        doc.dispose();
      }
    };
    const alone = lenses(false);
    assert.notEqual(alone.c, alone.cOwn, "with d's loop, c costs more than alone");
    const together = lenses(true);
    assert.deepEqual(together.a, together.aOwn, 'a, past the budget, keeps its own estimate');
    assert.equal(together.c, alone.c, "c's lens with its calls, asked for with a's");
    assert.equal(together.again, alone.c, 'and kept so');
  });
});
