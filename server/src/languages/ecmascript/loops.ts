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
      if (['function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function', 'generator_function_declaration', 'class_body'].includes(node.type)) return null;
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
