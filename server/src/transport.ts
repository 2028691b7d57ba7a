// How the server reads and writes LSP messages, hardened against malformed input.
//
// vscode-jsonrpc's stream reader trusts Content-Length: a value larger than the body makes it
// swallow every later message into that body (the server stays alive and never answers again),
// a smaller one leaves it parsing the rest of the body as headers. FrameParser re-synchronises
// instead: a raw `Content-Length: N\r\n` header line cannot occur inside a JSON body (JSON strings
// cannot hold a raw CR or LF, and letters outside strings are not JSON), so wherever one appears
// where a body was expected, the previous frame was wrong: it is dropped, logged, and reading
// goes on from that header. Bodies that are not JSON get a Parse error reply (id null); a request
// whose frame was wrong but whose body is whole gets an Invalid Request reply to its id.
//
// Messages are then checked before vscode-jsonrpc sees them (guardMessages): a request whose id is
// neither a string nor a number, or whose position or range is not made of non-negative integers,
// is answered with an error instead of being dropped silently, so every request gets an answer.
//
// Writes wait for the transport (back-pressure): with node IPC, vscode-jsonrpc's writer reports a
// message written before it is; the writer here resolves when process.send's callback runs, so a
// slow client slows the diagnostics publisher down instead of growing a queue.
import type { Readable, Writable } from 'node:stream';
import {
  AbstractMessageReader,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageWriter,
  type DataCallback,
  type Disposable,
  type Message,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';
import { isPosition, isRange } from './analysis/positions';

const INVALID_REQUEST = -32600;
const INVALID_PARAMS = -32602;
const PARSE_ERROR = -32700;

/** The largest body accepted (a didOpen of a large file is a few MB; this is far above any). */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
const CRLF2 = Buffer.from('\r\n\r\n');
const HEADER = /content-length:[ \t]*(\d+)[ \t]*\r\n/i;
const HEADER_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+:.*$/;

/** An error response owed to the client for a frame that was dropped (id null when unknown). */
export interface OwedReply {
  id: string | number | null;
  code: number;
  message: string;
}

export type FrameEvent = { kind: 'message'; message: unknown } | { kind: 'problem'; message: string; reply?: OwedReply };

/** Splits a byte stream into LSP frames and parsed JSON bodies, re-synchronising after bad frames. */
export class FrameParser {
  private buffer: Buffer = Buffer.alloc(0);
  /** Body length of the frame being read, or -1 while reading headers. */
  private expected = -1;
  /** How far the current body has been searched for a header that would end it early. */
  private scanned = 0;
  /** Chunks of a body still incomplete, kept apart and joined once when the body is whole. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The last bytes received (latin1), so a header cut between two chunks is still seen. */
  private pendingTail = '';

  push(chunk: Buffer): FrameEvent[] {
    if (this.keepsWaiting(chunk)) return [];
    const parts = [this.buffer, ...this.pending, chunk].filter((b) => b.length > 0);
    this.buffer = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    this.pending = [];
    this.pendingBytes = 0;
    const out: FrameEvent[] = [];
    for (;;) {
      if (this.expected < 0) {
        if (!this.readHeaders(out)) return out;
        continue;
      }
      // A header where the body should be: the declared length was too large.
      const early = this.findHeader(this.scanned, Math.min(this.buffer.length, this.expected));
      if (early >= 0) {
        const message = `dropped a message whose Content-Length (${this.expected}) ran into the next message after ${early} bytes`;
        // If what came before the next header is a whole request, it can at least be answered.
        const id = requestId(this.buffer.subarray(0, early));
        out.push({ kind: 'problem', message, reply: id === undefined ? undefined : { id, code: INVALID_REQUEST, message: `Invalid Request: ${message}` } });
        this.buffer = this.buffer.subarray(early);
        this.expected = -1;
        continue;
      }
      if (this.buffer.length < this.expected) {
        this.scanned = Math.max(0, this.buffer.length - 64);
        return out;
      }
      let body = this.buffer.subarray(0, this.expected);
      this.buffer = this.buffer.subarray(this.expected);
      this.expected = -1;
      try {
        out.push({ kind: 'message', message: JSON.parse(body.toString('utf8')) });
      } catch (err) {
        // A length too large by a few bytes ends the body inside the next frame's header, whose
        // rest has not arrived yet (so findHeader could not see it): give that header back.
        const start = headerStartIn(body);
        if (start >= 0) {
          this.buffer = Buffer.concat([body.subarray(start), this.buffer]);
          body = body.subarray(0, start);
        }
        const message = `dropped a message that is not JSON (${(err as Error).message}): ${preview(body)}`;
        out.push({ kind: 'problem', message, reply: { id: null, code: PARSE_ERROR, message: `Parse error: ${message}` } });
      }
    }
  }

  /**
   * Keep a chunk aside when it falls inside a body that is still incomplete and holds no header
   * that would end that body early. Joining the buffer on every chunk instead copies a message that
   * arrives in k chunks k times over (quadratic in its size); this way it is joined once.
   */
  private keepsWaiting(chunk: Buffer): boolean {
    if (this.expected < 0 || this.buffer.length + this.pendingBytes + chunk.length >= this.expected) return false;
    const before = this.pending.length > 0 ? this.pendingTail : this.buffer.subarray(-64).toString('latin1');
    const text = before + chunk.toString('latin1');
    if (HEADER.test(text)) return false;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.pendingTail = text.slice(-64);
    return true;
  }

  /** Read a header block into `expected`; false when more bytes are needed. */
  private readHeaders(out: FrameEvent[]): boolean {
    const end = this.buffer.indexOf(CRLF2);
    if (end < 0) {
      // No complete header block: garbage before a header is skipped; a partial header waits.
      const next = this.findHeader(1, this.buffer.length);
      if (next > 0) this.skip(next, out);
      else if (this.buffer.length > 64 * 1024) this.skip(this.buffer.length - 64, out);
      return false;
    }
    const lines = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
    const lengthLine = lines.find((l) => /^content-length:/i.test(l));
    const value = lengthLine?.slice(lengthLine.indexOf(':') + 1).trim();
    const length = value !== undefined && /^\d+$/.test(value) ? Number(value) : NaN;
    const notHeader = lines.find((l) => !HEADER_LINE.test(l));
    if (notHeader !== undefined || !(length <= MAX_MESSAGE_BYTES)) {
      // Not a header block, or a length that cannot be right: go on from the next header.
      const next = this.findHeader(1, this.buffer.length);
      // Text with no header of its own (a bare JSON line) right before a valid header: skip just it.
      if (notHeader !== undefined && next > 0 && next <= end && lines.slice(lines.indexOf(notHeader) + 1).every((l) => HEADER_LINE.test(l))) {
        // A whole request sent without its header is answered, as other dropped requests are.
        const id = requestId(this.buffer.subarray(0, next));
        const message = `skipped ${next} bytes without a Content-Length header before them: ${preview(this.buffer.subarray(0, next))}`;
        out.push({ kind: 'problem', message, reply: id === undefined ? undefined : { id, code: INVALID_REQUEST, message: `Invalid Request: a message without a Content-Length header` } });
        this.buffer = this.buffer.subarray(next);
        return true;
      }
      const why = notHeader !== undefined ? `a line that is not a header: ${JSON.stringify(notHeader.length > 60 ? `${notHeader.slice(0, 60)}…` : notHeader)}` : !lengthLine ? 'no Content-Length' : Number.isNaN(length) ? `Content-Length ${JSON.stringify(value)} is not a number` : `Content-Length ${value} is over the limit`;
      out.push({ kind: 'problem', message: `skipped a malformed header (${why}): ${preview(this.buffer.subarray(0, end))}` });
      if (next > 0) this.buffer = this.buffer.subarray(next);
      else this.buffer = this.buffer.subarray(end + CRLF2.length);
      return true;
    }
    this.buffer = this.buffer.subarray(end + CRLF2.length);
    this.expected = length;
    this.scanned = 0;
    return true;
  }

  /** Index of the first `Content-Length: N\r\n` starting in [from, to), or -1. */
  private findHeader(from: number, to: number): number {
    if (to <= from) return -1;
    // Search a little past `to` so that a header straddling the end is still seen.
    const text = this.buffer.subarray(from, Math.min(this.buffer.length, to + 40)).toString('latin1');
    const m = HEADER.exec(text);
    return m && m.index < to - from ? from + m.index : -1;
  }

  private skip(n: number, out: FrameEvent[]): void {
    out.push({ kind: 'problem', message: `skipped ${n} bytes that are not an LSP message: ${preview(this.buffer.subarray(0, n))}` });
    this.buffer = this.buffer.subarray(n);
  }
}

const HEADER_PREFIX = /^content-length:[ \t]*\d*[ \t]*\r?$/i;

/** Where the body's tail begins a `Content-Length: N\r\n` line that runs past its end, or -1. */
function headerStartIn(body: Buffer): number {
  for (let k = Math.min(body.length, 40); k > 0; k--) {
    const tail = body.subarray(body.length - k).toString('latin1');
    if ('content-length:'.startsWith(tail.toLowerCase()) || HEADER_PREFIX.test(tail)) return body.length - k;
  }
  return -1;
}

/** The id of the request these bytes hold, if they are one. */
function requestId(bytes: Buffer): string | number | undefined {
  try {
    const m = JSON.parse(bytes.toString('utf8')) as { id?: unknown; method?: unknown };
    return typeof m?.method === 'string' && (typeof m.id === 'string' || typeof m.id === 'number') ? m.id : undefined;
  } catch {
    return undefined;
  }
}

function preview(b: Buffer): string {
  const s = b.subarray(0, 120).toString('utf8');
  return JSON.stringify(b.length > 120 ? `${s}…` : s);
}

/** A MessageReader over a byte stream, framed by FrameParser. */
export class ResyncingStreamReader extends AbstractMessageReader implements MessageReader {
  private readonly parser = new FrameParser();

  constructor(
    private readonly readable: Readable,
    private readonly onProblem: (event: Extract<FrameEvent, { kind: 'problem' }>) => void,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const onData = (chunk: Buffer) => {
      for (const e of this.parser.push(chunk)) {
        if (e.kind === 'message') callback(e.message as Message);
        else this.onProblem(e);
      }
    };
    const onError = (err: Error) => this.fireError(err);
    const onClose = () => this.fireClose();
    this.readable.on('data', onData);
    this.readable.on('error', onError);
    this.readable.on('end', onClose);
    this.readable.on('close', onClose);
    return {
      dispose: () => {
        this.readable.off('data', onData);
        this.readable.off('error', onError);
        this.readable.off('end', onClose);
        this.readable.off('close', onClose);
      },
    };
  }
}

/** Request parameters that hold positions: every one must be made of non-negative integers. */
function invalidPositions(params: unknown): string | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const p = params as { position?: unknown; range?: unknown };
  if (p.position !== undefined && !isPosition(p.position)) return `invalid position ${JSON.stringify(p.position)} (line and character are non-negative integers)`;
  if (p.range !== undefined && !isRange(p.range)) return `invalid range ${JSON.stringify(p.range)} (line and character are non-negative integers)`;
  return undefined;
}


/**
 * What to do with one incoming message: pass it on, or answer it with an error (or drop it when
 * it cannot be answered).
 */
export function checkMessage(m: unknown): { pass: true } | { pass: false; reply?: OwedReply; log: string } {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) {
    return { pass: false, reply: { id: null, code: INVALID_REQUEST, message: 'Invalid Request: a message is a JSON object (batches are not part of LSP)' }, log: `answered a message that is not an object: ${JSON.stringify(m)?.slice(0, 120)}` };
  }
  const msg = m as { id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: unknown };
  const id = msg.id;
  const validId = typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
  if ('method' in msg && typeof msg.method === 'string') {
    if (id === undefined) return { pass: true }; // a notification: documents.ts validates what it uses
    if (!validId) return { pass: false, reply: { id: null, code: INVALID_REQUEST, message: `Invalid Request: id must be a string or a number, not ${JSON.stringify(id)}` }, log: `answered ${msg.method} with an invalid id ${JSON.stringify(id)?.slice(0, 80)}` };
    const bad = invalidPositions(msg.params);
    if (bad) return { pass: false, reply: { id: id as string | number, code: INVALID_PARAMS, message: `Invalid params: ${bad}` }, log: `answered ${msg.method} (id ${JSON.stringify(id)}): ${bad}` };
    return { pass: true };
  }
  if ('result' in msg || 'error' in msg) return { pass: true }; // a response to one of ours
  return { pass: false, reply: { id: validId ? (id as string | number) : null, code: INVALID_REQUEST, message: 'Invalid Request: no method' }, log: `answered a message without a method: ${JSON.stringify(m).slice(0, 120)}` };
}

/**
 * Wrap a reader so that invalid messages are answered (through `writer`) instead of reaching the
 * connection; so are requests after `shutdown` (LSP: they get Invalid Request; notifications, `exit`
 * above all, still pass).
 */
export function guardMessages(reader: MessageReader, writer: MessageWriter, log: (m: string) => void): MessageReader {
  const reply = (id: string | number | null, code: number, message: string) =>
    void writer.write({ jsonrpc: '2.0', id, error: { code, message } } as Message).catch(() => undefined);
  let shutDown = false;
  return new (class extends AbstractMessageReader implements MessageReader {
    constructor() {
      super();
      reader.onError((e) => this.fireError(e));
      reader.onClose(() => this.fireClose());
      reader.onPartialMessage((info) => this.firePartialMessage(info));
    }
    listen(callback: DataCallback): Disposable {
      return reader.listen((m) => {
        const verdict = checkMessage(m);
        if (verdict.pass) {
          const request = m as { id?: string | number; method?: unknown };
          if (typeof request.method === 'string' && request.id !== undefined) {
            if (shutDown) {
              log(`answered ${request.method} (id ${JSON.stringify(request.id)}) with Invalid Request: it came after shutdown`);
              reply(request.id, INVALID_REQUEST, `Invalid Request: ${request.method} after shutdown (the server only expects exit now)`);
              return;
            }
            if (request.method === 'shutdown') shutDown = true;
          }
          return callback(m);
        }
        log(verdict.log);
        if (verdict.reply) reply(verdict.reply.id, verdict.reply.code, verdict.reply.message);
      });
    }
    dispose(): void {
      reader.dispose();
      super.dispose();
    }
  })();
}

/** IPC writer whose writes resolve once node has sent the message (see the top of this file). */
class IpcWriter extends IPCMessageWriter {
  constructor(private readonly proc: NodeJS.Process) {
    super(proc);
  }
  override write(msg: Message): Promise<void> {
    const send = this.proc.send?.bind(this.proc);
    if (!send) return super.write(msg);
    return new Promise((resolve) => {
      try {
        send(msg, undefined, undefined, () => resolve());
      } catch {
        resolve();
      }
    });
  }
}

/**
 * The reader and writer for the transport named on the command line (--stdio or --node-ipc), or
 * undefined for the others (sockets, pipes), which vscode-languageserver sets up itself.
 */
export function createTransport(argv: readonly string[], log: (m: string) => void, io: { stdin: Readable; stdout: Writable } = process): { reader: MessageReader; writer: MessageWriter } | undefined {
  if (argv.includes('--node-ipc')) {
    const writer = new IpcWriter(process);
    return { reader: guardMessages(new IPCMessageReader(process), writer, log), writer };
  }
  if (!argv.includes('--stdio')) return undefined;
  // stdout carries the protocol: anything printed with console.* goes to stderr instead.
  for (const k of ['log', 'info', 'debug', 'warn', 'error'] as const) console[k] = (...args: unknown[]) => void process.stderr.write(args.map(String).join(' ') + '\n');
  const writer = new StreamMessageWriter(io.stdout);
  const reader = new ResyncingStreamReader(io.stdin, (e) => {
    log(e.message);
    if (e.reply) void writer.write({ jsonrpc: '2.0', id: e.reply.id, error: { code: e.reply.code, message: e.reply.message } } as Message).catch(() => undefined);
  });
  // The client closed our input: nothing more will come.
  io.stdin.on('end', () => process.exit(0));
  io.stdin.on('close', () => process.exit(0));
  return { reader: guardMessages(reader, writer, log), writer };
}
