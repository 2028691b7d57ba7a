// The contract every rule file fulfils. A rule is one file that carries its code, its
// documentation and its fixtures (as in Ruff), and a `check` that reports findings on one
// analysis unit (a function, a method, or a top-level statement).

import type { ComplexityAdapter } from '../complexity/adapter';
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
  related?: { node: SyntaxNode | { startIndex: number; endIndex: number }; message: string }[];
  fix?: Fix;
}

export interface UnitContext {
  readonly language: LanguageId;
  /** The whole document text. */
  readonly source: string;
  /** The unit: a function or method definition, or one top-level statement. */
  readonly unit: SyntaxNode;
  /** Module-level facts (top-level bindings and function names) shared by every unit. */
  readonly module: ModuleSummary;
  /** The language's complexity adapter (for the complexity rules). */
  readonly complexity: ComplexityAdapter;
  report(report: Report): void;
}

/**
 * A fixture: code and the 1-based lines where the rule must report (empty: must not report).
 * `fixed` is the expected text after applying every fix; `call` is an expression run on the
 * original and on the fixed code (python3 / node) whose printed results must be equal.
 */
export interface Fixture {
  name: string;
  language: LanguageId;
  code: string;
  lines: number[];
  fixed?: string;
  call?: string;
}

export interface Rule {
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
  fixtures: Fixture[];
  check(ctx: UnitContext): void;
}
