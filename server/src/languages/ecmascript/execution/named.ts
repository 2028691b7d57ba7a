// Types a TypeScript module declares that an annotation can name and Hotpath can build:
// interfaces and type aliases of object shapes (a plain object with those fields; methods become
// callbacks), aliases of other types. Classes are not built (the harness cannot construct them).

import type { SyntaxNode } from '../../../parsing';
import { parseType, TypeSyntaxError, type TypeResolver } from '../../../execution/typespec';
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
  const busy = new Set<string>();
  const resolve: TypeResolver = (name) => {
    const d = found.get(name);
    if (!d || busy.has(name)) return undefined;
    busy.add(name);
    try {
      const text = d.type === 'interface_declaration' ? d.child('body')?.text : d.child('value')?.text;
      if (!text) return undefined;
      // An interface body is an object type, `{ a: T; b(x): U }`.
      return parseType(text, ecmascriptTypes, resolve);
    } catch (e) {
      if (e instanceof TypeSyntaxError) return undefined;
      throw e;
    } finally {
      busy.delete(name);
    }
  };
  return resolve;
}
