// One document's incremental analysis: the tree-sitter tree, the units (functions, methods,
// top-level statements) and their findings. The text and its line index belong to the document
// (documents.ts); the analysis is told the new text and the edits that led to it, edits the tree
// and re-parses it against its old self, and re-analyses only the units the edits touched: the
// findings of the others are kept and shifted to their new offsets. Edits may be batched: several
// notifications' worth are applied in one update, so a burst of typing costs one parse.

import { createHash } from 'node:crypto';
import type { LanguageSpec } from './language';
import type { ParsedTree, Parser, RawNode, TextEdit, TextRange } from '../parsing';
import { addRange, commentAbove, intersects, shiftRange } from './ranges';
import type { SyntaxNode } from '../parsing';
import { definedFunction, EMPTY_MODULE, mergeBindings, mentionsAfter, mergeNameFacts, NO_NAME_FACTS, setupPaths, type ModuleSummary, type UnitNameFacts, type ValueKind } from './module';
import { compareFindings, runRules, unitDeadline, UNIT_BUDGET_MS, type RuleFailure } from './runRules';
import { estimateRoots, OverBudget } from '../complexity';
import { syntaxErrorsIn, type GapMemo, type InvalidSyntax } from './syntaxErrors';
import { FileEstimates, relocate, summarize, type EstimateSummary } from './estimates';
import type { Finding } from './rule';
import type { AnalysisOptions, AnalysisStats } from './analysisOptions';
import { dependencyKey, identifiers, shift } from './unitFacts';

export type { AnalysisOptions, AnalysisStats } from './analysisOptions';

/** Edits from the analysed text to the new one, in order; 'full' when the text was replaced. */
export type EditBatch = readonly TextEdit[] | 'full';

interface UnitRecord {
  /** Where the unit is in the current text (kept up to date through edits; -1 once an edit overlaps it). */
  startIndex: number;
  endIndex: number;
  readonly bindings: Map<string, ValueKind>;
  /** What the unit's text says about names beyond their kind (ModuleSummary.nameFacts). */
  readonly nameFacts: UnitNameFacts;
  /** Identifiers the unit mentions: its findings depend on the module bindings of these only. */
  readonly names: Set<string>;
  /** Findings at offsets of the text when analysed; `startIndex` above says where the unit was then. */
  findings: Finding[];
  analysedAt: number;
  /** dependencyKey() of the module context it was analysed in; null when not computed (a one-shot analysis): differs from every key. */
  summaryKey: string | null;
  /** Set when the unit's analysis ran past its time budget and was given up (ms spent). */
  overBudgetMs?: number;
  /** Every name the unit mentions, property names included (what its calls may name: `self.f()`, `this.#g()`). */
  readonly mentions: Set<string>;
  /** The function the unit defines (a def, a method, `const f = () => …`), or null for another statement. */
  readonly functionName: string | null;
  /** A new number whenever the unit's text changes (the estimates' cache key). */
  readonly generation: number;
  /** The unit node's type when it parsed without errors (the same text can parse otherwise inside broken code), else null. */
  readonly shape: string | null;
  /** With `shape`, a hash of the unit's text and of its line before it (its indentation), from the first update on: see `reanalyse`. */
  textHash?: string;
  /** Not analysed yet (a large analysis left it for `finishDependents`): no findings to show, not even old ones. */
  unanalysed?: boolean;
  /** Its functions' own complexity estimates (from the rules' run, or computed when first asked), at offsets of `estimatesAt`. */
  estimates?: EstimateSummary[];
  estimatesAt: number;
}

/** A unit whose analysis was given up for running past the time budget: shown as a notice, not a finding. */
export type { InvalidSyntax } from './syntaxErrors';

/** The code of syntax errors in findings, diagnostics, the CLI and SARIF (Ruff's name for them). */
export const INVALID_SYNTAX = 'invalid-syntax';

export interface SkippedUnit {
  startIndex: number;
  endIndex: number;
  message: string;
}

export class DocumentAnalysis {
  private tree: ParsedTree;
  private units: UnitRecord[] = [];
  private module: ModuleSummary = EMPTY_MODULE;
  lastStats: AnalysisStats = { unitsTotal: 0, unitsAnalysed: 0, unitsReused: 0, unitsPending: 0, parseMs: 0, analyseMs: 0 };
  /** Dependents not re-analysed yet (their findings are those of the module context before the update). */
  private pendingDependents: UnitRecord[] = [];
  /** New units not analysed yet (see AnalysisOptions.freshAtOnce), analysed before the dependents. */
  private pendingFresh: { unit: UnitRecord; node: SyntaxNode | undefined }[] = [];
  readonly failures: RuleFailure[] = [];

  constructor(
    readonly spec: LanguageSpec,
    private readonly parser: Parser,
    private textValue: string,
    private readonly options: AnalysisOptions = {},
  ) {
    const t0 = performance.now();
    this.tree = parser.parse(textValue);
    const t1 = performance.now();
    this.reanalyse([], t1 - t0);
  }

  /**
   * Changes whenever the tree, the units or their findings and estimates may have changed (`update`,
   * `finishDependents`, `dispose`): a reader that spreads its work over several turns of the event
   * loop (the code lens) starts again when it changed, even without a new document version.
   */
  get generation(): number {
    return this.changes;
  }

  private changes = 0;

  /** The text this analysis describes (the document's text as of the last update). */
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

  /**
   * The regions the parser could not read (cached per parse). Only the subtrees that hold an error
   * are entered (tree-sitter marks them), so a file that parses costs nothing here and a keystroke
   * that breaks one statement costs the path down to it, not a walk of the file. Whether a region is
   * valid code the grammar lacks is kept across edits that leave the regions' text alone (syntaxErrors.ts).
   */
  syntaxErrors(): (InvalidSyntax & { missing: boolean })[] {
    if (this.syntaxErrorsOf?.tree === this.tree) return this.syntaxErrorsOf.errors;
    const errors = syntaxErrorsIn(this.tree.rootNode, this.textValue, this.spec.grammarGaps ?? [], this.parser, this.gapMemo);
    return (this.syntaxErrorsOf = { tree: this.tree, errors }).errors;
  }

  private syntaxErrorsOf: { tree: ParsedTree; errors: (InvalidSyntax & { missing: boolean })[] } | undefined;
  private readonly gapMemo: GapMemo = {};

  /** Units skipped for running past the time budget, where they are now, with the notice to show. */
  skippedUnits(): SkippedUnit[] {
    const budget = this.options.unitBudgetMs ?? UNIT_BUDGET_MS;
    return this.units
      .filter((u) => u.overBudgetMs !== undefined && u.startIndex >= 0)
      .map((u) => ({
        startIndex: u.startIndex,
        endIndex: u.endIndex,
        message: `Hotpath skipped this code: its analysis passed the ${budget} ms CPU budget (stopped after ${Math.round(u.overBudgetMs!)} ms), so it has no findings. The rest of the file is analysed.`,
      }));
  }

  /** Top-level units as syntax snapshots (built on demand; used by whole-file features). */
  unitNodes(): SyntaxNode[] {
    return this.rawUnits().map((raw) => this.parser.snapshot(raw, this.textValue));
  }

  /** The smallest syntax snapshot of the unit containing `index`, or null. */
  unitAt(index: number): SyntaxNode | null {
    const raw = this.rawUnits().find((u) => u.startIndex <= index && index <= u.endIndex);
    return raw ? this.parser.snapshot(raw, this.textValue) : null;
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

  /**
   * Bring the analysis to `text`: the analysed text with `edits` applied in order. The parse reuses
   * the old tree; where that tree held a syntax error, the result is only provisional (see `reparse`).
   */
  update(text: string, edits: EditBatch): void {
    this.changes++;
    const full = edits === 'full';
    // The hashes `reanalyse` finds units by, taken before the text changes (a new analysis has none:
    // the CLI never updates one).
    for (const u of this.units) if (u.shape !== null) u.textHash ??= this.textHash(u.shape, u.startIndex, u.endIndex);
    let edited: TextRange[] = [];
    if (!full) {
      for (const e of edits) {
        const { startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd } = e;
        for (const u of this.units) {
          if (u.startIndex < 0 || u.endIndex < start) continue;
          if (u.startIndex >= oldEnd) {
            u.startIndex += newEnd - oldEnd;
            u.endIndex += newEnd - oldEnd;
          } else u.startIndex = u.endIndex = -1;
        }
        this.tree.edit(e);
        const delta = newEnd - oldEnd;
        edited = addRange(
          edited.map((r) => shiftRange(r, start, oldEnd, delta)),
          { startIndex: start, endIndex: newEnd },
        );
      }
    }
    this.textValue = text;
    this.freshStopped = false; // the parse below abandons it
    const t0 = performance.now();
    const old = this.tree;
    this.tree = full ? this.parser.parse(text) : this.parser.parse(text, old);
    // A parse without an error is the text's one parse whatever it reused: only a recovery can differ,
    // and it can whether or not the old tree held one (review 13 M1: some first errors typed into
    // valid code got another tree than a fresh parse; incremental.test.ts). A full parse is a fresh one.
    this.reparse = !full && this.tree.rootNode.hasError;
    const changed = full ? [] : old.changedRanges(this.tree);
    old.dispose();
    const t1 = performance.now();
    if (full) this.units = [];
    this.reanalyse([...edited, ...changed], t1 - t0);
  }

  /** The functions' complexity estimates, per unit and incremental (the code lens reads them). */
  get estimates(): FileEstimates {
    return (this.fileEstimates ??= new FileEstimates({
      complexity: this.spec.complexity,
      units: () => this.units,
      ownEstimates: (u) => this.ownEstimates(u as UnitRecord),
      snapshotUnits: (us) => us.map((u) => this.unitSnapshot(u as UnitRecord)),
      deadline: () => unitDeadline(this.options.unitBudgetMs ?? UNIT_BUDGET_MS, this.options.clock),
    }));
  }

  private fileEstimates: FileEstimates | undefined;
  /** Units that disappeared in recent updates (see `reanalyse`). */
  private retired: UnitRecord[] = [];
  private generations = 0;
  private rawByStart: { tree: ParsedTree; raws: Map<number, RawNode> } | undefined;

  /** A current unit's syntax snapshot. */
  private unitSnapshot(u: UnitRecord): SyntaxNode {
    if (this.rawByStart?.tree !== this.tree) this.rawByStart = { tree: this.tree, raws: new Map(this.rawUnits().map((r) => [r.startIndex, r])) };
    return this.parser.snapshot(this.rawByStart.raws.get(u.startIndex)!, this.textValue);
  }

  /**
   * A unit's own estimates: the rules' when they computed them, else computed here under the unit's
   * time budget. A unit that ran past it (here or in its rules' run) has none: no lenses, rather
   * than the editor's event loop held by one function's estimate. (Its findings, when its rules ran
   * within the budget, stay: the notice of a skipped unit is for those.)
   */
  private ownEstimates(u: UnitRecord): EstimateSummary[] {
    if (!u.estimates) {
      u.estimates = u.overBudgetMs === undefined ? this.budgetedEstimates(u) : [];
      u.estimatesAt = u.startIndex;
    }
    const delta = u.startIndex - u.estimatesAt;
    if (delta !== 0) {
      u.estimates = u.estimates.map((e) => relocate(e, (x) => x + delta));
      u.estimatesAt = u.startIndex;
    }
    return u.estimates;
  }

  private budgetedEstimates(u: UnitRecord): EstimateSummary[] {
    try {
      const deadline = unitDeadline(this.options.unitBudgetMs ?? UNIT_BUDGET_MS, this.options.clock);
      return estimateRoots(this.spec.complexity, [this.unitSnapshot(u)], deadline).map(summarize);
    } catch (error) {
      if (!(error instanceof OverBudget)) throw error;
      return []; // kept (an empty list) until the unit's text changes
    }
  }

  /** Free the tree (WASM or native memory); the parser is its creator's to free. */
  dispose(): void {
    this.changes++;
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

  /**
   * The hash of a unit's text, with its line's text before it (the unit's analysis sees its
   * indentation) kept apart from it: `foo = (1, 2)` as one unit and `(1, 2)` as a unit after an
   * error-recovered `foo =` are the same line but not the same unit. With the block comment right above (a JSDoc).
   */
  private textHash(shape: string, start: number, end: number, comment = commentAbove(this.textValue, start)): string {
    const lineStart = this.textValue.lastIndexOf('\n', start - 1) + 1;
    return createHash('sha1').update(shape).update('\0').update(this.textValue.slice(lineStart, start)).update('\0').update(this.textValue.slice(comment, start)).update('\0').update(this.textValue.slice(start, end)).digest('base64');
  }

  private reanalyse(dirty: TextRange[], parseMs: number): void {
    const t0 = performance.now();
    // Units no edit overlapped, by their (shifted) extent: the same extent means the same text.
    const previous = new Map<string, UnitRecord>();
    for (const u of this.units) if (u.startIndex >= 0) previous.set(`${u.startIndex}:${u.endIndex}`, u);
    // Units of this analysis and recently retired ones, by their text: a keystroke that breaks the
    // syntax can re-shape the units around it (error recovery), and the next one that mends it
    // brings back units with the same text at new places; those keep their findings (shifted).
    const byText = new Map<string, UnitRecord>();
    for (const u of [...this.retired, ...this.units]) if (u.textHash) byText.set(u.textHash, u);
    const used = new Set<UnitRecord>();
    const next: UnitRecord[] = [];
    // New units' snapshots, each with its nodes in pre-order as the copy listed them (UnitContext.nodes, for runRules).
    const fresh = new Map<UnitRecord, { node: SyntaxNode; nodes: readonly SyntaxNode[] }>();
    const rawOf = new Map<UnitRecord, RawNode>();
    let bindingsChanged = this.units.length === 0;
    for (const raw of this.rawUnits()) {
      const start = raw.startIndex;
      const end = raw.endIndex;
      const comment = commentAbove(this.textValue, start);
      const touched = dirty.some((r) => intersects(r, comment, end));
      const key = `${start}:${end}`;
      let reusable = touched ? undefined : previous.get(key);
      if (reusable && used.has(reusable)) reusable = undefined;
      const shape = raw.hasError ? null : raw.type;
      const hash = reusable || this.units.length === 0 || shape === null ? undefined : this.textHash(shape, start, end, comment);
      if (hash) {
        const same = byText.get(hash);
        if (same && !used.has(same)) {
          reusable = same;
          // Back from retirement or moved among the others: the module bindings (merged in
          // document order) may differ.
          if (shapesModule(same)) bindingsChanged = true;
          same.startIndex = start;
          same.endIndex = end;
        }
      }
      if (reusable) {
        previous.delete(key);
        used.add(reusable);
        rawOf.set(reusable, raw);
        next.push(reusable);
        continue;
      }
      const listed: SyntaxNode[] = [];
      const node = this.parser.snapshot(raw, this.textValue, listed);
      const nodes = listed[0] === node ? listed : node.descendants(); // a parser that did not list them: one walk
      const { names, mentions } = identifiers(nodes);
      const record: UnitRecord = {
        startIndex: start,
        endIndex: end,
        bindings: this.moduleFactsOf('bindings', () => this.spec.bindings(node), new Map<string, ValueKind>()),
        nameFacts: this.moduleFactsOf('nameFacts', () => this.spec.nameFacts(node, nodes), NO_NAME_FACTS),
        names,
        mentions,
        functionName: definedFunction(node, this.spec.functionTypes),
        findings: [],
        analysedAt: start,
        summaryKey: null,
        generation: ++this.generations,
        shape,
        textHash: hash,
        estimatesAt: start,
      };
      if (shapesModule(record)) bindingsChanged = true;
      fresh.set(record, { node, nodes });
      next.push(record);
    }
    // A unit that disappeared may have bound a name others read.
    for (const u of this.units) if (!rawOf.has(u) && shapesModule(u)) bindingsChanged = true;
    // Retired: the units that disappeared now, and those that disappeared before and did not come
    // back (at most as many as the file has units).
    this.retired = [...this.units, ...this.retired].filter((u) => !used.has(u)).slice(0, next.length);
    this.units = next;
    this.module = {
      bindings: bindingsChanged ? mergeBindings(next.map((u) => u.bindings)).bindings : this.module.bindings,
      mentionedAfter: mentionsAfter(next),
      setupPath: setupPaths(next),
      nameFacts: bindingsChanged ? mergeNameFacts(next.map((u) => u.nameFacts)) : this.module.nameFacts,
    };
    // Units whose text changed first, then dependents (unchanged text, changed module context), as
    // many of those as the options allow now.
    // Units left unanalysed by an earlier analysis count as new.
    let analysed = 0;
    const dependents: UnitRecord[] = [];
    const waiting: { unit: UnitRecord; node: SyntaxNode | undefined }[] = [];
    let freshLeft = this.options.freshAtOnce ?? Infinity;
    for (const u of next) {
      const made = fresh.get(u);
      const node = made?.node;
      if (node || u.unanalysed) {
        if (freshLeft <= 0) {
          u.unanalysed = true;
          // Its snapshot is kept (made above for its names) rather than made again.
          waiting.push({ unit: u, node });
          continue;
        }
        freshLeft--;
        this.analyseUnit(u, node ?? this.parser.snapshot(rawOf.get(u)!, this.textValue), this.options.oneShot ? null : dependencyKey(u, this.module), made?.nodes);
        analysed++;
      } else if (u.summaryKey !== dependencyKey(u, this.module)) dependents.push(u);
    }
    const atOnce = Math.min(dependents.length, this.options.dependentsAtOnce ?? Infinity);
    for (const u of dependents.slice(0, atOnce)) this.analyseUnit(u, this.parser.snapshot(rawOf.get(u)!, this.textValue), dependencyKey(u, this.module));
    analysed += atOnce;
    this.pendingFresh = waiting;
    this.pendingDependents = dependents.slice(atOnce);
    this.lastStats = { unitsTotal: next.length, unitsAnalysed: analysed, unitsReused: next.length - analysed - waiting.length, unitsPending: waiting.length + this.pendingDependents.length, parseMs, analyseMs: performance.now() - t0 };
  }

  /**
   * Set when the last update's parse reused the old tree and its result has a syntax error (whether
   * or not the old tree had one). tree-sitter's incremental parse keeps old subtrees, and around an
   * error recovery it can settle on another recovery of the new text than a fresh parse of it (incremental.test.ts: six notifications through broken
   * code, and one ERROR where a fresh parse has four; before, a string delimiter typed in broken code
   * left the rest of the file one ERROR). The findings must not depend on the edit history, so
   * `finishDependents` parses such a text afresh and re-analyses the units whose parse changed. It is
   * not done in `update`: a fresh parse of a large file costs several keystrokes' worth (CPython's
   * _pydecimal.py and buntis.cjs.js with one syntax error: 3.4 to 10 times a keystroke's update,
   * bench/broken-reparse.md), and the editor finishes an analysis between bursts of typing, in slices
   * (AnalysisOptions.reparseSliceMs: the parse stops at the end of one and resumes in the next); a
   * pull of diagnostics finishes it at once.
   */
  private reparse = false;

  /** Whether every unit is analysed in the current module context (no new unit or dependent waits) and the tree is a fresh parse's. */
  get complete(): boolean {
    return this.pendingFresh.length === 0 && this.pendingDependents.length === 0 && !this.reparse;
  }

  /** Whether some units have not been analysed at all yet (AnalysisOptions.freshAtOnce): their findings are missing, not just old. */
  get partial(): boolean {
    return this.pendingFresh.length > 0;
  }

  /** Parse afresh when the tree may hold a stale error recovery (`reparse`), then analyse up to `max` waiting units, new ones first, then dependents (all by default); true when none are left. */
  finishDependents(max = Infinity): boolean {
    if (this.reparse) {
      const t0 = performance.now();
      const tree = this.freshParse(max === Infinity);
      if (!tree) return false; // stopped at the end of its slice: resumed at the next call
      this.reparse = false;
      this.changes++;
      const old = this.tree;
      this.tree = tree;
      const changed = old.changedRanges(this.tree);
      old.dispose();
      // Units outside the changed ranges keep their extent and findings; new ones may wait (freshAtOnce).
      // No changed range (the commonest case: the incremental parse was the fresh one): every unit
      // keeps its extent and analysis, and re-analysing would only rebuild what is there (a
      // keystroke's worth of work in a large file); the waiting units' snapshots were of the old tree.
      if (changed.length > 0) this.reanalyse(changed, performance.now() - t0);
      else this.pendingFresh = this.pendingFresh.map(({ unit }) => ({ unit, node: undefined }));
      if (max !== Infinity) return this.complete;
    }
    const first = this.pendingFresh.splice(0, max);
    for (const { unit, node } of first) {
      this.analyseUnit(unit, node ?? this.unitSnapshot(unit), this.options.oneShot ? null : dependencyKey(unit, this.module));
    }
    max -= first.length;
    if (max <= 0) return this.complete;
    for (const u of this.pendingDependents.splice(0, max)) {
      const key = dependencyKey(u, this.module);
      if (u.summaryKey !== key) this.analyseUnit(u, this.unitSnapshot(u), key);
    }
    return this.complete;
  }

  /**
   * The text parsed afresh: at once when `atOnce` (or when no slice is set or the backend cannot stop
   * a parse), else for at most `reparseSliceMs`, null when it stopped there (the parser resumes it
   * at the next call, unless an update's parse came in between).
   */
  private freshParse(atOnce: boolean): ParsedTree | null {
    const slice = this.options.reparseSliceMs;
    if (!this.parser.parseFresh || ((atOnce || slice === undefined) && !this.freshStopped)) return this.parser.parse(this.textValue);
    const now = this.options.clock ?? (() => performance.now());
    const end = atOnce || slice === undefined ? Infinity : now() + slice;
    const tree = this.parser.parseFresh(this.textValue, () => now() >= end);
    this.freshStopped = tree === null;
    return tree;
  }

  /** Whether the parser holds a fresh parse of this text that stopped at the end of its slice. */
  private freshStopped = false;

  private analyseUnit(u: UnitRecord, node: SyntaxNode, key: string | null, nodes?: readonly SyntaxNode[]): void {
    this.changes++;
    const result = runRules(this.spec, this.textValue, node, this.module, { budgetMs: this.options.unitBudgetMs, now: this.options.clock, keepEstimates: this.options.keepEstimates, onFailure: (f) => this.failures.push(f), nodes });
    u.findings = result.findings;
    if (result.estimates) {
      u.estimates = result.estimates.map(summarize);
      u.estimatesAt = u.startIndex;
    }
    u.overBudgetMs = result.overBudgetMs;
    u.analysedAt = u.startIndex;
    u.summaryKey = key;
    u.unanalysed = false;
  }

  /** What a unit says about the module (its bindings, its name facts); code too strange to read says nothing rather than failing the edit. */
  private moduleFactsOf<T>(code: 'bindings' | 'nameFacts', read: () => T, nothing: T): T {
    try {
      return read();
    } catch (error) {
      this.failures.push({ code, error });
      return nothing;
    }
  }
}

/** Whether the unit adds anything to the module summary (a binding or a fact about a name). */
function shapesModule(u: UnitRecord): boolean {
  return u.bindings.size > 0 || u.nameFacts.definitions.length > 0 || u.nameFacts.mutated.size > 0;
}
