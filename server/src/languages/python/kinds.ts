// What kind of value a Python expression evaluates to, as far as the syntax tells.

import type { ValueKind } from '../../analysis/module';
import type { SyntaxNode } from '../../parsing';

const CONSTRUCTORS: Record<string, ValueKind> = {
  list: 'list', set: 'set', frozenset: 'set', dict: 'dict', tuple: 'tuple', str: 'str',
  int: 'number', float: 'number', len: 'number', sum: 'number', sorted: 'list', deque: 'deque',
  defaultdict: 'dict', OrderedDict: 'dict', Counter: 'dict', bool: 'bool',
};

export function kindOfExpression(node: SyntaxNode | null, depth = 0): ValueKind {
  // Bounded: a chain of thousands of operators must not overflow the stack.
  if (!node || depth > 200) return 'unknown';
  switch (node.type) {
    case 'list':
    case 'list_comprehension':
      return 'list';
    case 'set':
    case 'set_comprehension':
      return 'set';
    case 'dictionary':
    case 'dictionary_comprehension':
      return 'dict';
    case 'tuple':
      return 'tuple';
    case 'string':
    case 'concatenated_string':
      return 'str';
    case 'integer':
    case 'float':
      return 'number';
    case 'true':
    case 'false':
      return 'bool';
    case 'none':
      return 'none';
    case 'parenthesized_expression':
      return kindOfExpression(node.namedChildren[0] ?? null, depth + 1);
    case 'call': {
      const fn = node.child('function');
      if (!fn) return 'unknown';
      const name = fn.type === 'identifier' ? fn.text : fn.type === 'attribute' ? fn.child('attribute')?.text ?? '' : '';
      if (fn.type === 'attribute' && name === 'join' && fn.child('object')?.type === 'string') return 'str';
      if (fn.type === 'attribute' && name === 'copy') return 'unknown';
      return CONSTRUCTORS[name] ?? 'unknown';
    }
    case 'binary_operator': {
      const left = kindOfExpression(node.child('left'), depth + 1);
      const right = kindOfExpression(node.child('right'), depth + 1);
      if (left === right && (left === 'list' || left === 'str' || left === 'number' || left === 'tuple')) return left;
      return 'unknown';
    }
    default:
      return 'unknown';
  }
}
