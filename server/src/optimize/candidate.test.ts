// Parsing model answers into candidates, and rendering every prompt file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { loadParserFactory } from '../parsing';
import { applyReplacements } from '../analysis/fixes';
import { candidateFromAnswer, codeOf, diagnose, promptFile, renderPrompt, renderTemplate } from './index';
import type { Outcome } from './types';

const PY = `import os


def helper(x):
    return x + 1


def f(xs: list[int], k: int = 3) -> int:
    return sum(helper(x) for x in xs if x in xs[:k])


print(f([1, 2]))
`;

test('codeOf: the code up to the closing fence, an opening fence stripped', () => {
  assert.equal(codeOf('def f():\n    return 1\n```\nmore prose'), 'def f():\n    return 1\n');
  assert.equal(codeOf('```python\ndef f():\n    pass\n```'), 'def f():\n    pass\n');
});

test('a candidate keeps the name and parameters; imports and new helpers are kept, example calls dropped', async () => {
  const parsers = await loadParserFactory('wasm');
  const answer = 'import heapq\nimport os\n\ndef _index(xs):\n    return set(xs)\n\ndef f(xs: list[int], k: int = 3) -> int:\n    s = set(xs[:k])\n    return sum(helper(x) for x in xs if x in s)\n\nprint(f([1]))\n```';
  const r = candidateFromAnswer(parsers, 'python', PY, 'f', answer, 'model #1');
  assert.ok(r.ok, JSON.stringify(r));
  if (!r.ok) return;
  const out = applyReplacements(PY, r.candidate.replacements);
  assert.match(out, /import heapq\n\n\ndef _index\(xs\):/);
  assert.doesNotMatch(out, /print\(f\(\[1\]\)\)/, 'the answer\'s example call is dropped');
  assert.equal((out.match(/^import os$/gm) ?? []).length, 1, 'an import the file has is not repeated');
  assert.match(out, /print\(f\(\[1, 2\]\)\)/, 'the file\'s own code stays');
  assert.match(r.candidate.functionText, /^def f\(xs: list\[int\], k: int = 3\) -> int:/);
});

test('rejected: no parse, no such function, other parameters, unchanged', async () => {
  const parsers = await loadParserFactory('wasm');
  const bad = (answer: string) => {
    const r = candidateFromAnswer(parsers, 'python', PY, 'f', answer, 'm');
    return r.ok ? 'ok' : r.kind;
  };
  assert.equal(bad('def f(xs, k=3):\n    return (((\n'), 'parse');
  assert.equal(bad('}}} ]] def ('), 'parse');
  assert.equal(bad('def g(xs, k=3):\n    return 1\n'), 'signature');
  assert.equal(bad('def f(xs):\n    return 1\n'), 'signature');
  assert.equal(bad('def f(ys, k=3):\n    return 1\n'), 'signature');
  assert.equal(bad(''), 'parse');
  assert.equal(bad('def f(xs: list[int], k: int = 3) -> int:\n    return sum(helper(x) for x in xs if x in xs[:k])\n'), 'unchanged');
  assert.equal(bad('def f(xs: list, k=5):\n    return 0\n'), 'ok', 'annotations and defaults may change; names and order may not');
});

test('JavaScript: function declarations, arrow functions and exports', async () => {
  const parsers = await loadParserFactory('wasm');
  const js = 'export function uniq(xs, key = (x) => x) {\n  return xs.filter((x, i) => xs.indexOf(x) === i);\n}\nconst twice = (a) => a * 2;\n';
  const r = candidateFromAnswer(parsers, 'javascript', js, 'uniq', 'function uniq(xs, key = (x) => x) {\n  return [...new Set(xs)];\n}\n```', 'm');
  assert.ok(r.ok);
  if (r.ok) assert.match(applyReplacements(js, r.candidate.replacements), /^export function uniq\(xs, key = \(x\) => x\) \{\n  return \[\.\.\.new Set\(xs\)\];\n\}\nconst twice/);
  const arrow = candidateFromAnswer(parsers, 'javascript', js, 'twice', 'const twice = (a) => a + a;\n', 'm');
  assert.ok(arrow.ok);
  const wrong = candidateFromAnswer(parsers, 'javascript', js, 'twice', 'const twice = (a, b) => a + a;\n', 'm');
  assert.equal(wrong.ok ? 'ok' : wrong.kind, 'signature');
});

test('prompt files exist for every language and task, and render without leftover placeholders', async () => {
  const parsers = await loadParserFactory('wasm');
  assert.equal(renderTemplate('a {{x}} {{#y}}Y={{y}}\n{{/y}}{{#z}}Z\n{{/z}}end', { x: '1', y: '2', z: '' }), 'a 1 Y=2\nend');
  const sources: [ 'python' | 'javascript' | 'typescript', string, string][] = [
    ['python', PY, 'f'],
    ['javascript', 'function g(xs) { return xs.length; }\nfunction f(xs) {\n  let n = 0;\n  for (const x of xs) if (xs.includes(x + 1)) n += g(xs);\n  return n;\n}\n', 'f'],
    ['typescript', 'export function f(xs: number[]): number {\n  return xs.filter((x) => xs.indexOf(x) > 0).length;\n}\n', 'f'],
  ];
  for (const [language, source, name] of sources) {
    for (const task of ['optimize', 'refine'] as const) assert.ok(existsSync(promptFile(language, task)), `${language}/${task}`);
    const d = diagnose(parsers, { language, source, functionName: name });
    const first = renderPrompt(d);
    assert.doesNotMatch(first, /\{\{/);
    assert.ok(first.includes(d.functionText), `${language}: the function is in the prompt`);
    assert.ok(first.trimEnd().endsWith('```' + (language === 'python' ? 'python' : language)), `${language}: ends in an opened fence`);
    if (language === 'python') assert.match(first, /def helper\(x\):/, 'callees are in the prompt');
    if (language === 'javascript') assert.match(first, /function g\(xs\)/);
    const fb: Outcome = {
      round: 1,
      candidate: { origin: 'model #1', replacements: [], functionText: 'def f(xs, k=3):\n    return 0' },
      verification: { accepted: false, kind: 'not-equivalent', reason: 'behaves differently (return value) at n=3, seed 1', counterexample: { n: 3, seed: 1, input: '([1, 2, 3],)', what: 'return value', expected: '6', actual: '0' } },
    };
    const refine = renderPrompt(d, [fb]);
    assert.doesNotMatch(refine, /\{\{/);
    assert.match(refine, /Attempt 1 \(model #1\): REJECTED: behaves differently/);
    assert.match(refine, /expected \(return value\): 6/);
  }
});
