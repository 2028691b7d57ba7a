// Types a TypeScript module declares that an annotation can name and Hotpath can build:
// interfaces and type aliases of object shapes (a plain object with those fields; methods become
// callbacks), aliases of other types. Classes are not built (the harness cannot construct them).

import type { SyntaxNode } from '../../../parsing';
import { parseType, typeResolver, type TypeResolver } from '../../../execution/typespec';
import { ecmascriptTypes } from './types';

function declarations(root: SyntaxNode): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  for (const top of root.namedChildren) {
    const d = top.type === 'export_statement' ? top.child('declaration') : top;
    if (d && (d.type === 'interface_declaration' || d.type === 'type_alias_declaration')) out.set(d.child('name')!.text, d);
  }
  return out;
}

export function ecmascriptNamedTypes(root: SyntaxNode): TypeResolver {
  const found = declarations(root);
  return typeResolver((name, resolve) => {
    const d = found.get(name);
    const text = d?.type === 'interface_declaration' ? d.child('body')?.text : d?.child('value')?.text;
    // An interface body is an object type, `{ a: T; b(x): U }`.
    return text ? parseType(text, ecmascriptTypes, resolve) : undefined;
  });
}
