// Golden cases for the post-processing filters: the document with the cursor marked ║, the raw
// completion from the model, and what is shown. Every filter must matter: without it, at least one
// golden case comes out differently.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FILTERS, postprocess } from '.';

interface Golden {
  name: string;
  /** The document, with ║ at the cursor. */
  doc: string;
  raw: string;
  shown: string;
}

const GOLDEN: Golden[] = [
  { name: 'stops at a dedent (end of the function body)', doc: 'def f(xs):\n    total = 0\n    ║', raw: 'for x in xs:\n        total += x\n    return total\n\ndef g():\n    pass', shown: 'for x in xs:\n        total += x\n    return total' },
  { name: 'one-line completion of a line with code stops at the next statement', doc: 'x = compute(║', raw: 'a, b)\ny = 2\nz = 3', shown: 'a, b)' },
  { name: 'drops a closing bracket the suffix already has', doc: 'print(║)\n', raw: 'value)', shown: 'value' },
  { name: 'keeps balanced brackets before an existing closer', doc: 'print(║)', raw: 'len(items))', shown: 'len(items)' },
  { name: 'keeps a closer when the suffix has none', doc: 'print(║\nnext_line()', raw: 'value)', shown: 'value)' },
  { name: 'cuts a repeated line', doc: 'def f():\n    ║', raw: 'log("x")\n    log("x")\n    log("x")', shown: 'log("x")' },
  { name: 'cuts a repeated two-line block', doc: 'for i in r:\n    ║', raw: 'a = 1\n    b = 2\n    a = 1\n    b = 2', shown: 'a = 1\n    b = 2' },
  { name: 'stops before the next line of the document', doc: 'def f():\n    ║\n    return x\n', raw: 'x = 1\n    return x', shown: 'x = 1' },
  { name: 'trims trailing whitespace; nothing left is nothing shown', doc: 'a = ║', raw: '   \n  ', shown: '' },
  { name: 'a re-typed closer and the rest of the line after it go', doc: 'if (a║) {\n', raw: ' && b) {', shown: ' && b' },
  { name: 'drops the end of the line the suffix already holds', doc: 'total = ║ + 1\n', raw: 'count + 1', shown: 'count' },
  { name: 'JavaScript block: stops at the closing brace of the enclosing scope', doc: 'function f(xs) {\n  ║\n}', raw: 'let s = 0;\n  for (const x of xs) s += x;\n  return s;\n}\nfunction g() {}', shown: 'let s = 0;\n  for (const x of xs) s += x;\n  return s;' },
  { name: 'limits the number of lines', doc: 'def f():\n    ║', raw: Array.from({ length: 30 }, (_, i) => `a${i} = ${i}`).join('\n    '), shown: Array.from({ length: 16 }, (_, i) => `a${i} = ${i}`).join('\n    ') },
  { name: 'CRLF from the model becomes LF', doc: 'def f():\n    ║', raw: 'x = 1\r\n    return x', shown: 'x = 1\n    return x' },
  { name: 'trailing spaces on inner lines go', doc: 'def f():\n    ║', raw: 'x = 1   \n    return x', shown: 'x = 1\n    return x' },
  { name: 'indentation typed again on an indented empty line is not doubled', doc: 'def f():\n    ║', raw: '        return 1', shown: '    return 1' },
];

function run(g: Golden, filters = FILTERS): string {
  const at = g.doc.indexOf('║');
  assert.ok(at >= 0 && g.doc.indexOf('║', at + 1) < 0, `${g.name}: one cursor mark`);
  return postprocess(g.raw, g.doc.slice(0, at), g.doc.slice(at + 1), {}, filters);
}

describe('completion post-processing', () => {
  for (const g of GOLDEN) test(g.name, () => assert.equal(run(g), g.shown));

  test('never returns trailing whitespace, never grows the completion', () => {
    for (const g of GOLDEN) {
      const out = run(g);
      assert.ok(out.length <= g.raw.length, g.name);
      assert.equal(out, out.replace(/[ \t]+$/gm, ''), g.name);
    }
  });

  for (const filter of FILTERS) {
    test(`every filter matters: without ${filter.name} some golden case changes`, () => {
      const without = FILTERS.filter((f) => f !== filter);
      assert.ok(GOLDEN.some((g) => run(g, without) !== g.shown), `${filter.name} is not exercised by a golden case`);
    });
  }
});
