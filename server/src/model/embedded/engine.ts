// The embedded backend: node-llama-cpp in a child process (worker.ts). Loads lazily on the first
// request, unloads after an idle period, and survives the worker's death: requests in flight fail
// with a clear 'engineDied' error, the next one forks a fresh worker (sessions reopen on it, with an
// empty cache).
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Counters } from '../counters';
import {
  EngineError,
  type CallOptions,
  type Disposable,
  type EngineConfig,
  type EngineCounters,
  type EngineSession,
  type EngineState,
  type EvaluateResult,
  type GenerateOptions,
  type GenerationChunk,
  type GenerationResult,
  type ModelEngine,
  type ModelInfo,
  type OpenSessionOptions,
} from '../engine';
import { EngineStateTracker } from '../engineState';
import { detectFim } from '../fim';
import { GgufError, readGgufHeader, summarizeGguf, type GgufSummary } from '../gguf';
import { defaultMemoryCap, residentBytes } from './limits';
import type { LoadedInfo, LoadParams, WorkerMessage, WorkerRequest, WorkerStats } from './protocol';

export interface EmbeddedEngineOptions {
  /** The worker entry (default: dist/engineWorker.js beside the bundle, or worker.ts under tsx). */
  workerPath?: string;
  log?: (message: string) => void;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  onEvent?: (event: unknown) => void;
}

type ReqBody = Omit<WorkerRequest, 'type' | 'id'>;

/**
 * Check the file before handing it to native code: it exists, and its header, metadata and tensor
 * infos are consistent with its length (model/gguf.ts). A crafted header (counts of 2^62) or a
 * truncated download is reported in milliseconds with the reason, instead of a loader that spins.
 */
export function checkModelFile(path: string | undefined): { path: string; summary: GgufSummary } {
  if (!path) throw new EngineError('no model configured: set hotpath.model.path (Hotpath: Select Model) or download one (Hotpath: Download Model)', 'noModel');
  if (!existsSync(path)) throw new EngineError(`model file not found: ${path}`, 'modelNotFound');
  const st = statSync(path);
  if (!st.isFile()) throw new EngineError(`model path is not a file: ${path}`, 'modelNotFound');
  try {
    return { path, summary: summarizeGguf(readGgufHeader(path)) };
  } catch (err) {
    if (err instanceof GgufError) throw new EngineError(`not a usable GGUF model: ${err.message}: ${path}`, 'badModel');
    throw new EngineError(`could not read the model file ${path}: ${(err as Error).message}`, 'badModel');
  }
}

function defaultWorker(): { path: string; execArgv: string[] } {
  if (__filename.endsWith('.ts')) {
    const tsxLoaded = process.execArgv.some((a) => a.includes('tsx'));
    return { path: join(__dirname, 'worker.ts'), execArgv: tsxLoaded ? process.execArgv : ['--import', 'tsx'] };
  }
  return { path: join(__dirname, 'engineWorker.js'), execArgv: [] };
}

export class EmbeddedEngine implements ModelEngine {
  readonly backend = 'embedded' as const;
  private child: ChildProcess | undefined;
  private generation = 0;
  private loading: Promise<ModelInfo> | undefined;
  private loaded: ModelInfo | undefined;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private active = 0;
  private readonly counter = new Counters();
  private readonly status = new EngineStateTracker();
  private shared: EngineSession | undefined;
  private disposed = false;
  private starts = 0;
  /** Why the engine killed its worker (memory cap, load timeout): reported instead of the signal. */
  private killReason: string | undefined;
  private watchdog: NodeJS.Timeout | undefined;

  constructor(readonly config: EngineConfig, private readonly opts: EmbeddedEngineOptions = {}) {}

  get state(): EngineState {
    return this.status.state;
  }

  get lastError(): string | undefined {
    return this.status.lastError;
  }

  /** The worker's process id (undefined when none runs). */
  get workerPid(): number | undefined {
    return this.child?.pid;
  }

  onStateChange(listener: (s: EngineState) => void): Disposable {
    return this.status.onChange(listener);
  }

  private setState(s: EngineState, error?: string): void {
    this.status.set(s, error);
  }

  private log(m: string): void {
    this.opts.log?.(m);
  }

  // -- worker lifecycle -------------------------------------------------------------------------
  private spawn(): ChildProcess {
    const w = this.opts.workerPath ? { path: this.opts.workerPath, execArgv: this.opts.workerPath.endsWith('.ts') ? ['--import', 'tsx'] : [] } : defaultWorker();
    const child = fork(w.path, [], { execArgv: w.execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    const gen = ++this.generation;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    child.on('message', (m: WorkerMessage) => this.onMessage(m));
    child.on('error', (err) => this.log(`engine worker error: ${err.message}`));
    child.on('exit', (code, signal) => {
      if (gen !== this.generation) return;
      this.child = undefined;
      this.loading = undefined;
      this.loaded = undefined;
      const expected = this.disposed || this.status.state === 'idle';
      if (this.watchdog) clearInterval(this.watchdog);
      const why = signal ? `killed by ${signal}` : `exit code ${code}`;
      const tail = stderr.trim().split('\n').slice(-3).join(' | ');
      const msg = this.killReason ?? `the model engine process stopped (${why})${tail ? `: ${tail}` : ''}; it restarts on the next request`;
      this.killReason = undefined;
      for (const p of this.pending.values()) p.reject(new EngineError(msg, 'engineDied'));
      this.pending.clear();
      if (!expected) {
        this.log(msg);
        this.setState('failed', msg);
      }
    });
    this.child = child;
    return child;
  }

  /** Stop the worker now for a reason the user must see (requests in flight fail with it). */
  private kill(reason: string): void {
    const c = this.child;
    if (!c) return;
    this.killReason = reason;
    this.log(reason);
    c.kill('SIGKILL');
  }

  /** Watch the worker's resident memory while it lives; over the cap it is killed with a clear message. */
  private watchMemory(child: ChildProcess, cap: number): void {
    if (this.watchdog) clearInterval(this.watchdog);
    const pid = child.pid;
    if (!pid) return;
    let busy = false;
    this.watchdog = setInterval(() => {
      if (busy || this.child !== child) return;
      busy = true;
      void residentBytes(pid)
        .then((rss) => {
          if (rss !== undefined && rss > cap && this.child === child) {
            const mb = (n: number) => `${Math.round(n / 1048576)} MB`;
            this.kill(`the model engine used ${mb(rss)} of memory, over its limit of ${mb(cap)} (hotpath.model.maxMemoryMB); it was stopped`);
          }
        })
        .finally(() => (busy = false));
    }, 250);
    this.watchdog.unref();
  }

  private onMessage(m: WorkerMessage): void {
    if (m.type === 'log') this.log(m.message);
    else if (m.type === 'count') this.counter.add(m.delta);
    else if (m.type === 'event') this.pending.get(m.id)?.onEvent?.(m.event);
    else if (m.type === 'res') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(new EngineError(m.error.message, (m.error.code as EngineError['code']) ?? 'internal'));
      else p.resolve(m.result);
    }
  }

  private request<T>(child: ChildProcess, body: ReqBody, signal?: AbortSignal, onEvent?: (e: unknown) => void): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new EngineError('cancelled', 'aborted'));
        return;
      }
      const onAbort = () => {
        if (child.connected) child.send({ type: 'cancel', id });
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (v) => {
          done();
          resolve(v as T);
        },
        reject: (e) => {
          done();
          reject(e);
        },
        onEvent,
      });
      if (!child.connected) {
        this.pending.delete(id);
        done();
        reject(new EngineError('the model engine process is not running', 'engineDied'));
        return;
      }
      child.send({ type: 'req', id, ...body } as WorkerRequest);
    });
  }

  /** A loaded worker (forked and loaded on demand). */
  private async ready(signal?: AbortSignal): Promise<{ child: ChildProcess; info: ModelInfo; generation: number }> {
    if (this.disposed) throw new EngineError('the engine was disposed', 'internal');
    if (!this.loading) {
      let modelPath: string;
      let summary: GgufSummary;
      try {
        ({ path: modelPath, summary } = checkModelFile(this.config.modelPath));
      } catch (err) {
        this.setState('failed', (err as Error).message);
        throw err;
      }
      this.setState('loading');
      const fresh = !this.child;
      const child = this.child ?? this.spawn();
      const cap = this.config.maxMemoryBytes || defaultMemoryCap(summary, Math.min(this.config.contextSize, summary.trainContextSize ?? this.config.contextSize));
      if (fresh) this.watchMemory(child, cap);
      const timeoutMs = this.config.loadTimeoutMs ?? 120_000;
      let loadTimer: NodeJS.Timeout | undefined;
      const armLoadTimer = () => {
        if (loadTimer) clearTimeout(loadTimer);
        loadTimer = setTimeout(() => {
          if (this.child === child && this.state === 'loading') this.kill(`loading the model ${modelPath} made no progress for ${Math.round(timeoutMs / 1000)} s; it was stopped (hotpath.model.loadTimeoutSeconds)`);
        }, timeoutMs);
        loadTimer.unref();
      };
      armLoadTimer();
      if (this.starts++ > 0) this.counter.restart();
      const params: LoadParams = {
        modelPath,
        gpu: this.config.gpu,
        gpuLayers: this.config.gpuLayers,
        threads: this.config.threads,
        contextSize: this.config.contextSize,
        batchSize: this.config.batchSize,
      };
      this.loading = this.request<LoadedInfo>(child, { method: 'load', params }, undefined, armLoadTimer).finally(() => clearTimeout(loadTimer)).then(
        (w) => {
          const info = this.toInfo(modelPath, w, summary);
          this.loaded = info;
          this.setState('ready');
          this.log(`model loaded: ${info.name} on ${info.device}, ${info.gpuLayers}/${info.totalLayers} layers offloaded, context ${info.contextSize}, ${w.loadMs.toFixed(0)} ms`);
          return info;
        },
        (err: Error) => {
          this.loading = undefined;
          const msg = `could not load the model ${modelPath}: ${err.message}`;
          this.setState('failed', msg);
          this.stopWorker();
          throw new EngineError(msg, err instanceof EngineError && err.code === 'engineDied' ? 'engineDied' : 'loadFailed');
        },
      );
    }
    const generation = this.generation;
    const info = await abortable(this.loading, signal);
    if (!this.child) throw new EngineError('the model engine process stopped while loading', 'engineDied');
    return { child: this.child, info, generation };
  }

  private toInfo(modelPath: string, w: LoadedInfo, summary: GgufSummary): ModelInfo {
    const present = new Set(w.specialTokensPresent);
    const fim = detectFim({ prefixToken: w.fimPrefixToken, hasToken: (s) => present.has(s) }, this.config.fimTemplate);
    const device = w.gpu
      ? `${w.gpu.toUpperCase()}: ${w.gpuDevices.join(', ') || 'GPU'} (${w.gpuLayers}/${w.totalLayers} layers)`
      : `CPU (${w.threads} thread${w.threads === 1 ? '' : 's'})`;
    return {
      backend: 'embedded',
      model: modelPath,
      name: w.name,
      device,
      gpu: w.gpu,
      gpuDevices: w.gpuDevices,
      gpuLayers: w.gpuLayers,
      totalLayers: w.totalLayers,
      // a session never gets more context than the model was trained for
      contextSize: w.trainContextSize ? Math.min(this.config.contextSize, w.trainContextSize) : this.config.contextSize,
      trainContextSize: w.trainContextSize,
      architecture: summary.architecture,
      chatTemplate: summary.chatTemplate !== undefined,
      threads: w.threads,
      vocabSize: w.vocabSize,
      parameters: w.parameters,
      sizeBytes: w.sizeBytes,
      fim,
      special: w.special,
      loadMs: w.loadMs,
    };
  }

  private stopWorker(): void {
    const c = this.child;
    if (this.watchdog) clearInterval(this.watchdog);
    if (!c) return;
    this.generation++; // its exit is expected: no error report
    this.child = undefined;
    this.loading = undefined;
    this.loaded = undefined;
    for (const p of this.pending.values()) p.reject(new EngineError('the model was unloaded', 'engineDied'));
    this.pending.clear();
    if (c.connected) {
      c.send({ type: 'req', id: 0, method: 'shutdown', params: {} });
      c.disconnect();
    }
    const t = setTimeout(() => c.kill('SIGKILL'), 3000);
    t.unref();
    c.once('exit', () => clearTimeout(t));
  }

  /** Run work against a loaded worker, counting it as activity for the idle timer. */
  private async use<T>(signal: AbortSignal | undefined, work: (child: ChildProcess, generation: number) => Promise<T>): Promise<T> {
    this.active++;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    try {
      const { child, generation } = await this.ready(signal);
      return await work(child, generation);
    } finally {
      this.active--;
      this.armIdle();
    }
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.active > 0 || !this.config.idleUnloadMs || !this.child) return;
    this.idleTimer = setTimeout(() => {
      if (this.active > 0) return;
      this.log(`model unloaded after ${Math.round(this.config.idleUnloadMs / 1000)} s idle`);
      this.setState('idle');
      this.stopWorker();
    }, this.config.idleUnloadMs);
    this.idleTimer.unref();
  }

  // -- ModelEngine ------------------------------------------------------------------------------
  async info(signal?: AbortSignal): Promise<ModelInfo> {
    return this.use(signal, async () => this.loaded!);
  }

  /** CPU time and memory of the worker process (undefined when none runs). */
  async workerStats(): Promise<WorkerStats | undefined> {
    if (!this.child?.connected) return undefined;
    return this.request<WorkerStats>(this.child, { method: 'stats', params: {} });
  }

  /** The model info if loaded, without loading. */
  currentInfo(): ModelInfo | undefined {
    return this.loaded;
  }

  tokenize(text: string, options?: { special?: boolean }): Promise<number[]> {
    return this.use(undefined, (child) => this.request<number[]>(child, { method: 'tokenize', params: { text, special: options?.special } }));
  }

  detokenize(tokens: number[], options?: { special?: boolean }): Promise<string> {
    return this.use(undefined, (child) => this.request<string>(child, { method: 'detokenize', params: { tokens, special: options?.special } }));
  }

  async openSession(options: OpenSessionOptions = {}): Promise<EngineSession> {
    const s = new EmbeddedSession(this, options.kind ?? 'plain', options.contextSize ?? this.config.contextSize, options.options);
    await s.open();
    return s;
  }

  /** @internal used by EmbeddedSession */
  async sessionRequest<T>(
    s: EmbeddedSession,
    method: string,
    args: unknown,
    signal: AbortSignal | undefined,
    onEvent?: (e: unknown) => void,
  ): Promise<T> {
    this.counter.request();
    return this.use(signal, async (child, generation) => {
      if (s.generation !== generation || s.workerId === undefined) {
        const r = await this.request<{ id: number; contextSize: number }>(child, { method: 'openSession', params: { kind: s.kind, contextSize: s.requestedContext, options: s.options } });
        s.workerId = r.id;
        s.generation = generation;
        s.contextSize = r.contextSize;
      }
      if (method === '__open') return undefined as T;
      return this.request<T>(child, { method: 'call', params: { session: s.workerId, method, args } }, signal, onEvent);
    });
  }

  /** @internal */
  async closeWorkerSession(s: EmbeddedSession): Promise<void> {
    if (s.workerId === undefined || s.generation !== this.generation || !this.child) return;
    const id = s.workerId;
    s.workerId = undefined;
    await this.request(this.child, { method: 'closeSession', params: { session: id } }).catch(() => undefined);
  }

  async generate(options: GenerateOptions, signal?: AbortSignal, onChunk?: (c: GenerationChunk) => void): Promise<GenerationResult> {
    this.shared ??= new EmbeddedSession(this, 'plain', this.config.contextSize, undefined);
    return this.shared.generate(options, signal, onChunk);
  }

  counters(): EngineCounters {
    return this.counter.snapshot();
  }

  async unload(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.setState('idle');
    this.stopWorker();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.unload();
    this.status.clearListeners();
  }
}

class EmbeddedSession implements EngineSession {
  private static next = 1;
  readonly id = `embedded-${EmbeddedSession.next++}`;
  workerId: number | undefined;
  generation = -1;
  contextSize: number;
  private closed = false;

  constructor(private readonly engine: EmbeddedEngine, readonly kind: string, readonly requestedContext: number, readonly options: unknown) {
    this.contextSize = requestedContext;
  }

  open(): Promise<void> {
    return this.engine.sessionRequest(this, '__open', undefined, undefined);
  }

  private check(): void {
    if (this.closed) throw new EngineError('the session is closed', 'internal');
  }

  evaluate(tokens: number[], signal?: AbortSignal): Promise<EvaluateResult> {
    this.check();
    return this.engine.sessionRequest(this, 'evaluate', { tokens }, signal);
  }

  async generate(options: GenerateOptions, signal?: AbortSignal, onChunk?: (c: GenerationChunk) => void): Promise<GenerationResult> {
    this.check();
    try {
      return await this.engine.sessionRequest<GenerationResult>(this, 'generate', options, signal, (e) => onChunk?.(e as GenerationChunk));
    } catch (err) {
      if (err instanceof EngineError && err.code === 'aborted') {
        return { text: '', tokens: [], stopReason: 'aborted', promptTokens: 0, reusedTokens: 0, evaluatedTokens: 0, timeToFirstTokenMs: 0, promptMs: 0, generationMs: 0 };
      }
      throw err;
    }
  }

  tokens(): Promise<number[]> {
    this.check();
    return this.engine.sessionRequest(this, '__tokens', undefined, undefined);
  }

  call<T = unknown>(method: string, args?: unknown, options: CallOptions = {}): Promise<T> {
    this.check();
    return this.engine.sessionRequest<T>(this, method, args, options.signal, options.onEvent);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.engine.closeWorkerSession(this);
  }
}

export function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new EngineError('cancelled', 'aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new EngineError('cancelled', 'aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
