// One document's incremental analysis. The text is edited in place, the tree-sitter tree is
// edited and re-parsed against its old self, and only the units (functions, methods, top-level
// statements) that the edit touched are re-analysed; the findings of the others are kept and
// shifted to their new offsets.

import type { LanguageSpec } from './language';
import type { ParsedTree, Parser, Point, RawNode, TextRange } from '../parsing';
import { snapshot, type SyntaxNode } from '../parsing';
import { mergeBindings, type ModuleSummary, type ValueKind } from './module';
import { compareFindings, runRules, UNIT_BUDGET_MS, type RuleFailure } from './runRules';
import type { Finding } from './rule';

/** An LSP-style change: a range in the old text (0-based line and UTF-16 character) and its replacement. */
export interface ContentChange {
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

interface UnitRecord {
  /** Where the unit is in the current text (kept up to date through edits; -1 once an edit overlaps it). */
  startIndex: number;
  endIndex: number;
  readonly bindings: Map<string, ValueKind>;
  /** Identifiers the unit mentions: its findings depend on the module bindings of these only. */
  readonly names: Set<string>;
  /** Findings at offsets of the text when analysed; `startIndex` above says where the unit was then. */
  findings: Finding[];
  analysedAt: number;
  summaryKey: string;
  /** Set when the unit's analysis ran past its time budget and was given up (ms spent). */
  overBudgetMs?: number;
}

/** A unit whose analysis was given up for running past the time budget: shown as a notice, not a finding. */
/**
 * Code the parser could not read, reported like Ruff's `invalid-syntax`: an `ERROR` region (the
 * outermost one) or a `MISSING` token the parser had to assume. Findings inside an error region are
 * dropped; the rest of the file is analysed as usual.
 */
export interface InvalidSyntax {
  startIndex: number;
  endIndex: number;
  message: string;
}

/** The code of syntax errors in findings, diagnostics, the CLI and SARIF (Ruff's name for them). */
export const INVALID_SYNTAX = 'invalid-syntax';

export interface SkippedUnit {
  startIndex: number;
  endIndex: number;
  message: string;
}

export interface AnalysisOptions {
  /** Per-unit time budget of the rules, in milliseconds (default UNIT_BUDGET_MS). */
  unitBudgetMs?: number;
}

export interface AnalysisStats {
  unitsTotal: number;
  unitsAnalysed: number;
  unitsReused: number;
  parseMs: number;
  analyseMs: number;
}

export class DocumentAnalysis {
  private tree: ParsedTree;
  private units: UnitRecord[] = [];
  private module: ModuleSummary = { bindings: new Map() };
  private lineStarts: number[] = [];
  lastStats: AnalysisStats = { unitsTotal: 0, unitsAnalysed: 0, unitsReused: 0, parseMs: 0, analyseMs: 0 };
  readonly failures: RuleFailure[] = [];

  constructor(
    readonly spec: LanguageSpec,
    private readonly parser: Parser,
    private textValue: string,
    private readonly options: AnalysisOptions = {},
  ) {
    this.computeLineStarts();
    const t0 = performance.now();
    this.tree = parser.parse(textValue);
    const t1 = performance.now();
    this.reanalyse([], t1 - t0);
  }

  get text(): string {
    return this.textValue;
  }

  get moduleSummary(): ModuleSummary {
    return this.module;
  }

  /** Every finding, in document order. */
  findings(): Finding[] {
    const out: Finding[] = [];
    const errors = this.syntaxErrors().filter((e) => !e.missing);
    for (const u of this.units) {
      for (const f of u.findings) {
        const g = shift(f, u.startIndex - u.analysedAt);
        // What the parser could not read is reported as invalid syntax, not analysed.
        if (errors.some((e) => g.startIndex < e.endIndex && e.startIndex < g.endIndex)) continue;
        out.push(g);
      }
    }
    return out.sort(compareFindings);
  }

  /** The regions the parser could not read (cached per parse). */
  syntaxErrors(): (InvalidSyntax & { missing: boolean })[] {
    if (this.syntaxErrorsOf?.tree === this.tree) return this.syntaxErrorsOf.errors;
    const errors: (InvalidSyntax & { missing: boolean })[] = [];
    const cursor = this.tree.rootNode.walk();
    try {
      const short = (s: string) => {
        const one = s.replace(/\s+/g, ' ').trim();
        return one.length > 40 ? one.slice(0, 39) + '…' : one;
      };
      for (;;) {
        if (cursor.nodeType === 'ERROR') {
          const text = this.textValue.slice(cursor.startIndex, cursor.endIndex);
          errors.push({ startIndex: cursor.startIndex, endIndex: Math.max(cursor.endIndex, cursor.startIndex + 1), missing: false, message: `invalid syntax: cannot parse \`${short(text) || '…'}\`; this part is not analysed, the rest of the file is` });
        } else if (cursor.nodeIsMissing) {
          const what = cursor.nodeType;
          errors.push({ startIndex: cursor.startIndex, endIndex: cursor.startIndex, missing: true, message: `invalid syntax: expected ${/^[a-z_]+$/.test(what) ? `a ${what.replace(/_/g, ' ')}` : `\`${what}\``} here` });
        } else if (cursor.gotoFirstChild()) continue;
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent()) return (this.syntaxErrorsOf = { tree: this.tree, errors }).errors;
        }
      }
    } finally {
      cursor.delete?.();
    }
  }

  private syntaxErrorsOf: { tree: ParsedTree; errors: (InvalidSyntax & { missing: boolean })[] } | undefined;

  /** Units skipped for running past the time budget, where they are now, with the notice to show. */
  skippedUnits(): SkippedUnit[] {
    const budget = this.options.unitBudgetMs ?? UNIT_BUDGET_MS;
    return this.units
      .filter((u) => u.overBudgetMs !== undefined && u.startIndex >= 0)
      .map((u) => ({
        startIndex: u.startIndex,
        endIndex: u.endIndex,
        message: `Hotpath skipped this code: its analysis passed the ${budget} ms budget (stopped after ${Math.round(u.overBudgetMs!)} ms), so it has no findings. The rest of the file is analysed.`,
      }));
  }

  /** Top-level units as syntax snapshots (built on demand; used by whole-file features). */
  unitNodes(): SyntaxNode[] {
    return this.rawUnits().map((raw) => snapshot(raw.walk(), this.textValue));
  }

  /** The smallest syntax snapshot of the unit containing `index`, or null. */
  unitAt(index: number): SyntaxNode | null {
    const raw = this.rawUnits().find((u) => u.startIndex <= index && index <= u.endIndex);
    return raw ? snapshot(raw.walk(), this.textValue) : null;
  }

  /**
   * Findings of the unit containing `index`, computed afresh on the current text: fixes are
   * taken from here at code-action time, so their edits are exact even when they reach outside
   * the unit (an import at the top of the file).
   */
  recheckUnitAt(index: number): Finding[] {
    const unit = this.unitAt(index);
    if (!unit) return [];
    return runRules(this.spec, this.textValue, unit, this.module).findings;
  }

  /** Apply LSP content changes in order, then re-parse and re-analyse what they touched. */
  applyChanges(changes: readonly ContentChange[]): void {
    let edited: TextRange[] = [];
    let full = false;
    for (const change of changes) {
      if (!change.range) {
        this.textValue = change.text;
        this.computeLineStarts();
        full = true;
        continue;
      }
      const start = this.offsetAt(change.range.start);
      const oldEnd = Math.max(start, this.offsetAt(change.range.end));
      const startPosition = this.pointAt(start);
      const oldEndPosition = this.pointAt(oldEnd);
      this.textValue = this.textValue.slice(0, start) + change.text + this.textValue.slice(oldEnd);
      const newEnd = start + change.text.length;
      this.updateLineStarts(start, oldEnd, change.text);
      const newEndPosition = this.pointAt(newEnd);
      for (const u of this.units) {
        if (u.startIndex < 0 || u.endIndex < start) continue;
        if (u.startIndex >= oldEnd) {
          u.startIndex += newEnd - oldEnd;
          u.endIndex += newEnd - oldEnd;
        } else u.startIndex = u.endIndex = -1;
      }
      if (!full) this.tree.edit({ startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd, startPosition, oldEndPosition, newEndPosition });
      const delta = newEnd - oldEnd;
      edited = edited.map((r) => shiftRange(r, start, oldEnd, delta));
      edited.push({ startIndex: start, endIndex: newEnd });
    }
    const t0 = performance.now();
    const old = this.tree;
    this.tree = full ? this.parser.parse(this.textValue) : this.parser.parse(this.textValue, old);
    const changed = full ? [] : old.changedRanges(this.tree);
    old.dispose();
    const t1 = performance.now();
    if (full) this.units = [];
    this.reanalyse([...edited, ...changed], t1 - t0);
  }

  dispose(): void {
    this.tree.dispose();
  }

  // ---- internals ----

  private rawUnits(): RawNode[] {
    const out: RawNode[] = [];
    const visit = (node: RawNode) => {
      const members = this.spec.unitMembers(node);
      if (members === null) out.push(node);
      else for (const m of members) visit(m);
    };
    for (const child of this.tree.rootNode.namedChildren) if (child) visit(child);
    return out;
  }

  private reanalyse(dirty: TextRange[], parseMs: number): void {
    const t0 = performance.now();
    // Units no edit overlapped, by their (shifted) extent: the same extent means the same text.
    const previous = new Map<string, UnitRecord>();
    for (const u of this.units) if (u.startIndex >= 0) previous.set(`${u.startIndex}:${u.endIndex}`, u);
    const next: UnitRecord[] = [];
    const fresh = new Map<UnitRecord, SyntaxNode>();
    const rawOf = new Map<UnitRecord, RawNode>();
    let bindingsChanged = this.units.length === 0;
    for (const raw of this.rawUnits()) {
      const start = raw.startIndex;
      const end = raw.endIndex;
      const touched = dirty.some((r) => intersects(r, start, end));
      const key = `${start}:${end}`;
      const reusable = touched ? undefined : previous.get(key);
      if (reusable) {
        previous.delete(key);
        rawOf.set(reusable, raw);
        next.push(reusable);
        continue;
      }
      const node = snapshot(raw.walk(), this.textValue);
      const record: UnitRecord = {
        startIndex: start,
        endIndex: end,
        bindings: this.bindingsOf(node),
        names: identifiers(node),
        findings: [],
        analysedAt: start,
        summaryKey: '',
      };
      if (record.bindings.size > 0) bindingsChanged = true;
      fresh.set(record, node);
      next.push(record);
    }
    // A unit that disappeared may have bound a name others read.
    for (const u of this.units) if (!rawOf.has(u) && u.bindings.size > 0) bindingsChanged = true;
    this.units = next;
    if (bindingsChanged) this.module = mergeBindings(next.map((u) => u.bindings));
    let analysed = 0;
    for (const u of next) {
      if (!fresh.has(u) && !bindingsChanged) continue;
      const key = dependencyKey(u.names, this.module);
      if (!fresh.has(u) && u.summaryKey === key) continue;
      const node = fresh.get(u) ?? snapshot(rawOf.get(u)!.walk(), this.textValue);
      const result = runRules(this.spec, this.textValue, node, this.module, { budgetMs: this.options.unitBudgetMs, onFailure: (f) => this.failures.push(f) });
      u.findings = result.findings;
      u.overBudgetMs = result.overBudgetMs;
      u.analysedAt = u.startIndex;
      u.summaryKey = key;
      analysed++;
    }
    this.lastStats = { unitsTotal: next.length, unitsAnalysed: analysed, unitsReused: next.length - analysed, parseMs, analyseMs: performance.now() - t0 };
  }

  /** A unit's top-level bindings; code too strange to read binds nothing rather than failing the edit. */
  private bindingsOf(node: SyntaxNode): Map<string, ValueKind> {
    try {
      return this.spec.bindings(node);
    } catch (error) {
      this.failures.push({ code: 'bindings', error });
      return new Map();
    }
  }

  /** Keep the line starts in step with one edit without rescanning the whole text. */
  private updateLineStarts(start: number, oldEnd: number, inserted: string): void {
    const starts = this.lineStarts;
    // Lines starting inside (start, oldEnd] were deleted; later ones move by the length change.
    let first = 0;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= start) lo = mid + 1;
      else hi = mid;
    }
    first = lo;
    let last = first;
    while (last < starts.length && starts[last] <= oldEnd) last++;
    const added: number[] = [];
    for (let i = inserted.indexOf('\n'); i !== -1; i = inserted.indexOf('\n', i + 1)) added.push(start + i + 1);
    const delta = inserted.length - (oldEnd - start);
    const tail = starts.slice(last).map((s) => s + delta);
    starts.length = first;
    for (const a of added) starts.push(a);
    for (const t of tail) starts.push(t);
  }

  /** Line starts after each '\n' (tree-sitter's notion of a row). */
  private computeLineStarts(): void {
    const starts = [0];
    const text = this.textValue;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
  }

  /** LSP position → offset. LSP also breaks lines at a lone '\r'; tree-sitter and we do not. */
  private offsetAt(pos: { line: number; character: number }): number {
    const line = Math.min(Math.max(pos.line, 0), this.lineStarts.length - 1);
    const start = this.lineStarts[line];
    const end = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.textValue.length;
    return Math.min(start + Math.max(pos.character, 0), end);
  }

  private pointAt(index: number): Point {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: index - this.lineStarts[lo] };
  }
}

function identifiers(node: SyntaxNode): Set<string> {
  const names = new Set<string>();
  for (const n of node.descendants()) if (n.type === 'identifier' || n.type === 'type_identifier') names.add(n.text);
  return names;
}

/** The module bindings a unit can see through the names it mentions, as a cache key. */
function dependencyKey(names: Set<string>, module: ModuleSummary): string {
  let key = '';
  for (const name of names) {
    const kind = module.bindings.get(name);
    if (kind !== undefined) key += `${name}:${kind},`;
  }
  return key;
}

function intersects(r: TextRange, start: number, end: number): boolean {
  return r.startIndex <= end && r.endIndex >= start;
}

function shiftRange(r: TextRange, start: number, oldEnd: number, delta: number): TextRange {
  const move = (i: number) => (i >= oldEnd ? i + delta : i > start ? start : i);
  return { startIndex: move(r.startIndex), endIndex: Math.max(move(r.endIndex), move(r.startIndex)) };
}

function shift(f: Finding, delta: number): Finding {
  if (delta === 0) return f;
  return {
    ...f,
    startIndex: f.startIndex + delta,
    endIndex: f.endIndex + delta,
    related: f.related.map((r) => ({ ...r, startIndex: r.startIndex + delta, endIndex: r.endIndex + delta })),
    fix: f.fix && { ...f.fix, replacements: f.fix.replacements.map((r) => ({ ...r, startIndex: r.startIndex + delta, endIndex: r.endIndex + delta })) },
  };
}
