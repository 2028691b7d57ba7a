// Extract a function from its module without running the module's script code.
//
// The harness never imports or executes the user's file as a whole: that would run every
// top-level statement (prints, network calls, `main()`), and for Python `__name__ != '__main__'`
// does not stop them. Instead, tree-sitter finds the function and, transitively, the top-level
// definitions it refers to: imports, function and class definitions, assignments (and `if`/`try`
// blocks that only define names). Everything else is blanked out with spaces, so line and column
// numbers in tracebacks stay those of the user's file. Imported modules do run their own import-
// time code, as they would in any program.

import { snapshot, type GrammarName, type Parser, type ParserFactory, type SyntaxNode } from '../parsing';
import { parseType, showType, typeFromName, TypeSyntaxError, type TypeSpec } from './typespec';
import { ExecutionError, type ExecLanguage, type InputDescription } from './types';

export interface ParamInfo {
  name: string;
  /** Annotation text, if any. */
  annotation?: string;
  type?: TypeSpec;
  source: 'annotation' | 'jsdoc' | 'name' | 'default';
  /** Has a default value: left out of the call (the default is used). */
  optional: boolean;
}

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
  /** JS: the function is a CommonJS export (`exports.NAME = function …`), not a declaration. */
  commonjs: boolean;
}

export function grammarFor(language: ExecLanguage, file?: string): GrammarName {
  if (language === 'python') return 'python';
  if (language === 'typescript') return file && /\.tsx$/i.test(file) ? 'tsx' : 'typescript';
  return file && /\.(jsx|tsx)$/i.test(file) ? 'tsx' : 'javascript';
}

interface TopLevel {
  node: SyntaxNode;
  binds: string[];
  /** Identifiers the statement refers to. */
  uses: Set<string>;
  /** Always kept (`from x import *`, `from __future__`). */
  always?: boolean;
}

const DIRECTIVE = /hotpath:\s*bench-input\s+([A-Za-z_$][\w$.]*)/;

function identifiers(node: SyntaxNode, into = new Set<string>()): Set<string> {
  for (const n of node.descendants()) {
    if (n.type === 'identifier' || n.type === 'type_identifier' || n.type === 'shorthand_property_identifier') into.add(n.text);
  }
  return into;
}

// ---------------------------------------------------------------- Python

function pyBinds(node: SyntaxNode): string[] {
  switch (node.type) {
    case 'import_statement':
      return node.childrenIn('name').map((n) => (n.type === 'aliased_import' ? n.child('alias')!.text : n.namedChildren[0]?.text ?? n.text));
    case 'import_from_statement':
      return node.childrenIn('name').map((n) => (n.type === 'aliased_import' ? n.child('alias')!.text : n.text.split('.').pop()!));
    case 'function_definition':
    case 'class_definition':
      return [node.child('name')!.text];
    case 'decorated_definition':
      return pyBinds(node.child('definition')!);
    case 'expression_statement': {
      const out: string[] = [];
      for (const a of node.namedChildren) {
        if (a.type !== 'assignment' && a.type !== 'augmented_assignment') continue;
        let left: SyntaxNode | null = a.child('left');
        // a = b = 1: the right side is another assignment
        for (let cur: SyntaxNode | null = a; cur && (cur.type === 'assignment' || cur.type === 'augmented_assignment'); cur = cur.child('right')) {
          left = cur.child('left');
          if (left) for (const id of left.descendants()) if (id.type === 'identifier' && id.parent?.type !== 'attribute' && id.parent?.type !== 'subscript') out.push(id.text);
        }
      }
      return out;
    }
    case 'if_statement':
    case 'try_statement':
    case 'with_statement': {
      if (node.type === 'if_statement' && /__name__/.test(node.child('condition')?.text ?? '')) return [];
      const out: string[] = [];
      for (const d of node.descendants()) {
        if (d === node) continue;
        if (['import_statement', 'import_from_statement', 'function_definition', 'class_definition', 'expression_statement'].includes(d.type)) {
          // only statements directly in this block structure, not inside nested functions
          if ([...d.ancestors()].some((a) => a !== node && (a.type === 'function_definition' || a.type === 'class_definition'))) continue;
          out.push(...pyBinds(d));
        }
      }
      return out;
    }
    default:
      return [];
  }
}

/** Identifiers used by a Python statement, minus a function's own parameters and locals. */
function pyUses(node: SyntaxNode): Set<string> {
  const def = node.type === 'decorated_definition' ? node.child('definition')! : node;
  if (def.type !== 'function_definition') return identifiers(node);
  const uses = new Set<string>();
  for (const d of node.childrenIn('decorator')) identifiers(d, uses);
  for (const d of node.children) if (d.type === 'decorator') identifiers(d, uses);
  const params = def.child('parameters');
  const locals = new Set<string>();
  if (params) {
    for (const p of params.namedChildren) {
      const name = p.type === 'identifier' ? p : p.child('name') ?? p.namedChildren.find((c) => c.type === 'identifier');
      if (name) locals.add(name.text);
      for (const f of ['type', 'value']) {
        const x = p.child(f);
        if (x) identifiers(x, uses);
      }
    }
  }
  const ret = def.child('return_type');
  if (ret) identifiers(ret, uses);
  const body = def.child('body');
  if (body) {
    const declaredGlobal = new Set<string>();
    for (const d of body.descendants()) if (d.type === 'global_statement' || d.type === 'nonlocal_statement') for (const id of d.namedChildren) declaredGlobal.add(id.text);
    for (const d of body.descendants()) {
      if (d.type === 'assignment' || d.type === 'augmented_assignment' || d.type === 'for_statement' || d.type === 'for_in_clause') {
        const left = d.child('left');
        if (left) for (const id of left.descendants()) if (id.type === 'identifier' && id.parent?.type !== 'attribute' && id.parent?.type !== 'subscript' && !declaredGlobal.has(id.text)) locals.add(id.text);
      }
    }
    identifiers(body, uses);
  }
  for (const l of locals) uses.delete(l);
  uses.add(def.child('name')!.text);
  return uses;
}

function pyParams(def: SyntaxNode, language: 'python'): ParamInfo[] {
  const out: ParamInfo[] = [];
  for (const p of def.child('parameters')?.namedChildren ?? []) {
    if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern' || p.type === 'keyword_separator' || p.type === 'positional_separator') continue;
    const name = p.type === 'identifier' ? p.text : (p.child('name') ?? p.namedChildren.find((c) => c.type === 'identifier'))?.text;
    if (!name) continue;
    const optional = p.type === 'default_parameter' || p.type === 'typed_default_parameter';
    const annotation = p.child('type')?.text;
    out.push({ name, annotation, optional, source: annotation ? 'annotation' : 'name' });
  }
  if (out[0] && (out[0].name === 'self' || out[0].name === 'cls')) out.shift();
  void language;
  return out;
}

// ---------------------------------------------------------------- ECMAScript

function esDeclaration(node: SyntaxNode): SyntaxNode {
  if (node.type === 'export_statement') return node.child('declaration') ?? node.child('value') ?? node;
  return node;
}

/** `exports.NAME = …` or `module.exports.NAME = …` (CommonJS): the name and the assigned value. */
function cjsExport(node: SyntaxNode): { name: string; value: SyntaxNode } | null {
  if (node.type !== 'expression_statement') return null;
  const a = node.namedChildren[0];
  if (a?.type !== 'assignment_expression') return null;
  const left = a.child('left');
  const value = a.child('right');
  if (left?.type !== 'member_expression' || !value) return null;
  const obj = left.child('object')?.text;
  const prop = left.child('property');
  if ((obj !== 'exports' && obj !== 'module.exports') || prop?.type !== 'property_identifier') return null;
  return { name: prop.text, value };
}

function esBinds(node: SyntaxNode): string[] {
  const cjs = cjsExport(node);
  if (cjs) return [cjs.name];
  const d = esDeclaration(node);
  switch (d.type) {
    case 'import_statement': {
      const out: string[] = [];
      for (const c of d.descendants()) {
        if (c.type === 'import_specifier') out.push((c.child('alias') ?? c.child('name'))!.text);
        else if (c.type === 'identifier' && (c.parent?.type === 'import_clause' || c.parent?.type === 'namespace_import')) out.push(c.text);
      }
      return out;
    }
    case 'function_declaration':
    case 'generator_function_declaration':
    case 'class_declaration':
    case 'abstract_class_declaration':
    case 'type_alias_declaration':
    case 'interface_declaration':
    case 'enum_declaration':
    case 'internal_module':
    case 'module':
    case 'function_expression':
    case 'class': {
      const name = d.child('name');
      return name ? [name.text] : [];
    }
    case 'lexical_declaration':
    case 'variable_declaration': {
      const out: string[] = [];
      for (const decl of d.namedChildren) {
        if (decl.type !== 'variable_declarator') continue;
        const name = decl.child('name')!;
        if (name.type === 'identifier') out.push(name.text);
        else for (const id of name.descendants()) if (id.type === 'identifier' || id.type === 'shorthand_property_identifier_pattern') out.push(id.text);
      }
      return out;
    }
    default:
      return [];
  }
}

function esFunctionNode(node: SyntaxNode, name: string): SyntaxNode | null {
  const cjs = cjsExport(node);
  if (cjs) return cjs.name === name && ['arrow_function', 'function_expression', 'function', 'generator_function'].includes(cjs.value.type) ? cjs.value : null;
  const d = esDeclaration(node);
  if ((d.type === 'function_declaration' || d.type === 'generator_function_declaration' || d.type === 'function_expression') && d.child('name')?.text === name) return d;
  if (d.type === 'lexical_declaration' || d.type === 'variable_declaration') {
    for (const decl of d.namedChildren) {
      if (decl.type === 'variable_declarator' && decl.child('name')?.text === name) {
        const v = decl.child('value');
        if (v && ['arrow_function', 'function_expression', 'function', 'generator_function'].includes(v.type)) return v;
      }
    }
  }
  return null;
}

function jsdocTypes(comment: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!comment) return out;
  const re = /@(?:param|arg|argument)\s+\{([^}]*(?:\{[^}]*\}[^}]*)*)\}\s+\[?([A-Za-z_$][\w$]*)/g;
  for (let m = re.exec(comment); m; m = re.exec(comment)) out.set(m[2], m[1]);
  return out;
}

function esParams(fn: SyntaxNode, jsdoc: Map<string, string>): ParamInfo[] {
  const out: ParamInfo[] = [];
  const params = fn.child('parameters') ?? fn.child('parameter');
  if (!params) return out;
  const list = params.type === 'identifier' ? [params] : params.namedChildren;
  for (const p of list) {
    if (p.type === 'comment') continue;
    let pattern = p;
    let optional = false;
    let annotation: string | undefined;
    if (p.type === 'required_parameter' || p.type === 'optional_parameter') {
      pattern = p.child('pattern')!;
      optional = p.type === 'optional_parameter' || !!p.child('value');
      const t = p.child('type');
      if (t) annotation = t.text.replace(/^:\s*/, '');
    } else if (p.type === 'assignment_pattern') {
      pattern = p.child('left')!;
      optional = true;
    }
    if (pattern.type === 'rest_pattern' || pattern.type === 'this') continue;
    const name = pattern.type === 'identifier' ? pattern.text : pattern.text;
    const doc = jsdoc.get(name);
    if (annotation) out.push({ name, annotation, optional, source: 'annotation' });
    else if (doc) out.push({ name, annotation: doc, optional: optional || /=\s*$/.test(doc), source: 'jsdoc' });
    else out.push({ name, optional, source: 'name' });
  }
  return out;
}

// ---------------------------------------------------------------- common

function topLevels(root: SyntaxNode, python: boolean): TopLevel[] {
  const out: TopLevel[] = [];
  for (const node of root.namedChildren) {
    if (node.type === 'comment') continue;
    if (python) {
      if (node.type === 'future_import_statement') {
        out.push({ node, binds: [], uses: new Set(), always: true });
        continue;
      }
      if (node.type === 'import_from_statement' && node.children.some((c) => c.type === 'wildcard_import')) {
        out.push({ node, binds: [], uses: new Set(), always: true });
        continue;
      }
      const binds = pyBinds(node);
      if (binds.length) out.push({ node, binds, uses: pyUses(node) });
    } else {
      const binds = esBinds(node);
      if (binds.length) out.push({ node, binds, uses: identifiers(node) });
    }
  }
  return out;
}

/** Comments directly above a top-level statement (no blank line in between). */
function leadingComments(root: SyntaxNode, node: SyntaxNode): string[] {
  const siblings = root.children;
  const i = siblings.indexOf(node);
  const out: string[] = [];
  let row = node.startPosition.row;
  for (let j = i - 1; j >= 0 && siblings[j].type === 'comment' && siblings[j].endPosition.row >= row - 1; j--) {
    out.unshift(siblings[j].text);
    row = siblings[j].startPosition.row;
  }
  return out;
}

const parserCache = new WeakMap<ParserFactory, Map<GrammarName, Parser>>();
function parserFor(parsers: ParserFactory, grammar: GrammarName): Parser {
  let m = parserCache.get(parsers);
  if (!m) parserCache.set(parsers, (m = new Map()));
  let p = m.get(grammar);
  if (!p) m.set(grammar, (p = parsers.create(grammar)));
  return p;
}

/** Find the function and reduce the module to it plus what it needs (and extra roots, e.g. a generator). */
export function extractFunction(parsers: ParserFactory, language: ExecLanguage, source: string, name: string, extraRoots: string[] = [], file?: string): ExtractedFunction {
  const python = language === 'python';
  const tree = parserFor(parsers, grammarFor(language, file)).parse(source);
  let root: SyntaxNode;
  try {
    root = snapshot(tree.rootNode.walk(), source);
  } finally {
    tree.dispose();
  }
  const tops = topLevels(root, python);
  let fnNode: SyntaxNode | null = null;
  let fnTop: SyntaxNode | null = null;
  for (const t of tops) {
    if (python) {
      const def = t.node.type === 'decorated_definition' ? t.node.child('definition') : t.node;
      if (def?.type === 'function_definition' && def.child('name')?.text === name) {
        fnNode = def;
        fnTop = t.node;
      }
    } else {
      const f = esFunctionNode(t.node, name);
      if (f) {
        fnNode = f;
        fnTop = t.node;
      }
    }
  }
  if (!fnNode || !fnTop) {
    const methods = [...root.descendants()].filter((n) => (n.type === 'function_definition' || n.type === 'method_definition') && n.child('name')?.text === name);
    if (methods.length) throw new ExecutionError(`'${name}' is a method or a nested function: only top-level functions can be benchmarked (wrap it in a top-level function)`, 'input');
    const available = tops.flatMap((t) => t.binds).filter((b) => b !== name);
    throw new ExecutionError(`no top-level function '${name}' in ${file ?? 'the source'}${available.length ? ` (top-level names: ${available.slice(0, 12).join(', ')})` : ''}`, 'input');
  }
  const comments = leadingComments(root, fnTop);
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
  const code = chars.join('');

  const isAsync = fnNode.children.some((c) => c.type === 'async');
  const body = fnNode.child('body');
  const isGenerator = python
    ? !!body && [...body.descendants()].some((d) => (d.type === 'yield' || d.type === 'yield_statement') && ![...d.ancestors()].some((a) => a !== fnNode && (a.type === 'function_definition' || a.type === 'lambda')))
    : fnNode.type === 'generator_function_declaration' || fnNode.type === 'generator_function' || fnNode.children.some((c) => c.type === '*');
  const jsdoc = python ? new Map<string, string>() : jsdocTypes(comments.filter((c) => c.startsWith('/**')).pop());
  const params = python ? pyParams(fnNode, 'python') : esParams(fnNode, jsdoc);
  return {
    name,
    code,
    params,
    directive,
    isAsync,
    isGenerator,
    line: fnNode.startPosition.row + 1,
    kept: [...keep].flatMap((t) => t.binds),
    commonjs: !python && cjsExport(fnTop) !== null,
  };
}

/** Resolve each required parameter's input type (annotation, JSDoc, then the name heuristics). */
export function resolveInputs(fn: ExtractedFunction, language: ExecLanguage): { types: TypeSpec[]; description: InputDescription } {
  const flavour = language === 'python' ? 'python' : 'ecmascript';
  const types: TypeSpec[] = [];
  const params: InputDescription['params'] = [];
  for (const p of fn.params) {
    if (p.optional) continue;
    let t: TypeSpec | undefined;
    let source: ParamInfo['source'] = p.source;
    if (p.annotation) {
      try {
        t = parseType(p.annotation, flavour);
      } catch (e) {
        if (e instanceof TypeSyntaxError) throw new ExecutionError(`parameter '${p.name}' of ${fn.name}: ${e.message}`, 'input');
        throw e;
      }
    } else {
      t = typeFromName(p.name);
      source = 'name';
      if (!t) {
        throw new ExecutionError(
          `cannot infer an input for parameter '${p.name}' of ${fn.name}: add a type hint${language === 'python' ? '' : ' (TypeScript type or JSDoc @param {type})'} or a generator ` +
            `(a '${language === 'python' ? '#' : '//'} hotpath: bench-input NAME' comment above the function; see docs/execution.md)`,
          'input',
        );
      }
    }
    types.push(t);
    params.push({ name: p.name, type: showType(t, flavour), source });
  }
  return { types, description: { kind: 'inferred', params } };
}

export interface FunctionInfo {
  name: string;
  /** 0-based line of the definition (after decorators). */
  line: number;
  startIndex: number;
  endIndex: number;
}

/** Top-level functions of a module (what can be benchmarked), in order. */
export function topLevelFunctions(parsers: ParserFactory, language: ExecLanguage, source: string, file?: string): FunctionInfo[] {
  const tree = parserFor(parsers, grammarFor(language, file)).parse(source);
  let root: SyntaxNode;
  try {
    root = snapshot(tree.rootNode.walk(), source);
  } finally {
    tree.dispose();
  }
  const out: FunctionInfo[] = [];
  for (const node of root.namedChildren) {
    if (language === 'python') {
      const def = node.type === 'decorated_definition' ? node.child('definition') : node;
      if (def?.type === 'function_definition') out.push({ name: def.child('name')!.text, line: def.startPosition.row, startIndex: node.startIndex, endIndex: node.endIndex });
    } else {
      for (const name of esBinds(node)) {
        const f = esFunctionNode(node, name);
        if (f) out.push({ name, line: node.startPosition.row, startIndex: node.startIndex, endIndex: node.endIndex });
      }
    }
  }
  return out;
}

/** The top-level function whose text contains the offset, if any. */
export function functionAt(parsers: ParserFactory, language: ExecLanguage, source: string, offset: number, file?: string): FunctionInfo | undefined {
  return topLevelFunctions(parsers, language, source, file).find((f) => f.startIndex <= offset && offset <= f.endIndex);
}

/** Execution language of an LSP language id or a file name. */
export function execLanguage(idOrPath: string): ExecLanguage | undefined {
  const s = idOrPath.toLowerCase();
  if (s === 'python' || /\.pyi?$/.test(s)) return 'python';
  if (s === 'typescript' || s === 'typescriptreact' || s === 'tsx' || /\.(ts|mts|cts|tsx)$/.test(s)) return 'typescript';
  if (s === 'javascript' || s === 'javascriptreact' || /\.(js|mjs|cjs|jsx)$/.test(s)) return 'javascript';
  return undefined;
}
