// One document's incremental analysis. The text is edited in place, the tree-sitter tree is
// edited and re-parsed against its old self, and only the units (functions, methods, top-level
// statements) that the edit touched are re-analysed; the findings of the others are kept and
// shifted to their new offsets.

import type { LanguageSpec } from '../languages/language';
import type { ParsedTree, Parser, Point, RawNode, TextRange } from '../parsing';
import { snapshot, type SyntaxNode } from '../parsing';
import { mergeBindings, type ModuleSummary, type ValueKind } from './module';
import { compareFindings, runRules, type RuleFailure } from './runRules';
import type { Finding } from './rule';

/** An LSP-style change: a range in the old text (0-based line and UTF-16 character) and its replacement. */
export interface ContentChange {
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

interface UnitRecord {
  readonly text: string;
  startIndex: number;
  endIndex: number;
  readonly bindings: Map<string, ValueKind>;
  /** Identifiers the unit mentions: its findings depend on the module bindings of these only. */
  readonly names: Set<string>;
  /** Findings at offsets of the text when analysed; `startIndex` above says where the unit was then. */
  findings: Finding[];
  analysedAt: number;
  summaryKey: string;
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
    for (const u of this.units) for (const f of u.findings) out.push(shift(f, u.startIndex - u.analysedAt));
    return out.sort(compareFindings);
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
    return runRules(this.spec, this.textValue, unit, this.module, this.spec.rules);
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
      this.computeLineStarts();
      const newEndPosition = this.pointAt(newEnd);
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
    const byText = new Map<string, UnitRecord[]>();
    for (const u of this.units) {
      const list = byText.get(u.text);
      if (list) list.push(u);
      else byText.set(u.text, [u]);
    }
    const next: UnitRecord[] = [];
    const fresh = new Map<UnitRecord, SyntaxNode>();
    for (const raw of this.rawUnits()) {
      const text = this.textValue.slice(raw.startIndex, raw.endIndex);
      const touched = dirty.some((r) => intersects(r, raw.startIndex, raw.endIndex));
      const reusable = touched ? undefined : byText.get(text)?.shift();
      if (reusable) {
        reusable.startIndex = raw.startIndex;
        reusable.endIndex = raw.endIndex;
        next.push(reusable);
        continue;
      }
      const node = snapshot(raw.walk(), this.textValue);
      const record: UnitRecord = {
        text,
        startIndex: raw.startIndex,
        endIndex: raw.endIndex,
        bindings: this.spec.bindings(node),
        names: identifiers(node),
        findings: [],
        analysedAt: raw.startIndex,
        summaryKey: '',
      };
      fresh.set(record, node);
      next.push(record);
    }
    this.units = next;
    this.module = mergeBindings(next.map((u) => u.bindings));
    let analysed = 0;
    for (const u of next) {
      const key = dependencyKey(u.names, this.module);
      if (!fresh.has(u) && u.summaryKey === key) continue;
      const node = fresh.get(u) ?? this.snapshotAt(u);
      u.findings = runRules(this.spec, this.textValue, node, this.module, this.spec.rules, (f) => this.failures.push(f));
      u.analysedAt = u.startIndex;
      u.summaryKey = key;
      analysed++;
    }
    this.lastStats = { unitsTotal: next.length, unitsAnalysed: analysed, unitsReused: next.length - analysed, parseMs, analyseMs: performance.now() - t0 };
  }

  private snapshotAt(u: UnitRecord): SyntaxNode {
    const raw = this.rawUnits().find((r) => r.startIndex === u.startIndex && r.endIndex === u.endIndex)!;
    return snapshot(raw.walk(), this.textValue);
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
  for (const [name, kind] of module.bindings) if (names.has(name)) key += `${name}:${kind},`;
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
