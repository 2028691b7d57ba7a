// Is the value of an expression only read where it is used? For rules that suggest computing a
// value once before a loop: a value that is mutated after being built must stay per iteration.

import type { SyntaxNode } from '../../parsing';
import { PURE_BUILTINS, READ_METHODS } from './loops';
import { isNameRef, storeContext } from './scope';
import { comparison, functionCall, isTruthTest } from './util';

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
