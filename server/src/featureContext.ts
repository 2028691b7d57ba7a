// What every LSP feature file receives. server.ts builds one and hands it to each feature: the
// connection, the documents, the settings and the services features share. Features keep no
// module-level state and reach one another only through this context (and features/request.ts).
import { DiagnosticRefreshRequest, type CancellationToken, type ClientCapabilities, type CodeAction, type CodeActionParams, type Connection, type Diagnostic, type FileEvent, type ServerCapabilities } from 'vscode-languageserver/node';
import type { ProjectSelections } from './analysis/config';
import type { Finding } from './analysis/rule';
import type { DocumentStore, OpenDocument } from './documents';
import type { ModelService } from './model/service';
import type { ParserFactory } from './parsing';
import type { SettingsStore } from './settings';

export interface ServerContext {
  connection: Connection;
  documents: DocumentStore;
  settings: SettingsStore;
  parsers: ParserFactory;
  /** VS Code workspace trust, as the client reports it: user code runs only when true. */
  isTrusted(): boolean;
  /** A line in the Hotpath output channel (the server's stderr/log). */
  log(message: string): void;
  /** Each document's project configuration (hotpath.toml, pyproject.toml, package.json), cached until a config file changes. */
  readonly projectSelections: ProjectSelections;
  /** The model service (engine, completions, rewrites, the model commands), following the settings. */
  readonly models: ModelService;
  /** Diagnostics features add to a document's findings (e.g. measured complexity); published with them. */
  readonly diagnosticsContributors: DiagnosticsContributor[];
  /** Code actions features add to the quick fixes (features/codeActions.ts has the one handler). */
  readonly codeActionContributors: CodeActionContributor[];
  /** Words features add to a quick fix's title (e.g. its measurement: "Use a set (measured: 12× faster at n=10⁴)"). */
  readonly fixTitleContributors: FixTitleContributor[];
  /**
   * Publish a document's diagnostics soon (after its analysis or a contributor's data changed), or
   * clear those of a URI no longer open. Coalesced per document (features/diagnostics.ts).
   */
  publishDiagnostics(target: OpenDocument | string): Promise<void>;
  /** Whether the client takes open documents' diagnostics pushed, pulled or both. */
  readonly diagnosticDelivery: DiagnosticDelivery;
  /** An open document's diagnostics once its analysis is up to date and complete (what a pull answers; features/diagnostics.ts). */
  pulledDiagnostics(doc: OpenDocument, token?: CancellationToken): Promise<Diagnostic[]>;
  /**
   * Files the client watches changed (project configuration, source files). LSP allows one handler
   * per connection; every feature that cares subscribes here instead.
   */
  onDidChangeWatchedFiles(listener: (changes: FileEvent[]) => void): void;
}

/** Diagnostics of a feature's own for a document (e.g. a measured complexity). */
export type DiagnosticsContributor = (doc: OpenDocument) => Diagnostic[];

/** Code actions of a feature's own for a code-action request (e.g. "Optimize this function"). */
export type CodeActionContributor = (doc: OpenDocument, params: CodeActionParams) => CodeAction[] | Promise<CodeAction[]>;

/** Extra words for the title of a finding's quick fix, or undefined. */
export type FixTitleContributor = (doc: OpenDocument, finding: Finding) => string | undefined;

export interface Feature {
  capabilities?: ServerCapabilities;
  register(ctx: ServerContext): void;
}

/**
 * How a client takes the diagnostics of open documents. Pushed (`textDocument/publishDiagnostics`)
 * unless the client declares pull diagnostics (`textDocument.diagnostic`) and not push; a pull
 * (`textDocument/diagnostic`) for an open document answers its diagnostics unless the client declares
 * push, where they would show twice (VS Code declares both and merges the two sources: it gets the
 * open documents pushed, the rest of the workspace pulled). A client that declares neither gets both.
 */
export interface DiagnosticDelivery {
  push: boolean;
  pullOpen: boolean;
  /** The client can be told to pull again (`workspace/diagnostic/refresh`). */
  refresh: boolean;
}

export function diagnosticDeliveryOf(capabilities: ClientCapabilities): DiagnosticDelivery {
  const push = capabilities.textDocument?.publishDiagnostics !== undefined;
  const pull = capabilities.textDocument?.diagnostic !== undefined;
  return { push: push || !pull, pullOpen: !push, refresh: capabilities.workspace?.diagnostics?.refreshSupport === true };
}

/**
 * Tell a client that pulls the open documents' diagnostics to pull again (`workspace/diagnostic/refresh`),
 * when it can be told: for a change that is not a new analysis (settings, project configuration, a
 * measurement). A client that takes them pushed gets them published instead (publishDiagnostics).
 */
export function askToPullAgain(ctx: Pick<ServerContext, 'connection' | 'diagnosticDelivery'>): void {
  if (ctx.diagnosticDelivery.pullOpen && ctx.diagnosticDelivery.refresh) void ctx.connection.sendRequest(DiagnosticRefreshRequest.type).catch(() => undefined);
}
