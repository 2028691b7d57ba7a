// `hotpath eval completions|optimize`: quality of the model-backed features on real material, with
// the real model (embedded, or a remote server: --remote URL, or --llama-server to start the
// llama-server built by scripts/llama-server/build.sh on the --model file).
import { join } from 'node:path';
import { evalCompletions, samplePositions, type CompletionEvalResult } from '../completion/eval';
import { fetchHeldOut, HELD_OUT, heldOutFiles } from '../completion/heldOut';
import { defaultThreads } from '../model/config';
import { EngineError, type EngineConfig, type ModelEngine } from '../model/engine';
import { createEngine } from '../model/index';
import { startLlamaServer, type RunningLlamaServer } from '../model/remote/llamaServer';
import { repoRoot } from '../model/testModel';
import { evalOptimize, modelSource, oracleSource, type OptimizeEvalRow } from '../optimize/eval';
import { loadPairs } from '../optimize/pairs';
import { loadParserFactory } from '../parsing';
import { parseFileArgs, UsageError } from './args';

export const usage = `Usage: hotpath eval completions|optimize [options]

  completions   inline completions on held-out source files (packages first published in 2025,
                pinned 2026 versions: ${HELD_OUT.map((p) => `${p.name} ${p.version}`).join(', ')}),
                at positions inside functions as a user types them: exact match of the rest of the
                line, edit similarity, latency p50/p95, efficiency filter off / rank / drop
  optimize      the optimize pipeline with the model's own candidates on the slow functions of
                bench/optimize/ (Python and JavaScript): candidates, parse rate, equivalence pass
                rate, verified speedups, median speedup, seconds per function; --oracle adds the
                known fast versions through the same verifier

Model (one of):
  --model PATH          a GGUF model for the embedded engine
  --remote URL          an OpenAI-compatible server (llama-server, vLLM, …)
  --llama-server        with --model: start the built llama-server on that file and use it remotely
  --remote-model NAME   the model name on the remote server
Options:
  --threads N           (default ${defaultThreads()})
  --context N           context size per request (default 4096)
  --files N             completions: files per package (default 3)
  --positions N         completions: positions per file (default 5)
  --candidates K        candidates per request / per round (completions default 3, optimize 2)
  --max-tokens N        tokens per candidate (completions 48, optimize 256)
  --rounds N            optimize: rounds (default 1)
  --budget MS           optimize: verification sweep budget (default 1500)
  --only A,B            optimize: only these pairs (file names)
  --oracle              optimize: also the oracle row
  --no-model            optimize: the oracle row only
  --seed N              (default 1)
  --format text|json    (default text)`;

const FLAGS = new Set(['llama-server', 'oracle', 'no-model']);
const KNOWN = new Set([...FLAGS, 'model', 'remote', 'remote-model', 'threads', 'context', 'files', 'positions', 'candidates', 'max-tokens', 'rounds', 'budget', 'only', 'seed', 'format']);

function int(v: string | boolean | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
  return n;
}

async function engineFor(o: Record<string, string | boolean>, context: number): Promise<{ engine: ModelEngine; server?: RunningLlamaServer; label: string }> {
  const threads = int(o.threads, 'threads', defaultThreads());
  const model = typeof o.model === 'string' ? o.model : undefined;
  let remote = typeof o.remote === 'string' ? o.remote : undefined;
  let server: RunningLlamaServer | undefined;
  if (o['llama-server']) {
    if (!model) throw new UsageError('--llama-server needs --model PATH');
    server = await startLlamaServer({ model, contextSize: context, threads });
    remote = server.url;
  }
  if (!remote && !model) throw new UsageError('give --model PATH or --remote URL');
  const config: EngineConfig = {
    backend: remote ? 'remote' : 'embedded',
    modelPath: model,
    gpu: 'auto',
    gpuLayers: 'auto',
    contextSize: context,
    threads,
    idleUnloadMs: 0,
    fimTemplate: 'auto',
    remote: remote ? { baseUrl: remote, model: String(o['remote-model'] ?? ''), apiKey: process.env.HOTPATH_API_KEY ?? process.env.OPENAI_API_KEY, timeoutMs: 600_000, retries: 1, cachePrompt: true } : undefined,
  };
  const engine = createEngine(config, { log: () => undefined });
  const info = await engine.info();
  return { engine, server, label: `${info.name} (${remote ? (server ? 'llama-server' : 'remote') : 'embedded'}, ${info.fim ? `FIM ${info.fim.family}` : 'prefix-only'})` };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function completionText(label: string, r: CompletionEvalResult, files: number): string {
  const lines = [
    `Completions: ${label}; ${r.requests} positions in ${files} held-out files; median prompt ${r.promptTokensMedian} tokens`,
    `latency p50 ${r.latencyP50Ms.toFixed(0)} ms, p95 ${r.latencyP95Ms.toFixed(0)} ms (efficiency filter itself: p50 ${r.filterP50Ms.toFixed(1)} ms)`,
    '',
    'filter  exact match  edit similarity  shown  changed vs off',
    ...r.modes.map((m) => `${m.mode.padEnd(6)}  ${pct(m.exactMatch).padStart(11)}  ${m.editSimilarity.toFixed(3).padStart(15)}  ${String(m.shown).padStart(5)}  ${String(m.changed).padStart(14)}`),
    '',
    ...r.byKind.map((k) => `${k.kind}: ${k.requests} requests, exact ${pct(k.exactMatch)}, similarity ${k.editSimilarity.toFixed(3)}`),
  ];
  return lines.join('\n');
}

function optimizeText(rows: OptimizeEvalRow[]): string {
  const lines = ['row                      functions  candidates  parse rate  equivalent  verified (functions)  median speedup  s/function'];
  for (const r of rows) {
    lines.push(
      `${r.name.padEnd(24)} ${String(r.functions).padStart(9)}  ${String(r.candidates).padStart(10)}  ${pct(r.parseRate).padStart(10)}  ${pct(r.equivalenceRate).padStart(10)}  ${`${r.verified} (${r.functionsImproved})`.padStart(20)}  ${(r.medianSpeedup === undefined ? '-' : `${r.medianSpeedup.toFixed(1)}×`).padStart(14)}  ${r.secondsPerFunction.toFixed(1).padStart(10)}`,
    );
  }
  for (const r of rows) {
    const kinds: Record<string, number> = {};
    for (const f of r.perFunction) for (const [k, n] of Object.entries(f.rejections)) kinds[k] = (kinds[k] ?? 0) + n;
    lines.push(`${r.name}: rejected ${Object.entries(kinds).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
  }
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'completions' && sub !== 'optimize') throw new UsageError('give completions or optimize');
  const { file, opts } = parseFileArgs(rest, FLAGS, KNOWN);
  if (file) throw new UsageError(`unexpected argument ${file}`);
  const format = String(opts.format ?? 'text');
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
  const progress = (m: string) => format === 'text' && process.stderr.isTTY && process.stderr.write(`\r\x1b[K${m}`);
  const parsers = await loadParserFactory('wasm');
  const context = int(opts.context, 'context', 4096);
  try {
    if (sub === 'completions') {
      const files = [];
      for (const p of HELD_OUT) {
        const dir = await fetchHeldOut(p);
        const all = heldOutFiles(p, dir);
        // a seeded, evenly spread choice of files
        const n = int(opts.files, 'files', 3);
        const step = Math.max(1, Math.floor(all.length / n));
        for (let i = int(opts.seed, 'seed', 1) % step; i < all.length && files.filter((f) => f.package === all[0].package).length < n; i += step) files.push(all[i]);
      }
      const positions = samplePositions(files, parsers, int(opts.positions, 'positions', 5), int(opts.seed, 'seed', 1));
      const { engine, server, label } = await engineFor(opts, context);
      try {
        const r = await evalCompletions(engine, parsers, positions, { candidates: int(opts.candidates, 'candidates', 3), maxTokens: int(opts['max-tokens'], 'max-tokens', 48), onProgress: (d, t) => progress(`${d}/${t}`) });
        if (format === 'text' && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
        const corpus = HELD_OUT.map((p) => ({ package: p.name, version: p.version, registry: p.registry, firstRelease: p.firstRelease, sha256: p.sha256 }));
        console.log(format === 'json' ? JSON.stringify({ label, corpus, files: files.map((f) => `${f.package}: ${f.path}`), ...r }, null, 2) : completionText(label, r, files.length));
      } finally {
        await engine.dispose();
        await server?.stop();
      }
      return 0;
    }
    let pairs = loadPairs(parsers, join(repoRoot(), 'bench', 'optimize'));
    if (typeof opts.only === 'string') {
      const only = new Set(opts.only.split(','));
      pairs = pairs.filter((p) => only.has(p.id));
    }
    const rows: OptimizeEvalRow[] = [];
    const budgetMs = int(opts.budget, 'budget', 1500);
    const onFunction = (p: { id: string }, _o: unknown, ms: number) => progress(`${p.id} ${(ms / 1000).toFixed(0)} s`);
    if (!opts['no-model']) {
      const { engine, server, label } = await engineFor(opts, context);
      try {
        rows.push(await evalOptimize(label, parsers, pairs, modelSource(engine, int(opts['max-tokens'], 'max-tokens', 256)), { rounds: int(opts.rounds, 'rounds', 1), candidates: int(opts.candidates, 'candidates', 2), budgetMs, onFunction }));
      } finally {
        await engine.dispose();
        await server?.stop();
      }
    }
    if (opts.oracle || opts['no-model']) rows.push(await evalOptimize('oracle (known fast)', parsers, pairs, oracleSource, { rounds: 1, candidates: 1, budgetMs, onFunction }));
    if (format === 'text' && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    console.log(format === 'json' ? JSON.stringify({ pairs: pairs.length, rows }, null, 2) : optimizeText(rows));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    console.error(`hotpath eval ${sub}: ${err instanceof EngineError ? err.message : (err as Error).stack ?? err}`);
    return 1;
  }
}
