// The remote backend's test suite, run against two servers: the emulator (testServer.ts, in every
// `npm test`) and the real llama-server built from node-llama-cpp's llama.cpp (test/real/, in CI).
// Everything here must hold for both; faults only the emulator can show are in engine.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EngineError, type RemoteConfig } from '../engine';
import { FIM_FAMILIES } from '../fim';
import { RemoteEngine } from './engine';

export interface ServedModel {
  url: string;
  /** The id /v1/models lists, and an alias the server answers to. */
  id: string;
  alias: string;
  /** Context per slot the server was started with. */
  slotContext: number;
  /** Requests the server saw (the emulator records them; the real server: undefined). */
  requests?: { path: string; body: Record<string, unknown> | undefined }[];
  stop(): Promise<void>;
}

export interface RemoteTargets {
  name: string;
  /** A model with Qwen FIM tokens, served under a path that says nothing about it ("model.gguf"). */
  fimModel(options: { slotContext: number; alias: string }): Promise<ServedModel>;
  /** A model without FIM tokens, with chat markers (SmolLM2 on the real server). */
  prefixModel(options: { slotContext: number; alias: string }): Promise<ServedModel>;
  /** Start a server that is still loading its model when this returns. */
  loadingModel(): Promise<ServedModel>;
  /** Special-token texts of the prefix model (its chat markers). */
  prefixModelMarkers: string[];
}

export const cfg = (baseUrl: string, extra: Partial<RemoteConfig> = {}): RemoteConfig => ({ baseUrl, model: '', timeoutMs: 60_000, retries: 2, cachePrompt: true, ...extra });
export const fast = { backoffMs: () => 10 };

/** Every FIM marker of every family and the usual chat markers, as a user's file might contain them. */
export function markerFile(extra: string[] = []): string {
  const markers = new Set<string>(extra);
  for (const f of Object.values(FIM_FAMILIES)) for (const t of [f.prefix, f.suffix, f.middle, ...f.stop, f.repoName, f.fileSep]) if (t) markers.add(t);
  for (const t of ['<|im_start|>', '<|im_end|>', '<|endoftext|>', '<s>', '</s>', '<|eot_id|>', '<|begin_of_text|>', '<start_of_turn>', '<end_of_turn>', '<bos>', '<eos>']) markers.add(t);
  const lines = [...markers].map((m, i) => `s${i} = "${m}"  # ${m}`);
  return `# every control-token spelling, as text\n${lines.join('\n')}\n`;
}

async function sse(url: string, body: unknown): Promise<{ status: number; events: Record<string, unknown>[]; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  const events = text
    .split('\n')
    .filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]')
    .map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>);
  return { status: res.status, events, text };
}

export function remoteSuite(t: RemoteTargets): void {
  describe(`remote backend against ${t.name}`, () => {
    let fim: ServedModel;
    let plain: ServedModel;
    before(async () => {
      fim = await t.fimModel({ slotContext: 512, alias: 'coder' });
      plain = await t.prefixModel({ slotContext: 2048, alias: '' });
    });
    after(async () => {
      await fim?.stop();
      await plain?.stop();
    });

    test('the slot context, the model by id, alias or file name, FIM from the vocabulary (not the name)', async () => {
      const e = new RemoteEngine(cfg(fim.url), fast);
      const info = await e.info();
      assert.equal(info.model, fim.id);
      assert.equal(info.contextSize, 512, 'the per-slot context, not the training context');
      assert.ok(info.trainContextSize > 512);
      assert.equal(info.fim?.family, 'qwen');
      assert.equal(info.fim?.source, 'vocabulary');
      assert.equal(info.server?.llamaCpp, true);
      assert.equal(info.server?.tokenizer, true);
      assert.equal(info.server?.infill, true);
      const [pre, suf, mid] = await Promise.all(['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>'].map((m) => e.tokenize(m, { special: true })));
      assert.deepEqual([info.special.fimPrefix, info.special.fimSuffix, info.special.fimMiddle], [pre[0], suf[0], mid[0]]);
      for (const name of ['coder', fim.id]) assert.equal((await new RemoteEngine(cfg(fim.url, { model: name }), fast).info()).model, fim.id, name);
      // without an alias the server lists the model by the path it was given: its file name designates it too
      const byPath = new RemoteEngine(cfg(plain.url, { model: plain.id.split('/').pop()!.replace(/\.gguf$/, '') }), fast);
      assert.equal((await byPath.info()).model, plain.id);
      await assert.rejects(new RemoteEngine(cfg(fim.url, { model: 'gpt-9' }), fast).info(), (err: EngineError) => err.code === 'modelNotFound' && err.message.includes('(it serves: ') && err.message.includes('coder'));
    });

    test('a model without FIM tokens: prefix-only, and the server refuses /infill', async () => {
      const e = new RemoteEngine(cfg(plain.url), fast);
      const info = await e.info();
      assert.equal(info.fim, undefined);
      assert.equal(info.server?.infill, false);
      assert.equal(info.contextSize, 2048);
      const res = await fetch(`${plain.url}/infill`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input_prefix: 'def f(', input_suffix: '' }) });
      assert.equal(res.status, 501);
      assert.match(((await res.json()) as { error: { message: string } }).error.message, /Infill is not supported by this model/);
    });

    test('streaming: text as streamed, usage and timings in the final event, the server’s own figures', async () => {
      const e = new RemoteEngine(cfg(plain.url), fast);
      const prompt = await e.tokenize('def fibonacci(n):\n    """Return the n-th Fibonacci number."""\n');
      let streamed = '';
      const r = await e.generate({ prompt, maxTokens: 12 }, undefined, (c) => (streamed += c.text));
      assert.equal(streamed, r.text);
      assert.equal(r.promptTokens, prompt.length);
      assert.ok(r.serverTimings?.generatedTokens !== undefined && r.serverTimings.generatedTokens > 0);
      assert.ok((r.serverTimings?.promptMs ?? -1) >= 0);
      const raw = await sse(`${plain.url}/v1/completions`, { prompt, max_tokens: 4, stream: true, stream_options: { include_usage: true } });
      assert.equal(raw.status, 200);
      const last = raw.events.at(-1)! as { choices: { finish_reason: string }[]; usage?: unknown; timings?: unknown };
      assert.ok(last.choices[0].finish_reason, 'the final event has the finish reason');
      assert.ok(last.usage && last.timings, 'usage and timings in the same final event');
    });

    test('the second request reuses the cached prefix (timings.cache_n)', async () => {
      const e = new RemoteEngine(cfg(plain.url), fast);
      const prompt = await e.tokenize('import os\nimport sys\n\ndef main(argv):\n    for arg in argv:\n        print(arg)\n');
      await e.generate({ prompt, maxTokens: 2 });
      const r = await e.generate({ prompt: [...prompt, ...(await e.tokenize('x = 1\n'))], maxTokens: 2 });
      assert.ok(r.reusedTokens >= prompt.length - 1, `reused ${r.reusedTokens} of ${prompt.length}`);
    });

    test('an unknown model field in a request is ignored', async () => {
      const e = new RemoteEngine(cfg(plain.url), fast);
      const prompt = await e.tokenize('x = ');
      const raw = await sse(`${plain.url}/v1/completions`, { model: 'no-such-model', prompt, max_tokens: 2, stream: true });
      assert.equal(raw.status, 200);
    });

    test('a prompt over the slot context: the server answers 400 before streaming; the engine never sends it', async () => {
      const e = new RemoteEngine(cfg(fim.url), fast);
      const unit = await e.tokenize('def f(x):\n    return x\n');
      const long: number[] = [];
      while (long.length < 600) long.push(...unit);
      const raw = await sse(`${fim.url}/v1/completions`, { prompt: long, max_tokens: 4, stream: true });
      assert.equal(raw.status, 400);
      const err = JSON.parse(raw.text) as { error: { type: string; n_ctx: number; n_prompt_tokens: number } };
      assert.equal(err.error.type, 'exceed_context_size_error');
      assert.equal(err.error.n_ctx, 512);
      assert.equal(err.error.n_prompt_tokens, long.length);
      const before = fim.requests?.length;
      await assert.rejects(e.generate({ prompt: long, maxTokens: 4 }), (x: EngineError) => x.code === 'contextFull' && x.contextSize === 512 && /does not fit the context of 512 tokens per slot/.test(x.message));
      if (fim.requests) assert.equal(fim.requests.length, before, 'nothing was sent');
    });

    test('a generation cut by the context reports contextFull', async () => {
      const e = new RemoteEngine(cfg(fim.url), fast);
      const unit = await e.tokenize('for i in range(10):\n    total += i\n');
      const prompt: number[] = [];
      while (prompt.length < 500) prompt.push(...unit);
      const r = await e.generate({ prompt: prompt.slice(0, 500), maxTokens: 64 }, undefined);
      assert.ok(r.stopReason === 'contextFull' || r.stopReason === 'eog', r.stopReason);
      assert.notEqual(r.stopReason, 'maxTokens', 'a cut generation is not reported as maxTokens');
    });

    test('user text never becomes control tokens: a file with every FIM and chat marker', async () => {
      for (const served of [fim, plain]) {
        const e = new RemoteEngine(cfg(served.url), fast);
        const text = markerFile(t.prefixModelMarkers).repeat(3);
        const asText = await e.tokenize(text, { special: false });
        const asControl = await e.tokenize(text, { special: true });
        assert.ok(asControl.length < asText.length - 20, `the markers are control tokens of this model when parsed (${asControl.length} vs ${asText.length})`);
        // a string prompt goes as token ids tokenized without special parsing
        const part = text.slice(0, Math.floor(served.slotContext * 0.8));
        const r = await e.generate({ prompt: part, maxTokens: 1 });
        assert.equal(r.promptTokens, (await e.tokenize(part, { special: false })).length);
        if (served.requests) assert.ok(Array.isArray(served.requests.filter((q) => q.path === '/v1/completions').at(-1)!.body?.prompt), 'sent as token ids');
      }
      // /infill: prefix and suffix as separate fields, tokenized by the server without special parsing
      const e = new RemoteEngine(cfg(fim.url), fast);
      const text = markerFile();
      const prefix = text.slice(0, 350);
      const suffix = text.slice(350, 450);
      const r = await e.infill!({ prefix, suffix }, { maxTokens: 1 });
      const plainCount = (await e.tokenize(prefix, { special: false })).length;
      assert.ok((await e.tokenize(prefix, { special: true })).length < plainCount - 20);
      assert.ok(r.promptTokens >= plainCount, `the server saw ${r.promptTokens} prompt tokens, the prefix alone is ${plainCount} as text`);
    });

    test('cancellation mid-stream keeps what was streamed', async () => {
      const e = new RemoteEngine(cfg(plain.url), fast);
      const ac = new AbortController();
      let streamed = '';
      const r = await e.generate({ prompt: await e.tokenize('while True:\n'), maxTokens: 200 }, ac.signal, (c) => {
        streamed += c.text;
        ac.abort();
      });
      assert.equal(r.stopReason, 'aborted');
      assert.equal(r.text, streamed);
    });

    test('a server still loading its model (503 "Loading model") is waited out', async () => {
      const loading = await t.loadingModel();
      try {
        const e = new RemoteEngine(cfg(loading.url, { retries: 8 }), { backoffMs: () => 100 });
        const states: string[] = [];
        e.onStateChange((s) => states.push(s));
        const info = await e.info();
        assert.equal(info.model, loading.id);
        assert.equal(e.state, 'ready');
        assert.ok(states.includes('loading'));
      } finally {
        await loading.stop();
      }
    });
  });
}
