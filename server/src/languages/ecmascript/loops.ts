// Loops around a node (statements and iteration callbacks such as `xs.map(fn)`), constant-size
// loops, and the spans and anchors that point at a loop.
import type { SyntaxNode } from '../../parsing';
import { FUNCTION_TYPES, isConstantArrayLiteral, isPlainFunctionExpression, parameters, patternNames, unwrap } from './syntax';

/**
 * A loop whose number of iterations is fixed in the code: over an array literal, `i < 4`, or a
 * `while` that fills an array up to a small length (`while (chars.length < 9)`: padding, issue 13 round 9).
 */
export function isConstantLoop(loop: Loop): boolean {
  if (loop.iterable && isConstantArrayLiteral(loop.iterable)) return true;
  const test = upperBoundTest(loop);
  const small = test?.bound?.type === 'number' && Number(test.bound.text) <= 64;
  if (loop.node.type === 'while_statement') return small && test?.left?.type === 'member_expression' && test.left.child('property')?.text === 'length';
  return loop.node.type === 'for_statement' && small;
}

/** A `for`/`while` loop's test when it is `left < bound` or `left <= bound` (parentheses removed), else null. */
export function upperBoundTest(loop: Loop): { left: SyntaxNode | null; bound: SyntaxNode | null } | null {
  const cond = unwrap(loop.node.child('condition'));
  const test = cond?.type === 'expression_statement' || cond?.type === 'parenthesized_expression' ? unwrap(cond.namedChildren[0] ?? null) : cond;
  if (test?.type !== 'binary_expression' || !['<', '<='].includes(test.child('operator')?.text ?? '')) return null;
  return { left: unwrap(test.child('left')), bound: unwrap(test.child('right')) };
}

/** The related span that names the loop a finding repeats in. */
export function loopRelated(loop: Loop, message = 'repeated on every iteration of this loop'): { node: { startIndex: number; endIndex: number }; message: string } {
  return { node: loop.header, message };
}

/** A short description of the loop for messages: "loop" or "`xs.map` callback". */
export function loopLabel(loop: Loop): string {
  return loop.kind === 'callback' ? `\`${loop.method}\` callback` : 'loop';
}


const STATEMENT_PARENTS = new Set(['statement_block', 'program']);

/**
 * The statement in front of which code that must run once before `loop` can be inserted: the loop
 * statement itself (or its label), or, for a callback loop, the statement holding the call, when no
 * other function lies in between (its body might run later, or with other bindings in scope).
 */
export function hoistAnchor(loop: Loop): SyntaxNode | null {
  let node: SyntaxNode | null = loop.node;
  if (loop.kind === 'callback') {
    for (node = loop.node.parent; node && !(node.parent && STATEMENT_PARENTS.has(node.parent.type)); node = node.parent) {
      if (FUNCTION_TYPES.has(node.type) || node.type === 'class_body') return null;
    }
    if (!node) return null;
  } else if (node.parent?.type === 'labeled_statement') node = node.parent;
  if (!node?.parent || !STATEMENT_PARENTS.has(node.parent.type)) return null;
  if (!/statement|declaration$/.test(node.type)) return null;
  return node;
}

/** Insert `line` on its own line before `anchor`, with the anchor's indentation (null if the anchor does not start its line). */
export function insertLineBefore(source: string, anchor: SyntaxNode, line: string): { startIndex: number; endIndex: number; newText: string } | null {
  const lineStart = source.lastIndexOf('\n', anchor.startIndex - 1) + 1;
  const indent = source.slice(lineStart, anchor.startIndex);
  if (!/^[ \t]*$/.test(indent)) return null;
  return { startIndex: anchor.startIndex, endIndex: anchor.startIndex, newText: `${line}\n${indent}` };
}

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
export function methodCallParts(call: SyntaxNode): { member: SyntaxNode; method: string; args: readonly SyntaxNode[] } | null {
  if (call.type !== 'call_expression') return null;
  const member = unwrap(call.child('function'));
  if (member?.type !== 'member_expression') return null;
  return { member, method: member.child('property')?.text ?? '', args: call.child('arguments')?.namedChildren ?? [] };
}

/** The call `recv.method(fn, …)` that `fn` is the callback of, for iteration methods. */
export function iterationCallOf(fn: SyntaxNode): { call: SyntaxNode; member: SyntaxNode; method: string } | null {
  if (!isPlainFunctionExpression(fn)) return null;
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

/**
 * `while (lines.length) { const line = lines.shift(); if (!…) break; }`: a loop that takes items off
 * the front of an array, never adds to it (putting one back with `unshift` is allowed) and leaves by
 * `break` reads a prefix of it and hands the rest back (python/loops.ts consumedPrefix). Returns the
 * array's text, or null.
 */
export function consumedPrefix(loop: Loop): string | null {
  if (loop.kind !== 'statement' || loop.node.type !== 'while_statement') return null;
  const body = loop.node.child('body');
  if (!body) return null;
  let breaks = false;
  const fronts = new Set<string>();
  const grown = new Set<string>();
  const walk = (n: SyntaxNode, nested: boolean): void => {
    for (const c of n.namedChildren) {
      if (FUNCTION_TYPES.has(c.type)) continue;
      if (c.type === 'break_statement' && !nested && !c.namedChildren.length) breaks = true;
      const fn = c.type === 'call_expression' ? unwrap(c.child('function')) : null;
      if (fn?.type === 'member_expression') {
        const method = fn.child('property')?.text ?? '';
        const recv = unwrap(fn.child('object'))?.text ?? '';
        if (method === 'shift') fronts.add(recv);
        else if (['push', 'splice', 'concat'].includes(method)) grown.add(recv);
      }
      const loopish = ['for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'switch_statement'].includes(c.type);
      // A string's tokens hold none of these (and an opaque literal's would be loaded from the tree to be read: parsing/opaque.ts).
      if (!c.isOpaque) walk(c, nested || loopish);
    }
  };
  walk(body, false);
  if (!breaks) return null;
  const cond = loop.node.child('condition');
  const named = cond ? [cond, ...cond.descendants()].map((n) => n.text) : [];
  return [...fronts].find((f) => !grown.has(f) && named.includes(f)) ?? null;
}

/**
 * Is `name` a different array on every iteration of `loop` (python/loops.ts freshEachIteration): a
 * loop variable or callback parameter, declared inside the loop's body (`const row = rows[i]`), or
 * assigned there a value that does not start from the name itself (`parts = line.split(',')`; not
 * `q = q.concat(x)`)?
 */
export function freshEachIteration(name: string, loop: Loop): boolean {
  if (loop.iterationNames.includes(name)) return true;
  for (const region of loop.perIteration) {
    for (const n of region.descendants()) {
      if (FUNCTION_TYPES.has(n.type) && n !== loop.node) continue;
      const bound = n.type === 'variable_declarator' ? n.child('name') : n.type === 'assignment_expression' ? unwrap(n.child('left')) : null;
      if (bound?.type !== 'identifier' || bound.text !== name) continue;
      const value = n.child(n.type === 'variable_declarator' ? 'value' : 'right');
      if (n.type === 'variable_declarator' || (value && ![value, ...value.descendants()].some((x) => x.type === 'identifier' && x.text === name))) return true;
    }
  }
  return false;
}
