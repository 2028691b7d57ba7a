// The Hotpath language server: LSP wiring only. Each feature lives in features/<name>.ts and
// registers its own handlers; this file creates the connection, the document store and the
// settings, merges the features' capabilities, and keeps the process alive on bad input: messages
// arrive through a hardened transport (transport.ts), documents validate what they are sent.
import { VERSION } from './version';
import {
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  type FileEvent,
  type InitializeResult,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import { ProjectSelections } from './analysis/config';
import { PerformanceObserver } from 'node:perf_hooks';
import { DocumentStore, type OpenDocument } from './documents';
import { diagnosticDeliveryOf, type Feature, type ServerContext } from './featureContext';
import { feature as benchmark } from './features/benchmark';
import { feature as codeActions } from './features/codeActions';
import { feature as codeLens } from './features/codeLens';
import { DiagnosticsPublisher, feature as diagnostics, pulledDiagnostics } from './features/diagnostics';
import { feature as hover } from './features/hover';
import { feature as inlineCompletion } from './features/inlineCompletion';
import { feature as model } from './features/model';
import { feature as optimize } from './features/optimize';
import { feature as workspaceDiagnostics } from './features/workspaceDiagnostics';
import { createModelService } from './model/service';
import { loadParserFactory } from './parsing';
import { TrustNotification } from './protocol';
import { DEFAULT_SETTINGS, SettingsStore } from './settings';
import { createTransport } from './transport';

/** Every LSP feature of the server. Add a feature: one file in features/ and one line here. */
const FEATURES: Feature[] = [diagnostics, workspaceDiagnostics, codeActions, hover, model, benchmark, codeLens, inlineCompletion, optimize];

const transport = createTransport(process.argv, (message) => log(message));
const connection = transport ? createConnection(ProposedFeatures.all, transport.reader, transport.writer) : createConnection(ProposedFeatures.all);
function log(message: string): void {
  connection.console.log(`[hotpath] ${message}`);
}

// A bug in one handler must not take the server (and the user's session) down.
process.on('uncaughtException', (err) => log(`internal error (server keeps running): ${err?.stack ?? err}`));
process.on('unhandledRejection', (err) => log(`internal error (server keeps running): ${(err as Error)?.stack ?? err}`));

const settings = new SettingsStore(connection);
let maxBytes = DEFAULT_SETTINGS.maxFileSizeKB * 1024;
let ctx: ServerContext | undefined;
const watchedFiles: ((changes: FileEvent[]) => void)[] = [];

function mergeCapabilities(base: ServerCapabilities, extra: ServerCapabilities | undefined): ServerCapabilities {
  return { ...base, ...(extra ?? {}), experimental: { ...(base.experimental as object), ...((extra?.experimental as object) ?? {}) } };
}

connection.onInitialize(async (params): Promise<InitializeResult> => {
  const options = (params.initializationOptions ?? {}) as { trusted?: boolean; parser?: 'wasm' | 'native' | 'auto'; timing?: boolean };
  settings.setTrusted(options.trusted === true);
  settings.enableConfiguration(Boolean(params.capabilities.workspace?.configuration));
  const parsers = await loadParserFactory(options.parser ?? 'wasm');
  const documents = new DocumentStore(parsers, () => maxBytes, log);
  const delivery = diagnosticDeliveryOf(params.capabilities);
  const context: ServerContext = {
    connection,
    documents,
    settings,
    parsers,
    isTrusted: () => settings.trusted,
    log,
    projectSelections: new ProjectSelections(log),
    models: createModelService({ settings, log }),
    diagnosticsContributors: [],
    codeActionContributors: [],
    fixTitleContributors: [],
    // A client that only pulls diagnostics is not pushed any (features/diagnostics.ts).
    publishDiagnostics: async (target) => {
      if (delivery.push) publisher.request(typeof target === 'string' ? target : target.uri);
    },
    diagnosticDelivery: delivery,
    pulledDiagnostics: (doc, token) => pulledDiagnostics(context, doc, token),
    onDidChangeWatchedFiles: (l) => void watchedFiles.push(l),
  };
  const publisher = new DiagnosticsPublisher(context, undefined, options.timing === true ? timingLog() : undefined);
  ctx = context;
  let capabilities: ServerCapabilities = {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
  };
  for (const f of FEATURES) {
    capabilities = mergeCapabilities(capabilities, f.capabilities);
    f.register(ctx);
  }
  return { capabilities, serverInfo: { name: 'hotpath', version: VERSION } };
});

connection.onInitialized(() => {
  void connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
  void settings.get().then((s) => (maxBytes = s.maxFileSizeKB * 1024));
});

connection.onDidChangeWatchedFiles((params) => {
  for (const listener of watchedFiles) guard('watched files', () => listener(params.changes));
});

connection.onDidChangeConfiguration(() => {
  settings.invalidate();
  void settings.get().then((s) => {
    const changed = s.maxFileSizeKB * 1024 !== maxBytes;
    maxBytes = s.maxFileSizeKB * 1024;
    if (changed) ctx?.documents.reanalyseAll();
  });
});

connection.onNotification(TrustNotification, (params) => {
  settings.setTrusted(params?.trusted === true);
  log(`workspace trust: ${settings.trusted ? 'trusted (execution allowed)' : 'restricted (analysis only; model and execution settings ignored)'}`);
});

connection.onDidOpenTextDocument((p) => {
  guard('open', () => ctx?.documents.didOpen(p));
});
connection.onDidChangeTextDocument((p) => {
  guard('change', () => ctx?.documents.didChange(p));
});
connection.onDidCloseTextDocument((p) => {
  guard('close', () => ctx?.documents.didClose(p));
});

/**
 * With `initializationOptions.timing` (the speed bench), one log line per published analysis: where
 * the time from the first edit it covers to its diagnostics went, garbage collection included.
 */
function timingLog(): (doc: OpenDocument, ms: { buildMs: number; sendMs: number }) => void {
  let gcMs = 0;
  let logged: unknown;
  new PerformanceObserver((list) => list.getEntries().forEach((e) => (gcMs += e.duration))).observe({ entryTypes: ['gc'] });
  return (doc, { buildMs, sendMs }) => {
    const t = doc.lastTiming;
    // Once per analysis (a document is published again when its dependents are done).
    if (!t || t.version !== doc.version || t === logged) return;
    logged = t;
    log(`timing ${JSON.stringify({ version: t.version, waitMs: t.waitMs, parseMs: t.parseMs, rulesMs: t.rulesMs, analysisMs: t.totalMs, units: t.unitsAnalysed, buildMs, sendMs, gcMs })}`);
    gcMs = 0;
  };
}

function guard(what: string, work: () => unknown): void {
  try {
    work();
  } catch (err) {
    log(`${what} failed (server keeps running): ${(err as Error)?.stack ?? err}`);
  }
}

connection.listen();
