// The remote backend: any OpenAI-compatible /v1/completions server (vLLM, SGLang, llama.cpp
// server, Ollama). Streaming (SSE), `cache_prompt: true` so servers that support it reuse the
// cached prefix (the others cache prefixes by themselves), timeouts, retries with backoff on
// connection errors / 429 / 5xx, cancellation, and errors that name the server and the model.
import { Counters } from '../counters';
import {
  EngineError,
  type CallOptions,
  type Disposable,
  type EngineCounters,
  type EngineSession,
  type EngineState,
  type EvaluateResult,
  type GenerateOptions,
  type GenerationChunk,
  type GenerationResult,
  type ModelEngine,
  type ModelInfo,
  type OpenSessionOptions,
  type RemoteConfig,
  type StopReason,
  type FimFamily,
} from '../engine';
import { EngineStateTracker } from '../engineState';
import { detectFim } from '../fim';

export interface RemoteEngineOptions {
  fimTemplate?: 'auto' | FimFamily;
  contextSize?: number;
  log?: (message: string) => void;
  /** Backoff before retry n (0-based), ms. */
  backoffMs?: (attempt: number) => number;
}

interface CompletionChoice {
  text?: string;
  finish_reason?: string | null;
}

interface CompletionBody {
  choices?: CompletionChoice[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } };
  timings?: { cache_n?: number; prompt_n?: number; predicted_n?: number };
  error?: { message?: string } | string;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new EngineError('cancelled', 'aborted'));
      },
      { once: true },
    );
  });

/** Root (without /v1) and API base (with /v1) of a configured URL. */
export function remoteUrls(baseUrl: string): { root: string; api: string } {
  const trimmed = baseUrl.trim().replace(/\/+$/, '');
  const root = trimmed.replace(/\/v1$/, '');
  return { root, api: `${root}/v1` };
}

export class RemoteEngine implements ModelEngine {
  readonly backend = 'remote' as const;
  private readonly counter = new Counters();
  private readonly status = new EngineStateTracker();
  private infoCache: Promise<ModelInfo> | undefined;
  private shared: RemoteSession | undefined;
  readonly urls: { root: string; api: string };

  constructor(readonly config: RemoteConfig, private readonly opts: RemoteEngineOptions = {}) {
    if (!/^https?:\/\//i.test(config.baseUrl.trim())) {
      throw new EngineError(`hotpath.model.remote.baseUrl must start with http:// or https:// (got "${config.baseUrl}")`, 'badResponse');
    }
    this.urls = remoteUrls(config.baseUrl);
  }

  get state(): EngineState {
    return this.status.state;
  }

  get lastError(): string | undefined {
    return this.status.lastError;
  }

  onStateChange(listener: (s: EngineState) => void): Disposable {
    return this.status.onChange(listener);
  }

  private setState(s: EngineState, error?: string): void {
    this.status.set(s, error);
  }

  private where(): string {
    return `server at ${this.urls.root}`;
  }

  /** Turn a low-level failure into a message that names the server. */
  private describe(err: unknown, timedOut: boolean): EngineError {
    if (err instanceof EngineError) return err;
    if (timedOut) return new EngineError(`${this.where()} did not answer within ${this.config.timeoutMs / 1000} s`, 'timeout');
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const code = e?.cause?.code ?? (e as { code?: string })?.code;
    if (code === 'ECONNREFUSED') return new EngineError(`${this.where()} refused the connection (is it running?)`, 'connectionRefused');
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new EngineError(`${this.where()}: host not found`, 'connectionRefused');
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return new EngineError(`${this.where()} closed the connection`, 'connectionRefused');
    return new EngineError(`${this.where()}: ${e?.cause?.message ?? e?.message ?? String(err)}`, 'http');
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    if (this.config.apiKey) h.authorization = `Bearer ${this.config.apiKey}`;
    return h;
  }

  /**
   * One HTTP exchange with retries: connection errors, timeouts, 429 and 5xx are retried with
   * exponential backoff; the response is handed to `read` (which may stream) with a signal that
   * fires on the caller's abort or when the server goes silent for timeoutMs.
   */
  private async exchange<T>(
    method: 'GET' | 'POST',
    url: string,
    body: unknown,
    signal: AbortSignal | undefined,
    read: (res: Response, touch: () => void) => Promise<T>,
    retry = true,
  ): Promise<T> {
    const attempts = retry ? this.config.retries + 1 : 1;
    let last: EngineError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(this.opts.backoffMs?.(attempt - 1) ?? 250 * 2 ** (attempt - 1), signal);
      if (signal?.aborted) throw new EngineError('cancelled', 'aborted');
      const ac = new AbortController();
      let timedOut = false;
      let timer: NodeJS.Timeout | undefined;
      const touch = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          timedOut = true;
          ac.abort();
        }, this.config.timeoutMs);
      };
      const onAbort = () => ac.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      touch();
      let streaming = false;
      try {
        const res = await fetch(url, { method, headers: this.headers(), body: body === undefined ? undefined : JSON.stringify(body), signal: ac.signal });
        touch();
        if (!res.ok) {
          const text = await res.text().catch(() => '');
          const err = this.httpError(res.status, text);
          if ((res.status === 429 || res.status >= 500) && attempt + 1 < attempts) {
            last = err;
            continue;
          }
          throw err;
        }
        streaming = true;
        return await read(res, touch);
      } catch (err) {
        if (signal?.aborted) throw new EngineError('cancelled', 'aborted');
        const e = this.describe(err, timedOut);
        // Once a stream has started, do not repeat the request (the text was already shown).
        const retriable = !streaming && (e.code === 'connectionRefused' || e.code === 'timeout');
        if (retriable && attempt + 1 < attempts) {
          last = e;
          this.opts.log?.(`${e.message}; retrying (${attempt + 1}/${attempts - 1})`);
          continue;
        }
        throw e;
      } finally {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
    }
    throw last ?? new EngineError(`${this.where()}: request failed`, 'http');
  }

  private httpError(status: number, text: string): EngineError {
    let message = text.slice(0, 300);
    try {
      const j = JSON.parse(text) as { error?: { message?: string } | string; message?: string; detail?: string };
      message = (typeof j.error === 'string' ? j.error : j.error?.message) ?? j.message ?? j.detail ?? message;
    } catch {
      /* not JSON */
    }
    if (status === 404 && /model/i.test(message)) {
      return new EngineError(`model "${this.config.model}" not found on ${this.where()}: ${message}`, 'modelNotFound');
    }
    if (status === 401 || status === 403) return new EngineError(`${this.where()} rejected the request (HTTP ${status}): check the API key (Hotpath: Set API Key)`, 'http');
    return new EngineError(`${this.where()} answered HTTP ${status}${message ? `: ${message}` : ''}`, 'http');
  }

  private async json<T>(res: Response): Promise<T> {
    const text = await res.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new EngineError(`${this.where()} sent an invalid response (not JSON): ${text.slice(0, 120)}`, 'badResponse');
    }
  }

  // -- ModelEngine ------------------------------------------------------------------------------
  info(signal?: AbortSignal): Promise<ModelInfo> {
    if (!this.infoCache) {
      this.setState('loading');
      this.infoCache = this.fetchInfo(signal).then(
        (info) => {
          this.setState('ready');
          return info;
        },
        (err: EngineError) => {
          this.infoCache = undefined;
          this.setState('failed', err.message);
          throw err;
        },
      );
    }
    return this.infoCache;
  }

  private async fetchInfo(signal?: AbortSignal): Promise<ModelInfo> {
    type ModelList = { data?: { id?: string; max_model_len?: number; meta?: { n_ctx_train?: number; n_vocab?: number; n_params?: number; size?: number } }[] };
    const list = await this.exchange('GET', `${this.urls.api}/models`, undefined, signal, (res) => this.json<ModelList>(res));
    if (!list || !Array.isArray(list.data)) throw new EngineError(`${this.where()} sent an invalid model list (no "data" array)`, 'badResponse');
    const ids = list.data.map((m) => String(m.id ?? ''));
    const wanted = this.config.model;
    const entry = wanted ? list.data.find((m) => m.id === wanted || m.id === `${wanted}:latest`) : list.data[0];
    if (!entry) {
      throw new EngineError(
        wanted ? `model "${wanted}" not found on ${this.where()} (it serves: ${ids.join(', ') || 'nothing'})` : `${this.where()} serves no model`,
        'modelNotFound',
      );
    }
    const name = String(entry.id);
    const ctx = entry.max_model_len ?? entry.meta?.n_ctx_train ?? this.opts.contextSize ?? 0;
    return {
      backend: 'remote',
      model: name,
      name,
      device: `remote: ${this.urls.root}`,
      gpu: 'remote',
      gpuDevices: [],
      gpuLayers: 0,
      totalLayers: 0,
      contextSize: this.opts.contextSize ? Math.min(this.opts.contextSize, ctx || this.opts.contextSize) : ctx,
      trainContextSize: ctx,
      threads: 0,
      vocabSize: entry.meta?.n_vocab ?? 0,
      parameters: entry.meta?.n_params,
      sizeBytes: entry.meta?.size,
      fim: detectFim({ name }, this.opts.fimTemplate ?? 'auto'),
      special: {},
    };
  }

  async tokenize(text: string, options?: { special?: boolean }): Promise<number[]> {
    const info = await this.info();
    const body = { content: text, prompt: text, model: info.model, add_special: false, parse_special: options?.special === true, with_pieces: false };
    const r = await this.exchange('POST', `${this.urls.root}/tokenize`, body, undefined, (res) => this.json<{ tokens?: unknown[] }>(res)).catch((err: EngineError) => {
      if (err.code === 'http' || err.code === 'modelNotFound') throw new EngineError(`${this.where()} offers no tokenizer endpoint (/tokenize): ${err.message}`, 'unsupported');
      throw err;
    });
    if (!Array.isArray(r.tokens)) throw new EngineError(`${this.where()} sent an invalid /tokenize response`, 'badResponse');
    return r.tokens.map((t) => (typeof t === 'number' ? t : Number((t as { id?: number }).id)));
  }

  async detokenize(tokens: number[]): Promise<string> {
    const info = await this.info();
    const r = await this.exchange('POST', `${this.urls.root}/detokenize`, { tokens, model: info.model }, undefined, (res) => this.json<{ content?: string; prompt?: string }>(res)).catch((err: EngineError) => {
      if (err.code === 'http' || err.code === 'modelNotFound') throw new EngineError(`${this.where()} offers no detokenizer endpoint (/detokenize): ${err.message}`, 'unsupported');
      throw err;
    });
    const text = r.content ?? r.prompt;
    if (typeof text !== 'string') throw new EngineError(`${this.where()} sent an invalid /detokenize response`, 'badResponse');
    return text;
  }

  async openSession(options: OpenSessionOptions = {}): Promise<EngineSession> {
    if (options.kind && options.kind !== 'plain') {
      throw new EngineError(`session kind "${options.kind}" needs the embedded engine (a remote server's cache cannot be edited); use a plain session`, 'unsupported');
    }
    await this.info();
    return new RemoteSession(this, options.contextSize ?? this.opts.contextSize ?? 0);
  }

  generate(options: GenerateOptions, signal?: AbortSignal, onChunk?: (c: GenerationChunk) => void): Promise<GenerationResult> {
    this.shared ??= new RemoteSession(this, this.opts.contextSize ?? 0);
    return this.shared.generate(options, signal, onChunk);
  }

  /** @internal One /v1/completions request (streaming when onChunk is given). */
  async complete(options: GenerateOptions, signal: AbortSignal | undefined, onChunk: ((c: GenerationChunk) => void) | undefined): Promise<GenerationResult> {
    const info = await this.info(signal);
    this.counter.request();
    const t0 = performance.now();
    let tFirst = 0;
    const stream = true;
    const body: Record<string, unknown> = {
      model: info.model,
      prompt: options.prompt,
      max_tokens: options.maxTokens,
      temperature: options.temperature ?? 0,
      stream,
      cache_prompt: this.config.cachePrompt,
    };
    if (options.topK !== undefined) body.top_k = options.topK;
    if (options.topP !== undefined) body.top_p = options.topP;
    if (options.seed !== undefined) body.seed = options.seed;
    if (options.stop?.length) body.stop = options.stop.slice(0, 4); // OpenAI allows 4
    if (stream) body.stream_options = { include_usage: true };
    let text = '';
    let finish: string | null | undefined;
    let usage: CompletionBody['usage'];
    let timings: CompletionBody['timings'];
    let aborted = false;
    try {
      await this.exchange('POST', `${this.urls.api}/completions`, body, signal, async (res, touch) => {
        const type = res.headers.get('content-type') ?? '';
        if (!type.includes('text/event-stream')) {
          // A server that ignores stream: true answers with one JSON body.
          const j = await this.json<CompletionBody>(res);
          const c = this.checkBody(j);
          tFirst = performance.now();
          text = c.text ?? '';
          finish = c.finish_reason;
          usage = j.usage;
          timings = j.timings;
          if (text) onChunk?.({ text, tokens: [] });
          return;
        }
        for await (const data of sseEvents(res, touch)) {
          if (data === '[DONE]') break;
          let j: CompletionBody;
          try {
            j = JSON.parse(data) as CompletionBody;
          } catch {
            throw new EngineError(`${this.where()} sent an invalid stream event (not JSON): ${data.slice(0, 120)}`, 'badResponse');
          }
          if (j.error) throw new EngineError(`${this.where()}: ${typeof j.error === 'string' ? j.error : j.error.message}`, 'http');
          usage = j.usage ?? usage;
          timings = j.timings ?? timings;
          if (!j.choices?.length) {
            if (j.usage || j.timings) continue; // the final usage-only event
            throw new EngineError(`${this.where()} sent an invalid stream event (no choices)`, 'badResponse');
          }
          const c = Array.isArray(j.choices) ? j.choices[0] : undefined;
          if (!c || typeof c !== 'object' || (c.text !== undefined && typeof c.text !== 'string')) {
            throw new EngineError(`${this.where()} sent an invalid stream event (bad choices)`, 'badResponse');
          }
          if (c.text) {
            if (!tFirst) tFirst = performance.now();
            text += c.text;
            onChunk?.({ text: c.text, tokens: [] });
          }
          if (c.finish_reason) finish = c.finish_reason;
        }
      });
      this.setState('ready');
    } catch (err) {
      if (err instanceof EngineError && err.code === 'aborted') aborted = true;
      else {
        if (err instanceof EngineError && (err.code === 'connectionRefused' || err.code === 'timeout' || err.code === 'modelNotFound')) {
          this.setState('failed', err.message);
          this.infoCache = undefined;
        }
        throw err;
      }
    }
    const tEnd = performance.now();
    const first = tFirst || tEnd;
    const promptTokens = usage?.prompt_tokens ?? (Array.isArray(options.prompt) ? options.prompt.length : 0);
    const reused = timings?.cache_n ?? usage?.prompt_tokens_details?.cached_tokens ?? 0;
    const generated = usage?.completion_tokens ?? timings?.predicted_n ?? 0;
    const stopReason: StopReason = aborted ? 'aborted' : finish === 'length' ? 'maxTokens' : options.stop?.some((s) => s && text.includes(s)) ? 'stop' : finish === 'stop' ? (options.stop?.length ? 'stop' : 'eog') : 'eog';
    // Some servers do not honour every stop string (only 4 are sent): cut here too.
    for (const s of options.stop ?? []) {
      const i = s ? text.indexOf(s) : -1;
      if (i >= 0) text = text.slice(0, i);
    }
    const result: GenerationResult = {
      text,
      tokens: [],
      stopReason,
      promptTokens,
      reusedTokens: reused,
      evaluatedTokens: Math.max(0, promptTokens - reused),
      timeToFirstTokenMs: first - t0,
      promptMs: first - t0,
      generationMs: tEnd - first,
    };
    this.counter.add({ evaluated: result.evaluatedTokens, reused, generated, timeToFirstTokenMs: result.timeToFirstTokenMs, promptMs: result.promptMs, generationMs: result.generationMs });
    return result;
  }

  private checkBody(j: CompletionBody): CompletionChoice {
    if (j && j.error) throw new EngineError(`${this.where()}: ${typeof j.error === 'string' ? j.error : j.error.message}`, 'http');
    const c = Array.isArray(j?.choices) ? j.choices[0] : undefined;
    if (!c || typeof c !== 'object' || typeof c.text !== 'string') throw new EngineError(`${this.where()} sent an invalid completion (no choices[0].text)`, 'badResponse');
    return c;
  }

  counters(): EngineCounters {
    return this.counter.snapshot();
  }

  async unload(): Promise<void> {
    this.infoCache = undefined;
    this.setState('idle');
  }

  async dispose(): Promise<void> {
    await this.unload();
    this.status.clearListeners();
  }
}

/** The `data:` payloads of a server-sent-events response. */
export async function* sseEvents(res: Response, touch: () => void): AsyncGenerator<string> {
  if (!res.body) return;
  const decoder = new TextDecoder();
  let buf = '';
  let data: string[] = [];
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    touch();
    buf += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).replace(/\r$/, '');
      buf = buf.slice(nl + 1);
      if (line === '') {
        if (data.length) yield data.join('\n');
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
      } else if (line.startsWith('error:')) {
        throw new EngineError(`stream error: ${line.slice(6).trim()}`, 'http');
      }
      // other fields (event:, id:, retry:, comments) are ignored
    }
  }
  if (data.length) yield data.join('\n');
}

class RemoteSession implements EngineSession {
  private static next = 1;
  readonly id = `remote-${RemoteSession.next++}`;
  readonly kind = 'plain';
  private last: number[] = [];

  constructor(private readonly engine: RemoteEngine, readonly contextSize: number) {}

  async evaluate(tokens: number[], signal?: AbortSignal): Promise<EvaluateResult> {
    // No cache to edit remotely: send the prompt (1 token generated) so the server caches its prefix.
    const r = await this.engine.complete({ prompt: tokens, maxTokens: 1 }, signal, undefined);
    this.last = tokens.slice();
    return { reusedTokens: r.reusedTokens, evaluatedTokens: r.evaluatedTokens, ms: r.promptMs };
  }

  async generate(options: GenerateOptions, signal?: AbortSignal, onChunk?: (c: GenerationChunk) => void): Promise<GenerationResult> {
    const r = await this.engine.complete(options, signal, onChunk);
    if (Array.isArray(options.prompt)) this.last = options.prompt.slice();
    return r;
  }

  async tokens(): Promise<number[]> {
    return this.last.slice();
  }

  async call<T>(method: string, _args?: unknown, _options?: CallOptions): Promise<T> {
    throw new EngineError(`method "${method}" needs the embedded engine (remote sessions are plain)`, 'unsupported');
  }

  async close(): Promise<void> {
    this.last = [];
  }
}
