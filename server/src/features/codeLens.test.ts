import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ComplexityAdapter } from '../complexity';
import { documentView, OpenDocument } from '../documents';
import { languageById, type LanguageId } from '../languages';
import { PythonFacts } from '../languages/python/facts';
import { run } from '../analysis/estimates';
import type { ParserFactory } from '../parsing';
import { loadWasmBackend } from '../parsing/wasm';
import { DocumentAnalysis } from '../analysis/document';
import { codeLenses, lensesInSlices, lensSettingsOf, resolveLens, unresolvedLenses } from './codeLens';

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

  // Incremental and lazy: the estimates are kept per unit like findings; an edit re-estimates the
  // function it changed and the lenses whose calls reach it, nothing else; titles are written only
  // for the lenses the editor resolves.
  describe('incremental and lazy', () => {
    const SOURCE = `def gamma(n):
    return n + 1

def alpha(xs):
    total = 0
    for x in xs:
        total += x
    return total

def helper(ys):
    return sum(1 for y in ys)

def beta(items, other):
    return [helper(other) for i in items]
`;

    /** A Python document whose complexity adapter records the functions each estimator was given. */
    function counted(text: string) {
      const base = languageById('python');
      const estimated: number[] = [];
      const adapter: ComplexityAdapter = Object.assign(Object.create(base.complexity) as ComplexityAdapter, {
        functionShape(node: Parameters<ComplexityAdapter['functionShape']>[0]) {
          const shape = base.complexity.functionShape(node);
          if (shape) estimated.push(node.startIndex);
          return shape;
        },
      });
      const spec = { ...base, complexity: adapter, facts: (ctx: ConstructorParameters<typeof PythonFacts>[0]) => new PythonFacts(ctx, adapter) };
      const doc = new OpenDocument('file:///t.py', 'python', spec, TextDocument.create('file:///t.py', 'python', 1, text), { parsers: wasm, maxChars: () => Infinity, log: () => undefined });
      /** The names of the functions estimated since the last call. */
      const names = () => {
        const out = [...new Set(estimated.splice(0).map((i) => /def (\w+)/.exec(doc.text.slice(i))![1]))].sort();
        return out;
      };
      return { doc, names };
    }

    function edit(doc: OpenDocument, at: string, insert: string) {
      const index = doc.text.indexOf(at) + at.length;
      const pos = doc.document.positionAt(index);
      doc.applyChanges([{ range: { start: pos, end: pos }, text: insert }], doc.version + 1);
    }

    /** What a fresh analysis of the same text shows (the reference the incremental lenses must equal). */
    function fresh(text: string) {
      const spec = languageById('python');
      const analysis = new DocumentAnalysis(spec, wasm.create('python'), text);
      try {
        return codeLenses(documentView('file:///t.py', spec, text, analysis), { enable: true, minimum: 'all' });
      } finally {
        analysis.dispose();
      }
    }

    const all = { enable: true, minimum: 'all' } as const;

    it('re-estimates only the edited function when its calls reach no other', () => {
      const { doc, names } = counted(SOURCE);
      const before = codeLenses(doc, all);
      assert.deepEqual(before.map((l) => l.command?.title), fresh(doc.text).map((l) => l.command?.title));
      assert.match(before[3].command!.title, /with its calls in this file: O\(n·m\)/);
      names();
      // Lengthen gamma, the first function: every later function moves, none of them changes.
      edit(doc, 'return n + 1', ' + n * 2');
      const after = codeLenses(doc, all);
      assert.deepEqual(names(), ['gamma']);
      assert.deepEqual(after, fresh(doc.text), 'the same lenses as a fresh analysis, at the moved offsets');
      assert.deepEqual(after.slice(1).map((l) => l.command?.title), before.slice(1).map((l) => l.command?.title));
      assert.deepEqual(after.slice(1).map((l) => l.range.start.line), before.slice(1).map((l) => l.range.start.line));
      doc.dispose();
    });

    it('re-estimates a caller whose calls reach the edited function, and no one else', () => {
      const { doc, names } = counted(SOURCE);
      codeLenses(doc, all);
      names();
      edit(doc, 'return sum(1 for y in ys)', ' if ys else 0');
      assert.deepEqual(fresh(doc.text).map((l) => l.command?.title), codeLenses(doc, all).map((l) => l.command?.title));
      assert.deepEqual(names(), ['beta', 'helper']);
      // helper made constant: beta's calls add no factor any more.
      const { doc: doc2, names: names2 } = counted(SOURCE);
      codeLenses(doc2, all);
      names2();
      const start = doc2.text.indexOf('sum(1 for y in ys)');
      doc2.applyChanges([{ range: { start: doc2.document.positionAt(start), end: doc2.document.positionAt(start + 'sum(1 for y in ys)'.length) }, text: '1' }], 2);
      const lenses = codeLenses(doc2, all);
      assert.deepEqual(names2(), ['beta', 'helper']);
      assert.deepEqual(lenses.map((l) => l.command?.title), fresh(doc2.text).map((l) => l.command?.title));
      assert.match(lenses[3].command!.title, /with its calls in this file: O\(n\)$/);
      doc.dispose();
      doc2.dispose();
    });

    it('textDocument/codeLens writes no titles; codeLens/resolve writes the one asked for', () => {
      const { doc, names } = counted(SOURCE);
      doc.analysis; // analysed (the rules estimate every function's own cost)
      names();
      const unresolved = run(unresolvedLenses(doc, doc.version, { enable: true, minimum: 'linear' }));
      // alpha and helper are linear on their own; beta too: nothing had to follow a call to decide.
      assert.deepEqual(unresolved.map((l) => l.range.start.line), [3, 9, 12]);
      assert.ok(unresolved.every((l) => l.command === undefined && l.data !== undefined));
      assert.deepEqual(names(), [], 'choosing the lenses estimated nothing');
      const beta = resolveLens(doc, doc.version, unresolved[2]);
      assert.deepEqual(names(), ['beta', 'helper'], 'resolving beta followed its calls, only those');
      assert.equal(beta.command?.title, fresh(doc.text)[3].command?.title);
      assert.equal(resolveLens(doc, doc.version, unresolved[0]).command?.title, 'O(n) · n = len(xs)');
      assert.deepEqual(names(), [], 'alpha calls nothing in this file');
      // A lens of an older version is not resolved against the new text.
      edit(doc, 'return n + 1', '0');
      assert.equal(resolveLens(doc, doc.version, unresolved[0]).command?.title, '…');
      doc.dispose();
    });

    // Review 13 M3: the background loop's finishDependents runs between the request's slices without a
    // new version (it parses an update through broken code afresh and re-analyses units); the request
    // used to go on with the generator started on the analysis before it.
    it('starts a request again when the analysis changed between its slices without an edit, and stops one when an edit came', async () => {
      const text = `def broken(:\n    pass\n\ndef leaf(xs):\n    return sorted(xs)\n\ndef caller(a):\n    return leaf(a)\n\ndef alone(x):\n    return x\n`;
      const doc = open('python', text);
      doc.analysis;
      edit(doc, 'return x', ' + 1');
      const analysis = doc.analysis!;
      assert.equal(analysis.complete, false, 'an update through broken code waits for its fresh parse');
      const before = analysis.generation;
      const settings = { enable: true, minimum: 'linear' } as const;
      let pauses = 0;
      /** The analysis' generation each time the request started the lens generator. */
      const starts: number[] = [];
      const lenses = await lensesInSlices(
        doc,
        doc.version,
        settings,
        {
          timeToPause: () => true,
          pause: async () => {
            // What the background loop does between the request's slices.
            if (pauses++ === 0) doc.completeAnalysis;
          },
          stopped: () => false,
        },
        (view, version, s) => {
          starts.push(view.analysis!.generation);
          return unresolvedLenses(view, version, s);
        },
      );
      assert.ok(pauses > 1, `${pauses} pauses`);
      assert.notEqual(analysis.generation, before, 'the fresh parse changed the analysis');
      assert.deepEqual(starts, [before, analysis.generation], 'started again on the finished analysis');
      assert.equal(analysis.complete, true);
      assert.deepEqual(lenses, run(unresolvedLenses(doc, doc.version, settings)));
      assert.deepEqual(lenses!.map((l) => l.range.start.line), [3, 6]);
      // An edit during a pause abandons the request (the editor asks again).
      edit(doc, 'sorted(xs', ' + []');
      const version = doc.version;
      const abandoned = await lensesInSlices(doc, version, settings, { timeToPause: () => true, pause: async () => edit(doc, 'return x', '1'), stopped: () => doc.version !== version });
      assert.equal(abandoned, null);
      doc.dispose();
    });

    it('decides with the calls when the own estimate is below the minimum', () => {
      const { doc, names } = counted(`def leaf(xs):
    return sorted(xs)

def caller(a):
    return leaf(a)

def alone(x):
    return x
`);
      doc.analysis;
      names();
      const unresolved = run(unresolvedLenses(doc, doc.version, { enable: true, minimum: 'linear' }));
      assert.deepEqual(unresolved.map((l) => l.range.start.line), [0, 3], 'caller gets a lens through its call; alone gets none');
      assert.deepEqual(names(), ['caller', 'leaf']);
      assert.match(resolveLens(doc, doc.version, unresolved[1]).command!.title, /with its calls in this file: O\(n log n\)/);
      doc.dispose();
    });
  });
});
