// Syntax helpers of JavaScript/TypeScript shared by the other helper files and the rules: functions,
// parameters, patterns, names an expression reads, wrappers (parentheses, `as`, `!`).

import type { SyntaxNode } from '../../parsing';
import { SMALL_CAP } from '../../analysis/sizeVerdict';

export const FUNCTION_TYPES = new Set([
  'function_declaration',
  'generator_function_declaration',
  'function_expression',
  'function',
  'generator_function',
  'arrow_function',
  'method_definition',
]);

export function isFunction(node: SyntaxNode): boolean {
  return FUNCTION_TYPES.has(node.type);
}

/** An arrow function or a `function` expression, not a generator: a value whose body runs when it is called (a callback). */
export function isPlainFunctionExpression(node: SyntaxNode | null | undefined): node is SyntaxNode {
  return !!node && (node.type === 'arrow_function' || node.type === 'function_expression' || node.type === 'function');
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
export function parameterIdentifier(p: SyntaxNode): SyntaxNode | null {
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
export function parameters(fn: SyntaxNode): readonly SyntaxNode[] {
  const single = fn.child('parameter');
  if (single) return [single];
  return fn.child('parameters')?.namedChildren ?? [];
}

/** Names of a function's simple parameters, in order (null for a destructured one). */
export function parameterNames(fn: SyntaxNode): (string | null)[] {
  return parameters(fn).map((p) => parameterIdentifier(p)?.text ?? null);
}

/** `['a', 'b']`: a non-empty array literal without spread elements (its size is fixed in the code). */
export function isConstantArrayLiteral(node: SyntaxNode | null): boolean {
  node = unwrap(node);
  return node?.type === 'array' && node.namedChildren.length > 0 && node.namedChildren.every((c) => c.type !== 'spread_element' && c.type !== 'comment');
}

/**
 * `Array(63)`, `new Array(63)`, `Array(63).fill(0)`: an array whose length is an integer literal of at
 * most 4,096 (issue 13 round 16: jay-peg's 63-entry marker table, HP202 wrong by both judges). The
 * length, or null (`Array(n)`, a larger literal, `Array(1, 2)`: two elements, not a length).
 */
export function literalArrayLength(node: SyntaxNode | null): number | null {
  const e = unwrap(node);
  if (e?.type !== 'call_expression' && e?.type !== 'new_expression') return null;
  const callee = unwrap(e.child(e.type === 'new_expression' ? 'constructor' : 'function'));
  if (callee?.type === 'member_expression' && callee.child('property')?.text === 'fill' && e.type === 'call_expression') return literalArrayLength(callee.child('object'));
  const args = (e.child('arguments')?.namedChildren ?? []).filter((c) => c.type !== 'comment');
  if (callee?.text !== 'Array' || args.length !== 1 || args[0].type !== 'number' || !/^\d+$/.test(args[0].text)) return null;
  const n = Number(args[0].text);
  return n <= SMALL_CAP ? n : null;
}

const PATTERNS = new Set(['array_pattern', 'object_pattern', 'pair_pattern', 'assignment_pattern', 'rest_pattern']);

/**
 * Is the array `name` kept as declared in `scope`: never assigned again, stored into, grown
 * (push/unshift/splice, `length =`) or handed on (an argument, a spread, an element, another name's
 * value)? Only then does `const table = Array(4).fill(0)` keep its literal length (review 13 S3:
 * `table = table.concat(items)`, `table.push(...items)`).
 */
export function keptAsDeclared(name: string, scope: SyntaxNode, ignore?: (id: SyntaxNode) => boolean): boolean {
  const is = (a: SyntaxNode | null, b: SyntaxNode) => !!a && a.startIndex === b.startIndex && a.endIndex === b.endIndex;
  return !scope.descendants().some((n) => {
    // Review 14 S5: `({ name } = …)` binds it too (a shorthand pattern is not an identifier node).
    if (n.type === 'shorthand_property_identifier_pattern' && n.text === name && !ignore?.(n)) return true;
    const p = n.type === 'identifier' && n.text === name && !ignore?.(n) ? n.parent : null;
    if (!p) return false;
    if (p.type === 'variable_declarator') return is(p.child('value'), n);
    // Rebound by a destructuring pattern (`[name] = [items]`) or a `for (name of …)` head.
    if (PATTERNS.has(p.type)) return p.type === 'pair_pattern' ? is(p.child('value'), n) : p.type === 'assignment_pattern' ? is(p.child('left'), n) : true;
    if (p.type === 'for_in_statement') return is(p.child('left'), n);
    if (p.type === 'assignment_expression' || p.type === 'augmented_assignment_expression' || p.type === 'update_expression' || p.type === 'arguments' || p.type === 'spread_element' || p.type === 'array' || p.type === 'pair') return true;
    const g = p.parent;
    const stored = !!g && (g.type === 'assignment_expression' || g.type === 'augmented_assignment_expression') && is(g.child('left'), p);
    if (p.type === 'subscript_expression') return is(p.child('object'), n) && stored;
    if (p.type === 'member_expression') return is(p.child('object'), n) && (stored || ['push', 'unshift', 'splice'].includes(p.child('property')?.text ?? ''));
    return false;
  });
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
    const children = n.codeChildren;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}
