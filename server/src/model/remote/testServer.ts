// An emulator of llama.cpp's llama-server on loopback, backed by a real model through the embedded
// engine, for tests and the remote benchmark. It answers as the real server does (checked against
// llama-server built from node-llama-cpp's llama.cpp, test/real/): GET /v1/models (id, aliases,
// meta.n_ctx per slot, n_ctx_train), GET /props, POST /tokenize (special tokens parsed unless
// parse_special is false, as the real default), /detokenize, /v1/completions (string prompts with
// special tokens parsed, token-id prompts; SSE with `usage` and `timings` in the final event, an
// empty text event before a character that spans tokens, progress events with return_progress;
// 400 exceed_context_size_error BEFORE streaming; an unknown `model` is ignored), /infill (501
// for a model without FIM tokens), and 503 "Loading model" while it "loads".
// It stays for the faults the real server cannot be made to show: failures before success,
// garbage, silence, a stream that stalls while staying open, an API key.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EngineSession, GenerationResult, ModelEngine } from '../engine';
import { fimPromptTokens } from '../fim';

export interface TestServerOptions {
  engine: ModelEngine;
  /** The model id served (default 'hotpath-test'), and its aliases. */
  modelName?: string;
  aliases?: string[];
  /** Context per slot (default: the engine's context size). */
  contextSize?: number;
  /** Require this bearer token. */
  apiKey?: string;
  port?: number;
  /** Refuse prompts from this many tokens on, whatever /props says (a server that advertises more
   *  context than it has: the engine must learn the real limit from the refusal). */
  enforceContext?: number;
}

export interface Faults {
  /** Answer this many requests with HTTP 503 (a busy server) before serving normally. */
  failNext?: number;
  /** Answer every request with 503 "Loading model" until this time (Date.now() ms). */
  loadingUntil?: number;
  /** Answer completions with this raw body (status 200, JSON content type). */
  garbage?: string;
  /** Accept the request and never answer. */
  hang?: boolean;
  /** Delay each streamed chunk by this many ms. */
  chunkDelayMs?: number;
  /** Stop sending after this many text events but keep the stream open. */
  stallAfter?: number;
  /** Answer /tokenize and /detokenize with 404 (like Ollama). */
  noTokenizer?: boolean;
}

const error = (code: number, type: string, message: string, extra: Record<string, unknown> = {}) => ({ error: { code, message, type, ...extra } });

export class TestCompletionServer {
  private server: Server | undefined;
  private session: EngineSession | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  faults: Faults = {};
  /** Requests seen (path and parsed body), for assertions. */
  readonly requests: { method: string; path: string; body: Record<string, unknown> | undefined; auth?: string }[] = [];
  /** Streams whose client went away before the end. */
  clientAborts = 0;

  constructor(private readonly opts: TestServerOptions) {}

  /** The model's id: its alias when it has one, else the path it was loaded from (as llama-server). */
  get modelName(): string {
    return this.opts.aliases?.[0] ?? this.opts.modelName ?? 'hotpath-test';
  }

  get url(): string {
    const a = this.server?.address() as AddressInfo | null;
    if (!a) throw new Error('server not started');
    return `http://127.0.0.1:${a.port}`;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(this.opts.port ?? 0, '127.0.0.1', resolve));
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.session?.close().catch(() => undefined);
    this.session = undefined;
  }

  private async slotContext(): Promise<number> {
    return this.opts.contextSize ?? (await this.opts.engine.info()).contextSize;
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  private async readBody(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (!chunks.length) return undefined;
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  }

  /** One request at a time on the model (one slot). */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const p = this.queue.then(work, work);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    let body: Record<string, unknown> | undefined;
    try {
      body = await this.readBody(req);
    } catch {
      return this.send(res, 500, error(500, 'server_error', 'invalid JSON body'));
    }
    this.requests.push({ method: req.method ?? 'GET', path, body, auth: req.headers.authorization });
    if (this.faults.loadingUntil && Date.now() < this.faults.loadingUntil) return this.send(res, 503, error(503, 'unavailable_error', 'Loading model'));
    if (this.opts.apiKey && req.headers.authorization !== `Bearer ${this.opts.apiKey}`) {
      return this.send(res, 401, error(401, 'authentication_error', 'Invalid API Key'));
    }
    if (this.faults.hang) return; // never answer
    if (this.faults.failNext && this.faults.failNext > 0) {
      this.faults.failNext--;
      return this.send(res, 503, error(503, 'unavailable_error', 'server busy (injected)'));
    }
    try {
      const engine = this.opts.engine;
      if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
        const info = await engine.info();
        return this.send(res, 200, {
          object: 'list',
          data: [{ id: this.modelName, aliases: this.opts.aliases ?? [], object: 'model', owned_by: 'llamacpp', meta: { n_ctx: await this.slotContext(), n_ctx_train: info.trainContextSize, n_vocab: info.vocabSize, n_params: info.parameters, size: info.sizeBytes } }],
        });
      }
      if (req.method === 'GET' && path === '/props') {
        return this.send(res, 200, { default_generation_settings: { n_ctx: await this.slotContext() }, total_slots: 1, model_path: this.opts.modelName ?? this.modelName, model_alias: this.modelName, chat_template: '' });
      }
      if (this.faults.noTokenizer && (path === '/tokenize' || path === '/detokenize')) {
        return this.send(res, 404, error(404, 'not_found_error', 'File Not Found'));
      }
      if (req.method === 'POST' && path === '/tokenize') {
        // the real server's default: special tokens parsed
        return this.send(res, 200, { tokens: await engine.tokenize(String(body?.content ?? ''), { special: body?.parse_special !== false }) });
      }
      if (req.method === 'POST' && path === '/detokenize') {
        return this.send(res, 200, { content: await engine.detokenize((body?.tokens as number[]) ?? []) });
      }
      if (req.method === 'POST' && (path === '/v1/completions' || path === '/completions')) return await this.completions(req, res, body ?? {}, 'oai');
      if (req.method === 'POST' && path === '/infill') return await this.completions(req, res, body ?? {}, 'infill');
      return this.send(res, 404, error(404, 'not_found_error', 'File Not Found'));
    } catch (err) {
      if (!res.headersSent) this.send(res, 500, error(500, 'server_error', (err as Error).message));
      else res.end();
    }
  }

  private async completions(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>, kind: 'oai' | 'infill'): Promise<void> {
    if (this.faults.garbage !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(this.faults.garbage);
      return;
    }
    const engine = this.opts.engine;
    const info = await engine.info();
    let prompt: number[];
    if (kind === 'infill') {
      if (!info.fim) {
        return this.send(res, 501, error(501, 'not_supported_error', 'Infill is not supported by this model: prefix token is missing. suffix token is missing. middle token is missing. '));
      }
      prompt = await fimPromptTokens(info.fim, { prefix: String(body.input_prefix ?? ''), suffix: String(body.input_suffix ?? '') }, (t, special) => engine.tokenize(t, { special }), info.special);
    } else {
      const p = body.prompt;
      if (typeof p === 'string') prompt = await engine.tokenize(p, { special: true }); // the real server parses special tokens in strings
      else if (Array.isArray(p) && p.every((t) => Number.isInteger(t))) prompt = p as number[];
      else return this.send(res, 400, error(400, 'invalid_request_error', '"prompt" must be a string, a list of tokens, a list of mixed strings & tokens, or a list of prompts'));
    }
    const maxTokens = Number(body.max_tokens ?? body.n_predict ?? 16);
    const nCtx = this.opts.enforceContext ?? (await this.slotContext());
    if (prompt.length >= nCtx) {
      // answered before any streaming, as the real server does
      return this.send(res, 400, error(400, 'exceed_context_size_error', `request (${prompt.length} tokens) exceeds the available context size (${nCtx} tokens), try increasing it`, { n_prompt_tokens: prompt.length, n_ctx: nCtx }));
    }
    const stream = body.stream === true;
    const ac = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) {
        this.clientAborts++;
        ac.abort();
      }
    });
    const stop = Array.isArray(body.stop) ? (body.stop as string[]) : typeof body.stop === 'string' ? [body.stop] : [];
    const id = `cmpl-${Date.now()}`;
    const created = Math.floor(Date.now() / 1000);
    const event = (text: string, extra: Record<string, unknown> = {}, finish: string | null = null) =>
      kind === 'oai'
        ? { choices: [{ text, index: 0, logprobs: null, finish_reason: finish }], created, model: this.modelName, object: 'text_completion', id, ...extra }
        : { index: 0, content: text, tokens: [], stop: finish !== null, id_slot: 0, ...extra };
    if (stream) res.writeHead(200, { 'content-type': 'text/event-stream', 'keep-alive': 'timeout=5, max=100' });
    let pendingWrite = Promise.resolve();
    let sent = 0;
    const write = (payload: unknown) => {
      const delay = this.faults.chunkDelayMs;
      pendingWrite = pendingWrite.then(async () => {
        if (delay) await new Promise((r) => setTimeout(r, delay));
        if (!res.writableEnded) res.write(`data: ${JSON.stringify(payload)}\n\n`);
      });
    };
    if (stream && body.return_progress === true) write(event('', { prompt_progress: { total: prompt.length, cache: 0, processed: 0, time_ms: 0 } }));
    const ctxLeft = nCtx - prompt.length;
    const result = await this.serial(async (): Promise<GenerationResult> => {
      this.session ??= await engine.openSession({ contextSize: nCtx });
      if (body.cache_prompt === false) await this.session.evaluate([]); // no reuse asked: start from an empty cache
      return this.session.generate(
        { prompt, maxTokens: Math.min(maxTokens, ctxLeft), temperature: Number(body.temperature ?? 0.8), topK: body.top_k as number | undefined, topP: body.top_p as number | undefined, seed: body.seed as number | undefined, stop },
        ac.signal,
        (chunk) => {
          if (!stream || !chunk.text) return;
          // A stall: the first `stallAfter` tokens are sent, then nothing while the stream stays open.
          // (Decided here, when the token is queued: checked when the write ran, tokens generated
          // faster than the writes drained were all dropped and the client never saw one.)
          if (this.faults.stallAfter !== undefined && sent >= this.faults.stallAfter) return;
          // the real server holds back a character split across tokens and sends an empty text event
          if (/[^\x00-\x7f]/.test(chunk.text)) write(event(''));
          write(event(chunk.text));
          sent++;
        },
      );
    });
    await pendingWrite;
    if (this.faults.stallAfter !== undefined && sent >= this.faults.stallAfter) return; // never ends
    const cut = result.stopReason === 'contextFull' || (result.stopReason === 'maxTokens' && result.tokens.length < maxTokens);
    const finish = result.stopReason === 'maxTokens' || cut ? 'length' : 'stop';
    const usage = { completion_tokens: result.tokens.length, prompt_tokens: result.promptTokens, total_tokens: result.promptTokens + result.tokens.length, prompt_tokens_details: { cached_tokens: result.reusedTokens } };
    const timings = {
      cache_n: result.reusedTokens,
      prompt_n: result.evaluatedTokens,
      prompt_ms: result.promptMs,
      prompt_per_second: result.promptMs ? (result.evaluatedTokens * 1000) / result.promptMs : 0,
      predicted_n: result.tokens.length,
      predicted_ms: result.generationMs,
      predicted_per_second: result.generationMs ? (result.tokens.length * 1000) / result.generationMs : 0,
    };
    if (res.writableEnded || ac.signal.aborted) return;
    const extra = kind === 'oai' ? { usage, timings } : { timings, tokens_predicted: result.tokens.length, tokens_evaluated: result.promptTokens, truncated: cut, stop_type: cut ? 'limit' : result.stopReason === 'stop' ? 'word' : 'eos' };
    if (stream) {
      res.write(`data: ${JSON.stringify(event('', extra, finish))}\n\n`);
      res.end(kind === 'oai' ? 'data: [DONE]\n\n' : '');
    } else {
      this.send(res, 200, kind === 'oai' ? { ...event(result.text, extra, finish) } : { ...event(result.text, extra, finish), content: result.text });
    }
  }
}
