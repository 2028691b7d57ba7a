// Analysis jobs across cores: a pool of worker threads, each with its own parsers, fed one job at a
// time (plus one queued, so that no worker waits for the next message). Callers get one promise per
// job and keep their own order, so output does not depend on which worker finished first. A worker
// that dies fails the jobs it held (with the reason) and is replaced for the rest.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { AnalysisJob, AnalysisResult } from './job';

export interface WorkerEntry {
  path: string;
  /** Run from the TypeScript sources (tests, benchmarks): the worker registers tsx first. */
  typescript: boolean;
}

/** The worker entry: dist/analysisWorker.js beside the bundle, or server/src/analysisWorker.ts under tsx. */
export function defaultWorkerEntry(): WorkerEntry {
  if (__filename.endsWith('.ts')) return { path: join(__dirname, '..', 'analysisWorker.ts'), typescript: true };
  return { path: join(__dirname, 'analysisWorker.js'), typescript: false };
}

/** What the worker entry is started with. */
export interface WorkerSetup {
  /** The parser backend: 'wasm' (the CLI's default and the editor's), 'native', or 'auto' (native when installed). */
  parser: 'auto' | 'wasm' | 'native';
}

/** The number of worker threads worth starting for `jobs` jobs on this machine. */
export function workersFor(jobs: number, requested?: number): number {
  const cores = requested ?? availableParallelism();
  return Math.max(0, Math.min(cores, jobs));
}

/**
 * The young generation a one-shot check's worker threads start with: each of its two semi-spaces,
 * in MB. V8 starts a worker's nursery at about a megabyte and grows it (to 16 MB a semi-space) only as
 * objects survive, but an analysis allocates fast and keeps little for long (a file's unit snapshots
 * until its module summary is known): a larger nursery from the start gives those objects time to
 * die, so scavenges are fewer and copy less (bench/speed.md, round 9: about 7% fewer instructions in
 * all, the collector's included; scavenges, RSS).
 */
export const CHECK_SEMI_SPACE_MB = 32;

/**
 * Give the worker threads started from now on a young generation of `semiSpaceMb` per semi-space from
 * their start. V8 reads these flags when it creates an isolate, so this thread's own heap is unchanged
 * (Node's `resourceLimits.maxYoungGenerationSizeMb` only raises the ceiling the nursery grows to, and
 * it grows only with survival). The flags are the process's: only a process that owns its workers
 * (the CLI) sets them, before it starts any.
 */
export function setWorkerSemiSpace(semiSpaceMb: number): void {
  setFlagsFromString(`--min-semi-space-size=${semiSpaceMb}`);
  setFlagsFromString(`--max-semi-space-size=${semiSpaceMb}`);
}

/** A job's result, and the parser backend that produced it. */
export interface PoolAnswer {
  result: AnalysisResult;
  backend: string;
}

interface Pending {
  id: number;
  job: AnalysisJob;
  resolve(answer: PoolAnswer): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  held: Map<number, Pending>;
  /** Jobs it answered: a worker that dies before answering any is not replaced (it would die again). */
  served: number;
  dead: boolean;
}

/** Jobs in flight per worker: one running, one waiting in its port. */
const DEPTH = 2;

export class AnalysisPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    readonly size: number,
    private readonly setup: WorkerSetup,
    private readonly entry: WorkerEntry = defaultWorkerEntry(),
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.start());
  }

  run(job: AnalysisJob): Promise<PoolAnswer> {
    if (this.closed) return Promise.reject(new Error('the analysis pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve, reject });
      this.feed();
    });
  }

  /** Stop the workers; jobs not finished are failed. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('the analysis pool was closed'));
    await Promise.all(this.slots.map(async (s) => {
      for (const p of s.held.values()) p.reject(new Error('the analysis pool was closed'));
      s.held.clear();
      await s.worker.terminate();
    }));
  }

  private start(): Slot {
    // A worker does not inherit tsx's loader hooks: it requires tsx's CommonJS register first.
    const worker = this.entry.typescript
      ? new Worker(`require(${JSON.stringify(createRequire(__filename).resolve('tsx/cjs'))}); require(${JSON.stringify(this.entry.path)});`, { eval: true, workerData: this.setup })
      : new Worker(this.entry.path, { workerData: this.setup });
    const slot: Slot = { worker, held: new Map(), served: 0, dead: false };
    worker.on('message', (m: { id: number; result?: AnalysisResult; backend?: string; error?: string }) => {
      const p = slot.held.get(m.id);
      if (!p) return;
      slot.held.delete(m.id);
      slot.served++;
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve({ result: m.result!, backend: m.backend ?? '' });
      this.feed();
    });
    const lost = (why: string) => {
      if (this.closed || slot.dead) return;
      slot.dead = true;
      const error = new Error(`the analysis worker stopped (${why})`);
      for (const p of slot.held.values()) p.reject(error);
      slot.held.clear();
      this.slots.splice(this.slots.indexOf(slot), 1);
      if (slot.served > 0 && this.queue.length > 0) this.slots.push(this.start());
      if (this.slots.length === 0) for (const p of this.queue.splice(0)) p.reject(error);
      this.feed();
    };
    worker.on('error', (err) => lost(err.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    return slot;
  }

  private feed(): void {
    for (const slot of this.slots) {
      while (slot.held.size < DEPTH && this.queue.length > 0) {
        const p = this.queue.shift()!;
        slot.held.set(p.id, p);
        slot.worker.postMessage({ id: p.id, job: p.job });
      }
    }
  }
}
