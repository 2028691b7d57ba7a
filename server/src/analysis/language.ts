// What the engine needs to know about a language: the contract a language plug-in
// (server/src/languages/<folder>/index.ts) fulfils. Adding a language is a new folder under
// languages/ with one of these, its rules, its complexity adapter and its prompts; the engine asks
// the spec and does not change (docs/ARCHITECTURE.md, "Adding a language").

import type { ComplexityAdapter } from '../complexity/adapter';
import type { ExecutionLanguage } from '../execution/language';
import type { GrammarName, RawNode, SyntaxNode } from '../parsing';
import type { UnitFacts } from './facts';
import type { GrammarGap } from './grammarGaps';
import type { UnitNameFacts, ValueKind } from './module';
import type { LanguageId, Rule, UnitContext } from './rule';
import type { EncodedSource, SourceText } from './sourceFile';

export type { LanguageId } from './rule';

export interface LanguageSpec {
  id: LanguageId;
  /** The plug-in's folder under languages/ (several specs may share one: javascript, typescript, tsx). */
  folder: string;
  grammar: GrammarName;
  /** VS Code / LSP language identifiers served by this spec. */
  lspLanguageIds: readonly string[];
  extensions: readonly string[];
  /**
   * How a file's bytes on disk become its text, as the language reads them (Python: the PEP 263
   * coding declaration, lone CR line ends), or why they cannot; absent: UTF-8 (analysis/sourceFile.ts).
   */
  decodeSource?(bytes: Uint8Array): SourceText;
  /**
   * The inverse for a fixed text (`hotpath check --fix`): the bytes to write, in the encoding and
   * line ends of the file's `original` bytes, or why not; absent: UTF-8 (sourceFile.ts encodeUtf8).
   */
  encodeSource?(text: string, original: Uint8Array): EncodedSource;
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
  /**
   * What the unit's text says about names beyond their kind (merged into ModuleSummary.nameFacts).
   * `nodes`: the unit's nodes in pre-order (UnitContext.nodes), for facts read off the syntax.
   */
  nameFacts(unit: SyntaxNode, nodes: readonly SyntaxNode[]): UnitNameFacts;
  /** This language's rules, from the one rule registry (languages/rules.ts). */
  rules: readonly Rule[];
  /** How the static complexity estimate reads this language's syntax. */
  complexity: ComplexityAdapter;
  /** How benchmarks extract and run this language's functions (languages/<lang>/execution/). */
  execution: ExecutionLanguage;
  /** Valid constructs its tree-sitter grammar cannot read, each with a same-length rewrite it can (analysis/grammarGaps.ts). */
  grammarGaps?: readonly GrammarGap[];
  /** The facts the language's rules share about one unit (built once per unit, on first use). */
  facts(ctx: UnitContext): UnitFacts;
}

export function named(node: RawNode): RawNode[] {
  return node.namedChildren.filter((c): c is RawNode => c !== null);
}
