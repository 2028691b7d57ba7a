// Completion on a real model (SmolLM2-135M-Instruct, from its PyPI package): embedded through the
// engine worker, and remote through the real llama-server; prefix-only mode (SmolLM2 has no FIM
// tokens) in the status and in the prompt; a document full of control-token spellings stays text.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompletionProvider, DEFAULT_COMPLETION_SETTINGS, type CompletionRequest } from '../../server/src/completion/provider';
import { languageById } from '../../server/src/languages';
import { EmbeddedEngine } from '../../server/src/model/embedded/engine';
import { RemoteEngine } from '../../server/src/model/remote/engine';
import { markerFile, type ServedModel } from '../../server/src/model/remote/suite';
import { ModelService } from '../../server/src/model/service';
import { loadParserFactory, type ParserFactory } from '../../server/src/parsing';
import { serve, smollm2 } from './fixtures';

const settings = { ...DEFAULT_COMPLETION_SETTINGS, candidates: 1, maxTokens: 24, repairAfterMs: 0, debounceMinMs: 0, debounceMaxMs: 0, efficiencyFilter: 'off' as const };
const source = `import math


def circle_area(radius):
    """Return the area of a circle."""
    return math.pi * radius ** 2


def rectangle_area(width, height):
    """Return the area of a rectangle."""
    return `;
const tail = `


def main():
    print(circle_area(2), rectangle_area(2, 3))
`;

function request(text: string, offset: number): CompletionRequest {
  return { uri: 'file:///w/shapes.py', path: 'w/shapes.py', text, offset, spec: languageById('python'), explicit: true, others: [] };
}

let parsers: ParserFactory;
let model: string;
before(async () => {
  parsers = await loadParserFactory('wasm');
  model = await smollm2();
});

describe('SmolLM2 embedded (node-llama-cpp in the engine worker)', () => {
  let engine: EmbeddedEngine;
  let provider: CompletionProvider;
  before(() => {
    engine = new EmbeddedEngine({ backend: 'embedded', modelPath: model, gpu: false, gpuLayers: 0, contextSize: 16384, threads: 1, idleUnloadMs: 0, fimTemplate: 'auto' });
    provider = new CompletionProvider({ engine: async () => engine, parsers, log: () => undefined });
  });
  after(async () => {
    await provider.dispose();
    await engine.dispose();
  });

  test('reads the model’s own metadata: llama, 8k context, a chat template, no FIM tokens', async () => {
    const info = await engine.info();
    assert.equal(info.architecture, 'llama');
    assert.equal(info.trainContextSize, 8192);
    assert.equal(info.contextSize, 8192, 'a session never gets more than the training context');
    assert.equal(info.chatTemplate, true);
    assert.equal(info.fim, undefined);
    assert.equal(info.vocabSize, 49152);
  });

  test('an embedded completion in prefix-only mode: the prompt is the text before the cursor', async () => {
    const text = source + tail;
    const r = await provider.provide(request(text, source.length), settings, new AbortController().signal);
    assert.equal(r.stats.source, 'model');
    assert.equal(r.stats.backend, 'embedded');
    assert.equal(r.stats.mode, 'prefix-only');
    assert.equal(r.stats.kvReuse, 'edit-aware', r.stats.kvFallback);
    // the KV session tokenizes the prompt in line chunks (for edit-aware reuse): a token or two more than in one piece
    // the trailing blank after `return` is healed: the model writes it again
    const prefixTokens = (await engine.tokenize(source.trimEnd())).length;
    const withSuffix = (await engine.tokenize(source + tail)).length;
    assert.ok(Math.abs(r.stats.promptTokens - prefixTokens) <= 3 && withSuffix - prefixTokens > 15, `prefix only: ${r.stats.promptTokens} prompt tokens, the prefix has ${prefixTokens}, with the suffix ${withSuffix}`);
    assert.ok(r.items.length > 0 && r.items[0].trim().length > 0, `a suggestion: ${JSON.stringify(r.items)}`);
  });

  test('the status says prefix-only', async () => {
    const service = new ModelService(async () => ({ model: { path: model, threads: 1 } }));
    const e = await service.engine();
    await e.info();
    const s = service.status();
    assert.equal(s.state, 'ready');
    assert.equal(s.completion, 'prefix-only');
    assert.match(s.fim ?? '', /prefix-only completion/);
    await service.dispose();
  });
});

describe('SmolLM2 behind the real llama-server', () => {
  let served: ServedModel;
  let engine: RemoteEngine;
  let provider: CompletionProvider;
  before(async () => {
    served = await serve(model, { slotContext: 4096 });
    engine = new RemoteEngine({ baseUrl: served.url, model: '', timeoutMs: 60_000, retries: 2, cachePrompt: true });
    provider = new CompletionProvider({ engine: async () => engine, parsers, log: () => undefined });
  });
  after(async () => {
    await provider.dispose();
    await served.stop();
  });

  test('a remote completion through the real server, prefix-only, with the same suggestion as embedded greedy', async () => {
    const text = source + tail;
    const r = await provider.provide(request(text, source.length), settings, new AbortController().signal);
    assert.equal(r.stats.source, 'model');
    assert.equal(r.stats.backend, 'remote');
    assert.equal(r.stats.mode, 'prefix-only');
    assert.equal(r.stats.kvReuse, 'prefix');
    assert.equal(r.stats.promptTokens, (await engine.tokenize(source.trimEnd())).length, 'the text before the cursor, its trailing blank healed');
    assert.ok(r.items.length > 0 && r.items[0].trim().length > 0, `a suggestion: ${JSON.stringify(r.items)}`);
  });

  test('a document full of FIM and chat markers reaches the server as text, not control tokens', async () => {
    const text = markerFile(['<|im_start|>', '<|im_end|>', '<repo_name>', '<file_sep>']) + 'def f():\n    return';
    const r = await provider.provide(request(text, text.length), settings, new AbortController().signal);
    assert.equal(r.stats.source, 'model');
    const asText = await engine.tokenize(text, { special: false });
    const asControl = await engine.tokenize(text, { special: true });
    assert.ok(asControl.length < asText.length - 20);
    assert.equal(r.stats.promptTokens, asText.length, `the server evaluated ${r.stats.promptTokens} tokens: the markers stayed text`);
  });
});
