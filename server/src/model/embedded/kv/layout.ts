// The batch-invariant evaluation layouts of an edit-aware session (KvSessionOptions.align, .layout).
//
// llama.cpp's result for a token depends on the batch it was decoded in, not only on the tokens
// before it: the same cells computed in other batches differ by float noise (on SmolLM2 Q4_1, CPU,
// prefix reuse's next-token logits differ from a full recomputation's by up to 0.5, and greedy
// continuations part within 16 tokens in 12-25% of requests). So prefix reuse, as every engine does
// it, is not full recomputation, and a reference computed in other batches cannot tell an
// approximation from noise.
//
// What exactly depends on the batch (llama.cpp CPU backend as bundled with node-llama-cpp 3.22,
// ggml-cpu/ops.cpp ggml_compute_forward_flash_attn_ext_f16; flash attention is on, node-llama-cpp's
// "auto"): only the attention kernel, chosen by the number of tokens in the batch. A batch of at
// least 64 tokens (GGML_FA_TILE_Q) takes the tiled kernel (F32 accumulation, softmax per 64-cell
// tile), a smaller one the per-row kernel (F16 accumulation, cell by cell), and a single token with
// at least 512 cells before it the split-KV kernel (per thread chunk; with one thread it computes
// what the per-row kernel does). Within one kernel a row's result does not depend on the other rows
// of its batch, nor on the batch's length (masked cells are skipped or add exact zeros), and the
// weight matrices (Q4_1/Q8_0 dot products per row) do not depend on the batch at all. So a token's
// cells are a function of the cells before it and its batch's class: 'tiled' (>= 64 tokens), 'vec'
// (2-63 tokens) or 'alone' (one token: the split-KV kernel, and for weights llama.cpp's sgemm takes
// (F16/F32/Q8_0/Q4_0) the other matmul kernel, llamafile_sgemm serving only batches of >= 2 tokens;
// with one thread and Q4_1 weights it computes what 'vec' does, Layout.oneThread). Checked on SmolLM2 (bench/kv.md, round 5): any batch sizes of
// 2-63 give the same logits bit for bit, any of >= 64 the same, and the two classes differ by 0.43.
//
// The layouts fix each token's class by its position and the prompt's length n: tokens below
// A = alignDown(n - 1, B) are 'tiled', the rest up to n - 1 one 'vec' batch ('alone' if it is one
// token), the last token alone (the batch complete() and probes decode it in anyway). B = 64 is the
// tiled kernel's threshold. Layouts differ in where a cache is cut back and how it is decoded:
//   'grid'  batches [kB, (k+1)B) and a cut back to the batch boundary at or below the first change
//           and the old prompt's last partial batch (round 4): up to B tokens per edit more than
//           prefix reuse.
//   'tail'  the same classes, cut back only as far as needed: to the first changed token or the
//           first token whose class changes with the prompt's length (the vec tail becomes tiled
//           when the prompt grows past a multiple of B), and far enough that every tiled batch
//           decoded has at least B tokens; tiled tokens in batches of up to `max` tokens.
//   'vec'   every token but the last in batches of 2..B-1 tokens (all 'vec'): a cut at the first
//           changed token (one before when only one token would be left for a batch), so exactly
//           prefix reuse's tokens, but the per-row kernel is slower on long batches.
//   'anchored'  the boundary between tiled and vec tokens is a position the session fixes (Layout.at,
//           chosen by anchorAfter) instead of the prompt's length: tokens below it tiled, the rest up
//           to the last token vec, in batches of 2..B-1. Typing past a multiple of B changes no class
//           (the tail layout decodes its vec tail again, tiled), so a change at or above the anchor
//           costs prefix reuse's tokens; a change below it moves the anchor to the new prompt's last
//           token (everything recomputed tiled, as prefix reuse's batches of >= B tokens are), or to
//           the change itself when fewer than B tokens are recomputed. The anchor follows from the
//           prompts alone (their common prefix), so sessions that saw the same prompts share it; the
//           cells are a full recomputation's with that anchor, not the tail layout's.
// Within a layout, a cache cut where the layout says and completed in it holds exactly the cells of a
// full recomputation in that layout; 'grid' and 'tail' have the same classes, so the same cells.

export const LAYOUT_KINDS = ['grid', 'tail', 'vec', 'anchored'] as const;
export type LayoutKind = (typeof LAYOUT_KINDS)[number];
export type BatchClass = 'tiled' | 'vec' | 'alone';

/** A layout: its kind, B, the largest batch, and whether a batch of one token is 'vec' (true only with
 *  one thread and weights llama.cpp's sgemm does not take, such as Q4_1: with F16/F32/Q8_0/Q4_0 a lone
 *  token also takes another matmul kernel, llamafile_sgemm serving only batches of >= 2 tokens). */
export interface Layout {
  kind: LayoutKind;
  b: number;
  max: number;
  oneThread: boolean;
  /** 'anchored': the first token that is not tiled (0, or at least b; anchorAfter chooses it). */
  at?: number;
}

/** The class of a batch of `size` tokens. */
export function batchClass(size: number, l: Pick<Layout, 'b' | 'oneThread'>): BatchClass {
  return size >= l.b ? 'tiled' : size >= 2 || l.oneThread ? 'vec' : 'alone';
}

/** The largest multiple of b at or below x (b > 0). */
export function alignDown(x: number, b: number): number {
  return Math.floor(Math.max(0, x) / b) * b;
}

/**
 * Where to cut a cache holding `oldLength` tokens in the aligned layout, when the new prompt has
 * `newLength` tokens and agrees with the old one on its first `common` tokens: the cells before the
 * returned index are batches that the new prompt's layout decodes identically (full batches before
 * the first change that are also full batches of both prompts). `common` = newLength = oldLength
 * (nothing changed) keeps everything.
 */
export function alignedCut(common: number, oldLength: number, newLength: number, b: number): number {
  if (common >= oldLength && oldLength === newLength) return oldLength;
  return Math.min(alignDown(common, b), alignDown(oldLength - 1, b), alignDown(newLength - 1, b));
}

/**
 * The batches in which the tokens [from, to) of a prompt of `length` tokens are decoded in the
 * aligned layout: split at multiples of b below length - 1, the last token alone. `from` must be a
 * batch start of that layout (a multiple of b, or length - 1) and `to` a batch end (a multiple of
 * b up to length - 1, or length): anything else would decode a batch the layout does not have.
 */
export function alignedBatches(from: number, to: number, length: number, b: number): { start: number; end: number }[] {
  const last = length - 1;
  const boundary = (x: number) => x === last || x === length || (x % b === 0 && x <= last);
  if (from > to || to > length || !boundary(from) || !boundary(to)) throw new Error(`alignedBatches: [${from}, ${to}) is not a run of batches of the aligned layout (${length} tokens, batch ${b})`);
  const out: { start: number; end: number }[] = [];
  for (let s = from; s < to; ) {
    const e = s >= last ? length : Math.min(last, alignDown(s, b) + b);
    out.push({ start: s, end: e });
    s = e;
  }
  return out;
}

/** The first token of a prompt of n tokens that is not tiled: the tiled tokens are [0, tiledEnd). */
export function tiledEnd(l: Layout, n: number): number {
  if (l.kind === 'vec') return 0;
  if (l.kind === 'anchored') return Math.min(l.at ?? 0, Math.max(0, n - 1));
  return alignDown(n - 1, l.b);
}

/** The class of the batch token t is decoded in, in a prompt of n tokens (t < n). */
export function tokenClass(l: Layout, t: number, n: number): BatchClass {
  if (t >= n - 1) return batchClass(1, l);
  const a = tiledEnd(l, n);
  return t < a ? 'tiled' : batchClass(n - 1 - a, { ...l, b: Infinity });
}

/** The first position below both prompts' last tokens whose class differs between a prompt of
 *  `oldLength` tokens decoded in `before` and one of `newLength` tokens in `l` (classes only change
 *  at 0 and the tiled regions' ends), or min(oldLength, newLength) when none does (the last tokens
 *  are the caller's: layoutCut). */
export function firstClassChange(l: Layout, oldLength: number, newLength: number, before: Layout = l): number {
  const upTo = Math.max(0, Math.min(oldLength, newLength) - 1);
  const points = [0, tiledEnd(before, oldLength), tiledEnd(l, newLength)].filter((p) => p < upTo).sort((x, y) => x - y);
  for (const p of points) if (tokenClass(before, p, oldLength) !== tokenClass(l, p, newLength)) return p;
  return Math.min(oldLength, newLength);
}

/**
 * 'anchored': the layout for a new prompt of `newLength` tokens when the cache is to keep its first
 * `keep` tokens (the first changed token, or the old last one): the anchor stays while the change is
 * at or above it (keep > 0), unless b tokens or more follow the change and the per-row tokens between
 * the anchor and the change are no more: then it moves to the last token (those few decoded again,
 * so that the many are tiled, as prefix reuse's batch would be); for a change below it, it moves to
 * the new prompt's last token (the tokens from `keep` decoded tiled), or to `keep` itself when fewer
 * than b tokens follow it (keep >= b; they are vec).
 * Other layouts are returned as they are (their classes follow the prompt's length).
 */
export function anchorAfter(l: Layout, keep: number, newLength: number): Layout {
  if (l.kind !== 'anchored') return l;
  const last = Math.max(0, newLength - 1);
  const at = l.at ?? 0;
  const k = Math.max(0, keep);
  if (keep > 0 && keep >= at && at <= last && (at > 0 || alignDown(last, l.b) < l.b)) {
    // b tokens or more to decode after the change (a jump forward, a long paste): to the last token
    // tiled too, from the anchor on, when the per-row tokens decoded again are no more than those
    return last - k >= l.b && k - at <= last - k ? { ...l, at: last } : l;
  }
  return { ...l, at: last - k >= l.b ? last : k >= l.b ? k : last >= l.b ? last : 0 };
}

/** The largest position at or below p from which tokens [p, length) can be decoded in the layout
 *  (every batch of its class: tiled ones of at least b tokens, vec ones of at least 2). */
export function restartAt(l: Layout, p: number, length: number): number {
  const { kind, b } = l;
  if (p <= 0 || p >= length - 1) return Math.max(0, p);
  if (kind === 'grid') return Math.min(alignDown(p, b), alignDown(length - 1, b));
  const a = tiledEnd(l, length);
  if (p < a) return a - p < b ? Math.max(0, a - b) : p;
  // a run of one token before the last would be decoded alone
  return !l.oneThread && length - 1 - p === 1 && length - 1 - a >= 2 ? p - 1 : p;
}

/**
 * Where to cut a cache holding `oldLength` tokens (decoded in the layout) when the new prompt of
 * `newLength` tokens agrees with the old one on its first `common` tokens: every kept cell was
 * decoded in the class the new prompt's layout gives it, and the rest can be decoded in the layout.
 * `common` = newLength = oldLength (nothing changed) keeps everything.
 */
export function layoutCut(l: Layout, common: number, oldLength: number, newLength: number, before: Layout = l): number {
  if (l.kind === 'grid') return alignedCut(common, oldLength, newLength, l.b);
  if (common >= oldLength && oldLength === newLength && tiledEnd(before, oldLength) === tiledEnd(l, newLength)) return oldLength;
  // the old last token was decoded alone: kept only where that is its class in the new prompt too
  const lastKept = tokenClass(before, oldLength - 1, oldLength) === tokenClass(l, oldLength - 1, newLength) ? oldLength : oldLength - 1;
  const keep = Math.min(common, lastKept, newLength - 1, firstClassChange(l, oldLength, newLength, before));
  return restartAt(l, keep, newLength);
}

/**
 * The batches in which tokens [from, to) of a prompt of `length` tokens are decoded in the layout
 * (at most `max` tokens each). `from` must be a restart point (restartAt) and `to` the end of a
 * class region's batch run: for 'tail' a position up to the tiled region's end leaving at least b
 * tokens before it, that end, length - 1 or length; for 'vec' a position leaving at least 2 tokens
 * before length - 1, length - 1 or length.
 */
export function layoutBatches(l: Layout, from: number, to: number, length: number): { start: number; end: number }[] {
  const { kind, b, max } = l;
  if (kind === 'grid') return alignedBatches(from, to, length, b);
  const bad = () => new Error(`layoutBatches: [${from}, ${to}) is not a run of batches of the ${kind} layout (${length} tokens, batch ${b})`);
  const last = length - 1;
  if (from > to || to > length || from < 0) throw bad();
  const out: { start: number; end: number }[] = [];
  const split = (s: number, e: number, parts: number) => {
    for (let k = 0; k < parts; k++) out.push({ start: s + Math.floor(((e - s) * k) / parts), end: s + Math.floor(((e - s) * (k + 1)) / parts) });
  };
  const a = tiledEnd(l, length);
  const te = Math.min(to, a);
  if (from < te) {
    if (te - from < b) throw bad();
    // batches of at most max tokens, none below b (max >= 2b - 1 makes both possible)
    split(from, te, Math.max(1, Math.min(Math.ceil((te - from) / max), Math.floor((te - from) / b))));
  }
  const vs = Math.max(from, a);
  const ve = Math.min(to, last);
  if (vs < ve) {
    const size = kind === 'tail' ? b : Math.max(2, Math.min(b - 1, max)); // a tail run is one batch (< b tokens)
    const whole = last - a;
    // a vec run must not leave a single token for a batch (it would be decoded 'alone')
    if ((!l.oneThread && ((ve - vs === 1 && whole !== 1) || (ve < last && last - ve === 1))) || (kind === 'tail' && ve !== last)) throw bad();
    split(vs, ve, Math.max(1, Math.min(Math.ceil((ve - vs) / size), Math.floor((ve - vs) / 2)))); // none below 2 (b >= 4)
  }
  if (to === length && from < length) out.push({ start: last, end: length });
  return out;
}

/** Where a repair step from `from` (a restart point) may stop, about `chunk` tokens on: a run of whole
 *  batches of their class (layoutBatches accepts [from, end)), or length. A step is at least one
 *  batch of its class, whatever `chunk` asks (b tokens tiled, 2 vec): a smaller one could not be decoded
 *  in its class (KvSessionOptions.repairChunk comes from settings). */
export function chunkEnd(l: Layout, from: number, length: number, requested: number): number {
  const { kind, b } = l;
  const chunk = Math.max(requested, kind === 'vec' ? 2 : b);
  if (length - from <= chunk) return length;
  if (kind === 'grid') {
    const to = Math.min(alignDown(length - 1, b), Math.max(from + b, alignDown(from + chunk, b)));
    return to <= from ? length : to;
  }
  const a = tiledEnd(l, length);
  if (from < a) return a - from <= chunk + b ? a : from + chunk;
  if (kind === 'tail') return length;
  return length - from <= chunk + 2 ? length : from + chunk;
}
