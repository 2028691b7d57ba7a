// How Python writes the input types Hotpath generates (execution/typespec.ts parses them).
import type { TypeSyntax } from '../../../execution/typespec';

export const pythonTypes: TypeSyntax = {
  variadicTuple: 'vtuple',
  map: 'dict',
  show(t, inner) {
    switch (t.k) {
      case 'int':
        return t.position ? 'int (an index below n)' : 'int';
      case 'float':
      case 'str':
      case 'bool':
      case 'bytes':
        return t.k;
      case 'none':
        return 'None';
      case 'list':
      case 'set':
      case 'frozenset':
        return `${t.k}[${inner(t.of)}]`;
      case 'vtuple':
        return `tuple[${inner(t.of)}, ...]`;
      case 'tuple':
        return `tuple[${t.items.map(inner).join(', ')}]`;
      case 'dict':
        return `dict[${inner(t.key)}, ${inner(t.value)}]`;
      case 'map':
        return `Map<${inner(t.key)}, ${inner(t.value)}>`;
      case 'record':
        return `${t.attrs ? 'object' : 'dict'} {${t.fields.map((f) => `${t.attrs ? '.' : ''}${f.name}: ${inner(f.type)}`).join(', ')}}`;
      case 'instance':
        return t.cls;
      case 'fn':
        return `Callable[..., ${inner(t.returns)}]`;
      case 'const':
        return t.value === null ? 'None' : typeof t.value === 'string' ? JSON.stringify(t.value) : typeof t.value === 'boolean' ? (t.value ? 'True' : 'False') : String(t.value);
    }
  },
};
