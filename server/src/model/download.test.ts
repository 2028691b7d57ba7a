import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { downloadModel, fileNameOf } from './download';
import type { EngineError } from './engine';
import { ensureTestModel } from './testModel';

describe('model download from a local HTTP server', () => {
  let model: Buffer;
  let sha: string;
  let server: Server;
  let base: string;
  const seen: IncomingHttpHeaders[] = [];
  /** Per-path behaviour: cut the body after n bytes (once), ignore Range. */
  const mode = { cutAfter: 0, noRange: false };

  before(async () => {
    model = readFileSync(await ensureTestModel());
    sha = createHash('sha256').update(model).digest('hex');
    server = createServer((req, res) => {
      seen.push(req.headers);
      if (req.url === '/missing.gguf') {
        res.writeHead(404);
        res.end('not found');
        return;
      }
      const body = req.url === '/text.gguf' ? Buffer.from('hello, not a model') : model;
      const range = /bytes=(\d+)-/.exec(req.headers.range ?? '');
      let start = 0;
      if (range && !mode.noRange) {
        start = Number(range[1]);
        if (start >= body.length) {
          res.writeHead(416, { 'content-range': `bytes */${body.length}` });
          res.end();
          return;
        }
        res.writeHead(206, { 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`, 'accept-ranges': 'bytes' });
      } else {
        res.writeHead(200, { 'content-length': body.length, 'accept-ranges': mode.noRange ? 'none' : 'bytes' });
      }
      if (mode.cutAfter) {
        const n = mode.cutAfter;
        mode.cutAfter = 0;
        res.write(body.subarray(start, start + n), () => res.destroy());
        return;
      }
      if (req.url === '/slow.gguf') {
        // 64 KB every 5 ms: a download that is still running when the test cancels it
        let at = start;
        const tick = () => {
          if (res.destroyed) return;
          if (at >= body.length) return void res.end();
          res.write(body.subarray(at, at + 65536));
          at += 65536;
          setTimeout(tick, 5);
        };
        tick();
        return;
      }
      res.end(body.subarray(start));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  test('downloads with progress and a verified checksum; a second run finds it present', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-dl-'));
    const progress: number[] = [];
    const r = await downloadModel({ url: `${base}/models/tiny.gguf`, directory: dir, sha256: sha, onProgress: (p) => progress.push(p.received) });
    assert.equal(r.path, join(dir, 'tiny.gguf'));
    assert.equal(r.sha256, sha);
    assert.equal(r.bytes, model.length);
    assert.deepEqual(readFileSync(r.path), model);
    assert.equal(progress.at(-1), model.length);
    assert.ok(!existsSync(`${r.path}.part`));
    const again = await downloadModel({ url: `${base}/models/tiny.gguf`, directory: dir, sha256: sha });
    assert.equal(again.alreadyPresent, true);
  });

  test('an interrupted download resumes with an HTTP Range request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-dl-'));
    mode.cutAfter = 100_000;
    await assert.rejects(downloadModel({ url: `${base}/m.gguf`, directory: dir, sha256: sha }), /interrupted at|ended at/);
    const partial = statSync(join(dir, 'm.gguf.part')).size;
    assert.ok(partial > 0 && partial < model.length);
    const r = await downloadModel({ url: `${base}/m.gguf`, directory: dir, sha256: sha });
    assert.equal(seen.at(-1)?.range, `bytes=${partial}-`);
    assert.equal(r.resumedFrom, partial);
    assert.deepEqual(readFileSync(r.path), model);
  });

  test('a server without Range support: the download starts over and is still right', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-dl-'));
    writeFileSync(join(dir, 'm.gguf.part'), model.subarray(0, 5000));
    mode.noRange = true;
    try {
      const r = await downloadModel({ url: `${base}/m.gguf`, directory: dir, sha256: sha });
      assert.equal(r.resumedFrom, 0);
      assert.deepEqual(readFileSync(r.path), model);
    } finally {
      mode.noRange = false;
    }
  });

  test('a checksum mismatch removes the file; a non-GGUF file and HTTP errors are refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-dl-'));
    const wrong = 'a'.repeat(64);
    await assert.rejects(downloadModel({ url: `${base}/m.gguf`, directory: dir, sha256: wrong }), (e: EngineError) => e.code === 'badModel' && e.message.includes(`expected sha256 ${wrong}, got ${sha}`));
    assert.ok(!existsSync(join(dir, 'm.gguf')) && !existsSync(join(dir, 'm.gguf.part')));
    await assert.rejects(downloadModel({ url: `${base}/text.gguf`, directory: dir }), /not a GGUF model/);
    await assert.rejects(downloadModel({ url: `${base}/missing.gguf`, directory: dir }), /HTTP 404/);
    await assert.rejects(downloadModel({ url: 'file:///etc/passwd', directory: dir }), /only http\(s\)/);
    await assert.rejects(downloadModel({ url: `${base}/m.gguf`, directory: dir, sha256: 'xyz' }), /not a sha256/);
  });

  test('cancellation keeps the partial file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-dl-'));
    const ac = new AbortController();
    await assert.rejects(
      downloadModel({ url: `${base}/slow.gguf`, directory: dir, signal: ac.signal, onProgress: (p) => p.received > 0 && ac.abort() }),
      (e: EngineError) => e.code === 'aborted' && /partial file is kept/.test(e.message),
    );
    const partial = statSync(join(dir, 'slow.gguf.part')).size;
    assert.ok(partial > 0 && partial < model.length);
    const r = await downloadModel({ url: `${base}/slow.gguf`, directory: dir, sha256: sha });
    assert.equal(r.resumedFrom, partial);
    assert.deepEqual(readFileSync(r.path), model);
  });

  test('file names come from the URL path', () => {
    assert.equal(fileNameOf('https://host/a/b/qwen2.5-coder-1.5b-q8_0.gguf?download=1'), 'qwen2.5-coder-1.5b-q8_0.gguf');
    assert.equal(fileNameOf('https://host/'), 'model.gguf');
    assert.equal(fileNameOf('https://host/x y'), 'x_y.gguf');
  });
});
