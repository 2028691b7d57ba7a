// An array declared with a literal length and afterwards only narrowed by its own `.filter(…)` /
// `.slice(…)` (`let pairs = [a, b, c, d]; pairs = pairs.filter(overlaps)`): it can hold at most the
// literal's items (issue 13 round 15, in sample since round 16: bezier-js `utils.pairiteration`'s
// four sub-curve pairs, an HP207 concat over them judged wrong by both judges).
import { SMALL_CAP, type SizeEvidence } from '../../analysis/sizeVerdict';
import type { SyntaxNode } from '../../parsing';
import { keptAsDeclared, literalArrayLength, unwrap } from './syntax';

const NARROWING = new Set(['filter', 'slice']);

/** `name = name.filter(…)` / `name = name.slice(…)`: an assignment that keeps at most what the name held. */
function narrowsItself(assign: SyntaxNode, name: string): boolean {
  const left = assign.child('left');
  const right = assign.child('right');
  if (assign.type !== 'assignment_expression' || left?.type !== 'identifier' || left.text !== name || right?.type !== 'call_expression') return false;
  const callee = right.child('function');
  return callee?.type === 'member_expression' && callee.child('object')?.type === 'identifier' && callee.child('object')?.text === name && NARROWING.has(callee.child('property')?.text ?? '');
}

/** The length of an array display without spreads (`[a, b, c, d]`) or of `Array(K)`, up to SMALL_CAP; else null. */
function declaredLength(value: SyntaxNode | null | undefined): number | null {
  const e = unwrap(value ?? null);
  if (e?.type === 'array') {
    const items = e.namedChildren.filter((c) => c.type !== 'comment');
    return items.length <= SMALL_CAP && !items.some((c) => c.type === 'spread_element') ? items.length : null;
  }
  return literalArrayLength(e);
}

/**
 * Bounded evidence for `name` declared in `scope` with a literal length (`value`, the declared value:
 * an array display without spreads, or `Array(K)`) when every change of it in the scope is `name = name.filter(…)` or `.slice(…)`:
 * each such assignment is checked as if it were not there (keptAsDeclared on the scope with the
 * narrowing assignments' left sides ignored), so a push, a store, an alias or any other rebinding
 * still voids it. Null when not established.
 */
export function shrunkLiteralEvidence(name: string, scope: SyntaxNode, value: SyntaxNode | null | undefined): SizeEvidence | null {
  if (declaredLength(value) === null) return null;
  const narrowing = scope.descendants().filter((n) => n.type === 'assignment_expression' && n.child('left')?.type === 'identifier' && n.child('left')?.text === name);
  if (narrowing.length === 0 || !narrowing.every((a) => narrowsItself(a, name))) return null;
  // Every other mention must keep it as declared: read the scope as if the narrowing assignments' left
  // sides were another name (a narrowing's own receiver `name.filter` is a read).
  const ignored = new Set(narrowing.map((a) => a.child('left')!.startIndex));
  if (!keptAsDeclared(name, scope, (id) => ignored.has(id.startIndex))) return null;
  return { sized: false, why: `\`${name}\` has a literal length that only its own .filter()/.slice() narrows`, small: true, bounded: true };
}
