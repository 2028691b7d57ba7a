// An untrusted workspace cannot make the server send the user's code or API key anywhere: its
// settings name a remote model server (a loopback listener here), a prompt template, a model file,
// a download URL and interpreters, the environment holds API keys, and every model request is made;
// the listener must see no connection at all. Then the workspace is trusted: the same settings now
// reach the listener, with the key (so the test can fail), and once trust is withdrawn they stop.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ModelBenchmarkRequest, ModelDownloadRequest, ModelLoadRequest, ModelStatusRequest, SetApiKeyNotification, TrustNotification } from '../../server/src/protocol';
import { TestServer } from './lspClient';

const SECRET = 'AKIA_TEST_SECRET_7f3a';
const KEY = 'sk-test-untrusted-9b1c';

describe('untrusted workspace settings', () => {
  const seen: { url?: string; headers: IncomingHttpHeaders; body: string }[] = [];
  let connections = 0;
  const listener = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ url: req.url, headers: req.headers, body });
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"test listener"}');
    });
  });
  listener.on('connection', () => connections++);
  let server: TestServer;
  const uri = 'file:///tmp/hotpath-untrusted/config.py';

  before(async () => {
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    server = new TestServer({
      trusted: false,
      env: { OPENAI_API_KEY: KEY, HOTPATH_API_KEY: KEY },
      settings: {
        model: { backend: 'remote', fimTemplate: 'qwen', path: join(tmpdir(), 'nowhere.gguf'), remote: { baseUrl: url, model: 'm', retries: 0, timeoutSeconds: 5 }, download: { url: `${url}/model.gguf`, directory: mkdtempSync(join(tmpdir(), 'hotpath-untrusted-')) } },
        execution: { python: '/bin/false', node: '/bin/false' },
        completion: { enable: true, trigger: 'automatic', debounceMinMs: 0, debounceMaxMs: 0 },
      },
    });
    await server.initialize();
    await server.open(uri, 'python', `AWS_SECRET = "${SECRET}"\n\ndef load(xs):\n    return \n`);
  });
  after(async () => {
    await server.shutdown();
    listener.close();
  });

  /** Every request that could reach a model server or the network; each must be answered. */
  async function everyModelRequest(): Promise<void> {
    await server.connection.sendNotification(SetApiKeyNotification, { apiKey: KEY });
    const c = server.connection;
    const requests: [string, () => Promise<unknown>][] = [
      ['automatic inline completion', () => c.sendRequest('textDocument/inlineCompletion', { textDocument: { uri }, position: { line: 3, character: 11 }, context: { triggerKind: 2 } })],
      ['invoked inline completion', () => c.sendRequest('textDocument/inlineCompletion', { textDocument: { uri }, position: { line: 3, character: 11 }, context: { triggerKind: 1 } })],
      ['model status', () => c.sendRequest(ModelStatusRequest)],
      ['model load', () => c.sendRequest(ModelLoadRequest)],
      ['model benchmark', () => c.sendRequest(ModelBenchmarkRequest, { contexts: [64], generate: 1, repeat: 1 })],
      ['model download', () => c.sendRequest(ModelDownloadRequest, {})],
    ];
    for (const [what, send] of requests) {
      await Promise.race([send().catch((e: Error) => e), new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} got no answer`)), 15_000))]);
    }
  }

  it('sends nothing anywhere, whatever the workspace settings and the environment say', async () => {
    await everyModelRequest();
    await new Promise((r) => setTimeout(r, 500)); // anything started in the background
    assert.equal(connections, 0, `connections to the workspace's server: ${JSON.stringify(seen)}`);
    const status = await server.connection.sendRequest(ModelStatusRequest);
    assert.equal(status.backend, 'embedded', 'the workspace cannot choose the remote backend');
  });

  it('uses those settings once the workspace is trusted, and stops when trust is withdrawn', async () => {
    await server.connection.sendNotification(TrustNotification, { trusted: true });
    await everyModelRequest();
    await server.until(() => seen.length > 0, 'a request to the configured server');
    assert.ok(seen.some((r) => r.headers.authorization === `Bearer ${KEY}`), 'trusted, the key is sent: the listener sees what an attacker would');
    await server.connection.sendNotification(TrustNotification, { trusted: false });
    const before = connections;
    await everyModelRequest();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(connections, before, 'no connection after trust was withdrawn');
  });
});
