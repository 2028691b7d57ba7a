// Model download: HTTP(S) with a progress callback, resume of an interrupted download (HTTP Range
// on the `.part` file), sha256 verification, a GGUF check, and cancellation (the partial file is
// kept for the next attempt).
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { EngineError } from './engine';
import { makeDirs } from '../analysis/makeDirs';

export interface DownloadOptions {
  url: string;
  directory: string;
  /** Expected sha256 (hex). Without it, the file is only checked to be a GGUF model. */
  sha256?: string;
  /** Default: the last segment of the URL's path. */
  fileName?: string;
  signal?: AbortSignal;
  onProgress?: (p: { received: number; total: number | undefined; resumedFrom: number }) => void;
  /** Extra request headers (e.g. a token for a private host). */
  headers?: Record<string, string>;
}

export interface DownloadResult {
  path: string;
  sha256: string;
  bytes: number;
  /** Bytes that came from an earlier, interrupted attempt. */
  resumedFrom: number;
  /** The file was already there with the right checksum: nothing downloaded. */
  alreadyPresent: boolean;
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

async function hashInto(h: ReturnType<typeof createHash>, path: string): Promise<void> {
  for await (const d of createReadStream(path)) h.update(d as Buffer);
}

export function fileNameOf(url: string): string {
  let name = '';
  try {
    name = decodeURIComponent(basename(new URL(url).pathname));
  } catch {
    /* fall through */
  }
  name = name.replace(/[^\w.+-]/g, '_');
  if (!name || name === '.' || name === '..') name = 'model.gguf';
  return name.endsWith('.gguf') ? name : `${name}.gguf`;
}

export async function downloadModel(o: DownloadOptions): Promise<DownloadResult> {
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    throw new EngineError(`not a valid URL: ${o.url}`, 'badResponse');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new EngineError(`only http(s) downloads are supported: ${o.url}`, 'unsupported');
  const expected = o.sha256?.trim().toLowerCase() || undefined;
  if (expected && !/^[0-9a-f]{64}$/.test(expected)) throw new EngineError(`hotpath.model.download.sha256 is not a sha256 hex digest: ${o.sha256}`, 'badResponse');
  makeDirs(o.directory);
  const dest = join(o.directory, o.fileName ?? fileNameOf(o.url));
  const part = `${dest}.part`;
  if (existsSync(dest) && expected && (await hashFile(dest)) === expected) {
    const bytes = statSync(dest).size;
    return { path: dest, sha256: expected, bytes, resumedFrom: 0, alreadyPresent: true };
  }
  let have = existsSync(part) ? statSync(part).size : 0;
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (have > 0) headers.range = `bytes=${have}-`;
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: o.signal, redirect: 'follow' });
  } catch (err) {
    if (o.signal?.aborted) throw new EngineError('download cancelled (the partial file is kept for resuming)', 'aborted');
    const code = (err as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED') throw new EngineError(`server at ${url.origin} refused the connection`, 'connectionRefused');
    throw new EngineError(`download from ${url.origin} failed: ${(err as { cause?: Error }).cause?.message ?? (err as Error).message}`, 'http');
  }
  let total: number | undefined;
  if (res.status === 416 && have > 0) {
    // Nothing left to fetch: the partial file is complete (verified below).
    await res.body?.cancel();
    total = have;
  } else if (res.status === 206 && have > 0) {
    const m = /bytes (\d+)-\d+\/(\d+|\*)/.exec(res.headers.get('content-range') ?? '');
    if (!m || Number(m[1]) !== have) {
      await res.body?.cancel();
      rmSync(part, { force: true });
      throw new EngineError(`server at ${url.origin} answered an unexpected range (${res.headers.get('content-range')}); the partial file was removed, try again`, 'badResponse');
    }
    total = m[2] === '*' ? undefined : Number(m[2]);
  } else if (res.ok) {
    have = 0; // no range support (or a fresh download): start over
    const len = Number(res.headers.get('content-length'));
    total = Number.isFinite(len) && len > 0 ? len : undefined;
  } else {
    await res.body?.cancel();
    throw new EngineError(`download from ${url.href} failed: HTTP ${res.status} ${res.statusText}`, 'http');
  }
  const resumedFrom = have;
  const hash = createHash('sha256');
  if (have > 0) await hashInto(hash, part);
  if (res.status !== 416 && res.body) {
    const out = createWriteStream(part, { flags: have > 0 ? 'a' : 'w' });
    let received = have;
    let lastReport = 0;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        received += chunk.length;
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', r));
        const now = Date.now();
        if (now - lastReport > 100) {
          lastReport = now;
          o.onProgress?.({ received, total, resumedFrom });
        }
      }
    } catch (err) {
      await new Promise<void>((r) => out.end(r));
      if (o.signal?.aborted) throw new EngineError(`download cancelled at ${received} bytes (the partial file is kept for resuming)`, 'aborted');
      throw new EngineError(`download from ${url.origin} was interrupted at ${received} bytes (${(err as Error).message}); run it again to resume`, 'http');
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    o.onProgress?.({ received, total, resumedFrom });
  }
  const bytes = statSync(part).size;
  if (total !== undefined && bytes !== total) {
    throw new EngineError(`download from ${url.origin} ended at ${bytes} of ${total} bytes; run it again to resume`, 'http');
  }
  const digest = hash.digest('hex');
  if (expected && digest !== expected) {
    rmSync(part, { force: true });
    throw new EngineError(`checksum mismatch for ${basename(dest)}: expected sha256 ${expected}, got ${digest}; the file was removed`, 'badModel');
  }
  const head = Buffer.alloc(4);
  const fd = await import('node:fs/promises').then((f) => f.open(part, 'r'));
  try {
    await fd.read(head, 0, 4, 0);
  } finally {
    await fd.close();
  }
  if (head.toString('latin1') !== 'GGUF') {
    rmSync(part, { force: true });
    throw new EngineError(`the downloaded file is not a GGUF model (from ${url.href}); it was removed`, 'badModel');
  }
  renameSync(part, dest);
  return { path: dest, sha256: digest, bytes, resumedFrom, alreadyPresent: false };
}
