// How JavaScript/TypeScript (and JSDoc) write the input types Hotpath generates
// (execution/typespec.ts parses them).
import type { TypeSyntax } from '../../../execution/typespec';

const SCALARS = { int: 'number', float: 'number', str: 'string', bool: 'boolean', bytes: 'Uint8Array', none: 'null' } as const;

export const ecmascriptTypes: TypeSyntax = {
  variadicTuple: 'list',
  map: 'map',
  show(t, inner) {
    switch (t.k) {
      case 'int':
        return t.position ? 'number (an index below n)' : 'number';
      case 'float':
      case 'str':
      case 'bool':
      case 'bytes':
      case 'none':
        return SCALARS[t.k];
      case 'list':
        return `${inner(t.of)}[]`;
      case 'tuple':
        return `[${t.items.map(inner).join(', ')}]`;
      case 'set':
        return `Set<${inner(t.of)}>`;
      case 'vtuple':
        return `tuple[${inner(t.of)}, ...]`;
      case 'frozenset':
        return `frozenset[${inner(t.of)}]`;
      case 'dict':
        return `Record<${inner(t.key)}, ${inner(t.value)}>`;
      case 'map':
        return `Map<${inner(t.key)}, ${inner(t.value)}>`;
      case 'record':
        return `{ ${t.fields.map((f) => `${f.name}: ${inner(f.type)}`).join('; ')} }`;
      case 'instance':
        return t.cls;
      case 'fn':
        return `(…) => ${t.async ? `Promise<${inner(t.returns)}>` : inner(t.returns)}`;
      case 'const':
        return JSON.stringify(t.value);
    }
  },
};
