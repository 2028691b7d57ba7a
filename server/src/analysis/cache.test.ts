// The result cache: a key covers everything a result depends on; entries are whole or absent under
// concurrent writers (real worker threads writing the same folder); corrupt entries are ignored and
// rewritten; the folder stays under its size limit; a cache that cannot be written only warns.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { ResultCache } from './cache';
import type { AnalysisJob, AnalysisResult } from './job';

const job: AnalysisJob = { language: 'python', text: 'def f(xs):\n    return [x for x in xs]\n' };

function result(message = 'a finding'): AnalysisResult {
  return {
    findings: [{ code: 'HP101', severity: 'warning', message, startIndex: 0, endIndex: 3, related: [{ startIndex: 1, endIndex: 2, message: 'here' }], fix: { title: 'fix', replacements: [{ startIndex: 0, endIndex: 1, newText: 'x' }] } }],
    syntax: [],
    skipped: [],
    failures: [],
  };
}

function entries(dir: string): string[] {
  return readdirSync(dir)
    .filter((d) => /^[0-9a-f]{2}$/.test(d))
    .flatMap((d) => readdirSync(join(dir, d)).map((f) => join(dir, d, f)));
}

describe('result cache', () => {
  it('returns what was stored, under a key that changes with the text, the language, the rules run, the parser backend and the build', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-cache-'));
    const cache = new ResultCache(dir, 'build-1');
    const key = cache.keyOf(job);
    assert.equal(cache.get(key), undefined);
    cache.put(key, result());
    assert.deepEqual(cache.get(key), result());
    const others = [
      cache.keyOf({ ...job, text: job.text + ' ' }),
      cache.keyOf({ ...job, language: 'javascript' }),
      cache.keyOf({ ...job, rules: ['HP101'] }),
      new ResultCache(dir, 'build-2').keyOf(job),
      cache.keyOf(job, 'wasm'),
      cache.keyOf(job, 'native'),
    ];
    assert.equal(new Set([key, ...others]).size, 7);
    // The rules run are a set: their order does not matter.
    assert.equal(cache.keyOf({ ...job, rules: ['HP101', 'HP102'] }), cache.keyOf({ ...job, rules: ['HP102', 'HP101'] }));
    assert.deepEqual(cache.stats, { hits: 1, misses: 1, corrupt: 0, writes: 1, evicted: 0 });
    assert.match(readFileSync(join(dir, '.gitignore'), 'utf8'), /^\*$/m);
    assert.ok(existsSync(join(dir, 'CACHEDIR.TAG')));
  });

  it('ignores a corrupt, truncated or foreign entry and writes it again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-cache-'));
    const cache = new ResultCache(dir, 'b');
    const key = cache.keyOf(job);
    cache.put(key, result());
    const [path] = entries(dir);
    const whole = readFileSync(path, 'utf8');
    const bad = [
      whole.slice(0, whole.length / 2),
      'not json',
      JSON.stringify({ key: 'another', result: result() }),
      JSON.stringify({ key, result: { findings: [{ code: 'HP101' }], syntax: [], skipped: [], failures: [] } }),
      JSON.stringify({ key, result: { findings: 'nothing' } }),
      '',
    ];
    for (const content of bad) {
      writeFileSync(path, content);
      assert.equal(cache.get(key), undefined, content.slice(0, 40));
    }
    assert.equal(cache.stats.corrupt, bad.length);
    cache.put(key, result('again'));
    assert.equal(cache.get(key)?.findings[0].message, 'again');
  });

  it('does not store a result that depends on the machine (a unit skipped for its time budget)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-cache-'));
    const cache = new ResultCache(dir, 'b');
    const key = cache.keyOf(job);
    cache.put(key, { ...result(), skipped: [{ startIndex: 0, endIndex: 5, message: 'skipped' }] });
    assert.equal(cache.get(key), undefined);
    assert.equal(cache.stats.writes, 0);
  });

  it('keeps every entry whole while several threads write the same keys at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-cache-'));
    const source = join(__dirname, 'cache.ts');
    const code = `
      require(${JSON.stringify(require.resolve('tsx/cjs'))});
      const { ResultCache } = require(${JSON.stringify(source)});
      const { workerData, parentPort } = require('node:worker_threads');
      const cache = new ResultCache(workerData.dir, 'b');
      for (let round = 0; round < 40; round++) {
        for (let k = 0; k < 10; k++) {
          const job = { language: 'python', text: 'x = ' + k };
          const findings = Array.from({ length: 200 }, (_, i) => ({ code: 'HP101', severity: 'warning', message: 'finding ' + i + ' of ' + k, startIndex: i, endIndex: i + 1, related: [] }));
          cache.put(cache.keyOf(job), { findings, syntax: [], skipped: [], failures: [] });
          const read = cache.get(cache.keyOf(job));
          if (read && read.findings.length !== 200) throw new Error('a partial entry was read');
        }
      }
      parentPort.postMessage(cache.stats);
    `;
    const stats = await Promise.all(Array.from({ length: 4 }, () => new Promise<{ corrupt: number }>((resolve, reject) => {
      const w = new Worker(code, { eval: true, workerData: { dir } });
      w.on('message', resolve);
      w.on('error', reject);
    })));
    assert.deepEqual(stats.map((s) => s.corrupt), [0, 0, 0, 0], 'no thread read a partial entry');
    const files = entries(dir);
    assert.equal(files.filter((f) => f.endsWith('.tmp')).length, 0, 'no temporary file left');
    assert.equal(files.length, 10);
    const cache = new ResultCache(dir, 'b');
    for (let k = 0; k < 10; k++) assert.equal(cache.get(cache.keyOf({ language: 'python', text: 'x = ' + k }))?.findings.length, 200);
  });

  it('removes the oldest entries when the folder passes its size limit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-cache-'));
    const writer = new ResultCache(dir, 'b');
    const keys = Array.from({ length: 10 }, (_, i) => writer.keyOf({ ...job, text: `x = ${i}` }));
    keys.forEach((k, i) => {
      writer.put(k, result('m'.repeat(1000)));
      const [path] = entries(dir).filter((p) => p.includes(k));
      const t = new Date(Date.UTC(2026, 0, 1 + i));
      utimesSync(path, t, t);
    });
    const size = statSync(entries(dir)[0]).size;
    const cache = new ResultCache(dir, 'b', size * 5);
    cache.put(cache.keyOf({ ...job, text: 'newest' }), result('m'.repeat(1000)));
    cache.prune();
    const left = entries(dir);
    assert.ok(left.reduce((n, p) => n + statSync(p).size, 0) <= size * 5 * 0.8 + size, `${left.length} entries left`);
    assert.ok(cache.stats.evicted >= 6, `evicted ${cache.stats.evicted}`);
    // The oldest went first; the newest stayed.
    assert.equal(cache.get(keys[0]), undefined);
    assert.ok(cache.get(cache.keyOf({ ...job, text: 'newest' })));
  });

  it('warns once and carries on when the cache path is a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-cache-'));
    writeFileSync(join(dir, 'cache'), 'a file, not a folder');
    const warnings: string[] = [];
    const cache = new ResultCache(join(dir, 'cache'), 'b', undefined, (m) => warnings.push(m));
    cache.put(cache.keyOf(job), result());
    cache.put(cache.keyOf({ ...job, text: 'y' }), result());
    assert.equal(cache.get(cache.keyOf(job)), undefined);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /cannot be written/);
  });
});
