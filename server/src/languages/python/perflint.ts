// Shapes shared by the PERF40x ports: a `for` loop whose body is one statement, optionally under
// one `if` without `elif`/`else`.

import type { SyntaxNode } from '../../parsing';
import { statements } from './util';

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
