// A region of valid code the grammar lacks (grammarGaps.ts) is checked by parsing a repaired copy of
// the whole file; an edit elsewhere that leaves the regions alone reuses that answer instead of
// parsing the file once more per keystroke (review 10 L7), and an edit to a region checks again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { languageForPath } from '../languages';
import type { Parser } from '../parsing';
import { loadWasmBackend } from '../parsing/wasm';
import { DocumentAnalysis } from './document';

const GAP = "export type * from './a';\n";
const body = (n: number) => Array.from({ length: 40 }, (_, i) => `export function f${i}(xs: number[]) {\n  return xs.length + ${i + n};\n}\n`).join('');

describe('syntaxErrors: the grammar-gap check', () => {
  it('parses the file once per edit, not twice, while the gap region stays the same, and checks again when the region changes', async () => {
    const spec = languageForPath('a.ts')!;
    const inner = (await loadWasmBackend(['typescript'])).create('typescript');
    let parses = 0;
    const parser: Parser = { ...inner, names: inner.names, backend: inner.backend, grammar: inner.grammar, parse: (t, old) => (parses++, inner.parse(t, old)), snapshot: (n, t) => inner.snapshot(n, t) };
    const analysis = new DocumentAnalysis(spec, parser, GAP + body(0));
    const first = analysis.syntaxErrors();
    assert.equal(first.length, 1);
    assert.equal(first[0].severity, 'information', first[0].message);
    for (let n = 1; n <= 5; n++) {
      parses = 0;
      analysis.update(GAP + body(n), 'full');
      const errors = analysis.syntaxErrors();
      assert.equal(errors[0].severity, 'information');
      assert.equal(parses, 1, `edit ${n}: the document's own parse only`);
    }
    // The region itself changes: a real syntax error now, then the construct again.
    analysis.update(GAP.replace('from', 'frm') + body(6), 'full');
    assert.equal(analysis.syntaxErrors()[0].severity, undefined, 'a syntax error is an error');
    analysis.update(GAP + body(7), 'full');
    assert.equal(analysis.syntaxErrors()[0].severity, 'information');
  });
});
