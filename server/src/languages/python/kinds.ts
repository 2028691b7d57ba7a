// What kind of value a Python expression or annotation evaluates to, as far as the syntax tells.

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

const BUILTIN_KINDS: Record<string, ValueKind> = {
  list: 'list', sorted: 'list', set: 'set', frozenset: 'set', dict: 'dict', tuple: 'tuple', str: 'str',
  int: 'number', float: 'number', len: 'number', sum: 'number', deque: 'deque', defaultdict: 'dict',
  OrderedDict: 'dict', Counter: 'dict', bool: 'bool', repr: 'str', chr: 'str', hex: 'str', oct: 'str', bin: 'str',
};

/** Annotation → kind: only concrete container types (list[int], List[int], dict, str, …). */
export function kindOfAnnotation(t: SyntaxNode | undefined | null): ValueKind {
  if (!t) return 'unknown';
  let n: SyntaxNode | undefined = t.type === 'type' ? t.namedChildren[0] : t;
  if (!n) return 'unknown';
  if (n.type === 'generic_type') n = n.namedChildren[0];
  else if (n.type === 'subscript') n = n.child('value') ?? undefined;
  if (!n) return 'unknown';
  let name = n.text;
  if (n.type === 'attribute') name = n.child('object')?.text === 'typing' ? n.child('attribute')?.text ?? '' : '';
  switch (name) {
    case 'list':
    case 'List':
      return 'list';
    case 'dict':
    case 'Dict':
      return 'dict';
    case 'set':
    case 'Set':
    case 'frozenset':
    case 'FrozenSet':
      return 'set';
    case 'str':
      return 'str';
    case 'tuple':
    case 'Tuple':
      return 'tuple';
    case 'int':
    case 'float':
      return 'number';
    case 'deque':
      return 'deque';
    default:
      return 'unknown';
  }
}

/** Kind of an expression, stricter than kindOfExpression about attribute calls (`obj.list()` is unknown). */
export function kindOf(node: SyntaxNode | null | undefined): ValueKind {
  if (!node) return 'unknown';
  switch (node.type) {
    case 'call': {
      const fn = node.child('function');
      if (fn?.type === 'identifier') return BUILTIN_KINDS[fn.text] ?? 'unknown';
      if (fn?.type === 'attribute') {
        const obj = fn.child('object');
        const attr = fn.child('attribute')?.text ?? '';
        if (obj?.type === 'identifier' && obj.text === 'collections' && ['deque', 'defaultdict', 'OrderedDict', 'Counter'].includes(attr)) return BUILTIN_KINDS[attr];
        if (attr === 'join' && (obj?.type === 'string' || obj?.type === 'concatenated_string')) return 'str';
        if ((obj?.type === 'string' || obj?.type === 'concatenated_string') && ['format', 'strip', 'lower', 'upper', 'replace'].includes(attr)) return 'str';
      }
      return 'unknown';
    }
    case 'binary_operator': {
      const op = node.child('operator')?.text;
      const l = kindOf(node.child('left'));
      const r = kindOf(node.child('right'));
      if (op === '*' && ((l === 'list' && r === 'number') || (l === 'number' && r === 'list'))) return 'list';
      if (op === '+' && l === r && (l === 'list' || l === 'str' || l === 'tuple')) return l;
      if (op === '%' && l === 'str') return 'str';
      return 'unknown';
    }
    case 'parenthesized_expression':
      return kindOf(node.namedChildren[0]);
    case 'conditional_expression': {
      const [a, , b] = node.namedChildren;
      const ka = kindOf(a);
      return ka === kindOf(b) ? ka : 'unknown';
    }
    default:
      return kindOfExpression(node);
  }
}
