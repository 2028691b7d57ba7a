// The result cache of `hotpath check` (like Ruff's .ruff_cache): one file per analysed text, named by
// a hash of everything the result depends on: Hotpath's build, the parser backend, the language,
// the rules run and the text itself. An unchanged file is not parsed again.
//   - Safe under concurrent runs: an entry is written to a temporary file and renamed into place
//     (atomic on POSIX and Windows), so a reader sees a whole entry or none.
//   - A corrupt or foreign entry (bad JSON, another key inside, the wrong shape) is ignored and
//     written again.
//   - Bounded: after a run that wrote entries, the oldest entries (by modification time; a hit
//     refreshes it at most once a day) are removed until the cache is under its size limit.
//   - Results that depend on the machine's load (a unit given up for its time budget) are not stored.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirs } from './makeDirs';
import type { AnalysisJob, AnalysisResult } from './job';

export const CACHE_DIR_NAME = '.hotpath_cache';

/** Default size limit of the cache folder. */
export const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CacheStats {
  hits: number;
  misses: number;
  /** Entries that could not be read as a result (corrupt, truncated by hand, another key). */
  corrupt: number;
  writes: number;
  /** Entries removed to stay under the size limit. */
  evicted: number;
}

export class ResultCache {
  readonly stats: CacheStats = { hits: 0, misses: 0, corrupt: 0, writes: 0, evicted: 0 };
  private ready = false;

  constructor(
    readonly dir: string,
    /** What every key starts with: Hotpath's build. */
    private readonly scope: string,
    private readonly maxBytes = DEFAULT_CACHE_BYTES,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  /**
   * The key of a job: its text and everything else its result depends on, the parser backend
   * included (the backends' tree-sitter versions may recover from a syntax error differently).
   */
  keyOf(job: AnalysisJob, backend = ''): string {
    const rules = job.rules ? [...job.rules].sort().join(',') : '*';
    return createHash('sha256').update(`${this.scope}\0${backend}\0${job.language}\0${rules}\0`).update(job.text).digest('hex');
  }

  get(key: string): AnalysisResult | undefined {
    const path = this.pathOf(key);
    let raw: string;
    try {
      raw = readFileSync(path, 'utf8');
    } catch {
      this.stats.misses++;
      return undefined;
    }
    const result = parseEntry(raw, key);
    if (!result) {
      this.stats.corrupt++;
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    this.touch(path);
    return result;
  }

  /** Store a result (never throws: a cache that cannot be written only costs speed). */
  put(key: string, result: AnalysisResult): void {
    if (result.skipped.length > 0) return;
    const path = this.pathOf(key);
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      this.prepare();
      makeDirs(join(this.dir, key.slice(0, 2)));
      writeFileSync(tmp, JSON.stringify({ key, result }));
      renameSync(tmp, path);
      this.stats.writes++;
    } catch (err) {
      try {
        unlinkSync(tmp);
      } catch {
        /* never written */
      }
      this.warnOnce(`the cache ${this.dir} cannot be written (${(err as Error).message}); results are not cached`);
    }
  }

  /** After a run that wrote entries: remove the oldest until the cache is under 80% of its limit. */
  prune(): void {
    if (this.stats.writes === 0) return;
    const entries: { path: string; size: number; mtimeMs: number }[] = [];
    let total = 0;
    for (const sub of safeReaddir(this.dir)) {
      if (!/^[0-9a-f]{2}$/.test(sub)) continue;
      for (const name of safeReaddir(join(this.dir, sub))) {
        const path = join(this.dir, sub, name);
        try {
          const st = statSync(path);
          // A temporary file older than a day was left by a run that was killed.
          if (name.endsWith('.tmp') && Date.now() - st.mtimeMs < DAY_MS) continue;
          entries.push({ path, size: st.size, mtimeMs: st.mtimeMs });
          total += st.size;
        } catch {
          /* removed by a concurrent run */
        }
      }
    }
    if (total <= this.maxBytes) return;
    entries.sort((a, b) => a.mtimeMs - b.mtimeMs);
    for (const e of entries) {
      if (total <= this.maxBytes * 0.8) break;
      try {
        unlinkSync(e.path);
        this.stats.evicted++;
      } catch {
        /* removed by a concurrent run */
      }
      total -= e.size;
    }
  }

  private pathOf(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The folder, with a .gitignore and a CACHEDIR.TAG as Ruff writes them (created on first write). */
  private prepare(): void {
    if (this.ready) return;
    this.ready = true;
    makeDirs(this.dir);
    const gitignore = join(this.dir, '.gitignore');
    if (!existsSync(gitignore)) writeFileSync(gitignore, '# Automatically created by hotpath.\n*\n');
    const tag = join(this.dir, 'CACHEDIR.TAG');
    if (!existsSync(tag)) writeFileSync(tag, 'Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by hotpath.\n');
  }

  /** Mark an entry as used (at most once a day, so that warm runs stay read-only). */
  private touch(path: string): void {
    try {
      if (Date.now() - statSync(path).mtimeMs < DAY_MS) return;
      const now = new Date();
      utimesSync(path, now, now);
    } catch {
      /* read-only or removed: eviction may take it earlier */
    }
  }

  private warned = false;

  private warnOnce(message: string): void {
    if (this.warned) return;
    this.warned = true;
    this.warn(message);
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The result in an entry, or undefined when the entry is not a whole, well-formed entry for this key. */
function parseEntry(raw: string, key: string): AnalysisResult | undefined {
  let entry: { key?: unknown; result?: unknown };
  try {
    entry = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!entry || entry.key !== key || !isResult(entry.result)) return undefined;
  return entry.result;
}

function isSpan(x: unknown): boolean {
  const s = x as { startIndex?: unknown; endIndex?: unknown; message?: unknown };
  return !!s && Number.isSafeInteger(s.startIndex) && Number.isSafeInteger(s.endIndex) && typeof s.message === 'string';
}

function isResult(x: unknown): x is AnalysisResult {
  const r = x as AnalysisResult;
  return (
    !!r &&
    Array.isArray(r.findings) &&
    r.findings.every((f) => isSpan(f) && typeof f.code === 'string' && typeof f.severity === 'string' && Array.isArray(f.related) && f.related.every(isSpan)) &&
    Array.isArray(r.syntax) &&
    r.syntax.every(isSpan) &&
    Array.isArray(r.skipped) &&
    Array.isArray(r.failures)
  );
}

/**
 * What identifies this build of Hotpath: its version and a hash of the code that runs (the bundle
 * file, or the sources when run from TypeScript) and of the grammars' manifest. Any change to a rule
 * changes it, so a cache never serves a result an older build computed.
 */
export function buildId(version: string, grammarsManifest: string | undefined): string {
  const h = createHash('sha256').update(version);
  if (__filename.endsWith('.ts')) hashSources(join(__dirname, '..'), h);
  else h.update(readFileSync(__filename));
  if (grammarsManifest) h.update(readFileSync(grammarsManifest));
  return `${version}-${h.digest('hex').slice(0, 16)}`;
}

function hashSources(dir: string, h: ReturnType<typeof createHash>): void {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) hashSources(path, h);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) h.update(path).update(readFileSync(path));
  }
}
