// Extract a function from its module without running the module's script code.
//
// The harness never imports or executes the user's file as a whole: that would run every
// top-level statement (prints, network calls, `main()`), and for Python `__name__ != '__main__'`
// does not stop them. Instead, tree-sitter finds the function and, transitively, the top-level
// definitions it refers to: imports, function and class definitions, assignments (and blocks that
// only define names). Everything else is blanked out with spaces, so line and column numbers in
// tracebacks stay those of the user's file. Imported modules do run their own import-time code,
// as they would in any program. What a statement binds and uses is the language's business
// (languages/<lang>/execution/extract.ts, given as an ExecutionLanguage); this file is the
// language-neutral closure.

import { snapshot, type GrammarName, type Parser, type ParserFactory, type SyntaxNode } from '../parsing';
import type { ExampleContext, ExecutionLanguage, InferredParam, ParamInfo, TopLevel } from './language';
import { parseType, showType, typeFromName, TypeSyntaxError, type TypeSpec } from './typespec';
import { ExecutionError, type InputDescription } from './types';

export interface ExtractedFunction {
  name: string;
  /** The module reduced to the function and what it needs, same length and lines as the source. */
  code: string;
  params: ParamInfo[];
  /** Generator named by a `hotpath: bench-input NAME` comment above the function. */
  directive?: string;
  isAsync: boolean;
  isGenerator: boolean;
  /** 1-based line of the definition. */
  line: number;
  /** Top-level names kept, for messages and tests. */
  kept: string[];
  /** The top-level statement that defines the function. */
  top: SyntaxNode;
  /** The function's own node, and the module's root (for inference from usage and named types). */
  node: SyntaxNode;
  root: SyntaxNode;
  /** Offset of the comments directly above the function (its own start without any). */
  leadStart: number;
  /** Every top-level statement kept (the function's and what it needs). */
  keptNodes: SyntaxNode[];
}

const DIRECTIVE = /hotpath:\s*bench-input\s+([A-Za-z_$][\w$.]*)/;

/** Comments directly above a top-level statement (no blank line in between). */
function leadingComments(root: SyntaxNode, node: SyntaxNode): SyntaxNode[] {
  const siblings = root.children;
  const i = siblings.indexOf(node);
  const out: SyntaxNode[] = [];
  let row = node.startPosition.row;
  for (let j = i - 1; j >= 0 && siblings[j].type === 'comment' && siblings[j].endPosition.row >= row - 1; j--) {
    out.unshift(siblings[j]);
    row = siblings[j].startPosition.row;
  }
  return out;
}

const parserCache = new WeakMap<ParserFactory, Map<GrammarName, Parser>>();
/** Parse a source with the factory's parser of that grammar (kept per factory) into a snapshot. */
export function parseSource(parsers: ParserFactory, grammar: GrammarName, source: string): SyntaxNode {
  let m = parserCache.get(parsers);
  if (!m) parserCache.set(parsers, (m = new Map()));
  let p = m.get(grammar);
  if (!p) m.set(grammar, (p = parsers.create(grammar)));
  const tree = p.parse(source);
  try {
    return snapshot(tree.rootNode.walk(), source);
  } finally {
    tree.dispose();
  }
}

/** Find the function and reduce the module to it plus what it needs (and extra roots, e.g. a generator). */
export function extractFunction(parsers: ParserFactory, lang: ExecutionLanguage, source: string, name: string, extraRoots: string[] = [], file?: string): ExtractedFunction {
  const root = parseSource(parsers, lang.grammar(file), source);
  const tops = lang.topLevels(root);
  let fnNode: SyntaxNode | null = null;
  let fnTop: SyntaxNode | null = null;
  for (const t of tops) {
    const f = lang.functionNode(t.node, name);
    if (f) {
      fnNode = f;
      fnTop = t.node;
    }
  }
  if (!fnNode || !fnTop) {
    const methods = [...root.descendants()].filter((n) => (n.type === 'function_definition' || n.type === 'method_definition') && n.child('name')?.text === name);
    if (methods.length) throw new ExecutionError(`'${name}' is a method or a nested function: only top-level functions can be benchmarked (wrap it in a top-level function)`, 'input');
    const available = tops.flatMap((t) => t.binds).filter((b) => b !== name);
    throw new ExecutionError(`no top-level function '${name}' in ${file ?? 'the source'}${available.length ? ` (top-level names: ${available.slice(0, 12).join(', ')})` : ''}`, 'input');
  }
  const commentNodes = leadingComments(root, fnTop);
  const comments = commentNodes.map((c) => c.text);
  const directive = comments.map((c) => DIRECTIVE.exec(c)?.[1]).find((x) => x);

  // Transitive closure of the names the function (and the generator) use.
  const needed = new Set<string>([name, ...extraRoots, ...(directive ? [directive] : [])]);
  const keep = new Set<TopLevel>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const t of tops) {
      if (keep.has(t)) continue;
      if (t.always || t.binds.some((b) => needed.has(b))) {
        keep.add(t);
        for (const u of t.uses) if (!needed.has(u)) needed.add(u);
        changed = true;
      }
    }
  }
  for (const r of [...extraRoots, ...(directive ? [directive] : [])]) {
    if (!tops.some((t) => t.binds.includes(r))) throw new ExecutionError(`input generator '${r}' is not defined at the top level of ${file ?? 'the source'}`, 'input');
  }
  // Blank out everything else, keeping newlines (so positions in tracebacks are the file's).
  const chars = source.split('');
  const kept = new Uint8Array(source.length);
  for (const t of keep) kept.fill(1, t.node.startIndex, t.node.endIndex);
  for (let i = 0; i < chars.length; i++) if (!kept[i] && chars[i] !== '\n' && chars[i] !== '\r') chars[i] = ' ';

  return {
    name,
    code: chars.join(''),
    params: lang.params(fnNode, comments),
    directive,
    isAsync: lang.isAsync(fnNode),
    isGenerator: lang.isGenerator(fnNode),
    line: fnNode.startPosition.row + 1,
    kept: [...keep].flatMap((t) => t.binds),
    top: fnTop,
    node: fnNode,
    root,
    leadStart: commentNodes[0]?.startIndex ?? fnTop.startIndex,
    keptNodes: [...keep].map((t) => t.node),
  };
}

/**
 * No input can be built for some parameter: the message says which and why; `stub` is an input
 * generator filled with what was inferred, for the user to complete (the editor offers it as the
 * code action "Add a benchmark input generator").
 */
export class NoInputError extends ExecutionError {
  constructor(message: string, readonly stub: GeneratorStub) {
    super(message, 'input');
  }
}

/** A generator to insert above the function (with the `bench-input` directive that names it). */
export interface GeneratorStub {
  name: string;
  /** The text to insert at the start of the function's top-level statement. */
  text: string;
  /** Offset of that statement in the source. */
  insertAt: number;
}

/**
 * Each required parameter's input type, in this order: its annotation or JSDoc type (named types
 * the module declares included), its uses in the body, its name.
 */
export function resolveInputs(fn: ExtractedFunction, lang: ExecutionLanguage, project?: ExampleContext): { types: TypeSpec[]; description: InputDescription } {
  const types: TypeSpec[] = [];
  const params: InputDescription['params'] = [];
  const required = fn.params.filter((p) => !p.optional);
  let inferred: Map<string, InferredParam> | undefined;
  const inferredOf = (name: string): InferredParam | undefined => {
    if (!inferred) {
      try {
        inferred = lang.inferParams?.(fn.node, fn.root, project) ?? new Map();
      } catch {
        // Inference is a best effort: code it cannot follow leaves the parameter to its name.
        inferred = new Map();
      }
    }
    return inferred.get(name);
  };
  const resolver = lang.namedTypes?.(fn.root);
  const missing: { name: string; why: string }[] = [];
  const partial: { name: string; type?: TypeSpec; evidence: string[] }[] = [];
  for (const p of required) {
    let t: TypeSpec | undefined;
    let source: ParamInfo['source'] = p.source;
    let evidence: string[] | undefined;
    let declared = false;
    if (p.annotation) {
      try {
        t = parseType(p.annotation, lang.types, resolver);
        declared = true;
      } catch (e) {
        if (!(e instanceof TypeSyntaxError)) throw e;
        // A type a docstring states in words is a hint: the uses may still say more.
        if (p.source !== 'docstring') {
          missing.push({ name: p.name, why: e.message.replace(/: write a generator.*$/, '') });
          declared = true;
        }
      }
    }
    if (!declared) {
      const u = inferredOf(p.name);
      if (u?.type) {
        t = u.type;
        source = 'usage';
        evidence = u.evidence;
      } else if (u?.evidence.length) {
        // Its uses say it is something Hotpath cannot build (`g.nodes()`): its name must not overrule them.
        missing.push({ name: p.name, why: `its uses (${u.evidence.slice(0, 3).join(', ')}) do not say how to build it` });
      } else if (unused(fn.node, p.name)) {
        // Never read: any value does; None/null says so.
        t = { k: 'const', value: null };
        source = 'usage';
        evidence = ['never used in the body'];
      } else {
        t = typeFromName(p.name);
        source = 'name';
        if (!t) missing.push({ name: p.name, why: 'nothing in the function says what it is' });
      }
    }
    partial.push({ name: p.name, type: t, evidence: evidence ?? [] });
    if (!t) continue;
    types.push(t);
    params.push({ name: p.name, type: showType(t, lang.types), source, ...(evidence?.length ? { evidence } : {}) });
  }
  if (missing.length) {
    const stub = lang.generatorStub(fn.name, partial);
    throw new NoInputError(
      `cannot build an input for ${missing.map((m) => `'${m.name}' (${m.why})`).join(', ')} of ${fn.name}: add ${lang.typeAdvice}, or an input generator ` +
        `(the code action "Add a benchmark input generator" writes one above the function, filled with what was inferred: '${lang.lineComment} hotpath: bench-input ${stub.name}'; see docs/execution.md)`,
      { name: stub.name, text: stub.text, insertAt: fn.leadStart },
    );
  }
  return { types, description: { kind: 'inferred', params } };
}

/** A parameter the body never mentions (and no `locals()`, `vars()` or `arguments` could reach it). */
function unused(fn: SyntaxNode, name: string): boolean {
  const body = fn.child('body');
  if (!body) return false;
  for (const d of body.descendants()) {
    if ((d.type === 'identifier' || d.type === 'shorthand_property_identifier') && (d.text === name || d.text === 'locals' || d.text === 'vars' || d.text === 'arguments' || d.text === 'eval')) return false;
  }
  return true;
}

export interface FunctionInfo {
  name: string;
  /** 0-based line of the definition (after decorators). */
  line: number;
  startIndex: number;
  endIndex: number;
}

/** Top-level functions of a module (what can be benchmarked), in order. */
export function topLevelFunctions(parsers: ParserFactory, lang: ExecutionLanguage, source: string, file?: string): FunctionInfo[] {
  return functionsOfRoot(lang, parseSource(parsers, lang.grammar(file), source));
}

/** Top-level functions of a module already parsed (`root`), in order. */
export function functionsOfRoot(lang: ExecutionLanguage, root: SyntaxNode): FunctionInfo[] {
  const out: FunctionInfo[] = [];
  for (const t of lang.topLevels(root)) {
    for (const name of t.binds) {
      const f = lang.functionNode(t.node, name);
      if (f) out.push({ name, line: f.startPosition.row, startIndex: t.node.startIndex, endIndex: t.node.endIndex });
    }
  }
  return out;
}

/** The top-level function whose text contains the offset, if any. */
export function functionAt(parsers: ParserFactory, lang: ExecutionLanguage, source: string, offset: number, file?: string): FunctionInfo | undefined {
  return topLevelFunctions(parsers, lang, source, file).find((f) => f.startIndex <= offset && offset <= f.endIndex);
}

/**
 * The generator stub for a function whose inputs cannot be built (undefined when they can, when it
 * names a generator already, or when it takes no parameters): what the editor's "Add a benchmark
 * input generator" inserts. Runs nothing.
 */
export function generatorStubFor(parsers: ParserFactory, lang: ExecutionLanguage, source: string, name: string, file?: string): GeneratorStub | undefined {
  const fn = extractFunction(parsers, lang, source, name, [], file);
  if (fn.directive || fn.params.every((p) => p.optional)) return undefined;
  try {
    resolveInputs(fn, lang);
    return undefined;
  } catch (e) {
    if (e instanceof NoInputError) return e.stub;
    throw e;
  }
}
