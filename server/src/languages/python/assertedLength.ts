import type { SyntaxNode } from '../../parsing';
import { SMALL_CAP } from '../../analysis/sizeVerdict';
import { bindingsOf, isNameRef, scopeOf } from './scope';
import { comparison, functionCall, integerValue, isTruthTest, methodCall, unparen } from './syntax';

/** `len(name)` (the builtin's call shape), or false. */
function isLenOf(node: SyntaxNode | null, name: string): boolean {
  const call = node ? functionCall(unparen(node) ?? node) : null;
  return !!call && call.name === 'len' && call.args.length === 1 && call.args[0].type === 'identifier' && call.args[0].text === name;
}

function smallInt(node: SyntaxNode | null | undefined): number | null {
  const v = integerValue(unparen(node));
  return v !== null && Number.isInteger(v) && v >= 0 && v <= SMALL_CAP ? v : null;
}

/**
 * The most items `assert <test>` allows `name` to hold: `len(name) in (3, 4)`, `len(name) == 4`,
 * `len(name) <= 4`, `len(name) < 5` (literal integers up to SMALL_CAP), or null.
 */
function assertedMax(test: SyntaxNode, name: string): number | null {
  const c = comparison(unparen(test) ?? test);
  if (!c || !isLenOf(c.left, name)) return null;
  if (c.op === 'in') {
    const set = unparen(c.right);
    if (!set || !['tuple', 'list', 'set'].includes(set.type) || set.namedChildren.length === 0) return null;
    const values = set.namedChildren.map((v) => smallInt(v));
    return values.every((v): v is number => v !== null) ? Math.max(...values) : null;
  }
  const k = smallInt(c.right);
  if (k === null) return null;
  if (c.op === '==' || c.op === '<=') return k;
  if (c.op === '<') return k - 1;
  return null;
}

/** A use of `name` that cannot add to it: `name.pop(…)`, `name[i]` read, a truth test, `len(name)`. */
function onlyTakes(ref: SyntaxNode): boolean {
  const p = ref.parent;
  if (!p) return false;
  if (p.type === 'attribute' && ref.field === 'object' && p.parent?.type === 'call' && p.field === 'function') return methodCall(p.parent)?.method === 'pop';
  if (p.type === 'subscript' && ref.field === 'value') {
    const q = p.parent;
    return !(q?.type === 'delete_statement' || ((q?.type === 'assignment' || q?.type === 'augmented_assignment') && p.field === 'left'));
  }
  if (isTruthTest(ref)) return true;
  return p.type === 'argument_list' && !!p.parent && isLenOf(p.parent, ref.text);
}

/** `name = list(…)` / `sorted(…)` / a list display or comprehension: a fresh list only this name holds. */
function freshListBinding(stmt: SyntaxNode, name: string): boolean {
  const a = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : null;
  if (a?.type !== 'assignment' || a.child('left')?.type !== 'identifier' || a.child('left')?.text !== name) return false;
  const right = a.child('right');
  const call = right ? functionCall(right) : null;
  return right?.type === 'list' || right?.type === 'list_comprehension' || (!!call && (call.name === 'list' || call.name === 'sorted') && call.args.length === 1);
}

/** Does every mention of `name` in `stmts` only take from it or read it? */
function onlyTaken(stmts: SyntaxNode[], name: string, skip: SyntaxNode | null): boolean {
  for (const t of stmts) {
    for (const n of [t, ...t.descendants()]) {
      if (n.type === 'identifier' && n.text === name && n !== skip && (!isNameRef(n) || !onlyTakes(n))) return false;
    }
  }
  return true;
}

/**
 * Can `name` grow out of sight in the function holding `loop` (review 14 B1)? A nested function, lambda
 * or class anywhere in it that mentions the name (a closure reads the list when called, so one defined
 * before the list is made appends to it: a BFS's `def push(x): children.append(x)`), a `global` /
 * `nonlocal` of the name, or a call in the loop of a function the enclosing function defines.
 */
function escapesThroughScope(name: string, loop: SyntaxNode): boolean {
  const fn = scopeOf(loop);
  const nested = fn.descendants().filter((n) => n !== fn && (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition'));
  if (nested.some((d) => d.descendants().some((n) => n.type === 'identifier' && n.text === name))) return true;
  if (fn.descendants().some((n) => (n.type === 'global_statement' || n.type === 'nonlocal_statement') && n.namedChildren.some((id) => id.text === name))) return true;
  const local = new Set([...bindingsOf(fn).values()].flat().filter((b) => b.kind === 'def').map((b) => b.name));
  return loop.descendants().some((n) => n.type === 'call' && n.child('function')?.type === 'identifier' && local.has(n.child('function')!.text));
}

/**
 * The length that an `assert` just before `loop` (a statement of the same block, before it) states for
 * the list `name`, when from that assert to the end of the loop nothing can add to it (every use only
 * takes from it or reads it, and nothing rebinds it): the loop's pops then move at most that many items
 * (cmakelang `_reflow`: `children = list(self.children)`, `assert len(children) in (3, 4)`, then
 * `while children: children.pop(0)`; issue 13 round 16, wrong by both judges). Null when not established.
 */
export function assertedLength(name: string, loop: SyntaxNode): number | null {
  const block = loop.parent;
  if (!block) return null;
  const stmts = block.namedChildren;
  const at = stmts.indexOf(loop);
  for (let i = at - 1; i >= 0; i--) {
    const s = stmts[i];
    if (s.type !== 'assert_statement') continue;
    const test = s.namedChildren[0];
    const max = test ? assertedMax(test, name) : null;
    if (max === null) continue;
    // The list is made fresh in this block before the assert, and from there to the end of the loop
    // every mention of the name only takes from it (no append, alias, call, or rebinding).
    let made = -1;
    for (let j = i - 1; j >= 0 && made < 0; j--) if (freshListBinding(stmts[j], name)) made = j;
    if (made < 0) return null;
    const lenRefs = [test, ...test.descendants()].filter((n) => n.type === 'identifier' && n.text === name);
    if (!onlyTaken(stmts.slice(made + 1, i), name, null) || !onlyTaken(stmts.slice(i + 1, at + 1), name, null) || lenRefs.length !== 1) return null;
    // Nor anywhere else in the function: a closure (defined before the list is made too) or a call out.
    if (escapesThroughScope(name, loop)) return null;
    return max;
  }
  return null;
}
