// What every LSP feature file receives. server.ts builds one and hands it to each feature.
import type { Connection, ServerCapabilities } from 'vscode-languageserver/node';
import type { DocumentStore } from './documents';
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
}

export interface Feature {
  capabilities?: ServerCapabilities;
  register(ctx: ServerContext): void;
}
