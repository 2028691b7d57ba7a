// Inputs for functions without type hints: inferred from how the body uses the parameters (Python
// and JavaScript), named types the module declares (TypeScript interfaces, dataclasses), and the
// generator stub offered when nothing works. The bundled examples (examples/) are the material a
// new user tries first: every function there must benchmark without a change to its code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { languageById } from '../languages';
import { loadParserFactory, type ParserFactory } from '../parsing';
import { extractFunction, NoInputError, resolveInputs, topLevelFunctions } from './extract';
import { benchmarkFunction, type ExecLanguage } from './index';

const root = join(__dirname, '..', '..', '..');
let parsers: ParserFactory;
const ready = loadParserFactory().then((p) => (parsers = p));

async function inputsOf(language: ExecLanguage, source: string, name: string): Promise<Record<string, string>> {
  await ready;
  const lang = languageById(language).execution;
  const r = resolveInputs(extractFunction(parsers, lang, source, name), lang);
  return Object.fromEntries(r.description.params.map((p) => [p.name, `${p.type} (${p.source})`]));
}

test('Python: types from len(), iteration, indexing, list/dict/str methods, arithmetic, field access', async () => {
  assert.deepEqual(await inputsOf('python', 'def f(xs):\n    return len(xs)\n', 'f'), { xs: 'list[int] (usage)' });
  assert.deepEqual(await inputsOf('python', 'def f(words):\n    return [w.upper() for w in words]\n', 'f'), { words: 'list[str] (usage)' });
  assert.deepEqual(await inputsOf('python', 'def f(d):\n    for k, v in d.items():\n        print(k + "!", v - 1)\n', 'f'), { d: 'dict[str, int] (usage)' });
  assert.deepEqual(await inputsOf('python', 'def f(users):\n    return {u.id: u for u in users}\n', 'f'), { users: 'list[object {.id: int}] (usage)' });
  assert.deepEqual(await inputsOf('python', 'def f(rows):\n    return sum(r["qty"] * 2 for r in rows)\n', 'f'), { rows: 'list[dict {qty: int}] (usage)' });
  assert.deepEqual(await inputsOf('python', 'def f(a, b):\n    out = []\n    for i in range(a):\n        out.append(b[i])\n    return out\n', 'f'), { a: 'int (usage)', b: 'list[int] (usage)' });
  // A helper in the same module passes its needs back: g(s) uses s as a string.
  assert.deepEqual(await inputsOf('python', 'def g(s):\n    return s.strip()\n\ndef f(lines):\n    return [g(x) for x in lines]\n', 'f'), { lines: 'list[str] (usage)' });
});

test('Python docstrings state types (Sphinx, Google, NumPy styles); a TypeVar is any type', async () => {
  const sphinx = 'def f(xs, k):\n    \"\"\"Count.\n\n    :param xs: the values\n    :type xs: list of int\n    :param int k: the key\n    \"\"\"\n    return helper(xs, k)\n';
  assert.deepEqual(await inputsOf('python', sphinx, 'f'), { xs: 'list[int] (docstring)', k: 'int (docstring)' });
  const google = 'def f(words, n):\n    \"\"\"Args:\n        words (list of str): input\n        n (int): how many\n    \"\"\"\n    return helper(words, n)\n';
  assert.deepEqual(await inputsOf('python', google, 'f'), { words: 'list[str] (docstring)', n: 'int (docstring)' });
  const numpy = 'def f(seq, flag):\n    \"\"\"Parameters\n    ----------\n    seq : iterable\n    flag : bool, optional\n    \"\"\"\n    return helper(seq, flag)\n';
  assert.deepEqual(await inputsOf('python', numpy, 'f'), { seq: 'list[int] (docstring)', flag: 'bool (docstring)' });
  assert.deepEqual(await inputsOf('python', 'from typing import TypeVar, Iterable\nT = TypeVar("T")\n\ndef f(xs: Iterable[T]):\n    return list(xs)\n', 'f'), { xs: 'list[int] (annotation)' });
});

test('JavaScript: types from .length, for…of, callbacks, push/shift, field access, Map methods', async () => {
  assert.deepEqual(await inputsOf('javascript', 'function f(xs) { return xs.length; }', 'f'), { xs: 'number[] (usage)' });
  assert.deepEqual(await inputsOf('javascript', 'function f(items) { return items.map((i) => i.price * 2); }', 'f'), { items: '{ price: number }[] (usage)' });
  assert.deepEqual(await inputsOf('javascript', 'function f(s) { return s.toUpperCase(); }', 'f'), { s: 'string (usage)' });
  assert.deepEqual(await inputsOf('javascript', 'function f(m, ks) { let t = 0; for (const k of ks) t += m.get(k); return t; }', 'f'), { m: 'Map<number, number> (usage)', ks: 'number[] (usage)' });
  assert.deepEqual(await inputsOf('javascript', 'const f = (q) => { while (q.length) q.shift().trim(); };', 'f'), { q: 'string[] (usage)' });
  // Lodash's collection functions read like the array methods.
  assert.deepEqual(await inputsOf('javascript', 'const _ = require("lodash");\nfunction f(edges) { return _.sumBy(edges, (e) => e.weight * 2); }', 'f'), { edges: '{ weight: number }[] (usage)' });
  // The parameter of a callback is not the outer parameter of the same name.
  assert.deepEqual(await inputsOf('javascript', 'function f(a, b) { return a.filter((b) => b > 1).length + b.length; }', 'f'), { a: 'number[] (usage)', b: 'number[] (usage)' });
});

test('named types: TypeScript interfaces and aliases become records, a Promise-returning callback an async function; Python dataclasses and TypedDicts', async () => {
  const ts = 'interface P { id: number; tags: string[] }\ntype Ps = P[];\nexport async function f(ps: Ps, load: (id: number) => Promise<P>) { return ps; }';
  assert.deepEqual(await inputsOf('typescript', ts, 'f'), { ps: '{ id: number; tags: string[] }[] (annotation)', load: '(…) => Promise<{ id: number; tags: string[] }> (annotation)' });
  const py = 'from dataclasses import dataclass\nfrom typing import TypedDict\n\n@dataclass\nclass Item:\n    price: float\n    qty: int = 1\n\nclass Row(TypedDict):\n    name: str\n\ndef f(items: list[Item], rows: list[Row]):\n    return 1\n';
  assert.deepEqual(await inputsOf('python', py, 'f'), { items: 'list[Item] (annotation)', rows: 'list[dict {name: str}] (annotation)' });
});

test('every function of the bundled examples gets inputs without a change to its code', async () => {
  await ready;
  let count = 0;
  for (const [file, language] of [['orders.py', 'python'], ['inventory.js', 'javascript'], ['users.ts', 'typescript']] as const) {
    const source = readFileSync(join(root, 'examples', file), 'utf8');
    const lang = languageById(language).execution;
    for (const f of topLevelFunctions(parsers, lang, source, file)) {
      const r = resolveInputs(extractFunction(parsers, lang, source, f.name, [], file), lang);
      assert.ok(r.types.length > 0, `${file} ${f.name}`);
      count++;
    }
  }
  assert.equal(count, 12);
});

test('untyped functions and records run end to end: Python dicts and objects, JavaScript records, a TypeScript interface with an async callback', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-inputs-test-'));
  const cases: [ExecLanguage, string, string, string][] = [
    ['python', 'a.py', 'def total(items):\n    t = 0\n    for it in items:\n        t += it["price"] * it["qty"]\n    return t\n', 'total'],
    ['python', 'b.py', 'def ids(users):\n    return sorted(u.id for u in users)\n', 'ids'],
    ['javascript', 'c.js', 'function totalWeight(items) { let t = 0; for (const i of items) t += i.weight; return t; }\nmodule.exports = { totalWeight };', 'totalWeight'],
    ['typescript', 'd.ts', 'interface U { id: number; name: string }\nexport async function loadAll(ids: number[], load: (id: number) => Promise<U>): Promise<U[]> {\n  const out: U[] = [];\n  for (const id of ids) out.push(await load(id));\n  return out;\n}\n', 'loadAll'],
  ];
  for (const [language, name, source, functionName] of cases) {
    const file = join(dir, name);
    writeFileSync(file, source);
    const r = await benchmarkFunction({ language, source, functionName, file }, { languages: languageById, sizes: [100, 1000, 10000], minSamples: 3, maxSamples: 3 });
    assert.equal(r.points.length, 3, name);
    assert.ok(r.points.every((p) => p.median > 0), name);
  }
});

test('when nothing says what a parameter is, the error carries a generator stub that runs once filled in', async () => {
  await ready;
  const lang = languageById('python').execution;
  const source = 'import os\n\ndef f(widget, xs):\n    widget.frobnicate()\n    return sorted(xs)\n';
  let err: unknown;
  try {
    resolveInputs(extractFunction(parsers, lang, source, 'f'), lang);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof NoInputError, String(err));
  assert.match(err.message, /'widget'.*\.frobnicate\(\).*Add a benchmark input generator/);
  assert.match(err.stub.text, /def bench_input_f\(n, rng\):/);
  assert.match(err.stub.text, /xs = \[rng\.randrange\(4 \* n \+ 10\) for _ in range\(8\)\]|xs = \[rng\.randrange\(4 \* n \+ 10\) for _ in range\(n\)\]/);
  assert.match(err.stub.text, /# hotpath: bench-input bench_input_f\n$/);
  // Filled in by the user (here: an object with the method), it is the function's generator.
  const filled = err.stub.text.replace(/widget = None.*/, 'widget = type("W", (), {"frobnicate": lambda self: None})()');
  const edited = source.slice(0, err.stub.insertAt) + filled + source.slice(err.stub.insertAt);
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-inputs-test-'));
  const file = join(dir, 'w.py');
  writeFileSync(file, edited);
  const r = await benchmarkFunction({ language: 'python', source: edited, functionName: 'f', file }, { languages: languageById, sizes: [100, 1000], minSamples: 2, maxSamples: 2 });
  assert.equal(r.inputs.kind, 'generator');
  assert.equal(r.inputs.generator, 'bench_input_f');
  assert.equal(r.points.length, 2);
});

test('a parameter that only indexes a sequence is a position below n; one that bounds a loop stays the size', async () => {
  assert.deepEqual(await inputsOf('python', 'def f(xs, i):\n    return xs[i] + xs[i - 1]\n', 'f'), { xs: 'list[int] (usage)', i: 'int (an index below n) (usage)' });
  assert.deepEqual(await inputsOf('python', 'def f(xs, k):\n    return [xs[i] for i in range(k)]\n', 'f'), { xs: 'list[int] (usage)', k: 'int (usage)' });
  assert.deepEqual(await inputsOf('javascript', 'function f(xs, n) { let s = 0; for (let i = 0; i < n; i++) s += xs[i]; return s; }', 'f'), { xs: 'number[] (usage)', n: 'number (usage)' });
  assert.deepEqual(await inputsOf('javascript', 'function f(xs, at) { return xs[at] * 2; }', 'f'), { xs: 'number[] (usage)', at: 'number (an index below n) (usage)' });
});

test('the TypeScript generator stub is typed (strict mode accepts it) and runs once filled in', async () => {
  await ready;
  const lang = languageById('typescript').execution;
  const source = 'export function f(widget: Widget, xs: number[]): number[] {\n  widget.frob();\n  return xs.slice().sort((a, b) => a - b);\n}\n\ninterface Widget { frob(): void; other: Map<Widget, Widget> }\n';
  let err: unknown;
  try {
    resolveInputs(extractFunction(parsers, lang, source, 'f', [], 'w.ts'), lang);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof NoInputError, String(err));
  assert.match(err.stub.text, /^\/\*\*[^\n]*\*\/\nfunction benchInputF\(n: number, rng: \{ random\(\): number; int\(lo: number, hi: number\): number; pick<T>\(xs: ArrayLike<T>\): T \}\) \{\n {2}const widget: any = undefined;/);
  const filled = err.stub.text.replace(/const widget: any = undefined;.*/, 'const widget: any = { frob() {} };');
  const edited = source.slice(0, err.stub.insertAt) + filled + source.slice(err.stub.insertAt);
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-inputs-test-'));
  const file = join(dir, 'w.ts');
  writeFileSync(file, edited);
  const r = await benchmarkFunction({ language: 'typescript', source: edited, functionName: 'f', file }, { languages: languageById, sizes: [100, 1000], minSamples: 2, maxSamples: 2 });
  assert.equal(r.inputs.generator, 'benchInputF');
  assert.equal(r.points.length, 2);
});

test('a parameter the body never reads gets None/null (any value does), and the function runs', async () => {
  assert.deepEqual(await inputsOf('python', 'def action(_s, _l, tokens):\n    return [t.upper() for t in tokens]\n', 'action'), { _s: 'None (usage)', _l: 'None (usage)', tokens: 'list[str] (usage)' });
  assert.deepEqual(await inputsOf('javascript', 'function f(ctx, xs) { return xs.length; }', 'f'), { ctx: 'null (usage)', xs: 'number[] (usage)' });
  // A body that could reach it another way (locals(), arguments) keeps it unknown.
  assert.deepEqual(await inputsOf('javascript', 'function f(xs, y) { return xs.length + arguments.length; }', 'f').catch((e) => e.constructor.name), 'NoInputError');
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-unused-'));
  const file = join(dir, 'm.py');
  const source = 'def action(_s, _l, tokens):\n    return [t.upper() for t in tokens]\n';
  writeFileSync(file, source);
  const r = await benchmarkFunction({ language: 'python', source, functionName: 'action', file }, { languages: languageById, sizes: [10, 100], minSamples: 2, maxSamples: 2 });
  assert.equal(r.points.length, 2);
  assert.ok(r.points.every((p) => !p.censored));
});
