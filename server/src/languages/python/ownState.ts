// Loops over the receiver's own state (`for part in self.partition_maps`, `for e in self.get_entries()`):
// what they walk is the object's, not an input the method is given, so they show no size that grows
// with the input (issue 13 round 13: pycdlib's partition maps and allocation descriptors, xdis's line
// tables, pyfatfs's long-file-name entries, all judged pointless by both judges).
import { shortText } from '../../analysis/sizeVerdict';
import type { SyntaxNode } from '../../parsing';
import { isReceiverParameter } from './sizes';
import { functionCall, methodCall, unparen } from './syntax';

/** Builtins that walk their first argument once: the loop runs over that argument's elements. */
const WALKERS = new Set(['enumerate', 'sorted', 'reversed', 'list', 'tuple', 'iter']);
const VIEWS = new Set(['items', 'keys', 'values']);
const LITERALS = new Set(['integer', 'float', 'string', 'true', 'false', 'none']);

/**
 * The iterable of a `for` loop when it is a field of the method's receiver or what a method of the
 * receiver returns given nothing or literals (`self.X`, `self.X()`, through `enumerate`, `sorted`, `.items()` and the like), as
 * text for a message; null for anything else (a parameter, a local, `self.a.b`, a while loop).
 */
export function ownStateLoop(loop: SyntaxNode): string | null {
  if (loop.type !== 'for_statement') return null;
  let it = unparen(loop.child('right'));
  for (let step = 0; it && step < 4; step++) {
    const f = functionCall(it);
    if (f && WALKERS.has(f.name) && f.args.length >= 1) it = unparen(f.args[0]);
    else if (methodCall(it) && VIEWS.has(methodCall(it)!.method)) it = unparen(methodCall(it)!.receiver);
    else break;
  }
  if (!it) return null;
  // `self.tokenize(text)`: what the call walks comes from its arguments, an input (review 11 S2); only
  // a call given nothing or literals returns the object's own state.
  if (it.type === 'call' && (it.child('arguments')?.namedChildren ?? []).some((a) => !LITERALS.has(a.type))) return null;
  const field = it.type === 'call' ? unparen(it.child('function')) : it;
  const obj = field?.type === 'attribute' ? unparen(field.child('object')) : null;
  return obj?.type === 'identifier' && isReceiverParameter(obj) ? shortText(it, 40) : null;
}

/** A loop over the receiver's own state as size evidence: none, with the reason; null for other loops. */
export function ownStateEvidence(loop: SyntaxNode): { sized: false; why: string } | null {
  const own = ownStateLoop(loop);
  return own ? { sized: false, why: `the loop walks \`${own}\`, this object's own state, not an input the method is given` } : null;
}
