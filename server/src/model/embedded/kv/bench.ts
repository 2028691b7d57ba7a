// `hotpath kv-bench` and bench/kv.bench.ts: seeded editing sessions (editorTrace.ts) replayed on
// held-out source files, and the ways of keeping a KV cache across the completion requests they
// cause, side by side on the same prompts in one run:
//   full              re-encode the whole prompt at every request
//   prefix            keep the longest common token prefix (llama.cpp cache_prompt, vLLM/SGLang)
//   chunk             llama.cpp server's --cache-reuse N, transcribed (session.ts)
//   llama_server      the real llama-server (--cache-reuse N) over HTTP, given the same token ids
//   hotpath           edit-aware reuse, measured at each request before repair; it repairs to the
//                     end in every pause that allows it (the pause after a request is longer than
//                     the debounce plus repairAfterMs)
//   hotpath_repaired  the same session measured right after such a repair
//   variants          hotpath with another approximation or background step (VARIANTS below)
// Per strategy: foreground tokens and ms per request (the sync before generation), background
// tokens and ms (repair), total work relative to prefix reuse, and against full recomputation:
// agreement of the greedy next `generate` tokens (common prefix / length, to the first end-of-
// generation token), top-1 agreement of the next token over `positions` positions of the real
// continuation (teacher forcing) and the mean KL divergence there.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { LlamaContext, LlamaModel, Token } from 'node-llama-cpp';
import type { FimInfo } from '../../engine';
import type { PromptSegment } from '../../fim';
import { ChunkTokenizer, tokenizationDrift, type PromptPart } from './chunks';
import { EPISODES, generateTrace, traceRequests, type Episode, type TraceRequest } from './editorTrace';
import { loadModel, modelTokenizer } from './llamaTesting';
import { argmax, klDivergence, KvSession, type KvSessionOptions } from './session';
import { BACKGROUND_REPAIR, segmentsToParts } from './workerKind';

export interface BenchFile {
  /** Where the file comes from ("openai-agents 0.24.0 agents/mcp/util.py"). */
  label: string;
  text: string;
  /** Its size in the model's tokens. */
  tokens: number;
}

/** A Hotpath variant: session options and what it does in the background. */
export interface Variant {
  name: string;
  description: string;
  options: KvSessionOptions;
  /** 'repair': exact repair in the same pauses as hotpath; 'refine': KvSession.refine; 'none': never. */
  background: 'repair' | 'refine' | 'none';
}

export const VARIANTS: Variant[] = [
  { name: 'hotpath_no_repair', description: 'never repaired: staleness accumulates (the worst case)', options: {}, background: 'none' },
  { name: 'hotpath_tail64', description: 'also recomputes the last 64 prompt cells after an edit that leaves stale cells', options: { refreshTail: 64 }, background: 'repair' },
  { name: 'hotpath_tail256', description: 'also recomputes the last 256 prompt cells after such an edit', options: { refreshTail: 256 }, background: 'repair' },
  { name: 'hotpath_edit32', description: 'also re-evaluates the 32 cached tokens after each edit (with the inserted ones)', options: { refreshAfterEdit: 32 }, background: 'repair' },
  { name: 'hotpath_converge', description: 'background: recompute the last 64, 128, ... cells until the next-token distribution stops changing (KL < 0.01), instead of an exact repair', options: {}, background: 'refine' },
  { name: 'hotpath_tail256_converge', description: 'hotpath_tail256 in the foreground, hotpath_converge in the background', options: { refreshTail: 256 }, background: 'refine' },
];

export interface KvBenchOptions {
  model: string;
  /** Where the model came from, for the report. */
  modelKind: string;
  files: BenchFile[];
  seed: number;
  threads: number;
  /** Greedy tokens compared per request (default 16). */
  generate?: number;
  /** Teacher-forced positions for top-1 agreement and KL (default 64). */
  positions?: number;
  /** llama.cpp --cache-reuse N for chunk and llama_server (default 256, what llama.vscode recommends). */
  chunkReuseMin?: number;
  /** Non-typing episodes per file and characters per typing episode (editorTrace.ts). */
  episodes?: number;
  typedChars?: number;
  /** Run full recomputation at every n-th request only (default 1: every request); prefix reuse,
   *  which holds the same cells, is the reference at the others. */
  fullEvery?: number;
  variants?: Variant[];
  /** The llama-server binary (undefined: no llama_server row). */
  llamaServer?: string;
  /** Session context (default: the model's training context, at most 8192). */
  contextSize?: number;
  repairAfterMs?: number;
  /** The model's FIM format (undefined: prefix-only prompts, as for a model without FIM tokens). */
  fim?: FimInfo;
  log?: (line: string) => void;
}

export interface Figures {
  /** Requests these figures average over. */
  requests: number;
  agreement: number;
  exact_match: number;
  /** Top-1 agreement of the next token over the teacher-forced positions (null: not measurable). */
  top1: number | null;
  /** Mean KL divergence KL(full || strategy) in nats over those positions (null: not measurable). */
  kl: number | null;
  kl_max: number | null;
}

export interface StrategyResult extends Figures {
  description: string;
  /** Foreground: tokens evaluated and milliseconds of the sync before generation, per request. */
  evaluated_tokens: number;
  ms_per_edit: number;
  cpu_ms_per_edit: number;
  /** Background (repair or refinement) per request, off the typing path. */
  background_tokens: number;
  background_ms_per_edit: number;
  /** True when background ms are derived from hotpath's measured repair speed (variants that take over its repaired cells). */
  background_ms_estimated?: boolean;
  /** (foreground + background tokens) / prefix reuse's foreground tokens. */
  total_vs_prefix: number;
  reencodes: number;
  by_episode: Partial<Record<Episode, Figures & { evaluated_tokens: number; background_tokens: number }>>;
  /** full: requests it ran at (its tokens are every request's prompt length). */
  sampled?: number;
}

export interface KvBenchResult {
  model: { path: string; kind: string; name: string; parameters?: number; architecture?: string; trainContextSize?: number };
  device: string;
  layout: 'prefix-only' | 'fim';
  contextSize: number;
  files: { label: string; tokens: number; requests: number; promptTokens: { min: number; mean: number; max: number }; tokenizationDrift: { chunked: number; whole: number; differing: number }; traceSeconds: number; keystrokes: number }[];
  /** Requests measured (the first request of each file opens it and is not an edit). */
  requests: number;
  byEpisode: Partial<Record<Episode, number>>;
  repairPauses: number;
  generate: number;
  positions: number;
  chunkReuseMin: number;
  reference: { full: number; prefix: number };
  /** Whether the engine could do edit-aware reuse on this model (else every hotpath row is prefix reuse). */
  edit_aware: { supported: boolean; fallback?: string };
  /** Background repair as the editor runs it (workerKind.ts BACKGROUND_REPAIR): its CPU time per
   *  minute of the editing session, and how often it finished within the pause it had. */
  repair_cpu: { threads: number; duty_cycle: number; cpu_s: number; trace_minutes: number; cpu_s_per_minute: number; pauses: number; finished_in_pause: number };
  strategies: Record<string, StrategyResult>;
  ratios: { hotpath_evaluated_vs_full: number; hotpath_total_vs_prefix: number; prefix_evaluated_vs_full: number; chunk_evaluated_vs_full: number };
  targets: { foreground_at_most_10pct_of_full: boolean; agreement_before_repair_ge_095: boolean; foreground_plus_repair_le_prefix: boolean; repaired_equals_full: boolean; best_variant?: string };
  /** Per request: episode, prompt tokens, and per strategy [evaluated, agreement, top1, kl]. */
  trace: { file: number; i: number; episode: Episode; tokens: number; repairs: boolean; s: Record<string, [number, number, number | null, number | null]> }[];
}

interface Acc {
  n: number;
  agree: number;
  exact: number;
  top1: number;
  top1n: number;
  kl: number;
  klMax: number;
  evaluated: number;
  background: number;
}

const newAcc = (): Acc => ({ n: 0, agree: 0, exact: 0, top1: 0, top1n: 0, kl: 0, klMax: 0, evaluated: 0, background: 0 });

interface Row {
  description: string;
  all: Acc;
  episodes: Map<Episode, Acc>;
  /** Foreground over all requests (not only measured ones). */
  fgTokens: number;
  fgMs: number;
  fgCpu: number;
  fgN: number;
  bgTokens: number;
  bgMs: number;
  bgEstimated: boolean;
  reencodes: number;
  sampled: number;
}

function newRow(description: string): Row {
  return { description, all: newAcc(), episodes: new Map(), fgTokens: 0, fgMs: 0, fgCpu: 0, fgN: 0, bgTokens: 0, bgMs: 0, bgEstimated: false, reencodes: 0, sampled: 0 };
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Probe {
  greedy: number[];
  logits: Float32Array[];
}

function compare(ref: Probe, got: { greedy: number[]; logits?: Float32Array[] }, isEog: (t: number) => boolean): { agreement: number; exact: boolean; top1: number | null; kl: number | null; klMax: number | null } {
  let n = ref.greedy.length;
  const e = ref.greedy.findIndex(isEog);
  if (e >= 0) n = e + 1;
  let cp = 0;
  while (cp < n && cp < got.greedy.length && got.greedy[cp] === ref.greedy[cp]) cp++;
  const agreement = n === 0 ? 1 : cp / n;
  if (!got.logits) return { agreement, exact: cp >= n, top1: null, kl: null, klMax: null };
  let same = 0;
  let kl = 0;
  let klMax = 0;
  const m = Math.min(ref.logits.length, got.logits.length);
  for (let i = 0; i < m; i++) {
    if (argmax(ref.logits[i]) === argmax(got.logits[i])) same++;
    const d = klDivergence(ref.logits[i], got.logits[i]);
    kl += d;
    klMax = Math.max(klMax, d);
  }
  return { agreement, exact: cp >= n, top1: m ? same / m : null, kl: m ? kl / m : null, klMax: m ? klMax : null };
}

function record(row: Row, episode: Episode, c: ReturnType<typeof compare>, evaluated: number, background: number): void {
  for (const a of [row.all, row.episodes.get(episode) ?? row.episodes.set(episode, newAcc()).get(episode)!]) {
    a.n++;
    a.agree += c.agreement;
    a.exact += c.exact ? 1 : 0;
    if (c.top1 !== null) {
      a.top1 += c.top1;
      a.kl += c.kl!;
      a.klMax = Math.max(a.klMax, c.klMax!);
      a.top1n++;
    }
    a.evaluated += evaluated;
    a.background += background;
  }
}

function figures(a: Acc): Figures {
  return {
    requests: a.n,
    agreement: a.n ? a.agree / a.n : NaN,
    exact_match: a.n ? a.exact / a.n : NaN,
    top1: a.top1n ? a.top1 / a.top1n : null,
    kl: a.top1n ? a.kl / a.top1n : null,
    kl_max: a.top1n ? a.klMax : null,
  };
}

/** The llama-server row: the real server over HTTP, given the same token ids. */
interface ServerRow {
  url: string;
  pid: number;
  stop: () => Promise<void>;
}

function procCpuMs(pid: number): number {
  try {
    // /proc/PID/stat: utime and stime are fields 14 and 15, in clock ticks (100 per second on Linux)
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

async function serverComplete(s: ServerRow, tokens: readonly number[], generate: number, eos: number): Promise<{ greedy: number[]; evaluated: number; cached: number; ms: number; cpuMs: number; wallMs: number }> {
  const c0 = procCpuMs(s.pid);
  const t0 = performance.now();
  const res = await fetch(`${s.url}/completion`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: tokens, n_predict: generate, temperature: 0, top_k: 1, cache_prompt: true, return_tokens: true, stream: false }),
  });
  if (!res.ok) throw new Error(`llama-server: HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
  const body = (await res.json()) as { tokens?: number[]; stop_type?: string; timings?: { prompt_n?: number; prompt_ms?: number; cache_n?: number } };
  const greedy = [...(body.tokens ?? [])];
  if (body.stop_type === 'eos') greedy.push(eos);
  return {
    greedy,
    evaluated: body.timings?.prompt_n ?? NaN,
    cached: body.timings?.cache_n ?? NaN,
    ms: body.timings?.prompt_ms ?? NaN,
    cpuMs: procCpuMs(s.pid) - c0,
    wallMs: performance.now() - t0,
  };
}

async function startServer(binary: string, model: string, contextSize: number, threads: number, chunkReuseMin: number): Promise<ServerRow> {
  const { startLlamaServer } = await import('../../remote/llamaServer');
  const s = await startLlamaServer({ binary, model, contextSize, slots: 1, threads, extraArgs: ['--cache-reuse', String(chunkReuseMin), '-b', '512', '-ub', '512'] });
  return { url: s.url, pid: s.process.pid!, stop: s.stop };
}

function vocabularySize(model: LlamaModel): number {
  const arch = model.fileInfo.architectureMetadata as unknown as { vocab_size?: number };
  const md = model.fileInfo.metadata as unknown as { tokenizer?: { ggml?: { tokens?: unknown[] } } };
  return Number(arch?.vocab_size ?? md.tokenizer?.ggml?.tokens?.length ?? 0);
}

/**
 * Source files the model has not seen, one per target size in its tokens (the closest; ties by
 * name): the held-out packages of `hotpath eval completions` (completion/heldOut.ts: projects first
 * released in 2025, after SmolLM2's and Gemma 3's training data; fetched with pip/npm, sha256 checked).
 */
export async function heldOutBenchFiles(modelPath: string, sizes: readonly number[], log: (l: string) => void = () => undefined): Promise<BenchFile[]> {
  const { HELD_OUT, fetchHeldOut, heldOutFiles } = await import('../../../completion/heldOut');
  const model = await loadModel(modelPath);
  try {
    const tok = modelTokenizer(model);
    const all: BenchFile[] = [];
    for (const p of HELD_OUT) {
      const dir = await fetchHeldOut(p);
      for (const f of heldOutFiles(p, dir)) all.push({ label: `${p.name} ${p.version} ${f.path}`, text: f.text, tokens: tok.tokenize(f.text).length });
    }
    log(`held-out corpus: ${all.length} files from ${HELD_OUT.map((p) => `${p.name} ${p.version}`).join(', ')}`);
    const chosen: BenchFile[] = [];
    for (const size of sizes) {
      const best = all
        .filter((f) => !chosen.includes(f))
        .sort((a, b) => Math.abs(a.tokens - size) - Math.abs(b.tokens - size) || (a.label < b.label ? -1 : 1))[0];
      if (best) chosen.push(best);
    }
    return chosen;
  } finally {
    await model.dispose();
  }
}

/** Files of the given paths (files or directories, .py/.js/.ts), one per target size (for --sources). */
export async function sourceBenchFiles(modelPath: string, paths: readonly string[], sizes: readonly number[]): Promise<BenchFile[]> {
  const { readdirSync, statSync } = await import('node:fs');
  const { join } = await import('node:path');
  const found: string[] = [];
  const walk = (p: string, depth: number) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isFile()) {
      if (/\.(py|js|mjs|ts)$/.test(p) && !p.endsWith('.d.ts') && st.size < 400_000) found.push(p);
    } else if (st.isDirectory() && depth < 4) {
      for (const n of readdirSync(p).sort()) if (!n.startsWith('.') && n !== 'node_modules' && n !== '__pycache__') walk(join(p, n), depth + 1);
    }
  };
  for (const p of paths) walk(p, 0);
  const model = await loadModel(modelPath);
  try {
    const tok = modelTokenizer(model);
    const all = found.map((p) => {
      const text = readFileSync(p, 'utf8');
      return { label: p, text, tokens: tok.tokenize(text).length };
    });
    const chosen: BenchFile[] = [];
    for (const size of sizes) {
      const best = all.filter((f) => !chosen.includes(f)).sort((a, b) => Math.abs(a.tokens - size) - Math.abs(b.tokens - size) || (a.label < b.label ? -1 : 1))[0];
      if (best) chosen.push(best);
    }
    return chosen;
  } finally {
    await model.dispose();
  }
}

export async function runKvBench(o: KvBenchOptions): Promise<KvBenchResult> {
  const log = o.log ?? (() => undefined);
  const generate = o.generate ?? 16;
  const positions = o.positions ?? 64;
  const chunkReuseMin = o.chunkReuseMin ?? 256;
  const fullEvery = Math.max(1, o.fullEvery ?? 1);
  const variants = o.variants ?? VARIANTS;
  const model: LlamaModel = await loadModel(o.model);
  const tok = modelTokenizer(model);
  const chunker = new ChunkTokenizer(tok);
  const vocabulary = vocabularySize(model);
  const isEog = (t: number) => model.isEogToken(t as Token);
  const eos = model.tokens.eos ?? model.tokens.eot ?? -1;
  const trainContextSize = model.trainContextSize;
  const parameters = model.fileInsights.totalParameters;
  const contextSize = o.contextSize ?? Math.min(8192, trainContextSize);
  const names = ['full', 'prefix', 'chunk', ...(o.llamaServer ? ['llama_server'] : []), 'hotpath', 'hotpath_repaired', ...variants.flatMap((v) => (v.background === 'refine' ? [v.name, `${v.name}_refined`] : [v.name]))];
  const rows = new Map<string, Row>();
  const describe: Record<string, string> = {
    full: 're-encodes the whole prompt',
    prefix: 'keeps the common token prefix (llama.cpp cache_prompt)',
    chunk: `llama.cpp server --cache-reuse ${chunkReuseMin}, transcribed into the engine`,
    llama_server: `the real llama-server, --cache-reuse ${chunkReuseMin}, over HTTP (its own prompt timings)`,
    hotpath: 'edit-aware (position shifting), before repair; exact repair in pauses',
    hotpath_repaired: 'hotpath right after a background repair',
  };
  for (const v of variants) {
    describe[v.name] = v.description;
    if (v.background === 'refine') describe[`${v.name}_refined`] = `${v.name} right after its background refinement`;
  }
  for (const name of names) rows.set(name, newRow(describe[name] ?? name));
  const server = o.llamaServer ? await startServer(o.llamaServer, o.model, contextSize, o.threads, chunkReuseMin) : undefined;
  const fileResults: KvBenchResult['files'] = [];
  const trace: KvBenchResult['trace'] = [];
  const byEpisode: Partial<Record<Episode, number>> = {};
  let requests = 0;
  let repairPauses = 0;
  const reference = { full: 0, prefix: 0 };
  let repairMsPerToken = { ms: 0, tokens: 0 };
  let repairCpuMs = 0;
  let traceMs = 0;
  let finishedInPause = 0;
  let fallback: string | undefined;
  try {
    for (let fi = 0; fi < o.files.length; fi++) {
      const file = o.files[fi];
      const gen = generateTrace(file.text, { seed: o.seed + fi, episodes: o.episodes, typedChars: o.typedChars });
      const toParts = (segments: PromptSegment[]): PromptPart[] => segmentsToParts(segments, (s) => tok.special(s));
      const { requests: reqs, durationMs, keystrokes } = traceRequests(gen, {
        fim: o.fim,
        path: file.label.split(' ').pop() ?? 'file',
        contextSize,
        repairAfterMs: o.repairAfterMs,
        countTokens: (p) => chunker.promptTokens(toParts(p.segments)).length,
      });
      if (reqs.length < 2) throw new Error(`${file.label}: the trace made ${reqs.length} requests`);
      const parts = reqs.map((r) => toParts(r.prompt.segments));
      const lengths = parts.map((p) => chunker.promptTokens(p).length);
      const drift = tokenizationDrift(chunker, file.text);
      fileResults.push({
        label: file.label,
        tokens: file.tokens,
        requests: reqs.length - 1,
        promptTokens: { min: Math.min(...lengths), mean: Math.round(lengths.reduce((a, b) => a + b, 0) / lengths.length), max: Math.max(...lengths) },
        tokenizationDrift: drift,
        traceSeconds: Math.round(durationMs / 1000),
        keystrokes,
      });
      traceMs += durationMs;
      log(`${file.label}: ${file.tokens} tokens, ${reqs.length} requests over ${(durationMs / 1000).toFixed(0)} s of editing, prompts ${Math.min(...lengths)}-${Math.max(...lengths)} tokens`);
      // One context, one sequence per session (cells sized to the largest prompt plus the probes).
      const cells = Math.min(contextSize, Math.ceil((Math.max(...lengths) + generate + positions + 64) / 256) * 256);
      const sessionNames = ['full', 'prefix', 'chunk', 'hotpath', ...variants.map((v) => v.name)];
      const ctx: LlamaContext = await model.createContext({ contextSize: cells, sequences: sessionNames.length + 1, threads: o.threads, batchSize: 512 });
      const sessions = new Map<string, KvSession>();
      const base: KvSessionOptions = { chunkReuseMin };
      sessions.set('full', new KvSession(ctx.getSequence(), undefined, tok, { ...base, strategy: 'full' }));
      sessions.set('prefix', new KvSession(ctx.getSequence(), undefined, tok, { ...base, strategy: 'prefix' }));
      sessions.set('chunk', new KvSession(ctx.getSequence(), undefined, tok, { ...base, strategy: 'chunk' }));
      sessions.set('hotpath', new KvSession(ctx.getSequence(), ctx.getSequence(), tok, { ...base, strategy: 'hotpath' }));
      for (const v of variants) sessions.set(v.name, new KvSession(ctx.getSequence(), undefined, tok, { ...base, ...v.options, strategy: 'hotpath' }));
      fallback ??= sessions.get('hotpath')!.fallback;
      if (fallback) log(`edit-aware reuse unavailable: ${fallback} (every hotpath row is prefix reuse)`);
      try {
        for (let ri = 0; ri < reqs.length; ri++) {
          const req = reqs[ri];
          const open = ri === 0;
          const runFull = open || (ri - 1) % fullEvery === 0;
          const cont = tok.tokenize(req.continuation).slice(0, positions);
          const probes = new Map<string, Probe>();
          const line: KvBenchResult['trace'][number] = { file: fi, i: ri, episode: req.episode, tokens: lengths[ri], repairs: req.repairs, s: {} };
          const stats = new Map<string, number>();
          for (const name of sessionNames) {
            if (name === 'full' && !runFull) continue;
            const s = sessions.get(name)!;
            const c0 = cpuMs();
            const st = await s.sync(parts[ri]);
            const cpu = cpuMs() - c0;
            stats.set(name, st.evaluated);
            if (open) continue;
            const row = rows.get(name)!;
            row.fgTokens += st.evaluated;
            row.fgMs += st.ms;
            row.fgCpu += cpu;
            row.fgN++;
            if (st.reencoded) row.reencodes++;
            if (name === 'hotpath') {
              const r = rows.get('hotpath_repaired')!;
              r.fgTokens += st.evaluated;
              r.fgMs += st.ms;
              r.fgCpu += cpu;
              r.fgN++;
            }
            const v = variants.find((x) => x.name === name);
            if (v?.background === 'refine') {
              const r = rows.get(`${name}_refined`)!;
              r.fgTokens += st.evaluated;
              r.fgMs += st.ms;
              r.fgCpu += cpu;
              r.fgN++;
            }
          }
          let srv: Awaited<ReturnType<typeof serverComplete>> | undefined;
          if (server) {
            srv = await serverComplete(server, chunker.promptTokens(parts[ri]), generate, eos);
            if (!open) {
              const row = rows.get('llama_server')!;
              row.fgTokens += srv.evaluated;
              row.fgMs += srv.ms;
              row.fgCpu += srv.cpuMs;
              row.fgN++;
              if (srv.cached === 0) row.reencodes++;
            }
          }
          if (open) continue;
          requests++;
          byEpisode[req.episode] = (byEpisode[req.episode] ?? 0) + 1;
          // the reference: full recomputation when it ran, else prefix reuse (the same cells)
          const refName = runFull ? 'full' : 'prefix';
          reference[refName]++;
          const ref = await sessions.get(refName)!.probe(cont, generate, vocabulary);
          probes.set(refName, ref);
          const fullRow = rows.get('full')!;
          if (!runFull) {
            fullRow.fgTokens += lengths[ri];
            fullRow.fgN++;
          } else {
            fullRow.sampled++;
          }
          for (const name of sessionNames) {
            if (name === refName || (name === 'full' && !runFull)) continue;
            const p = await sessions.get(name)!.probe(cont, generate, vocabulary);
            const c = compare(ref, p, isEog);
            record(rows.get(name)!, req.episode, c, stats.get(name) ?? 0, 0);
            line.s[name] = [stats.get(name) ?? 0, c.agreement, c.top1, c.kl];
            const v = variants.find((x) => x.name === name);
            if (v?.background === 'refine' && !req.repairs) line.s[`${name}_refined`] = [stats.get(name) ?? 0, NaN, null, null];
          }
          if (runFull) line.s.full = [lengths[ri], 1, 1, 0];
          if (srv) {
            const c = compare(ref, { greedy: srv.greedy }, isEog);
            record(rows.get('llama_server')!, req.episode, c, srv.evaluated, 0);
            line.s.llama_server = [srv.evaluated, c.agreement, null, null];
          }
          if (req.repairs) {
            repairPauses++;
            // hotpath: exact repair to the end, then measured again
            const h = sessions.get('hotpath')!;
            const rc0 = cpuMs();
            const r = await h.repair({ ...BACKGROUND_REPAIR });
            repairCpuMs += cpuMs() - rc0;
            if (r.ms <= req.repairWindowMs) finishedInPause++;
            repairMsPerToken = { ms: repairMsPerToken.ms + r.ms, tokens: repairMsPerToken.tokens + r.repaired };
            for (const name of ['hotpath', 'hotpath_repaired']) {
              const row = rows.get(name)!;
              row.bgTokens += r.repaired;
              row.bgMs += r.ms;
            }
            const p = await h.probe(cont, generate, vocabulary);
            const c = compare(ref, p, isEog);
            record(rows.get('hotpath_repaired')!, req.episode, c, stats.get('hotpath') ?? 0, r.repaired);
            line.s.hotpath_repaired = [stats.get('hotpath') ?? 0, c.agreement, c.top1, c.kl];
            for (const v of variants) {
              const s = sessions.get(v.name)!;
              const row = rows.get(v.name)!;
              if (v.background === 'repair') {
                row.bgTokens += await s.adopt(h);
                row.bgEstimated = true;
              } else if (v.background === 'refine') {
                const rr = await s.refine({ vocabulary });
                row.bgTokens += rr.repaired;
                row.bgMs += rr.ms;
                const after = rows.get(`${v.name}_refined`)!;
                after.bgTokens += rr.repaired;
                after.bgMs += rr.ms;
                const pp = await s.probe(cont, generate, vocabulary);
                const cc = compare(ref, pp, isEog);
                record(after, req.episode, cc, stats.get(v.name) ?? 0, rr.repaired);
                line.s[`${v.name}_refined`] = [stats.get(v.name) ?? 0, cc.agreement, cc.top1, cc.kl];
              }
            }
          }
          trace.push(line);
          const h = line.s.hotpath;
          log(`  ${ri}/${reqs.length - 1} ${req.episode}: ${lengths[ri]} tokens; prefix eval ${stats.get('prefix')}, hotpath eval ${stats.get('hotpath')} agreement ${h?.[1].toFixed(2)} top1 ${h?.[2]?.toFixed(2)} kl ${h?.[3]?.toFixed(4)}${req.repairs ? ' (repair)' : ''}`);
        }
      } finally {
        for (const s of sessions.values()) await s.dispose().catch(() => undefined);
        await ctx.dispose();
      }
    }
  } finally {
    await server?.stop();
    await model.dispose();
  }
  // variants that took over hotpath's repaired cells: ms at hotpath's measured repair speed
  const msPerToken = repairMsPerToken.tokens ? repairMsPerToken.ms / repairMsPerToken.tokens : 0;
  for (const row of rows.values()) if (row.bgEstimated) row.bgMs = row.bgTokens * msPerToken;
  const prefixTokens = rows.get('prefix')!.fgTokens / Math.max(1, rows.get('prefix')!.fgN);
  const strategies: Record<string, StrategyResult> = {};
  for (const [name, row] of rows) {
    const per = (x: number) => x / Math.max(1, row.fgN);
    const fg = per(row.fgTokens);
    const bg = row.bgTokens / Math.max(1, requests);
    strategies[name] = {
      description: row.description,
      ...(name === 'full' ? { ...figures(row.all), requests: row.sampled, agreement: 1, exact_match: 1, top1: 1, kl: 0, kl_max: 0 } : figures(row.all)),
      evaluated_tokens: fg,
      ms_per_edit: name === 'full' ? row.fgMs / Math.max(1, row.sampled) : per(row.fgMs),
      cpu_ms_per_edit: name === 'full' ? row.fgCpu / Math.max(1, row.sampled) : per(row.fgCpu),
      background_tokens: bg,
      background_ms_per_edit: row.bgMs / Math.max(1, requests),
      ...(row.bgEstimated ? { background_ms_estimated: true } : {}),
      total_vs_prefix: (fg + bg) / Math.max(1e-9, prefixTokens),
      reencodes: row.reencodes,
      by_episode: Object.fromEntries(
        EPISODES.filter((e) => row.episodes.has(e)).map((e) => {
          const a = row.episodes.get(e)!;
          return [e, { ...figures(a), evaluated_tokens: a.evaluated / Math.max(1, a.n), background_tokens: a.background / Math.max(1, a.n) }];
        }),
      ),
      ...(name === 'full' ? { sampled: row.sampled } : {}),
    };
  }
  const hp = strategies.hotpath;
  const full = strategies.full;
  const rep = strategies.hotpath_repaired;
  const candidates = Object.entries(strategies).filter(([n, s]) => n.startsWith('hotpath') && !n.endsWith('_repaired') && !n.endsWith('_refined') && s.evaluated_tokens <= 0.1 * full.evaluated_tokens && s.agreement >= 0.95 && s.total_vs_prefix <= 1);
  const md = model.fileInfo.metadata as unknown as { general?: { name?: string; architecture?: string } };
  return {
    model: { path: o.model, kind: o.modelKind, name: md.general?.name ?? basename(o.model), parameters: parameters ?? undefined, architecture: md.general?.architecture, trainContextSize },
    device: `CPU (${o.threads} thread${o.threads === 1 ? '' : 's'}); no GPU was lent to this run`,
    layout: o.fim ? 'fim' : 'prefix-only',
    contextSize,
    files: fileResults,
    requests,
    byEpisode,
    repairPauses,
    generate,
    positions,
    chunkReuseMin,
    reference,
    edit_aware: fallback ? { supported: false, fallback } : { supported: true },
    repair_cpu: {
      threads: o.threads,
      duty_cycle: BACKGROUND_REPAIR.dutyCycle,
      cpu_s: repairCpuMs / 1000,
      trace_minutes: traceMs / 60_000,
      cpu_s_per_minute: traceMs > 0 ? repairCpuMs / 1000 / (traceMs / 60_000) : 0,
      pauses: repairPauses,
      finished_in_pause: finishedInPause,
    },
    strategies,
    ratios: {
      hotpath_evaluated_vs_full: hp.evaluated_tokens / full.evaluated_tokens,
      hotpath_total_vs_prefix: hp.total_vs_prefix,
      prefix_evaluated_vs_full: strategies.prefix.evaluated_tokens / full.evaluated_tokens,
      chunk_evaluated_vs_full: strategies.chunk.evaluated_tokens / full.evaluated_tokens,
    },
    targets: {
      foreground_at_most_10pct_of_full: hp.evaluated_tokens <= 0.1 * full.evaluated_tokens,
      agreement_before_repair_ge_095: hp.agreement >= 0.95,
      foreground_plus_repair_le_prefix: hp.total_vs_prefix <= 1,
      repaired_equals_full: rep.requests > 0 && rep.agreement === 1 && rep.top1 === 1,
      ...(candidates.length ? { best_variant: candidates.sort((a, b) => b[1].agreement - a[1].agreement)[0][0] } : {}),
    },
    trace,
  };
}

const f = (x: number | null | undefined, d = 3) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(d));

export function formatKvBench(r: KvBenchResult): string {
  const lines: string[] = [];
  lines.push(`model: ${r.model.name} (${r.model.kind}; ${r.model.path})`);
  lines.push(`device: ${r.device}`);
  lines.push(`prompts: ${r.layout} (the completion provider's prompt builder), session context ${r.contextSize}`);
  lines.push(r.edit_aware.supported ? 'edit-aware reuse: supported' : `edit-aware reuse: UNAVAILABLE: ${r.edit_aware.fallback} (the hotpath rows are prefix reuse)`);
  for (const file of r.files) {
    lines.push(`file: ${file.label}: ${file.tokens} tokens; ${file.requests} requests over ${file.traceSeconds} s of editing (${file.keystrokes} changes); prompts ${file.promptTokens.min}-${file.promptTokens.max} tokens (mean ${file.promptTokens.mean})`);
  }
  lines.push(`requests: ${r.requests} (${Object.entries(r.byEpisode).map(([k, v]) => `${v} ${k}`).join(', ')}); ${r.repairPauses} pauses long enough to repair; reference: full recomputation at ${r.reference.full}, prefix reuse (the same cells) at ${r.reference.prefix}`);
  lines.push(`agreement: common prefix of the greedy next ${r.generate} tokens with full recomputation's; top1 and KL over the next ${r.positions} positions of the real continuation`);
  lines.push('');
  lines.push('strategy                    fg tokens   fg ms   bg tokens   bg ms  total/prefix  agreement  top1    KL(nats)');
  for (const [name, s] of Object.entries(r.strategies)) {
    lines.push(
      `${name.padEnd(26)} ${f(s.evaluated_tokens, 1).padStart(10)} ${f(s.ms_per_edit, 0).padStart(7)} ${f(s.background_tokens, 1).padStart(11)} ${(f(s.background_ms_per_edit, 0) + (s.background_ms_estimated ? '*' : '')).padStart(7)} ${f(s.total_vs_prefix, 2).padStart(13)} ${f(s.agreement).padStart(10)} ${f(s.top1).padStart(6)} ${f(s.kl, 4).padStart(10)}`,
    );
  }
  lines.push('(per request; fg = foreground sync before generation; bg = background repair; * = at hotpath\'s measured repair speed)');
  const eps = EPISODES.filter((e) => r.byEpisode[e]);
  lines.push('');
  lines.push(`agreement by episode:       ${eps.map((e) => e.padStart(13)).join('')}`);
  for (const [name, s] of Object.entries(r.strategies)) lines.push(`${name.padEnd(28)}${eps.map((e) => f(s.by_episode[e]?.agreement).padStart(13)).join('')}`);
  lines.push('');
  lines.push(`fg tokens by episode:       ${eps.map((e) => e.padStart(13)).join('')}`);
  for (const [name, s] of Object.entries(r.strategies)) lines.push(`${name.padEnd(28)}${eps.map((e) => f(s.by_episode[e]?.evaluated_tokens, 1).padStart(13)).join('')}`);
  const c = r.repair_cpu;
  lines.push('');
  lines.push(
    `background repair (${c.threads} thread${c.threads === 1 ? '' : 's'}, duty cycle ${c.duty_cycle}): ${c.cpu_s.toFixed(1)} CPU s over ${c.trace_minutes.toFixed(1)} min of editing = ${c.cpu_s_per_minute.toFixed(1)} CPU s per minute; finished within its pause in ${c.finished_in_pause} of ${c.pauses} pauses`,
  );
  const t = r.targets;
  lines.push('');
  lines.push(
    `targets (hotpath): foreground <= 10% of full ${t.foreground_at_most_10pct_of_full ? 'met' : 'NOT met'} (${(100 * r.ratios.hotpath_evaluated_vs_full).toFixed(2)}%); agreement >= 0.95 before repair ${t.agreement_before_repair_ge_095 ? 'met' : 'NOT met'} (${f(r.strategies.hotpath.agreement)}); foreground + repair <= prefix ${t.foreground_plus_repair_le_prefix ? 'met' : 'NOT met'} (${f(r.ratios.hotpath_total_vs_prefix, 2)}x); full recomputation after repair ${t.repaired_equals_full ? 'met' : 'NOT met'}${t.best_variant ? `; all four met by ${t.best_variant}` : ''}`,
  );
  return lines.join('\n');
}

export type { TraceRequest };
