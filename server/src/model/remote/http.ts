// The HTTP side of the remote backend, separate from what the requests mean (remote/engine.ts):
// JSON requests and server-sent-event streams with
//   - retries with exponential backoff after a refused connection, a timeout, 429 or 5xx, never
//     once a stream has started (its text was already shown) and never for a request the server
//     rejected for its content (4xx: the same request would fail the same way);
//   - 503 "Loading model" (llama-server while it loads) waited out with a bounded backoff that
//     outlasts a real model load (loadWaitMs, default 5 minutes), not counted as a retry;
//   - a timeout for connecting and for every silence before the first generated token (the server
//     evaluates the prompt; with llama.cpp's `return_progress` it sends an event per prompt batch,
//     so the timeout applies per batch, not to the whole prompt), and stall detection once tokens
//     flow: a silence much longer than the gaps between tokens so far (10× the longest, at least
//     stallMinMs, at most timeoutMs) means the server stopped generating while keeping the stream
//     open;
//   - cancellation through an AbortSignal (the server sees the client go away);
//   - errors that name the server, with the server's own message and error type.
import { EngineError } from '../engine';

export interface HttpOptions {
  /** Root of the server (no /v1). */
  root: string;
  apiKey?: string;
  /** Connecting, the response headers and the first event; the ceiling of the stall window. */
  timeoutMs: number;
  retries: number;
  /** Backoff before retry n (0-based), ms (default 250 · 2^n). */
  backoffMs?: (attempt: number) => number;
  /** How long to wait for a server that answers 503 "Loading model" (default 300 000). */
  loadWaitMs?: number;
  /** Shortest stall window once a stream is flowing (default 5000). */
  stallMinMs?: number;
  log?: (message: string) => void;
  /** Called while waiting for a loading server (for the status: "server loading the model"). */
  onLoading?: (waitedMs: number) => void;
}

/** What the server said when it refused a request (status, its error type and message, the body). */
export interface ServerError {
  status: number;
  type?: string;
  message: string;
  body: Record<string, unknown> | undefined;
}

/** Given to a response reader: `beat` on every chunk received, `generating` once tokens flow. */
export interface Pulse {
  beat(): void;
  generating(): void;
}

export class HttpError extends EngineError {
  constructor(message: string, code: EngineError['code'], readonly server: ServerError) {
    super(message, code);
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new EngineError('cancelled', 'aborted'));
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

function parseError(status: number, text: string): ServerError {
  let message = text.slice(0, 300);
  let type: string | undefined;
  let body: Record<string, unknown> | undefined;
  try {
    const j = JSON.parse(text) as { error?: { message?: string; type?: string } | string; message?: string; detail?: string };
    body = j as Record<string, unknown>;
    if (typeof j.error === 'string') message = j.error;
    else if (j.error) {
      message = j.error.message ?? message;
      type = j.error.type;
    } else message = j.message ?? j.detail ?? message;
  } catch {
    /* not JSON */
  }
  return { status, type, message, body };
}

export class HttpTransport {
  constructor(readonly options: HttpOptions) {}

  get where(): string {
    return `server at ${this.options.root}`;
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    if (this.options.apiKey) h.authorization = `Bearer ${this.options.apiKey}`;
    return h;
  }

  /** A low-level failure as a message that names the server. */
  describe(err: unknown, timedOut: string | undefined): EngineError {
    if (err instanceof EngineError) return err;
    if (timedOut) return new EngineError(`${this.where} ${timedOut}`, 'timeout');
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const code = e?.cause?.code ?? (e as { code?: string })?.code;
    if (code === 'ECONNREFUSED') return new EngineError(`${this.where} refused the connection (is it running?)`, 'connectionRefused');
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new EngineError(`${this.where}: host not found`, 'connectionRefused');
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return new EngineError(`${this.where} closed the connection`, 'connectionRefused');
    return new EngineError(`${this.where}: ${e?.cause?.message ?? e?.message ?? String(err)}`, 'http');
  }

  /** An HTTP error answer as an EngineError (HttpError, with what the server said). */
  httpError(status: number, text: string): HttpError {
    const s = parseError(status, text);
    if (s.type === 'exceed_context_size_error' || /exceeds? (the )?(available )?context|context length|maximum context/i.test(s.message)) {
      return new HttpError(`${this.where}: the prompt does not fit the context: ${s.message}`, 'contextFull', s);
    }
    if (status === 401 || status === 403) return new HttpError(`${this.where} rejected the request (HTTP ${status}): check the API key (Hotpath: Set API Key)`, 'http', s);
    if (status === 404 && /model/i.test(s.message)) return new HttpError(`${this.where}: ${s.message}`, 'modelNotFound', s);
    if (status === 501 || s.type === 'not_supported_error') return new HttpError(`${this.where}: ${s.message}`, 'unsupported', s);
    return new HttpError(`${this.where} answered HTTP ${status}${s.message ? `: ${s.message}` : ''}`, 'http', s);
  }

  /**
   * One exchange with retries; the response goes to `read` (which may stream) with `beat()` to call
   * on every byte received (the stall detector) once the headers are in.
   */
  async exchange<T>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
    read: (res: Response, pulse: Pulse) => Promise<T>,
  ): Promise<T> {
    const o = this.options;
    const attempts = o.retries + 1;
    const loadWait = o.loadWaitMs ?? 300_000;
    const started = Date.now();
    let loadingWaits = 0;
    let last: EngineError | undefined;
    for (let attempt = 0; attempt < attempts; ) {
      if (signal?.aborted) throw new EngineError('cancelled', 'aborted');
      const ac = new AbortController();
      let timedOut: string | undefined;
      let timer: NodeJS.Timeout | undefined;
      const arm = (ms: number, why: string) => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          timedOut = why;
          ac.abort();
        }, ms);
      };
      // the stall window once tokens flow: 10× the longest gap between chunks, within [stallMin, timeout]
      let generating = false;
      let lastBeat = 0;
      let longestGap = 0;
      const rearm = () => {
        const window = generating ? Math.min(o.timeoutMs, Math.max(o.stallMinMs ?? 5000, 10 * longestGap)) : o.timeoutMs;
        arm(window, window < o.timeoutMs ? `stopped sending (no token for ${(window / 1000).toFixed(1)} s while the stream stayed open)` : `did not answer within ${o.timeoutMs / 1000} s`);
      };
      const beat = () => {
        const now = performance.now();
        if (generating && lastBeat) longestGap = Math.max(longestGap, now - lastBeat);
        lastBeat = now;
        rearm();
      };
      const pulse: Pulse = {
        beat,
        generating: () => {
          if (generating) return;
          generating = true;
          lastBeat = performance.now();
          rearm();
        },
      };
      const onAbort = () => ac.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      arm(o.timeoutMs, `did not answer within ${o.timeoutMs / 1000} s`);
      let streaming = false;
      try {
        const res = await fetch(`${o.root}${path}`, { method, headers: this.headers(), body: body === undefined ? undefined : JSON.stringify(body), signal: ac.signal });
        if (!res.ok) {
          const text = await res.text().catch(() => '');
          const err = this.httpError(res.status, text);
          if (res.status === 503 && /loading model/i.test(err.server.message)) {
            // llama-server while it loads: wait (not a retry), bounded
            const waited = Date.now() - started;
            if (waited < loadWait) {
              o.onLoading?.(waited);
              const delay = Math.min(2000, 100 * 2 ** Math.min(loadingWaits++, 5));
              await sleep(Math.min(delay, loadWait - waited), signal);
              continue;
            }
            throw new EngineError(`${this.where} was still loading its model after ${Math.round(waited / 1000)} s`, 'timeout');
          }
          if ((res.status === 429 || res.status >= 500) && attempt + 1 < attempts) {
            last = err;
            await sleep(o.backoffMs?.(attempt) ?? 250 * 2 ** attempt, signal);
            attempt++;
            continue;
          }
          throw err;
        }
        streaming = true;
        beat();
        return await read(res, pulse);
      } catch (err) {
        if (signal?.aborted) throw new EngineError('cancelled', 'aborted');
        const e = this.describe(err, timedOut);
        // Once a stream has started, do not repeat the request (its text was already shown).
        const retriable = !streaming && (e.code === 'connectionRefused' || e.code === 'timeout');
        if (retriable && attempt + 1 < attempts) {
          last = e;
          o.log?.(`${e.message}; retrying (${attempt + 1}/${attempts - 1})`);
          await sleep(o.backoffMs?.(attempt) ?? 250 * 2 ** attempt, signal);
          attempt++;
          continue;
        }
        throw e;
      } finally {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
    }
    throw last ?? new EngineError(`${this.where}: request failed`, 'http');
  }

  async json<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return this.exchange(method, path, body, signal, async (res) => parseJson<T>(await res.text(), this.where));
  }
}

export function parseJson<T>(text: string, where: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new EngineError(`${where} sent an invalid response (not JSON): ${text.slice(0, 120)}`, 'badResponse');
  }
}

/** The `data:` payloads of a server-sent-events response; `beat` on every chunk received. */
export async function* sseEvents(res: Response, pulse: Pulse): AsyncGenerator<string> {
  if (!res.body) return;
  const decoder = new TextDecoder();
  let buf = '';
  let data: string[] = [];
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    pulse.beat();
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
      // other fields (event:, id:, retry:, comments used as keep-alives) only count as a beat
    }
  }
  if (data.length) yield data.join('\n');
}
