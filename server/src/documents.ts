// Open documents: their text, their incremental analysis, and guards against input that must
// not be parsed (too large, binary). Changes arrive as LSP incremental content changes and are
// applied to the analysis in order; the text is never rebuilt from anything but those changes.
import type { DocumentAnalysis, ContentChange } from './analysis/document';
import { DocumentAnalysis as Analysis } from './analysis/document';
import { looksMinified } from './analysis/sourceFile';
import { languageForLspId, type LanguageSpec } from './languages';
import type { ParserFactory } from './parsing';

export interface OpenDocument {
  uri: string;
  languageId: string;
  version: number;
  spec: LanguageSpec;
  /** Null while the document is not analysed (too large or binary); `skipped` says why. */
  analysis: DocumentAnalysis | null;
  skipped?: string;
  text: string;
}

export interface ChangeEvent {
  document: OpenDocument;
  changes: readonly ContentChange[];
}

type Listener<T> = (value: T) => void;

/** Binary content: NUL characters early in the text. */
export function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\u0000');
}

/** Why a text is not analysed, or undefined when it is. */
export function skipReason(text: string, maxChars: number): string | undefined {
  if (text.length > maxChars) return `${Math.round(text.length / 1024)} KB is over the ${Math.round(maxChars / 1024)} KB limit (setting hotpath.maxFileSizeKB)`;
  if (looksBinary(text)) return 'it looks binary (it contains NUL characters)';
  if (looksMinified(text)) return 'it looks minified or generated (its lines average over 300 characters)';
  return undefined;
}

export class DocumentStore {
  private readonly docs = new Map<string, OpenDocument>();
  private readonly analysed: Listener<OpenDocument>[] = [];
  private readonly changed: Listener<ChangeEvent>[] = [];
  private readonly closed: Listener<string>[] = [];

  constructor(private readonly parsers: ParserFactory, private readonly maxBytes: () => number) {}

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  all(): OpenDocument[] {
    return [...this.docs.values()];
  }

  onDidAnalyse(l: Listener<OpenDocument>): void {
    this.analysed.push(l);
  }
  onDidChangeContent(l: Listener<ChangeEvent>): void {
    this.changed.push(l);
  }
  onDidClose(l: Listener<string>): void {
    this.closed.push(l);
  }

  open(uri: string, languageId: string, version: number, text: string): OpenDocument | undefined {
    const spec = languageForLspId(languageId);
    if (!spec) return undefined;
    const doc: OpenDocument = { uri, languageId, version, spec, analysis: null, text };
    this.docs.set(uri, doc);
    this.refresh(doc);
    this.analysed.forEach((l) => l(doc));
    return doc;
  }

  change(uri: string, version: number, changes: readonly ContentChange[]): OpenDocument | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    doc.version = version;
    if (doc.analysis) {
      doc.analysis.applyChanges(changes);
      doc.text = doc.analysis.text;
      if (!this.admissible(doc.text)) this.refresh(doc);
    } else {
      doc.text = applyChangesToText(doc.text, changes);
      this.refresh(doc);
    }
    this.changed.forEach((l) => l({ document: doc, changes }));
    this.analysed.forEach((l) => l(doc));
    return doc;
  }

  close(uri: string): void {
    const doc = this.docs.get(uri);
    if (!doc) return;
    doc.analysis?.dispose();
    this.docs.delete(uri);
    this.closed.forEach((l) => l(uri));
  }

  /** Re-analyse every document from scratch (settings changed). */
  reanalyseAll(): void {
    for (const doc of this.docs.values()) {
      this.refresh(doc, true);
      this.analysed.forEach((l) => l(doc));
    }
  }

  private admissible(text: string): boolean {
    return skipReason(text, this.maxBytes()) === undefined;
  }

  /** (Re)build the analysis when the text is admissible, or drop it and say why. */
  private refresh(doc: OpenDocument, force = false): void {
    const reason = skipReason(doc.text, this.maxBytes());
    if (reason) {
      doc.analysis?.dispose();
      doc.analysis = null;
      doc.skipped = `Hotpath skipped this file: ${reason}.`;
      return;
    }
    doc.skipped = undefined;
    if (doc.analysis && !force) return;
    doc.analysis?.dispose();
    doc.analysis = new Analysis(doc.spec, this.parsers.create(doc.spec.grammar), doc.text);
  }
}

/** Apply LSP content changes to a plain string (used while a document is not analysed). */
export function applyChangesToText(text: string, changes: readonly ContentChange[]): string {
  for (const change of changes) {
    if (!change.range) {
      text = change.text;
      continue;
    }
    const lineStarts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    const offset = (p: { line: number; character: number }) => {
      const line = Math.min(Math.max(p.line, 0), lineStarts.length - 1);
      const end = line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length;
      return Math.min(lineStarts[line] + Math.max(p.character, 0), end);
    };
    const start = offset(change.range.start);
    const end = Math.max(start, offset(change.range.end));
    text = text.slice(0, start) + change.text + text.slice(end);
  }
  return text;
}
