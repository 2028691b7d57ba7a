import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { OpenDocument } from '../documents';
import { languageById, type LanguageId } from '../languages';
import type { ParserFactory } from '../parsing';
import { loadWasmBackend } from '../parsing/wasm';
import { codeLenses, lensSettingsOf } from './codeLens';

let wasm: ParserFactory;
before(async () => {
  wasm = await loadWasmBackend();
});

function open(language: LanguageId, text: string): OpenDocument {
  const spec = languageById(language);
  return OpenDocument.create('file:///t', spec.lspLanguageIds[0], 1, text, { parsers: wasm, maxChars: () => Infinity, log: () => undefined })!;
}

describe('complexity code lens', () => {
  it('shows each outer function with its estimate, legend, chain and a measure command', () => {
    const doc = open('python', `def helper(x, ys):
    return x in list(ys)

def uses(orders, known):
    return [o for o in orders if helper(o, known)]

class C:
    def m(self, n):
        def inner():
            return 1
        return inner()
`);
    const lenses = codeLenses(doc, { enable: true, minimum: 'all' });
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.title]), [
      [0, 'O(n) · n = len(ys)'],
      [3, '≥ O(n) · n = len(orders) · with its calls in this file: O(n·m), m = len(known)'],
      [7, 'O(1)'],
    ]);
    const tip = lenses[1].command?.tooltip ?? '';
    assert.match(tip, /loop over `orders` \(line 5\) × `helper\(o, known\)`/);
    assert.equal(lenses[1].command?.command, 'hotpath.benchmarkFunction');
    assert.deepEqual(lenses[1].command?.arguments, ['file:///t', { line: 3, character: 4 }]);
    doc.dispose();
  });

  it('shows the estimate HP301 reports, in the same letters (one estimate per function)', () => {
    const doc = open('python', `def helper(xs):
    return sorted(xs)

def pairs(orders, known: list):
    out = helper(known)
    for o in orders:
        if o in known:
            out.append(o)
    return out
`);
    const lens = codeLenses(doc).find((l) => l.range.start.line === 3)!;
    const finding = doc.analysis!.findings().find((f) => f.code === 'HP301')!;
    const display = /^(≥ )?O\([^)]*\)/.exec(lens.command!.title)![0];
    assert.ok(finding.message.includes(`is ${display}`), `${finding.message} vs ${lens.command!.title}`);
    assert.match(lens.command!.title, /n = len\(orders\), m = len\(known\)/);
    assert.match(finding.message, /n = len\(orders\), m = len\(known\)/);
    doc.analysis?.dispose();
  });

  it('says what it does not know', () => {
    const doc = open('javascript', `import { process } from './w';
export function all(xs) {
  for (const x of xs) process(x);
}
`);
    const [lens] = codeLenses(doc);
    assert.equal(lens.command?.title, '≥ O(n) · n = xs.length · calls `process`');
    assert.match(lens.command?.tooltip ?? '', /not known: calls `process` \(not estimated: defined elsewhere\) \(line 3\)/);
    doc.dispose();
  });

  it('shows only the functions the minimum asks for, and none when disabled', () => {
    const doc = open('python', `def const(x):
    return x + 1

def lin(xs):
    return sum(xs)

def quad(xs, ys):
    return [x for x in xs if x in list(ys)]

def blind(xs):
    return helper(xs)
`);
    const titles = (minimum: 'all' | 'linear' | 'quadratic') => codeLenses(doc, { enable: true, minimum }).map((l) => l.command?.title);
    assert.deepEqual(titles('all'), ['O(1)', 'O(n) · n = len(xs)', 'O(n·m) · n = len(xs), m = len(ys)', '≥ O(1) · calls `helper`']);
    assert.deepEqual(titles('linear'), ['O(n) · n = len(xs)', 'O(n·m) · n = len(xs), m = len(ys)']);
    assert.deepEqual(titles('quadratic'), ['O(n·m) · n = len(xs), m = len(ys)']);
    assert.deepEqual(codeLenses(doc, { enable: false, minimum: 'all' }), []);
    assert.deepEqual(codeLenses(doc).map((l) => l.command?.title), titles('linear'), 'linear is the default');
    doc.analysis?.dispose();
  });

  it('reads hotpath.codeLens.* and follows hotpath.enable', () => {
    assert.deepEqual(lensSettingsOf({}), { enable: true, minimum: 'linear' });
    assert.deepEqual(lensSettingsOf({ codeLens: { minimum: 'quadratic' } }), { enable: true, minimum: 'quadratic' });
    assert.deepEqual(lensSettingsOf({ codeLens: { minimum: 'bogus', enable: false } }), { enable: false, minimum: 'linear' });
    assert.equal(lensSettingsOf({ enable: false, codeLens: { enable: true } }).enable, false);
  });

  it('never cuts a title: several unknowns are counted, each listed in the tooltip', () => {
    const doc = open('python', `def many(xs):
    for x in xs:
        first_helper_with_a_rather_long_name(x)
        second_helper_with_a_rather_long_name(x)
        third(x)
`);
    const [lens] = codeLenses(doc);
    assert.equal(lens.command?.title, '≥ O(n) · n = len(xs) · 3 parts not estimated');
    assert.doesNotMatch(lens.command?.title ?? '', /…/);
    for (const name of ['first_helper_with_a_rather_long_name', 'second_helper_with_a_rather_long_name', 'third']) assert.match(lens.command?.tooltip ?? '', new RegExp(`not known: calls \`${name}\``));
    doc.analysis?.dispose();
  });
});
