// Loops around a node (for/while statements and comprehensions, within one function), their
// headers for related spans, and a conservative loop-invariance test.

import type { UnitContext } from '../../analysis/rule';
import type { SyntaxNode } from '../../parsing';
import { isConstantLoop, isNameRef, nameInfo, scopeOf, storeContext } from './scope';

export const COMPREHENSION_TYPES = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);
const BOUNDARY = new Set(['function_definition', 'lambda', 'class_definition']);

/** Is `child` (a direct child of `loop`) part of what the loop repeats? */
function repeats(loop: SyntaxNode, child: SyntaxNode): boolean {
  switch (loop.type) {
    case 'for_statement':
      return child.field === 'body';
    case 'while_statement':
      return child.field === 'body' || child.field === 'condition';
    default: {
      // comprehension: all but the iterable of the first `for` clause
      const first = loop.namedChildren.find((c) => c.type === 'for_in_clause');
      return child !== first || false;
    }
  }
}

/** Loops whose repeated part contains `node`, innermost first, not crossing function boundaries. */
export function enclosingLoops(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  let prev = node;
  for (const a of node.ancestors()) {
    if (BOUNDARY.has(a.type)) break;
    if (a.type === 'for_statement' || a.type === 'while_statement') {
      if (repeats(a, prev)) out.push(a);
    } else if (COMPREHENSION_TYPES.has(a.type)) {
      if (prev.type === 'for_in_clause' && prev === a.namedChildren.find((c) => c.type === 'for_in_clause')) {
        // inside the first clause: only its target (not its iterable) repeats
        if (node.startIndex < (prev.child('right')?.startIndex ?? Infinity)) out.push(a);
      } else if (repeats(a, prev)) out.push(a);
    }
    prev = a;
  }
  return out;
}

/** The loop's header: `for x in xs`, `while cond`, or a comprehension's first `for … in …`. */
export function loopHeader(loop: SyntaxNode): { startIndex: number; endIndex: number } {
  if (loop.type === 'for_statement') return { startIndex: loop.startIndex, endIndex: loop.child('right')?.endIndex ?? loop.endIndex };
  if (loop.type === 'while_statement') return { startIndex: loop.startIndex, endIndex: loop.child('condition')?.endIndex ?? loop.endIndex };
  const clause = loop.namedChildren.find((c) => c.type === 'for_in_clause');
  return clause ?? loop;
}

export function headerText(loop: SyntaxNode): string {
  const h = loopHeader(loop);
  const text = loop.source.slice(h.startIndex, h.endIndex).replace(/\s+/g, ' ');
  return text.length > 60 ? text.slice(0, 57) + '…' : text;
}

export function loopRelated(loop: SyntaxNode, message = 'the loop'): { node: { startIndex: number; endIndex: number }; message: string } {
  return { node: loopHeader(loop), message };
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

/** Every call in `root` (not entering nested functions). */
function* callsIn(root: SyntaxNode): IterableIterator<SyntaxNode> {
  for (const n of root.descendants()) if (n.type === 'call') yield n;
}

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

/** The statement that contains a node (the child of a block, or of the module). */
export function statementOf(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.parent && n.parent.type !== 'block' && n.parent.type !== 'module') n = n.parent;
  return n;
}

/** `break`/`continue` in a body, not entering nested functions or classes. */
export function hasBreakOrContinue(body: SyntaxNode): boolean {
  const stack = [body];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'break_statement' || n.type === 'continue_statement') return true;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') continue;
    stack.push(...n.children);
  }
  return false;
}

export { callsIn };

/** Does the loop have a `break` of its own (a retry or search loop that may run only once)? */
export function hasOwnBreak(loop: SyntaxNode): boolean {
  if (loop.type !== 'for_statement' && loop.type !== 'while_statement') return false;
  const stack = [...loop.children.filter((c) => c.field === 'body')];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'break_statement') return true;
    if (n.type === 'for_statement' || n.type === 'while_statement' || BOUNDARY.has(n.type)) continue;
    stack.push(...n.children);
  }
  return false;
}

/** Do the loops around a node all run a constant number of times (so a scan per iteration is O(n), not O(n·m))? */
export function onlyConstantLoops(loops: SyntaxNode[]): boolean {
  return loops.length > 0 && loops.every(isConstantLoop);
}

/**
 * Does the statement holding `node` leave the loop right away (it is a `return`/`raise`, or a later
 * statement of its block is a `return`, `raise` or `break`)? Then it runs at most once per loop.
 */
export function leavesLoop(node: SyntaxNode, loop: SyntaxNode): boolean {
  const stmt = statementOf(node);
  if (!loop.contains(stmt)) return false;
  if (stmt.type === 'return_statement' || stmt.type === 'raise_statement') return true;
  const block = stmt.parent;
  if (!block || block.type !== 'block') return false;
  const siblings = block.namedChildren;
  for (let i = siblings.indexOf(stmt) + 1; i < siblings.length; i++) {
    const t = siblings[i].type;
    if (t === 'return_statement' || t === 'raise_statement' || t === 'break_statement') return true;
  }
  return false;
}

/** Is `name` the iterable of a loop around `node` (an iterator being consumed is not invariant)? */
export function isIteratedAround(node: SyntaxNode, name: string): boolean {
  for (const a of node.ancestors()) {
    if (BOUNDARY.has(a.type)) break;
    if (a.type === 'for_statement' && a.child('right')?.text === name) return true;
    if (COMPREHENSION_TYPES.has(a.type) && a.namedChildren.some((c) => c.type === 'for_in_clause' && c.child('right')?.text === name)) return true;
  }
  return false;
}

/** Is `arg` an iterator that a loop around `node` consumes? A known collection can be iterated again, so it is not. */
export function isConsumedIterator(ctx: UnitContext, node: SyntaxNode, arg: SyntaxNode): boolean {
  return arg.type === 'identifier' && isIteratedAround(node, arg.text) && !['list', 'tuple', 'set', 'dict', 'str'].includes(nameInfo(ctx, arg.text, arg).kind);
}
