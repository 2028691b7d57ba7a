// The batch-invariant evaluation layout of an edit-aware session (KvSessionOptions.align).
//
// llama.cpp's result for a token depends on the batch it was decoded in, not only on the tokens
// before it: the same cells computed in other batches differ by float noise (on SmolLM2 Q4_1, CPU,
// prefix reuse's next-token logits differ from a full recomputation's by up to 0.5, and greedy
// continuations part within 16 tokens in 12-25% of requests). So prefix reuse, as every engine does
// it, is not full recomputation, and a reference computed in other batches cannot tell an
// approximation from noise.
//
// The aligned layout fixes the batches by position: a prompt of n tokens is decoded in the batches
// [kB, (k+1)B) up to n - 1, then its last token alone (the batch complete() and probes decode it in
// anyway). A token's batch then depends only on its position and the prompt's length, so a cache
// cut back to a batch boundary and completed in the same layout holds exactly the cells of a full
// recomputation in that layout (checked bit for bit on SmolLM2: test/real/kv.real.test.ts). The
// price: the cut goes back to the boundary at or below the first changed token and at or below the
// start of the old prompt's last partial batch, at most B tokens more than prefix reuse per edit (B - 1 unless the old prompt
// ended right after a batch boundary).

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
