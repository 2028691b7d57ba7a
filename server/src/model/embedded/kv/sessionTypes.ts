// The options and results of an edit-aware KV session (session.ts, which re-exports them).
import type { LayoutKind } from './layout';

export type ReuseStrategy = 'full' | 'prefix' | 'chunk' | 'hotpath';

export interface KvSessionOptions {
  strategy?: ReuseStrategy;
  /** 'chunk': the smallest moved run of tokens worth keeping (llama.cpp --cache-reuse N; llama.vscode suggests 256). */
  chunkReuseMin?: number;
  /** 'hotpath': re-encode when an edit would evaluate more than this fraction of the prompt (default 0.5). */
  maxEditFraction?: number;
  /** Tokens recomputed per repair step (default 256). */
  repairChunk?: number;
  /** Tokens per evaluation batch (default 512). */
  batch?: number;
  /** 'hotpath': after an edit that leaves stale cells (not one at the end), recompute the last N
   *  cells of the prompt (the ones next to the generation point) against the edited text (default 0). */
  refreshTail?: number;
  /** 'hotpath': also re-evaluate the N cached tokens right after each edit, with the inserted ones
   *  (default 0; like the inserted tokens, they are decoded after the old text and moved into place). */
  refreshAfterEdit?: number;
  /** 'hotpath': where inserted tokens are decoded before being moved into place: 'end' (after the
   *  whole old sequence; default) or 'adjacent' (right after the text before them, the text after
   *  them moved to the distant past meanwhile; measured no better, and slower: docs/completion.md)
   *  or 'gap' (not decoded at all: the inserted tokens get their positions but no cells until a
   *  recomputation covers them, the tail refresh, the repair or a later cut; later cells shifted as
   *  with 'end'). 'gap' evaluates nothing approximate but the tail: with refreshTail 0 the foreground
   *  plus the exact repair is prefix reuse's work, not more (bench/kv.md round 10). */
  insertMode?: 'adjacent' | 'end' | 'gap';
  /** insertMode 'gap': only inserted groups of at most this many tokens are left as gaps (a rename's
   *  occurrences, a few typed characters); a larger group (a paste) is decoded as insertMode 'end'
   *  decodes it, after insertContext copied tokens, so that it is seen before repair (default: no
   *  limit, every group a gap; llamaKv.ts insertGroupsOrGaps, bench/kv.md round 11). */
  gapMax?: number;
  /** 'hotpath' with insertMode 'end' (or 'gap', for groups over gapMax): decode each inserted group right after a copy of the N cached
   *  tokens before its insertion point (erased again), so that the group's left neighbours, not the
   *  end of the prompt or the previous group, are its most recent context (default 0). Costs N
   *  tokens per group; nothing is moved more than at N = 0. */
  insertContext?: number;
  /** 'hotpath': recompute every cell after the first stale cell or edit, as prefix reuse does, when
   *  they are at most this fraction of the prompt or no more tokens than the approximation would
   *  evaluate (the inserted tokens plus refreshTail): exact, nothing to repair. Else recompute from
   *  the first edit when that costs no more than the approximation. Else shift (default 0: always shift). */
  exactWithin?: number;
  /** Batch-invariant layout (layout.ts): decode every prompt in the batches [kB, (k+1)B) up to its
   *  last token, that token alone, and cut the cache back to such a batch boundary before
   *  recomputing; then whatever is recomputed equals a full recomputation in this layout bit for bit
   *  (0: off, the batches of `batch` tokens from wherever the recomputation starts). For 'full',
   *  'prefix' and 'hotpath' (not 'chunk', a transcription of llama.cpp's server). */
  align?: number;
  /** Which batch-invariant layout `align` uses (layout.ts): 'tail' (default), 'grid' (round 4), 'vec' or
   *  'anchored' (the tiled/vec boundary fixed by the session, not by the prompt's length). */
  layout?: LayoutKind;
  /** 'anchored' layout: take the anchor from here instead of choosing it (null: choose), e.g. a full
   *  recomputation with another session's anchor, the reference kv-bench compares the editor's with. */
  anchorOf?: () => number | null;
  /** Whether a token decoded alone gets a vec batch's cells (layout.ts Layout.oneThread). Default:
   *  decided from the engine (llamaKv.ts loneTokenLayout: the context's threads, the model's weight
   *  types, the CPU backend's features); false keeps such tokens out of vec regions (never wrong). */
  oneThread?: boolean;
}

export interface SyncStats {
  strategy: ReuseStrategy;
  /** Prompt tokens now cached. */
  tokens: number;
  /** Cells kept (not recomputed) / tokens evaluated / cells erased by this sync. */
  reused: number;
  evaluated: number;
  erased: number;
  /** Token edits applied (hotpath) or reused chunks (chunk). */
  edits: number;
  /** Cells that are approximate until repaired. */
  stale: number;
  /** True when the whole prompt was evaluated (first sync, 'full', or an edit too large to reuse). */
  reencoded: boolean;
  ms: number;
  /** Why this session reuses only the common prefix although edit-aware reuse was asked for. */
  fallback?: string;
}

export interface RepairResult {
  /** Tokens recomputed by this call. */
  repaired: number;
  /** Stale cells left. */
  stale: number;
  done: boolean;
  /** Stopped early because foreground work was waiting or the signal was aborted. */
  yielded: boolean;
  ms: number;
}

export interface CompleteResult {
  tokens: number[];
  /** Tokens evaluated: the prompt's last token plus the generated ones. */
  evaluated: number;
  ms: number;
}

export interface SessionStatus {
  strategy: ReuseStrategy;
  tokens: number;
  stale: number;
  exact: number;
  repairFrontier: number | null;
  /** The 'anchored' layout's boundary: tokens below it are decoded tiled (layout.ts), else null. */
  anchor: number | null;
  totals: { evaluated: number; reused: number; repaired: number; syncs: number; reencodes: number };
}
