import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { add, exponential, MAX_TERMS, formatCost, logOf, mul, nameVariables, ONE, sqrtOf, substitute, unknown, variable, withStep } from './cost';

const letters = (keys: string[]) => nameVariables(keys, (k) => `len(${k.split('|')[1]})`).letters;

describe('cost algebra', () => {
  const n = variable('len|xs');
  const m = variable('len|ys');
  const L = letters(['len|xs', 'len|ys']);

  it('prunes dominated terms and keeps incomparable ones', () => {
    assert.equal(formatCost(add(mul(n, n), n, ONE), L), 'O(n²)');
    assert.equal(formatCost(add(n, m), L), 'O(n + m)');
    assert.equal(formatCost(add(mul(n, logOf(n)), n), L), 'O(n log n)');
    assert.equal(formatCost(add(mul(n, m), mul(n, n)), L), 'O(n² + n·m)');
  });

  it('keeps at most MAX_TERMS terms, the highest-degree ones, and then says it is a lower bound', () => {
    const many = Array.from({ length: 5 * MAX_TERMS }, (_, i) => variable(`len|v${i}`));
    const sum = add(...many, mul(n, n));
    assert.ok(sum.terms.length <= MAX_TERMS);
    assert.equal(sum.lower, true);
    assert.ok(sum.terms.some((t) => t.f.get('len|xs')?.p === 2), 'the quadratic term survives');
    assert.equal(add(n, m).lower, false);
  });

  it('formats products, logs and exponentials', () => {
    assert.equal(formatCost(mul(n, m), L), 'O(n·m)');
    assert.equal(formatCost(mul(mul(n, n), n), L), 'O(n³)');
    assert.equal(formatCost(logOf(n), L), 'O(log n)');
    assert.equal(formatCost(exponential('len|xs'), L), 'O(2ⁿ)');
    assert.equal(formatCost(ONE, L), 'O(1)');
    assert.equal(formatCost(sqrtOf(n), L), 'O(√n)');
    assert.equal(formatCost(mul(n, sqrtOf(n)), L), 'O(n√n)');
  });

  it('marks lower bounds and keeps their notes', () => {
    const c = mul(n, unknown({ startIndex: 0, endIndex: 1, text: 'calls `f`' }));
    assert.equal(formatCost(c, L), '≥ O(n)');
    assert.deepEqual(c.notes.map((x) => x.text), ['calls `f`']);
  });

  it('carries the chain of the terms through products', () => {
    const loop = withStep(n, { startIndex: 0, endIndex: 1, label: 'loop' });
    const scan = withStep(m, { startIndex: 2, endIndex: 3, label: 'scan' });
    assert.deepEqual(mul(loop, scan).terms[0].chain.map((s) => s.label), ['loop', 'scan']);
  });

  it('substitutes variables by costs (a callee in terms of the caller)', () => {
    const callee = mul(variable('len|a'), logOf(variable('len|a')));
    const out = substitute(callee, (k) => (k === 'len|a' ? n : null));
    assert.equal(formatCost(out, L), 'O(n log n)');
    assert.equal(formatCost(substitute(callee, () => ONE), L), 'O(1)');
  });

  it('names variables: one-letter integer parameters keep their name, others get n, m, k', () => {
    const naming = nameVariables(['len|orders', 'val|k', 'len|known'], (key) => (key.startsWith('val|') ? key.slice(4) : `len(${key.slice(4)})`));
    assert.deepEqual([...naming.letters.values()], ['k', 'n', 'm']);
    assert.deepEqual(naming.legend, ['n = len(orders)', 'm = len(known)']);
  });
});
