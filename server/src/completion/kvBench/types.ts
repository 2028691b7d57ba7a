// kv-bench's inputs and results (the JSON of `hotpath kv-bench --format json`) and the Hotpath variants.
import type { FimInfo } from '../../model/engine';
import type { KvSessionOptions } from '../../model/embedded/kv/session';
import type { DecisiveReport } from './decisive';
import type { Episode, PlanStep } from './editorTrace';

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
  { name: 'hotpath_shift', description: 'pure position shifting (PIE; the default before round 3): only the inserted tokens are evaluated', options: {}, background: 'repair' },
  { name: 'hotpath_exact10', description: 'exact recomputation when the stale cells are <= 10% of the prompt, else pure shifting', options: { exactWithin: 0.1 }, background: 'repair' },
  { name: 'hotpath_exact10_tail256', description: 'exact recomputation up to 10% of the prompt, else shifting plus the last 256 cells (the editor\'s strategy at commit a12f267)', options: { exactWithin: 0.1, refreshTail: 256 }, background: 'repair' },
  { name: 'hotpath_exact25', description: 'exact recomputation up to 25% of the prompt, else shifting plus the last 256 cells, in the default batches (the editor\'s strategy in round 3, before the aligned layout)', options: { exactWithin: 0.25, refreshTail: 256 }, background: 'repair' },
  { name: 'hotpath_align16', description: 'the editor\'s strategy in the aligned layout with batches of 16 (at most 16 tokens more than prefix reuse per edit instead of 64)', options: { exactWithin: 0.25, refreshTail: 256, align: 16, layout: 'grid' }, background: 'repair' },
  { name: 'hotpath_grid64', description: 'the editor\'s strategy in round 4: the aligned layout with batches of 64 fixed by position, the cache cut back to a batch boundary (the same cells as the tail layout)', options: { exactWithin: 0.25, refreshTail: 256, align: 64, layout: 'grid' }, background: 'repair' },
  { name: 'hotpath_vec', description: 'the editor\'s strategy with every batch below 64 tokens (per-row attention only): prefix reuse\'s cut, a layout of its own (not the reference\'s cells)', options: { exactWithin: 0.25, refreshTail: 256, align: 64, layout: 'vec' }, background: 'repair' },
  { name: 'hotpath_tail', description: 'the editor\'s strategy in round 5: the tail layout (the tiled/vec boundary at the last multiple of 64 below the prompt\'s last token: the vec tail decoded again, tiled, when the prompt grows past it); its cells are not the anchored reference\'s where the two boundaries differ', options: { exactWithin: 0.25, refreshTail: 256, align: 64, layout: 'tail' }, background: 'repair' },
  { name: 'hotpath_after16', description: 'the editor\'s strategy that also re-evaluates the 16 cached tokens after each edit when it shifts (the cells right after a renamed identifier carry the old name)', options: { exactWithin: 0.25, refreshTail: 256, refreshAfterEdit: 16, align: 64, layout: 'anchored' }, background: 'repair' },
  { name: 'hotpath_tail512', description: 'the editor\'s strategy recomputing the last 512 cells instead of 256 when it shifts', options: { exactWithin: 0.25, refreshTail: 512, align: 64, layout: 'anchored' }, background: 'repair' },
  { name: 'hotpath_adjacent', description: 'the editor\'s strategy with each inserted group decoded right after the text before it (insertMode \'adjacent\': the text after it moved to the distant past meanwhile) instead of after the whole old prompt, so a renamed identifier\'s new cells do not see the text after them as their recent context', options: { exactWithin: 0.25, refreshTail: 256, align: 64, layout: 'anchored', insertMode: 'adjacent' }, background: 'repair' },
  { name: 'hotpath_end', description: 'the editor\'s strategy before round 9: each inserted group decoded after the whole old prompt (insertContext 0), where the new cells read as a continuation of the cursor\'s line', options: { exactWithin: 0.25, refreshTail: 256, align: 64, layout: 'anchored', insertContext: 0 }, background: 'repair' },
  { name: 'hotpath_gap', description: 'the editor\'s strategy with insertMode \'gap\' (round 10): a shifted edit\'s inserted tokens get their positions but no cells (nothing decoded for them until the tail refresh or the repair covers them), the last 256 cells recomputed', options: { exactWithin: 0.25, refreshTail: 256, align: 64, layout: 'anchored', insertMode: 'gap' }, background: 'repair' },
  { name: 'hotpath_gap_tail0', description: 'insertMode \'gap\' without the tail refresh (round 10): a shifted edit evaluates nothing, so its foreground plus the exact repair is prefix reuse\'s work', options: { exactWithin: 0.25, refreshTail: 0, align: 64, layout: 'anchored', insertMode: 'gap' }, background: 'repair' },
  { name: 'hotpath_hybrid16', description: 'insertMode \'gap\' for inserted groups of at most 16 tokens (a rename\'s occurrences) and the editor\'s decoding for larger ones (a paste: after a copy of the 4 tokens before it), the last 256 cells recomputed (round 11)', options: { exactWithin: 0.25, refreshTail: 256, align: 64, layout: 'anchored', insertMode: 'gap', gapMax: 16, insertContext: 4 }, background: 'repair' },
  { name: 'hotpath_no_repair', description: 'pure shifting, never repaired: staleness accumulates (the worst case)', options: {}, background: 'none' },
  { name: 'hotpath_tail64', description: 'pure shifting that also recomputes the last 64 prompt cells after an edit that leaves stale cells', options: { refreshTail: 64 }, background: 'repair' },
  { name: 'hotpath_tail256', description: 'pure shifting that also recomputes the last 256 prompt cells after such an edit (never exact recomputation)', options: { refreshTail: 256 }, background: 'repair' },
  { name: 'hotpath_edit32', description: 'pure shifting that also re-evaluates the 32 cached tokens after each edit (with the inserted ones)', options: { refreshAfterEdit: 32 }, background: 'repair' },
  { name: 'hotpath_converge', description: 'background: recompute the last 64, 128, ... cells until the next-token distribution stops changing (KL < 0.01), instead of an exact repair', options: {}, background: 'refine' },
  { name: 'hotpath_tail256_converge', description: 'hotpath_tail256 in the foreground, hotpath_converge in the background', options: { refreshTail: 256 }, background: 'refine' },
];

/** Baselines `--baselines` may leave out (full and prefix always run: the references and the noise floor). */
export const OPTIONAL_BASELINES = ['prefix_aligned', 'chunk'] as const;
export type OptionalBaseline = (typeof OPTIONAL_BASELINES)[number];

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
  /** Measure only the first N requests of each file's session (after the one that opens it). */
  maxRequests?: number;
  /** Evaluate each file's opening prompt once per decode-batch class and give the other sessions of the
   *  class a copy of those cells (KvSession.openFrom: bit for bit what they would compute; default true). */
  sharedOpening?: boolean;
  variants?: Variant[];
  /** The optional baselines (default both). Without 'chunk' no chunk session or row. Without 'prefix_aligned'
   *  its session runs only where it is the aligned reference and no repair follows the request; where hotpath
   *  repairs after a request without full recomputation, hotpath_repaired (the exact repair: the same cells,
   *  bit for bit, as prefix reuse in the aligned layout) is the aligned reference instead (round 14). */
  baselines?: OptionalBaseline[];
  /** The llama-server binary (undefined: no llama_server row). */
  llamaServer?: string;
  /** Session context (default: the model's training context, at most 8192). */
  contextSize?: number;
  repairAfterMs?: number;
  /** The model's FIM format (undefined: prefix-only prompts, as for a model without FIM tokens). */
  fim?: FimInfo;
  /** The episodes of the editing sessions (default editorTrace.ts DEFAULT_PLAN). */
  plan?: PlanStep[];
  /** Write the files and the per-request trace measured so far to this path after every request (a
   *  long run stopped early keeps what it measured; `npm run bench -- kv-far` reads it). */
  partial?: string;
  log?: (line: string) => void;
}

export interface Figures {
  /** Requests these figures average over. */
  requests: number;
  agreement: number;
  exact_match: number;
  /** Share of requests (with logits) whose greedy tokens and teacher-forced logits equal the reference's bit for bit. */
  identical: number | null;
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
  /** full, full_aligned: requests it ran at (its tokens are every request's prompt length). */
  sampled?: number;
  /** The same figures against full recomputation in the aligned layout (full_aligned, or
   *  prefix_aligned where full did not run: the same cells bit for bit). */
  vs_aligned: Figures & { by_episode: Partial<Record<Episode, Figures>> };
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
  /** The aligned layout's batch (workerKind.ts EDIT_AWARE.align) and the aligned reference: full_aligned where full ran, else prefix_aligned. */
  align: number;
  reference_aligned: { full_aligned: number; prefix_aligned: number; hotpath_repaired?: number };
  /** The optional baselines this run ran (KvBenchOptions.baselines; absent: all). */
  baselines?: OptionalBaseline[];
  /** Whether the engine could do edit-aware reuse on this model (else every hotpath row is prefix reuse). */
  edit_aware: { supported: boolean; fallback?: string };
  /** Whether the editor's session counted a token decoded alone as vec (Layout.oneThread), and why (loneToken.ts). */
  lone_token?: { one_thread: boolean; why: string };
  /** Background repair as the editor runs it (workerKind.ts BACKGROUND_REPAIR): its CPU time per
   *  minute of the editing session, and how often it finished within the pause it had. */
  repair_cpu: { threads: number; duty_cycle: number; cpu_s: number; trace_minutes: number; cpu_s_per_minute: number; pauses: number; finished_in_pause: number };
  strategies: Record<string, StrategyResult>;
  ratios: { hotpath_evaluated_vs_full: number; hotpath_total_vs_prefix: number; prefix_evaluated_vs_full: number; chunk_evaluated_vs_full?: number };
  /** Agreement counted where kernel noise cannot flip the reference's choice (decisive.ts), overall and on far edits. */
  decisive?: DecisiveReport;
  targets: {
    foreground_at_most_10pct_of_full: boolean;
    agreement_before_repair_ge_095: boolean;
    /** The same against full recomputation in the aligned layout. */
    agreement_before_repair_ge_095_vs_aligned: boolean;
    foreground_plus_repair_le_prefix: boolean;
    repaired_equals_full: boolean;
    /** After repair, bit for bit the aligned full recomputation at every request measured. */
    repaired_identical_to_aligned_full: boolean;
    best_variant?: string;
  };
  /** Per request: episode, prompt tokens, the foreground tokens every strategy evaluated (`fg`), and per
   *  strategy compared with the reference [evaluated, agreement, top1, kl] (`s`; not the reference's own). */
  trace: {
    file: number;
    i: number;
    episode: Episode;
    tokens: number;
    repairs: boolean;
    fg: Record<string, number>;
    s: Record<string, [number, number, number | null, number | null]>;
    /** Against the aligned reference: [agreement, top1, kl, identical (1/0)]. */
    a: Record<string, [number, number | null, number | null, number]>;
    /** The aligned reference's top-1 margins (teacher-forced `tf`, along its greedy tokens `g`) and the
     *  noise floor's (prefix) largest logit difference from it (decisive.ts). */
    d?: { noise: number; tf: number[]; g: number[] };
    /** Per strategy against the aligned reference: [greedy tokens in common, of n, ...teacher-forced positions whose top-1 differs]. */
    x?: Record<string, number[]>;
    /** Tokens each strategy's repair recomputed in the pause after this request (when it repaired; round 10). */
    bg?: Record<string, number>;
  }[];
}
