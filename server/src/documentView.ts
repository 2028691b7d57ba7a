// What presenting a document's findings needs (DocumentView), what an open document needs of the
// server (DocumentEnvironment) and where its analysis time went (AnalysisTiming): types of documents.ts.
import type { DocumentAnalysis } from './analysis/document';
import { positionsOf, type Positions } from './analysis/positions';
import type { LanguageSpec } from './languages';
import type { ParserFactory } from './parsing';

export interface DocumentEnvironment {
  parsers: ParserFactory;
  /** The size limit in characters (hotpath.maxFileSizeKB), read when the document is analysed. */
  maxChars(): number;
  log(message: string): void;
}

/**
 * What presenting a document's findings needs (features/findings.ts, the code lens): an open
 * document is one; `documentView` makes one for a text analysed elsewhere (a file on disk, a text
 * with fixes applied).
 */
export interface DocumentView {
  readonly uri: string;
  readonly spec: LanguageSpec;
  readonly text: string;
  /** The text's line index. */
  readonly document: Positions;
  readonly analysis: DocumentAnalysis | null;
}

export function documentView(uri: string, spec: LanguageSpec, text: string, analysis: DocumentAnalysis | null): DocumentView {
  return { uri, spec, text, document: positionsOf(text), analysis };
}

/** Where one analysis's time went, in milliseconds. */
export interface AnalysisTiming {
  version: number;
  /** From the first change it covers to its start (the store's spacing, or the event loop being busy). */
  waitMs: number;
  parseMs: number;
  /** The re-analysis of the changed units (snapshots, rules, estimates). */
  rulesMs: number;
  totalMs: number;
  unitsAnalysed: number;
  incremental: boolean;
}
