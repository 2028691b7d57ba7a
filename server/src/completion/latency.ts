// Latency discipline for inline completions:
//   AdaptiveDebounce  wait longer while the user types fast, less when they pause, minus the time a
//                     completion is expected to take (Tabby's rule: keystroke-gap window clamped to
//                     [min, max], minus expected latency).
//   TypeAhead         reuse a suggestion the user is typing into without a model call, and an LRU of
//                     recent results keyed by the text around the cursor.
//   sleep             a cancellable delay.

export interface DebounceOptions {
  minMs?: number;
  maxMs?: number;
  /** Multiple of the median keystroke gap to wait for (default 1.5). */
  factor?: number;
  /** Keystroke gaps remembered (default 8). Gaps longer than maxMs are pauses, not typing. */
  window?: number;
}

export class AdaptiveDebounce {
  private readonly gaps: number[] = [];
  private last: number | undefined;
  private latency: number | undefined;
  readonly minMs: number;
  readonly maxMs: number;
  private readonly factor: number;
  private readonly window: number;

  constructor(o: DebounceOptions = {}) {
    this.minMs = o.minMs ?? 50;
    this.maxMs = Math.max(this.minMs, o.maxMs ?? 1000);
    this.factor = o.factor ?? 1.5;
    this.window = o.window ?? 8;
  }

  /** A document change at time t (ms). */
  keystroke(t: number): void {
    if (this.last !== undefined) {
      const gap = t - this.last;
      if (gap >= 0 && gap <= this.maxMs) {
        this.gaps.push(gap);
        if (this.gaps.length > this.window) this.gaps.shift();
      }
    }
    this.last = t;
  }

  /** A completion took this long (ms): kept as an exponential moving average. */
  recordLatency(ms: number): void {
    if (!(ms >= 0)) return;
    this.latency = this.latency === undefined ? ms : 0.7 * this.latency + 0.3 * ms;
  }

  get expectedLatency(): number {
    return this.latency ?? 0;
  }

  /** How long to wait before asking the model. */
  delay(): number {
    if (this.gaps.length === 0) return this.minMs;
    const sorted = [...this.gaps].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const wait = Math.min(this.maxMs, Math.max(this.minMs, this.factor * median)) - this.expectedLatency;
    return Math.max(this.minMs, Math.round(wait));
  }
}

/** Resolve after ms, or reject with an 'aborted' error as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(Object.assign(new Error('cancelled'), { code: 'aborted' }));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(Object.assign(new Error('cancelled'), { code: 'aborted' }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface Suggestion {
  uri: string;
  /** Document offset where the suggestion starts. */
  offset: number;
  /** The document text just before `offset` when it was made (up to contextChars). */
  before: string;
  text: string;
  at: number;
}

export class TypeAhead {
  private lastSuggestion: Suggestion | undefined;
  private readonly lru = new Map<string, { text: string; at: number }>();

  constructor(
    private readonly contextChars = 256,
    private readonly maxEntries = 100,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  private key(uri: string, text: string, offset: number): string {
    return `${uri}\u0000${text.slice(Math.max(0, offset - this.contextChars), offset)}\u0000${text.slice(offset, offset + 64)}`;
  }

  remember(uri: string, docText: string, offset: number, suggestion: string, now: number): void {
    if (!suggestion) return;
    this.lastSuggestion = { uri, offset, before: docText.slice(Math.max(0, offset - this.contextChars), offset), text: suggestion, at: now };
    const k = this.key(uri, docText, offset);
    this.lru.delete(k);
    this.lru.set(k, { text: suggestion, at: now });
    while (this.lru.size > this.maxEntries) this.lru.delete(this.lru.keys().next().value as string);
  }

  /**
   * A suggestion for the cursor at `offset` without a model call: the rest of the last suggestion
   * when the user has typed its beginning, or a cached result for the same surrounding text.
   */
  lookup(uri: string, docText: string, offset: number, now: number): string | undefined {
    const s = this.lastSuggestion;
    if (s && s.uri === uri && offset >= s.offset && now - s.at <= this.ttlMs) {
      const typed = docText.slice(s.offset, offset);
      const start = Math.max(0, s.offset - this.contextChars);
      if (typed.length < s.text.length && s.text.startsWith(typed) && docText.slice(start, s.offset) === s.before) {
        return s.text.slice(typed.length);
      }
    }
    const hit = this.lru.get(this.key(uri, docText, offset));
    if (hit && now - hit.at <= this.ttlMs) return hit.text;
    return undefined;
  }

  forget(uri: string): void {
    if (this.lastSuggestion?.uri === uri) this.lastSuggestion = undefined;
    for (const k of [...this.lru.keys()]) if (k.startsWith(uri + '\u0000')) this.lru.delete(k);
  }
}
