// The built-in 'plain' session kind, run inside the engine worker: a context sequence that keeps
// the longest common prefix of consecutive prompts (the cached KV cells) and evaluates the rest.
// syncSequence and generateOnSequence are exported for other session kinds (the edit-aware KV
// cache) to reuse once they have arranged the cache their own way.
import type { LlamaContextSequence, Token } from 'node-llama-cpp';
import type { GenerateOptions, GenerationResult, StopReason } from '../engine';
import type { WorkerCallIO, WorkerSession, WorkerSessionFactory, WorkerSessionHost } from './workerApi';

export class AbortedError extends Error {
  readonly code = 'aborted';
  constructor() {
    super('cancelled');
  }
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortedError();
}

/** Evaluate tokens in batch-sized slices, checking for cancellation between slices. */
export async function evaluateChunked(host: WorkerSessionHost, seq: LlamaContextSequence, tokens: Token[], signal?: AbortSignal): Promise<void> {
  const step = Math.max(32, host.context.batchSize);
  for (let i = 0; i < tokens.length; i += step) {
    checkAbort(signal);
    await seq.evaluateWithoutGeneratingNewTokens(tokens.slice(i, i + step));
  }
}

/** Length of the common prefix of the sequence's cached tokens and `tokens`. */
export function commonPrefix(cached: readonly number[], tokens: readonly number[]): number {
  const n = Math.min(cached.length, tokens.length);
  let i = 0;
  while (i < n && cached[i] === tokens[i]) i++;
  return i;
}

/** Make the sequence hold tokens[0 .. keepAtMost) exactly: erase the divergent tail, evaluate the rest. */
export async function syncSequence(
  host: WorkerSessionHost,
  seq: LlamaContextSequence,
  tokens: Token[],
  signal?: AbortSignal,
): Promise<{ reused: number; evaluated: number; ms: number }> {
  const t0 = performance.now();
  if (tokens.length > seq.contextSize) throw Object.assign(new Error(`prompt of ${tokens.length} tokens exceeds the context size ${seq.contextSize}`), { code: 'contextFull' });
  const keep = commonPrefix(seq.contextTokens, tokens);
  if (keep < seq.nextTokenIndex) await seq.eraseContextTokenRanges([{ start: keep, end: seq.nextTokenIndex }]);
  await evaluateChunked(host, seq, tokens.slice(keep), signal);
  const ms = performance.now() - t0;
  host.count({ reused: keep, evaluated: tokens.length - keep, promptMs: ms });
  return { reused: keep, evaluated: tokens.length - keep, ms };
}

/** Longest suffix of `text` that is a proper prefix of a stop string (held back while streaming). */
function heldBack(text: string, stops: readonly string[]): number {
  let hold = 0;
  for (const s of stops) {
    for (let k = Math.min(s.length - 1, text.length); k > hold; k--) {
      if (text.endsWith(s.slice(0, k))) {
        hold = k;
        break;
      }
    }
  }
  return hold;
}

/** Generate after `prompt` on the sequence, reusing its cached prefix. Streams chunks through emit. */
export async function generateOnSequence(
  host: WorkerSessionHost,
  seq: LlamaContextSequence,
  prompt: Token[],
  options: Omit<GenerateOptions, 'prompt' | 'special'>,
  io: WorkerCallIO,
): Promise<GenerationResult> {
  const t0 = performance.now();
  if (prompt.length === 0) throw new Error('empty prompt');
  if (prompt.length >= seq.contextSize) throw Object.assign(new Error(`prompt of ${prompt.length} tokens does not fit the context size ${seq.contextSize}`), { code: 'contextFull' });
  // Keep the common prefix, but always evaluate the last prompt token: its logits pick the first new token.
  const keep = Math.min(commonPrefix(seq.contextTokens, prompt), prompt.length - 1);
  if (keep < seq.nextTokenIndex) await seq.eraseContextTokenRanges([{ start: keep, end: seq.nextTokenIndex }]);
  // The tail goes to evaluate() in one piece with the last token (as an application using
  // node-llama-cpp directly would: one decode, not an extra weight pass for the last token); only a
  // tail longer than a batch is evaluated before, in batch slices that can be cancelled.
  const tail = prompt.slice(keep);
  const head = Math.max(0, tail.length - Math.max(1, host.context.batchSize));
  await evaluateChunked(host, seq, tail.slice(0, head), io.signal);
  const stops = (options.stop ?? []).filter((s) => s.length > 0);
  const stopTokens = new Set(options.stopTokens ?? []);
  const generated: Token[] = [];
  let text = '';
  let sent = 0;
  let stopReason: StopReason = 'maxTokens';
  let tFirst = 0;
  const maxTokens = Math.max(0, options.maxTokens);
  if (maxTokens === 0) await evaluateChunked(host, seq, tail.slice(head), io.signal);
  else {
    const it = seq.evaluate(tail.slice(head), {
      temperature: options.temperature ?? 0,
      topK: options.topK,
      topP: options.topP,
      seed: options.seed,
      yieldEogToken: true,
    });
    try {
      for await (const token of it) {
        if (!tFirst) tFirst = performance.now();
        if (io.signal.aborted) {
          stopReason = 'aborted';
          break;
        }
        if (host.model.isEogToken(token) || stopTokens.has(token)) {
          stopReason = 'eog';
          break;
        }
        generated.push(token);
        text = host.model.detokenize(generated, false);
        const hit = stops.map((s) => text.indexOf(s, Math.max(0, sent - s.length))).filter((i) => i >= 0);
        if (hit.length) {
          text = text.slice(0, Math.min(...hit));
          stopReason = 'stop';
          break;
        }
        // Stream what is settled: not an incomplete UTF-8 character, not the start of a stop string.
        let end = text.length - heldBack(text, stops);
        while (end > sent && text.charCodeAt(end - 1) === 0xfffd) end--;
        // One event per token (text may be empty while a character or a stop string is incomplete):
        // the caller sees the first token when it is made.
        io.emit({ text: end > sent ? text.slice(sent, end) : '', tokens: [token] });
        if (end > sent) sent = end;
        if (generated.length >= maxTokens) break;
        if (seq.nextTokenIndex >= seq.contextSize - 1) {
          stopReason = 'contextFull';
          break;
        }
      }
    } finally {
      await it.return?.();
    }
  }
  if (text.length > sent && stopReason !== 'aborted') io.emit({ text: text.slice(sent), tokens: [] });
  const tEnd = performance.now();
  const first = tFirst || tEnd;
  const result: GenerationResult = {
    text: stopReason === 'aborted' ? text.slice(0, sent) : text,
    tokens: generated,
    stopReason,
    promptTokens: prompt.length,
    reusedTokens: keep,
    evaluatedTokens: prompt.length - keep,
    timeToFirstTokenMs: first - t0,
    promptMs: first - t0,
    generationMs: tEnd - first,
  };
  host.count({
    reused: keep,
    evaluated: prompt.length - keep,
    generated: generated.length,
    timeToFirstTokenMs: result.timeToFirstTokenMs,
    promptMs: result.promptMs,
    generationMs: result.generationMs,
  });
  return result;
}

export function promptTokens(host: WorkerSessionHost, prompt: number[] | string, special?: boolean): Token[] {
  return typeof prompt === 'string' ? host.tokenize(prompt, special === true) : (prompt as Token[]);
}

class PlainSession implements WorkerSession {
  /** Calls on one sequence run one after another (two generations must not interleave). Custom
   *  kinds manage their own concurrency (the KV cache lets a background repair yield). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly host: WorkerSessionHost) {}

  call(method: string, args: unknown, io: WorkerCallIO): Promise<unknown> {
    const run = () => (io.signal.aborted ? Promise.reject(new AbortedError()) : this.run(method, args, io));
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  tokens(): Token[] {
    return [...this.host.sequence.contextTokens];
  }

  private async run(method: string, args: unknown, io: WorkerCallIO): Promise<unknown> {
    const a = (args ?? {}) as Record<string, unknown>;
    switch (method) {
      case 'evaluate': {
        const r = await syncSequence(this.host, this.host.sequence, a.tokens as Token[], io.signal);
        return { reusedTokens: r.reused, evaluatedTokens: r.evaluated, ms: r.ms };
      }
      case 'generate': {
        const o = a as unknown as GenerateOptions;
        return generateOnSequence(this.host, this.host.sequence, promptTokens(this.host, o.prompt, o.special), o, io);
      }
      case 'tokens':
        return this.tokens();
      default:
        throw new Error(`unknown method ${method} of a plain session`);
    }
  }
}

export const plainSessionFactory: WorkerSessionFactory = {
  create: (host) => new PlainSession(host),
};
