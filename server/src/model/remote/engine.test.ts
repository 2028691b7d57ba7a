// The remote backend against the emulator of llama-server (testServer.ts) on the generated test
// models: the shared suite (suite.ts, also run against the real llama-server in test/real/), then
// the faults only the emulator can show.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { languageById } from '../../languages';
import { loadParserFactory } from '../../parsing';
import { CompletionProvider, DEFAULT_COMPLETION_SETTINGS } from '../../completion/provider';
import { benchTextPrompt, runBenchmark } from '../benchmark';
import { EmbeddedEngine } from '../embedded/engine';
import { EngineError } from '../engine';
import { ensureTestModel } from '../testModel';
import { neutralizeMarkers, RemoteEngine, remoteUrls } from './engine';
import { cfg, fast, markerFile, remoteSuite, type ServedModel } from './suite';
import { TestCompletionServer, type TestServerOptions } from './testServer';

const engines: EmbeddedEngine[] = [];
async function local(fim: 'qwen' | 'none'): Promise<EmbeddedEngine> {
  // served under a path that says nothing about the model: FIM must come from the vocabulary
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-remote-'));
  const path = join(dir, 'model.gguf');
  copyFileSync(await ensureTestModel({ fim }), path);
  const e = new EmbeddedEngine({ backend: 'embedded', modelPath: path, gpu: false, gpuLayers: 0, contextSize: 4096, threads: 1, idleUnloadMs: 0, fimTemplate: 'auto' });
  engines.push(e);
  return e;
}

async function emulate(fim: 'qwen' | 'none', o: Partial<TestServerOptions> & { slotContext?: number; alias?: string } = {}): Promise<ServedModel & { server: TestCompletionServer }> {
  const engine = await local(fim);
  const id = '/models/model.gguf';
  const server = new TestCompletionServer({ engine, modelName: id, aliases: o.alias ? [o.alias] : [], contextSize: o.slotContext ?? 512, ...o });
  const url = await server.start();
  return { url, id: o.alias || id, alias: o.alias ?? '', slotContext: o.slotContext ?? 512, requests: server.requests, server, stop: () => server.stop() };
}

after(async () => {
  for (const e of engines) await e.dispose();
});

test('base URLs with or without /v1', () => {
  assert.deepEqual(remoteUrls('http://h:8000/v1/'), { root: 'http://h:8000', api: 'http://h:8000/v1' });
  assert.deepEqual(remoteUrls('http://h:8080'), { root: 'http://h:8080', api: 'http://h:8080/v1' });
  assert.throws(() => new RemoteEngine(cfg('localhost:8080')), /must start with http/);
});

test('control-token spellings are broken for servers that cannot tokenize', () => {
  assert.equal(neutralizeMarkers('a <|fim_middle|> b <｜fim▁hole｜> <fim_prefix> </s> <PRE> x < y'), 'a <\u200b|fim_middle|> b <\u200b｜fim▁hole｜> <\u200bfim_prefix> <\u200b/s> <\u200bPRE> x < y');
});

remoteSuite({
  name: 'the llama-server emulator',
  fimModel: (o) => emulate('qwen', o),
  prefixModel: (o) => emulate('none', o),
  loadingModel: () => emulate('none').then((m) => {
    m.server.faults.loadingUntil = Date.now() + 800;
    return m;
  }),
  prefixModelMarkers: ['<unk>'],
});

async function rawServer(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function closedPort(): Promise<string> {
  const { url, server } = await rawServer(() => undefined);
  await new Promise<void>((r) => server.close(() => r()));
  return url;
}

describe('remote faults only the emulator can show', () => {
  let m: Awaited<ReturnType<typeof emulate>>;
  before(async () => {
    m = await emulate('none', { apiKey: 'sk-test', slotContext: 1024 });
  });
  after(() => m.stop());

  test('the API key is sent; a wrong one is a clear error', async () => {
    await new RemoteEngine(cfg(m.url, { apiKey: 'sk-test' }), fast).info();
    assert.equal(m.server.requests.at(-1)!.auth, 'Bearer sk-test');
    await assert.rejects(new RemoteEngine(cfg(m.url, { apiKey: 'wrong' }), fast).info(), /rejected the request \(HTTP 401\)/);
  });

  test('retries with backoff after 503s, then succeeds; gives up after the configured retries', async () => {
    const remote = new RemoteEngine(cfg(m.url, { apiKey: 'sk-test', retries: 2 }), fast);
    await remote.info();
    m.server.faults.failNext = 2;
    const r = await remote.generate({ prompt: 'x', maxTokens: 2 });
    assert.equal(m.server.faults.failNext, 0);
    assert.notEqual(r.stopReason, 'aborted');
    m.server.faults.failNext = 3;
    await assert.rejects(remote.generate({ prompt: 'x', maxTokens: 2 }), /answered HTTP 503: server busy/);
    m.server.faults.failNext = 0;
  });

  test('a server loading for longer than the wait: a timeout that says so', async () => {
    m.server.faults.loadingUntil = Date.now() + 5000;
    try {
      const remote = new RemoteEngine(cfg(m.url, { apiKey: 'sk-test' }), { ...fast, loadWaitMs: 300 });
      await assert.rejects(remote.info(), (e: EngineError) => e.code === 'timeout' && /was still loading its model after 0 s/.test(e.message));
      assert.equal(remote.state, 'failed');
    } finally {
      m.server.faults.loadingUntil = undefined;
    }
  });

  test('a stream that stops but stays open is detected from the missing events, long before the timeout', async () => {
    const remote = new RemoteEngine(cfg(m.url, { apiKey: 'sk-test', timeoutMs: 30_000 }), { ...fast, stallMinMs: 300 });
    const prompt = await remote.tokenize('def f(x):\n    return');
    m.server.faults.stallAfter = 2;
    try {
      const t0 = Date.now();
      let got = '';
      await assert.rejects(remote.generate({ prompt, maxTokens: 40 }, undefined, (c) => (got += c.text)), (e: EngineError) => e.code === 'timeout' && /stopped sending \(no token for/.test(e.message));
      assert.ok(Date.now() - t0 < 10_000, `noticed after ${Date.now() - t0} ms, not at the 30 s timeout`);
      assert.ok(got.length > 0, 'the tokens before the stall were streamed');
    } finally {
      m.server.faults.stallAfter = undefined;
    }
  });

  test('a server without a tokenizer: text prompts with control-token spellings broken; the benchmark uses text', async () => {
    const remote = new RemoteEngine(cfg(m.url, { apiKey: 'sk-test' }), fast);
    m.server.faults.noTokenizer = true;
    try {
      const info = await remote.info();
      assert.equal(info.server?.tokenizer, false);
      await assert.rejects(remote.tokenize('x = 1'), (e: EngineError) => e.code === 'unsupported' && /no tokenizer endpoint/.test(e.message));
      await remote.generate({ prompt: 'a = "<|fim_middle|></s>"\n', maxTokens: 1 });
      assert.equal(m.server.requests.at(-1)!.body?.prompt, 'a = "<\u200b|fim_middle|><\u200b/s>"\n');
      const report = await runBenchmark(remote, { contexts: [64], generate: 4, repeat: 1 });
      assert.ok(report.notes.some((n) => n.includes('no tokenizer endpoint')));
      const cold = report.rows.find((r) => r.mode === 'cold')!;
      assert.ok(cold.promptTokens > 0 && cold.promptTokens <= benchTextPrompt(64).length, 'prompt size as the server reported it');
    } finally {
      m.server.faults.noTokenizer = false;
    }
  });

  test('garbage from the server is an error naming it, not a crash', async () => {
    const remote = new RemoteEngine(cfg(m.url, { apiKey: 'sk-test' }), fast);
    await remote.info();
    m.server.faults.garbage = '<html>oops</html>';
    await assert.rejects(remote.generate({ prompt: 'x', maxTokens: 2 }), (e: EngineError) => e.code === 'badResponse' && /sent an invalid response \(not JSON\): <html>oops/.test(e.message));
    m.server.faults.garbage = '{"choices": "nope"}';
    await assert.rejects(remote.generate({ prompt: 'x', maxTokens: 2 }), (e: EngineError) => e.code === 'badResponse');
    m.server.faults.garbage = undefined;
  });
});

describe('a server that advertises more context than it has', () => {
  test('the refusal teaches the limit; the completion shrinks once and never resends the same size', async () => {
    const m = await emulate('none', { slotContext: 2048, enforceContext: 600 });
    try {
      const remote = new RemoteEngine(cfg(m.url), fast);
      const logs: string[] = [];
      const provider = new CompletionProvider({ engine: async () => remote, parsers: await loadParserFactory('wasm'), log: (l) => logs.push(l) });
      const text = Array.from({ length: 200 }, (_, i) => `def f${i}(xs):\n    return [x * ${i} for x in xs]\n`).join('') + 'def g(xs):\n    return ';
      const settings = { ...DEFAULT_COMPLETION_SETTINGS, candidates: 1, maxTokens: 8, debounceMinMs: 0, debounceMaxMs: 0 };
      const req = { uri: 'file:///w/a.py', path: 'w/a.py', text, offset: text.length, spec: languageById('python'), explicit: true, others: [] };
      const r = await provider.provide(req, settings, new AbortController().signal);
      assert.equal(r.stats.source, 'model');
      const sent = m.server.requests.filter((q) => q.path === '/v1/completions').map((q) => (q.body?.prompt as number[]).length);
      assert.equal(sent.length, 2, `one refused request, one that fits: ${sent.join(', ')}`);
      assert.ok(sent[0] >= 600 && sent[1] < 600);
      assert.ok(logs.some((l) => /does not fit the context of 600 tokens per slot .*the server refused it/.test(l)));
      // the next keystroke is sized right at once
      await provider.provide({ ...req, text: text + 'x', offset: text.length + 1 }, settings, new AbortController().signal);
      const after = m.server.requests.filter((q) => q.path === '/v1/completions').map((q) => (q.body?.prompt as number[]).length);
      assert.equal(after.length, 3);
      assert.ok(after[2] < 600);
      await provider.dispose();
    } finally {
      await m.stop();
    }
  });
});

describe('remote backend failures without a model', () => {
  test('a server that is down: refused connection, after the retries', async () => {
    const url = await closedPort();
    const remote = new RemoteEngine(cfg(url, { retries: 1 }), fast);
    await assert.rejects(remote.generate({ prompt: 'x', maxTokens: 1 }), (e: EngineError) => e.code === 'connectionRefused' && e.message === `server at ${url} refused the connection (is it running?)`);
    assert.equal(remote.state, 'failed');
  });

  test('a server that never answers times out', async () => {
    const { url, server } = await rawServer(() => undefined);
    const remote = new RemoteEngine(cfg(url, { timeoutMs: 300, retries: 0 }), fast);
    await assert.rejects(remote.info(), (e: EngineError) => e.code === 'timeout' && /did not answer within 0.3 s/.test(e.message));
    server.closeAllConnections();
    server.close();
  });

  test('a started stream is never repeated; a stream of garbage events is rejected', async () => {
    const { url, server } = await rawServer((req, res) => {
      if (req.url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: [{ id: 'hotpath-test' }] }));
        return;
      }
      if (req.url !== '/v1/completions') {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ text: 'ab', finish_reason: null }] })}\n\n`);
      const body: string[] = [];
      req.on('data', (d) => body.push(String(d)));
      req.on('end', () => {
        if (JSON.parse(body.join('')).max_tokens === 2) res.end('data: {not json\n\n');
        // else: stall
      });
    });
    const remote = new RemoteEngine(cfg(url, { timeoutMs: 300, retries: 2 }), fast);
    let got = '';
    await assert.rejects(remote.generate({ prompt: 'x', maxTokens: 5 }, undefined, (c) => (got += c.text)), (e: EngineError) => e.code === 'timeout');
    assert.equal(got, 'ab', 'a started stream is not retried (no repeated text)');
    await assert.rejects(remote.generate({ prompt: 'x', maxTokens: 2 }), (e: EngineError) => e.code === 'badResponse' && /invalid stream event/.test(e.message));
    server.closeAllConnections();
    server.close();
  });
});

test('the marker file names every family’s FIM tokens', () => {
  const f = markerFile();
  for (const m of ['<|fim_middle|>', '<｜fim▁hole｜>', '<fim_suffix>', '<MID>', '<|im_start|>', '<start_of_turn>']) assert.ok(f.includes(m), m);
});
