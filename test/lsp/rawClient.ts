// A raw LSP peer for hostile-input tests: writes arbitrary bytes to the real server's stdin and
// reads its answers frame by frame (with the server's own FrameParser, which accepts any valid
// framing), so tests can send what no well-behaved client library would.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { FrameParser } from '../../server/src/transport';

const ROOT = join(__dirname, '..', '..');

export interface RawMessage {
  id?: unknown;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { code: number; message: string };
}

export class RawServer {
  readonly process: ChildProcessWithoutNullStreams;
  readonly received: RawMessage[] = [];
  stderr = '';
  private readonly parser = new FrameParser();
  private nextId = 1;
  private waiters: (() => void)[] = [];

  constructor(env: NodeJS.ProcessEnv = {}) {
    this.process = spawn(process.execPath, [join(ROOT, 'dist', 'server.js'), '--stdio'], { env: { ...process.env, ...env } });
    this.process.stderr.on('data', (d) => (this.stderr += d));
    this.process.stdout.on('data', (chunk: Buffer) => {
      for (const e of this.parser.push(chunk)) if (e.kind === 'message') this.onMessage(e.message as RawMessage);
      const w = this.waiters;
      this.waiters = [];
      w.forEach((f) => f());
    });
  }

  private onMessage(m: RawMessage): void {
    this.received.push(m);
    // Answer the server's own requests as a client would.
    if (m.method && m.id !== undefined && m.result === undefined && !m.error) {
      const result = m.method === 'workspace/configuration' ? ((m.params?.items as unknown[]) ?? []).map(() => ({})) : null;
      this.write(frame({ jsonrpc: '2.0', id: m.id, result }));
    }
  }

  write(bytes: string | Buffer): void {
    this.process.stdin.write(bytes);
  }

  /** Send a well-formed request and return its id. */
  request(method: string, params: unknown): number {
    const id = this.nextId++;
    this.write(frame({ jsonrpc: '2.0', id, method, params }));
    return id;
  }

  notify(method: string, params: unknown): void {
    this.write(frame({ jsonrpc: '2.0', method, params }));
  }

  async until<T>(find: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = find();
      if (v !== undefined) return v;
      if (Date.now() > deadline || this.process.exitCode !== null) throw new Error(`no ${what} (exit ${this.process.exitCode}); stderr:\n${this.stderr}\nreceived:\n${JSON.stringify(this.received.slice(-5))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 100);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  response(id: unknown): Promise<RawMessage> {
    return this.until(() => this.received.find((m) => m.id === id && m.method === undefined), `response to ${JSON.stringify(id)}`);
  }

  /** The latest diagnostics published for `uri` with at least this version. */
  diagnostics(uri: string, version: number): Promise<{ version?: number; diagnostics: { code?: string; message: string; range: { start: { line: number; character: number } } }[] }> {
    return this.until(() => {
      const all = this.received.filter((m) => m.method === 'textDocument/publishDiagnostics' && m.params?.uri === uri);
      const last = all[all.length - 1]?.params as { version?: number; diagnostics: [] } | undefined;
      return last && (last.version ?? 0) >= version ? last : undefined;
    }, `diagnostics for ${uri} v${version}`);
  }

  async initialize(): Promise<void> {
    const id = this.request('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } }, initializationOptions: { trusted: false } });
    await this.response(id);
    this.notify('initialized', {});
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  kill(): void {
    this.process.kill();
  }
}

export function frame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}
