// Loop helpers shared by the rules: constant-size loops and the span that points at a loop.
import type { SyntaxNode } from '../../parsing';
import { isConstantArrayLiteral, unwrap, type Loop } from './scope';

/** A loop whose number of iterations is fixed in the code: over an array literal, or `i < 4`. */
export function isConstantLoop(loop: Loop): boolean {
  if (loop.iterable && isConstantArrayLiteral(loop.iterable)) return true;
  if (loop.node.type === 'for_statement') {
    const cond = unwrap(loop.node.child('condition'));
    const test = cond?.type === 'expression_statement' ? unwrap(cond.namedChildren[0] ?? null) : cond;
    if (test?.type === 'binary_expression' && ['<', '<='].includes(test.child('operator')?.text ?? '')) {
      const bound = unwrap(test.child('right'));
      if (bound?.type === 'number' && Number(bound.text) <= 64) return true;
    }
  }
  return false;
}

/** The related span that names the loop a finding repeats in. */
export function loopRelated(loop: Loop, message = 'repeated on every iteration of this loop'): { node: { startIndex: number; endIndex: number }; message: string } {
  return { node: loop.header, message };
}

/** A short description of the loop for messages: "loop" or "`xs.map` callback". */
export function loopLabel(loop: Loop): string {
  return loop.kind === 'callback' ? `\`${loop.method}\` callback` : 'loop';
}

export type { Loop, SyntaxNode };
