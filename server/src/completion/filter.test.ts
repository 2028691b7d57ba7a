import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { languageById } from '../languages';
import { loadParserFactory, type ParserFactory } from '../parsing';
import { EfficiencyFilter, syntaxErrors } from './filter';

let factory: ParserFactory;
before(async () => {
  factory = await loadParserFactory('wasm');
});

const PY_BEFORE = 'def f(jobs):\n    queue = list(jobs)\n    done = []\n    while queue:\n        ';
const PY_AFTER = '\n    return done\n';
const CANDIDATES = [
  'job = queue.pop(0)\n        done.append(job * 2)', // model's first choice: O(n) pop(0) in a loop (HP102)
  'job = queue.pop(\n', // does not parse
  'job = queue.pop()\n        done.append(job * 2)', // clean
];

test('rank: clean candidates first, then those with findings, then those that do not parse', () => {
  const spec = languageById('python');
  const filter = new EfficiencyFilter(spec, factory, PY_BEFORE + PY_AFTER, PY_BEFORE.length);
  const ranked = filter.rank(CANDIDATES, 'rank');
  assert.deepEqual(ranked.map((c) => c.index), [2, 0, 1]);
  assert.equal(ranked[0].parses, true);
  assert.deepEqual(ranked[0].introduced, []);
  assert.ok(ranked[1].introduced.some((f) => f.code === 'HP102'));
  assert.equal(ranked[2].parses, false);
});

test('drop: only clean candidates survive; off: the model order, unchecked', () => {
  const spec = languageById('python');
  const filter = new EfficiencyFilter(spec, factory, PY_BEFORE + PY_AFTER, PY_BEFORE.length);
  assert.deepEqual(filter.rank(CANDIDATES, 'drop').map((c) => c.text), [CANDIDATES[2]]);
  assert.deepEqual(filter.rank(CANDIDATES, 'off').map((c) => c.text), CANDIDATES);
});

test('findings the document already had are not blamed on the candidate; an incomplete document is the baseline', () => {
  const spec = languageById('python');
  // the document already pops from the front in this loop, and its last line is unfinished
  const doc = 'def f(jobs):\n    queue = list(jobs)\n    while queue:\n        job = queue.pop(0)\n        print(';
  const filter = new EfficiencyFilter(spec, factory, doc, doc.length);
  assert.ok(syntaxErrors(spec, factory, doc) > 0);
  const [c] = filter.rank(['job)'], 'rank');
  assert.equal(c.parses, true, 'closing the call removes the error');
  assert.deepEqual(c.introduced, []);
});

test('JavaScript: await in a loop introduced by a candidate is ranked below a Promise.all one', () => {
  const spec = languageById('javascript');
  const before = 'async function load(urls) {\n  const out = [];\n  ';
  const after = '\n  return out;\n}\n';
  const filter = new EfficiencyFilter(spec, factory, before + after, before.length);
  const slow = 'for (const u of urls) {\n    out.push(await fetch(u));\n  }';
  const fast = 'out.push(...(await Promise.all(urls.map((u) => fetch(u)))));';
  const ranked = filter.rank([slow, fast], 'rank');
  assert.equal(ranked[0].text, fast);
  assert.ok(ranked[1].introduced.length > 0);
});
