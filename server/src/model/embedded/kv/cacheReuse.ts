// llama.cpp server's --cache-reuse N (tools/server/server-context.cpp), transcribed onto a sequence
// for kv-bench's 'chunk' baseline: keep the common prefix, then every run of at least N tokens of the
// old prompt found again, in order, in the new one (shifted left to its new place); evaluate the rest.
import type { LlamaContextSequence, Token } from 'node-llama-cpp';
import { appendTokens, eraseRanges } from './llamaKv';

export async function cacheReuse(seq: LlamaContextSequence, old: readonly number[], next: readonly number[], chunkReuseMin: number, batch: number) {
  let nPast = 0;
  while (nPast < old.length && nPast < next.length && old[nPast] === next[nPast]) nPast++;
  const prefix = nPast;
  const keep: { start: number; end: number }[] = [{ start: 0, end: nPast }];
  let headC = nPast;
  let headP = nPast;
  let chunks = 0;
  while (headC < old.length && headP < next.length) {
    let n = 0;
    while (headC + n < old.length && headP + n < next.length && old[headC + n] === next[headP + n]) n++;
    if (n >= chunkReuseMin) {
      keep.push({ start: headC, end: headC + n });
      headC += n;
      headP += n;
      nPast += n;
      chunks++;
    } else headC++;
  }
  // Erase everything not kept (shifting the kept chunks left to their new positions), then evaluate the rest.
  const erase: { start: number; end: number }[] = [];
  let at = 0;
  for (const k of keep) {
    if (k.start > at) erase.push({ start: at, end: k.start });
    at = Math.max(at, k.end);
  }
  if (at < old.length) erase.push({ start: at, end: old.length });
  await eraseRanges(seq, erase);
  await appendTokens(seq, next.slice(nPast) as Token[], batch);
  const erased = erase.reduce((s, r) => s + r.end - r.start, 0);
  /** prefix: the common prefix (cells after it are shifted when chunks > 0); edits: chunks kept. */
  return { prefix, reused: nPast, evaluated: next.length - nPast, erased, edits: chunks };
}
