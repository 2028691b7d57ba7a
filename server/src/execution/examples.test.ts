// Inputs from existing calls of the function: its doctests, the project's tests, other call sites.
// The call's arguments are rebuilt by a generator with the example's sizes scaled to n, the run
// says where the input came from, and an example whose names cannot be bound is not used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { languageById } from '../languages';
import { loadParserFactory, type ParserFactory } from '../parsing';
import { chooseInputs } from './examples';
import { extractFunction, parseSource, resolveInputs } from './extract';
import { benchmarkFunction, NoInputError, toText } from './index';

let parsers: ParserFactory;
const ready = loadParserFactory().then((p) => (parsers = p));
const python = languageById('python').execution;

// A function whose parameter is used only through a method nothing says how to build: its uses
// alone do not give an input; its doctest does.
const RING = `class Ring:
    def __init__(self, k):
        self.items = list(range(k))

    def members(self):
        return self.items


def make_ring(k):
    return Ring(k)


def count_pairs(ring):
    """Count ordered pairs of members.

    >>> r = make_ring(4)
    >>> count_pairs(r)
    16
    """
    return sum(1 for a in ring.members() for b in ring.members())
`;

async function choose(source: string, name: string, file: string) {
  await ready;
  const fn = extractFunction(parsers, python, source, name, [], file);
  return { fn, chosen: chooseInputs(fn, python, { parse: (t) => parseSource(parsers, 'python', t), file, source }) };
}

test('a function with only a doctest gets its input from the doctest, scaled to n, and runs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-doctest-'));
  const file = join(dir, 'rings.py');
  writeFileSync(file, RING);
  const { fn, chosen } = await choose(RING, 'count_pairs', file);
  // Without the doctest there is no input: `.members()` does not say how to build a ring.
  assert.throws(() => resolveInputs(fn, python), NoInputError);
  assert.ok('example' in chosen, 'the doctest gives the input');
  assert.equal(chosen.example.source, 'doctest');
  assert.equal(chosen.example.where, 'rings.py:17');
  assert.deepEqual(chosen.example.scaled, ['make_ring(4)']);
  assert.equal(chosen.example.minN, 4);

  const r = await benchmarkFunction({ language: 'python', source: RING, functionName: 'count_pairs', file }, { languages: languageById, sizes: [4, 16, 64], minSamples: 2, maxSamples: 2 });
  assert.equal(r.inputs.kind, 'example');
  assert.equal(r.inputs.example?.source, 'doctest');
  assert.deepEqual(r.points.map((p) => p.n), [4, 16, 64]);
  assert.ok(r.points.every((p) => !p.censored && p.median > 0));
  // n² pairs: 64× the members from n=4 to n=64 cost far more than 16×… but timings are noisy: the
  // claim checked is only that the input grew (the time at 64 is above the time at 4).
  assert.ok(r.points[2].median > r.points[0].median, `time grows with the rebuilt input: ${r.points.map((p) => p.median).join(', ')}`);
  assert.match(toText(r), /inputs: rebuilt from the doctest at rings\.py:17: count_pairs\(r\), scaled to n: make_ring\(4\)/);
});

test('a call whose arguments are all literals scales its number: fib(10) → fib(n)', async () => {
  const src = 'def fib(k):\n    """\n    >>> fib(10)\n    55\n    """\n    a, b = 0, 1\n    for _ in range(k):\n        a, b = b, a + b\n    return a\n';
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-doctest-'));
  const file = join(dir, 'fib.py');
  writeFileSync(file, src);
  const { chosen } = await choose(src, 'fib', file);
  assert.ok('example' in chosen);
  assert.deepEqual(chosen.example.scaled, ['fib(… 10 …)']);
  assert.equal(chosen.example.minN, 10);
});

test('doctest arguments written as literals grow to n elements (copies with their numbers shifted)', async () => {
  const src = 'def spread(xs):\n    """\n    >>> spread([3, 1, 2])\n    2\n    """\n    return max(xs) - min(xs)\n';
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-doctest-'));
  const file = join(dir, 'spread.py');
  writeFileSync(file, src);
  const { chosen } = await choose(src, 'spread', file);
  assert.ok('example' in chosen);
  assert.deepEqual(chosen.example.scaled, ['[3, 1, 2]']);
  // The generator itself, run: n elements, copies of 3, 1, 2 shifted by 4 each time.
  const r = await benchmarkFunction({ language: 'python', source: src, functionName: 'spread', file }, { languages: languageById, sizes: [7, 70], minSamples: 2, maxSamples: 2 });
  assert.equal(r.inputs.kind, 'example');
  assert.deepEqual(r.points.map((p) => p.n), [7, 70]);
});

test("a test in the project calling the function gives the input (the test file's imports and statements rebuilt)", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-tests-'));
  mkdirSync(join(dir, 'pkg'));
  mkdirSync(join(dir, 'tests'));
  writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname = "pkg"\n');
  writeFileSync(join(dir, 'pkg', '__init__.py'), '');
  writeFileSync(join(dir, 'pkg', 'net.py'), 'class Net:\n    def __init__(self, edges):\n        self._edges = list(edges)\n\n    def edges(self):\n        return self._edges\n');
  const algo = 'def endpoints(g):\n    return {v for e in g.edges() for v in e}\n';
  writeFileSync(join(dir, 'pkg', 'algo.py'), algo);
  writeFileSync(
    join(dir, 'tests', 'test_algo.py'),
    'import pytest\nfrom pkg.net import Net\nfrom pkg.algo import endpoints\n\n\ndef test_endpoints():\n    g = Net([(1, 2), (2, 3)])\n    print("checking")\n    assert endpoints(g) == {1, 2, 3}\n',
  );
  const file = join(dir, 'pkg', 'algo.py');
  const { chosen } = await choose(algo, 'endpoints', file);
  assert.ok('example' in chosen, 'the test gives the input');
  assert.equal(chosen.example.source, 'test');
  assert.equal(chosen.example.where, join('tests', 'test_algo.py') + ':9');
  assert.deepEqual(chosen.example.scaled, ['[(1, 2), (2, 3)]']);
  // `import pytest` is left out (nothing uses it), the print too; the Net import is kept.
  assert.doesNotMatch(chosen.example.generator.text, /pytest|print/);
  assert.match(chosen.example.generator.text, /from pkg\.net import Net/);
  const r = await benchmarkFunction({ language: 'python', source: algo, functionName: 'endpoints', file }, { languages: languageById, sizes: [2, 200], minSamples: 2, maxSamples: 2 });
  assert.equal(r.inputs.example?.source, 'test');
  assert.ok(r.points.every((p) => !p.censored));
});

test('an example whose names cannot be bound, or with nothing to scale, is not used', async () => {
  const unbound = 'def total(g):\n    """\n    >>> g = some_fixture(10)\n    >>> total(g)\n    """\n    return sum(g.weights())\n';
  const fixed = 'def total(g):\n    """\n    >>> g = Builder()\n    >>> total(g)\n    """\n    return sum(g.weights())\n\n\nclass Builder:\n    def weights(self):\n        return [1, 2]\n';
  // A number given with an object the example built is a label (a node), not the size.
  const label = 'def cut(g, s, t):\n    """\n    >>> g = Builder()\n    >>> cut(g, 0, 6)\n    """\n    return g.weights()[s:t]\n\n\nclass Builder:\n    def weights(self):\n        return [1, 2]\n';
  for (const src of [unbound, fixed, label]) {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-doctest-'));
    const file = join(dir, 'm.py');
    writeFileSync(file, src);
    await ready;
    const fn = extractFunction(parsers, python, src, src === label ? 'cut' : 'total', [], file);
    assert.throws(() => chooseInputs(fn, python, { parse: (t) => parseSource(parsers, 'python', t), file, source: src }), NoInputError);
  }
});

test('an object used through its methods is built from the class of the project that has them, as its doctest builds it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-class-'));
  mkdirSync(join(dir, 'pkg'));
  writeFileSync(join(dir, 'setup.py'), '');
  writeFileSync(join(dir, 'pkg', '__init__.py'), '');
  const graph = `class Base:
    def nodes(self):
        return list(self.adj)


class Graph(Base):
    """An undirected graph.

    >>> G = Graph()
    >>> G.add_edges_from([(0, 1), (1, 2), (2, 0)])
    """

    def __init__(self):
        self.adj = {}

    def add_edges_from(self, edges):
        for u, v in edges:
            self.adj.setdefault(u, set()).add(v)
            self.adj.setdefault(v, set()).add(u)

    def neighbors(self, v):
        return iter(self.adj[v])


class Tree(Graph):
    def parent(self, v):
        return None
`;
  writeFileSync(join(dir, 'pkg', 'graph.py'), graph);
  const algo = 'from pkg.graph import Graph\n\n\ndef degree_of(G, v):\n    return sum(1 for _ in G.neighbors(v)) + len(G.nodes()) * 0\n';
  writeFileSync(join(dir, 'pkg', 'algo.py'), algo);
  const file = join(dir, 'pkg', 'algo.py');
  const { fn, chosen } = await choose(algo, 'degree_of', file);
  assert.throws(() => resolveInputs(fn, python), NoInputError);
  assert.ok('example' in chosen, 'a class of the project has .neighbors() and .nodes()');
  assert.equal(chosen.example.source, 'class');
  // Graph, not Tree: the most general class with both methods (nodes() inherited from Base).
  assert.equal(chosen.example.call, 'G: a Graph');
  assert.equal(chosen.example.where, join('pkg', 'graph.py') + ':9');
  const r = await benchmarkFunction({ language: 'python', source: algo, functionName: 'degree_of', file }, { languages: languageById, sizes: [3, 30, 300], minSamples: 2, maxSamples: 2 });
  assert.equal(r.inputs.example?.source, 'class');
  assert.ok(r.points.every((p) => !p.censored));
  assert.match(toText(r), /G: a Graph \(a class of the project with the methods its uses need\), built as in the doctest at pkg.graph\.py:9/);

  // A function of another module that only passes the object on: the uses where it goes count.
  const other = 'from pkg.algo import degree_of\n\n\ndef twice(H, node):\n    return 2 * degree_of(H, node)\n';
  writeFileSync(join(dir, 'pkg', 'other.py'), other);
  const passed = await choose(other, 'twice', join(dir, 'pkg', 'other.py'));
  assert.ok('example' in passed.chosen, 'H goes to degree_of, which calls .neighbors() and .nodes() on it');
  assert.equal(passed.chosen.example.call, 'H: a Graph');
});

test('an example generator in a package whose decorator registry refuses a name twice is defined in the real module (as networkx loads)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-registry-'));
  mkdirSync(join(dir, 'pkg'));
  writeFileSync(join(dir, 'setup.py'), '');
  writeFileSync(join(dir, 'pkg', '__init__.py'), 'REG = set()\n\n\ndef register(f):\n    if f.__name__ in REG:\n        raise KeyError("already registered: " + f.__name__)\n    REG.add(f.__name__)\n    return f\n\n\nfrom pkg.mod import *\n');
  const mod = 'import pkg\n\n\n@pkg.register\ndef helper(k):\n    return list(range(k))\n\n\n@pkg.register\ndef total(xs):\n    """\n    >>> total(helper(5))\n    10\n    """\n    return sum(xs)\n';
  writeFileSync(join(dir, 'pkg', 'mod.py'), mod);
  const file = join(dir, 'pkg', 'mod.py');
  const r = await benchmarkFunction({ language: 'python', source: mod, functionName: 'total', file }, { languages: languageById, sizes: [5, 50], minSamples: 2, maxSamples: 2 });
  assert.equal(r.inputs.example?.source, 'doctest');
  assert.deepEqual(r.inputs.example?.scaled, ['helper(5)']);
  assert.ok(r.points.every((p) => !p.censored));
});

// Keyword-only parameters (after `*` or `*args`) are passed by name: passed by position they raised
// "takes 1 positional argument but 2 were given" on every input path.
const KEYWORD_ONLY = `def scaled_total(xs, *, scale, offset=0):
    """Sum of the scaled items.

    >>> scaled_total([1, 2, 3], scale=2)
    12
    """
    return sum(x * scale for x in xs) + offset


def weighted(xs, *weights, key):
    return sum(key(x) for x in xs) + len(weights)
`;

test('keyword-only parameters are passed by name, from inferred types and from a doctest', async () => {
  await ready;
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-kwonly-'));
  const file = join(dir, 'totals.py');
  writeFileSync(file, KEYWORD_ONLY);
  const fn = extractFunction(parsers, python, KEYWORD_ONLY, 'scaled_total', [], file);
  assert.deepEqual(fn.params.map((p) => [p.name, !!p.keywordOnly, p.optional]), [['xs', false, false], ['scale', true, false], ['offset', true, true]]);
  const after = extractFunction(parsers, python, KEYWORD_ONLY, 'weighted', [], file);
  assert.deepEqual(after.params.map((p) => [p.name, !!p.keywordOnly]), [['xs', false], ['key', true]]);

  const fromDoctest = await benchmarkFunction({ language: 'python', source: KEYWORD_ONLY, functionName: 'scaled_total', file }, { languages: languageById, sizes: [3, 30, 300], minSamples: 2, maxSamples: 2 });
  assert.equal(fromDoctest.inputs.kind, 'example');
  assert.deepEqual(fromDoctest.points.map((p) => p.n), [3, 30, 300]);
  assert.ok(fromDoctest.points.every((p) => !p.censored && p.median > 0));

  // Without the doctest the types come from the body's uses (xs iterated, scale multiplied).
  const plain = KEYWORD_ONLY.replace(/"""[\s\S]*?"""\n    /, '');
  const fromUses = await benchmarkFunction({ language: 'python', source: plain, functionName: 'scaled_total', file }, { languages: languageById, sizes: [4, 40, 400], minSamples: 2, maxSamples: 2 });
  assert.notEqual(fromUses.inputs.kind, 'example');
  assert.deepEqual(fromUses.points.map((p) => p.n), [4, 40, 400]);
  assert.ok(fromUses.points.every((p) => !p.censored && p.median > 0));
});

// A parameter the function only passes on takes the type the callee's parameter needs: a function
// of another module of the project (followed a few calls deep), a class's constructor, an
// isinstance test, a compiled pattern; one only formatted into text is any value (a string).
test("a parameter only passed on takes the type the project's callee needs, and the run uses it", async () => {
  await ready;
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-passed-'));
  mkdirSync(join(dir, 'pkg'));
  writeFileSync(join(dir, 'setup.py'), '');
  writeFileSync(join(dir, 'pkg', '__init__.py'), '');
  writeFileSync(join(dir, 'pkg', 'util.py'), 'def longest(words):\n    return max(len(w.strip()) for w in words)\n\n\ndef relay(items):\n    return longest(items)\n');
  writeFileSync(join(dir, 'pkg', 'shapes.py'), 'class Box:\n    def __init__(self, sizes, label: str):\n        self.total = sum(sizes)\n        self.label = label\n');
  const mod = [
    'import re',
    'from pkg import util',
    'from pkg.util import relay',
    'from pkg.shapes import Box',
    'WORD = re.compile(r"\\w+")',
    '',
    '',
    'def widest(rows):',
    '    return util.longest(rows)',
    '',
    '',
    'def two_deep(rows):',
    '    return relay(rows)',
    '',
    '',
    'def boxed(sizes, name):',
    '    return Box(sizes, name)',
    '',
    '',
    'def checked(text):',
    '    assert isinstance(text, str), f"not a string: {text!r}"',
    '    return WORD.findall(text)',
    '',
    '',
    'def shout(what):',
    '    return f"{what}!"',
    '',
    '',
    'def forward(thing):',
    '    return print(f"{thing}") or unknown_sink(thing)',
    '',
  ].join('\n');
  const file = join(dir, 'pkg', 'mod.py');
  writeFileSync(file, mod);
  const typesOf = async (name: string) => {
    const { chosen } = await choose(mod, name, file);
    assert.ok(!('example' in chosen));
    return chosen.description.params.map((p) => `${p.name}: ${p.type} (${(p.evidence ?? []).join('; ')})`);
  };
  // Through `module.function(x)`, through an imported function that passes it on again, into a constructor.
  assert.deepEqual(await typesOf('widest'), ['rows: list[str] (passed to util.longest())']);
  assert.deepEqual(await typesOf('two_deep'), ['rows: list[str] (passed to relay())']);
  assert.deepEqual(await typesOf('boxed'), ['sizes: list[int] (passed to Box())', 'name: str (passed to Box())']);
  assert.deepEqual(await typesOf('checked'), ['text: str (isinstance(text, str); WORD.findall(text); f"{text}")']);
  assert.deepEqual(await typesOf('shout'), ['what: str (f"{what}")']);
  // Shown and also handed to something Hotpath does not follow: not any value.
  await assert.rejects(async () => typesOf('forward'), /'thing' \(nothing in the function says what it is\)/);
  // Without the project (the file unknown), the other module is not read.
  const fn = extractFunction(parsers, python, mod, 'widest', [], file);
  assert.throws(() => resolveInputs(fn, python), NoInputError);

  const r = await benchmarkFunction({ language: 'python', source: mod, functionName: 'widest', file }, { languages: languageById, sizes: [4, 40, 400], minSamples: 2, maxSamples: 2 });
  assert.deepEqual(r.points.map((p) => p.n), [4, 40, 400]);
  assert.ok(r.points.every((p) => !p.censored && p.median > 0));
});

test('an object used through methods of a class no doctest builds is built by its constructor, only when its arguments can be built and grow', async () => {
  await ready;
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-ctor-'));
  mkdirSync(join(dir, 'pkg'));
  writeFileSync(join(dir, 'setup.py'), '');
  writeFileSync(join(dir, 'pkg', '__init__.py'), '');
  writeFileSync(join(dir, 'pkg', 'bag.py'), [
    'class Bag:',
    '    def __init__(self, items):',
    '        self.items = [i + 1 for i in items]',
    '',
    '    def members(self):',
    '        return list(self.items)',
    '',
    '',
    'class Empty:',
    '    def __init__(self):',
    '        self.items = []',
    '',
    '    def contents(self):',
    '        return self.items',
    '',
    '',
    'class Pair:',
    '    def __init__(self, pair: tuple[int, int]):',
    '        self.pair = pair',
    '',
    '    def ends(self):',
    '        return self.pair',
    '',
  ].join('\n'));
  const mod = 'def pairs(bag):\n    return sum(1 for a in bag.members() for b in bag.members())\n\n\ndef nothing(box):\n    return len(box.contents())\n\n\ndef span(p):\n    return p.ends()[1] - p.ends()[0]\n';
  const file = join(dir, 'pkg', 'use.py');
  writeFileSync(file, mod);
  const { fn, chosen } = await choose(mod, 'pairs', file);
  assert.throws(() => resolveInputs(fn, python), NoInputError);
  assert.ok('example' in chosen);
  assert.equal(chosen.example.source, 'class');
  assert.equal(chosen.example.constructed, true);
  assert.equal(chosen.example.where, join('pkg', 'bag.py') + ':1');
  // Empty() takes nothing that grows: not built (it would be the same object at every n).
  assert.throws(() => chooseInputs(extractFunction(parsers, python, mod, 'nothing', [], file), python, { parse: (t) => parseSource(parsers, 'python', t), file, source: mod }), NoInputError);
  // Pair((a, b)) takes a tuple of two: the same size at every n, so not built either.
  assert.throws(() => chooseInputs(extractFunction(parsers, python, mod, 'span', [], file), python, { parse: (t) => parseSource(parsers, 'python', t), file, source: mod }), NoInputError);

  const r = await benchmarkFunction({ language: 'python', source: mod, functionName: 'pairs', file }, { languages: languageById, sizes: [8, 32, 128], minSamples: 2, maxSamples: 2 });
  assert.ok(r.points.every((p) => !p.censored));
  assert.match(toText(r), /bag: a Bag \(a class of the project with the methods its uses need; no doctest builds it\), built by its constructor, defined at pkg.bag\.py:1, with generated arguments/);
  // Quadratic in the bag's size: the constructor's list grew with n.
  assert.ok(r.points[2].median / r.points[0].median > 16, `time grows with n (${r.points.map((p) => p.median).join(', ')})`);
});

test('JavaScript: a parameter passed to a function imported by relative path takes its type from there; typeof and instanceof tests give one', async () => {
  await ready;
  const js = languageById('javascript').execution;
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-js-passed-'));
  writeFileSync(join(dir, 'util.js'), 'export function total(xs) {\n  let s = 0;\n  for (const x of xs) s += x * 2;\n  return s;\n}\nexport var half = Math.half || function half(v) {\n  return v / 2;\n};\n');
  const mod = [
    "import { total, half as halve } from './util.js';",
    'export function sumAll(q) {',
    '  return total(q);',
    '}',
    'export function halfOf(y) {',
    '  return halve(y);',
    '}',
    'export function isText(x) {',
    "  return typeof x === 'string';",
    '}',
    'export function isList(x) {',
    '  return x instanceof Array;',
    '}',
    '',
  ].join('\n');
  const file = join(dir, 'mod.js');
  writeFileSync(file, mod);
  const typesOf = (name: string) => {
    const fn = extractFunction(parsers, js, mod, name, [], file);
    const chosen = chooseInputs(fn, js, { parse: (t) => parseSource(parsers, js.grammar(file), t), file, source: mod });
    assert.ok(!('example' in chosen));
    return chosen.description.params.map((p) => `${p.name}: ${p.type} (${(p.evidence ?? []).join('; ')})`);
  };
  assert.deepEqual(typesOf('sumAll'), ['q: number[] (passed to total())']);
  assert.deepEqual(typesOf('halfOf'), ['y: number (passed to halve())']);
  assert.deepEqual(typesOf('isText'), ["x: string (typeof x === 'string')"]);
  assert.deepEqual(typesOf('isList'), ['x: number[] (x instanceof Array)']);
  // Without the file, the import is not read.
  assert.throws(() => resolveInputs(extractFunction(parsers, js, mod, 'sumAll', [], file), js), NoInputError);

  const r = await benchmarkFunction({ language: 'javascript', source: mod, functionName: 'sumAll', file }, { languages: languageById, sizes: [8, 80, 800], minSamples: 2, maxSamples: 2 });
  assert.deepEqual(r.points.map((p) => p.n), [8, 80, 800]);
  assert.ok(r.points.every((p) => !p.censored && p.median > 0));
});

test('JavaScript: an object used through methods is built as the workspace builds its class and grown through the class\'s own mutating methods (keys and labels as the calls pass them)', async () => {
  await ready;
  const js = languageById('javascript').execution;
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-js-grown-'));
  writeFileSync(join(dir, 'package.json'), '{ "name": "g", "version": "1.0.0" }');
  writeFileSync(join(dir, 'graph.js'), [
    'function Graph(opts) {',
    '  this._directed = !opts || opts.directed !== false;',
    '  this._nodes = {};',
    '  this._out = {};',
    '}',
    'Graph.prototype.setNode = function (v, label) {',
    '  this._nodes[v] = label;',
    '  if (!this._out[v]) this._out[v] = {};',
    '  return this;',
    '};',
    'Graph.prototype.setEdge = function (v, w, label) {',
    '  if (!(v in this._nodes)) this.setNode(v, {});',
    '  if (!(w in this._nodes)) this.setNode(w, {});',
    '  this._out[v][w] = label;',
    '  return this;',
    '};',
    'Graph.prototype.nodes = function () { return Object.keys(this._nodes); };',
    'Graph.prototype.node = function (v) { return this._nodes[v]; };',
    'Graph.prototype.successors = function (v) { return Object.keys(this._out[v] || {}); };',
    'module.exports = Graph;',
    '',
    'function Tree() { this.kids = []; }',
    'Tree.prototype.add = function (k) { this.kids[k] = true; };',
    'Tree.prototype.leaves = function () { return this.kids; };',
    'module.exports.Tree = Tree;',
    '',
  ].join('\n'));
  // How the project builds one (no literal arguments to copy, only the calls' shapes).
  writeFileSync(join(dir, 'build.js'), [
    "var Graph = require('./graph.js');",
    'function fromPairs(pairs) {',
    '  var g = new Graph({ directed: true });',
    '  pairs.forEach(function (p) { g.setNode(p[0], { weight: 1 }); g.setEdge(p[0], p[1], { span: p[2] }); });',
    '  return g;',
    '}',
    'module.exports = fromPairs;',
    '',
  ].join('\n'));
  const mod = [
    'function heavyPairs(g) {',
    '  var count = 0;',
    '  g.nodes().forEach(function (u) {',
    '    g.nodes().forEach(function (v) {',
    '      if (g.node(u).weight + g.node(v).weight > 0 && g.successors(u).length >= 0) count++;',
    '    });',
    '  });',
    '  return count;',
    '}',
    'function leafCount(t) {',
    '  return t.leaves().length;',
    '}',
    'module.exports = { heavyPairs: heavyPairs, leafCount: leafCount };',
    '',
  ].join('\n');
  const file = join(dir, 'use.js');
  writeFileSync(file, mod);
  const ctx = { parse: (t: string) => parseSource(parsers, js.grammar(file), t), file, source: mod };
  const fn = extractFunction(parsers, js, mod, 'heavyPairs', [], file);
  assert.throws(() => resolveInputs(fn, js, ctx), NoInputError);
  const chosen = chooseInputs(fn, js, ctx);
  assert.ok('example' in chosen);
  assert.equal(chosen.example.source, 'class');
  assert.equal(chosen.example.grown, true);
  assert.equal(chosen.example.where, 'build.js:3');
  assert.deepEqual(chosen.example.scaled, ['new Graph({ directed: true }) grown by .setNode(key, label), .setEdge(key, key, label)']);
  // A class the workspace never constructs gives no recipe: refused as before.
  assert.throws(() => chooseInputs(extractFunction(parsers, js, mod, 'leafCount', [], file), js, { ...ctx }), NoInputError);

  const r = await benchmarkFunction({ language: 'javascript', source: mod, functionName: 'heavyPairs', file }, { languages: languageById, sizes: [16, 64, 256], minSamples: 2, maxSamples: 2 });
  assert.ok(r.points.every((p) => !p.censored), 'every size ran: the labels have the weight the function reads');
  assert.match(toText(r), /g: a Graph \(a class with the methods its uses need\), built as the workspace builds it at build\.js:3 and grown through its own methods to n/);
  // Quadratic in the number of nodes: the graph grew with n (16× n; linear would be ~16×).
  assert.ok(r.points[2].median / r.points[0].median > 32, `time grows with n (${r.points.map((p) => p.median).join(', ')})`);
});

test('JavaScript: looking for a class with the methods used parses only files that name them all, and reads at most 20 MB of a project', async () => {
  await ready;
  const js = languageById('javascript').execution;
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-js-bounded-'));
  writeFileSync(join(dir, 'package.json'), '{ "name": "b", "version": "1.0.0" }');
  const graph = [
    'function Bag() { this._items = {}; }',
    'Bag.prototype.put = function (k, label) { this._items[k] = label; };',
    'Bag.prototype.keysOf = function () { return Object.keys(this._items); };',
    'module.exports = Bag;',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'zbag.js'), graph);
  writeFileSync(join(dir, 'zbuild.js'), "var Bag = require('./zbag.js');\nfunction make(xs) {\n  var b = new Bag();\n  xs.forEach(function (x) { b.put(x, { w: 1 }); });\n  return b;\n}\nmodule.exports = make;\n");
  // Thirty other classes, none with keysOf: not parsed.
  for (let i = 0; i < 30; i++) writeFileSync(join(dir, `other${i}.js`), `class Other${i} {\n  put(k) { this.k = k; }\n  size() { return 1; }\n}\nmodule.exports = Other${i};\n`);
  const mod = 'function count(b) {\n  var c = 0;\n  b.keysOf().forEach(function () { c++; });\n  return c;\n}\nmodule.exports = count;\n';
  const file = join(dir, 'use.js');
  writeFileSync(file, mod);
  const parsed: string[] = [];
  const ctx = { parse: (t: string) => (parsed.push(t), parseSource(parsers, js.grammar(file), t)), file, source: mod };
  const chosen = chooseInputs(extractFunction(parsers, js, mod, 'count', [], file), js, ctx);
  assert.ok('example' in chosen && chosen.example.source === 'class', JSON.stringify(chosen));
  assert.equal(parsed.filter((t) => /class Other/.test(t)).length, 0, 'files without keysOf are not parsed');
  // The same project behind 20 MB of other sources (read first, in name order): the class is past the cap.
  const big = mkdtempSync(join(tmpdir(), 'hotpath-js-capped-'));
  writeFileSync(join(big, 'package.json'), '{ "name": "c", "version": "1.0.0" }');
  const filler = '// filler\n'.repeat(39_000);
  for (let i = 0; i < 52; i++) writeFileSync(join(big, `a${String(i).padStart(2, '0')}.js`), filler);
  writeFileSync(join(big, 'zbag.js'), graph);
  writeFileSync(join(big, 'zbuild.js'), "var Bag = require('./zbag.js');\nfunction make(xs) {\n  var b = new Bag();\n  xs.forEach(function (x) { b.put(x, { w: 1 }); });\n  return b;\n}\nmodule.exports = make;\n");
  const bigFile = join(big, 'use.js');
  writeFileSync(bigFile, mod);
  assert.throws(() => chooseInputs(extractFunction(parsers, js, mod, 'count', [], bigFile), js, { ...ctx, file: bigFile }), NoInputError);
});

test('TypeScript ESM: an import of `./m.js` reaches m.ts, and an imported module is parsed with its own grammar (TypeScript from JavaScript)', async () => {
  await ready;
  const ts = languageById('typescript').execution;
  const js = languageById('javascript').execution;
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-ts-esm-'));
  writeFileSync(join(dir, 'util.ts'), 'export function total(xs: number[]): number {\n  let s = 0;\n  for (const x of xs) s += x * 2;\n  return s;\n}\n');
  writeFileSync(join(dir, 'shapes.ts'), 'export function area(b: { w: number; h: number }, scale: number): number {\n  return Object.keys(b).length * scale;\n}\n');
  const mod = "import { total } from './util.js';\n\nexport function sumAll(q) {\n  return total(q);\n}\n";
  const file = join(dir, 'main.ts');
  writeFileSync(file, mod);
  const ctx = { parse: (t: string) => parseSource(parsers, ts.grammar(file), t), parseWith: (g: Parameters<typeof parseSource>[1], t: string) => parseSource(parsers, g, t), file, source: mod };
  const chosen = chooseInputs(extractFunction(parsers, ts, mod, 'sumAll', [], file), ts, ctx);
  assert.ok(!('example' in chosen));
  assert.deepEqual(chosen.description.params.map((p) => `${p.name}: ${p.type} (${(p.evidence ?? []).join('; ')})`), ['q: number[] (passed to total())']);
  const r = await benchmarkFunction({ language: 'typescript', source: mod, functionName: 'sumAll', file }, { languages: languageById, sizes: [8, 80, 800], minSamples: 2, maxSamples: 2 });
  assert.deepEqual(r.points.map((p) => p.n), [8, 80, 800]);
  assert.ok(r.points.every((p) => !p.censored));

  // A JavaScript module importing TypeScript: the type annotation is read with the TypeScript grammar.
  const jsMod = "import { area } from './shapes';\n\nexport function boxArea(box, k) {\n  return area(box, k);\n}\n";
  const jsFile = join(dir, 'use.js');
  writeFileSync(jsFile, jsMod);
  const jsCtx = { parse: (t: string) => parseSource(parsers, js.grammar(jsFile), t), parseWith: (g: Parameters<typeof parseSource>[1], t: string) => parseSource(parsers, g, t), file: jsFile, source: jsMod };
  const c2 = chooseInputs(extractFunction(parsers, js, jsMod, 'boxArea', [], jsFile), js, jsCtx);
  assert.ok(!('example' in c2));
  assert.deepEqual(c2.description.params.map((p) => `${p.name}: ${p.type}`), ['box: { w: number; h: number }', 'k: number']);
});

test('a parameter used only through read() is the project\'s class with read() when a doctest builds one (a text stream only failing that)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-read-class-'));
  writeFileSync(join(dir, 'setup.py'), '');
  const mod = `class Tape:
    \"\"\"A tape of cells.

    >>> t = Tape()
    >>> t.extend([1, 2, 3])
    \"\"\"

    def __init__(self):
        self.cells = []

    def extend(self, xs):
        self.cells.extend(xs)

    def read(self):
        return list(self.cells)


def total(tape):
    return sum(tape.read())
`;
  const file = join(dir, 'tape.py');
  writeFileSync(file, mod);
  const { chosen } = await choose(mod, 'total', file);
  assert.ok('example' in chosen);
  assert.equal(chosen.example.source, 'class');
  assert.equal(chosen.example.streamed, undefined);
  assert.equal(chosen.example.call, 'tape: a Tape');
});

test('a parameter used only as a file (.readline(), .write()) is a text stream of n lines (io.StringIO), empty when only written to', async () => {
  await ready;
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-stream-'));
  const mod = [
    'def count_words(stream):',
    '    total = 0',
    '    line = stream.readline()',
    '    while line:',
    '        total += len(line.split())',
    '        line = stream.readline()',
    '    return total',
    '',
    '',
    'def dump(rows, out):',
    '    for r in rows:',
    '        out.write(str(r + 1))',
    '',
  ].join('\n');
  const file = join(dir, 'streams.py');
  writeFileSync(file, mod);
  const { fn, chosen } = await choose(mod, 'count_words', file);
  assert.throws(() => resolveInputs(fn, python), NoInputError);
  assert.ok('example' in chosen);
  assert.equal(chosen.example.streamed, true);
  assert.equal(chosen.example.call, 'stream: a text stream (io.StringIO of n lines)');
  const r = await benchmarkFunction({ language: 'python', source: mod, functionName: 'count_words', file }, { languages: languageById, sizes: [16, 128, 1024], minSamples: 2, maxSamples: 2 });
  assert.ok(r.points.every((p) => !p.censored));
  assert.match(toText(r), /inputs: stream: a text stream \(io\.StringIO of n lines\), as its uses/);
  // It reads every line: the time grows with n (64× n; constant would be ~1×).
  assert.ok(r.points[2].median / r.points[0].median > 8, `time grows with n (${r.points.map((p) => p.median).join(', ')})`);
  const d = await benchmarkFunction({ language: 'python', source: mod, functionName: 'dump', file }, { languages: languageById, sizes: [16, 128, 1024], minSamples: 2, maxSamples: 2 });
  assert.ok(d.points.every((p) => !p.censored));
  assert.match(toText(d), /out: a text stream/);
});

test("an object used through methods is built by the project's function whose declared return type is its class, called as the project's README calls it with a string (grown to n)", async () => {
  await ready;
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-returned-'));
  mkdirSync(join(dir, 'tok'));
  writeFileSync(join(dir, 'tok', '__init__.py'), [
    'class Token:',
    '    def __init__(self, text):',
    '        self.text = text',
    '',
    '    def match(self, word):',
    '        return self.text == word',
    '',
    '',
    'class TokenList(Token):',
    '    def __init__(self, tokens):',
    '        self.tokens = tokens',
    '',
    '    def __iter__(self):',
    '        return iter(self.tokens)',
    '',
    '    def token_next(self, i):',
    '        return self.tokens[i + 1] if i + 1 < len(self.tokens) else None',
    '',
    '',
    'class Statement(TokenList):',
    '    def kind(self):',
    '        return self.tokens[0].text',
    '',
    '',
    'def parse(text: str, strict: bool = False) -> tuple[Statement, ...]:',
    '    return tuple(Statement([Token(w) for w in part.split()]) for part in text.split(";") if part.strip())',
    '',
    '',
    'def guess(text):',
    '    return Statement([Token(w) for w in text.split()])',
    '',
  ].join('\n'));
  // The README shows how the project is called; only there is a string that the function turns into statements.
  // `json.parse(…)` is another module's function of the same name: not the project's parse (it was taken for it).
  writeFileSync(join(dir, 'README.md'), ['# tok', '', '```python', 'import tok', '', 'first = tok.guess("x y")', 'other = json.parse("{ not a statement }")[0]', 'statement = tok.parse("select id , name from users")[0]', '```', ''].join('\n'));
  const mod = [
    'def pairs(tlist):',
    '    # Quadratic in the tokens: every token against every one after it.',
    '    count = 0',
    '    for i, a in enumerate(list(tlist)):',
    '        for b in list(tlist):',
    '            if a.match(b.text) and tlist.token_next(i) is not None:',
    '                count += 1',
    '    return count',
    '',
    '',
    'def walk(tlist, cls, depth=0):',
    '    # `cls` is an ordinary parameter of a top-level function (no classmethod): the recursive call passes it on as such.',
    '    for t in list(tlist):',
    '        if isinstance(t, cls) and t.match("x"):',
    '            walk(t, cls, depth + 1)',
    '    return depth',
    '',
  ].join('\n');
  const file = join(dir, 'use.py');
  writeFileSync(file, mod);
  const { fn, chosen } = await choose(mod, 'pairs', file);
  assert.throws(() => resolveInputs(fn, python), NoInputError);
  assert.ok('example' in chosen);
  assert.equal(chosen.example.source, 'class');
  assert.equal(chosen.example.returned, true);
  // Not guess(): its return type is not declared, so what it returns is not known to have the methods.
  assert.equal(chosen.example.where, 'README.md:8');
  assert.equal(chosen.example.call, 'tlist: a Statement');
  assert.deepEqual(chosen.example.scaled, ['tok.parse("select id , name from users")[0]']);
  // A class parameter (isinstance's second argument) is not built, nor taken for the depth (the recursive call's arguments go to the parameters in order): refused.
  assert.throws(() => chooseInputs(extractFunction(parsers, python, mod, 'walk', [], file), python, { parse: (t) => parseSource(parsers, 'python', t), file, source: mod }), NoInputError);

  const r = await benchmarkFunction({ language: 'python', source: mod, functionName: 'pairs', file }, { languages: languageById, sizes: [32, 128, 512], minSamples: 2, maxSamples: 2 });
  assert.ok(r.points.every((p) => !p.censored));
  assert.match(toText(r), /tlist: a Statement \(a class of the project with the methods its uses need\), returned by the project's function as called with a string at README\.md:8, the string grown to n characters/);
  // Quadratic in the statement's tokens: the string grew to n characters (16× n; linear would be ~16×).
  assert.ok(r.points[2].median / r.points[0].median > 40, `time grows with n (${r.points.map((p) => p.median).join(', ')})`);
});

test('a file the function writes bytes to (or opens in binary mode) is a byte stream (io.BytesIO)', async () => {
  await ready;
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-bytes-'));
  const mod = [
    'def dump(rows, out):',
    '    for r in rows:',
    '        out.write((str(r + 1) + "\\n").encode("ascii"))',
    '',
    '',
    'def open_file(i, mode):',
    '    return lambda f: f',
    '',
    '',
    '@open_file(0, mode="rb")',
    'def count_words(path):',
    '    total = 0',
    '    line = path.readline()',
    '    while line:',
    '        total += len(line.decode().split())',
    '        line = path.readline()',
    '    return total',
    '',
  ].join('\n');
  const file = join(dir, 'dumps.py');
  writeFileSync(file, mod);
  const { chosen } = await choose(mod, 'dump', file);
  assert.ok('example' in chosen);
  assert.equal(chosen.example.call, 'out: a byte stream (io.BytesIO of n lines)');
  // A text stream would raise TypeError at the first write: every size runs.
  const r = await benchmarkFunction({ language: 'python', source: mod, functionName: 'dump', file }, { languages: languageById, sizes: [16, 128, 1024], minSamples: 2, maxSamples: 2 });
  assert.ok(r.points.every((p) => !p.censored));
  assert.match(toText(r), /out: a byte stream/);
  const lines = await benchmarkFunction({ language: 'python', source: mod, functionName: 'count_words', file }, { languages: languageById, sizes: [16, 128, 1024], minSamples: 2, maxSamples: 2 });
  // Opened "rb": its lines are bytes (a text stream's would have no .decode()).
  assert.ok(lines.points.every((p) => !p.censored));
  assert.match(toText(lines), /path: a byte stream/);
});

test('JavaScript: an object only passed on (to a function of the module, or one it requires) is built for the uses it has there; a parameter with a fallback (`f || …`) is left out', async () => {
  await ready;
  const js = languageById('javascript').execution;
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-js-passed-'));
  writeFileSync(join(dir, 'package.json'), '{ "name": "g", "version": "1.0.0" }');
  writeFileSync(join(dir, 'graph.js'), [
    'function Graph() { this._out = {}; }',
    'Graph.prototype.setNode = function (v) { if (!this._out[v]) this._out[v] = {}; return this; };',
    'Graph.prototype.setEdge = function (v, w) { this.setNode(v); this.setNode(w); this._out[v][w] = true; return this; };',
    'Graph.prototype.nodes = function () { return Object.keys(this._out); };',
    'Graph.prototype.hasNode = function (v) { return v in this._out; };',
    'Graph.prototype.successors = function (v) { return Object.keys(this._out[v] || {}); };',
    'module.exports = Graph;',
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'build.js'), [
    "var Graph = require('./graph.js');",
    'function chain(k) {',
    '  var g = new Graph();',
    '  for (var i = 0; i < k; i++) { g.setNode(String(i)); g.setEdge(String(i), String(i + 1)); }',
    '  return g;',
    '}',
    'module.exports = chain;',
    '',
  ].join('\n'));
  // What the graph's uses are lives in the required module (and a string start there is a key of the graph).
  writeFileSync(join(dir, 'reach.js'), [
    'module.exports = reach;',
    'function reach(g, start, next) {',
    '  // A callback with a fallback: given nothing, the fallback is used.',
    '  next = next || function (v) { return g.successors(v); };',
    '  if (!g.hasNode(start)) throw new Error("no node " + start);',
    '  var seen = {}, stack = [start], count = 0;',
    '  while (stack.length) { var v = stack.pop(); if (seen[v]) continue; seen[v] = true; count++; next(v).forEach(function (w) { stack.push(w); }); }',
    '  return count + g.nodes().length;',
    '}',
    '',
  ].join('\n'));
  const mod = ["var reach = require('./reach');", 'function reachable(g, v, next) {', '  return reach(g, v, next);', '}', 'function twice(g, v) {', '  return reachable(g, v) * 2;', '}', 'function total(xs, pick) {', '  var f = pick || function (x) { return x; };', '  return xs.reduce(function (a, x) { return a + f(x); }, 0);', '}', 'module.exports = { reachable: reachable, twice: twice, total: total };', ''].join('\n');
  const file = join(dir, 'use.js');
  writeFileSync(file, mod);
  const ctx = { parse: (t: string) => parseSource(parsers, js.grammar(file), t), file, source: mod };
  for (const name of ['reachable', 'twice']) {
    const fn = extractFunction(parsers, js, mod, name, [], file);
    assert.throws(() => resolveInputs(fn, js, ctx), NoInputError);
    const chosen = chooseInputs(fn, js, ctx);
    assert.ok('example' in chosen, name);
    assert.equal(chosen.example.grown, true);
    // The callback passed on to one with a fallback is left out (a key or `true` would be called and raise).
    assert.equal(chosen.example.call, 'g: a Graph');
    assert.deepEqual(chosen.example.scaled.slice(1), name === 'reachable' ? ['next: null (where it is passed, its fallback is used)'] : []);
  }
  // Only used as `pick || fallback` in the function itself: null, the fallback is used (it was `true`, which raised when called).
  const total = resolveInputs(extractFunction(parsers, js, mod, 'total', [], file), js, ctx);
  assert.deepEqual(total.types[1], { k: 'const', value: null });
  const t = await benchmarkFunction({ language: 'javascript', source: mod, functionName: 'total', file }, { languages: languageById, sizes: [16, 64, 256], minSamples: 2, maxSamples: 2 });
  assert.ok(t.points.every((p) => !p.censored));
  const r = await benchmarkFunction({ language: 'javascript', source: mod, functionName: 'reachable', file }, { languages: languageById, sizes: [16, 64, 256], minSamples: 2, maxSamples: 2 });
  assert.ok(r.points.every((p) => !p.censored), 'the start is a node of the graph: every size ran');
  assert.match(toText(r), /g: a Graph \(a class with the methods its uses need\), built as the workspace builds it at build\.js:3/);
});

test('Python: a parameter reassigned from its own fallback (`key = key or …`) is left out (None), and the run uses the fallback', async () => {
  await ready;
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-fallback-'));
  const mod = ['def total(xs, key):', '    key = key or (lambda x: x * 2)', '    return sum(key(x) for x in xs)', ''].join('\n');
  const file = join(dir, 'fallback.py');
  writeFileSync(file, mod);
  const { fn } = await choose(mod, 'total', file);
  // It was a generated function (key is called): the function's own default was never what ran.
  assert.deepEqual(resolveInputs(fn, python).types[1], { k: 'const', value: null });
  const r = await benchmarkFunction({ language: 'python', source: mod, functionName: 'total', file }, { languages: languageById, sizes: [16, 128, 1024], minSamples: 2, maxSamples: 2 });
  assert.ok(r.points.every((p) => !p.censored));
});

// `x = x or []` / `x = x || []` normalises a parameter the function then iterates: None/null there
// would be replaced by the empty default and an O(n²) function measured flat (review 6, I1).
const DEFAULTED_PY = ['def total(items):', '    items = items or []', '    s = 0', '    for a in items:', '        for b in items:', '            s += a * b', '    return s', ''].join('\n');
const DEFAULTED_JS = ['function total(items) {', '  items = items || [];', '  let s = 0;', '  for (const a of items) for (const b of items) s += a * b;', '  return s;', '}', 'module.exports = { total };', ''].join('\n');

test('Python: a parameter reassigned from its own fallback and also iterated (`items = items or []`) is built as a list, not None', async () => {
  await ready;
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-defaulted-'));
  const file = join(dir, 'dflt.py');
  writeFileSync(file, DEFAULTED_PY);
  const { fn } = await choose(DEFAULTED_PY, 'total', file);
  assert.deepEqual(resolveInputs(fn, python).types[0], { k: 'list', of: { k: 'int' } });
  const r = await benchmarkFunction({ language: 'python', source: DEFAULTED_PY, functionName: 'total', file }, { languages: languageById, sizes: [16, 64, 256], minSamples: 2, maxSamples: 2 });
  assert.ok(r.points.every((p) => !p.censored));
  const text = toText(r);
  assert.doesNotMatch(text, /items: None/);
  assert.match(text, /items: list\[int\] \(inferred from its uses/);
});

test('JavaScript: a parameter reassigned from its own fallback and also iterated (`items = items || []`) is built as an array, not null', async () => {
  await ready;
  const js = languageById('javascript').execution;
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-defaulted-js-'));
  const file = join(dir, 'dflt.js');
  writeFileSync(file, DEFAULTED_JS);
  const ctx = { parse: (t: string) => parseSource(parsers, js.grammar(file), t), file, source: DEFAULTED_JS };
  const fn = extractFunction(parsers, js, DEFAULTED_JS, 'total', [], file);
  assert.equal(resolveInputs(fn, js, ctx).types[0].k, 'list');
  const r = await benchmarkFunction({ language: 'javascript', source: DEFAULTED_JS, functionName: 'total', file }, { languages: languageById, sizes: [16, 64, 256], minSamples: 2, maxSamples: 2 });
  assert.ok(r.points.every((p) => !p.censored));
  const text = toText(r);
  assert.doesNotMatch(text, /items: null/);
  assert.match(text, /items: number\[\] \(inferred from its uses/);
});
