// Is the value of an expression only read where it is used? For rules that suggest computing a
// value once before a loop: a value that is mutated after being built must stay per iteration.

import type { UnitContext } from '../../analysis/rule';
import type { SyntaxNode } from '../../parsing';
import { isIteratedAround } from './loops';
import { isNameRef, nameInfo, scopeOf, storeContext } from './scope';
import { comparison, functionCall, isTruthTest } from './syntax';

/** Contexts that only read the value of `node`. */
export function isReadOnlyUse(node: SyntaxNode): boolean {
  let n = node;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const p = n.parent;
  if (!p) return false;
  if (isTruthTest(n)) return true;
  if (comparison(p)) return true;
  if ((p.type === 'for_statement' || p.type === 'for_in_clause') && n.field === 'right') return true;
  if (p.type === 'subscript' && n.field === 'value') return !storeContext(p) && !isStoreTarget(p);
  if (p.type === 'attribute' && n.field === 'object') {
    const call = p.parent;
    if (call?.type === 'call' && p.field === 'function') return READ_METHODS.has(p.child('attribute')?.text ?? '');
    return !isStoreTarget(p);
  }
  if (p.type === 'argument_list') {
    const fc = p.parent ? functionCall(p.parent) : null;
    return !!fc && PURE_BUILTINS.has(fc.name);
  }
  if (p.type === 'interpolation') return true;
  if (p.type === 'binary_operator') return true;
  return false;
}

function isStoreTarget(n: SyntaxNode): boolean {
  let c = n;
  while (c.parent && (c.parent.type === 'subscript' || c.parent.type === 'attribute') && c.field !== 'subscript') c = c.parent;
  const p = c.parent;
  return !!p && (((p.type === 'assignment' || p.type === 'augmented_assignment') && c.field === 'left') || p.type === 'delete_statement');
}

/**
 * When `call` is the whole right side of `name = call` inside `loop`, are all the other references
 * to `name` in the loop read-only, with no other binding of it in the loop? Returns the name, or
 * null when the value is not assigned that way (or is used otherwise).
 */
export function assignedReadOnly(call: SyntaxNode, loop: SyntaxNode): string | null | false {
  let n = call;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const a = n.parent;
  if (a?.type !== 'assignment' || n.field !== 'right' || a.child('left')?.type !== 'identifier' || a.parent?.type !== 'expression_statement') return null;
  const name = a.child('left')!.text;
  for (const r of loop.descendants()) {
    if (r.type !== 'identifier' || r.text !== name || !isNameRef(r) || r === a.child('left')) continue;
    if (storeContext(r)) return false;
    if (!isReadOnlyUse(r)) return false;
  }
  return name;
}

/** Builtins that do not mutate their arguments and run no user code on plain data. */
export const PURE_BUILTINS = new Set([
  'len', 'print', 'str', 'int', 'float', 'bool', 'repr', 'isinstance', 'issubclass', 'sorted', 'set', 'frozenset', 'list', 'tuple', 'dict',
  'min', 'max', 'sum', 'any', 'all', 'enumerate', 'zip', 'range', 'hash', 'id', 'abs', 'round', 'format', 'ord', 'chr', 'type', 'hasattr', 'getattr', 'reversed',
]);

/** Methods that never mutate their receiver (on the builtin types they are common on). */
export const READ_METHODS = new Set([
  'get', 'keys', 'values', 'items', 'count', 'index', 'startswith', 'endswith', 'copy', 'format', 'lower', 'upper', 'strip', 'lstrip', 'rstrip',
  'split', 'rsplit', 'join', 'find', 'rfind', 'replace', 'isdigit', 'isalpha', 'isspace', 'encode', 'decode', 'issubset', 'issuperset', 'union', 'intersection', 'difference',
]);

function calleeName(call: SyntaxNode): string | null {
  const fn = call.child('function');
  return fn?.type === 'identifier' ? fn.text : null;
}

/** Does the loop run code that could change state we cannot see (calls to user code, yield, await)? */
export function loopHasOpaqueCalls(loop: SyntaxNode, except?: SyntaxNode): boolean {
  for (const n of loop.descendants()) {
    if (n.type === 'yield' || n.type === 'await') return true;
    if (n.type !== 'call') continue;
    if (except && except.contains(n)) continue;
    const name = calleeName(n);
    if (name && PURE_BUILTINS.has(name)) continue;
    const fn = n.child('function');
    if (fn?.type === 'attribute' && READ_METHODS.has(fn.child('attribute')?.text ?? '')) continue;
    return true;
  }
  return false;
}

/** Names an expression reads. Null if it contains anything but names, attributes, literals, constant subscripts and operators. */
export function simpleReads(expr: SyntaxNode): string[] | null {
  const names: string[] = [];
  for (const n of expr.descendants()) {
    switch (n.type) {
      case 'call':
      case 'lambda':
      case 'await':
      case 'named_expression':
      case 'yield':
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        return null;
      case 'identifier':
        if (isNameRef(n)) names.push(n.text);
        break;
    }
  }
  return names;
}

/**
 * Is `expr` (inside `loop`) the same value on every iteration? Conservative: it reads only names,
 * attributes, literals and subscripts; none of its names is bound in the loop; no name it reads is
 * mutated in the loop (method call other than a read, item store, `del`, passed to a call other
 * than a pure builtin); and for names that are not the function's own locals (module names,
 * attribute chains) the loop runs no opaque calls at all.
 */
export function isLoopInvariant(expr: SyntaxNode, loop: SyntaxNode): boolean {
  const names = simpleReads(expr);
  if (!names) return false;
  const needsNoCalls = [...expr.descendants()].some((n) => n.type === 'attribute');
  const scope = scopeOf(expr);
  for (const name of new Set(names)) {
    for (const n of loop.descendants()) {
      if (n.type !== 'identifier' || n.text !== name || !isNameRef(n) || expr.contains(n)) continue;
      if (storeContext(n)) return false;
      if (n.parent?.type === 'for_in_clause' && n.field === 'left') return false;
      if (mutates(n)) return false;
    }
    if (!isLocal(name, scope) && loopHasOpaqueCalls(loop)) return false;
  }
  if (needsNoCalls && loopHasOpaqueCalls(loop)) return false;
  return true;
}

function isLocal(name: string, scope: SyntaxNode): boolean {
  if (scope.type !== 'function_definition' && scope.type !== 'lambda') return false;
  for (const n of scope.descendants()) {
    if (n.type === 'identifier' && n.text === name && isNameRef(n)) {
      if (storeContext(n)) return scopeOf(n) === scope;
      const p = n.parent;
      if (p && (p.type === 'parameters' || p.type === 'typed_parameter' || p.type === 'default_parameter' || p.type === 'typed_default_parameter')) return true;
    }
    if ((n.type === 'global_statement' || n.type === 'nonlocal_statement') && n.namedChildren.some((c) => c.text === name)) return false;
  }
  // parameters are not name refs: look at them directly
  const params = scope.child('parameters');
  if (params) for (const p of params.descendants()) if (p.type === 'identifier' && p.text === name && p.parent !== null && p.parent.type !== 'type' && p.field !== 'value') return true;
  return false;
}

/** Could this reference (a read of a name) mutate the object it names? */
export function mutates(ref: SyntaxNode): boolean {
  let n = ref;
  // climb attribute / subscript chains: `x.a.b`, `x[i]`
  for (;;) {
    const p = n.parent;
    if (!p) return false;
    if (p.type === 'attribute' && n.field === 'object') {
      if (p.parent?.type === 'call' && p.field === 'function') return !READ_METHODS.has(p.child('attribute')?.text ?? '');
      n = p;
      continue;
    }
    if (p.type === 'subscript' && n.field === 'value') {
      n = p;
      continue;
    }
    break;
  }
  if (n !== ref && storeContext(n) === null) {
    // `x.a = …` / `x[i] = …` / `del x[i]` / `x[i] += …`
    const p = n.parent;
    if (p && (p.type === 'assignment' || p.type === 'augmented_assignment') && n.field === 'left') return true;
    if (p?.type === 'delete_statement') return true;
  }
  if (n !== ref && n.parent && (n.parent.type === 'delete_statement' || ((n.parent.type === 'assignment' || n.parent.type === 'augmented_assignment') && n.field === 'left'))) return true;
  // passed to a call: only pure builtins are trusted
  const arg = n.parent;
  if (arg?.type === 'argument_list' || (arg?.type === 'keyword_argument' && arg.parent?.type === 'argument_list') || arg?.type === 'list_splat') {
    const call = arg.type === 'argument_list' ? arg.parent : arg.parent?.parent;
    const name = call ? calleeName(call) : null;
    return !(name && PURE_BUILTINS.has(name));
  }
  return false;
}

/** Is `arg` an iterator that a loop around `node` consumes? A known collection can be iterated again, so it is not. */
export function isConsumedIterator(ctx: UnitContext, node: SyntaxNode, arg: SyntaxNode): boolean {
  return arg.type === 'identifier' && isIteratedAround(node, arg.text) && !['list', 'tuple', 'set', 'dict', 'str'].includes(nameInfo(ctx, arg.text, arg).kind);
}
