// Names in a Python function: which identifiers are references, which bind, and what kind of value
// a name holds at a use, inferred only from the function's own assignments, its annotated
// parameters and the module's top-level bindings. Anything uncertain is 'unknown': the rules built
// on this flag a list scan only when the receiver is known to be a list.

import type { ValueKind } from '../../analysis/module';
import type { UnitContext } from '../../analysis/rule';
import type { SyntaxNode } from '../../parsing';
import { kindOf, kindOfAnnotation } from './kinds';
import { COMPREHENSION_TYPES, inConstantLoopsOnly, outermostLoop } from './loops';
import { methodCall, unparen } from './syntax';

/** Nodes that open a new name scope (comprehension scopes are handled where they matter). */
export const SCOPE_TYPES = new Set(['function_definition', 'lambda', 'class_definition']);
const PATTERN_WRAPPERS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression', 'list_splat_pattern', 'as_pattern_target', 'expression_list']);

/** The function (or lambda) whose body holds `node`, or the unit root for top-level code. */
export function scopeOf(node: SyntaxNode): SyntaxNode {
  let last = node;
  for (const a of node.ancestors()) {
    if (a.type === 'function_definition' || a.type === 'lambda') return a;
    last = a;
  }
  return last;
}

/** Is this identifier a variable reference (read or store), not an attribute name, keyword or import path? */
export function isNameRef(id: SyntaxNode): boolean {
  if (id.type !== 'identifier') return false;
  const p = id.parent;
  if (!p) return true;
  if (p.type === 'attribute' && id.field === 'attribute') return false;
  if (p.type === 'keyword_argument' && id.field === 'name') return false;
  if (p.type === 'dotted_name' || p.type === 'aliased_import' || p.type === 'import_from_statement') return false;
  if ((p.type === 'function_definition' || p.type === 'class_definition') && id.field === 'name') return false;
  if (p.type === 'typed_parameter') return false;
  if (p.type === 'typed_default_parameter' || p.type === 'default_parameter') return id.field === 'value';
  if (p.type === 'parameters' || p.type === 'lambda_parameters') return false;
  if ((p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') && (p.parent?.type === 'parameters' || p.parent?.type === 'lambda_parameters')) return false;
  if (p.type === 'global_statement' || p.type === 'nonlocal_statement') return false;
  return true;
}

/** The statement-level construct an identifier is stored by, or null when it is only read. */
export function storeContext(id: SyntaxNode): SyntaxNode | null {
  let n = id;
  while (n.parent && PATTERN_WRAPPERS.has(n.parent.type)) n = n.parent;
  const p = n.parent;
  if (!p) return null;
  switch (p.type) {
    case 'assignment':
      return n.field === 'left' ? p : null;
    case 'augmented_assignment':
      return n.field === 'left' ? p : null;
    case 'for_statement':
    case 'for_in_clause':
      return n.field === 'left' ? p : null;
    case 'named_expression':
      return n.field === 'name' ? p : null;
    case 'as_pattern':
      return n.field === 'alias' ? p : null;
    case 'delete_statement':
      return p;
    default:
      return null;
  }
}

export type BindingKind = 'param' | 'assign' | 'augassign' | 'for' | 'walrus' | 'with' | 'del' | 'import' | 'def' | 'declare' | 'other';

export interface Binding {
  name: string;
  kind: BindingKind;
  /** The identifier (or the statement for imports/defs). */
  node: SyntaxNode;
  /** The statement-level node (assignment, for_statement, parameter, …). */
  site: SyntaxNode;
  /** For a plain `name = value` / `name: T = value`: the value; for augassign: the right side. */
  value?: SyntaxNode;
  annotation?: SyntaxNode;
  /** `a = b = value`: the same object bound to several names. */
  chained?: boolean;
}

/** Nodes of a scope's own code: descendants that do not enter nested functions, lambdas or classes. */
export function* ownNodes(scope: SyntaxNode): IterableIterator<SyntaxNode> {
  const stack: SyntaxNode[] = [];
  const start = scope.type === 'function_definition' || scope.type === 'lambda' ? scope.children : [scope];
  for (let i = start.length - 1; i >= 0; i--) stack.push(start[i]);
  while (stack.length > 0) {
    const n = stack.pop()!;
    yield n;
    if (SCOPE_TYPES.has(n.type)) continue;
    const children = n.codeChildren;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}

function paramName(p: SyntaxNode): SyntaxNode | null {
  if (p.type === 'identifier') return p;
  if (p.type === 'typed_parameter') return p.namedChildren.find((c) => c.type === 'identifier') ?? p.namedChildren[0]?.namedChildren.find((c) => c.type === 'identifier') ?? null;
  if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') return p.child('name');
  if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') return p.namedChildren.find((c) => c.type === 'identifier') ?? null;
  return null;
}

const scopeCache = new WeakMap<SyntaxNode, Map<string, Binding[]>>();

/** Every binding in a scope, by name (in source order). */
export function bindingsOf(scope: SyntaxNode): Map<string, Binding[]> {
  const cached = scopeCache.get(scope);
  if (cached) return cached;
  const out = new Map<string, Binding[]>();
  const add = (b: Binding) => {
    const list = out.get(b.name);
    if (list) list.push(b);
    else out.set(b.name, [b]);
  };
  if (scope.type === 'function_definition' || scope.type === 'lambda') {
    const params = scope.child('parameters');
    for (const p of params?.namedChildren ?? []) {
      const id = paramName(p);
      if (!id) continue;
      add({ name: id.text, kind: 'param', node: id, site: p, annotation: p.child('type') ?? undefined });
    }
  }
  for (const n of ownNodes(scope)) {
    if (n === scope) continue;
    if ((n.type === 'function_definition' || n.type === 'class_definition') && n !== scope) {
      const name = n.child('name');
      if (name) add({ name: name.text, kind: 'def', node: name, site: n });
      continue;
    }
    if (n.type === 'global_statement' || n.type === 'nonlocal_statement') {
      for (const id of n.namedChildren) if (id.type === 'identifier') add({ name: id.text, kind: 'declare', node: id, site: n });
      continue;
    }
    if (n.type === 'import_statement' || n.type === 'import_from_statement') {
      for (const name of n.childrenIn('name')) {
        const alias = name.type === 'aliased_import' ? name.child('alias') : null;
        const first = alias ?? (name.type === 'dotted_name' ? name.namedChildren[0] : name.child('name')?.namedChildren[0]);
        if (first) add({ name: first.text, kind: 'import', node: first, site: n });
      }
      continue;
    }
    if (n.type !== 'identifier' || !isNameRef(n)) continue;
    const site = storeContext(n);
    if (!site) continue;
    // Comprehension targets bind in the comprehension's own scope.
    if (site.type === 'for_in_clause') continue;
    const b: Binding = { name: n.text, kind: 'other', node: n, site };
    switch (site.type) {
      case 'assignment': {
        b.kind = 'assign';
        const left = site.child('left');
        const right = site.child('right');
        // `a, b = [1, 2], {}`: each name of a flat pattern takes the matching element of a literal tuple.
        if (left && left !== n && ['pattern_list', 'tuple_pattern'].includes(left.type) && left.namedChildren.includes(n)) {
          const elements = right && ['expression_list', 'tuple'].includes(right.type) ? right.namedChildren : [];
          const names = left.namedChildren;
          if (elements.length === names.length && names.every((x) => x.type === 'identifier') && !elements.some((e) => e.type === 'list_splat')) b.value = elements[names.indexOf(n)];
        }
        if (left === n) {
          let value = right;
          while (value?.type === 'assignment') {
            b.chained = true;
            value = value.child('right');
          }
          b.value = value ?? undefined;
          b.annotation = site.child('type') ?? undefined;
          if (site.parent?.type === 'assignment') b.chained = true;
        }
        break;
      }
      case 'augmented_assignment':
        b.kind = 'augassign';
        if (site.child('left') === n) b.value = site.child('right') ?? undefined;
        break;
      case 'for_statement':
        b.kind = 'for';
        break;
      case 'named_expression':
        b.kind = 'walrus';
        b.value = site.child('value') ?? undefined;
        break;
      case 'as_pattern':
        b.kind = 'with';
        break;
      case 'delete_statement':
        b.kind = 'del';
        break;
    }
    add(b);
  }
  scopeCache.set(scope, out);
  return out;
}

/**
 * The scope that `name`, used at `use`, resolves to: a function up the chain, the unit root for
 * top-level code, 'module' for a free name of a function unit, 'declared' under global/nonlocal.
 */
export function resolveScope(name: string, use: SyntaxNode): SyntaxNode | 'module' | 'declared' {
  let scope = scopeOf(use);
  for (;;) {
    if (scope.type !== 'function_definition' && scope.type !== 'lambda') return scope;
    const b = bindingsOf(scope).get(name);
    if (b && b.length > 0) return b.some((x) => x.kind === 'declare') ? 'declared' : scope;
    if (!scope.parent) return 'module';
    scope = scopeOf(scope.parent);
  }
}

function bindingKind(b: Binding): ValueKind {
  if (b.kind === 'param') return kindOfAnnotation(b.annotation);
  if (b.kind === 'assign') {
    const a = kindOfAnnotation(b.annotation);
    if (a !== 'unknown') return a;
    return b.value ? kindOf(b.value) : 'unknown';
  }
  if (b.kind === 'walrus') return kindOf(b.value);
  return 'unknown';
}

/** Is the statement containing `node` directly in the scope's top-level block (runs unconditionally)? */
function isStraightLine(site: SyntaxNode, scope: SyntaxNode): boolean {
  if (site.type === 'parameters' || site.parent?.type === 'parameters') return true;
  let stmt: SyntaxNode | null = site;
  while (stmt && stmt.parent && stmt.parent.type !== 'block' && stmt.parent !== scope && stmt.parent.type !== 'module') stmt = stmt.parent;
  if (!stmt) return false;
  const block = stmt.parent;
  if (!block) return false;
  if (block === scope || block.type === 'module') return true;
  if (block.type !== 'block') return false;
  const owner = block.parent;
  if (owner === scope && (scope.type === 'function_definition')) return true;
  // `with` bodies run unconditionally
  if (owner?.type === 'with_statement') return isStraightLine(owner, scope);
  return false;
}

export interface NameInfo {
  kind: ValueKind;
  /** Where the value came from: a local binding, a parameter, or the module. */
  origin: 'local' | 'param' | 'module';
  /** The binding that reaches the use (local or param). */
  binding?: Binding;
  /** The function (or unit root) that binds the name; null for module bindings seen from a function. */
  scope: SyntaxNode | null;
}

const UNKNOWN: NameInfo = { kind: 'unknown', origin: 'local', scope: null };

/** List-preserving rebinding inside a loop: `x += …`, `x = x + […]`. */
function preservesKind(b: Binding, kind: ValueKind): boolean {
  if (b.kind === 'augassign') {
    const op = b.site.child('operator')?.text;
    if (kind === 'list') return op === '+=' && (kindOf(b.value) === 'list' || b.value?.type === 'list_comprehension');
    if (kind === 'str') return op === '+=';
    if (kind === 'number') return true;
    return false;
  }
  // `x = sorted(x)`: still a list
  if (b.kind === 'assign' && !b.annotation && b.value?.type === 'call' && b.value.child('function')?.text === 'sorted' && kind === 'list') {
    const args = b.value.child('arguments')?.namedChildren ?? [];
    if (args[0]?.type === 'identifier' && args[0].text === b.name) return true;
  }
  // `x = x[1:]`: a slice of a list/str/tuple has the same kind
  if (b.kind === 'assign' && !b.annotation && b.value?.type === 'subscript' && b.value.child('value')?.type === 'identifier' && b.value.child('value')?.text === b.name && b.value.child('subscript')?.type === 'slice') {
    return kind === 'list' || kind === 'str' || kind === 'tuple';
  }
  if (b.kind === 'assign' && b.value?.type === 'binary_operator' && b.value.child('operator')?.text === '+' && !b.annotation) {
    const l = b.value.child('left');
    const r = b.value.child('right');
    if (l?.type === 'identifier' && l.text === b.name) return kind === 'str' || kindOf(r) === kind;
    if (r?.type === 'identifier' && r.text === b.name) return kindOf(l) === kind;
  }
  return false;
}

/**
 * What `name` holds at `use`. Flow is approximated: the last binding before the outermost loop
 * around the use must run unconditionally (straight-line code of the function body, or a
 * parameter), and bindings inside that loop must preserve the kind (`+=`).
 */
export function nameInfo(ctx: UnitContext, name: string, use: SyntaxNode): NameInfo {
  const scope = resolveScope(name, use);
  if (scope === 'declared') return UNKNOWN;
  if (scope === 'module') return { kind: ctx.module.bindings.get(name) ?? 'unknown', origin: 'module', scope: null };
  const isFunction = scope.type === 'function_definition' || scope.type === 'lambda';
  const all = bindingsOf(scope).get(name) ?? [];
  if (all.some((b) => b.kind === 'declare')) return UNKNOWN;
  const useScope = scopeOf(use);
  const loop = outermostLoop(useScope === scope ? use : nestedDefIn(use, scope) ?? use, scope);
  const anchor = loop ?? (useScope === scope ? use : nestedDefIn(use, scope) ?? use);
  const before = all.filter((b) => b.node.startIndex < anchor.startIndex);
  const inside = loop ? all.filter((b) => loop.contains(b.node)) : [];
  if (!isFunction && all.length === 0) return { kind: ctx.module.bindings.get(name) ?? 'unknown', origin: 'module', scope: null };
  // A nested function reads the name whenever it is called: every binding counts.
  if (useScope !== scope && all.length !== 1) return UNKNOWN;
  if (!isFunction && before.length === 0) {
    // Module-level unit: bindings in other top-level statements.
    if (inside.length > 0 && inside.some((b) => b.kind !== 'augassign')) return UNKNOWN;
    const kind = ctx.module.bindings.get(name) ?? 'unknown';
    return { kind, origin: 'module', scope: null };
  }
  if (before.length === 0) return UNKNOWN;
  const last = before[before.length - 1];
  if (last.kind !== 'param' && !isStraightLine(last.site, scope)) return UNKNOWN;
  if (last.chained) return UNKNOWN;
  const kind = bindingKind(last);
  if (kind === 'unknown') return UNKNOWN;
  for (const b of inside) if (!preservesKind(b, kind)) return UNKNOWN;
  return { kind, origin: last.kind === 'param' ? 'param' : 'local', binding: last, scope };
}

function nestedDefIn(use: SyntaxNode, scope: SyntaxNode): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  for (const a of use.ancestors()) {
    if (a === scope) break;
    if (a.type === 'function_definition' || a.type === 'lambda') found = a;
  }
  return found;
}

/** Every reference (read or store) of `name` in a scope's own code, nested functions included. */
export function referencesIn(scope: SyntaxNode, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const n of scope.descendants()) if (n.type === 'identifier' && n.text === name && isNameRef(n)) out.push(n);
  return out;
}

const GROWING_METHODS = new Set(['append', 'extend', 'insert', 'appendleft', 'extendleft', 'add', 'update']);

/**
 * Does a list bound at `info` hold a number of elements that depends on the data (built from
 * `list(...)`, a comprehension, `sorted`, a parameter) or grow in its scope (`append`, `+=`)?
 * A literal like `['a', 'b']` that never grows is constant-size: scanning it is O(1).
 */
export function isDataSized(info: NameInfo, name: string, bounded?: (loop: SyntaxNode) => boolean): boolean {
  if (info.origin === 'param') return true;
  if (info.origin === 'module') return false;
  const v = info.binding?.value;
  if (!v) return false;
  if (v.type === 'list' || v.type === 'set' || v.type === 'dictionary' || v.type === 'tuple' || v.type === 'string' || builtFromConstants(v, info.scope!)) {
    return grows(info.scope!, name, bounded);
  }
  return true;
}

const CONSTANT_COPIES = new Set(['list', 'tuple', 'set', 'frozenset', 'sorted', 'reversed', 'dict']);
const CONSTANT_VIEWS = new Set(['keys', 'values', 'items', 'copy']);

/**
 * Is `value` made only of literals and module-level tables (upper-case constants, a class's
 * attributes): `list(FormulaConfig.symbolfunctions.keys()) + ['\\', '{']`? Such a list has the
 * same fixed size on every call (issue 13 round 4: docutils math2html `specialchars`, judged wrong
 * as an O(n·m) finding).
 */
function builtFromConstants(value: SyntaxNode, scope: SyntaxNode): boolean {
  let sawTable = false;
  for (const n of [value, ...value.descendants()]) {
    if (n.type === 'call') {
      const fn = unparen(n.child('function'));
      const ok = fn?.type === 'identifier' ? CONSTANT_COPIES.has(fn.text) : fn?.type === 'attribute' && CONSTANT_VIEWS.has(fn.child('attribute')?.text ?? '');
      if (!ok) return false;
    } else if (n.type === 'identifier' && isNameRef(n)) {
      if (n.parent?.type === 'call' && n.parent.child('function') === n) continue;
      if (bindingsOf(scope).has(n.text) || !/^[A-Z]/.test(n.text)) return false;
      sawTable = true;
    } else if (COMPREHENSION_TYPES.has(n.type) || n.type === 'lambda') return false;
  }
  return sawTable;
}

/**
 * Is `name` grown anywhere in the scope (append/extend/insert/+=/slice assignment/x = x + …)?
 * Growth by literals in loops that run a bounded number of times (`bounded`; by default loops of
 * constant length) keeps it bounded.
 */
export function grows(scope: SyntaxNode, name: string, bounded?: (loop: SyntaxNode) => boolean): boolean {
  for (const ref of referencesIn(scope, name)) {
    const p = ref.parent;
    if (!p) continue;
    let added: SyntaxNode | null | undefined; // what is added: null for one element
    if (p.type === 'attribute' && ref.field === 'object' && GROWING_METHODS.has(p.child('attribute')?.text ?? '') && p.parent?.type === 'call') {
      const method = p.child('attribute')!.text;
      const args = p.parent.child('arguments')?.namedChildren ?? [];
      added = method === 'extend' || method === 'update' || method === 'extendleft' ? args[0] ?? null : null;
      if (added === null && (method === 'extend' || method === 'update' || method === 'extendleft')) continue;
    } else if (p.type === 'augmented_assignment' && ref.field === 'left') added = p.child('right');
    else if (p.type === 'binary_operator' && p.parent?.type === 'assignment' && p.parent.child('left')?.text === name) added = ref.field === 'left' ? p.child('right') : p.child('left');
    else if (p.type === 'subscript' && ref.field === 'value' && p.child('subscript')?.type === 'slice' && p.field === 'left') added = p.parent?.child('right');
    else continue;
    // Growth by a literal, outside loops or in loops of constant length, stays constant-size.
    const literal = added === null || (!!added && ['list', 'tuple', 'set', 'string', 'concatenated_string'].includes(added.type));
    if (!literal || !inConstantLoopsOnly(ref, scope, bounded)) return true;
  }
  return false;
}

/**
 * Ruff's `only_binding` + `is_list`/`is_dict`: the kind of the one binding of `name` in the scope
 * it resolves to (by its value: a literal, a comprehension or the builtin constructor; or by its
 * annotation), or 'unknown' when the name is bound more than once. At module level the module
 * summary stands in (it merges several bindings of one kind).
 */
export function onlyBindingKind(ctx: UnitContext, name: string, use: SyntaxNode): ValueKind {
  const scope = resolveScope(name, use);
  if (scope === 'module') return ctx.module.bindings.get(name) ?? 'unknown';
  if (scope === 'declared') {
    // `global x` with no other binding in the function: the module's binding
    const fn = scopeOf(use);
    const own = bindingsOf(fn).get(name) ?? [];
    const isGlobal = own.some((b) => b.kind === 'declare' && b.site.type === 'global_statement');
    return isGlobal && own.every((b) => b.kind === 'declare') ? ctx.module.bindings.get(name) ?? 'unknown' : 'unknown';
  }
  const all = bindingsOf(scope).get(name) ?? [];
  const isFunction = scope.type === 'function_definition' || scope.type === 'lambda';
  // Ruff resolves a name to the binding visible in source order and requires that it shadows none.
  const before = all.filter((b) => b.node.startIndex < use.startIndex);
  if (!isFunction && before.length === 0) return all.length === 0 ? ctx.module.bindings.get(name) ?? 'unknown' : 'unknown';
  if (before.length !== 1) return 'unknown';
  if (!isFunction && ctx.module.bindings.has(name) && ctx.module.bindings.get(name) !== bindingKindStrict(before[0])) return 'unknown';
  return bindingKindStrict(before[0]);
}

/** Ruff's initializer test: literal, comprehension, or a call of the builtin type itself. */
function bindingKindStrict(b: Binding): ValueKind {
  const a = kindOfAnnotation(b.annotation);
  if (a !== 'unknown') return a;
  if (b.kind !== 'assign' || !b.value || (b.site.child('left') !== b.node && !['pattern_list', 'tuple_pattern'].includes(b.site.child('left')?.type ?? ''))) return 'unknown';
  const v = b.value;
  switch (v.type) {
    case 'list':
    case 'list_comprehension':
      return 'list';
    case 'dictionary':
    case 'dictionary_comprehension':
      return 'dict';
    case 'set':
    case 'set_comprehension':
      return 'set';
    case 'call': {
      const fn = v.child('function');
      if (fn?.type === 'identifier' && ['list', 'dict', 'set'].includes(fn.text)) return fn.text as ValueKind;
      return 'unknown';
    }
    default:
      return 'unknown';
  }
}

/**
 * Is the binding of `name` made at `target` (a for-loop target) read anywhere before another
 * binding of the name replaces it, in source order (Ruff's model)? Reads in nested functions, `del`,
 * and `locals()`/`vars()`/`eval` count as reads.
 */
export function isReadAfterBinding(ctx: UnitContext, target: SyntaxNode, name: string, opts: { onlyAfter?: number } = {}): boolean {
  const scope = resolveScope(name, target);
  const root = scope === 'module' || scope === 'declared' ? ctx.unit : scope;
  const from = opts.onlyAfter ?? target.endIndex;
  for (const n of root.descendants()) {
    if (n.type === 'call') {
      const fn = n.child('function');
      if (fn?.type === 'identifier' && ['locals', 'vars', 'eval', 'exec'].includes(fn.text)) return true;
    }
  }
  const events: { at: number; store: boolean }[] = [];
  for (const n of root.descendants()) {
    if (n.type !== 'identifier' || n.text !== name || !isNameRef(n)) continue;
    if (n.startIndex < from) continue;
    const site = storeContext(n);
    const isFn = root.type === 'function_definition' || root.type === 'lambda';
    if (scopeOf(n) !== (isFn ? root : ctx.unit)) return true;
    const plainStore = site !== null && site.type !== 'augmented_assignment' && site.type !== 'delete_statement';
    // comprehension targets are their own scope: reads of the name inside refer to them
    if (site?.type === 'for_in_clause' || boundByComprehension(n, name)) continue;
    // a store takes effect after its right-hand side is evaluated: `x = str(x)` reads first
    let at = n.startIndex;
    if (plainStore && site) at = site.type === 'for_statement' ? site.child('right')?.endIndex ?? site.endIndex : site.type === 'named_expression' ? site.endIndex : site.type === 'assignment' ? outerAssignment(site).endIndex : site.endIndex;
    events.push({ at, store: plainStore });
  }
  events.sort((a, b) => a.at - b.at);
  for (const e of events) return !e.store;
  if (scope === 'module' || (root === ctx.unit && root.type !== 'function_definition')) {
    // module level: other top-level statements may read it later
    return ctx.module.mentionedAfter(ctx.unit.endIndex, name);
  }
  return false;
}

function outerAssignment(a: SyntaxNode): SyntaxNode {
  let n = a;
  while (n.parent?.type === 'assignment') n = n.parent;
  return n;
}

/** Is `n` inside a comprehension that binds `name` in one of its `for` clauses? */
function boundByComprehension(n: SyntaxNode, name: string): boolean {
  for (const a of n.ancestors()) {
    if (a.type === 'function_definition' || a.type === 'lambda' || a.type === 'class_definition') return false;
    if (a.type !== 'list_comprehension' && a.type !== 'set_comprehension' && a.type !== 'dictionary_comprehension' && a.type !== 'generator_expression') continue;
    for (const clause of a.namedChildren) {
      if (clause.type !== 'for_in_clause') continue;
      const left = clause.child('left');
      if (left && [...left.descendants()].some((d) => d.type === 'identifier' && d.text === name)) return true;
    }
  }
  return false;
}

/** Methods no other builtin container shares with a list that also takes `pop(0)`. */
const LIST_METHODS = new Set(['append', 'extend', 'sort', 'insert', 'remove', 'index']);

/**
 * Is `receiver` (a name, `self.attr`, or `a if c else b`) used as a list in the function: known to be
 * one, or an untyped parameter / attribute on which the code calls list methods (`append`, `sort`…)
 * besides `pop(0)`, or drains in `while x:`? A dict has none of those methods and a deque rejects
 * `pop(0)`, so that use says list. `ignore`: a method that is no evidence here (for an `insert(0, x)`,
 * `insert` itself, which ElementTree elements and music21 streams define too).
 */
export function usedAsList(ctx: UnitContext, receiver: SyntaxNode, scope: SyntaxNode, ignore?: string): boolean {
  const r = unparen(receiver)!;
  if (r.type === 'conditional_expression') {
    const [a, , b] = r.namedChildren;
    return !!a && !!b && usedAsList(ctx, a, scope, ignore) && usedAsList(ctx, b, scope, ignore);
  }
  if (r.type === 'identifier') {
    const info = nameInfo(ctx, r.text, r);
    if (info.kind === 'list') return true;
    if (info.kind !== 'unknown' || info.origin === 'module') return false;
    // A parameter annotated with another type (`el: etree.Element`) and never rebound is that type, not a list.
    const where = resolveScope(r.text, r);
    const bound = typeof where === 'string' ? [] : bindingsOf(where).get(r.text) ?? [];
    if (bound.length === 1 && bound[0].kind === 'param' && bound[0].annotation) return false;
  } else if (r.type === 'subscript') {
    // `grid[i].pop(0)`: an element of a list whose elements are lists (built as such, or grown with
    // list methods elsewhere: `grid[j].append(x)`).
    const base = unparen(r.child('value'));
    if (base?.type !== 'identifier') return false;
    const info = nameInfo(ctx, base.text, base);
    if (info.kind !== 'list' && !(info.kind === 'unknown' && isParameter(base))) return false;
    const isList = (v: SyntaxNode | null | undefined): boolean => {
      const e = unparen(v);
      return !!e && (e.type === 'list' || e.type === 'list_comprehension' || (e.type === 'call' && e.child('function')?.text === 'list'));
    };
    const listElements = (v: SyntaxNode | null | undefined): boolean => {
      const e = unparen(v);
      if (!e) return false;
      if (e.type === 'list_comprehension') return isList(e.child('body'));
      if (e.type === 'list') return e.namedChildren.length > 0 && e.namedChildren.every(isList);
      if (e.type === 'binary_operator' && e.child('operator')?.text === '*') return listElements(e.child('left'));
      return false;
    };
    if (listElements(info.binding?.value)) return true;
    for (const n of scope.descendants()) {
      const m = methodCall(n);
      const recv = m ? unparen(m.receiver) : null;
      if (m && recv?.type === 'subscript' && unparen(recv.child('value'))?.text === base.text && LIST_METHODS.has(m.method) && m.method !== ignore) return true;
    }
    return false;
  } else if (!(r.type === 'attribute' && r.child('object')?.type === 'identifier' && isParameter(r.child('object')!))) {
    // Only an attribute of a parameter (`self.queue`), not of a module (`sys.path`).
    return false;
  }
  for (const n of scope.descendants()) {
    const m = methodCall(n);
    if (m && m.receiver.text === r.text && LIST_METHODS.has(m.method) && m.method !== ignore) return true;
    if (n.type === 'while_statement' && unparen(n.child('condition'))?.text === r.text) return true;
  }
  return false;
}

/**
 * Is every binding of the name in its function `name = f(…)`, a call that is not a builtin sequence
 * constructor (`bytearray()`, `list(…)`)? Then the name holds what that call returns.
 */
export function madeByCall(receiver: SyntaxNode): boolean {
  if (receiver.type !== 'identifier') return false;
  const where = resolveScope(receiver.text, receiver);
  if (typeof where === 'string') return false;
  const bound = bindingsOf(where).get(receiver.text) ?? [];
  return bound.length > 0 && bound.every((b) => {
    const v = b.kind === 'assign' && !b.chained ? unparen(b.value) : null;
    const fn = v?.type === 'call' ? v.child('function') : null;
    const callee = fn?.type === 'identifier' ? fn.text : fn?.type === 'attribute' ? fn.child('attribute')?.text : undefined;
    return !!callee && !['bytearray', 'list', 'deque', 'array'].includes(callee);
  });
}

/** Is the name a parameter of the function it resolves to? */
export function isParameter(id: SyntaxNode): boolean {
  const scope = resolveScope(id.text, id);
  return typeof scope !== 'string' && (bindingsOf(scope).get(id.text) ?? []).some((b) => b.kind === 'param');
}

const NON_ADDING_METHODS = new Set(['remove', 'index', 'count', 'pop', 'sort', 'reverse', 'clear']);

/**
 * A use of a list that neither adds to it nor hands it on: a non-adding method's receiver, an `in`
 * test, `len(…)`, a `for` over it, a condition, an element read; with `outward` also a return or a
 * comprehension over it (a new list made from it: review 13 S1, S2).
 */
export function readsListOnly(id: SyntaxNode, outward: boolean): boolean {
  const p = id.parent;
  if (!p) return false;
  if (p.type === 'attribute') return id.field === 'object' && p.parent?.type === 'call' && p.parent.child('function') === p && NON_ADDING_METHODS.has(p.child('attribute')?.text ?? '');
  if (p.type === 'comparison_operator' || p.type === 'not_operator') return true;
  if (p.type === 'return_statement') return outward;
  if (p.type === 'expression_list') return outward && p.parent?.type === 'return_statement';
  if (p.type === 'argument_list') return p.parent?.type === 'call' && p.parent.child('function')?.text === 'len';
  if (p.type === 'for_statement' || (outward && p.type === 'for_in_clause')) return id.field === 'right';
  if (p.type === 'if_statement' || p.type === 'while_statement' || p.type === 'elif_clause') return id.field === 'condition';
  // `domains[0]` read, not stored to or deleted
  if (p.type === 'subscript') return id.field === 'value' && !storeContext(p) && p.parent?.type !== 'delete_statement';
  return false;
}
