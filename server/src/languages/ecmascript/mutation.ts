// What changes, and where: methods and writes that mutate a value, whether a name may change while
// a loop runs, and whether an expression is the same on every iteration (loop invariance).

import type { SyntaxNode } from '../../parsing';
import { EcmascriptFacts } from './facts';
import { type Loop } from './loops';
import { FUNCTION_TYPES, parameters, patternNames, referencedNames, unwrap } from './syntax';

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
  'Object.create',
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
export function isInvariantIn(expr: SyntaxNode, loop: Loop, facts: EcmascriptFacts, ignore?: SyntaxNode): boolean {
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
export function readsOnlyInvariant(node: SyntaxNode, loop: Loop, facts: EcmascriptFacts, ignore?: SyntaxNode): boolean {
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

/**
 * Whether a function nested in the scope of one of `names` (a callback, a method of an object literal),
 * defined outside `loop` and kept rather than passed straight to a call, writes or deletes from that
 * name while the loop makes a call that may run it:
 * `while (Object.keys(unvisited).length) dfs(g, k, { enter: (n) => { delete unvisited[n]; } })`
 * (issue 13 round 13: @antv/algorithm's detectDirectedCycle, judged wrong by both judges). `at` is
 * the finding, whose own call is not such a call. Only a write to `expr` itself, inside it or to a
 * prefix of it counts: `sax.parser = …` leaves `sax.XML_ENTITIES` as it was.
 */
export function changedByClosureCall(expr: SyntaxNode, loop: Loop, facts: EcmascriptFacts, at: SyntaxNode): boolean {
  const calls = loop.node.descendants().some((n) => n.type === 'call_expression' && !isPureCall(n) && !at.contains(n));
  if (!calls) return false;
  for (const name of referencedNames(expr)) {
    const decl = facts.declarationOf(name, at);
    if (!decl) continue;
    for (const n of decl.scope.descendants()) {
      if (n.type !== 'identifier' || n.text !== name || loop.node.contains(n)) continue;
      // A function kept for later (a callback in an object, a named function), not one passed straight
      // to a call outside the loop (`nodes.forEach((n) => { seen[n.id] = n; })` runs there and then).
      let inClosure = false;
      for (let a = n.parent; a && a !== decl.scope; a = a.parent) if (FUNCTION_TYPES.has(a.type) && a.parent?.type !== 'arguments') inClosure = true;
      if (inClosure && facts.declarationOf(name, n) === decl && isWrittenOrEscaping(n) && touches(n, expr.text)) return true;
    }
  }
  return false;
}

/** Is the member chain that `id` starts (`a`, `a.b`, `a.b[k]`) on, inside or a prefix of the path `path`? */
function touches(id: SyntaxNode, path: string): boolean {
  let node = id;
  for (;;) {
    if (node.text === path) return true;
    const p = node.parent;
    if (!p || (p.type !== 'member_expression' && p.type !== 'subscript_expression') || node.field !== 'object') break;
    node = p;
  }
  return path.startsWith(node.text) && /^[.[]/.test(path.slice(node.text.length));
}
