// The contract every rule file fulfils. A rule is one file that carries its code, its
// documentation and its fixtures (as in Ruff), and a `create` that returns the rule's visitor for
// one analysis unit (a function, a method, or a top-level statement): handlers by node type, as in
// typescript-eslint. The engine (runRules.ts) walks each unit once and calls every rule's handler
// for each node; the facts rules share (loops around a node, declarations, kinds, the complexity
// estimates) are computed once per unit in `ctx.facts`.

import type { Deadline } from '../complexity/deadline';
import type { SyntaxNode } from '../parsing';
import type { ModuleSummary } from './module';

/** A language the engine serves (one LanguageSpec each, see language.ts). */
export type LanguageId = 'python' | 'javascript' | 'typescript' | 'tsx';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A replacement of [startIndex, endIndex) of the document text (UTF-16 indices). */
export interface Replacement {
  startIndex: number;
  endIndex: number;
  newText: string;
}

export interface Fix {
  title: string;
  replacements: Replacement[];
}

export interface RelatedSpan {
  startIndex: number;
  endIndex: number;
  message: string;
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  startIndex: number;
  endIndex: number;
  related: RelatedSpan[];
  fix?: Fix;
}

export interface Report {
  node: SyntaxNode | { startIndex: number; endIndex: number };
  message: string;
  /**
   * This finding's severity when it differs from the rule's: a rule reports what is quadratic at the
   * sizes the code sees as its severity, and the same pattern on data that does not grow (or a cost
   * that CPython hides) lower, so that a warning is worth acting on.
   */
  severity?: Severity;
  related?: { node: SyntaxNode | { startIndex: number; endIndex: number }; message: string }[];
  fix?: Fix;
}

export interface UnitContext {
  readonly language: LanguageId;
  /** The whole document text. */
  readonly source: string;
  /** The unit: a function or method definition, or one top-level statement. */
  readonly unit: SyntaxNode;
  /**
   * The unit's nodes of code in pre-order (`unit.descendants()`: the unit first; an opaque literal
   * listed, its tokens not), listed once per unit: the rules' dispatch, the unit's identifiers and
   * name facts, the complexity pre-filter and the estimator's function search read this list instead
   * of each walking the unit again.
   */
  readonly nodes: readonly SyntaxNode[];
  /** Module-level facts (top-level bindings and function names) shared by every unit. */
  readonly module: ModuleSummary;
  /**
   * The caller keeps the unit's complexity estimates (the editor's code lenses reuse them): they are
   * computed even where no rule can report from them. Absent: true; false for a one-shot check
   * (`hotpath check`, the workspace check).
   */
  readonly keepEstimates?: boolean;
  /**
   * The unit's time budget, for computations that can run long inside one handler (the complexity
   * estimate checks it in its inner loops): its OverBudget gives the unit up. Absent: no budget.
   */
  readonly deadline?: Deadline;
  report(report: Report): void;
}

/** What a rule sees of a unit: the unit, and the facts about it that every rule shares. */
export interface RuleContext<F = unknown> extends UnitContext {
  /** Per-unit facts, built once (on first use) by the language spec and shared by the unit's rules. */
  readonly facts: F;
}

/**
 * A rule's handlers for one unit: node type → handler, called for each node of that type in
 * pre-order (the unit node included). `:unit` runs once, before the walk, with the unit node. The
 * walk does not enter string literals without interpolation (parsing/opaque.ts): a handler for a type
 * of their tokens (string_content, string_fragment, …) fails the rule.
 */
export type Visitor = { readonly [nodeType: string]: ((node: SyntaxNode) => void) | undefined };

/**
 * A fixture: code and the 1-based lines where the rule must report (empty: must not report).
 * `fixed` is the expected text after applying every fix; `call` is an expression run on the
 * original and on the fixed code (python3 / node) whose printed results must be equal;
 * `severity` is the severity each finding must have when it is not the rule's.
 */
export interface Fixture {
  name: string;
  language: LanguageId;
  code: string;
  lines: number[];
  fixed?: string;
  call?: string;
  /** The severity of every finding of the fixture (default: the rule's). */
  severity?: Severity;
  /** The severity of each finding, in the order of `lines`, where they differ. */
  severities?: Severity[];
}

export interface Rule<F = any> {
  /** Stable code, e.g. HP101. Never reused once published. */
  code: string;
  /** kebab-case name, e.g. list-membership-in-loop. */
  name: string;
  languages: readonly LanguageId[];
  severity: Severity;
  /** One line: what is slow. */
  summary: string;
  /** The cost in O-notation, e.g. "O(n·m) → O(n + m)". */
  cost: string;
  /** Markdown: what, why, the cost, an example and the fix. */
  docs: string;
  /** Ruff (or other tool) rules this one covers, for the documented mapping. */
  covers?: string[];
  /**
   * Every quick fix this rule offers keeps the program's behaviour in every case, errors included
   * (like Ruff's "safe" fixes): "Fix all" (source.fixAll.hotpath) and `hotpath check --fix` apply only these. Leave it unset
   * when a fix can change behaviour in some case (unhashable elements, a non-array receiver, an
   * exception raised at another moment): such fixes stay one-at-a-time quick fixes.
   */
  safeFix?: boolean;
  fixtures: Fixture[];
  /** Called once per unit; the returned handlers receive its nodes. State kept in the closure is per unit. */
  create(ctx: RuleContext<F>): Visitor;
}
