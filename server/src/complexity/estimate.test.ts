// Engine behaviours beyond the table: notes for what is not known, file-level calls, robustness.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { languageById, type LanguageId } from '../languages';
import { snapshot, type ParserFactory } from '../parsing';
import { loadWasmBackend } from '../parsing/wasm';
import { estimateRoots, type FunctionEstimate } from '.';
import { Estimator } from './estimate';

let wasm: ParserFactory;
before(async () => {
  wasm = await loadWasmBackend();
});

function estimates(language: LanguageId, code: string, perUnit = false): Map<string, FunctionEstimate> {
  const tree = wasm.create(languageById(language).grammar).parse(code);
  try {
    const root = snapshot(tree.rootNode.walk(), code);
    const roots = perUnit ? root.namedChildren.map((c) => [c]) : [root.namedChildren];
    return new Map(roots.flatMap((r) => estimateRoots(languageById(language).complexity, r)).map((e) => [e.name, e]));
  } finally {
    tree.dispose();
  }
}

describe('complexity estimator', () => {
  it('takes a memo-named table for a memo only when the body tests it (review 8, M1)', () => {
    const py = estimates('python', `def paths(r, c, seen):\n    seen.add((r, c))\n    if r == 0 or c == 0:\n        return 1\n    return paths(r - 1, c, seen) + paths(r, c - 1, seen)\n\ndef fill(g, r, c, visited):\n    if r < 0 or c < 0 or visited[r][c]:\n        return 0\n    visited[r][c] = True\n    return 1 + fill(g, r + 1, c, visited) + fill(g, r, c + 1, visited)\n\ndef fib(n, memo):\n    if n in memo:\n        return memo[n]\n    memo[n] = n if n < 2 else fib(n - 1, memo) + fib(n - 2, memo)\n    return memo[n]\n`);
    assert.match(py.get('paths')!.display, /2/);
    for (const name of ['fill', 'fib']) assert.doesNotMatch(py.get(name)!.display, /2/, name);
    const js = estimates('javascript', `function paths(r, c, seen) {\n  seen.add(r * 1000 + c);\n  if (r === 0 || c === 0) return 1;\n  return paths(r - 1, c, seen) + paths(r, c - 1, seen);\n}\nfunction ways(n, memo) {\n  if (memo.has(n)) return memo.get(n);\n  const v = n < 2 ? 1 : ways(n - 1, memo) + ways(n - 2, memo);\n  memo.set(n, v);\n  return v;\n}\nfunction f(n, cache) {\n  return cache[n] ?? (cache[n] = n < 2 ? n : f(n - 1, cache) + f(n - 2, cache));\n}\n`);
    assert.match(js.get('paths')!.display, /2/);
    for (const name of ['ways', 'f']) assert.doesNotMatch(js.get(name)!.display, /2/, name);
  });

  it('counts a nested generator function expression as a function of its own, like an arrow function', () => {
    // Its loops run when the generator is consumed, not when the enclosing function runs.
    const code = (inner: string) => `function outer(items) {\n  const g = ${inner} {\n    for (const a of items) for (const b of items) use(a, b);\n  };\n  return g;\n}\n`;
    for (const inner of ['function* ()', '() =>', 'function ()']) {
      assert.doesNotMatch(estimates('javascript', code(inner)).get('outer')!.display, /n²|n\^2/, inner);
    }
  });

  it('sizes a name from the bindings that reach its use, not from one it was rebound past (trial9 L13)', () => {
    // pygments' format_unencoded: `start` is first an int, then rebound to each token's text; the
    // inner loop was named "n = len(limit)" (the first binding) and the function O(n·m).
    const py = estimates('python', `def f(tokens, limit):
    start = limit
    for value in tokens:
        start = value
        for ch in start:
            print(ch)

def g(tokens, limit):
    start = limit
    for value in tokens:
        if value:
            start = value
        for ch in start:
            print(ch)

def h(platforms, abis):
    platforms = list(platforms or default())
    for a in abis:
        for p in platforms:
            print(a, p)
`);
    const f = py.get('f')!;
    assert.ok(![...f.naming.entries].some(([, v]) => v.includes('limit')), JSON.stringify([...f.naming.entries]));
    // A binding in a branch does not always run: the first one still reaches the loop.
    assert.ok([...py.get('g')!.naming.entries].some(([, v]) => v.includes('limit')));
    // \`x or default\` is as large as one of the two: the parameter still sizes the rebinding.
    assert.ok([...py.get('h')!.naming.entries].some(([, v]) => v === 'len(platforms)' || v.includes('len(platforms)')), JSON.stringify([...py.get('h')!.naming.entries]));
  });

  it('says what it does not know', () => {
    const e = estimates('python', `def f(xs, s):\n    for x in xs:\n        if x in s:\n            log(x)\n    while True:\n        pass\n`).get('f')!;
    assert.equal(e.display, '≥ O(n)');
    assert.deepEqual(e.cost.notes.map((n) => n.text), [
      '`x in s`: O(1) only if `s` is a set or dict (its type is not known)',
      'calls `log` (not estimated: defined elsewhere)',
      '`True`: iteration count not known',
    ]);
  });

  it('follows calls within the file, but a unit alone counts them as unknown', () => {
    const code = `def helper(x, ys):\n    return x in list(ys)\n\ndef uses(xs, ys):\n    return [x for x in xs if helper(x, ys)]\n`;
    assert.equal(estimates('python', code).get('uses')!.display, 'O(n·m)');
    assert.equal(estimates('python', code, true).get('uses')!.display, '≥ O(n)');
  });

  it('does not follow mutual recursion forever', () => {
    const e = estimates('javascript', `function even(n) { return n === 0 ? true : odd(n - 1); }\nfunction odd(n) { return n === 0 ? false : even(n - 1); }\n`);
    assert.match(e.get('even')!.cost.notes[0]?.text ?? e.get('odd')!.cost.notes[0].text, /mutual recursion/);
  });

  it('survives pathological nesting', () => {
    const code = `def f(xs):\n    return ${Array.from({ length: 3000 }, (_, i) => `xs[${i}]`).join(' + ')}\n\ndef g(xs):\n    return sorted(xs)\n`;
    const e = estimates('python', code);
    assert.equal(e.get('g')!.display, 'O(n log n)');
    assert.ok(e.get('f')!.display.startsWith('≥') || e.get('f')!.display === 'O(1)');
  });

  it('counts non-overlapping chunks of a scanner once in total', () => {
    const py = estimates('python', `def words(text):\n    out = []\n    start = end = 0\n    while end < len(text):\n        if text[end] == ' ':\n            out.append(text[start:end])\n            start = end = end + 1\n        else:\n            end += 1\n    return out\n`).get('words')!;
    assert.equal(py.display, 'O(n)');
    const js = estimates('javascript', `function words(text) {\n  const out = [];\n  let start = 0;\n  for (let end = 0; end < text.length; end++) {\n    if (text[end] === ' ') { out.push(text.slice(start, end)); start = end + 1; }\n  }\n  return out;\n}\n`).get('words')!;
    assert.equal(js.display, 'O(n)');
  });

  it('treats a code path that returns as paid once, not per iteration', () => {
    const e = estimates('python', `def prefix(a, b: list):\n    for i, c in enumerate(a):\n        if c != b[i]:\n            return a[:i]\n    return a\n`).get('prefix')!;
    assert.equal(e.display, 'O(n)');
  });

  it('gives nested functions the same estimates whichever function is estimated first (facts shared by the walkers, issue 18)', () => {
    // A function's sizes read the facts of its whole body, nested functions included (`buf` is bound
    // only inside `fill`); the walkers share those facts, computed once, in whatever order they ask.
    const cases: [LanguageId, string, Record<string, string>][] = [
      ['python', `def outer(xs, ys):\n    def fill():\n        buf = xs\n        def deeper(items):\n            acc = []\n            for a in items:\n                acc.append([c for c in ys if c in acc])\n            return acc\n        return deeper(buf)\n    for a in buf:\n        for b in buf:\n            print(a, b)\n    return fill()\n`, { outer: 'O(n²)', fill: 'O(1)', deeper: 'O(n²)' }],
      ['javascript', `function outer(xs) {\n  const run = () => {\n    let buf = xs;\n    const inner = (items) => {\n      const seen = [];\n      for (const a of items) if (!seen.includes(a)) seen.push(a);\n      return seen;\n    };\n    return inner(buf);\n  };\n  for (const a of buf) for (const b of buf) use(a, b);\n  return run();\n}\n`, { outer: '≥ O(n²)', run: 'O(1)', inner: 'O(n²)' }],
    ];
    for (const [language, code, expected] of cases) {
      const tree = wasm.create(languageById(language).grammar).parse(code);
      try {
        const root = snapshot(tree.rootNode.walk(), code);
        const adapter = languageById(language).complexity;
        const outerFirst = new Map(new Estimator(adapter, [root]).all().map((e) => [e.name, e.display]));
        const innerFirst = new Estimator(adapter, [root]);
        for (const shape of [...innerFirst.functions()].reverse()) innerFirst.estimate(shape);
        assert.deepEqual(new Map(innerFirst.all().map((e) => [e.name, e.display])), outerFirst, language);
        for (const [name, display] of Object.entries(expected)) assert.equal(outerFirst.get(name), display, `${language} ${name}`);
      } finally {
        tree.dispose();
      }
    }
  });
});
