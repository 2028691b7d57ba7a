import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DocumentAnalysis } from '../analysis/document';
import type { OpenDocument } from '../documents';
import { languageById, type LanguageId } from '../languages';
import type { ParserFactory } from '../parsing';
import { loadWasmBackend } from '../parsing/wasm';
import { codeLenses } from './codeLens';

let wasm: ParserFactory;
before(async () => {
  wasm = await loadWasmBackend();
});

function open(language: LanguageId, text: string): OpenDocument {
  const spec = languageById(language);
  const analysis = new DocumentAnalysis(spec, wasm.create(spec.grammar), text);
  return { uri: 'file:///t', languageId: language, version: 1, spec, analysis, text };
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
    const lenses = codeLenses(doc);
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.title]), [
      [0, 'O(n) · n = len(ys)'],
      [3, 'O(n·m) · n = len(orders), m = len(known)'],
      [7, 'O(1)'],
    ]);
    const tip = lenses[1].command?.tooltip ?? '';
    assert.match(tip, /loop over `orders` \(line 5\) × `helper\(o, known\)`/);
    assert.equal(lenses[1].command?.command, 'hotpath.benchmarkFunction');
    assert.deepEqual(lenses[1].command?.arguments, ['file:///t', { line: 3, character: 4 }]);
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
    doc.analysis?.dispose();
  });
});
