// Shapes shared by the PERF40x ports: a `for` loop whose body is one statement, optionally under
// one `if` without `elif`/`else`.

import type { Replacement } from '../../analysis/rule';
import type { SyntaxNode } from '../../parsing';
import { bindingsOf, scopeOf } from './scope';
import { functionCall as fnCall, statements } from './syntax';

export interface LoopBodyShape {
  stmt: SyntaxNode;
  test: SyntaxNode | null;
}

export function singleStatementBody(loop: SyntaxNode): LoopBodyShape | null {
  const body = statements(loop.child('body'));
  if (body.length !== 1) return null;
  const only = body[0];
  if (only.type === 'if_statement') {
    if (only.childrenIn('alternative').length > 0) return null;
    const inner = statements(only.child('consequence'));
    if (inner.length !== 1) return null;
    return { stmt: inner[0], test: only.child('condition') };
  }
  return { stmt: only, test: null };
}

/** Does `expr` contain a reference to the plain name `name`? */
export function mentions(expr: SyntaxNode | null | undefined, name: string): boolean {
  if (!expr) return false;
  for (const n of expr.descendants()) {
    if (n.type === 'identifier' && n.text === name) {
      const p = n.parent;
      if (p?.type === 'attribute' && n.field === 'attribute') continue;
      if (p?.type === 'keyword_argument' && n.field === 'name') continue;
      return true;
    }
  }
  return false;
}

export function isAsyncFor(loop: SyntaxNode): boolean {
  return loop.children.some((c) => c.type === 'async');
}


/** Text of an expression as it may appear inside a comprehension clause. */
function clauseText(n: SyntaxNode): string {
  if (n.type === 'named_expression' || n.type === 'conditional_expression' || n.type === 'lambda' || n.type === 'expression_list') return `(${n.text})`;
  return n.text;
}

/** The statement's whole line range (indentation and newline), or null if it shares its line. */
function lineRange(source: string, stmt: SyntaxNode): { startIndex: number; endIndex: number } | null {
  const lineStart = source.lastIndexOf('\n', stmt.startIndex - 1) + 1;
  if (source.slice(lineStart, stmt.startIndex).trim() !== '') return null;
  let lineEnd = source.indexOf('\n', stmt.endIndex);
  if (lineEnd === -1) lineEnd = source.length;
  if (source.slice(stmt.endIndex, lineEnd).trim() !== '') return null;
  return { startIndex: lineStart, endIndex: Math.min(lineEnd + 1, source.length) };
}

export interface ComprehensionPlan {
  /** `[`…`]` or `{`…`}` and the element text. */
  open: string;
  close: string;
  element: string;
  /** The collection's name and the constructor whose empty call counts as empty (`list`, `dict`). */
  name: string;
  ctor: 'list' | 'dict';
  /** The method for the in-place form (`extend`, `update`). */
  method: string;
  /** When the whole loop is a plain copy (`list(xs)`), the direct constructor form. */
  copy?: boolean;
}

/**
 * The binding that makes `name` a fresh, empty `list`/`dict` when `loop` starts: its one binding,
 * `name = []` (or `{}`, `list()`, `dict()`), a statement before the loop in the same block with no
 * statement in between that mentions `name` (right before it, as Ruff asks, or a few unrelated
 * statements above: `t = []; retval = "["; for u in v: t.append(…)`, toml's encoder, new-user trial 9).
 * Otherwise null: the container may already hold items (a work stack, a dict filled earlier), and a
 * comprehension cannot replace the loop.
 */
export function freshBinding(loop: SyntaxNode, name: string, ctor: 'list' | 'dict') {
  const bindings = bindingsOf(scopeOf(loop)).get(name) ?? [];
  const b = bindings.length === 1 ? bindings[0] : null;
  const stmt = b?.site.parent;
  const block = loop.parent?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
  const at = stmt ? block.indexOf(stmt) : -1;
  const between = at >= 0 ? block.slice(at + 1, block.indexOf(loop)) : [];
  const adjacent = at >= 0 && at < block.indexOf(loop) && between.every((s) => !s.descendants().some((n) => n.type === 'identifier' && n.text === name));
  const emptyValue = b?.kind === 'assign' && !b.chained && b.value && ((ctor === 'list' && b.value.type === 'list' && b.value.namedChildren.length === 0) || (ctor === 'dict' && b.value.type === 'dictionary' && b.value.namedChildren.length === 0) || (fnCall(b.value)?.name === ctor && fnCall(b.value)!.args.length === 0 && !fnCall(b.value)!.hasKeywords));
  return b && stmt?.type === 'expression_statement' && adjacent && emptyValue ? b : null;
}

/**
 * Ruff's PERF401/403 rewrite: when the collection is bound to an empty literal (or `list()`/`dict()`)
 * in the same block, right before the loop with no use in between, replace the loop with
 * `name = <comprehension>` and delete the binding; otherwise `name.extend([<comprehension>])` for a
 * list (never `extend(<generator>)`: measured slower than the loop, bench/fixes.bench.ts) and nothing
 * for a dict (`update(…)` measured slower than the loop). Null (no fix) for comments inside the loop,
 * code outside functions, loops inside `try` (the items added before an exception would be lost),
 * a loop target declared `global`/`nonlocal` (a comprehension's variable is its own), or anything
 * unusual.
 */
export function comprehensionFix(source: string, loop: SyntaxNode, test: SyntaxNode | null, plan: ComprehensionPlan): Replacement[] | null {
  const scope = scopeOf(loop);
  if (scope.type !== 'function_definition') return null;
  if ([...loop.descendants()].some((n) => n.type === 'comment' || n.type === 'yield')) return null;
  const target = loop.child('left');
  const iter = loop.child('right');
  if (!target || !iter) return null;
  const isAsync = isAsyncFor(loop);
  const forKw = isAsync ? 'async for' : 'for';
  const clauses = `${forKw} ${target.text} in ${clauseText(iter)}${test ? ` if ${clauseText(test)}` : ''}`;
  const loopLines = lineRange(source, loop);
  if (!loopLines) return null;
  const indent = source.slice(loopLines.startIndex, loop.startIndex);
  const lineEnd = source.slice(loop.endIndex, loopLines.endIndex).endsWith('\n') ? '\n' : '';
  const replaceLoop = (text: string): Replacement => ({ startIndex: loopLines.startIndex, endIndex: loopLines.endIndex, newText: `${indent}${text}${lineEnd}` });
  const underTry = [...loop.ancestors()].some((a) => scope.contains(a) && a !== scope && a.type === 'try_statement');
  if (underTry) return null;
  const declared = bindingsOf(scope);
  for (const n of [target, ...target.descendants()]) {
    if (n.type === 'identifier' && (declared.get(n.text) ?? []).some((b) => b.kind === 'declare')) return null;
  }

  const b = freshBinding(loop, plan.name, plan.ctor);
  const stmt = b?.site.parent;
  if (b && stmt && !underTry) {
    const del = lineRange(source, stmt);
    if (!del) return null;
    const annotation = b.annotation ? `: ${b.annotation.text}` : '';
    const value = plan.copy && !isAsync ? `${plan.ctor}(${clauseText(iter)})` : `${plan.open}${plan.element} ${clauses}${plan.close}`;
    return [{ startIndex: del.startIndex, endIndex: del.endIndex, newText: '' }, replaceLoop(`${plan.name}${annotation} = ${value}`)];
  }
  if (plan.copy && !isAsync) return [replaceLoop(`${plan.name}.${plan.method}(${clauseText(iter)})`)];
  if (plan.ctor !== 'list') return null;
  return [replaceLoop(`${plan.name}.${plan.method}([${plan.element} ${clauses}])`)];
}
