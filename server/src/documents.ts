// Open documents. Each one's text and line index are a TextDocument (vscode-languageserver-
// textdocument), updated by the client's incremental changes and never rebuilt from anything else;
// its DocumentAnalysis (tree, units, findings) follows behind. Changes are validated first (a bad
// position or a stale version is refused and logged, never half-applied), and analysis is lazy:
// edits pile up as tree edits (numbers, not text) and are analysed in one batch, either when the
// store's timer fires or when a feature reads `analysis`, so a burst of typing costs one parse.
// Guards (analysis/content.ts) keep out what must not be parsed: too large, binary, not text,
// minified; their statistics are kept up to date through edits without rescanning the text.
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { contentStats, countNonText, skipReasonFor, type ContentStats } from './analysis/content';
import { DocumentAnalysis } from './analysis/document';
import { isRange, pointAt, positionsOf, type Position, type Positions } from './analysis/positions';
import { languageForLspId, type LanguageSpec } from './languages';
import type { Parser, ParserFactory, TextEdit } from './parsing';

// ---- validating what the client sends ----

/** Why these content changes cannot be applied, or undefined when they can. */
export function invalidChanges(changes: unknown): string | undefined {
  if (!Array.isArray(changes)) return 'contentChanges is not an array';
  for (const [i, c] of changes.entries()) {
    if (typeof c !== 'object' || c === null || typeof (c as { text?: unknown }).text !== 'string') return `change ${i} has no text`;
    const range = (c as { range?: unknown }).range;
    if (range !== undefined && !isRange(range)) return `change ${i} has an invalid range ${JSON.stringify(range)} (positions are non-negative integers)`;
  }
  return undefined;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

// ---- one open document ----

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

export interface DocumentEnvironment {
  parsers: ParserFactory;
  /** The size limit in characters (hotpath.maxFileSizeKB), read when the document is analysed. */
  maxChars(): number;
  log(message: string): void;
}

/** More pending tree edits than this and the next analysis re-parses from scratch instead. */
const MAX_PENDING_EDITS = 2000;
const STRING_DELIMITER = /["'`]/;

export class OpenDocument implements DocumentView {
  private stats: ContentStats;
  private current: DocumentAnalysis | null = null;
  private parser: Parser | undefined;
  /** Tree edits since the analysis last saw the text, or 'full' when it must start over. */
  private pending: TextEdit[] | 'full' = 'full';
  /** A pending edit needs a parse that does not reuse the old tree (see applyChanges). */
  private freshParse = false;
  private dirty = true;
  private skipReason: string | undefined;
  /** How long the last analysis took (the store spaces analyses by it during bursts). */
  lastAnalysisMs = 0;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    readonly spec: LanguageSpec,
    readonly document: TextDocument,
    private readonly env: DocumentEnvironment,
  ) {
    this.stats = contentStats(document.getText());
  }

  static create(uri: string, languageId: string, version: number, text: string, env: DocumentEnvironment): OpenDocument | undefined {
    const spec = languageForLspId(languageId);
    return spec && new OpenDocument(uri, languageId, spec, TextDocument.create(uri, languageId, version, text), env);
  }

  get text(): string {
    return this.document.getText();
  }

  get version(): number {
    return this.document.version;
  }

  /** The analysis of the current text (brought up to date now if edits are pending), or null when skipped. */
  get analysis(): DocumentAnalysis | null {
    this.settle();
    return this.current;
  }

  /** Why the document is not analysed ("Hotpath skipped this file: …"), or undefined. */
  get skipped(): string | undefined {
    this.settle();
    return this.skipReason;
  }

  /** Whether the text has changed since it was last analysed. */
  get stale(): boolean {
    return this.dirty;
  }

  /** Apply validated content changes in order (see `invalidChanges`). */
  applyChanges(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    const td = this.document;
    for (const change of changes) {
      if (!('range' in change) || !change.range) {
        TextDocument.update(td, [{ text: change.text }], version);
        this.stats = contentStats(change.text);
        this.pending = 'full';
        continue;
      }
      const { start: s, end: e } = change.range;
      const [a, b] = before(s, e) ? [s, e] : [e, s];
      const start = td.offsetAt(a);
      const oldEnd = Math.max(start, td.offsetAt(b));
      const removedText = td.getText().slice(start, oldEnd);
      const removed = countNonText(removedText);
      const added = countNonText(change.text);
      const startPosition = pointAt(td, start);
      const oldEndPosition = pointAt(td, oldEnd);
      TextDocument.update(td, [{ range: { start: a, end: b }, text: change.text }], version);
      const newEnd = start + change.text.length;
      this.stats = {
        chars: td.getText().length,
        lines: td.lineCount,
        nul: this.stats.nul - removed.nul + added.nul,
        nonText: this.stats.nonText - removed.nonText + added.nonText,
      };
      if (this.current && this.pending !== 'full') {
        // A string delimiter typed or deleted in a text with syntax errors: tree-sitter's
        // incremental parse can keep the old error recovery (the grammars' external scanners track
        // open strings), e.g. closing a `"""` left the rest of the file one ERROR where a fresh
        // parse sees statements (documents.test fuzz, seed -165568425). Parse that text afresh (the
        // units are still reused where their extent and text did not change).
        if (STRING_DELIMITER.test(change.text + removedText) && this.current.hasSyntaxErrors) this.freshParse = true;
        if (this.pending.length >= MAX_PENDING_EDITS) this.pending = 'full';
        else this.pending.push({ startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd, startPosition, oldEndPosition, newEndPosition: pointAt(td, newEnd) });
      }
    }
    // A version with no changes still moves the document on.
    if (changes.length === 0) TextDocument.update(td, [], version);
    this.dirty = true;
  }

  /** Bring the analysis up to date with the text: skip, create, or update it with the pending edits. */
  settle(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const t0 = performance.now();
    const reason = skipReasonFor(this.stats, this.env.maxChars());
    if (reason) {
      this.drop(`Hotpath skipped this file: ${reason}.`);
      return;
    }
    this.skipReason = undefined;
    try {
      if (this.current && this.pending !== 'full') this.current.update(this.text, this.pending, { fresh: this.freshParse });
      else {
        this.current?.dispose();
        this.parser ??= this.env.parsers.create(this.spec.grammar);
        this.current = new DocumentAnalysis(this.spec, this.parser, this.text);
      }
      this.pending = [];
      this.freshParse = false;
    } catch (err) {
      this.env.log(`analysis of ${this.uri} failed (the text is kept): ${(err as Error)?.stack ?? err}`);
      this.drop(`Hotpath could not analyse this file: ${(err as Error)?.message ?? err}.`);
    }
    this.lastAnalysisMs = performance.now() - t0;
  }

  /** Analyse from scratch at the next read (settings that change analysis changed). */
  reset(): void {
    this.pending = 'full';
    this.dirty = true;
  }

  /** Free the tree and the parser; the document is unusable afterwards. */
  dispose(): void {
    this.drop(undefined);
    this.parser?.dispose?.();
    this.parser = undefined;
  }

  private drop(reason: string | undefined): void {
    this.current?.dispose();
    this.current = null;
    this.pending = 'full';
    this.skipReason = reason;
  }
}

// ---- the store ----

export interface ChangeEvent {
  document: OpenDocument;
  changes: readonly TextDocumentContentChangeEvent[];
}

type Listener<T> = (value: T) => void;

/** The longest an edited document waits for its analysis while typing goes on. */
const MAX_SETTLE_DELAY_MS = 150;

export class DocumentStore {
  private readonly docs = new Map<string, OpenDocument>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly analysed: Listener<OpenDocument>[] = [];
  private readonly changed: Listener<ChangeEvent>[] = [];
  private readonly closed: Listener<string>[] = [];
  private readonly env: DocumentEnvironment;

  constructor(parsers: ParserFactory, maxBytes: () => number, log: (message: string) => void = () => undefined) {
    this.env = { parsers, maxChars: maxBytes, log };
  }

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  all(): OpenDocument[] {
    return [...this.docs.values()];
  }

  /** A document was analysed (opened, or edited and analysed after the edits): publish what it shows. */
  onDidAnalyse(l: Listener<OpenDocument>): void {
    this.analysed.push(l);
  }
  /** Every accepted change, as it arrives (before it is analysed). */
  onDidChangeContent(l: Listener<ChangeEvent>): void {
    this.changed.push(l);
  }
  onDidClose(l: Listener<string>): void {
    this.closed.push(l);
  }

  /** textDocument/didOpen, validated: a malformed open is refused and leaves the URI as it was. */
  didOpen(params: unknown): OpenDocument | undefined {
    const td = (params as { textDocument?: Record<string, unknown> } | null)?.textDocument;
    if (!td || typeof td.uri !== 'string' || typeof td.languageId !== 'string' || !Number.isSafeInteger(td.version) || typeof td.text !== 'string') {
      this.env.log(`refused a malformed didOpen (uri, languageId and text must be strings, version an integer): ${preview(td)}`);
      return undefined;
    }
    return this.open(td.uri, td.languageId, td.version as number, td.text);
  }

  /** textDocument/didChange, validated: invalid positions and stale versions are refused and logged. */
  didChange(params: unknown): OpenDocument | undefined {
    const p = params as { textDocument?: { uri?: unknown; version?: unknown }; contentChanges?: unknown } | null;
    const uri = p?.textDocument?.uri;
    if (typeof uri !== 'string') {
      this.env.log(`refused a didChange without a document URI: ${preview(p?.textDocument)}`);
      return undefined;
    }
    const version = p?.textDocument?.version;
    if (!Number.isSafeInteger(version)) {
      this.env.log(`refused a didChange for ${uri}: its version ${preview(version)} is not an integer`);
      return undefined;
    }
    const problem = invalidChanges(p?.contentChanges);
    if (problem) {
      this.env.log(`refused a didChange for ${uri} v${version}: ${problem}; the document stays at v${this.docs.get(uri)?.version ?? '?'}`);
      return undefined;
    }
    return this.change(uri, version as number, p!.contentChanges as TextDocumentContentChangeEvent[]);
  }

  /** textDocument/didClose. */
  didClose(params: unknown): void {
    const uri = (params as { textDocument?: { uri?: unknown } } | null)?.textDocument?.uri;
    if (typeof uri === 'string') this.close(uri);
    else this.env.log(`refused a didClose without a document URI`);
  }

  open(uri: string, languageId: string, version: number, text: string): OpenDocument | undefined {
    const doc = OpenDocument.create(uri, languageId, version, text, this.env);
    if (!doc) return undefined;
    this.forget(uri);
    this.docs.set(uri, doc);
    this.analyse(doc);
    return doc;
  }

  /** Apply already validated changes; a version not newer than the document's is ignored. */
  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    if (version <= doc.version) {
      this.env.log(`ignored a stale didChange for ${uri}: v${version} arrived after v${doc.version}`);
      return undefined;
    }
    doc.applyChanges(changes, version);
    this.changed.forEach((l) => l({ document: doc, changes }));
    this.schedule(doc);
    return doc;
  }

  close(uri: string): void {
    if (!this.forget(uri)) return;
    this.closed.forEach((l) => l(uri));
  }

  /** Re-analyse every document from scratch (settings changed). */
  reanalyseAll(): void {
    for (const doc of this.docs.values()) {
      doc.reset();
      this.analyse(doc);
    }
  }

  /** Drop a document and everything it holds (tree, parser, timer). */
  private forget(uri: string): boolean {
    const doc = this.docs.get(uri);
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    if (!doc) return false;
    doc.dispose();
    this.docs.delete(uri);
    return true;
  }

  private analyse(doc: OpenDocument): void {
    doc.settle();
    this.analysed.forEach((l) => l(doc));
  }

  /**
   * Analyse an edited document soon, not at once: edits that arrive in the meantime join the same
   * analysis. The wait is three times the last analysis's cost (so under a storm of edits about a
   * quarter of the time goes to analysis, the rest to reading messages and answering requests) and
   * never over MAX_SETTLE_DELAY_MS; a feature that needs the analysis earlier brings it up to date
   * itself.
   */
  private schedule(doc: OpenDocument): void {
    if (this.timers.has(doc.uri)) return;
    const delay = Math.min(MAX_SETTLE_DELAY_MS, Math.max(1, Math.round(3 * doc.lastAnalysisMs)));
    this.timers.set(
      doc.uri,
      setTimeout(() => {
        this.timers.delete(doc.uri);
        if (this.docs.get(doc.uri) !== doc) return;
        try {
          this.analyse(doc);
        } catch (err) {
          this.env.log(`analysis failed (server keeps running): ${(err as Error)?.stack ?? err}`);
        }
      }, delay),
    );
  }
}

function preview(value: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
