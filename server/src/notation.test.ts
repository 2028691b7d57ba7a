import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatN, formatQuantity, formatRange, inputSizeLegend, prettyClass } from './notation';

test('complexity classes in one notation', () => {
  assert.equal(prettyClass('O(n^2)'), 'O(n²)');
  assert.equal(prettyClass('O(n^3)'), 'O(n³)');
  assert.equal(prettyClass('O(2^n)'), 'O(2ⁿ)');
  assert.equal(prettyClass('O(n log n)'), 'O(n log n)');
  assert.equal(prettyClass('O(n²)'), 'O(n²)');
  assert.equal(formatN(100000), '10⁵');
  assert.equal(formatN(4096), '4096');
});

test('measurements: three significant digits, the unit that suits the value', () => {
  assert.deepEqual([0.1, 0.0005, 5e-7, 1.2, 0.00012345, 999.96e-6, 0].map((v) => formatQuantity(v, 's')), ['100 ms', '500 µs', '500 ns', '1.20 s', '123 µs', '1.00 ms', '0 ns']);
  assert.deepEqual([45_600_000, 1234, 999, 2.5e9].map((v) => formatQuantity(v, 'instructions')), ['45.6 M', '1.23 k', '999', '2.50 G']);
  assert.equal(formatQuantity(Infinity, 's'), '∞');
  assert.equal(formatRange(0.0012, 0.00131, 's'), '1.20–1.31 ms');
  assert.equal(formatRange(0.0009, 0.0011, 's'), '900–1100 µs', 'one unit, the lower end\'s');
});

test('what n is, in the names the lens uses', () => {
  const py = (kind: string, name: string) => (kind === 'val' ? name : `len(${name})`);
  const js = (kind: string, name: string) => (kind === 'val' ? name : `${name}.length`);
  const params = (...p: [string, string, string?][]) => ({ kind: 'inferred', params: p.map(([name, type, source]) => ({ name, type, source: source ?? 'annotation' })) });
  assert.equal(inputSizeLegend(params(['xs', 'list[int]'], ['ys', 'set[int]']), py), 'n = len(xs) = len(ys)');
  assert.equal(inputSizeLegend(params(['k', 'int'], ['flag', 'bool'], ['sep', 'str', 'default']), py), 'n = k');
  assert.equal(inputSizeLegend(params(['xs', 'number[]'], ['n', 'number']), js), 'n = xs.length = n');
  assert.equal(inputSizeLegend({ kind: 'generator', generator: 'make_input', params: [] }, py), 'n = the size given to make_input(n, rng)');
});
