// The one place that touches node-llama-cpp internals (3.22.1) for the edit-aware KV cache.
//
// What the public API gives: evaluating tokens at the end of a sequence, erasing ranges with a
// position shift (eraseContextTokenRanges -> llama_memory_seq_rm + llama_memory_seq_add), reading
// logits. What it lacks, and why the code below does what it does:
//   - Insertion in the middle. llama.cpp's batch validator (src/llama-batch.cpp) requires a
//     sequence's new tokens to start right after its last cell ("Y = X + 1"), and node-llama-cpp
//     creates contexts with kv_unified = false (one KV stream per sequence), where llama_memory_seq_cp
//     only copies whole streams. So inserted tokens cannot be decoded at their final positions while
//     the later cells exist. They are decoded at the end of the sequence instead, then all cells are
//     moved with llama_memory_seq_add (a RoPE re-rotation of the keys, PIE's operation): the later
//     cells right by the inserted length, the inserted cells left to the edit point. llama.cpp
//     accumulates the shifts per cell and rotates once. The inserted cells saw the old text after the
//     edit point (they are approximate, like the shifted cells) until repair recomputes them.
//   - Exact repair without losing the cache in the meantime: a second sequence of the same context
//     gets a copy of the main one (llama_memory_seq_cp of the whole stream), is cut back to the exact
//     prefix, and recomputes the rest in chunks at the end of its own sequence; the two are swapped
//     when it is done. The main sequence keeps serving completions until then.
// Internals used: sequence._sequenceId, sequence._contextTokens, sequence._nextTokenIndex,
// context._ctx.shiftSequenceTokenCells / getSequenceKvCacheMaxPosition, and
// sequence._copyStateFromOtherSequence. llamaKv.test.ts checks each against full recomputation.
import type { LlamaContextSequence, Token } from 'node-llama-cpp';
import { loneTokenIsVec } from './loneToken';

interface SequenceInternals {
  _sequenceId: number;
  _contextTokens: Token[];
  _nextTokenIndex: number;
  _loadedTokenPredictions: unknown[];
  _tokenMeter: unknown;
  _context: {
    _ctx: { shiftSequenceTokenCells(seq: number, start: number, end: number, delta: number): void; getSequenceKvCacheMaxPosition(seq: number): number };
    _decodeTokens(
      request: { sequenceId: number; firstTokenSequenceIndex: number; tokens: Token[]; logits: boolean[]; evaluationPriority: number; tokenMeter: unknown },
      logitDataMapper: () => undefined,
    ): Promise<unknown>;
  };
  _copyStateFromOtherSequence(other: LlamaContextSequence, upToTokenIndex: number): Promise<boolean>;
  needsCheckpoints?: boolean;
}

function internals(seq: LlamaContextSequence): SequenceInternals {
  const s = seq as unknown as SequenceInternals;
  if (
    typeof s._sequenceId !== 'number' ||
    !Array.isArray(s._contextTokens) ||
    typeof s._context?._ctx?.shiftSequenceTokenCells !== 'function' ||
    typeof s._context?._decodeTokens !== 'function' ||
    typeof s._copyStateFromOtherSequence !== 'function'
  ) {
    throw new Error('node-llama-cpp internals changed: the edit-aware KV cache needs node-llama-cpp 3.22.x');
  }
  return s;
}

/** Whether edit-aware reuse can work on this sequence (a plain transformer: no recurrent state, no SWA checkpoints, no token predictor). */
export function supportsEditAwareReuse(seq: LlamaContextSequence): boolean {
  return editAwareUnsupported(seq) === undefined;
}

/** Why edit-aware reuse cannot work on this sequence (the session falls back to prefix reuse), or undefined. */
export function editAwareUnsupported(seq: LlamaContextSequence): string | undefined {
  let s: SequenceInternals;
  try {
    s = internals(seq);
  } catch {
    // node-llama-cpp 3.21 (the macOS and Windows packages) has no sequence-state copy
    return 'this node-llama-cpp lacks the sequence APIs edit-aware reuse needs (3.22): prefix reuse';
  }
  if (s.needsCheckpoints) return 'the model keeps recurrent or sliding-window state (checkpoints): prefix reuse';
  if ((s._loadedTokenPredictions?.length ?? 0) > 0 || seq.tokenPredictor != null) return 'a token predictor is attached: prefix reuse';
  return undefined;
}

/** GGML's weight type numbers (ggml.h enum ggml_type) by name, for loneToken.ts: a copy of
 *  node-llama-cpp's GgmlType up to BF16 (its runtime enum is in an ESM module this file does not load;
 *  llamaKv.test.ts checks the copy against it). Later types read as "type N": the lone-token flag stays off. */
const GGML_TYPES = ['F32', 'F16', 'Q4_0', 'Q4_1', 'Q4_2', 'Q4_3', 'Q5_0', 'Q5_1', 'Q8_0', 'Q8_1', 'Q2_K', 'Q3_K', 'Q4_K', 'Q5_K', 'Q6_K', 'Q8_K', 'IQ2_XXS', 'IQ2_XS', 'IQ3_XXS', 'IQ1_S', 'IQ4_NL', 'IQ3_S', 'IQ2_S', 'IQ4_XS', 'I8', 'I16', 'I32', 'I64', 'F64', 'IQ1_M', 'BF16'];

/** A GGML type's name (Q4_1 for 3), or "type N" for a number past the copy. */
export function ggmlTypeName(type: number): string {
  return GGML_TYPES[type] ?? `type ${type}`;
}

/**
 * Whether a token this sequence decodes alone gets a vec batch's cells (Layout.oneThread; loneToken.ts
 * says why), from what node-llama-cpp tells of the engine: the context's threads, the types of the
 * model's block weights (its GGUF's tensor infos) and the CPU backend's features (Llama.systemInfo).
 */
export function loneTokenLayout(seq: LlamaContextSequence): { oneThread: boolean; why: string } {
  const model = seq.model;
  const weightTypes = (model.fileInfo.tensorInfo ?? [])
    .filter((t) => t.name.startsWith('blk.') && t.dimensions.length >= 2)
    .map((t) => ggmlTypeName(t.ggmlType));
  return loneTokenIsVec({ threads: seq.context.idealThreads, weightTypes, systemInfo: model.llama.systemInfo });
}

/** Evaluate tokens at the end of the sequence (no logits kept). */
export async function appendTokens(seq: LlamaContextSequence, tokens: readonly Token[], batch = 512): Promise<void> {
  for (let i = 0; i < tokens.length; i += batch) await seq.evaluateWithoutGeneratingNewTokens(tokens.slice(i, i + batch) as Token[]);
}

/** Erase token ranges [start, end) (old coordinates, sorted), shifting later cells left. */
export async function eraseRanges(seq: LlamaContextSequence, ranges: readonly { start: number; end: number }[]): Promise<void> {
  const rs = ranges.filter((r) => r.end > r.start);
  if (rs.length) await seq.eraseContextTokenRanges(rs.map((r) => ({ start: r.start, end: r.end })));
}

/**
 * Insert groups of tokens: group i goes before the cell now at index `at[i]` (sorted ascending,
 * equal allowed). Evaluates only the inserted tokens; every other cell is shifted, not recomputed.
 * `context` > 0: each group is decoded right after a copy of the (up to) `context` cached tokens
 * before its insertion point, so its own left neighbours are its most recent context (not the end
 * of the prompt or the previous group); the copies' cells are erased before anything is moved.
 * Returns the tokens evaluated (the inserted ones plus the copies).
 */
export async function insertGroups(seq: LlamaContextSequence, groups: readonly { at: number; tokens: readonly Token[] }[], batch = 512, context = 0): Promise<number> {
  const m = seq.nextTokenIndex;
  const gs = nonEmptyGroups(groups, m, 'insertGroups');
  if (gs.length === 0) return 0;
  const s = internals(seq);
  const ctx = s._context._ctx;
  const id = s._sequenceId;
  const cached = s._contextTokens.slice(0, m);
  const decoded: Token[] = [];
  const copies: { start: number; end: number }[] = [];
  for (const g of gs) {
    const left = cached.slice(Math.max(0, g.at - Math.max(0, context)), g.at);
    if (left.length) copies.push({ start: m + decoded.length, end: m + decoded.length + left.length });
    decoded.push(...left, ...g.tokens);
  }
  const K = decoded.length - copies.reduce((n, c) => n + c.end - c.start, 0);
  // 1. Decode all inserted tokens at the end (each after its copied left context, if any), then
  //    erase the copies: the inserted cells are [m, m + K).
  await appendTokens(seq, decoded, batch);
  if (copies.length) await seq.eraseContextTokenRanges(copies);
  // 2. Park the block beyond every final position: [m + K, m + 2K).
  ctx.shiftSequenceTokenCells(id, m, m + K, K);
  // 3. Move the old segments right, last first: the segment [at_j, at_{j+1}) by the size of groups 0..j.
  const cum: number[] = [];
  let c = 0;
  for (const g of gs) cum.push((c += g.tokens.length));
  for (let j = gs.length - 1; j >= 0; j--) {
    const from = gs[j].at;
    const to = j + 1 < gs.length ? gs[j + 1].at : m;
    if (to > from) ctx.shiftSequenceTokenCells(id, from, to, cum[j]);
  }
  // 4. Move each parked group into its gap.
  let offset = 0;
  for (let j = 0; j < gs.length; j++) {
    const parked = m + K + offset;
    const target = gs[j].at + (j > 0 ? cum[j - 1] : 0);
    ctx.shiftSequenceTokenCells(id, parked, parked + gs[j].tokens.length, target - parked);
    offset += gs[j].tokens.length;
  }
  // 5. The library's view of the sequence.
  s._contextTokens = withGroups(s._contextTokens.slice(0, m), gs);
  s._nextTokenIndex = m + K;
  const maxPos = ctx.getSequenceKvCacheMaxPosition(id);
  if (maxPos !== m + K - 1) throw new Error(`insertGroups: KV cache max position ${maxPos}, expected ${m + K - 1}`);
  return decoded.length;
}

/** The groups that insert something, checked: positions within the m cached tokens, in order. */
function nonEmptyGroups(groups: readonly { at: number; tokens: readonly Token[] }[], m: number, who: string): { at: number; tokens: readonly Token[] }[] {
  const gs = groups.filter((g) => g.tokens.length > 0);
  for (let i = 0; i < gs.length; i++) {
    if (gs[i].at < 0 || gs[i].at > m || (i > 0 && gs[i].at < gs[i - 1].at)) throw new Error(`${who}: bad insertion points`);
  }
  return gs;
}

/** `old` with each group's tokens inserted before its position `at` (groups in order, positions in `old`). */
function withGroups(old: readonly Token[], groups: readonly { at: number; tokens: readonly Token[] }[]): Token[] {
  const next: Token[] = [];
  let at = 0;
  for (const g of groups) {
    for (; at < g.at; at++) next.push(old[at]);
    next.push(...g.tokens);
  }
  for (; at < old.length; at++) next.push(old[at]);
  return next;
}

/**
 * Like insertGroups, but the inserted tokens get their positions and NO cells: nothing is evaluated
 * for them (insertMode 'gap'). The later cells are shifted right exactly as insertGroups shifts them;
 * attention just finds nothing at the gaps' positions until a recomputation fills them (the repair,
 * a tail refresh, fillTrailingGap). A group at the very end (at = the cached length) cannot be a gap
 * (the next decoded token must follow a cell): it is appended, evaluated, after the shifts.
 * Returns the tokens evaluated (those of an end group, else 0).
 */
export async function insertGaps(seq: LlamaContextSequence, groups: readonly { at: number; tokens: readonly Token[] }[], batch = 512): Promise<number> {
  const m = seq.nextTokenIndex;
  const gs = nonEmptyGroups(groups, m, 'insertGaps');
  if (gs.length === 0) return 0;
  const s = internals(seq);
  const ctx = s._context._ctx;
  const id = s._sequenceId;
  const inner = gs.filter((g) => g.at < m);
  const atEnd = gs.filter((g) => g.at === m).flatMap((g) => g.tokens);
  // the old segment [at_j, at_{j+1}) moves right by the size of groups 0..j (last first)
  const cum: number[] = [];
  let c = 0;
  for (const g of inner) cum.push((c += g.tokens.length));
  for (let j = inner.length - 1; j >= 0; j--) {
    const from = inner[j].at;
    const to = j + 1 < inner.length ? inner[j + 1].at : m;
    if (to > from) ctx.shiftSequenceTokenCells(id, from, to, cum[j]);
  }
  s._contextTokens = withGroups(s._contextTokens.slice(0, m), inner);
  s._nextTokenIndex = m + c;
  if (m > 0) {
    const maxPos = ctx.getSequenceKvCacheMaxPosition(id);
    if (maxPos !== m + c - 1) throw new Error(`insertGaps: KV cache max position ${maxPos}, expected ${m + c - 1}`);
  }
  if (atEnd.length) await appendTokens(seq, atEnd, batch);
  return atEnd.length;
}

/**
 * insertMode 'gap' with a size limit (round 11): groups of at most `gapMax` tokens (a rename's
 * occurrences, a few typed characters) are left as gaps (insertGaps), larger ones (a paste) are
 * decoded as insertGroups decodes them, after a copy of the `context` cached tokens before them, so a
 * pasted block is seen before repair. The decoded groups go in first; each gap's insertion point then
 * moves right by the decoded groups before it (a group at the same point earlier in the list is before
 * it). Returns the tokens evaluated (the decoded groups with their copies, an end group).
 */
export async function insertGroupsOrGaps(seq: LlamaContextSequence, groups: readonly { at: number; tokens: readonly Token[] }[], batch = 512, context = 0, gapMax = Infinity): Promise<number> {
  const gs = groups.filter((g) => g.tokens.length > 0);
  const decoded = gs.filter((g) => g.tokens.length > gapMax);
  const evaluated = decoded.length ? await insertGroups(seq, decoded, batch, context) : 0;
  let added = 0;
  const gaps: { at: number; tokens: readonly Token[] }[] = [];
  for (const g of gs) {
    if (g.tokens.length > gapMax) added += g.tokens.length;
    else gaps.push({ at: g.at + added, tokens: g.tokens });
  }
  return evaluated + (await insertGaps(seq, gaps, batch));
}

/**
 * If the sequence's last cells are missing (gaps left by insertGaps, uncovered by a cut), evaluate
 * the tokens of that trailing gap at the end so that the next token decoded follows a cell (llama.cpp
 * requires it). Returns the tokens evaluated (0 when the last token has its cell).
 */
export async function fillTrailingGap(seq: LlamaContextSequence, batch = 512): Promise<number> {
  const s = internals(seq);
  const n = seq.nextTokenIndex;
  if (n === 0) return 0;
  const last = s._context._ctx.getSequenceKvCacheMaxPosition(s._sequenceId);
  if (last >= n - 1) return 0;
  const from = Math.max(0, last + 1);
  const tokens = s._contextTokens.slice(from, n);
  s._contextTokens = s._contextTokens.slice(0, from);
  s._nextTokenIndex = from;
  await appendTokens(seq, tokens, batch);
  return tokens.length;
}

/**
 * Insert one group of tokens before the cell at index `at`, decoding it right after the text
 * before it: the cells before `at` (A) are moved to the end, the cells from `at` on (B) to the
 * start, the tokens are decoded after A (so A is their immediate left context and B lies in the
 * distant past), then everything is moved to its final place. All moves are llama_memory_seq_add
 * on position ranges; llama.cpp rotates each key by its accumulated shift at the next decode
 * (A comes back to its positions: +m then -m, a rounding-level change).
 */
export async function insertAdjacent(seq: LlamaContextSequence, at: number, tokens: readonly Token[]): Promise<void> {
  if (tokens.length === 0) return;
  const s = internals(seq);
  const ctx = s._context._ctx;
  const id = s._sequenceId;
  const m = seq.nextTokenIndex;
  const K = tokens.length;
  if (at < 0 || at > m) throw new Error('insertAdjacent: bad insertion point');
  if (at === m || at === 0) {
    // nothing before (B only: same as decoding at the end) or nothing after (an append)
    await insertGroups(seq, [{ at, tokens }]);
    return;
  }
  const p = at;
  ctx.shiftSequenceTokenCells(id, 0, p, m); // A: [0, p) -> [m, m + p)
  ctx.shiftSequenceTokenCells(id, p, m, -p); // B: [p, m) -> [0, m - p)
  await s._context._decodeTokens(
    { sequenceId: id, firstTokenSequenceIndex: m + p, tokens: tokens.slice(), logits: tokens.map(() => false), evaluationPriority: 5, tokenMeter: s._tokenMeter },
    () => undefined,
  ); // X: [m + p, m + p + K)
  const F = m + p + K;
  ctx.shiftSequenceTokenCells(id, m, m + p + K, F - m); // A, X -> [F, F + p + K)
  ctx.shiftSequenceTokenCells(id, 0, m - p, p + K); // B -> [p + K, m + K)
  ctx.shiftSequenceTokenCells(id, F, F + p + K, -F); // A -> [0, p), X -> [p, p + K)
  const old = s._contextTokens.slice(0, m);
  s._contextTokens = [...old.slice(0, p), ...tokens, ...old.slice(p)];
  s._nextTokenIndex = m + K;
  const maxPos = ctx.getSequenceKvCacheMaxPosition(id);
  if (maxPos !== m + K - 1) throw new Error(`insertAdjacent: KV cache max position ${maxPos}, expected ${m + K - 1}`);
}

/** Make `target` hold the first `upTo` cells of `source` (a copy of the KV stream, then a cut). */
export async function copyPrefix(target: LlamaContextSequence, source: LlamaContextSequence, upTo: number): Promise<void> {
  const t = internals(target);
  internals(source);
  if (upTo <= 0) {
    if (target.nextTokenIndex > 0) await target.clearHistory();
    return;
  }
  const ok = await t._copyStateFromOtherSequence(source, upTo);
  if (!ok || target.nextTokenIndex !== upTo) throw new Error(`copyPrefix: copied ${target.nextTokenIndex} cells, expected ${upTo}`);
}

/**
 * Evaluate `last` after the sequence (which must hold the prompt minus its last token) and generate
 * up to maxTokens (greedy unless a temperature is given); the generated cells are erased afterwards (the cell of `last` is kept).
 * stop(tokens) may end generation early.
 */
export async function generateGreedy(
  seq: LlamaContextSequence,
  last: Token,
  maxTokens: number,
  stop?: (generated: readonly Token[]) => boolean,
  signal?: AbortSignal,
  sampling: { temperature?: number; seed?: number } = {},
): Promise<Token[]> {
  const start = seq.nextTokenIndex;
  const out: Token[] = [];
  try {
    if (maxTokens <= 0) return out;
    const temperature = sampling.temperature ?? 0;
    for await (const token of seq.evaluate([last], temperature > 0 ? { temperature, seed: sampling.seed, topK: 40, topP: 0.95 } : { temperature: 0 })) {
      out.push(token);
      if (out.length >= maxTokens || signal?.aborted || stop?.(out)) break;
    }
  } finally {
    if (seq.nextTokenIndex > start + 1) await seq.eraseContextTokenRanges([{ start: start + 1, end: seq.nextTokenIndex }]);
  }
  return out;
}

/** Full logits after `last` (evaluated at the end, then erased again): for checks against recomputation. */
export async function logitsAfter(seq: LlamaContextSequence, last: Token): Promise<Float64Array> {
  const start = seq.nextTokenIndex;
  try {
    const res = await seq.controlledEvaluate([[last, { generateNext: { logits: true } }]]);
    const pairs = res[0]?.next?.logits;
    if (!pairs) throw new Error('no logits returned');
    let size = 0;
    for (const token of pairs.keys()) size = Math.max(size, Number(token) + 1);
    const out = new Float64Array(size);
    for (const [token, value] of pairs) out[Number(token)] = value;
    return out;
  } finally {
    if (seq.nextTokenIndex > start) await seq.eraseContextTokenRanges([{ start, end: seq.nextTokenIndex }]);
  }
}

/**
 * Next-token logits after each of `tokens`, evaluated at the end of the sequence (teacher forcing),
 * one Float32Array per token over the whole vocabulary; the cells are erased again afterwards.
 */
export async function logitsAlong(seq: LlamaContextSequence, tokens: readonly Token[], vocabulary: number): Promise<Float32Array[]> {
  const start = seq.nextTokenIndex;
  try {
    const res = await seq.controlledEvaluate(tokens.map((t) => [t, { generateNext: { logits: true } }] as [Token, { generateNext: { logits: true } }]));
    return res.map((r) => {
      const pairs = r?.next?.logits;
      if (!pairs) throw new Error('no logits returned');
      const out = new Float32Array(vocabulary).fill(-Infinity);
      for (const [token, value] of pairs) out[Number(token)] = value;
      return out;
    });
  } finally {
    if (seq.nextTokenIndex > start) await seq.eraseContextTokenRanges([{ start, end: seq.nextTokenIndex }]);
  }
}
