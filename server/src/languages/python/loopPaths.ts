// Where a loop's paths go, for the string-concatenation rule (HP103): whether a reference to the
// string is made only on a path that leaves the function, and whether the loop drains the value it grows.
import type { SyntaxNode } from '../../parsing';

const LOOPS = new Set(['for_statement', 'while_statement']);

/**
 * Does every path from `ref` leave the function before the loop's next step: a `return` or `raise`
 * later in its block, or in an enclosing block of the loop's body that it falls through to, with no
 * `continue`, `break` or nested loop on the way?
 */
export function leavesAfter(ref: SyntaxNode, loop: SyntaxNode): boolean {
  for (let s = ref; s.parent && s !== loop; s = s.parent) {
    if (LOOPS.has(s.type) && s !== ref) return false;
    const block = s.parent;
    if (block.type !== 'block') continue;
    if (block.parent === loop) {
      // The loop's own body: what follows `s` there runs before the next step.
      return block.namedChildren.some((c) => c.startIndex > s.startIndex && exits(c) && !block.namedChildren.some((d) => d.startIndex > s.startIndex && d.startIndex < c.startIndex && loopControl(d)));
    }
    for (const c of block.namedChildren) {
      if (c.startIndex <= s.startIndex) continue;
      if (exits(c)) return true;
      if (loopControl(c)) return false;
    }
  }
  return false;
}

const exits = (n: SyntaxNode): boolean => n.type === 'return_statement' || n.type === 'raise_statement';
const loopControl = (n: SyntaxNode): boolean => n.descendants().some((d) => d.type === 'continue_statement' || d.type === 'break_statement' || LOOPS.has(d.type));

/** `name = name[k:]` (the front dropped) inside `loop`: the assignment's text, or null. */
export function drainedBy(loop: SyntaxNode, name: string): string | null {
  for (const d of loop.descendants()) {
    if (d.type !== 'assignment' || d.child('left')?.text !== name) continue;
    const right = d.child('right');
    const slice = right?.type === 'subscript' && right.child('value')?.text === name ? right.namedChildren.find((c) => c.type === 'slice') : undefined;
    if (slice && slice.namedChildren.length === 1 && slice.startIndex === slice.namedChildren[0].startIndex) return d.text;
  }
  return null;
}
