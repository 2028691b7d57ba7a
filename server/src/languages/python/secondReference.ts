// Whether CPython must copy a string on `+=` because something else refers to it (HP103's message):
// a cell variable, or a loop that stores the string elsewhere.
import type { SyntaxNode } from '../../parsing';
import { leavesAfter } from './loopPaths';
import { COMPREHENSION_TYPES } from './loops';
import { referencesIn, type NameInfo } from './scope';

/** Does a comprehension's loop target (`x`, `k, v`, `(a, [b, c])`) bind `name`? */
function bindsName(target: SyntaxNode | null, name: string): boolean {
  if (!target) return false;
  if (target.type === 'identifier') return target.text === name;
  if (!['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern', 'parenthesized_expression'].includes(target.type)) return false;
  return target.namedChildren.some((c) => bindsName(c, name));
}

/** Methods that store their argument in the receiver: a string passed to them gains a second reference. */
const STORING_METHODS = new Set(['append', 'extend', 'insert', 'add', 'appendleft', 'setdefault', 'put', 'put_nowait', 'push']);

/**
 * Does CPython keep a second reference to the string `name` of a function (so that `+=` must copy)?
 * The in-place resize (BINARY_OP followed by STORE_FAST to the same local, refcount 2) applies only to
 * a plain local: not to a cell variable (read by a nested function, lambda or, before 3.12, a
 * comprehension body) and not while the loop stores the string elsewhere (`parts.append(s)`,
 * `t = s`, `d[k] = s`, `[s]`, `yield s`).
 */
export function secondReference(info: NameInfo, name: string, loop: SyntaxNode): string | null {
  const scope = info.scope!;
  refs: for (const ref of referencesIn(scope, name)) {
    for (let a = ref.parent; a && a !== scope; a = a.parent) {
      if (a.type === 'function_definition' || a.type === 'lambda') return `\`${name}\` is read by a nested function`;
      if (COMPREHENSION_TYPES.has(a.type)) {
        const clauses = a.namedChildren.filter((c) => c.type === 'for_in_clause');
        if (clauses[0]?.child('right')?.contains(ref)) continue; // evaluated in the enclosing scope
        // `[len(str(x)) for x in keys]` binds its own `x`: that is not the string (issue 13 round 12: impacket wmi.py)
        if (clauses.some((c) => bindsName(c.child('left'), name))) continue refs;
        return `\`${name}\` is read inside a comprehension (a closure before Python 3.12)`;
      }
    }
    if (!loop.contains(ref)) continue;
    // `return [s]`, `raise E(s)`: the loop ends there, so no later step pays for the reference.
    if ([...ref.ancestors()].some((a) => a.type === 'return_statement' || a.type === 'raise_statement')) continue;
    // `segments = [s]` then `return f(segments)`: the same (issue 13 round 13: html5tagger `attributes`).
    if (leavesAfter(ref, loop)) continue;
    let e = ref;
    while (e.parent?.type === 'parenthesized_expression') e = e.parent;
    const p = e.parent;
    if (!p) continue;
    const stored =
      (p.type === 'assignment' && e.field === 'right' && p.child('left')?.text !== name) ||
      ['list', 'tuple', 'set', 'pair', 'yield', 'expression_list'].includes(p.type) ||
      (p.type === 'argument_list' && p.parent?.type === 'call' && STORING_METHODS.has(p.parent.child('function')?.child('attribute')?.text ?? ''));
    if (stored) return `the loop keeps another reference to \`${name}\``;
  }
  return null;
}
