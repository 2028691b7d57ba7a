// The remote backend: an OpenAI-compatible completions server (llama.cpp's llama-server, vLLM,
// SGLang, Ollama). What the requests mean lives here; the HTTP side (retries, the 503 "Loading
// model" wait, SSE, timeouts, stall detection) is in remote/http.ts.
//
// Checked against llama-server built from the llama.cpp that node-llama-cpp ships:
//   - The context is per slot: `/props` default_generation_settings.n_ctx (or `/v1/models`
//     meta.n_ctx), never the training context. A prompt that cannot fit is never sent; a server
//     that still answers `exceed_context_size_error` teaches the engine its real limit, the error
//     carries it (EngineError.contextSize) so the caller shrinks once, and the same-size request
//     is never repeated.
//   - User text never becomes control tokens: llama-server parses special tokens in string
//     prompts, so prompts go as token ids from `/tokenize` with `parse_special: false`, or through
//     `/infill`'s separate prefix/suffix fields (tokenized the same way by the server). A server
//     without a tokenizer gets text in which every `<|…`, `<｜…` and `<name>` marker is broken with
//     a zero-width space.
//   - FIM comes from the model's vocabulary through the server: each family's markers tokenized
//     with special parsing (one token, unlike the same text without it). Never from a name.
//   - The model may be named by its id or any alias (`--alias`), or a file name for a path id.
//   - A generation cut by the context reports 'contextFull'; the server's own `timings` are
//     returned beside the client-side figures.
import { Counters } from '../counters';
import {
  EngineError,
  type CallOptions,
  type Disposable,
  type EngineCounters,
  type EngineSession,
  type EngineState,
  type EvaluateResult,
  type FimFamily,
  type GenerateOptions,
  type GenerationChunk,
  type GenerationResult,
  type InfillRequest,
  type ModelEngine,
  type ModelInfo,
  type OpenSessionOptions,
  type RemoteConfig,
  type ServerTimings,
  type StopReason,
} from '../engine';
import { EngineStateTracker } from '../engineState';
import { HttpError, HttpTransport, parseJson, sseEvents, type Pulse } from './http';
import { discoverServer } from './serverInfo';

export { modelMatches } from './serverInfo';

export interface RemoteEngineOptions {
  fimTemplate?: 'auto' | FimFamily;
  /** The configured context size: sessions get at most this, and at most the server's slot context. */
  contextSize?: number;
  log?: (message: string) => void;
  /** Backoff before retry n (0-based), ms. */
  backoffMs?: (attempt: number) => number;
  /** How long to wait for a server that is loading its model (default 5 minutes). */
  loadWaitMs?: number;
  /** Shortest stall window once a stream flows (default 5 s). */
  stallMinMs?: number;
}

interface CompletionChoice {
  text?: string;
  finish_reason?: string | null;
}

interface LlamaTimings {
  cache_n?: number;
  prompt_n?: number;
  prompt_ms?: number;
  prompt_per_second?: number;
  predicted_n?: number;
  predicted_ms?: number;
  predicted_per_second?: number;
}

interface CompletionEvent {
  choices?: CompletionChoice[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } };
  timings?: LlamaTimings;
  prompt_progress?: unknown;
  error?: { message?: string } | string;
  // llama.cpp's own format (/infill, /completion)
  content?: string;
  stop?: boolean;
  stop_type?: string;
  truncated?: boolean;
  tokens_predicted?: number;
  tokens_evaluated?: number;
}

/** Root (without /v1) and API base (with /v1) of a configured URL. */
export function remoteUrls(baseUrl: string): { root: string; api: string } {
  const trimmed = baseUrl.trim().replace(/\/+$/, '');
  const root = trimmed.replace(/\/v1$/, '');
  return { root, api: `${root}/v1` };
}

/** Break every control-token spelling (`<|…`, `<｜…`, `<name>`, `</name>`) with a zero-width space:
 *  for servers without a tokenizer endpoint, where prompts must go as text. */
export function neutralizeMarkers(text: string): string {
  return text.replace(/<(?=[|｜]|\/?[A-Za-z_▁][\w▁.-]*>)/g, '<\u200b');
}

function timingsOf(t: LlamaTimings | undefined): ServerTimings | undefined {
  if (!t) return undefined;
  return {
    cacheTokens: t.cache_n,
    promptTokens: t.prompt_n,
    promptMs: t.prompt_ms,
    promptTokensPerSecond: t.prompt_per_second,
    generatedTokens: t.predicted_n,
    generationMs: t.predicted_ms,
    generationTokensPerSecond: t.predicted_per_second,
  };
}

export class RemoteEngine implements ModelEngine {
  readonly backend = 'remote' as const;
  private readonly counter = new Counters();
  private readonly status = new EngineStateTracker();
  private infoCache: Promise<ModelInfo> | undefined;
  private shared: RemoteSession | undefined;
  readonly urls: { root: string; api: string };
  readonly http: HttpTransport;
  /** A context limit the server taught us by refusing a prompt (tokens). */
  private learnedContext: number | undefined;

  constructor(readonly config: RemoteConfig, private readonly opts: RemoteEngineOptions = {}) {
    if (!/^https?:\/\//i.test(config.baseUrl.trim())) {
      throw new EngineError(`hotpath.model.remote.baseUrl must start with http:// or https:// (got "${config.baseUrl}")`, 'badResponse');
    }
    this.urls = remoteUrls(config.baseUrl);
    this.http = new HttpTransport({
      root: this.urls.root,
      apiKey: config.apiKey,
      timeoutMs: config.timeoutMs,
      retries: config.retries,
      backoffMs: opts.backoffMs,
      loadWaitMs: opts.loadWaitMs,
      stallMinMs: opts.stallMinMs,
      log: opts.log,
      onLoading: () => {
        if (this.status.state !== 'loading') this.setState('loading');
      },
    });
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
    return this.http.where;
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
          if (err.code !== 'aborted') this.setState('failed', err.message);
          else this.setState('idle');
          throw err;
        },
      );
    }
    return this.infoCache;
  }

  private fetchInfo(signal?: AbortSignal): Promise<ModelInfo> {
    return discoverServer(
      this.http,
      { model: this.config.model, contextSize: this.opts.contextSize, learnedContext: this.learnedContext, fimTemplate: this.opts.fimTemplate, root: this.urls.root },
      (text, special, model, sig) => this.rawTokenize(text, special, model, sig),
      signal,
    );
  }

  private async rawTokenize(text: string, special: boolean, model: string, signal?: AbortSignal): Promise<number[]> {
    const body = { content: text, prompt: text, model, add_special: false, parse_special: special, with_pieces: false };
    const r = await this.http.json<{ tokens?: unknown[] }>('POST', '/tokenize', body, signal).catch((err: EngineError) => {
      if (err.code === 'http' || err.code === 'modelNotFound' || err.code === 'unsupported') throw new EngineError(`${this.where()} offers no tokenizer endpoint (/tokenize): ${err.message}`, 'unsupported');
      throw err;
    });
    if (!Array.isArray(r.tokens)) throw new EngineError(`${this.where()} sent an invalid /tokenize response`, 'badResponse');
    return r.tokens.map((t) => (typeof t === 'number' ? t : Number((t as { id?: number }).id)));
  }

  async tokenize(text: string, options?: { special?: boolean }): Promise<number[]> {
    const info = await this.info();
    return this.rawTokenize(text, options?.special === true, info.model);
  }

  async detokenize(tokens: number[]): Promise<string> {
    const info = await this.info();
    const r = await this.http.json<{ content?: string; prompt?: string }>('POST', '/detokenize', { tokens, model: info.model }).catch((err: EngineError) => {
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
    const info = await this.info();
    return new RemoteSession(this, Math.min(options.contextSize ?? info.contextSize, info.contextSize || Infinity));
  }

  generate(options: GenerateOptions, signal?: AbortSignal, onChunk?: (c: GenerationChunk) => void): Promise<GenerationResult> {
    this.shared ??= new RemoteSession(this, this.opts.contextSize ?? 0);
    return this.shared.generate(options, signal, onChunk);
  }

  /** The context every prompt must fit now (the slot context, or less if the server refused more). */
  private async limit(signal?: AbortSignal): Promise<number> {
    const info = await this.info(signal);
    return Math.min(info.contextSize || Infinity, this.learnedContext ?? Infinity);
  }

  private contextFull(prompt: number, maxTokens: number, context: number, told: boolean): EngineError {
    const e = new EngineError(
      `the prompt (${prompt ? `${prompt} tokens` : 'its size unknown'}) does not fit the context of ${context} tokens per slot on ${this.where()}${told ? ' (the server refused it)' : ''}; ${maxTokens} tokens were to be generated`,
      'contextFull',
    );
    e.contextSize = context;
    return e;
  }

  /** A server error that says the prompt is too long: remember the limit it states. */
  private learn(err: unknown, promptTokens: number, maxTokens: number): never {
    if (err instanceof HttpError && err.code === 'contextFull') {
      const body = (err.server.body?.error ?? {}) as { n_ctx?: number; n_prompt_tokens?: number };
      const stated = Number(body.n_ctx ?? /context size \((\d+) tokens\)/.exec(err.server.message)?.[1] ?? /maximum context length is (\d+)/.exec(err.server.message)?.[1]);
      const n = Number.isFinite(stated) && stated > 0 ? stated : Math.floor(promptTokens * 0.75);
      this.learnedContext = Math.min(this.learnedContext ?? Infinity, n);
      this.opts.log?.(`${err.message}; prompts are now sized for ${this.learnedContext} tokens`);
      throw this.contextFull(promptTokens, maxTokens, this.learnedContext, true);
    }
    throw err;
  }

  /** @internal One completion request: the prompt as token ids (text is tokenized here, see above). */
  async complete(options: GenerateOptions, signal: AbortSignal | undefined, onChunk: ((c: GenerationChunk) => void) | undefined): Promise<GenerationResult> {
    const info = await this.info(signal);
    let prompt: number[] | string = options.prompt;
    if (typeof prompt === 'string') {
      if (info.server?.tokenizer) prompt = await this.rawTokenize(prompt, options.special === true, info.model, signal);
      else if (!options.special) prompt = neutralizeMarkers(prompt);
    }
    // A prompt the slot cannot hold is never sent (the server would refuse it); one that leaves less
    // room than maxTokens is sent, and a generation cut by the context reports 'contextFull'.
    const context = await this.limit(signal);
    if (Array.isArray(prompt) && prompt.length >= context) throw this.contextFull(prompt.length, options.maxTokens, context, false);
    const body: Record<string, unknown> = {
      model: info.model,
      prompt,
      max_tokens: options.maxTokens,
      temperature: options.temperature ?? 0,
      stream: true,
      cache_prompt: this.config.cachePrompt,
      stream_options: { include_usage: true },
    };
    if (info.server?.llamaCpp) body.return_progress = true; // progress events: keep-alives during long prompts
    if (options.topK !== undefined) body.top_k = options.topK;
    if (options.topP !== undefined) body.top_p = options.topP;
    if (options.seed !== undefined) body.seed = options.seed;
    if (options.stop?.length) body.stop = options.stop.slice(0, 4); // OpenAI allows 4
    const promptTokens = Array.isArray(prompt) ? prompt.length : 0;
    return this.stream('/v1/completions', body, options, promptTokens, signal, onChunk).catch((err) => this.learn(err, promptTokens, options.maxTokens));
  }

  async infill(request: InfillRequest, options: Omit<GenerateOptions, 'prompt' | 'special'>, signal?: AbortSignal, onChunk?: (c: GenerationChunk) => void): Promise<GenerationResult> {
    const info = await this.info(signal);
    if (!info.server?.infill) throw new EngineError(`${this.where()} has no /infill for this model`, 'unsupported');
    const body: Record<string, unknown> = {
      model: info.model,
      input_prefix: request.prefix,
      input_suffix: request.suffix,
      input_extra: (request.files ?? []).map((f) => ({ filename: f.path, text: f.text })),
      n_predict: options.maxTokens,
      temperature: options.temperature ?? 0,
      stream: true,
      cache_prompt: this.config.cachePrompt,
      return_progress: true,
    };
    if (options.topK !== undefined) body.top_k = options.topK;
    if (options.topP !== undefined) body.top_p = options.topP;
    if (options.seed !== undefined) body.seed = options.seed;
    if (options.stop?.length) body.stop = options.stop;
    try {
      return await this.stream('/infill', body, options, 0, signal, onChunk);
    } catch (err) {
      if (err instanceof EngineError && err.code === 'unsupported' && this.infoCache) {
        // the server's vocabulary lacks the FIM metadata /infill needs: token-array prompts from now on
        const i = await this.infoCache;
        if (i.server) i.server.infill = false;
      }
      return this.learn(err, 0, options.maxTokens);
    }
  }

  /** POST a streaming completion and read it (both the OpenAI format and llama.cpp's own). */
  private async stream(path: string, body: Record<string, unknown>, options: Pick<GenerateOptions, 'maxTokens' | 'stop'>, promptTokens: number, signal: AbortSignal | undefined, onChunk: ((c: GenerationChunk) => void) | undefined): Promise<GenerationResult> {
    this.counter.request();
    const t0 = performance.now();
    let tFirst = 0;
    let text = '';
    let finish: string | null | undefined;
    let usage: CompletionEvent['usage'];
    let timings: LlamaTimings | undefined;
    let truncated = false;
    let predicted: number | undefined;
    let evaluated: number | undefined;
    let aborted = false;
    let pulse: Pulse | undefined;
    const take = (piece: string) => {
      if (!piece) return; // empty events: progress, or a partial UTF-8 character held back by the server
      if (!tFirst) {
        tFirst = performance.now();
        pulse?.generating();
      }
      text += piece;
      onChunk?.({ text: piece, tokens: [] });
    };
    const onEvent = (j: CompletionEvent) => {
      if (j.error) throw new EngineError(`${this.where()}: ${typeof j.error === 'string' ? j.error : j.error.message}`, 'http');
      usage = j.usage ?? usage;
      timings = j.timings ?? timings;
      if (j.truncated) truncated = true;
      if (typeof j.tokens_predicted === 'number') predicted = j.tokens_predicted;
      if (typeof j.tokens_evaluated === 'number') evaluated = j.tokens_evaluated;
      if (typeof j.content === 'string') {
        take(j.content);
        if (j.stop) finish = j.stop_type === 'limit' ? 'length' : 'stop';
        return;
      }
      if (!j.choices?.length) {
        if (j.usage || j.timings || j.prompt_progress) return; // a usage-only or progress event
        throw new EngineError(`${this.where()} sent an invalid stream event (no choices)`, 'badResponse');
      }
      const c = j.choices[0];
      if (!c || typeof c !== 'object' || (c.text !== undefined && c.text !== null && typeof c.text !== 'string')) throw new EngineError(`${this.where()} sent an invalid stream event (bad choices)`, 'badResponse');
      take(c.text ?? '');
      if (c.finish_reason) finish = c.finish_reason;
    };
    try {
      await this.http.exchange('POST', path, body, signal, async (res, p) => {
        pulse = p;
        const type = res.headers.get('content-type') ?? '';
        if (!type.includes('text/event-stream')) {
          // A server that ignores stream: true answers with one JSON body.
          const j = parseJson<CompletionEvent>(await res.text(), this.where());
          if (!j.error && !j.choices?.length && typeof j.content !== 'string') throw new EngineError(`${this.where()} sent an invalid completion (no choices[0].text)`, 'badResponse');
          onEvent(j);
          return;
        }
        for await (const data of sseEvents(res, p)) {
          if (data === '[DONE]') break;
          let j: CompletionEvent;
          try {
            j = JSON.parse(data) as CompletionEvent;
          } catch {
            throw new EngineError(`${this.where()} sent an invalid stream event (not JSON): ${data.slice(0, 120)}`, 'badResponse');
          }
          onEvent(j);
        }
      });
      this.setState('ready');
    } catch (err) {
      if (err instanceof EngineError && err.code === 'aborted') aborted = true;
      else {
        if (err instanceof EngineError && err.code !== 'contextFull') {
          this.setState('failed', err.message);
          if (err.code === 'connectionRefused' || err.code === 'modelNotFound') this.infoCache = undefined;
        }
        throw err;
      }
    }
    const tEnd = performance.now();
    const first = tFirst || tEnd;
    const generated = usage?.completion_tokens ?? timings?.predicted_n ?? predicted ?? 0;
    const prompt = usage?.prompt_tokens ?? evaluated ?? promptTokens ?? 0;
    const reused = timings?.cache_n ?? usage?.prompt_tokens_details?.cached_tokens ?? 0;
    // 'length' with fewer tokens than asked: the context cut the generation
    const cut = truncated || (finish === 'length' && generated > 0 && generated < options.maxTokens);
    let stopReason: StopReason = aborted ? 'aborted' : cut ? 'contextFull' : finish === 'length' ? 'maxTokens' : options.stop?.some((s) => s && text.includes(s)) ? 'stop' : finish === 'stop' && options.stop?.length ? 'stop' : 'eog';
    // Some servers do not honour every stop string (only 4 are sent): cut here too.
    for (const s of options.stop ?? []) {
      const i = s ? text.indexOf(s) : -1;
      if (i >= 0) {
        text = text.slice(0, i);
        if (!aborted) stopReason = 'stop';
      }
    }
    const result: GenerationResult = {
      text,
      tokens: [],
      stopReason,
      promptTokens: prompt,
      reusedTokens: reused,
      evaluatedTokens: timings?.prompt_n ?? Math.max(0, prompt - reused),
      timeToFirstTokenMs: first - t0,
      promptMs: first - t0,
      generationMs: tEnd - first,
      serverTimings: timingsOf(timings),
    };
    this.counter.add({ evaluated: result.evaluatedTokens, reused, generated, timeToFirstTokenMs: result.timeToFirstTokenMs, promptMs: result.promptMs, generationMs: result.generationMs });
    return result;
  }

  /** Empty a slot's cache (llama.cpp `/slots/N?action=erase`, needs --slots); false when the server cannot. */
  async eraseSlot(slot: number, signal?: AbortSignal): Promise<boolean> {
    return this.http.json('POST', `/slots/${slot}?action=erase`, {}, signal).then(
      () => true,
      () => false,
    );
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

export { sseEvents };
