import { test } from 'node:test';
import assert from 'node:assert/strict';
import { postprocess } from './postprocess';

// [name, prefix, raw completion, suffix, expected]
const GOLDEN: [string, string, string, string, string][] = [
  ['stops at a dedent (end of the function body)', 'def f(xs):\n    total = 0\n    ', 'for x in xs:\n        total += x\n    return total\n\ndef g():\n    pass', '', 'for x in xs:\n        total += x\n    return total'],
  ['one-line completion of a line with code stops at the next statement', 'x = compute(', 'a, b)\ny = 2\nz = 3', '', 'a, b)'],
  ['drops a closing bracket the suffix already has', 'print(', 'value)', ')\n', 'value'],
  ['keeps balanced brackets before an existing closer', 'print(', 'len(items))', ')', 'len(items)'],
  ['keeps a closer when the suffix has none', 'print(', 'value)', '\nnext_line()', 'value)'],
  ['cuts a repeated line', 'def f():\n    ', 'log("x")\n    log("x")\n    log("x")', '', 'log("x")'],
  ['cuts a repeated two-line block', 'for i in r:\n    ', 'a = 1\n    b = 2\n    a = 1\n    b = 2', '', 'a = 1\n    b = 2'],
  ['stops before the next line of the document', 'def f():\n    ', 'x = 1\n    return x', '\n    return x\n', 'x = 1'],
  ['trims trailing whitespace and empty results', 'a = ', '   \n  ', '', ''],
  ['drops the end of the line the suffix already holds', 'if (a', ' && b) {', ') {\n', ' && b'],
  ['JavaScript block: stops at the closing brace of the enclosing scope', 'function f(xs) {\n  ', 'let s = 0;\n  for (const x of xs) s += x;\n  return s;\n}\nfunction g() {}', '\n}', 'let s = 0;\n  for (const x of xs) s += x;\n  return s;'],
  ['limits the number of lines', 'def f():\n    ', Array.from({ length: 30 }, (_, i) => `a${i} = ${i}`).join('\n    '), '', Array.from({ length: 16 }, (_, i) => `a${i} = ${i}`).join('\n    ')],
];

for (const [name, prefix, raw, suffix, expected] of GOLDEN) {
  test(`postprocess: ${name}`, () => {
    assert.equal(postprocess(raw, prefix, suffix), expected);
  });
}

test('postprocess never returns text with trailing whitespace and never grows the completion', () => {
  for (const [, prefix, raw, suffix] of GOLDEN) {
    const out = postprocess(raw, prefix, suffix);
    assert.ok(out.length <= raw.length);
    assert.equal(out, out.replace(/[ \t]+$/gm, ''));
  }
});
