// What the execution engine needs from a language: how to find a function and the top-level
// definitions it depends on (extraction), how its parameters are typed, and the harness that runs
// it (the program, how to start it, how to turn the extracted code into what the harness loads).
// Each language folder provides one (`languages/<lang>/execution/`); the engine has no
// language-specific branches.

import type { ComplexityAdapter } from '../complexity/adapter';
import type { GrammarName, ParserFactory, SyntaxNode } from '../parsing';
import type { TypeResolver, TypeSpec, TypeSyntax } from './typespec';
import type { ExecLanguage, Limits, Metric } from './types';

/**
 * The language plug-ins whose functions the engine runs, by id: the engine asks each for the
 * extraction, the harness and the static estimate (front ends pass languages/'s languageById).
 */
export type LanguageResolver = (id: ExecLanguage) => { execution: ExecutionLanguage; complexity: ComplexityAdapter };

/** What the engine is given to work with: the parsers and the language plug-ins. */
export interface EngineEnv {
  parsers: ParserFactory;
  languages: LanguageResolver;
}

/** Identifiers (and type names) inside a node. */
export function identifiers(node: SyntaxNode, into = new Set<string>()): Set<string> {
  for (const n of node.descendants()) {
    if (n.type === 'identifier' || n.type === 'type_identifier' || n.type === 'shorthand_property_identifier') into.add(n.text);
  }
  return into;
}

/** Where a parameter's input type came from (said in the report). */
export type InputSource = 'annotation' | 'jsdoc' | 'docstring' | 'usage' | 'name' | 'default';

/** A parameter's type as its uses in the body imply it, and the uses that decided it (`len(xs)`, `.append()`). */
export interface InferredParam {
  type?: TypeSpec;
  evidence: string[];
}

export interface ParamInfo {
  name: string;
  /** Annotation text, if any. */
  annotation?: string;
  source: InputSource;
  /** Has a default value: left out of the call (the default is used). */
  optional: boolean;
  /** Can only be passed by name (Python: after `*` or `*args`). */
  keywordOnly?: boolean;
}

/** A top-level statement: the names it binds and the identifiers it refers to. */
export interface TopLevel {
  node: SyntaxNode;
  binds: string[];
  /** Identifiers the statement refers to (for a function: minus its own parameters and locals). */
  uses: Set<string>;
  /** Always kept (`from x import *`, `from __future__`). */
  always?: boolean;
}

// Inputs from existing calls of the function (execution/examples.ts asks the plug-in's sources).

export type ExampleSource = 'doctest' | 'test' | 'call site' | 'class';

/** An input generator rebuilt from an existing call of the function. */
export interface ExampleInput {
  source: ExampleSource;
  /** `file:line` of the call. */
  where: string;
  /** The call as written (one line, shortened). */
  call: string;
  /** What was scaled to n (`path_graph(4)`, `[3, 1, 2]`). */
  scaled: string[];
  /** The example's own size (the largest literal scaled): the sweep starts there. */
  minN: number;
  /** A `name(n, rng)` generator returning the arguments, to append to the module's source. */
  generator: { name: string; text: string };
  /** Names of the generator's last arguments, which the call passes by keyword. */
  keywords: string[];
  /** `class` only: no doctest builds the class, so its constructor is called with generated arguments (`where`: the class). */
  constructed?: boolean;
  /** `class` only: no object is built, only file objects as text streams (io.StringIO). */
  streamed?: boolean;
  /** `class` only: built as a construction in the workspace builds it, then grown through the class's own mutating methods (`where`: the construction). */
  grown?: boolean;
  /** `class` only: returned by a function of the project, called as the project calls it with a string literal (grown to n; `where`: that call). */
  returned?: boolean;
}

/** What an example source may read: the parser of the language, the function's file and source. */
export interface ExampleContext {
  parse(text: string): SyntaxNode;
  /** Parse another module of the project with its own grammar (a TypeScript module a JavaScript one imports); without it, `parse`. */
  parseWith?(grammar: GrammarName, text: string): SyntaxNode;
  file?: string;
  source: string;
}

/** The function an example source looks for calls of (an ExtractedFunction). */
export interface ExampleSubject {
  name: string;
  params: ParamInfo[];
  /** The function's node and its module's root. */
  node: SyntaxNode;
  root: SyntaxNode;
}

/** One source of examples (a language plug-in's doctests.ts, callsites.ts, …). */
export type ExampleFinder = (fn: ExampleSubject, ctx: ExampleContext) => ExampleInput | undefined;

export interface HarnessCommand {
  /** The program to start (a name on PATH or a path). */
  command: string;
  args: string[];
  env: Record<string, string>;
  /** The interpreter that runs the harness (the command itself, or the one valgrind starts). */
  interpreter: string;
}

/** What an interpreter needs to read, and variables that keep it working with HOME moved. */
export interface Runtime {
  readOnly: string[];
  env: Record<string, string>;
}

export interface HarnessStart {
  metric: Metric;
  limits: Limits;
  /** Interpreter executables chosen by the user (`hotpath.execution.python`, `…node`). */
  python?: string;
  node?: string;
}

export interface ExecutionLanguage {
  /** Name for messages ("Python", "JavaScript/TypeScript"). */
  name: string;
  /** Tree-sitter grammar of a source of this language (TSX by the file name). */
  grammar(file?: string): GrammarName;
  /** `#` or `//`, for the `hotpath: bench-input NAME` directive in messages. */
  lineComment: string;
  /** How parameter annotations are written. */
  types: TypeSyntax;
  /** What to add when a parameter's type is unknown ("a type hint"). */
  typeAdvice: string;
  /** An import statement (a model's rewrite may add some above the function). */
  isImport(node: SyntaxNode): boolean;
  /** What separates two top-level definitions (PEP 8: two blank lines; JavaScript: one). */
  definitionGap: string;
  /** Whether its harness can count instructions (callgrind under an interpreter; a JIT's counts depend on warm-up and tiering). */
  countsInstructions: boolean;
  /** The module's top-level statements that bind names (script code is left out). */
  topLevels(root: SyntaxNode): TopLevel[];
  /** The function `name` defined by a top-level statement, if it defines it. */
  functionNode(top: SyntaxNode, name: string): SyntaxNode | null;
  /** The function's parameters (JSDoc above it gives types in JavaScript). */
  params(fn: SyntaxNode, leadingComments: string[]): ParamInfo[];
  /**
   * Types of the parameters from how the function uses them (languages/<lang>/execution/usage.ts),
   * for those nothing declares; `root` is the module (calls into its other functions count);
   * with `project` (the file and a parser), a parameter only passed on takes the type the
   * project's function or class it is passed to needs.
   */
  inferParams?(fn: SyntaxNode, root: SyntaxNode, project?: ExampleContext): Map<string, InferredParam>;
  /**
   * Where existing calls of the function are found (doctests, tests, call sites: one module of
   * languages/<lang>/execution/ each), in the order they are asked; each returns a generator that
   * rebuilds the call's arguments scaled to n.
   */
  examples?: ExampleFinder[];
  /** Named types the module declares (interfaces, type aliases, dataclasses, NamedTuples, TypedDicts), for annotations that name them. */
  namedTypes?(root: SyntaxNode): TypeResolver;
  /**
   * An input generator for `functionName` to complete by hand, written from what is known of each
   * parameter (undefined type: unknown), followed by the `bench-input` directive that names it.
   */
  generatorStub(functionName: string, params: { name: string; type?: TypeSpec; evidence: string[] }[]): { name: string; text: string };
  isAsync(fn: SyntaxNode): boolean;
  isGenerator(fn: SyntaxNode): boolean;
  /**
   * What the harness loads from the reduced module (Python: the module itself; JavaScript and
   * TypeScript: a CommonJS bundle exporting the function as `__hotpath_target` and a getter of
   * the module's top-level bindings as `__hotpath_state`).
   */
  loadableCode(reduced: string, info: { functionName: string; file?: string; language: string; top: SyntaxNode; kept: SyntaxNode[] }): string;
  harness: {
    /** File name in the run's temporary folder. */
    file: string;
    source: string;
    /** How to start it (interpreter, flags, environment of its own). */
    command(start: HarnessStart, harnessFile: string, specFile: string): HarnessCommand;
    /** The interpreter's installation and library folders (run once per interpreter, cached). */
    runtime(interpreter: string): Runtime;
    /** Calls per timed sample last about this long. */
    batchSeconds: number;
    /** Warm-up before the first and later sizes (a JIT needs time to tier up). */
    warmupSeconds: { first: number; later: number };
  };
}
