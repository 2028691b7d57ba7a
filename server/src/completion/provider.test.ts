// The completion provider end to end on the generated test model, through the real engine worker
// and its 'hotpath-kv' session kind (random weights: the text is noise; reuse, cancellation,
// manual mode, type-ahead and repair are what is checked).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EmbeddedEngine } from '../model/embedded/engine';
import { ensureTestModel } from '../model/testModel';
import { languageById } from '../languages';
import { loadParserFactory, type ParserFactory } from '../parsing';
import { CompletionProvider, DEFAULT_COMPLETION_SETTINGS, type CompletionRequest, type CompletionSettings } from './provider';
import { sleep } from './latency';
import { EDIT_AWARE } from '../model/embedded/kv/workerKind';

let engine: EmbeddedEngine;
let parsers: ParserFactory;
let provider: CompletionProvider;
const logs: string[] = [];

before(async () => {
  parsers = await loadParserFactory('wasm');
  engine = new EmbeddedEngine({ backend: 'embedded', modelPath: await ensureTestModel(), gpu: false, gpuLayers: 0, contextSize: 2048, threads: 1, idleUnloadMs: 0, fimTemplate: 'auto' });
  provider = new CompletionProvider({ engine: async () => engine, parsers, log: (m) => logs.push(m) });
});
after(async () => {
  await provider?.dispose();
  await engine?.dispose();
});

const settings: CompletionSettings = { ...DEFAULT_COMPLETION_SETTINGS, candidates: 1, maxTokens: 8, repairAfterMs: 0, debounceMinMs: 5, debounceMaxMs: 20 };
const body = Array.from({ length: 30 }, (_, i) => `def f${i}(xs):\n    return [x * ${i} for x in xs]\n\n`).join('');

function req(text: string, offset: number, explicit = true): CompletionRequest {
  return { uri: 'file:///w/a.py', path: 'w/a.py', text, offset, spec: languageById('python'), explicit, others: [] };
}

test('the first request encodes the prompt; typing a character before a short suffix recomputes only the suffix (from the aligned batch boundary before it), exactly', async () => {
  let text = body + 'def g(xs):\n    return ';
  const tail = '\n\ndef h():\n    pass\n';
  text += tail;
  let offset = text.length - tail.length;
  const first = await provider.provide(req(text, offset), settings, new AbortController().signal);
  assert.equal(first.stats.source, 'model');
  assert.equal(first.stats.backend, 'embedded');
  assert.equal(first.stats.reencoded, true);
  assert.ok(first.stats.promptTokens > 300);
  text = text.slice(0, offset) + 's' + text.slice(offset);
  offset++;
  provider.onChange('file:///w/a.py');
  const second = await provider.provide(req(text, offset), { ...settings, efficiencyFilter: 'off' }, new AbortController().signal);
  assert.equal(second.stats.reencoded, false);
  // the cut goes back to the batch boundary of the aligned layout (EDIT_AWARE.align) at or below the edit
  const align = EDIT_AWARE.align!;
  assert.ok(second.stats.reused > first.stats.promptTokens - 40 - align, `reused ${second.stats.reused} of ${first.stats.promptTokens}, evaluated ${second.stats.evaluated}, stale ${second.stats.stale}`);
  // the suffix and the FIM marker after it are fewer cells than shifting plus the refreshed tail
  // (EDIT_AWARE): they are recomputed like prefix reuse does, so nothing is stale
  const suffixTokens = first.stats.promptTokens - first.stats.reused;
  assert.ok(second.stats.evaluated <= 40 + align + settings.maxTokens, `evaluated ${second.stats.evaluated} (suffix ${suffixTokens})`);
  assert.equal(second.stats.stale, 0, 'nothing stale after an exact recomputation of the suffix');
});

test('background repair after a pause leaves no stale cells', async () => {
  const text = body + 'x = 1\n' + body;
  const offset = body.length + 4;
  await provider.provide(req(text, offset), settings, new AbortController().signal);
  const edited = text.slice(0, offset) + '2' + text.slice(offset);
  provider.onChange('file:///w/a.py');
  await provider.provide(req(edited, offset + 1), { ...settings, repairAfterMs: 5 }, new AbortController().signal);
  let line: string | undefined;
  for (let i = 0; i < 100 && !line; i++) {
    await sleep(100);
    line = logs.find((l) => /repaired \d+ KV cells/.test(l));
  }
  assert.ok(line, 'a repair ran');
  assert.match(line!, /\(0 stale left\)/);
  // the next request on the same text syncs nothing and finds nothing stale
  const again = await provider.provide(req(edited + '\n', offset + 1), { ...settings, efficiencyFilter: 'off' }, new AbortController().signal);
  assert.equal(again.stats.source, 'model');
  assert.equal(again.stats.stale, 0);
});

test('manual mode answers only explicit requests; a keystroke cancels a pending automatic request', async () => {
  const text = body + 'y = ';
  const manual = await provider.provide(req(text, text.length, false), { ...settings, trigger: 'manual' }, new AbortController().signal);
  assert.equal(manual.stats.source, 'none');
  const pending = provider.provide(req(text, text.length, false), { ...settings, debounceMinMs: 300, debounceMaxMs: 300 }, new AbortController().signal);
  provider.onChange('file:///w/a.py');
  const cancelled = await pending;
  assert.equal(cancelled.stats.source, 'none');
  assert.deepEqual(cancelled.items, []);
  // LSP cancellation
  const ac = new AbortController();
  const p = provider.provide(req(text, text.length, false), { ...settings, debounceMinMs: 300, debounceMaxMs: 300 }, ac.signal);
  ac.abort();
  assert.equal((await p).stats.source, 'none');
});

test('typing into a suggestion is answered without a model call', async () => {
  const text = body + 'z = ';
  const r = await provider.provide(req(text, text.length), { ...settings, efficiencyFilter: 'off' }, new AbortController().signal);
  const suggestion = r.items[0];
  if (!suggestion || suggestion.length < 2) {
    // random weights may propose nothing printable: type-ahead then has nothing to reuse
    assert.equal(r.stats.source, 'model');
    return;
  }
  const typed = text + suggestion[0];
  const again = await provider.provide(req(typed, typed.length, false), settings, new AbortController().signal);
  assert.equal(again.stats.source, 'typeahead');
  assert.equal(again.items[0], suggestion.slice(1));
});
