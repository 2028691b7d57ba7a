// A small OpenAI-compatible completions server on loopback, backed by a real model through the
// embedded engine: GET /v1/models, POST /v1/completions (JSON or SSE streaming, cache_prompt with
// llama.cpp-style `timings`), POST /tokenize, POST /detokenize. For tests and the benchmark of the
// remote backend. Faults can be injected: failures before success, garbage, silence, auth.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EngineSession, GenerationResult, ModelEngine } from '../engine';

export interface TestServerOptions {
  engine: ModelEngine;
  /** The model id served (default 'hotpath-test'). */
  modelName?: string;
  /** Require this bearer token. */
  apiKey?: string;
  port?: number;
}

export interface Faults {
  /** Answer this many requests with HTTP 503 before serving normally. */
  failNext?: number;
  /** Answer completions with this raw body (status 200, JSON content type). */
  garbage?: string;
  /** Accept the request and never answer. */
  hang?: boolean;
  /** Delay each streamed chunk by this many ms. */
  chunkDelayMs?: number;
  /** Answer /tokenize and /detokenize with 404 (like Ollama). */
  noTokenizer?: boolean;
}

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

  get modelName(): string {
    return this.opts.modelName ?? 'hotpath-test';
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

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private async readBody(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (!chunks.length) return undefined;
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  }

  /** One request at a time on the model (like a single-slot llama.cpp server). */
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
      return this.send(res, 400, { error: { message: 'invalid JSON body', type: 'invalid_request_error' } });
    }
    this.requests.push({ method: req.method ?? 'GET', path, body, auth: req.headers.authorization });
    if (this.opts.apiKey && req.headers.authorization !== `Bearer ${this.opts.apiKey}`) {
      return this.send(res, 401, { error: { message: 'invalid API key', type: 'authentication_error' } });
    }
    if (this.faults.hang) return; // never answer
    if (this.faults.failNext && this.faults.failNext > 0) {
      this.faults.failNext--;
      return this.send(res, 503, { error: { message: 'server busy (injected)', type: 'server_error' } });
    }
    try {
      if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
        const info = await this.opts.engine.info();
        return this.send(res, 200, {
          object: 'list',
          data: [{ id: this.modelName, object: 'model', owned_by: 'hotpath', meta: { n_ctx_train: info.trainContextSize, n_vocab: info.vocabSize, n_params: info.parameters, size: info.sizeBytes } }],
        });
      }
      if (this.faults.noTokenizer && (path === '/tokenize' || path === '/detokenize')) {
        return this.send(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'not_found_error' } });
      }
      if (req.method === 'POST' && path === '/tokenize') {
        const text = String(body?.content ?? body?.prompt ?? '');
        return this.send(res, 200, { tokens: await this.opts.engine.tokenize(text, { special: body?.parse_special === true }) });
      }
      if (req.method === 'POST' && path === '/detokenize') {
        return this.send(res, 200, { content: await this.opts.engine.detokenize((body?.tokens as number[]) ?? []) });
      }
      if (req.method === 'POST' && (path === '/v1/completions' || path === '/completions')) return await this.completions(req, res, body ?? {});
      return this.send(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'not_found_error' } });
    } catch (err) {
      if (!res.headersSent) this.send(res, 500, { error: { message: (err as Error).message, type: 'server_error' } });
      else res.end();
    }
  }

  private async completions(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): Promise<void> {
    if (this.faults.garbage !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(this.faults.garbage);
      return;
    }
    if (body.model !== undefined && body.model !== '' && body.model !== this.modelName) {
      return this.send(res, 404, { error: { message: `model "${String(body.model)}" not found`, type: 'not_found_error' } });
    }
    const prompt = body.prompt;
    if (!(typeof prompt === 'string' || (Array.isArray(prompt) && prompt.every((t) => Number.isInteger(t))))) {
      return this.send(res, 400, { error: { message: 'prompt must be a string or an array of token ids', type: 'invalid_request_error' } });
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
    if (stream) res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    let pendingWrite = Promise.resolve();
    const result = await this.serial(async (): Promise<GenerationResult> => {
      this.session ??= await this.opts.engine.openSession();
      if (body.cache_prompt !== true) await this.session.evaluate([]); // no reuse asked: start from an empty cache
      return this.session.generate(
        {
          prompt: prompt as string | number[],
          special: typeof prompt === 'string',
          maxTokens: Number(body.max_tokens ?? 16),
          temperature: Number(body.temperature ?? 0),
          topK: body.top_k as number | undefined,
          topP: body.top_p as number | undefined,
          seed: body.seed as number | undefined,
          stop,
        },
        ac.signal,
        (chunk) => {
          if (!stream || !chunk.text) return;
          const delay = this.faults.chunkDelayMs;
          pendingWrite = pendingWrite.then(async () => {
            if (delay) await new Promise((r) => setTimeout(r, delay));
            if (!res.writableEnded) res.write(`data: ${JSON.stringify({ id, object: 'text_completion', created, model: this.modelName, choices: [{ index: 0, text: chunk.text, finish_reason: null }] })}\n\n`);
          });
        },
      );
    });
    await pendingWrite;
    const finish = result.stopReason === 'maxTokens' || result.stopReason === 'contextFull' ? 'length' : 'stop';
    const usage = { prompt_tokens: result.promptTokens, completion_tokens: result.tokens.length, total_tokens: result.promptTokens + result.tokens.length };
    const timings = { cache_n: result.reusedTokens, prompt_n: result.evaluatedTokens, predicted_n: result.tokens.length, prompt_ms: result.promptMs, predicted_ms: result.generationMs };
    if (res.writableEnded || ac.signal.aborted) return;
    if (stream) {
      res.write(`data: ${JSON.stringify({ id, object: 'text_completion', created, model: this.modelName, choices: [{ index: 0, text: '', finish_reason: finish }], timings })}\n\n`);
      res.write(`data: ${JSON.stringify({ id, object: 'text_completion', created, model: this.modelName, choices: [], usage })}\n\n`);
      res.end('data: [DONE]\n\n');
    } else {
      this.send(res, 200, { id, object: 'text_completion', created, model: this.modelName, choices: [{ index: 0, text: result.text, finish_reason: finish }], usage, timings });
    }
  }
}
