// An edit-aware KV session: one prompt's token sequence and the KV cells the model holds for it,
// kept in step with the user's edits (Positional Integrity Encoding, see docs/completion.md).
//   sync(parts)   make the cache hold the new prompt. 'hotpath' maps the prompt's text edits to token
//                 edits (chunks.ts): cheap ones are recomputed exactly as prefix reuse does; others
//                 are applied to the cells (deleted cells removed, later ones shifted by RoPE
//                 re-rotation, inserted tokens evaluated and moved into place), leaving the cells after
//                 the first edit approximate ("stale"). Baselines for `hotpath kv-bench`: 'full',
//                 'prefix' (llama.cpp cache_prompt, vLLM/SGLang prefix caching), 'chunk' (llama.cpp
//                 server --cache-reuse N, cacheReuse.ts). `align` fixes the decode batches by position
//                 (layout.ts) so that recomputed cells equal a full recomputation bit for bit.
//   repair()      recompute the stale cells in the background, chunk by chunk, in a second sequence,
//                 yielding to any sync/complete that is waiting; when done the two sequences swap.
//   complete()    greedy generation after the prompt; the generated cells are dropped afterwards.
// Every method takes and returns JSON, so the engine worker can host sessions (workerKind.ts).
import type { LlamaContextSequence, Token } from 'node-llama-cpp';
import { ChunkedPrompt, ChunkTokenizer, refreshAfter, type PromptPart, type TokenEdit, type Tokenizer } from './chunks';
import { cacheReuse } from './cacheReuse';
import { argmax, klDivergence } from './distribution';
import { anchorAfter, chunkEnd, firstClassChange, layoutBatches, layoutCut, restartAt, tiledEnd, type Layout } from './layout';
import { Lock, rest } from './lock';
import { commonPrefix } from '../plainSession';
import { appendTokens, copyPrefix, editAwareUnsupported, eraseRanges, fillTrailingGap, generateGreedy, insertAdjacent, insertGroups, insertGroupsOrGaps, logitsAfter, logitsAlong, loneTokenLayout } from './llamaKv';

import type { CompleteResult, KvSessionOptions, RepairResult, ReuseStrategy, SessionStatus, SyncStats } from './sessionTypes';

export type { CompleteResult, KvSessionOptions, RepairResult, ReuseStrategy, SessionStatus, SyncStats } from './sessionTypes';

let sessionsMade = 0;

export class KvSession {
  readonly strategy: ReuseStrategy;
  /** Creation order: adopt() takes two sessions' locks in this order, so that two sessions adopting
   *  each other at once do not each hold one lock and wait on the other's. */
  private readonly order = sessionsMade++;
  private readonly prompt: ChunkedPrompt;
  private readonly opts: Required<Omit<KvSessionOptions, 'strategy' | 'anchorOf' | 'oneThread'>>;
  private readonly anchorOf: (() => number | null) | undefined;
  private main: LlamaContextSequence;
  private scratch: LlamaContextSequence | undefined;
  /** Cells [0, exact) of the main sequence equal a full recomputation. */
  private exact = 0;
  /** The scratch sequence holds exact cells for tokens [0, frontier), or undefined. */
  private frontier: number | undefined;
  private readonly lock = new Lock();
  private readonly totals = { evaluated: 0, reused: 0, repaired: 0, syncs: 0, reencodes: 0 };
  private readonly editAware: boolean;
  /** The batch-invariant layout (when opts.align > 0) of the prompt the cache holds ('anchored' moves
   *  its anchor at syncs: anchorAfter), and the one its cells were decoded in before the sync in progress. */
  private layout: Layout;
  private decoded: Layout;
  /** Whether a token decoded alone counts as vec in the layout (Layout.oneThread), and why. */
  readonly loneToken: { oneThread: boolean; why: string };
  /** Why edit-aware reuse is off for this session (it reuses the common prefix), when it is. */
  readonly fallback: string | undefined;

  constructor(main: LlamaContextSequence, scratch: LlamaContextSequence | undefined, tokenizer: Tokenizer, options: KvSessionOptions = {}) {
    this.main = main;
    this.scratch = scratch;
    this.strategy = options.strategy ?? 'hotpath';
    this.opts = {
      chunkReuseMin: options.chunkReuseMin ?? 256,
      maxEditFraction: options.maxEditFraction ?? 0.5,
      repairChunk: Math.max(1, options.repairChunk ?? 256),
      batch: Math.max(1, options.batch ?? 512),
      refreshTail: Math.max(0, options.refreshTail ?? 0),
      refreshAfterEdit: Math.max(0, options.refreshAfterEdit ?? 0),
      insertMode: options.insertMode ?? 'end',
      insertContext: Math.max(0, Math.floor(options.insertContext ?? 0)),
      gapMax: Math.max(0, options.gapMax ?? Infinity),
      exactWithin: Math.max(0, options.exactWithin ?? 0),
      align: Math.max(0, Math.floor(options.align ?? 0)),
      layout: options.layout ?? 'tail',
    };
    // tiled batches need at least 2B - 1 tokens of room to be split into batches of >= B (layout.ts)
    if (this.opts.align && this.opts.layout !== 'grid' && this.opts.batch < 2 * this.opts.align - 1) this.opts.align = 0;
    // a lone token's class (Layout.oneThread): given, or decided from the engine
    this.loneToken = options.oneThread !== undefined ? { oneThread: options.oneThread, why: 'given' } : this.opts.align ? loneTokenLayout(main) : { oneThread: false, why: 'no layout' };
    this.layout = { kind: this.opts.layout, b: this.opts.align, max: this.opts.batch, oneThread: this.loneToken.oneThread };
    this.decoded = this.layout;
    this.anchorOf = options.anchorOf;
    this.prompt = new ChunkedPrompt(new ChunkTokenizer(tokenizer));
    this.fallback = this.strategy === 'hotpath' ? editAwareUnsupported(main) ?? (scratch ? editAwareUnsupported(scratch) : undefined) : undefined;
    this.editAware = this.fallback === undefined;
  }

  /** The prompt tokens the cache holds. */
  get tokens(): readonly number[] {
    return this.prompt.tokens;
  }

  status(): SessionStatus {
    const n = this.prompt.tokens.length;
    const anchor = this.opts.align && this.layout.kind === 'anchored' ? this.layout.at ?? 0 : null;
    return { strategy: this.strategy, tokens: n, stale: n - this.exact, exact: this.exact, repairFrontier: this.frontier ?? null, anchor, totals: { ...this.totals } };
  }

  sync(parts: readonly PromptPart[], signal?: AbortSignal): Promise<SyncStats> {
    return this.lock.run(() => this.syncLocked(parts, signal), true);
  }

  private async syncLocked(parts: readonly PromptPart[], signal?: AbortSignal): Promise<SyncStats> {
    const t0 = performance.now();
    const old = this.prompt.tokens.slice();
    this.decoded = this.layout;
    const edits = this.prompt.update(parts);
    const next = this.prompt.tokens;
    const common = commonPrefix(old, next);
    if (this.opts.align) this.layout = this.layoutFor(common, old.length, next.length);
    if (next.length >= this.main.contextSize) {
      this.prompt.reset();
      await this.main.clearHistory();
      this.exact = 0;
      this.frontier = undefined;
      throw Object.assign(new Error(`prompt of ${next.length} tokens does not fit the context (${this.main.contextSize})`), { code: 'contextFull' });
    }
    let stats: Omit<SyncStats, 'ms' | 'stale' | 'tokens' | 'strategy'>;
    try {
      if (signal?.aborted) throw Object.assign(new Error('cancelled'), { code: 'aborted' });
      stats = await this.applyStrategy(old, next, edits, common);
    } catch (err) {
      // Whatever happened, the cache must describe the prompt: start over on the next sync.
      this.prompt.reset();
      this.exact = 0;
      this.frontier = undefined;
      await this.main.clearHistory().catch(() => undefined);
      throw err;
    }
    if (this.frontier !== undefined && this.scratch) {
      // The scratch copy stays valid up to the first changed token.
      const firstChange = this.cut(edits.length ? edits[0].start : next.length, old.length, next.length);
      if (stats.reencoded || firstChange < this.frontier) {
        const keep = stats.reencoded ? 0 : firstChange;
        if (keep === 0) await this.scratch.clearHistory();
        else await eraseRanges(this.scratch, [{ start: keep, end: this.scratch.nextTokenIndex }]);
        this.frontier = keep === 0 ? undefined : keep;
      }
    }
    this.totals.syncs++;
    this.totals.evaluated += stats.evaluated;
    this.totals.reused += stats.reused;
    if (stats.reencoded) this.totals.reencodes++;
    return { strategy: this.strategy, tokens: next.length, stale: next.length - this.exact, ms: performance.now() - t0, ...stats, ...(this.fallback ? { fallback: this.fallback } : {}) };
  }

  /** The layout of the new prompt: in the anchored layout, the anchor for it (anchorAfter) from the
   *  prompts alone (their common prefix), so every session that saw the same prompts has the same
   *  anchor whatever it recomputed (prefix reuse, the editor's, a full recomputation told anchorOf). */
  private layoutFor(common: number, oldLength: number, newLength: number): Layout {
    const given = this.anchorOf?.();
    if (this.layout.kind === 'anchored' && given !== undefined && given !== null) return { ...this.layout, at: given };
    return anchorAfter(this.layout, Math.min(common, oldLength - 1, newLength - 1), newLength);
  }

  /** Where to cut the cache back to when the new prompt agrees with the old one on `common` tokens:
   *  `common` itself, or in a layout where its batch classes allow (layoutCut: kept cells of the same
   *  class in the old prompt's layout and the new one's). */
  private cut(common: number, oldLength: number, newLength: number): number {
    return this.opts.align ? layoutCut(this.layout, common, oldLength, newLength, this.decoded) : common;
  }
  /** Where a recomputation meant to start at p must start for its batches to be the layout's. */
  private restart(p: number, length: number): number {
    return this.opts.align ? restartAt(this.layout, p, length) : p;
  }

  /** Decode prompt tokens [from, to) at the end of `seq` (which holds [0, from)): in the aligned
   *  layout's batches, or else in batches of `batch` tokens. */
  private async evaluate(seq: LlamaContextSequence, tokens: readonly number[], from: number, to = tokens.length): Promise<void> {
    if (!this.opts.align) return appendTokens(seq, tokens.slice(from, to) as Token[], this.opts.batch);
    for (const b of layoutBatches(this.layout, from, to, tokens.length)) await seq.evaluateWithoutGeneratingNewTokens(tokens.slice(b.start, b.end) as Token[]);
  }

  /**
   * A gap an earlier 'gap' insertion left as the sequence's last cells, evaluated (fillTrailingGap).
   * Only edit-aware 'gap' sessions make gaps; every other session touches no node-llama-cpp internals
   * here, so prefix reuse keeps working on a node-llama-cpp without the sequence APIs (3.21).
   */
  private fillGap(seq: LlamaContextSequence): Promise<number> {
    return this.editAware && this.opts.insertMode === 'gap' ? fillTrailingGap(seq, this.opts.batch) : Promise.resolve(0);
  }

  /** Cut the cache back to `from` and recompute the rest of the prompt there. Returns the tokens
   *  evaluated before `from` (insertMode 'gap': a gap the cut left right before `from`, fillTrailingGap). */
  private async recomputeFrom(seq: LlamaContextSequence, next: readonly number[], from: number, cached: number): Promise<number> {
    await eraseRanges(seq, [{ start: from, end: cached }]);
    const filled = await this.fillGap(seq);
    await this.evaluate(seq, next, from);
    return filled;
  }

  private async reencode(next: readonly number[]) {
    const erased = this.main.nextTokenIndex;
    await this.main.clearHistory();
    await this.evaluate(this.main, next, 0);
    this.exact = next.length;
    return { reused: 0, evaluated: next.length, erased, edits: 0, reencoded: true };
  }

  /** `common`: the length of the common prefix of `old` and `next`. */
  private async applyStrategy(old: readonly number[], next: readonly number[], edits: TokenEdit[], common: number) {
    const seq = this.main;
    if (this.strategy === 'full' || old.length === 0 || seq.nextTokenIndex !== old.length) return this.reencode(next);
    if (edits.length === 0) return { reused: next.length, evaluated: 0, erased: 0, edits: 0, reencoded: false };
    if (this.strategy === 'prefix' || !this.editAware) {
      const p = this.cut(common, old.length, next.length);
      const filled = await this.recomputeFrom(seq, next, p, old.length);
      if (this.exact >= p) this.exact = next.length;
      return { reused: p - filled, evaluated: next.length - p + filled, erased: old.length - p, edits: 1, reencoded: p === 0 };
    }
    if (this.strategy === 'chunk') return this.chunkReuse(old, next);
    // hotpath
    if (this.opts.refreshAfterEdit > 0) edits = refreshAfter(edits, old, this.opts.refreshAfterEdit);
    const inserted = edits.reduce((s, e) => s + e.insert.length, 0);
    const erased = edits.reduce((s, e) => s + e.deleteCount, 0);
    if (inserted > this.opts.maxEditFraction * next.length) return this.reencode(next);
    const last = edits[edits.length - 1];
    const onlyAtEnd = edits.length === 1 && last.start + last.deleteCount === old.length;
    if (this.opts.exactWithin > 0) {
      // Recompute everything after a point instead of shifting, when that is cheap: from the first
      // stale cell (the result is exact), or else from the first edit, as prefix reuse does (earlier
      // stale cells stay stale) when that costs no more than the approximation.
      // 'gap' decodes only groups of more than gapMax tokens (with their copies) and one at the very end
      const big = edits.filter((e) => e.insert.length > (this.opts.insertMode === 'gap' ? this.opts.gapMax : 0));
      const copies = this.opts.insertMode !== 'adjacent' ? this.opts.insertContext * big.length : 0;
      const decodedInserts = this.opts.insertMode === 'gap' ? big.reduce((n, e) => n + e.insert.length, 0) + (last.start + last.deleteCount === old.length && !big.includes(last) ? last.insert.length : 0) : inserted;
      const approxCost = onlyAtEnd ? last.insert.length : decodedInserts + copies + this.opts.refreshTail;
      const exactFrom = Math.min(this.exact, edits[0].start);
      const chosen =
        next.length - exactFrom <= Math.max(approxCost, this.opts.exactWithin * next.length) ? exactFrom : next.length - edits[0].start <= approxCost ? edits[0].start : undefined;
      if (chosen !== undefined) {
        const from = this.cut(chosen, old.length, next.length);
        const filled = await this.recomputeFrom(seq, next, from, old.length);
        if (this.exact >= from) this.exact = next.length;
        return { reused: from - filled, evaluated: next.length - from + filled, erased: old.length - from, edits: edits.length, reencoded: from === 0 };
      }
    }
    if (onlyAtEnd && this.opts.align) {
      // an append: the old prompt's last batches are decoded again in the new prompt's layout
      const from = this.cut(last.start, old.length, next.length);
      const filled = await this.recomputeFrom(seq, next, from, old.length);
      if (this.exact >= from) this.exact = next.length;
      return { reused: from - filled, evaluated: next.length - from + filled, erased: old.length - from, edits: edits.length, reencoded: from === 0 };
    }
    await eraseRanges(seq, edits.map((e) => ({ start: e.start, end: e.start + e.deleteCount })));
    // a gap left by an earlier 'gap' insertion that the erasure made the last cells: evaluated, so
    // that what is decoded next follows a cell
    let filled = await this.fillGap(seq);
    // cached tokens decoded again as the inserted groups' left context (insertContext), then erased
    let copied = 0;
    // inserted tokens evaluated ('gap' leaves all but a group at the very end without cells)
    let decoded = inserted;
    if (onlyAtEnd) {
      await appendTokens(seq, last.insert as Token[], this.opts.batch);
      if (this.exact >= last.start) this.exact = next.length;
    } else {
      let removed = 0;
      const groups = edits.map((e) => {
        const g = { at: e.start - removed, tokens: e.insert as Token[] };
        removed += e.deleteCount;
        return g;
      });
      // adjacent insertion moves the cells before each insertion point away and back: their keys are
      // rotated twice (f16 rounding), so no cell before the last such point is exact any more
      let rotated = 0;
      if (this.opts.insertMode === 'end') copied = (await insertGroups(seq, groups, this.opts.batch, this.opts.insertContext)) - inserted;
      else if (this.opts.insertMode === 'gap') decoded = await insertGroupsOrGaps(seq, groups, this.opts.batch, this.opts.insertContext, this.opts.gapMax);
      else {
        let added = 0;
        for (const g of groups) {
          const at = g.at + added;
          if (g.tokens.length > 0 && at > 0 && at < seq.nextTokenIndex) rotated = at;
          await insertAdjacent(seq, at, g.tokens);
          added += g.tokens.length;
        }
      }
      // in a layout, cells whose batch class changes with the prompt's length are stale too
      const firstStale = this.opts.align ? Math.min(edits[0].start, firstClassChange(this.layout, old.length, next.length, this.decoded)) : edits[0].start;
      const stale = rotated > 0 ? 0 : firstStale;
      this.exact = Math.min(this.exact, stale);
    }
    if (seq.nextTokenIndex !== next.length) throw new Error(`cache holds ${seq.nextTokenIndex} cells, prompt has ${next.length} tokens`);
    let refreshed = 0;
    const tail = onlyAtEnd ? 0 : Math.min(this.opts.refreshTail, next.length - this.exact);
    if (tail > 0) {
      await eraseRanges(seq, [{ start: next.length - tail, end: next.length }]);
      filled += await this.fillGap(seq);
      await appendTokens(seq, next.slice(next.length - tail) as Token[], this.opts.batch);
      refreshed = tail;
    }
    return { reused: old.length - erased - refreshed - filled, evaluated: decoded + copied + refreshed + filled, erased, edits: edits.length, reencoded: false };
  }

  /** llama.cpp server's --cache-reuse (cacheReuse.ts), on the same sequence. */
  private async chunkReuse(old: readonly number[], next: readonly number[]) {
    const r = await cacheReuse(this.main, old, next, this.opts.chunkReuseMin, this.opts.batch);
    if (r.edits > 0) this.exact = Math.min(this.exact, r.prefix);
    else if (this.exact >= r.prefix) this.exact = next.length;
    return { reused: r.reused, evaluated: r.evaluated, erased: r.erased, edits: r.edits, reencoded: r.reused === 0 };
  }

  /**
   * Recompute stale cells, repairChunk tokens at a time, until none are left, the signal aborts, or
   * foreground work (sync/complete) is waiting. Call again to continue where it stopped.
   * `dutyCycle` (0-1] makes repair rest between chunks so that it computes at most that fraction of
   * the time (each rest ends at once when the signal aborts): background work that does not take the
   * user's machine. Repair decodes with the context's threads (the engine's `threads` setting).
   */
  async repair(options: { maxTokens?: number; dutyCycle?: number } = {}, signal?: AbortSignal): Promise<RepairResult> {
    const t0 = performance.now();
    let repaired = 0;
    let yielded = false;
    const budget = options.maxTokens ?? Infinity;
    const duty = options.dutyCycle && options.dutyCycle > 0 && options.dutyCycle < 1 ? options.dutyCycle : 1;
    for (;;) {
      if (signal?.aborted || this.lock.foreground > 0 || repaired >= budget) {
        yielded = this.exact < this.prompt.tokens.length;
        break;
      }
      const s0 = performance.now();
      const step = await this.lock.run(() => this.repairStep(), false);
      repaired += step;
      if (step === 0) break;
      if (duty < 1 && this.exact < this.prompt.tokens.length) await rest(((performance.now() - s0) * (1 - duty)) / duty, signal);
    }
    const n = this.prompt.tokens.length;
    this.totals.repaired += repaired;
    return { repaired, stale: n - this.exact, done: this.exact >= n, yielded, ms: performance.now() - t0 };
  }

  /** One chunk of repair; returns tokens recomputed (0: nothing to do). */
  private async repairStep(): Promise<number> {
    const tokens = this.prompt.tokens;
    const n = tokens.length;
    if (this.exact >= n) {
      this.frontier = undefined;
      return 0;
    }
    if (!this.scratch) {
      // No second sequence: recompute the stale tail in place in one go.
      await this.recomputeFrom(this.main, tokens, this.exact, n);
      const done = n - this.exact;
      this.exact = n;
      return done;
    }
    if (this.frontier === undefined || this.frontier > this.exact && this.scratch.nextTokenIndex !== this.frontier) {
      const start = this.restart(this.exact, n);
      await copyPrefix(this.scratch, this.main, start);
      this.frontier = start;
    }
    const from = this.frontier;
    // the rest of the prompt when that is within the chunk; in a layout, runs of whole batches of their class
    const to = this.opts.align ? chunkEnd(this.layout, from, n, this.opts.repairChunk) : Math.min(n, from + this.opts.repairChunk);
    await this.evaluate(this.scratch, tokens, from, to);
    this.frontier = to;
    if (to >= n) {
      const old = this.main;
      this.main = this.scratch;
      this.scratch = old;
      this.exact = n;
      this.frontier = undefined;
      await this.scratch.clearHistory();
    }
    return to - from;
  }

  /**
   * For measurement (kv-bench): the greedy continuation of `greedy` tokens, and the next-token logits
   * along `continuation` (teacher forcing: after the prompt, then after each continuation token but
   * the last). The cache is left as it was.
   */
  probe(continuation: readonly number[], greedy: number, vocabulary: number): Promise<{ greedy: number[]; logits: Float32Array[] }> {
    return this.lock.run(async () => {
      const tokens = this.prompt.tokens;
      const n = tokens.length;
      if (n === 0) throw new Error('empty prompt');
      await eraseRanges(this.main, [{ start: n - 1, end: n }]);
      await this.fillGap(this.main);
      try {
        const logits = continuation.length ? await logitsAlong(this.main, [tokens[n - 1], ...continuation.slice(0, -1)] as Token[], vocabulary) : [];
        const out = await generateGreedy(this.main, tokens[n - 1] as Token, greedy);
        return { greedy: out, logits };
      } finally {
        if (this.main.nextTokenIndex === n - 1) await appendTokens(this.main, [tokens[n - 1] as Token]);
      }
    }, true);
  }

  /**
   * For measurement (kv-bench): take over the cells of another session of the same context that
   * holds the same prompt with nothing stale (what this session's own repair would compute: a
   * finished repair gives the cells of a full recomputation whatever approximation preceded it).
   * Returns the stale cells this session would have recomputed. A session whose layout gives other
   * batch classes (layout.ts: another tiled region) repairs itself instead, to the end: the other's
   * cells are not its. Holds both sessions' locks (the older session's first, whichever adopts, so
   * adoptions in both directions at once queue instead of deadlocking) and decides with both held; a
   * session cannot adopt itself.
   */
  async adopt(other: KvSession): Promise<number> {
    // Taking this session's lock and then the same lock again would wait on itself forever.
    if (other === this) throw new Error('adopt: a session cannot adopt its own cells');
    // Every decision under both locks (a sync in flight or queued on either session changes its layout
    // and its prompt), and the repair runs to the end inside this session's lock: a repair that yields
    // to queued foreground work would leave stale cells while the caller counts this session exact.
    const [first, second] = this.order < other.order ? [this, other] : [other, this];
    return first.lock.run(() => second.lock.run(async () => {
      const n = this.prompt.tokens.length;
      const classes = (s: KvSession) => (s.opts.align ? `${tiledEnd(s.layout, n)} ${s.layout.oneThread}` : 'default');
      if (classes(this) === classes(other)) {
        if (other.exact !== other.prompt.tokens.length || other.prompt.tokens.length !== n || other.prompt.tokens.some((t, i) => t !== this.prompt.tokens[i])) {
          throw new Error('adopt: the other session does not hold this prompt exactly');
        }
        const stale = n - this.exact;
        await copyPrefix(this.main, other.main, n);
        this.exact = n;
        return stale;
      }
      let repaired = 0;
      for (let step = await this.repairStep(); step > 0; step = await this.repairStep()) repaired += step;
      this.totals.repaired += repaired;
      return repaired;
    }, false), false);
  }

  /**
   * For measurement (kv-bench): open on `parts` with the cells of `other` (a session of the same
   * context whose one sync so far evaluated these parts from scratch) instead of evaluating them, when
   * both decode the prompt in the same batches (the default batches of the same size, or the same
   * layout and anchor): a copy of its KV stream is then what this session's own first sync computes,
   * bit for bit. Returns false, having done nothing, otherwise or when this session holds a prompt.
   */
  openFrom(other: KvSession, parts: readonly PromptPart[]): Promise<boolean> {
    if (other === this) throw new Error('openFrom: a session cannot open from itself');
    const [first, second] = this.order < other.order ? [this, other] : [other, this];
    return first.lock.run(() => second.lock.run(async () => {
      if (this.prompt.tokens.length > 0 || this.main.nextTokenIndex > 0 || other.totals.syncs !== 1 || other.totals.reencodes !== 1) return false;
      const before = this.layout;
      this.prompt.update(parts);
      const n = this.prompt.tokens.length;
      const layout = this.opts.align ? this.layoutFor(0, 0, n) : before;
      const batches = (s: KvSession, l: Layout) => (s.opts.align ? JSON.stringify(l) : `default ${s.opts.batch}`);
      const same = other.exact === n && other.main.nextTokenIndex === n && other.prompt.tokens.every((t, i) => t === this.prompt.tokens[i]) && other.prompt.tokens.length === n;
      if (!same || batches(this, layout) !== batches(other, other.layout) || n >= this.main.contextSize) {
        this.prompt.reset();
        return false;
      }
      await copyPrefix(this.main, other.main, n);
      [this.decoded, this.layout, this.exact] = [before, layout, n];
      this.totals.syncs++;
      this.totals.reencodes++;
      return true;
    }, false), false);
  }

  /**
   * Cheap background refinement instead of an exact repair: recompute the last cells of the prompt
   * (those next to the generation point first), 64, 128, 256, ... of them, each time against the
   * (partly stale) cells before them, until the next-token distribution stops changing (KL between
   * consecutive steps below `epsilon` and the same top token) or the refreshed window reaches the
   * exact prefix (then the cache is exact). Stops early when the signal aborts or foreground work waits.
   */
  async refine(options: { first?: number; epsilon?: number; vocabulary: number }, signal?: AbortSignal): Promise<RepairResult> {
    const t0 = performance.now();
    let refreshed = 0;
    let yielded = false;
    let previous: Float32Array | undefined;
    const eps = options.epsilon ?? 0.01;
    for (let w = Math.max(1, options.first ?? 64); ; w *= 2) {
      if (signal?.aborted || this.lock.foreground > 0) {
        yielded = true;
        break;
      }
      const r = await this.lock.run(async () => {
        const tokens = this.prompt.tokens;
        const n = tokens.length;
        const start = this.restart(Math.max(this.exact, n - w), n);
        const width = n - start;
        if (width <= 0) return undefined;
        await eraseRanges(this.main, [{ start, end: n }]);
        const filled = await this.fillGap(this.main);
        await this.evaluate(this.main, tokens, start, n - 1);
        const [logits] = await logitsAlong(this.main, [tokens[n - 1]] as Token[], options.vocabulary);
        await appendTokens(this.main, [tokens[n - 1] as Token]);
        if (n - width <= this.exact) this.exact = n;
        return { width: width + filled, logits };
      }, false);
      if (!r) break;
      refreshed += r.width;
      const settled = previous !== undefined && argmax(previous) === argmax(r.logits) && klDivergence(previous, r.logits) < eps;
      previous = r.logits;
      if (settled || this.exact >= this.prompt.tokens.length) break;
    }
    const n = this.prompt.tokens.length;
    this.totals.repaired += refreshed;
    return { repaired: refreshed, stale: n - this.exact, done: this.exact >= n, yielded, ms: performance.now() - t0 };
  }

  /** Continuation of the prompt, greedy unless a temperature is given (the prompt's last cell is recomputed to get its logits). */
  complete(options: { maxTokens: number; temperature?: number; seed?: number; stop?: (generated: readonly number[]) => boolean }, signal?: AbortSignal): Promise<CompleteResult> {
    return this.lock.run(async () => {
      const t0 = performance.now();
      const tokens = this.prompt.tokens;
      const n = tokens.length;
      if (n === 0) throw new Error('empty prompt');
      await eraseRanges(this.main, [{ start: n - 1, end: n }]);
      const filled = await this.fillGap(this.main);
      let out: number[] = [];
      try {
        out = await generateGreedy(this.main, tokens[n - 1] as Token, options.maxTokens, options.stop as ((g: readonly Token[]) => boolean) | undefined, signal, {
          temperature: options.temperature,
          seed: options.seed,
        });
      } finally {
        // generateGreedy keeps the last prompt token's cell; if it failed before that, put it back.
        if (this.main.nextTokenIndex === n - 1) await appendTokens(this.main, [tokens[n - 1] as Token]);
      }
      const evaluated = filled + 1 + Math.max(0, out.length - 1);
      this.totals.evaluated += evaluated;
      return { tokens: out, evaluated, ms: performance.now() - t0 };
    }, true);
  }

  /** Logits after the prompt (tests compare them with a full recomputation). */
  nextLogits(): Promise<Float64Array> {
    return this.lock.run(async () => {
      const tokens = this.prompt.tokens;
      const n = tokens.length;
      await eraseRanges(this.main, [{ start: n - 1, end: n }]);
      await this.fillGap(this.main);
      try {
        return await logitsAfter(this.main, tokens[n - 1] as Token);
      } finally {
        await appendTokens(this.main, [tokens[n - 1] as Token]);
      }
    }, true);
  }

  async dispose(): Promise<void> {
    await this.lock.run(async () => {
      this.prompt.reset();
      for (const s of [this.main, this.scratch]) if (s && !s.disposed) s.dispose();
    }, true);
  }
}
