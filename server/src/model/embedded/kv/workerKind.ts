// The 'hotpath-kv' session kind: an edit-aware KV session hosted by the engine worker, next to the
// model. The server opens one per document (engine.openSession({ kind: 'hotpath-kv' })) and calls:
//   sync     {segments: PromptSegment[]}                  -> SyncStats
//   complete {maxTokens, temperature?, seed?, stop?: string[]} -> {text, tokens, evaluated, ms, stopReason}
//   repair   {maxTokens?, dutyCycle?}                     -> RepairResult (cancelled through the call's signal)
//   status   {}                                           -> SessionStatus
// All arguments and results are JSON.
import type { Token } from 'node-llama-cpp';
import type { PromptSegment } from '../../fim';
import type { WorkerSession, WorkerSessionFactory, WorkerSessionHost } from '../workerApi';
import type { PromptPart } from './chunks';
import { LAYOUT_KINDS } from './layout';
import { KvSession, type KvSessionOptions } from './session';

export const KV_SESSION_KIND = 'hotpath-kv';

/** How background repair may use the machine: it computes at most half of the time (after each
 *  chunk it rests as long as the chunk took), with the context's threads (the engine's `threads`
 *  setting); kv-bench reports its CPU seconds per minute of editing. */
export const BACKGROUND_REPAIR = { dutyCycle: 0.5 } as const;

/** How the editor's sessions approximate (kv-bench's `hotpath` row measures exactly this): an edit
 *  whose stale cells are at most a quarter of the prompt, or fewer than the approximation would
 *  evaluate, is recomputed exactly like prefix reuse (nothing to repair); a larger one is shifted
 *  and the last 256 cells, next to the generation point, are recomputed against the edited text.
 *  On SmolLM2 pure shifting, and exact recomputation up to 10% only, left a multi-cursor rename's old
 *  name in the shifted cells and the next tokens off full recomputation (bench/kv.md, round 3).
 *  Prompts are decoded in a batch-invariant layout (layout.ts 'anchored': each token's batch class,
 *  tiled or per-row attention, fixed by its position and the session's anchor, which only a change
 *  below it moves): what is recomputed, and a finished repair, equal a full recomputation in that
 *  layout bit for bit, where prefix reuse in llama.cpp's usual batches differs from it by float noise
 *  (bench/kv.md, rounds 4-6). It costs more than prefix reuse only by the old last token (decoded
 *  alone) and, once in a while, one more (round 5's 'tail' layout decoded the last partial block of
 *  64 tokens again whenever the prompt grew past it: 1.058x prefix reuse's tokens on the 8k session).
 *  When it shifts, each inserted group (a renamed occurrence) is decoded after a copy of the 4 tokens
 *  before it (insertContext): decoded right after the prompt's end instead, the new cells read as a
 *  continuation of the cursor's line, and the next token at the cursor followed them (round 9: the
 *  first greedy token lost at the far edits of bench/kv.md's round 9 diagnosis, with every other
 *  cell exact; 4 tokens more per occurrence). */
export const EDIT_AWARE: Pick<KvSessionOptions, 'refreshTail' | 'exactWithin' | 'align' | 'layout' | 'insertContext'> = { refreshTail: 256, exactWithin: 0.25, align: 64, layout: 'anchored', insertContext: 4 };

function asObject(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

/** Prompt segments as session parts: special segments must be single tokens of the model. */
export function segmentsToParts(segments: readonly PromptSegment[], special: (text: string) => number): PromptPart[] {
  const parts: PromptPart[] = [];
  for (const s of segments) {
    if (s && typeof (s as { special?: unknown }).special === 'string') parts.push({ special: special((s as { special: string }).special) });
    else if (s && typeof (s as { text?: unknown }).text === 'string' && (s as { text: string }).text) parts.push({ text: (s as { text: string }).text });
  }
  return parts;
}

function toParts(host: WorkerSessionHost, segments: unknown): PromptPart[] {
  if (!Array.isArray(segments)) throw Object.assign(new Error('sync needs segments'), { code: 'badRequest' });
  return segmentsToParts(segments as PromptSegment[], (text) => {
    const ids = host.tokenize(text, true);
    if (ids.length !== 1) throw Object.assign(new Error(`${text} is not a single token of this model`), { code: 'unsupported' });
    return ids[0];
  });
}

export function createKvWorkerSession(host: WorkerSessionHost, options: unknown): WorkerSession {
  const o = asObject(options);
  const sessionOptions: KvSessionOptions = {
    strategy: o.strategy === 'prefix' || o.strategy === 'full' || o.strategy === 'chunk' ? o.strategy : 'hotpath',
    maxEditFraction: typeof o.maxEditFraction === 'number' ? o.maxEditFraction : undefined,
    repairChunk: typeof o.repairChunk === 'number' ? o.repairChunk : undefined,
    refreshTail: typeof o.refreshTail === 'number' ? o.refreshTail : EDIT_AWARE.refreshTail,
    exactWithin: typeof o.exactWithin === 'number' ? o.exactWithin : EDIT_AWARE.exactWithin,
    align: typeof o.align === 'number' ? o.align : EDIT_AWARE.align,
    layout: LAYOUT_KINDS.find((kind) => kind === o.layout) ?? EDIT_AWARE.layout,
    insertContext: typeof o.insertContext === 'number' ? o.insertContext : EDIT_AWARE.insertContext,
    batch: host.context.batchSize,
  };
  let scratch;
  try {
    scratch = host.context.getSequence();
  } catch {
    scratch = undefined; // one sequence only: repair recomputes in place
  }
  const session = new KvSession(host.sequence, scratch, { tokenize: (t) => (t ? host.tokenize(t, false) : []) }, sessionOptions);
  return {
    tokens: () => session.tokens.slice() as Token[],
    dispose: () => session.dispose(),
    async call(method, args, io) {
      const a = asObject(args);
      switch (method) {
        case 'sync': {
          const st = await session.sync(toParts(host, a.segments), io.signal);
          host.count({ evaluated: st.evaluated, reused: st.reused, promptMs: st.ms });
          return st;
        }
        case 'complete': {
          const stops = Array.isArray(a.stop) ? (a.stop as unknown[]).filter((s): s is string => typeof s === 'string' && s.length > 0) : [];
          const stopIds = new Set<number>();
          for (const s of stops) {
            try {
              const ids = host.tokenize(s, true);
              if (ids.length === 1) stopIds.add(ids[0]);
            } catch {
              /* not a token of this model */
            }
          }
          const state: { stopReason: 'maxTokens' | 'eog' | 'stop' | 'aborted' } = { stopReason: 'maxTokens' };
          const maxTokens = Math.max(1, Math.min(512, Number(a.maxTokens) || 64));
          const r = await session.complete(
            {
              maxTokens,
              temperature: typeof a.temperature === 'number' ? a.temperature : 0,
              seed: typeof a.seed === 'number' ? a.seed : undefined,
              stop: (gen) => {
                const last = gen[gen.length - 1];
                if (host.model.isEogToken(last as Token) || stopIds.has(last)) {
                  state.stopReason = 'eog';
                  return true;
                }
                return false;
              },
            },
            io.signal,
          );
          let tokens = r.tokens;
          if (state.stopReason === 'eog') tokens = tokens.slice(0, -1);
          let text = host.detokenize(tokens as Token[], false);
          for (const s of stops) {
            const at = text.indexOf(s);
            if (at >= 0) {
              text = text.slice(0, at);
              state.stopReason = 'stop';
            }
          }
          if (io.signal.aborted) state.stopReason = 'aborted';
          host.count({ generated: r.tokens.length, generationMs: r.ms });
          return { text, tokens, evaluated: r.evaluated, ms: r.ms, stopReason: state.stopReason };
        }
        case 'repair': {
          const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
          const r = await session.repair({ maxTokens: n(a.maxTokens), dutyCycle: n(a.dutyCycle) }, io.signal);
          if (r.repaired) host.count({ evaluated: r.repaired });
          return r;
        }
        case 'status':
          return session.status();
        default:
          throw Object.assign(new Error(`unknown method ${method}`), { code: 'unsupported' });
      }
    },
  };
}

export const kvSessionFactory: WorkerSessionFactory = {
  sequences: 2,
  create: createKvWorkerSession,
};
