// What the engine needs to know about a language. Adding a language is a new folder under
// languages/ with one of these and its rules; the engine does not change.

import type { ValueKind } from '../analysis/module';
import type { Rule } from '../analysis/rule';
import type { ExecutionLanguage } from '../execution/language';
import type { GrammarName, RawNode, SyntaxNode } from '../parsing';

export type LanguageId = 'python' | 'javascript' | 'typescript' | 'tsx';

export interface LanguageSpec {
  id: LanguageId;
  grammar: GrammarName;
  /** VS Code / LSP language identifiers served by this spec. */
  lspLanguageIds: readonly string[];
  extensions: readonly string[];
  /** Line-comment prefix, used for `hotpath: ignore[CODE]` suppressions. */
  lineComment: string;
  /**
   * Units are analysed (and cached) separately. A top-level node is a unit unless it is a
   * container (a class), whose members are units instead; return them, or null for a unit.
   */
  unitMembers(node: RawNode): RawNode[] | null;
  /** Node types that define a function (for names, the complexity estimate and benchmarks). */
  functionTypes: readonly string[];
  /** Top-level names a unit binds, with the kind of value bound. */
  bindings(unit: SyntaxNode): Map<string, ValueKind>;
  rules: readonly Rule[];
  /** How benchmarks extract and run this language's functions (languages/<lang>/execution/). */
  execution: ExecutionLanguage;
}

export function named(node: RawNode): RawNode[] {
  return node.namedChildren.filter((c): c is RawNode => c !== null);
}
