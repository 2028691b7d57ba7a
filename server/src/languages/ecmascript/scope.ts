// What a name holds, and whether it changes inside a loop, as far as one unit's syntax tells.
// Everything here errs on the side of "unknown": the rules report only what is known.

import type { ValueKind } from '../../analysis/module';
import type { UnitContext } from '../../analysis/rule';
import type { SyntaxNode } from '../../parsing';
import { kindOfExpression, kindOfType } from './kinds';

export const FUNCTION_TYPES = new Set([
  'function_declaration',
  'generator_function_declaration',
  'function_expression',
  'function',
  'generator_function',
  'arrow_function',
  'method_definition',
]);

const SCOPE_TYPES = new Set([...FUNCTION_TYPES, 'statement_block', 'for_statement', 'for_in_statement', 'program', 'class_body', 'catch_clause', 'switch_body']);

export function isFunction(node: SyntaxNode): boolean {
  return FUNCTION_TYPES.has(node.type);
}

/** Strip parentheses and TypeScript-only wrappers (`x as T`, `x!`, `<T>x`). */
export function unwrap(node: SyntaxNode | null): SyntaxNode | null {
  while (node && ['parenthesized_expression', 'as_expression', 'satisfies_expression', 'non_null_expression', 'type_assertion'].includes(node.type)) {
    node = node.namedChildren.find((c) => c.type !== 'type_arguments') ?? null;
  }
  return node;
}

/** The identifier at the root of `a`, `a.b.c`, `a[i].b`, or null (`this.a`, `f().a`). */
export function rootName(node: SyntaxNode | null): string | null {
  node = unwrap(node);
  while (node && (node.type === 'member_expression' || node.type === 'subscript_expression')) node = unwrap(node.child('object'));
  return node?.type === 'identifier' ? node.text : null;
}

/** Every identifier in a subtree that is a reference (not a property name or a declaration key). */
export function referencedNames(node: SyntaxNode): Set<string> {
  const out = new Set<string>();
  for (const n of node.descendants()) {
    if (n.type === 'identifier' || n.type === 'shorthand_property_identifier') out.add(n.text);
  }
  return out;
}

/** Names declared by a binding pattern (identifier, destructuring, defaults, rest). */
export function patternNames(node: SyntaxNode | null): string[] {
  if (!node) return [];
  if (node.type === 'identifier') return [node.text];
  const out: string[] = [];
  for (const n of node.descendants()) {
    if (n.type === 'shorthand_property_identifier_pattern') out.push(n.text);
    else if (n.type === 'identifier') {
      // `{ a: b }`: b is bound, a is a key (property_identifier); `x = default`: only the left.
      const p = n.parent;
      if (p?.type === 'assignment_pattern' && n.field === 'right') continue;
      if (p?.type === 'object_assignment_pattern' && n.field === 'right') continue;
      if (p && ['subscript_expression', 'member_expression', 'call_expression', 'arguments'].includes(p.type)) continue;
      out.push(n.text);
    }
  }
  return out;
}

/** The name declared by a parameter node (identifier or required/optional_parameter), if simple. */
function parameterIdentifier(p: SyntaxNode): SyntaxNode | null {
  if (p.type === 'identifier') return p;
  if (p.type === 'required_parameter' || p.type === 'optional_parameter') {
    const pat = p.child('pattern');
    return pat?.type === 'identifier' ? pat : null;
  }
  if (p.type === 'assignment_pattern') {
    const left = p.child('left');
    return left?.type === 'identifier' ? left : null;
  }
  return null;
}

/** The parameters of a function as nodes (arrow functions with one bare parameter included). */
export function parameters(fn: SyntaxNode): SyntaxNode[] {
  const single = fn.child('parameter');
  if (single) return [single];
  return fn.child('parameters')?.namedChildren ?? [];
}

/** Names of a function's simple parameters, in order (null for a destructured one). */
export function parameterNames(fn: SyntaxNode): (string | null)[] {
  return parameters(fn).map((p) => parameterIdentifier(p)?.text ?? null);
}

/** A declaration of a name: where it is, what scope it belongs to, and the kind it starts with. */
export interface Declaration {
  name: string;
  node: SyntaxNode;
  /** The node whose extent is the declaration's scope. */
  scope: SyntaxNode;
  kind: ValueKind;
  /** A parameter of a function (its value belongs to the caller). */
  isParameter: boolean;
  /** `const`, `let`, `var`, or '' for parameters and others. */
  declarationKind: string;
  /** The initial value of a variable declarator. */
  value: SyntaxNode | null;
  /** The array parameter of an iteration callback (`a` in `xs.filter((x, i, a) => …)`): the iterated array itself. */
  iteratedArray?: boolean;
}

/** Position of the array parameter in the callbacks of the iteration methods. */
const ARRAY_PARAMETER: Record<string, number> = {
  forEach: 2,
  map: 2,
  filter: 2,
  some: 2,
  every: 2,
  find: 2,
  findIndex: 2,
  findLast: 2,
  findLastIndex: 2,
  flatMap: 2,
  reduce: 3,
  reduceRight: 3,
};

function enclosingScope(node: SyntaxNode, functionScope: boolean): SyntaxNode {
  for (const a of node.ancestors()) {
    if (functionScope ? FUNCTION_TYPES.has(a.type) || a.type === 'program' : SCOPE_TYPES.has(a.type)) return a;
  }
  let top = node;
  while (top.parent) top = top.parent;
  return top;
}

/** Every declaration in the unit, by name. */
export function declarations(unit: SyntaxNode): Map<string, Declaration[]> {
  const out = new Map<string, Declaration[]>();
  const add = (d: Declaration) => {
    const list = out.get(d.name);
    if (list) list.push(d);
    else out.set(d.name, [d]);
  };
  for (const n of unit.descendants()) {
    if (n.type === 'variable_declarator') {
      const name = n.child('name');
      const decl = n.parent;
      const kw = decl?.children.find((c) => c.field === 'kind' || c.type === 'var' || c.type === 'let' || c.type === 'const')?.type ?? (decl?.type === 'variable_declaration' ? 'var' : '');
      const value = n.child('value');
      if (name?.type === 'identifier') {
        const typed = n.child('type');
        const kind = typed ? kindOfType(typed) : kindOfExpression(value);
        add({ name: name.text, node: name, scope: enclosingScope(n, kw === 'var'), kind, isParameter: false, declarationKind: kw, value });
      } else if (name) {
        for (const nm of patternNames(name)) add({ name: nm, node: name, scope: enclosingScope(n, kw === 'var'), kind: 'unknown', isParameter: false, declarationKind: kw, value: null });
      }
    } else if (FUNCTION_TYPES.has(n.type)) {
      const it = iterationCallOf(n);
      const arrayIndex = it ? ARRAY_PARAMETER[it.method] : undefined;
      parameters(n).forEach((p, index) => {
        const id = parameterIdentifier(p);
        if (id && index === arrayIndex) {
          // Only arrays (and typed arrays) have both these methods and the searches: it is the array.
          add({ name: id.text, node: id, scope: n, kind: 'list', isParameter: true, declarationKind: '', value: null, iteratedArray: true });
        } else if (id) {
          const typed = p.child('type');
          add({ name: id.text, node: id, scope: n, kind: typed ? kindOfType(typed) : 'unknown', isParameter: true, declarationKind: '', value: null });
        } else {
          for (const nm of patternNames(p.child('pattern') ?? p)) add({ name: nm, node: p, scope: n, kind: 'unknown', isParameter: true, declarationKind: '', value: null });
        }
      });
      const name = n.child('name');
      if (name && (n.type === 'function_declaration' || n.type === 'generator_function_declaration')) {
        add({ name: name.text, node: name, scope: enclosingScope(n, true), kind: 'function', isParameter: false, declarationKind: 'function', value: null });
      }
    } else if (n.type === 'for_in_statement') {
      for (const nm of patternNames(n.child('left'))) add({ name: nm, node: n.child('left')!, scope: n, kind: 'unknown', isParameter: false, declarationKind: 'loop', value: null });
    } else if (n.type === 'catch_clause') {
      for (const nm of patternNames(n.child('parameter'))) add({ name: nm, node: n, scope: n, kind: 'unknown', isParameter: false, declarationKind: 'catch', value: null });
    } else if (n.type === 'class_declaration') {
      const name = n.child('name');
      if (name) add({ name: name.text, node: name, scope: enclosingScope(n, false), kind: 'class', isParameter: false, declarationKind: 'class', value: null });
    } else if (n.type === 'import_specifier' || n.type === 'namespace_import' || n.type === 'import_clause') {
      for (const c of n.namedChildren) if (c.type === 'identifier') add({ name: c.text, node: c, scope: unit, kind: 'unknown', isParameter: false, declarationKind: 'import', value: null });
    }
  }
  return out;
}

/** The declaration of `name` visible at `at`: the innermost one whose scope contains it. */
export function declarationAt(decls: Map<string, Declaration[]>, name: string, at: SyntaxNode): Declaration | null {
  let best: Declaration | null = null;
  for (const d of decls.get(name) ?? []) {
    if (!d.scope.contains(at)) continue;
    if (!best || best.scope.contains(d.scope)) best = d;
  }
  return best;
}

/** The assignments `name = value` (and compound ones) inside `region`. */
export function assignmentsTo(name: string, region: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const n of region.descendants()) {
    if (n.type === 'assignment_expression' || n.type === 'augmented_assignment_expression') {
      const left = unwrap(n.child('left'));
      if (left?.type === 'identifier' && left.text === name) out.push(n);
      else if (left && (left.type === 'array_pattern' || left.type === 'object_pattern') && patternNames(left).includes(name)) out.push(n);
    } else if (n.type === 'update_expression') {
      const arg = unwrap(n.child('argument'));
      if (arg?.type === 'identifier' && arg.text === name) out.push(n);
    }
  }
  return out;
}

const FACTS = new WeakMap<SyntaxNode, UnitFacts>();

/** Analysis facts of one unit: declarations, and the kinds of names (memoised). */
export class UnitFacts {
  readonly decls: Map<string, Declaration[]>;
  private readonly kinds = new Map<Declaration | string, ValueKind>();
  constructor(readonly ctx: UnitContext) {
    this.decls = declarations(ctx.unit);
  }

  /** The facts of a unit, shared by every rule that runs on it (the snapshot and module are the cache key). */
  static of(ctx: UnitContext): UnitFacts {
    const cached = FACTS.get(ctx.unit);
    if (cached && cached.ctx.module === ctx.module && cached.ctx.source === ctx.source) return cached;
    const facts = new UnitFacts(ctx);
    FACTS.set(ctx.unit, facts);
    return facts;
  }

  declarationOf(name: string, at: SyntaxNode): Declaration | null {
    return declarationAt(this.decls, name, at);
  }

  /**
   * The kind of value `name` holds at `at`: from its declaration (type annotation or initial
   * value) and every assignment to it in its scope, which must agree; or from the module's
   * top-level bindings when the unit does not declare it. A non-empty array literal that is never
   * grown is a constant-size 'tuple'.
   */
  kindOf(name: string, at: SyntaxNode): ValueKind {
    const d = this.declarationOf(name, at);
    const key = d ?? name;
    let kind = this.kinds.get(key);
    if (kind === undefined) {
      kind = this.computeKind(name, d);
      this.kinds.set(key, kind);
    }
    return kind;
  }

  private computeKind(name: string, d: Declaration | null): ValueKind {
    if (!d) {
      const kind = this.ctx.module.bindings.get(name) ?? 'unknown';
      // A top-level name reassigned in this unit to something else is unknown.
      for (const a of assignmentsTo(name, this.ctx.unit)) {
        if (a.type !== 'assignment_expression' || kindOfAssigned(a.child('right'), name, kind) !== kind) return 'unknown';
      }
      return kind;
    }
    let kind = d.kind;
    if (kind === 'unknown' && d.isParameter && isFunction(d.scope)) kind = jsdocParamKind(d.scope, name);
    if (d.declarationKind === 'const' || d.isParameter || d.declarationKind === 'function' || d.declarationKind === 'class') {
      if (d.isParameter && assignmentsTo(name, d.scope).length > 0 && !typedDeclaration(d)) return 'unknown';
    } else {
      for (const a of assignmentsTo(name, d.scope)) {
        if (a.type !== 'assignment_expression') return 'unknown';
        const k = kindOfAssigned(a.child('right'), name, kind);
        if (kind === 'unknown' && d.value === null && !typedDeclaration(d)) kind = k;
        else if (k !== kind && !(typedDeclaration(d) && k === 'unknown')) return 'unknown';
      }
    }
    if (kind === 'list' && d.value && isConstantArrayLiteral(d.value) && !isGrown(name, d.scope)) return 'tuple';
    return kind;
  }
}

const SAME_KIND_METHODS = new Set(['concat', 'slice', 'filter', 'map', 'flat', 'flatMap', 'toSorted', 'toReversed', 'toSpliced', 'with']);

/** The kind of a value assigned to `name`: `name.concat(x)` and `[...name, x]` keep an array an array. */
function kindOfAssigned(expr: SyntaxNode | null, name: string, current: ValueKind): ValueKind {
  const k = kindOfExpression(expr);
  if (k !== 'unknown' || current !== 'list') return k;
  const e = unwrap(expr);
  if (e?.type === 'call_expression') {
    const fn = unwrap(e.child('function'));
    if (fn?.type === 'member_expression' && unwrap(fn.child('object'))?.text === name && SAME_KIND_METHODS.has(fn.child('property')?.text ?? '')) return 'list';
  }
  return k;
}

/** The JSDoc block (`/** … *\/`) right before a function, or before the statement that declares it. */
export function jsdocBefore(fn: SyntaxNode): string | null {
  let anchor = fn;
  for (const a of fn.ancestors()) {
    if (['variable_declarator', 'lexical_declaration', 'variable_declaration', 'export_statement', 'pair', 'assignment_expression', 'expression_statement', 'public_field_definition'].includes(a.type)) anchor = a;
    else break;
  }
  const src = fn.source;
  let i = anchor.startIndex;
  while (i > 0 && /\s/.test(src[i - 1])) i--;
  if (src.slice(i - 2, i) !== '*/') return null;
  const start = src.lastIndexOf('/**', i - 2);
  if (start === -1) return null;
  const block = src.slice(start, i);
  return block.indexOf('*/') === block.length - 2 ? block : null;
}

/** The kind of a JSDoc type: `string[]`, `Array<T>`, `Array.<T>`, `Set<T>`, `Map<K, V>`, `string`. */
export function kindOfJsdocType(type: string): ValueKind {
  const t = type.replace(/\s+/g, '').replace(/^\(|\)$/g, '');
  const parts = t.split('|').filter((p) => p !== 'undefined' && p !== 'null');
  if (parts.length !== 1) return 'unknown';
  const p = parts[0];
  if (/\[\]$/.test(p) || /^(Readonly)?Array(\.?<.*>)?$/.test(p)) return 'list';
  if (/^(Readonly|Weak)?Set(\.?<.*>)?$/.test(p)) return 'set';
  if (/^(Readonly|Weak)?Map(\.?<.*>)?$/.test(p)) return 'map';
  if (p === 'string' || p === 'String') return 'str';
  return 'unknown';
}

function jsdocParamKind(fn: SyntaxNode, name: string): ValueKind {
  const doc = jsdocBefore(fn);
  if (!doc) return 'unknown';
  const re = /@(?:param|arg|argument)\s*\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}\s*\[?([A-Za-z_$][\w$]*)/g;
  for (let m = re.exec(doc); m; m = re.exec(doc)) if (m[2] === name) return kindOfJsdocType(m[1]);
  return 'unknown';
}

function typedDeclaration(d: Declaration): boolean {
  const p = d.node.parent;
  return !!p && !!p.child('type');
}

/** `['a', 'b']`: a non-empty array literal without spread elements (its size is fixed in the code). */
export function isConstantArrayLiteral(node: SyntaxNode | null): boolean {
  node = unwrap(node);
  return node?.type === 'array' && node.namedChildren.length > 0 && node.namedChildren.every((c) => c.type !== 'spread_element' && c.type !== 'comment');
}

const GROWING = new Set(['push', 'unshift', 'splice', 'concat', 'fill', 'length']);

/** Whether an array named `name` may grow inside `scope` (push, splice, index or length assignment, reassignment, escape). */
function isGrown(name: string, scope: SyntaxNode): boolean {
  for (const n of scope.descendants()) {
    if (n.type !== 'identifier' || n.text !== name) continue;
    const p = n.parent;
    if (!p) continue;
    if (p.type === 'member_expression' && n.field === 'object') {
      const prop = p.child('property')?.text ?? '';
      if (GROWING.has(prop)) return true;
      const gp = p.parent;
      if (gp?.type === 'assignment_expression' && p.field === 'left') return true;
      continue;
    }
    if (p.type === 'subscript_expression' && n.field === 'object') {
      if ((p.parent?.type === 'assignment_expression' || p.parent?.type === 'augmented_assignment_expression') && p.field === 'left') return true;
      continue;
    }
    if (p.type === 'variable_declarator' && n.field === 'name') continue;
    if ((p.type === 'assignment_expression' || p.type === 'augmented_assignment_expression') && n.field === 'left') return true;
    // Passed to a call, stored elsewhere or returned: someone else may grow it.
    if (p.type === 'arguments' || p.type === 'assignment_expression' || p.type === 'variable_declarator' || p.type === 'return_statement' || p.type === 'array' || p.type === 'pair') return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Loops

export type LoopKind = 'statement' | 'callback';

export interface Loop {
  /** The loop statement, or the callback function. */
  node: SyntaxNode;
  kind: LoopKind;
  /** The region executed once per iteration (statement: body, condition, update; callback: the function). */
  perIteration: SyntaxNode[];
  /** The span to point at (the loop header, or `xs.map`). */
  header: { startIndex: number; endIndex: number };
  /** Names declared per iteration (loop variables, callback parameters). */
  iterationNames: string[];
  /** The iterated collection expression, when there is one (`for…of` right side, callback receiver). */
  iterable: SyntaxNode | null;
  /** The method of a callback loop (`map`, `forEach`, …). */
  method?: string;
}

const LOOP_STATEMENTS = new Set(['for_statement', 'for_in_statement', 'while_statement', 'do_statement']);

/** Array methods whose function argument is called once per element (or per comparison). */
export const ITERATION_METHODS = new Set([
  'forEach',
  'map',
  'filter',
  'reduce',
  'reduceRight',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'flatMap',
  'sort',
  'toSorted',
]);

export function isLoopStatement(node: SyntaxNode): boolean {
  return LOOP_STATEMENTS.has(node.type);
}

/** The parts of a method call `recv.method(args…)`; null for any other node. */
export function methodCallParts(call: SyntaxNode): { member: SyntaxNode; method: string; args: SyntaxNode[] } | null {
  if (call.type !== 'call_expression') return null;
  const member = unwrap(call.child('function'));
  if (member?.type !== 'member_expression') return null;
  return { member, method: member.child('property')?.text ?? '', args: call.child('arguments')?.namedChildren ?? [] };
}

/** The call `recv.method(fn, …)` that `fn` is the callback of, for iteration methods. */
export function iterationCallOf(fn: SyntaxNode): { call: SyntaxNode; member: SyntaxNode; method: string } | null {
  if (!(fn.type === 'arrow_function' || fn.type === 'function_expression' || fn.type === 'function')) return null;
  const args = fn.parent;
  if (args?.type !== 'arguments' || args.namedChildren[0] !== fn) return null;
  const call = args.parent;
  if (call?.type !== 'call_expression') return null;
  const member = unwrap(call.child('function'));
  if (member?.type !== 'member_expression') return null;
  const method = member.child('property')?.text ?? '';
  return ITERATION_METHODS.has(method) ? { call, member, method } : null;
}

function loopOfStatement(node: SyntaxNode): Loop {
  const body = node.child('body');
  const per: SyntaxNode[] = [];
  if (body) per.push(body);
  if (node.type === 'for_statement') {
    for (const f of ['condition', 'increment']) {
      const c = node.child(f);
      if (c) per.push(c);
    }
  } else if (node.type === 'while_statement' || node.type === 'do_statement') {
    const c = node.child('condition');
    if (c) per.push(c);
  }
  const headerEnd = node.type === 'do_statement' ? node.startIndex + 2 : body ? body.startIndex : node.endIndex;
  let names: string[] = [];
  if (node.type === 'for_in_statement') names = patternNames(node.child('left'));
  else if (node.type === 'for_statement') {
    const init = node.child('initializer');
    if (init) for (const d of init.namedChildren) if (d.type === 'variable_declarator') names.push(...patternNames(d.child('name')));
  }
  return {
    node,
    kind: 'statement',
    perIteration: per,
    header: { startIndex: node.startIndex, endIndex: Math.max(node.startIndex, trimEnd(node.source, headerEnd)) },
    iterationNames: names,
    iterable: node.type === 'for_in_statement' ? node.child('right') : null,
  };
}

function trimEnd(source: string, end: number): number {
  while (end > 0 && /\s/.test(source[end - 1])) end--;
  return end;
}

function loopOfCallback(fn: SyntaxNode, member: SyntaxNode, method: string): Loop {
  return {
    node: fn,
    kind: 'callback',
    perIteration: [fn],
    header: { startIndex: member.startIndex, endIndex: member.endIndex },
    iterationNames: parameters(fn).flatMap((p) => patternNames(p.child('pattern') ?? p)),
    iterable: member.child('object'),
    method,
  };
}

/**
 * The loops that run `node` once per iteration, innermost first, up to the first function that is
 * not an iteration callback (a nested function's body does not run per iteration of outer loops).
 */
export function enclosingLoops(node: SyntaxNode, stopAt?: SyntaxNode): Loop[] {
  const out: Loop[] = [];
  let child = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if (LOOP_STATEMENTS.has(p.type)) {
      const loop = loopOfStatement(p);
      if (loop.perIteration.some((r) => r === child)) out.push(loop);
    } else if (FUNCTION_TYPES.has(p.type)) {
      const it = iterationCallOf(p);
      if (!it || child.field !== 'body') break;
      out.push(loopOfCallback(p, it.member, it.method));
    }
    if (p === stopAt) break;
  }
  return out;
}

/** The nearest function containing `node` (or the top of the snapshot). */
export function enclosingFunction(node: SyntaxNode): SyntaxNode {
  for (const a of node.ancestors()) if (FUNCTION_TYPES.has(a.type)) return a;
  let top = node;
  while (top.parent) top = top.parent;
  return top;
}

/** Descendants of `region` that are not inside a nested function. */
export function* ownDescendants(region: SyntaxNode): IterableIterator<SyntaxNode> {
  const stack: SyntaxNode[] = [region];
  while (stack.length > 0) {
    const n = stack.pop()!;
    yield n;
    if (n !== region && FUNCTION_TYPES.has(n.type)) continue;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
}

// ---------------------------------------------------------------------------------------------
// Invariance

/** Methods that change their receiver (arrays, Sets, Maps, Dates). */
export const MUTATING_METHODS = new Set([
  'push',
  'pop',
  'shift',
  'unshift',
  'splice',
  'sort',
  'reverse',
  'fill',
  'copyWithin',
  'set',
  'add',
  'delete',
  'clear',
]);

/**
 * Whether any of `names` may change while `loop` runs: declared in it, assigned, updated,
 * mutated through a method or a property assignment, or passed to a call (which might mutate it).
 * `ignore` is a node whose own use does not count (the expression being judged).
 */
export function changesIn(names: Iterable<string>, loop: Loop, ignore?: SyntaxNode): boolean {
  const wanted = new Set(names);
  for (const n of loop.iterationNames) if (wanted.has(n)) return true;
  const regions = loop.kind === 'callback' ? [loop.node] : [loop.node];
  for (const region of regions) {
    for (const n of region.descendants()) {
      if (ignore && ignore.contains(n) && n !== ignore) continue;
      if (n.type === 'variable_declarator') {
        for (const nm of patternNames(n.child('name'))) if (wanted.has(nm)) return true;
        continue;
      }
      if (FUNCTION_TYPES.has(n.type) && n !== loop.node) {
        for (const p of parameters(n)) for (const nm of patternNames(p.child('pattern') ?? p)) if (wanted.has(nm)) return true;
      }
      if (n.type !== 'identifier' || !wanted.has(n.text)) continue;
      if (isWrittenOrEscaping(n)) return true;
    }
  }
  return false;
}

/** Whether this reference (an identifier) writes its variable or its object, or hands it to a call. */
export function isWrittenOrEscaping(id: SyntaxNode): boolean {
  // Walk up the member chain: `a.b.c.push(x)` mutates a.
  let node = id;
  let parent = node.parent;
  while (parent && (parent.type === 'member_expression' || parent.type === 'subscript_expression') && node.field === 'object') {
    const gp = parent.parent;
    if (parent.type === 'member_expression' && gp?.type === 'call_expression' && parent.field === 'function') {
      const method = parent.child('property')?.text ?? '';
      if (MUTATING_METHODS.has(method)) return true;
    }
    node = parent;
    parent = gp ?? null;
  }
  // Parentheses and TS wrappers.
  while (parent && ['parenthesized_expression', 'as_expression', 'non_null_expression', 'satisfies_expression'].includes(parent.type)) {
    node = parent;
    parent = parent.parent;
  }
  if (!parent) return false;
  if ((parent.type === 'assignment_expression' || parent.type === 'augmented_assignment_expression') && node.field === 'left') return true;
  if (parent.type === 'update_expression') return true;
  if (parent.type === 'unary_expression' && parent.children[0]?.type === 'delete') return true;
  if (parent.type === 'arguments') return !isPureCall(parent.parent);
  if (parent.type === 'for_in_statement' && node.field === 'left') return true;
  if (parent.type === 'array_pattern' || parent.type === 'object_pattern' || parent.type === 'pair_pattern') return true;
  return false;
}

/** Built-ins that read their arguments without changing them. */
const PURE_CALLEES = new Set([
  'Set',
  'Map',
  'WeakSet',
  'WeakMap',
  'Array.from',
  'Array.isArray',
  'Object.keys',
  'Object.values',
  'Object.entries',
  'JSON.stringify',
  'String',
  'Number',
  'Boolean',
  'console.log',
  'console.error',
  'console.warn',
  'console.info',
  'console.debug',
]);

function isPureCall(call: SyntaxNode | null): boolean {
  if (!call) return false;
  const callee = unwrap(call.type === 'new_expression' ? call.child('constructor') : call.child('function'));
  return !!callee && (PURE_CALLEES.has(callee.text) || callee.text.startsWith('Math.'));
}

/**
 * An expression is simple when evaluating it twice gives the same value unless the names it reads
 * change: identifiers, literals, member reads (no calls, no `new`, no assignments, no `await`).
 */
export function isSimpleExpression(node: SyntaxNode | null): boolean {
  node = unwrap(node);
  if (!node) return false;
  switch (node.type) {
    case 'identifier':
    case 'string':
    case 'number':
    case 'true':
    case 'false':
    case 'null':
    case 'undefined':
    case 'regex':
      return true;
    case 'template_string':
      return node.namedChildren.every((c) => c.type !== 'template_substitution' || isSimpleExpression(c.namedChildren[0] ?? null));
    case 'member_expression':
      return isSimpleExpression(node.child('object'));
    case 'subscript_expression':
      return isSimpleExpression(node.child('object')) && isSimpleExpression(node.child('index'));
    default:
      return false;
  }
}

/**
 * Whether `expr` evaluates to the same value on every iteration of `loop`: a simple expression
 * whose names are declared outside the loop in this unit (parameters or locals; not globals that a
 * call could change) and never changed inside it.
 */
export function isInvariantIn(expr: SyntaxNode, loop: Loop, facts: UnitFacts, ignore?: SyntaxNode): boolean {
  if (!isSimpleExpression(expr)) return false;
  const names = referencedNames(expr);
  if (names.size === 0) return false;
  for (const name of names) {
    const d = facts.declarationOf(name, expr);
    if (!d || loop.node.contains(d.node)) return false;
    if (d.declarationKind === 'import' || d.declarationKind === 'function' || d.declarationKind === 'class') return false;
  }
  return !changesIn(names, loop, ignore);
}

/**
 * Whether `node` reads only values that stay the same across the iterations of `loop`: every name
 * it reads (other than names it declares itself, like a comparator's parameters) is declared
 * outside the loop and not changed in it.
 */
export function readsOnlyInvariant(node: SyntaxNode, loop: Loop, facts: UnitFacts, ignore?: SyntaxNode): boolean {
  const own = new Set<string>();
  for (const n of node.descendants()) {
    if (FUNCTION_TYPES.has(n.type)) for (const p of parameters(n)) for (const nm of patternNames(p.child('pattern') ?? p)) own.add(nm);
    if (n.type === 'variable_declarator') for (const nm of patternNames(n.child('name'))) own.add(nm);
  }
  const names = [...referencedNames(node)].filter((n) => !own.has(n));
  for (const name of names) {
    const d = facts.declarationOf(name, node);
    if (d && loop.node.contains(d.node)) return false;
  }
  return !changesIn(names, loop, ignore);
}

/**
 * Whether the value of `node` is only read where it is used: member reads, comparisons, conditions,
 * non-mutating method calls; not stored, returned, passed on, assigned to or mutated.
 */
export function isReadOnlyUse(node: SyntaxNode): boolean {
  let cur = node;
  for (;;) {
    const p = cur.parent;
    if (!p) return false;
    if ((p.type === 'member_expression' || p.type === 'subscript_expression') && cur.field === 'object') {
      cur = p;
      continue;
    }
    if (p.type === 'parenthesized_expression' || p.type === 'non_null_expression') {
      cur = p;
      continue;
    }
    if (p.type === 'call_expression' && cur.field === 'function') {
      if (cur.type !== 'member_expression') return false;
      return !MUTATING_METHODS.has(cur.child('property')?.text ?? '');
    }
    if (p.type === 'binary_expression') return true;
    if (p.type === 'unary_expression') return p.child('operator')?.text !== 'delete';
    if (p.type === 'template_substitution') return true;
    if (p.type === 'ternary_expression') return cur.field === 'condition';
    if (p.type === 'if_statement' || p.type === 'while_statement') return cur.field === 'condition';
    if (p.type === 'for_in_statement') return cur.field === 'right';
    if (p.type === 'switch_statement') return cur.field === 'value';
    return false;
  }
}
