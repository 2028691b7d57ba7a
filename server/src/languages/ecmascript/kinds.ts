// What kind of value a JavaScript/TypeScript expression evaluates to, as far as the syntax tells.

import type { ValueKind } from '../../analysis/module';
import type { SyntaxNode } from '../../parsing';

const NEW_KINDS: Record<string, ValueKind> = { Set: 'set', Map: 'map', Array: 'list', WeakMap: 'map', WeakSet: 'set' };

export function kindOfExpression(node: SyntaxNode | null): ValueKind {
  if (!node) return 'unknown';
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
      return kindOfExpression(node.namedChildren[0] ?? null);
    case 'as_expression':
    case 'satisfies_expression':
    case 'non_null_expression':
      return kindOfExpression(node.namedChildren[0] ?? null);
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
        if (prop && ['map', 'filter', 'slice', 'concat', 'flat', 'flatMap', 'toSorted', 'toReversed'].includes(prop) && kindOfExpression(fn.child('object')) === 'list') return 'list';
      }
      return 'unknown';
    }
    default:
      return 'unknown';
  }
}

/** Names bound at the top level by one unit (declarations, functions, classes, exports). */
export function ecmascriptBindings(unit: SyntaxNode): Map<string, ValueKind> {
  const out = new Map<string, ValueKind>();
  let node = unit;
  if (node.type === 'export_statement') node = node.child('declaration') ?? node;
  switch (node.type) {
    case 'function_declaration':
    case 'generator_function_declaration': {
      const name = node.child('name');
      if (name) out.set(name.text, 'function');
      break;
    }
    case 'class_declaration':
    case 'abstract_class_declaration': {
      const name = node.child('name');
      if (name) out.set(name.text, 'class');
      break;
    }
    case 'lexical_declaration':
    case 'variable_declaration':
      for (const decl of node.namedChildren) {
        if (decl.type !== 'variable_declarator') continue;
        const name = decl.child('name');
        if (name?.type === 'identifier') out.set(name.text, kindOfExpression(decl.child('value')));
      }
      break;
  }
  return out;
}
