import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { EmbeddedEngine } from '../embedded/engine';
import { EngineError, type RemoteConfig } from '../engine';
import { benchTextPrompt, runBenchmark } from '../benchmark';
import { ensureTestModel } from '../testModel';
import { RemoteEngine, remoteUrls } from './engine';
import { TestCompletionServer } from './testServer';

const cfg = (baseUrl: string, extra: Partial<RemoteConfig> = {}): RemoteConfig => ({
  baseUrl,
  model: 'hotpath-test',
  timeoutMs: 5000,
  retries: 2,
  cachePrompt: true,
  ...extra,
});
const fast = { backoffMs: () => 10 };

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

test('base URLs with or without /v1', () => {
  assert.deepEqual(remoteUrls('http://h:8000/v1/'), { root: 'http://h:8000', api: 'http://h:8000/v1' });
  assert.deepEqual(remoteUrls('http://h:8080'), { root: 'http://h:8080', api: 'http://h:8080/v1' });
  assert.throws(() => new RemoteEngine(cfg('localhost:8080')), /must start with http/);
});

describe('remote backend against an OpenAI-compatible server backed by the test model', () => {
  let local: EmbeddedEngine;
  let server: TestCompletionServer;
  let url: string;
  before(async () => {
    local = new EmbeddedEngine({ backend: 'embedded', modelPath: await ensureTestModel(), gpu: false, gpuLayers: 0, contextSize: 1024, threads: 1, idleUnloadMs: 0, fimTemplate: 'auto' });
    server = new TestCompletionServer({ engine: local, apiKey: 'sk-test' });
    url = await server.start();
  });
  after(async () => {
    await server.stop();
    await local.dispose();
  });

  test('model info, streaming generation equal to the embedded engine, the API key sent', async () => {
    const remote = new RemoteEngine(cfg(url, { apiKey: 'sk-test' }), fast);
    const info = await remote.info();
    assert.equal(info.backend, 'remote');
    assert.equal(info.model, 'hotpath-test');
    assert.equal(info.device, `remote: ${url}`);
    assert.equal(info.trainContextSize, 32768);
    let streamed = '';
    const r = await remote.generate({ prompt: 'def foo(self):\n    return', maxTokens: 10 }, undefined, (c) => (streamed += c.text));
    assert.equal(streamed, r.text);
    const direct = await (await local.openSession()).generate({ prompt: 'def foo(self):\n    return', special: true, maxTokens: 10 });
    assert.equal(r.text, direct.text);
    assert.equal(r.stopReason, direct.stopReason);
    assert.equal(r.promptTokens, direct.promptTokens);
    const last = server.requests.at(-1)!;
    assert.equal(last.path, '/v1/completions');
    assert.equal(last.auth, 'Bearer sk-test');
    assert.equal(last.body?.stream, true);
    assert.equal(last.body?.cache_prompt, true);
  });

  test('prompt caching: the second request reuses the prefix (llama.cpp timings)', async () => {
    const remote = new RemoteEngine(cfg(url, { apiKey: 'sk-test' }), fast);
    const prompt = await remote.tokenize('for i in range(10):\n    print(i)\n');
    assert.ok(prompt.length > 4);
    assert.equal(await remote.detokenize(prompt), 'for i in range(10):\n    print(i)\n');
    const s = await remote.openSession();
    await s.generate({ prompt, maxTokens: 3 });
    const r = await s.generate({ prompt: [...prompt, ...(await remote.tokenize('x = 1'))], maxTokens: 3 });
    assert.equal(r.reusedTokens, prompt.length);
    assert.ok(remote.counters().tokensReused >= prompt.length);
    const nocache = new RemoteEngine(cfg(url, { apiKey: 'sk-test', cachePrompt: false }), fast);
    const r2 = await nocache.generate({ prompt, maxTokens: 3 });
    assert.equal(r2.reusedTokens, 0);
  });

  test('cancellation mid-stream aborts the request; the server sees the client go away', async () => {
    const remote = new RemoteEngine(cfg(url, { apiKey: 'sk-test' }), fast);
    server.faults.chunkDelayMs = 5;
    const aborts = server.clientAborts;
    const ac = new AbortController();
    let streamed = '';
    const r = await remote.generate({ prompt: 'while True:\n', maxTokens: 500 }, ac.signal, (c) => {
      streamed += c.text;
      ac.abort();
    });
    server.faults.chunkDelayMs = 0;
    assert.equal(r.stopReason, 'aborted');
    assert.equal(r.text, streamed);
    for (let i = 0; i < 100 && server.clientAborts === aborts; i++) await new Promise((res) => setTimeout(res, 20));
    assert.equal(server.clientAborts, aborts + 1);
  });

  test('a wrong model name, a wrong API key, a plain-only session', async () => {
    await assert.rejects(new RemoteEngine(cfg(url, { apiKey: 'sk-test', model: 'gpt-9' }), fast).info(), (e: EngineError) => e.code === 'modelNotFound' && /model "gpt-9" not found on server at http:\/\/127\.0\.0\.1:\d+ \(it serves: hotpath-test\)/.test(e.message));
    await assert.rejects(new RemoteEngine(cfg(url, { apiKey: 'wrong' }), fast).info(), /rejected the request \(HTTP 401\)/);
    const remote = new RemoteEngine(cfg(url, { apiKey: 'sk-test' }), fast);
    await assert.rejects(remote.openSession({ kind: 'kv' }), (e: EngineError) => e.code === 'unsupported');
  });

  test('retries with backoff after 503s, then succeeds; gives up after the configured retries', async () => {
    const remote = new RemoteEngine(cfg(url, { apiKey: 'sk-test', retries: 2 }), fast);
    await remote.info();
    server.faults.failNext = 2;
    const r = await remote.generate({ prompt: 'x', maxTokens: 2 });
    assert.equal(server.faults.failNext, 0);
    assert.ok(r.text.length >= 0 && r.stopReason !== 'aborted');
    server.faults.failNext = 3;
    await assert.rejects(remote.generate({ prompt: 'x', maxTokens: 2 }), /answered HTTP 503: server busy/);
    server.faults.failNext = 0;
  });

  test('a server without a tokenizer: tokenize is unsupported, the benchmark uses text prompts', async () => {
    const remote = new RemoteEngine(cfg(url, { apiKey: 'sk-test' }), fast);
    server.faults.noTokenizer = true;
    try {
      await assert.rejects(remote.tokenize('x = 1'), (e: EngineError) => e.code === 'unsupported' && /no tokenizer endpoint/.test(e.message));
      const report = await runBenchmark(remote, { contexts: [64], generate: 4, repeat: 1 });
      assert.equal(report.rows.length, 2);
      assert.ok(report.notes.some((n) => n.includes('no tokenizer endpoint')));
      const cold = report.rows.find((r) => r.mode === 'cold')!;
      const direct = await local.tokenize(benchTextPrompt(64), { special: true });
      assert.equal(cold.promptTokens, direct.length, 'prompt size as the server reported it');
    } finally {
      server.faults.noTokenizer = false;
    }
  });

  test('garbage from the server is an error naming it, not a crash', async () => {
    const remote = new RemoteEngine(cfg(url, { apiKey: 'sk-test' }), fast);
    await remote.info();
    server.faults.garbage = '<html>oops</html>';
    await assert.rejects(remote.generate({ prompt: 'x', maxTokens: 2 }), (e: EngineError) => e.code === 'badResponse' && /sent an invalid response \(not JSON\): <html>oops/.test(e.message));
    server.faults.garbage = '{"choices": "nope"}';
    await assert.rejects(remote.generate({ prompt: 'x', maxTokens: 2 }), (e: EngineError) => e.code === 'badResponse');
    server.faults.garbage = undefined;
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

  test('a stream that stalls mid-way times out; a stream of garbage events is rejected', async () => {
    const { url, server } = await rawServer((req, res) => {
      if (req.url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: [{ id: 'hotpath-test' }] }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ text: 'ab', finish_reason: null }] })}\n\n`);
      if (req.headers['x-mode'] !== undefined) return;
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
