// What kind of value a JavaScript/TypeScript expression evaluates to, as far as the syntax tells.

import type { ValueKind } from '../../analysis/module';
import type { SyntaxNode } from '../../parsing';

const NEW_KINDS: Record<string, ValueKind> = { Set: 'set', Map: 'map', Array: 'list', WeakMap: 'map', WeakSet: 'set' };

export function kindOfExpression(node: SyntaxNode | null, depth = 0): ValueKind {
  // Bounded: a chain of thousands of operators must not overflow the stack.
  if (!node || depth > 200) return 'unknown';
  switch (node.type) {
    case 'array':
      return 'list';
    case 'object':
      return 'dict';
    case 'string':
    case 'template_string':
      return 'str';
    case 'number':
      return 'number';
    case 'true':
    case 'false':
      return 'bool';
    case 'null':
    case 'undefined':
      return 'none';
    case 'arrow_function':
    case 'function_expression':
    case 'function':
      return 'function';
    case 'class':
      return 'class';
    case 'parenthesized_expression':
      return kindOfExpression(node.namedChildren[0] ?? null, depth + 1);
    case 'as_expression':
    case 'satisfies_expression':
    case 'non_null_expression':
      return kindOfExpression(node.namedChildren[0] ?? null, depth + 1);
    case 'new_expression': {
      const ctor = node.child('constructor');
      return (ctor && NEW_KINDS[ctor.text]) || 'unknown';
    }
    case 'call_expression': {
      const fn = node.child('function');
      if (!fn) return 'unknown';
      const text = fn.text;
      if (text === 'Array.from' || text === 'Array.of' || text === 'Object.keys' || text === 'Object.values' || text === 'Object.entries') return 'list';
      if (fn.type === 'member_expression') {
        const prop = fn.child('property')?.text;
        if (prop && ['map', 'filter', 'slice', 'concat', 'flat', 'flatMap', 'toSorted', 'toReversed'].includes(prop) && kindOfExpression(fn.child('object'), depth + 1) === 'list') return 'list';
      }
      return 'unknown';
    }
    default:
      return 'unknown';
  }
}

const GENERIC_KINDS: Record<string, ValueKind> = {
  Array: 'list',
  ReadonlyArray: 'list',
  Set: 'set',
  ReadonlySet: 'set',
  WeakSet: 'set',
  Map: 'map',
  ReadonlyMap: 'map',
  WeakMap: 'map',
};

/** The kind of a TypeScript type (`T[]`, `Array<T>`, `readonly T[]`, `Set<T>`, `string`, `T[] | undefined`). */
export function kindOfType(node: SyntaxNode | null): ValueKind {
  if (!node) return 'unknown';
  switch (node.type) {
    case 'type_annotation':
    case 'parenthesized_type':
      return kindOfType(node.namedChildren[0] ?? null);
    case 'array_type':
    case 'tuple_type':
      return node.type === 'array_type' ? 'list' : 'tuple';
    case 'readonly_type':
      return kindOfType(node.namedChildren[0] ?? null);
    case 'generic_type':
      return GENERIC_KINDS[node.child('name')?.text ?? ''] ?? 'unknown';
    case 'predefined_type':
      return node.text === 'string' ? 'str' : node.text === 'number' ? 'number' : node.text === 'boolean' ? 'bool' : 'unknown';
    case 'union_type': {
      // `T[] | undefined`: the kind of the parts that are not null or undefined, when they agree.
      const kinds = new Set<ValueKind>();
      const parts: SyntaxNode[] = [];
      const collect = (n: SyntaxNode) => {
        if (n.type === 'union_type') n.namedChildren.forEach(collect);
        else parts.push(n);
      };
      collect(node);
      for (const p of parts) {
        if (p.type === 'literal_type' && (p.text === 'null' || p.text === 'undefined')) continue;
        if (p.type === 'predefined_type' && (p.text === 'undefined' || p.text === 'null' || p.text === 'void')) continue;
        kinds.add(kindOfType(p));
      }
      return kinds.size === 1 ? [...kinds][0] : 'unknown';
    }
    default:
      return 'unknown';
  }
}
