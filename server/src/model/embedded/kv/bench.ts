// `hotpath kv-bench` and bench/kv.bench.ts: replay edit traces on real source files and compare four
// ways of keeping a KV cache across edits, on the same traces, in one run:
//   full              re-encode the whole prompt after every edit
//   prefix            keep the longest common token prefix (llama.cpp cache_prompt, vLLM/SGLang)
//   chunk             llama.cpp server --cache-reuse N (moved chunks of >= N tokens shifted left)
//   hotpath           edit-aware reuse, measured right after the edit, before repair (the previous
//                     edit was repaired, as when the user pauses between edits)
//   hotpath_repaired  the same session after its background repair has run to completion
//   hotpath_no_repair edit-aware reuse never repaired: staleness accumulates over the whole trace
//                     (edits faster than any pause; the worst case)
// For each: tokens evaluated per edit, milliseconds per edit (the foreground sync), and agreement of
// the greedy next 16 tokens with full recomputation (length of the common prefix / 16).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { LlamaContext, LlamaModel } from 'node-llama-cpp';
import { ChunkTokenizer, tokenizationDrift, type PromptPart } from './chunks';
import { createKvContext, loadModel, modelTokenizer } from './llamaTesting';
import { KvSession, type ReuseStrategy } from './session';

export interface KvBenchOptions {
  model: string;
  /** Where the model came from, for the report ("test model (random weights)", "trained", "user"). */
  modelKind: string;
  sources: string[];
  files: number;
  editsPerFile: number;
  seed: number;
  threads: number;
  minTokens: number;
  maxTokens: number;
  generate: number;
  chunkReuseMin: number;
  /** Hotpath: recompute the last N cells after an edit (KvSessionOptions.refreshTail; default 0). */
  refreshTail?: number;
  /** KV cell type (default F16, node-llama-cpp's default). */
  kvCacheType?: 'F16' | 'F32';
  /** Hotpath insertion mode (KvSessionOptions.insertMode). */
  insertMode?: 'adjacent' | 'end';
  log?: (line: string) => void;
}

export interface StrategyResult {
  evaluated_tokens: number;
  ms_per_edit: number;
  agreement: number;
  exact_match: number;
  reencodes: number;
  /** Agreement per kind of edit (insert, delete, multi). */
  agreement_by_kind: Record<string, number>;
  /** hotpath_repaired: background repair per edit. */
  repair_tokens?: number;
  repair_ms_per_edit?: number;
}

export interface KvBenchResult {
  model: { path: string; kind: string; name: string; parameters?: number };
  device: string;
  files: { path: string; tokens: number; tokenizationDrift: { chunked: number; whole: number; differing: number } }[];
  edits: number;
  editKinds: Record<string, number>;
  generate: number;
  chunkReuseMin: number;
  strategies: Record<'full' | 'prefix' | 'chunk' | 'hotpath' | 'hotpath_repaired' | 'hotpath_no_repair', StrategyResult>;
  ratios: { hotpath_evaluated_vs_full: number; hotpath_ms_vs_full: number; prefix_evaluated_vs_full: number; chunk_evaluated_vs_full: number };
  targets: { evaluated_at_most_10pct: boolean; agreement_before_repair_ge_095: boolean; agreement_after_repair_eq_1: boolean };
}

function rng(seed: number): () => number {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function listSources(roots: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.') || name === 'node_modules' || name === '__pycache__') continue;
      const p = join(dir, name);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (depth < 3) walk(p, depth + 1);
      } else if (/\.(py|ts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') && st.size > 2000 && st.size < 400_000) out.push(p);
    }
  };
  for (const r of roots) {
    try {
      if (statSync(r).isFile()) out.push(r);
      else walk(r, 0);
    } catch {
      /* missing root */
    }
  }
  return out;
}

type Edit = { at: number; del: number; ins: string };

/** One trace step: a random insertion, deletion, or 2-4 edits at once, at random positions. */
function makeEdit(text: string, rand: () => number): { kind: string; edits: Edit[] } {
  const pickKind = rand();
  const one = (kind: 'insert' | 'delete'): Edit => {
    const at = Math.floor(rand() * text.length);
    if (kind === 'delete') {
      const lines = rand() < 0.5;
      let end = at + 1 + Math.floor(rand() * 80);
      if (lines) {
        end = at;
        for (let k = 1 + Math.floor(rand() * 3); k > 0 && end < text.length; k--) {
          const nl = text.indexOf('\n', end);
          end = nl < 0 ? text.length : nl + 1;
        }
      }
      return { at, del: Math.min(text.length, end) - at, ins: '' };
    }
    // insert a snippet copied from elsewhere in the file (realistic tokens), a few characters or lines
    const from = Math.floor(rand() * text.length);
    const len = rand() < 0.5 ? 1 + Math.floor(rand() * 20) : 20 + Math.floor(rand() * 120);
    return { at, del: 0, ins: text.slice(from, from + len) };
  };
  if (pickKind < 0.4) return { kind: 'insert', edits: [one('insert')] };
  if (pickKind < 0.75) return { kind: 'delete', edits: [one('delete')] };
  const n = 2 + Math.floor(rand() * 3);
  const edits: Edit[] = [];
  for (let i = 0; i < n; i++) edits.push(one(rand() < 0.5 ? 'insert' : 'delete'));
  // keep them disjoint: sort and drop overlaps
  edits.sort((a, b) => a.at - b.at);
  const disjoint: Edit[] = [];
  for (const e of edits) if (!disjoint.length || e.at >= disjoint[disjoint.length - 1].at + disjoint[disjoint.length - 1].del) disjoint.push(e);
  return { kind: 'multi', edits: disjoint };
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.ins + out.slice(e.at + e.del);
  return out;
}

function commonPrefix(a: readonly number[], b: readonly number[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

const STRATEGIES = ['full', 'prefix', 'chunk', 'hotpath', 'hotpath_repaired', 'hotpath_no_repair'] as const;
type Name = (typeof STRATEGIES)[number];
/** Strategies with their own session (hotpath_repaired is the hotpath session after repair). */
const SESSIONS = ['full', 'prefix', 'chunk', 'hotpath', 'hotpath_no_repair'] as const;

export async function runKvBench(o: KvBenchOptions): Promise<KvBenchResult> {
  const log = o.log ?? (() => undefined);
  const rand = rng(o.seed);
  const model: LlamaModel = await loadModel(o.model);
  const tok = modelTokenizer(model);
  const chunker = new ChunkTokenizer(tok);
  try {
    // Pick files spread over [minTokens, maxTokens]: one per size band.
    const candidates = listSources(o.sources);
    for (let i = candidates.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
    }
    const bands = Array.from({ length: o.files }, (_, i) => [o.minTokens + ((o.maxTokens - o.minTokens) * i) / o.files, o.minTokens + ((o.maxTokens - o.minTokens) * (i + 1)) / o.files]);
    const chosen: { path: string; text: string; tokens: number }[] = [];
    for (const [lo, hi] of bands) {
      for (const path of candidates) {
        if (chosen.some((c) => c.path === path)) continue;
        const text = readFileSync(path, 'utf8');
        if (text.includes('\u0000')) continue;
        const n = tok.tokenize(text).length;
        if (n >= lo && n < hi) {
          chosen.push({ path, text, tokens: n });
          break;
        }
      }
    }
    if (chosen.length === 0) throw new Error(`no source file of ${o.minTokens} to ${o.maxTokens} tokens under ${o.sources.join(', ')}`);
    const totals: Record<Name, { evaluated: number; ms: number; agree: number; exact: number; reencodes: number; repair: number; repairMs: number; byKind: Record<string, number> }> = Object.fromEntries(
      STRATEGIES.map((s) => [s, { evaluated: 0, ms: 0, agree: 0, exact: 0, reencodes: 0, repair: 0, repairMs: 0, byKind: {} }]),
    ) as never;
    const editKinds: Record<string, number> = {};
    let edits = 0;
    const files: KvBenchResult['files'] = [];
    for (const file of chosen) {
      const drift = tokenizationDrift(chunker, file.text);
      files.push({ path: file.path, tokens: file.tokens, tokenizationDrift: drift });
      log(`${basename(file.path)}: ${file.tokens} tokens (chunked tokenization differs in ${drift.differing})`);
      const contextSize = Math.ceil((file.tokens * 1.5 + 256) / 256) * 256;
      const contexts: LlamaContext[] = [];
      const sessions = {} as Record<(typeof SESSIONS)[number], KvSession>;
      for (const name of SESSIONS) {
        const twoSeq = name === 'hotpath';
        const ctx = await createKvContext(model, contextSize, o.threads, twoSeq ? 2 : 1, o.kvCacheType ?? 'F16');
        contexts.push(ctx);
        const strategy: ReuseStrategy = name === 'hotpath_no_repair' ? 'hotpath' : name;
        // The bench measures reuse itself: never fall back to re-encoding for large edits.
        sessions[name] = new KvSession(ctx.getSequence(), twoSeq ? ctx.getSequence() : undefined, tok, { strategy, chunkReuseMin: o.chunkReuseMin, maxEditFraction: 1, refreshTail: o.refreshTail ?? 0, insertMode: o.insertMode });
      }
      try {
        let text = file.text;
        const parts = (): PromptPart[] => [{ text }];
        for (const name of SESSIONS) await sessions[name].sync(parts());
        for (let e = 0; e < o.editsPerFile; e++) {
          const step = makeEdit(text, rand);
          text = applyEdits(text, step.edits);
          editKinds[step.kind] = (editKinds[step.kind] ?? 0) + 1;
          edits++;
          const results = {} as Record<Name, number[]>;
          for (const name of SESSIONS) {
            const st = await sessions[name].sync(parts());
            const t = totals[name];
            t.evaluated += st.evaluated;
            t.ms += st.ms;
            if (st.reencoded) t.reencodes++;
            results[name] = (await sessions[name].complete({ maxTokens: o.generate })).tokens;
            if (name === 'hotpath') {
              const rt = totals.hotpath_repaired;
              rt.evaluated += st.evaluated;
              rt.ms += st.ms;
              const r = await sessions[name].repair();
              rt.repair += r.repaired;
              rt.repairMs += r.ms;
              results.hotpath_repaired = (await sessions[name].complete({ maxTokens: o.generate })).tokens;
            }
          }
          const ref = results.full;
          for (const name of STRATEGIES) {
            const n = Math.max(1, ref.length);
            const cp = commonPrefix(results[name], ref);
            totals[name].agree += Math.min(cp, n) / n;
            totals[name].byKind[step.kind] = (totals[name].byKind[step.kind] ?? 0) + Math.min(cp, n) / n;
            totals[name].exact += cp >= ref.length && results[name].length === ref.length ? 1 : 0;
          }
          log(`  edit ${e + 1} (${step.kind}): prompt ${sessions.full.status().tokens} tokens; hotpath evaluated ${totals.hotpath.evaluated} so far, full ${totals.full.evaluated}`);
        }
      } finally {
        for (const name of SESSIONS) await sessions[name].dispose().catch(() => undefined);
        for (const c of contexts) await c.dispose();
      }
    }
    const per = (name: Name): StrategyResult => {
      const t = totals[name];
      const r: StrategyResult = {
        evaluated_tokens: t.evaluated / edits,
        ms_per_edit: t.ms / edits,
        agreement: t.agree / edits,
        exact_match: t.exact / edits,
        reencodes: t.reencodes,
        agreement_by_kind: Object.fromEntries(Object.entries(t.byKind).map(([k, v]) => [k, v / editKinds[k]])),
      };
      if (name === 'hotpath_repaired') {
        r.repair_tokens = t.repair / edits;
        r.repair_ms_per_edit = t.repairMs / edits;
      }
      return r;
    };
    const strategies = Object.fromEntries(STRATEGIES.map((s) => [s, per(s)])) as KvBenchResult['strategies'];
    const md = model.fileInfo.metadata as unknown as { general?: { name?: string } };
    return {
      model: { path: o.model, kind: o.modelKind, name: md.general?.name ?? basename(o.model), parameters: model.fileInsights.totalParameters ?? undefined },
      device: `CPU (${o.threads} thread${o.threads === 1 ? '' : 's'}); no GPU was available to this run`,
      files: files.map((f) => {
        const rel = relative(process.cwd(), f.path);
        return { ...f, path: rel && !rel.startsWith('..') ? rel : f.path };
      }),
      edits,
      editKinds,
      generate: o.generate,
      chunkReuseMin: o.chunkReuseMin,
      strategies,
      ratios: {
        hotpath_evaluated_vs_full: strategies.hotpath.evaluated_tokens / strategies.full.evaluated_tokens,
        hotpath_ms_vs_full: strategies.hotpath.ms_per_edit / strategies.full.ms_per_edit,
        prefix_evaluated_vs_full: strategies.prefix.evaluated_tokens / strategies.full.evaluated_tokens,
        chunk_evaluated_vs_full: strategies.chunk.evaluated_tokens / strategies.full.evaluated_tokens,
      },
      targets: {
        evaluated_at_most_10pct: strategies.hotpath.evaluated_tokens <= 0.1 * strategies.full.evaluated_tokens,
        agreement_before_repair_ge_095: strategies.hotpath.agreement >= 0.95,
        agreement_after_repair_eq_1: strategies.hotpath_repaired.agreement === 1,
      },
    };
  } finally {
    await model.dispose();
  }
}

export function formatKvBench(r: KvBenchResult): string {
  const lines: string[] = [];
  lines.push(`model: ${r.model.name} (${r.model.kind}; ${r.model.path}${r.model.parameters ? `, ${(r.model.parameters / 1e6).toFixed(1)} M parameters` : ''})`);
  lines.push(`device: ${r.device}`);
  lines.push(`files: ${r.files.map((f) => `${basename(f.path)} (${f.tokens} tokens)`).join(', ')}`);
  lines.push(`edits: ${r.edits} (${Object.entries(r.editKinds).map(([k, v]) => `${v} ${k}`).join(', ')}); agreement = common prefix of the greedy next ${r.generate} tokens with full recomputation`);
  lines.push('');
  lines.push('strategy            evaluated/edit   ms/edit   agreement   exact   re-encodes');
  for (const [name, s] of Object.entries(r.strategies)) {
    lines.push(`${name.padEnd(18)} ${s.evaluated_tokens.toFixed(1).padStart(15)} ${s.ms_per_edit.toFixed(1).padStart(9)} ${s.agreement.toFixed(3).padStart(11)} ${s.exact_match.toFixed(3).padStart(7)} ${String(s.reencodes).padStart(12)}`);
  }
  const kinds = Object.keys(r.editKinds).sort();
  lines.push('');
  lines.push(`agreement by edit kind: ${['strategy'.padEnd(16), ...kinds.map((k) => k.padStart(8))].join(' ')}`);
  for (const [name, s] of Object.entries(r.strategies)) lines.push(`                        ${[name.padEnd(16), ...kinds.map((k) => (s.agreement_by_kind[k] ?? NaN).toFixed(3).padStart(8))].join(' ')}`);
  const rep = r.strategies.hotpath_repaired;
  lines.push('');
  lines.push(`hotpath_repaired background repair: ${rep.repair_tokens?.toFixed(1)} tokens/edit, ${rep.repair_ms_per_edit?.toFixed(1)} ms/edit (off the typing path)`);
  lines.push(`hotpath evaluates ${(100 * r.ratios.hotpath_evaluated_vs_full).toFixed(2)}% of full recomputation's tokens (prefix ${(100 * r.ratios.prefix_evaluated_vs_full).toFixed(1)}%, chunk ${(100 * r.ratios.chunk_evaluated_vs_full).toFixed(1)}%); ms/edit ratio ${r.ratios.hotpath_ms_vs_full.toFixed(3)}`);
  lines.push(`targets: evaluated <= 10% ${r.targets.evaluated_at_most_10pct ? 'met' : 'NOT met'}; agreement >= 0.95 before repair ${r.targets.agreement_before_repair_ge_095 ? 'met' : 'NOT met'}; agreement = 1 after repair ${r.targets.agreement_after_repair_eq_1 ? 'met' : 'NOT met'}`);
  return lines.join('\n');
}
