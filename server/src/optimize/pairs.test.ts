// The bench pairs are well-formed: every file has a slow and a fast version, every variant parses
// as a candidate with the slow version's signature (so the bench measures verification, not parsing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadParserFactory } from '../parsing';
import { candidateFromAnswer } from './candidate';
import { loadPairs } from './pairs';
import { repoRoot } from '../model/testModel';

test('bench/optimize pairs: ≥ 10 pairs in Python and JavaScript, each variant a valid candidate, wrong kinds planted', async () => {
  const parsers = await loadParserFactory('wasm');
  const pairs = loadPairs(parsers, join(repoRoot(), 'bench', 'optimize'));
  assert.ok(pairs.length >= 10, `${pairs.length} pairs`);
  assert.ok(pairs.some((p) => p.language === 'python') && pairs.some((p) => p.language === 'javascript'));
  const labels = new Set(pairs.flatMap((p) => p.variants.map((v) => v.label)));
  for (const kind of ['wrong off-by-one', 'wrong mutated-argument', 'wrong swallowed-exception', 'wrong large-only']) assert.ok(labels.has(kind), kind);
  for (const p of pairs) {
    assert.ok(p.variants.some((v) => v.label === 'fast'), `${p.id} has a fast version`);
    for (const v of p.variants) {
      const c = candidateFromAnswer(parsers, p.language, p.source, p.functionName, v.code, v.label, p.file);
      assert.ok(c.ok, `${p.id} ${v.label}: ${c.ok ? '' : c.reason}`);
    }
  }
});
