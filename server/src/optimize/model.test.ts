// The whole pipeline driven by a real model through the ModelEngine: the generated random-weight
// test model (its answers are noise, so every candidate is rejected before anything runs: the
// rejection path). Also records the end-to-end latency of one request (generation + verification).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadParserFactory } from '../parsing';
import { EmbeddedEngine } from '../model/embedded/engine';
import { ensureTestModel } from '../model/testModel';
import { ModelCandidateSource, optimizeFunction, resultToText } from './index';

let engine: EmbeddedEngine | undefined;
after(() => engine?.dispose());

test('the test model proposes noise: every candidate is rejected with its reason, nothing is offered', async () => {
  const parsers = await loadParserFactory('wasm');
  const modelPath = await ensureTestModel();
  engine = new EmbeddedEngine({ backend: 'embedded', modelPath, gpu: false, gpuLayers: 0, contextSize: 512, threads: 1, idleUnloadMs: 0, fimTemplate: 'auto' });
  const source = new ModelCandidateSource(async () => engine!, { maxTokens: 48 });
  const src = 'def pairs(xs: list[int]) -> int:\n    n = 0\n    for a in xs:\n        for b in xs:\n            if a < b:\n                n += 1\n    return n\n';
  const r = await optimizeFunction(parsers, { language: 'python', source: src, functionName: 'pairs' }, source, { rounds: 2, candidates: 2, budgetMs: 800 });
  assert.equal(r.outcomes.length, 4, resultToText(r));
  for (const o of r.outcomes) {
    assert.equal(o.verification.accepted, false);
    assert.ok(['parse', 'signature', 'unchanged', 'duplicate'].includes(o.verification.kind!), resultToText(r));
  }
  assert.equal(r.best, undefined);
  assert.equal(r.prompts.length, 2);
  assert.match(r.prompts[1], /Earlier attempts, measured/);
  assert.ok(r.notes.some((n) => /cut to its last/.test(n)), 'the prompt was cut to the context: ' + r.notes.join('; '));
  console.log(`end-to-end latency with the test model: ${r.timings.totalMs} ms (generation ${r.timings.generationMs} ms, verification ${r.timings.verificationMs} ms)`);
});
