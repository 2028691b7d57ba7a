// A minimal LSP client for integration tests: starts the real bundled server (dist/server.js)
// over stdio and speaks the protocol to it, as an editor would.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

const ROOT = join(__dirname, '..', '..');

export interface TestServerOptions {
  settings?: Record<string, unknown>;
  /** Another bundled server to run (a staged package's dist/server.js, a baseline build) instead of this checkout's. */
  serverPath?: string;
  /** Workspace folders (file: URIs) the client reports (workspace/workspaceFolders). */
  workspaceFolders?: string[];
  trusted?: boolean;
  env?: NodeJS.ProcessEnv;
  /** More client capabilities (e.g. `textDocument: { diagnostic: {} }`, a client that pulls diagnostics). */
  capabilities?: Record<string, unknown>;
  /** More initializationOptions (e.g. `timing: true`, the server's per-analysis timing log). */
  initializationOptions?: Record<string, unknown>;
}

export class TestServer {
  readonly process: ChildProcessWithoutNullStreams;
  readonly connection: ProtocolConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly logs: string[] = [];
  stderr = '';
  private waiters: (() => void)[] = [];
  private versions = new Map<string, number>();
  private shuttingDown = false;
  /**
   * Rejects, with the server's exit and stderr, when the server process ends before `shutdown`: a
   * request awaited on a dead server is never answered, so a test races its awaits with this
   * instead of hanging (the soak test hung once in CI with no server left).
   */
  readonly gone: Promise<never>;

  constructor(private readonly options: TestServerOptions = {}) {
    this.process = spawn(process.execPath, [options.serverPath ?? join(ROOT, 'dist', 'server.js'), '--stdio'], { env: { ...process.env, ...options.env } });
    this.process.stderr.on('data', (d) => (this.stderr += d));
    this.gone = new Promise<never>((_, reject) =>
      this.process.on('exit', (code, signal) => {
        if (!this.shuttingDown) reject(new Error(`the server exited (code ${code}, signal ${signal}); server stderr:\n${this.stderr}`));
      }),
    );
    this.gone.catch(() => undefined); // only the awaits that race it report it
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      this.notify();
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      this.notify();
    });
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((i) => (i.section === 'hotpath' ? (this.options.settings ?? {}) : null)),
    );
    this.connection.onRequest('workspace/workspaceFolders', () => (this.options.workspaceFolders ?? []).map((uri) => ({ uri, name: uri.split('/').pop() })));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  async initialize(rootUri: string | null = null): Promise<Record<string, unknown>> {
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri,
      capabilities: { workspace: { configuration: true, workspaceFolders: this.options.workspaceFolders !== undefined }, window: { workDoneProgress: true }, ...this.options.capabilities },
      workspaceFolders: this.options.workspaceFolders?.map((uri) => ({ uri, name: uri.split('/').pop() })) ?? null,
      initializationOptions: { ...this.options.initializationOptions, trusted: this.options.trusted ?? false },
    });
    await this.connection.sendNotification('initialized', {});
    return result as Record<string, unknown>;
  }

  /** A request that fails, instead of waiting forever, when the server process ends first. */
  request<R>(method: string, params: unknown): Promise<R> {
    return Promise.race([this.connection.sendRequest<R>(method, params), this.gone]);
  }

  /** Change the settings the client reports and tell the server (workspace/didChangeConfiguration). */
  async setSettings(settings: Record<string, unknown>): Promise<void> {
    this.options.settings = settings;
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  /**
   * Resolve when `predicate` holds, re-checking on every message; reject after `timeoutMs`. A guard
   * against a hang, not a speed claim: 20 s ran out on a 600 KB file's first diagnostics at load ~20 on
   * two cores (the soak test's memory rounds, CI of 7237881 beside four engineers), so the default is 90 s.
   */
  async until<T>(predicate: () => T | undefined | false, what: string, timeoutMs = 90_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; server stderr:\n${this.stderr}\nlogs:\n${this.logs.join('\n')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(250, Math.max(1, deadline - Date.now())));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async open(uri: string, languageId: string, text: string): Promise<PublishDiagnosticsParams> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return this.diagnosticsFor(uri, 1);
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<PublishDiagnosticsParams> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return this.diagnosticsFor(uri, version);
  }

  diagnosticsFor(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    return this.until(() => {
      const d = this.diagnostics.get(uri);
      return d && (d.version === undefined || d.version >= version) ? d : undefined;
    }, `diagnostics for ${uri} v${version}`);
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    if (this.alive) {
      try {
        await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        await this.connection.sendNotification('exit');
      } catch {
        // already gone
      }
    }
    this.connection.dispose();
    if (this.alive) this.process.kill();
  }
}
