// The model benchmark: time to first token, prompt tokens/s and generated tokens/s at several
// context lengths, cold and with KV reuse (the same prompt plus a short edit at its end, as after a
// keystroke), on the configured backend. Cold is cold on every backend: each repetition's prompt
// starts with tokens of its own (a nonce line), so neither a fresh context nor a caching server
// (llama-server keeps each slot's last prompt) has any of it; the reused count of every cold row
// is reported to show it. A remote llama.cpp server's own `timings` are reported beside the
// client-side figures. For the embedded engine the same measurements can be taken with
// node-llama-cpp used directly ('direct') and with llama-server on the same file ('server'), in
// the same run and interleaved, to show the engine's own overhead. Used by `hotpath model-bench`,
// the "Hotpath: Benchmark Model" command and bench/model.bench.ts.
import { EngineError, type EngineConfig, type GenerationResult, type ModelEngine, type ModelInfo, type ServerTimings } from './engine';

export interface BenchOptions {
  /** Prompt lengths in tokens (default 512, 2048, 8192). */
  contexts?: number[];
  /** Tokens generated per measurement (default 32). */
  generate?: number;
  /** Repetitions per cell; the median is reported (default 3). */
  repeat?: number;
  signal?: AbortSignal;
  onProgress?: (message: string, fraction: number) => void;
}

export type RunnerName = 'engine' | 'direct' | 'server';

/** What a llama.cpp server measured itself (median over the repetitions). */
export interface ServerFigures {
  promptTokens: number;
  cacheTokens: number;
  promptMs: number;
  promptTokensPerSecond: number;
  generationTokensPerSecond: number;
}

export interface BenchRow {
  runner: RunnerName;
  context: number;
  mode: 'cold' | 'reuse';
  promptTokens: number;
  reusedTokens: number;
  ttftMs: number;
  promptTokensPerSecond: number;
  generatedTokens: number;
  generationTokensPerSecond: number;
  /** CPU time of the run (all threads of the processes doing the work; insensitive to other load). */
  cpuMs?: number;
  /** The server's own timings (remote llama.cpp servers). */
  server?: ServerFigures;
}

export interface BenchReport {
  backend: string;
  model: string;
  device: string;
  threads: number;
  gpuLayers: string;
  generate: number;
  repeat: number;
  rows: BenchRow[];
  /** engine/direct ratios per context and mode (1.00: no overhead), when a direct baseline ran. */
  overhead?: { context: number; mode: 'cold' | 'reuse'; ttftRatio: number; generationRatio: number; cpuRatio?: number; versus: 'direct' | 'server' }[];
  notes: string[];
}

/** One measurement: the runner evaluates `prompt` (reusing what its cache holds) and generates. */
export interface RunResult {
  ttftMs: number;
  promptMs: number;
  reused: number;
  generated: number;
  generationMs: number;
  cpuMs?: number;
  promptTokens?: number;
  server?: ServerTimings;
}

export interface BenchRunner {
  readonly name: RunnerName;
  /** A fresh context able to hold `size` tokens. */
  reset(size: number): Promise<void>;
  /** prompt: token ids, or text for a remote server without a tokenizer endpoint. */
  run(prompt: number[] | string, generate: number): Promise<RunResult>;
  close(): Promise<void>;
}

const CODE = `import os
from collections import defaultdict

def group_by_extension(paths):
    groups = defaultdict(list)
    for path in paths:
        name, ext = os.path.splitext(path)
        groups[ext.lower()].append(name)
    return {key: sorted(values) for key, values in groups.items()}

class Cache:
    def __init__(self, capacity=128):
        self.capacity = capacity
        self.items = {}

    def get(self, key, default=None):
        value = self.items.pop(key, default)
        if value is not default:
            self.items[key] = value
        return value

export function total(items: number[]): number {
  let sum = 0;
  for (const item of items) sum += item * 2;
  return sum;
}
`;

/** A prompt of exactly n tokens of code. */
export async function benchPrompt(tokenize: (text: string) => Promise<number[]>, n: number): Promise<number[]> {
  const unit = await tokenize(CODE);
  if (unit.length === 0) throw new Error('the tokenizer produced no tokens');
  const out: number[] = [];
  while (out.length < n) out.push(...unit);
  return out.slice(0, n);
}

/** About n tokens of code as text (4 characters a token), for servers that cannot tokenize. */
export function benchTextPrompt(n: number): string {
  let out = '';
  while (out.length < n * 4) out += CODE;
  return out.slice(0, n * 4);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export class EngineRunner implements BenchRunner {
  private session: Awaited<ReturnType<ModelEngine['openSession']>> | undefined;
  /** name: 'engine' for the engine under test, 'server' for a llama-server on the same model;
   *  cpuUs: the CPU time (µs) of the process that runs the model, when it is not the engine's worker
   *  (a llama-server's, from /proc). */
  constructor(
    private readonly engine: ModelEngine,
    private readonly signal?: AbortSignal,
    readonly name: RunnerName = 'engine',
    private readonly cpuUs?: () => Promise<number | undefined>,
  ) {}

  async reset(size: number): Promise<void> {
    await this.session?.close();
    this.session = await this.engine.openSession({ contextSize: size });
  }

  /** Timed here, in the caller's process: the engine's IPC and scheduling are part of the figures. */
  async run(prompt: number[] | string, generate: number) {
    const worker = (this.engine as { workerStats?: () => Promise<{ cpuUs: number } | undefined> }).workerStats?.bind(this.engine);
    const cpu = this.cpuUs;
    const stats = cpu ? async () => ((us) => (us === undefined ? undefined : { cpuUs: us }))(await cpu()) : worker;
    const w0 = await stats?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let tFirst = 0;
    const r: GenerationResult = await this.session!.generate({ prompt, maxTokens: generate, stopTokens: [] }, this.signal, () => {
      if (!tFirst) tFirst = performance.now();
    });
    const tEnd = performance.now();
    if (r.stopReason === 'aborted') throw new Error('cancelled');
    if (!tFirst) tFirst = t0 + r.timeToFirstTokenMs; // a backend that streamed nothing (no tokens generated)
    const generated = r.tokens.length || r.serverTimings?.generatedTokens || (r.text ? generate : 0);
    const c1 = process.cpuUsage(c0);
    const w1 = await stats?.();
    // the worker's CPU time plus this process's (the IPC on this side)
    const cpuMs = w0 && w1 ? (w1.cpuUs - w0.cpuUs + c1.user + c1.system) / 1000 : undefined;
    return { ttftMs: tFirst - t0, promptMs: tFirst - t0, reused: r.reusedTokens, generated, generationMs: tEnd - tFirst, cpuMs, promptTokens: r.promptTokens, server: r.serverTimings };
  }

  async close(): Promise<void> {
    await this.session?.close();
  }
}

/** node-llama-cpp used directly in this process, as an application would, on the same model and settings. */
export class DirectRunner implements BenchRunner {
  readonly name = 'direct' as const;
  private lib: typeof import('node-llama-cpp') | undefined;
  private llama: import('node-llama-cpp').Llama | undefined;
  private model: import('node-llama-cpp').LlamaModel | undefined;
  private context: import('node-llama-cpp').LlamaContext | undefined;
  private seq: import('node-llama-cpp').LlamaContextSequence | undefined;

  constructor(private readonly config: EngineConfig) {}

  async load(): Promise<void> {
    const importEsm = new Function('s', 'return import(s)') as (s: string) => Promise<typeof import('node-llama-cpp')>;
    this.lib = await importEsm('node-llama-cpp');
    this.llama = await this.lib.getLlama({ gpu: this.config.gpu, maxThreads: this.config.threads, build: 'never', logLevel: this.lib.LlamaLogLevel.error });
    this.model = await this.llama.loadModel({ modelPath: this.config.modelPath!, gpuLayers: this.config.gpuLayers });
  }

  async reset(size: number): Promise<void> {
    await this.context?.dispose();
    this.context = await this.model!.createContext({ contextSize: size, sequences: 1, threads: this.config.threads, batchSize: this.config.batchSize });
    this.seq = this.context.getSequence();
  }

  async run(input: number[] | string, generate: number) {
    if (typeof input === 'string') throw new Error('the direct runner needs token ids');
    const prompt = input;
    const seq = this.seq!;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const cached = seq.contextTokens;
    let keep = 0;
    while (keep < cached.length && keep < prompt.length - 1 && cached[keep] === prompt[keep]) keep++;
    if (keep < seq.nextTokenIndex) await seq.eraseContextTokenRanges([{ start: keep, end: seq.nextTokenIndex }]);
    let tFirst = 0;
    let n = 0;
    for await (const token of seq.evaluate(prompt.slice(keep) as import('node-llama-cpp').Token[], { temperature: 0 })) {
      void token;
      if (!tFirst) tFirst = performance.now();
      if (++n >= generate) break;
    }
    const tEnd = performance.now();
    const c1 = process.cpuUsage(c0);
    return { ttftMs: tFirst - t0, promptMs: tFirst - t0, reused: keep, generated: n, generationMs: tEnd - tFirst, cpuMs: (c1.user + c1.system) / 1000 };
  }

  async close(): Promise<void> {
    await this.context?.dispose();
    await this.model?.dispose();
    await this.llama?.dispose();
  }
}

let prompts = 0;

/** A prompt of exactly n tokens whose first token differs from the previous prompt's (so no cache
 *  shares even its first token), then a random line, then code. */
async function uniquePrompt(tokenize: (t: string) => Promise<number[]>, code: number[], n: number): Promise<number[]> {
  const letter = String.fromCharCode(65 + (prompts++ % 26));
  const head = await tokenize(`${letter}${Math.random().toString(36).slice(2, 10)} = 0\n`);
  return [...head, ...code].slice(0, n);
}

export async function runBenchmark(engine: ModelEngine, options: BenchOptions = {}, direct?: DirectRunner, server?: BenchRunner): Promise<BenchReport> {
  const contexts = options.contexts ?? [512, 2048, 8192];
  const generate = options.generate ?? 32;
  const repeat = Math.max(1, options.repeat ?? 3);
  const edit = 16;
  const report = (m: string, f: number) => options.onProgress?.(m, f);
  report('loading the model', 0);
  const info: ModelInfo = await engine.info(options.signal);
  const runners: BenchRunner[] = [new EngineRunner(engine, options.signal)];
  if (direct) runners.push(direct);
  if (server) runners.push(server);
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const tokenize = (t: string) => engine.tokenize(t);
  const total = contexts.length * runners.length * repeat;
  let done = 0;
  for (const wanted of contexts) {
    // at the model's (or the slot's) limit: the largest prompt that still leaves room for the edit and the generation
    const limit = Math.min(info.trainContextSize || Infinity, info.contextSize || Infinity);
    let ctx = wanted;
    if (Number.isFinite(limit) && ctx + edit + generate + 8 > limit) {
      ctx = limit - edit - generate - 8;
      if (ctx < 16) {
        notes.push(`context ${wanted} skipped: the model's context is ${limit} tokens`);
        continue;
      }
      notes.push(`context ${wanted}: ${ctx} prompt tokens (the model's context is ${limit}; ${edit} edited and ${generate} generated tokens must fit)`);
    }
    let base: number[] | string;
    let code: number[] = [];
    try {
      code = await benchPrompt(tokenize, ctx + 64);
      base = code.slice(0, ctx);
    } catch (err) {
      if (!(err instanceof EngineError && err.code === 'unsupported') || direct) throw err;
      // A server without /tokenize (Ollama, some gateways): text prompts; lengths come from its usage report.
      if (!notes.some((n) => n.startsWith('the server has no tokenizer'))) notes.push('the server has no tokenizer endpoint: text prompts of about the given length (4 characters a token); prompt sizes as the server reported them');
      base = benchTextPrompt(ctx);
    }
    type Samples = { ttft: number[]; pps: number[]; gps: number[]; reused: number[]; gen: number[]; cpu: number[]; prompt: number[]; server: ServerTimings[] };
    const samples = new Map<string, Samples>();
    for (let rep = 0; rep < repeat; rep++) {
      // cold must be cold for a caching server too: this repetition's prompt starts with a line of its own
      if (typeof base !== 'string') base = await uniquePrompt(tokenize, code, ctx);
      // Interleave the runners so that drift of the machine hits both alike.
      for (const runner of runners) {
        if (options.signal?.aborted) throw new Error('cancelled');
        report(`${runner.name}: ${ctx} tokens (${rep + 1}/${repeat})`, done / total);
        await runner.reset(ctx + edit + generate + 8);
        // cold: nothing cached
        const cold = await runner.run(base, generate);
        // reuse: the same prompt with an edit at its end (a new line typed): only the tail is evaluated
        const edited =
          typeof base === 'string'
            ? base.slice(0, base.length - edit * 4) + base.slice(0, edit * 4).split('').reverse().join('') + base.slice(0, edit * 4)
            : [...base.slice(0, ctx - edit), ...base.slice(0, edit).reverse(), ...base.slice(0, edit)];
        const warm = await runner.run(edited, generate);
        const cases = [
          ['cold', cold, typeof base === 'string' ? cold.promptTokens ?? 0 : base.length],
          ['reuse', warm, typeof edited === 'string' ? warm.promptTokens ?? 0 : edited.length],
        ] as const;
        for (const [mode, r, promptLen] of cases) {
          const key = `${runner.name}/${mode}`;
          const s = samples.get(key) ?? { ttft: [], pps: [], gps: [], reused: [], gen: [], cpu: [], prompt: [], server: [] };
          if (r.cpuMs !== undefined) s.cpu.push(r.cpuMs);
          if (r.server) s.server.push(r.server);
          s.ttft.push(r.ttftMs);
          s.pps.push(((promptLen - r.reused) * 1000) / Math.max(r.promptMs, 1e-6));
          s.gps.push(r.generated > 1 ? ((r.generated - 1) * 1000) / Math.max(r.generationMs, 1e-6) : 0);
          s.reused.push(r.reused);
          s.gen.push(r.generated);
          s.prompt.push(promptLen);
          samples.set(key, s);
        }
        done++;
      }
    }
    for (const runner of runners) {
      for (const mode of ['cold', 'reuse'] as const) {
        const s = samples.get(`${runner.name}/${mode}`)!;
        rows.push({
          runner: runner.name,
          context: ctx,
          mode,
          promptTokens: median(s.prompt),
          reusedTokens: median(s.reused),
          ttftMs: median(s.ttft),
          promptTokensPerSecond: median(s.pps),
          generatedTokens: median(s.gen),
          generationTokensPerSecond: median(s.gps),
          cpuMs: s.cpu.length ? median(s.cpu) : undefined,
          server: s.server.length
            ? {
                promptTokens: median(s.server.map((t) => t.promptTokens ?? 0)),
                cacheTokens: median(s.server.map((t) => t.cacheTokens ?? 0)),
                promptMs: median(s.server.map((t) => t.promptMs ?? 0)),
                promptTokensPerSecond: median(s.server.map((t) => t.promptTokensPerSecond ?? 0)),
                generationTokensPerSecond: median(s.server.map((t) => t.generationTokensPerSecond ?? 0)),
              }
            : undefined,
        });
      }
    }
  }
  for (const r of runners) await r.close();
  report('done', 1);
  const out: BenchReport = {
    backend: info.backend,
    model: info.name,
    device: info.device,
    threads: info.threads,
    gpuLayers: `${info.gpuLayers}/${info.totalLayers}`,
    generate,
    repeat,
    rows,
    notes,
  };
  if (direct || server) {
    out.overhead = [];
    for (const versus of ['direct', 'server'] as const) {
      for (const e of rows.filter((r) => r.runner === 'engine')) {
        const d = rows.find((r) => r.runner === versus && r.context === e.context && r.mode === e.mode);
        if (!d) continue;
        out.overhead.push({
          context: e.context,
          mode: e.mode,
          versus,
          ttftRatio: e.ttftMs / d.ttftMs,
          generationRatio: d.generationTokensPerSecond ? e.generationTokensPerSecond / d.generationTokensPerSecond : 0,
          cpuRatio: e.cpuMs !== undefined && d.cpuMs ? e.cpuMs / d.cpuMs : undefined,
        });
      }
    }
  }
  return out;
}

export function formatBenchReport(r: BenchReport): string {
  const lines = [
    `Model benchmark: ${r.model} (${r.backend}) on ${r.device}, ${r.threads || '-'} threads, GPU layers ${r.gpuLayers}; ${r.generate} tokens generated, median of ${r.repeat}`,
    '',
    'runner  context  mode   prompt  reused   TTFT ms   prompt tok/s   gen tok/s     CPU ms   server: cached  prompt tok/s  gen tok/s',
  ];
  for (const row of r.rows) {
    const sv = row.server ? `${String(row.server.cacheTokens).padStart(14)} ${row.server.promptTokensPerSecond.toFixed(0).padStart(13)} ${row.server.generationTokensPerSecond.toFixed(1).padStart(10)}` : '';
    lines.push(
      `${row.runner.padEnd(7)} ${String(row.context).padStart(7)}  ${row.mode.padEnd(5)} ${String(row.promptTokens).padStart(7)} ${String(row.reusedTokens).padStart(7)} ${row.ttftMs.toFixed(1).padStart(9)} ${row.promptTokensPerSecond.toFixed(0).padStart(14)} ${row.generationTokensPerSecond.toFixed(1).padStart(11)} ${(row.cpuMs === undefined ? '-' : row.cpuMs.toFixed(0)).padStart(10)}   ${sv}`,
    );
  }
  if (r.overhead?.length) {
    lines.push('', 'engine / direct node-llama-cpp and engine / llama-server (1.00 = the same; CPU time is the figure least disturbed by other load)', 'versus   context  mode    TTFT ratio   gen tok/s ratio   CPU time ratio');
    for (const o of r.overhead) lines.push(`${o.versus.padEnd(7)} ${String(o.context).padStart(7)}  ${o.mode.padEnd(5)} ${o.ttftRatio.toFixed(3).padStart(12)} ${o.generationRatio.toFixed(3).padStart(17)} ${(o.cpuRatio === undefined ? '-' : o.cpuRatio.toFixed(3)).padStart(16)}`);
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}

/** CPU time (user + system, µs) of a process, from /proc (Linux); undefined elsewhere. */
export async function processCpuUs(pid: number): Promise<number | undefined> {
  try {
    const stat = await (await import('node:fs/promises')).readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of /proc/PID/stat (11 and 12 after the command), in clock ticks (100 Hz)
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}
