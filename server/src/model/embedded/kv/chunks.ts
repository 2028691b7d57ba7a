// Text edits -> token edits, without re-tokenizing the whole prompt.
//
// A prompt is a list of segments: special tokens (FIM markers) and text. Each text segment is cut
// into chunks at line starts (after a "\n" that is not followed by another line break) and each
// chunk is tokenized on its own: the first chunk of a segment plainly, the others as a continuation
// after "\n" (tokenize("\n" + chunk) minus the tokens of "\n"), which reproduces what a tokenizer that
// never merges across a line start (SentencePiece with byte tokens for "\n", GPT-style pre-tokenizers
// for "\n" followed by a non-space) produces for the whole text. Whether that holds for a model is
// measured (tokenizationDrift) and reported by `hotpath kv-bench`.
//
// After an edit, the new prompt's chunk list is diffed against the cached one (Myers' O(ND) diff on
// chunk texts): unchanged chunks keep their tokens without calling the tokenizer, changed chunks are
// tokenized, and each hunk becomes one token edit, trimmed to the tokens that really differ. Several
// edits at once (multi-cursor, a cursor jump moving text between prefix and suffix, a sliding window)
// come out as several hunks.

export interface Tokenizer {
  /** Tokens of plain text (no special-token parsing). */
  tokenize(text: string): number[];
}

export type PromptPart = { special: number } | { text: string };

/** Replace old[start, start + deleteCount) by insert. Edits are sorted and never overlap. */
export interface TokenEdit {
  start: number;
  deleteCount: number;
  insert: number[];
}

interface Chunk {
  key: string;
  tokens: number[];
}

/** Split text after each "\n" that is not followed by "\n" or "\r". Joining the chunks gives the text. */
export function splitChunks(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < text.length - 1; i = text.indexOf('\n', i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (next === 10 || next === 13) continue;
    out.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** Tokenizes chunks, caching by chunk text (unchanged lines are never tokenized twice). */
export class ChunkTokenizer {
  private readonly cache = new Map<string, number[]>();
  private readonly newlinePrefix: number[];
  constructor(
    readonly tokenizer: Tokenizer,
    private readonly maxCache = 20000,
  ) {
    this.newlinePrefix = tokenizer.tokenize('\n');
  }

  /** Tokens of a chunk; `continuation`: the chunk follows a line start inside the same text. */
  tokens(chunk: string, continuation: boolean): number[] {
    const key = (continuation ? 'C' : 'F') + chunk;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let out: number[];
    if (continuation && this.newlinePrefix.length > 0) {
      const full = this.tokenizer.tokenize('\n' + chunk);
      const p = this.newlinePrefix;
      let ok = full.length >= p.length;
      for (let i = 0; ok && i < p.length; i++) ok = full[i] === p[i];
      out = ok ? full.slice(p.length) : this.tokenizer.tokenize(chunk);
    } else {
      out = this.tokenizer.tokenize(chunk);
    }
    if (this.cache.size >= this.maxCache) this.cache.clear();
    this.cache.set(key, out);
    return out;
  }

  /** The chunks of a prompt, in order (special tokens are one-token chunks). */
  chunks(parts: readonly PromptPart[]): Chunk[] {
    const out: Chunk[] = [];
    for (const part of parts) {
      if ('special' in part) {
        out.push({ key: `\u0000S${part.special}`, tokens: [part.special] });
        continue;
      }
      const pieces = splitChunks(part.text);
      for (let i = 0; i < pieces.length; i++) {
        const continuation = i > 0;
        out.push({ key: (continuation ? 'C' : 'F') + pieces[i], tokens: this.tokens(pieces[i], continuation) });
      }
    }
    return out;
  }

  /** The whole prompt's tokens, from scratch (the reference the incremental path must equal). */
  promptTokens(parts: readonly PromptPart[]): number[] {
    const out: number[] = [];
    for (const c of this.chunks(parts)) for (const t of c.tokens) out.push(t);
    return out;
  }
}

/** Hunks of a Myers diff of a and b: [aStart, aEnd, bStart, bEnd), in order. undefined if more than maxD edits. */
export function diffHunks(a: readonly string[], b: readonly string[], maxD = 2000): [number, number, number, number][] | undefined {
  // Trim the common prefix and suffix first (the usual case is one small hunk).
  let lo = 0;
  while (lo < a.length && lo < b.length && a[lo] === b[lo]) lo++;
  let ea = a.length;
  let eb = b.length;
  while (ea > lo && eb > lo && a[ea - 1] === b[eb - 1]) {
    ea--;
    eb--;
  }
  const n = ea - lo;
  const m = eb - lo;
  if (n === 0 && m === 0) return [];
  if (n === 0 || m === 0) return [[lo, ea, lo, eb]];
  const max = n + m;
  const limit = Math.min(max, maxD);
  const off = max;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= limit && found < 0; d++) {
    trace.push(v.slice(off - d, off + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[lo + x] === b[lo + y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return undefined;
  // Backtrack from (n, m): each round d made one deletion (x+1) or insertion (y+1) before its snake.
  const ops: { x: number; y: number; del: boolean }[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d]; // v after round d - 1, index k + d
    const k = x - y;
    const down = k === -d || (k !== d && prev[k - 1 + d] < prev[k + 1 + d]);
    const pk = down ? k + 1 : k - 1;
    const px = prev[pk + d];
    const py = px - pk;
    ops.push({ x: px, y: py, del: !down });
    x = px;
    y = py;
  }
  ops.reverse();
  const hunks: [number, number, number, number][] = [];
  for (const op of ops) {
    // del: a[op.x] removed (from (x,y) to (x+1,y)); insert: b[op.y] added (from (x,y) to (x,y+1))
    const aS = lo + op.x;
    const bS = lo + op.y;
    const last = hunks[hunks.length - 1];
    if (last && last[1] === aS && last[3] === bS) {
      if (op.del) last[1]++;
      else last[3]++;
    } else {
      hunks.push(op.del ? [aS, aS + 1, bS, bS] : [aS, aS, bS, bS + 1]);
    }
  }
  return hunks;
}

/** The token sequence of a prompt, kept in step with edits of the prompt. */
export class ChunkedPrompt {
  private chunks: Chunk[] = [];
  private flat: number[] = [];

  constructor(readonly chunker: ChunkTokenizer) {}

  get tokens(): readonly number[] {
    return this.flat;
  }

  /**
   * Move to a new prompt; returns the token edits that turn the old token sequence into the new one
   * (sorted by start in old coordinates, non-overlapping). Afterwards `tokens` equals
   * chunker.promptTokens(parts).
   */
  update(parts: readonly PromptPart[]): TokenEdit[] {
    const next = this.chunker.chunks(parts);
    const oldChunks = this.chunks;
    const hunks = diffHunks(
      oldChunks.map((c) => c.key),
      next.map((c) => c.key),
    ) ?? [[0, oldChunks.length, 0, next.length]];
    // Token offsets of old chunks.
    const oldStart = new Array<number>(oldChunks.length + 1);
    oldStart[0] = 0;
    for (let i = 0; i < oldChunks.length; i++) oldStart[i + 1] = oldStart[i] + oldChunks[i].tokens.length;
    const edits: TokenEdit[] = [];
    for (const [a0, a1, b0, b1] of hunks) {
      const oldTokens = this.flat.slice(oldStart[a0], oldStart[a1]);
      const newTokens: number[] = [];
      for (let j = b0; j < b1; j++) for (const t of next[j].tokens) newTokens.push(t);
      // Trim tokens the hunk shares at both ends (a changed line often keeps most of its tokens).
      let p = 0;
      while (p < oldTokens.length && p < newTokens.length && oldTokens[p] === newTokens[p]) p++;
      let s = 0;
      while (s < oldTokens.length - p && s < newTokens.length - p && oldTokens[oldTokens.length - 1 - s] === newTokens[newTokens.length - 1 - s]) s++;
      const del = oldTokens.length - p - s;
      const ins = newTokens.slice(p, newTokens.length - s);
      if (del === 0 && ins.length === 0) continue;
      edits.push({ start: oldStart[a0] + p, deleteCount: del, insert: ins });
    }
    this.chunks = next;
    this.flat = applyTokenEdits(this.flat, edits);
    return edits;
  }

  /** Forget the cached prompt (the next update is one insertion of everything). */
  reset(): void {
    this.chunks = [];
    this.flat = [];
  }
}

/** Apply sorted, non-overlapping token edits to a token array. */
export function applyTokenEdits(tokens: readonly number[], edits: readonly TokenEdit[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const e of edits) {
    if (e.start < at) throw new Error('token edits overlap or are unsorted');
    for (let i = at; i < e.start; i++) out.push(tokens[i]);
    for (const t of e.insert) out.push(t);
    at = e.start + e.deleteCount;
  }
  for (let i = at; i < tokens.length; i++) out.push(tokens[i]);
  return out;
}

/**
 * How far the chunked tokenization is from tokenizing the whole text at once: the number of tokens
 * that differ (edit distance bound: |a| + |b| - 2 * common), and both lengths.
 */
export function tokenizationDrift(chunker: ChunkTokenizer, text: string): { chunked: number; whole: number; differing: number } {
  const chunked = chunker.promptTokens([{ text }]);
  const whole = chunker.tokenizer.tokenize(text);
  const hunks = diffHunks(chunked.map(String), whole.map(String), 5000);
  let differing = 0;
  if (!hunks) differing = Math.max(chunked.length, whole.length);
  else for (const [a0, a1, b0, b1] of hunks) differing += Math.max(a1 - a0, b1 - b0);
  return { chunked: chunked.length, whole: whole.length, differing };
}

/** Each edit extended by the n old tokens after it (not into the next edit): deleted and inserted again, so re-evaluated. */
export function refreshAfter(edits: readonly TokenEdit[], old: readonly number[], n: number): TokenEdit[] {
  return edits.map((e, i) => {
    const from = e.start + e.deleteCount;
    const to = Math.min(i + 1 < edits.length ? edits[i + 1].start : old.length, from + n);
    return { start: e.start, deleteCount: e.deleteCount + (to - from), insert: [...e.insert, ...old.slice(from, to)] };
  });
}
