// Open documents. Each one's text and line index are a TextDocument (vscode-languageserver-
// textdocument), updated by the client's incremental changes and never rebuilt from anything else;
// its DocumentAnalysis (tree, units, findings) follows behind. Changes are validated first (a bad
// position or a stale version is refused and logged, never half-applied), and analysis is lazy:
// edits pile up as tree edits (numbers, not text) and are analysed in one batch, either when the
// store has handled the messages already received (see DocumentStore.schedule) or when a feature
// reads `analysis`, so a burst of typing costs one parse.
// Guards (analysis/content.ts) keep out what must not be parsed: too large, binary, not text,
// minified; their statistics are kept up to date through edits without rescanning the text.
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { contentStats, countNonText, skipReasonFor, type ContentStats } from './analysis/content';
import { DocumentAnalysis } from './analysis/document';
import { pointAt } from './analysis/positions';
import type { AnalysisTiming, DocumentEnvironment, DocumentView } from './documentView';
import { languageForLspId, type LanguageSpec } from './languages';
import type { Parser, ParserFactory, TextEdit } from './parsing';
import { before, invalidChanges, preview } from './analysis/changeChecks';

export { invalidChanges } from './analysis/changeChecks';
export { documentView, type AnalysisTiming, type DocumentEnvironment, type DocumentView } from './documentView';

// ---- one open document ----

/**
 * How many dependents (units whose text did not change but a module binding they read did, e.g. a
 * keystroke that breaks a class binds its methods' names at module level) an edit's analysis
 * re-analyses before its diagnostics are published; the rest follow in slices of this size and the
 * diagnostics are published again when the last is done.
 */
const DEPENDENTS_AT_ONCE = 8;

/**
 * How many new units (all of a file being opened) an analysis analyses before it returns; the rest
 * follow in slices of about SLICE_MS ms between other messages (requests about other files are
 * answered), and the diagnostics wait for the last. The parse and each unit's preparation still run at once.
 */
const FRESH_AT_ONCE = 16;
const SLICE_MS = 20;

/** More pending tree edits than this and the next analysis re-parses from scratch instead. */
const MAX_PENDING_EDITS = 2000;

export class OpenDocument implements DocumentView {
  private stats: ContentStats;
  private current: DocumentAnalysis | null = null;
  private parser: Parser | undefined;
  /** Tree edits since the analysis last saw the text, or 'full' when it must start over. */
  private pending: TextEdit[] | 'full' = 'full';
  private dirty = true;
  private skipReason: string | undefined;
  /**
   * How long the last incremental analysis took, and when it ended (performance.now()): the store
   * spaces analyses by them when edits arrive faster than it can analyse. A full analysis (open,
   * settings) says nothing about the cost of the next keystroke and leaves them alone.
   */
  lastAnalysisMs = 0;
  lastAnalysisEnd = -Infinity;
  /** How many change notifications the last analysis covered (more than one: edits are coming in a burst). */
  lastBatch = 0;
  /** Change notifications since the last analysis. */
  private batch = 0;
  /** When the first change not yet analysed arrived (performance.now()), or undefined. */
  private changedAt: number | undefined;
  /** Where the time of the last analysis went (the timing log of the server, the speed bench). */
  lastTiming: AnalysisTiming | undefined;
  /** How many times the text has been analysed (the store publishes each analysis). */
  analyses = 0;

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

  /**
   * The analysis of the current text (brought up to date now if edits are pending), or null when
   * skipped. Dependents of the last edit may still wait (`dependentsPending`): their findings are
   * those of the module context before it until the store re-analyses them (`completeAnalysis`).
   * In a large file just opened (or pasted into) some units may not be analysed yet (`partial`):
   * they have no findings until the store has analysed them; nothing is published before that.
   */
  get analysis(): DocumentAnalysis | null {
    this.settle();
    return this.current;
  }

  /** The analysis with every dependent re-analysed now (what publishing does in slices), or null when skipped. */
  get completeAnalysis(): DocumentAnalysis | null {
    this.settle();
    this.current?.finishDependents();
    return this.current;
  }

  /** Why the document is not analysed ("Hotpath skipped this file: …"), or undefined. */
  get skipped(): string | undefined {
    this.settle();
    return this.skipReason;
  }

  /** Whether the analysis is up to date with the text but some of its units are not analysed yet (see FRESH_AT_ONCE). */
  get partial(): boolean {
    return !this.dirty && this.current !== null && this.current.partial;
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
        if (this.pending.length >= MAX_PENDING_EDITS) this.pending = 'full';
        else this.pending.push({ startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd, startPosition, oldEndPosition, newEndPosition: pointAt(td, newEnd) });
      }
    }
    // A version with no changes still moves the document on.
    if (changes.length === 0) TextDocument.update(td, [], version);
    if (!this.dirty) this.changedAt = performance.now();
    this.batch++;
    this.dirty = true;
  }

  /** Bring the analysis up to date with the text: skip, create, or update it with the pending edits. */
  settle(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.analyses++;
    const t0 = performance.now();
    const reason = skipReasonFor(this.stats, this.env.maxChars(), this.text);
    if (reason) {
      this.drop(`Hotpath skipped this file: ${reason}.`);
      return;
    }
    this.skipReason = undefined;
    const incremental = this.current !== null && this.pending !== 'full';
    try {
      if (this.current && this.pending !== 'full') this.current.update(this.text, this.pending);
      else {
        this.current?.dispose();
        this.parser ??= this.env.parsers.create(this.spec.grammar);
        this.current = new DocumentAnalysis(this.spec, this.parser, this.text, { dependentsAtOnce: DEPENDENTS_AT_ONCE, freshAtOnce: FRESH_AT_ONCE, reparseSliceMs: SLICE_MS });
      }
      this.pending = [];
    } catch (err) {
      this.env.log(`analysis of ${this.uri} failed (the text is kept): ${(err as Error)?.stack ?? err}`);
      this.drop(`Hotpath could not analyse this file: ${(err as Error)?.message ?? err}.`);
    }
    const end = performance.now();
    if (incremental) {
      this.lastAnalysisMs = end - t0;
      this.lastAnalysisEnd = end;
      this.lastBatch = this.batch;
    }
    const stats = this.current?.lastStats;
    this.lastTiming = {
      version: this.version,
      waitMs: this.changedAt === undefined ? 0 : t0 - this.changedAt,
      parseMs: stats?.parseMs ?? 0,
      rulesMs: stats?.analyseMs ?? 0,
      totalMs: end - t0,
      unitsAnalysed: stats?.unitsAnalysed ?? 0,
      incremental,
    };
    this.changedAt = undefined;
    this.batch = 0;
  }

  /** Whether the analysis is up to date with the text but dependents wait to be re-analysed (`finishDependents`). */
  get dependentsPending(): boolean {
    return !this.dirty && this.current !== null && !this.current.complete;
  }

  /** Analyse the next `max` waiting units (new ones first, then dependents); true when none are left. */
  finishDependents(max = DEPENDENTS_AT_ONCE): boolean {
    if (!this.current) return true;
    const t0 = performance.now();
    const done = this.current.finishDependents(max);
    this.lastAnalysisEnd = performance.now();
    this.lastAnalysisMs = this.lastAnalysisEnd - t0;
    return done;
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
  /** Each document's pending analysis (a timer or a wait for the messages already received). */
  private readonly timers = new Map<string, { cancel(): void }>();
  /** The analysis (OpenDocument.analyses) last announced to onDidAnalyse, per document. */
  private readonly announced = new WeakMap<OpenDocument, number>();
  private readonly analysed: Listener<OpenDocument>[] = [];
  private readonly changed: Listener<ChangeEvent>[] = [];
  private readonly closed: Listener<string>[] = [];
  private readonly steps = new Map<string, (() => void)[]>(); // who waits in nextStep, per URI
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

  /** Resolves after the store's next step on the document (a slice, an analysis), an edit or its closing (a pull waits on it). */
  nextStep(doc: OpenDocument): Promise<void> {
    if (this.docs.get(doc.uri) !== doc) return Promise.resolve();
    if (!this.timers.has(doc.uri)) this.schedule(doc);
    return new Promise((resolve) => (this.steps.get(doc.uri) ?? this.steps.set(doc.uri, []).get(doc.uri)!).push(resolve));
  }

  private stepped(uri: string): void {
    const waiting = this.steps.get(uri);
    this.steps.delete(uri);
    waiting?.forEach((resolve) => resolve());
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
    this.stepped(uri);
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
    this.timers.get(uri)?.cancel();
    this.timers.delete(uri);
    this.stepped(uri);
    if (!doc) return false;
    doc.dispose();
    this.docs.delete(uri);
    return true;
  }

  /** Analyse the document and announce it, or, when units are left for later (`partial`), go on with them first. */
  private analyse(doc: OpenDocument): void {
    doc.settle();
    if (doc.partial) {
      this.schedule(doc);
      return;
    }
    this.announce(doc);
    if (doc.dependentsPending) this.schedule(doc);
  }

  private announce(doc: OpenDocument): void {
    this.announced.set(doc, doc.analyses);
    this.analysed.forEach((l) => l(doc));
  }

  /**
   * How long an edited document's analysis waits (ms): not at all unless edits come in a burst, i.e.
   * the last analysis covered several notifications and the next edit came before the server had
   * been idle as long as that analysis took; then until three times its cost has passed since it
   * ended (about a quarter of the time goes to analysis; never over MAX_SETTLE_DELAY_MS).
   */
  private delayFor(doc: OpenDocument): number {
    if (!doc.stale || doc.lastBatch <= 1) return 0;
    const now = performance.now();
    if (now - doc.lastAnalysisEnd >= doc.lastAnalysisMs) return 0;
    return Math.min(MAX_SETTLE_DELAY_MS, Math.max(1, Math.round(doc.lastAnalysisEnd + 3 * doc.lastAnalysisMs - now)));
  }

  /**
   * Analyse an edited document once the messages already received are handled: edits queued behind
   * this one join its analysis, a keystroke at any human pace is analysed at once (the server never
   * idles with an edit pending), and an edit that arrives while a slow analysis runs is analysed
   * right after it. "Handled": a turn of the event loop in which no further change to the document
   * was applied (the connection handles one message per turn), at most MAX_SETTLE_DELAY_MS after
   * the first. In a burst the next analysis is spaced as `delayFor` says, and the edits that arrive
   * in the meantime join it. Dependents left by an analysis are re-analysed in slices the same way
   * (messages are read in between) and the diagnostics published again after the last; an edit
   * arriving meanwhile takes precedence. A feature that needs the analysis earlier brings it up to
   * date itself.
   */
  private schedule(doc: OpenDocument): void {
    if (this.timers.has(doc.uri)) return;
    const run = () => {
      this.timers.delete(doc.uri);
      if (this.docs.get(doc.uri) !== doc) return;
      try {
        // Edits arrived while dependents were being re-analysed: space their analysis as usual.
        if (doc.stale && this.delayFor(doc) > 0) this.schedule(doc);
        else if (doc.stale) this.analyse(doc);
        // Units not analysed yet: the next slice, and the announcement after the last.
        else if (doc.partial) {
          // A unit at a time (8 units a turn of the event loop made a 600 KB open ~20% slower).
          const t0 = performance.now();
          while (doc.partial && performance.now() - t0 < SLICE_MS) doc.finishDependents(1);
          if (doc.partial) this.schedule(doc);
          else this.analyse(doc);
        }
        // An analysis a feature brought about that was not published yet.
        else if (this.announced.get(doc) !== doc.analyses) this.analyse(doc);
        else if (doc.dependentsPending) {
          if (doc.finishDependents()) this.announce(doc);
          else this.schedule(doc);
        }
      } catch (err) {
        this.env.log(`analysis failed (server keeps running): ${(err as Error)?.stack ?? err}`);
      }
      this.stepped(doc.uri);
    };
    const delay = this.delayFor(doc);
    if (delay > 0) {
      const timer = setTimeout(run, delay);
      this.timers.set(doc.uri, { cancel: () => clearTimeout(timer) });
      return;
    }
    // Two hops per check: the connection queues its next message after this callback, so the
    // second hop runs after that message (if any) was handled.
    const started = performance.now();
    let seen = doc.version;
    let immediate: NodeJS.Immediate;
    const check = (hop: number) => {
      if (hop === 1) {
        immediate = setImmediate(() => check(2));
        return;
      }
      if (doc.version !== seen && performance.now() - started < MAX_SETTLE_DELAY_MS) {
        seen = doc.version;
        immediate = setImmediate(() => check(1));
        return;
      }
      run();
    };
    immediate = setImmediate(() => check(1));
    this.timers.set(doc.uri, { cancel: () => clearImmediate(immediate) });
  }
}
