// The rule engine on its own: one walk dispatching by node type, rules isolated from each other's
// failures, and the per-unit time budget that gives a pathological unit up instead of stalling.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import v8 from 'node:v8';
import { python } from '../languages/python';
import { snapshot, type ParserFactory, type SyntaxNode } from '../parsing';
import { loadWasmBackend } from '../parsing/wasm';
import { estimateRoots, type ComplexityAdapter } from '../complexity';
import { pythonAdapter } from '../languages/python/complexity';
import { DocumentAnalysis } from './document';
import { UnitFacts } from './facts';
import { EMPTY_MODULE } from './module';
import type { Rule } from './rule';
import { runRules } from './runRules';

let wasm: ParserFactory;
before(async () => {
  wasm = await loadWasmBackend(['python']);
});

function unitOf(code: string): SyntaxNode {
  const tree = wasm.create('python').parse(code);
  const root = snapshot(tree.rootNode.walk(), code);
  tree.dispose();
  return root.namedChildren[0];
}

function rule(code: string, create: Rule['create']): Rule {
  return { code, name: code.toLowerCase(), languages: ['python'], severity: 'warning', summary: '', cost: '', docs: '', fixtures: [], create };
}

const CODE = 'def f(xs):\n    for x in xs:\n        print(x, len(xs))\n    return [y for y in xs]\n';

describe('rule engine', () => {
  it('calls each handler for every node of its type, in pre-order, once per unit walk', () => {
    const seen: string[] = [];
    const calls = rule('T1', (ctx) => ({
      ':unit': (n) => seen.push(`unit:${n.type}`),
      call: (n) => ctx.report({ node: n, message: n.text }),
      identifier: (n) => seen.push(n.text),
    }));
    const { findings, overBudgetMs } = runRules(python, CODE, unitOf(CODE), EMPTY_MODULE, { rules: [calls] });
    assert.equal(overBudgetMs, undefined);
    assert.deepEqual(findings.map((f) => f.message), ['print(x, len(xs))', 'len(xs)']);
    assert.deepEqual(seen, ['unit:function_definition', 'f', 'xs', 'x', 'xs', 'print', 'x', 'len', 'xs', 'y', 'y', 'xs']);
  });

  it('shares one facts object per unit between rules, built only when asked for', () => {
    const facts: unknown[] = [];
    const a = rule('T1', (ctx) => ({ for_statement: () => facts.push(ctx.facts) }));
    const b = rule('T2', (ctx) => ({ for_statement: () => facts.push(ctx.facts) }));
    runRules(python, CODE, unitOf(CODE), EMPTY_MODULE, { rules: [a, b] });
    assert.equal(facts.length, 2);
    assert.equal(facts[0], facts[1]);
    let built = 0;
    const lazy = { ...python, facts: (ctx: Parameters<typeof python.facts>[0]) => (built++, python.facts(ctx)) };
    runRules(lazy, CODE, unitOf(CODE), EMPTY_MODULE, { rules: [rule('T3', () => ({ call: () => undefined }))] });
    assert.equal(built, 0);
  });

  it('gives rules a unit context with fast properties (an object literal with a getter is not: see UnitRun)', () => {
    // V8's own test of an object's representation. A dictionary-mode context kept every unit's
    // snapshot alive through the scavenges until the next full GC, tripling what a check promoted.
    v8.setFlagsFromString('--allow-natives-syntax');
    const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: unknown) => boolean;
    v8.setFlagsFromString('--no-allow-natives-syntax');
    const contexts: unknown[] = [];
    const a = rule('T1', (ctx) => (contexts.push(ctx), { for_statement: () => void ctx.facts }));
    const b = rule('T2', (ctx) => (contexts.push(ctx), { call: (n) => ctx.report({ node: n, message: 'call' }) }));
    const { findings } = runRules(python, CODE, unitOf(CODE), EMPTY_MODULE, { rules: [a, b] });
    assert.equal(findings.length, 2);
    assert.equal(contexts.length, 2);
    for (const ctx of contexts) assert.equal(hasFastProperties(ctx), true);
  });

  it('a rule that throws loses its own findings for the unit, never the other rules\'', () => {
    const failures: string[] = [];
    const good = rule('T1', (ctx) => ({ call: (n) => ctx.report({ node: n, message: 'good' }) }));
    const bad = rule('T2', (ctx) => ({
      call: (n) => {
        ctx.report({ node: n, message: 'before the throw' });
        if (n.text.startsWith('len')) throw new Error('strange code');
      },
    }));
    const broken = rule('T3', () => {
      throw new Error('create failed');
    });
    const { findings } = runRules(python, CODE, unitOf(CODE), EMPTY_MODULE, { rules: [good, bad, broken], onFailure: (f) => failures.push(`${f.code}: ${(f.error as Error).message}`) });
    assert.deepEqual(findings.map((f) => `${f.code} ${f.message}`), ['T1 good', 'T1 good']);
    assert.deepEqual(failures, ['T3: create failed', 'T2: strange code']);
  });

  it('gives a unit up when its rules run past the time budget, and the document says where', () => {
    // A manual clock: each identifier the rule handles in `f` costs 10 ms of it (no real waiting,
    // so the test does not depend on the machine's load); other units cost nothing.
    let clock = 0;
    const runs: number[] = [];
    const slow = rule('T1', (ctx) => ({
      ':unit': (u) => runs.push(u.startIndex),
      identifier: (n) => {
        if (ctx.unit.type === 'function_definition') clock += 10;
        ctx.report({ node: n, message: 'slow' });
      },
    }));
    const spec = { ...python, rules: [slow] };
    const big = `x = 1\ndef f(xs):\n${Array.from({ length: 100 }, (_, i) => `    a${i} = xs[${i}] + xs[${i + 1}]\n`).join('')}`;
    const doc = new DocumentAnalysis(spec, wasm.create('python'), big, { unitBudgetMs: 200, clock: () => clock });
    try {
      // `x = 1` is analysed; `f` has ~300 identifiers at 10 ms each, far past 200 ms.
      assert.deepEqual(doc.findings().map((f) => f.startIndex), [0]);
      const skipped = doc.skippedUnits();
      assert.equal(skipped.length, 1);
      assert.equal(skipped[0].startIndex, big.indexOf('def f'));
      assert.match(skipped[0].message, /skipped this code: its analysis passed the 200 ms CPU budget \(stopped after \d+ ms\)/);
      // An edit above shifts the notice with the unit; the unit is not re-run on every keystroke.
      runs.length = 0;
      doc.update(`y = 2\n${big}`, [{ startIndex: 0, oldEndIndex: 0, newEndIndex: 6, startPosition: { row: 0, column: 0 }, oldEndPosition: { row: 0, column: 0 }, newEndPosition: { row: 1, column: 0 } }]);
      assert.equal(doc.skippedUnits()[0].startIndex, big.indexOf('def f') + 6);
      assert.ok(!runs.includes(big.indexOf('def f') + 6), `f is not analysed again (units run: ${runs})`);
    } finally {
      doc.dispose();
    }
  });

  // One handler that runs far past the budget between two nodes: the complexity estimate of a long
  // assignment chain (generated parsers have chains of hundreds; graphlib-dot 0.6.4's dot-grammar.js
  // spent 37 s of CPU in one unit's estimate before the runner saw the clock again). The clock is a
  // counter the estimator advances (1 ms per size it reads), so where the unit stops is exact.
  const CHAIN = `def f(xs):\n    s0 = xs\n${Array.from({ length: 300 }, (_, i) => `    s${i + 1} = s${i} + [${i}]\n`).join('')}    for x in s300:\n        for y in s300:\n            pass\n`;
  const counting = (tick: () => void): ComplexityAdapter => ({ ...pythonAdapter, sizeRef: (node) => (tick(), pythonAdapter.sizeRef(node)) });

  it('stops a unit inside a handler that runs past the budget (the estimator checks it in its inner loops)', () => {
    let clock = 0;
    const adapter = counting(() => clock++);
    // Without a budget the estimate reads hundreds of sizes.
    clock = 0;
    const whole = estimateRoots(adapter, [unitOf(CHAIN)]);
    assert.equal(whole.length, 1);
    const unbounded = clock;
    assert.ok(unbounded > 600, `the chain's estimate reads ${unbounded} sizes`);
    const estimating = rule('T1', (ctx) => ({ ':unit': () => void (ctx.facts as UnitFacts).estimates() }));
    const spec = { ...python, facts: (ctx: Parameters<typeof python.facts>[0]) => new UnitFacts(ctx, adapter) };
    clock = 0;
    const failures: unknown[] = [];
    const r = runRules(spec, CHAIN, unitOf(CHAIN), EMPTY_MODULE, { rules: [estimating], budgetMs: 50, now: () => clock, onFailure: (f) => failures.push(f.error) });
    assert.deepEqual(failures, [], 'over budget is not a failure of the rule');
    assert.deepEqual(r.findings, []);
    assert.equal(r.estimates, undefined);
    // Stopped at the first check past 50 (one size read past it), not after the whole estimate.
    assert.ok(r.overBudgetMs !== undefined && r.overBudgetMs > 50 && r.overBudgetMs <= 52, `stopped after ${r.overBudgetMs} of ${unbounded}`);
    assert.ok(clock <= 52, `the estimate went on to ${clock}`);
  });

  it("budgets the editor's own estimate of a unit (code lenses when no rule estimated it): none for a unit past the budget", () => {
    let clock = 0;
    const adapter = counting(() => void clock++);
    const spec = { ...python, rules: [], complexity: adapter };
    const text = `def g(xs):\n    return sorted(xs)\n${CHAIN}`;
    const doc = new DocumentAnalysis(spec, wasm.create('python'), text, { unitBudgetMs: 50, clock: () => clock });
    try {
      const lenses = doc.estimates.all();
      assert.deepEqual(lenses.map((l) => l.own.name), ['g'], 'g has its lens, f (past the budget) none');
      assert.ok(clock <= 60, `the estimates went on to ${clock}`);
      // Not tried again on the next request.
      const before = clock;
      doc.estimates.all();
      assert.equal(clock, before);
    } finally {
      doc.dispose();
    }
  });

  it('budgets each lens estimate with calls: past it the function keeps its own estimate, not tried again until its units change', () => {
    let clock = 0;
    const adapter = counting(() => void clock++);
    const spec = { ...python, rules: [], complexity: adapter };
    const chain = (name: string, n: number) => `def ${name}(xs):\n    s0 = xs\n${Array.from({ length: n }, (_, i) => `    s${i + 1} = s${i} + [${i}]\n`).join('')}    for x in s${n}:\n        for y in s${n}:\n            pass\n`;
    // g comes first: its estimate with calls estimates f1 and f2 inside its own budget.
    const text = `def g(xs):\n    for x in xs:\n        f1(xs)\n        f2(xs)\n${chain('f1', 150)}${chain('f2', 150)}`;
    const lensOfG = (budget: number) => {
      const doc = new DocumentAnalysis(spec, wasm.create('python'), text, { unitBudgetMs: budget, clock: () => clock });
      const g = doc.estimates.all().find((e) => e.own.name === 'g')!;
      const own = doc.estimates.all().map((e) => e.own.display);
      clock = 0;
      const first = doc.estimates.withCalls(g.unit, g.own);
      const spent = clock;
      doc.estimates.withCalls(g.unit, g.own);
      const again = clock - spent;
      doc.dispose();
      return { own, g: g.own, first, spent, again };
    };
    const unbounded = lensOfG(1e9);
    assert.notEqual(unbounded.first.display, unbounded.g.display, 'with its calls, g costs more than alone');
    assert.ok(unbounded.spent > 1500, `g with its calls reads ${unbounded.spent} sizes`);
    const budgeted = lensOfG(1500);
    assert.deepEqual(budgeted.own, unbounded.own, 'each own estimate is within the budget');
    assert.deepEqual(budgeted.first, budgeted.g, 'past the budget: its own estimate');
    assert.ok(budgeted.spent <= 1502, `stopped after ${budgeted.spent}`);
    assert.equal(budgeted.again, 0, 'not tried again');
  });
});
