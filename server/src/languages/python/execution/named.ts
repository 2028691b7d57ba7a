// Classes of a Python module that an annotation can name and Hotpath can build: dataclasses and
// NamedTuples (called with a value for each field without a default), TypedDicts (a dict with
// those keys) and plain classes whose __init__ parameters are annotated.

import type { SyntaxNode } from '../../../parsing';
import { parseType, typeResolver, type Field, type TypeResolver, type TypeSpec } from '../../../execution/typespec';
import { pythonTypes } from './types';

function classes(root: SyntaxNode): Map<string, { node: SyntaxNode; decorators: string[] }> {
  const out = new Map<string, { node: SyntaxNode; decorators: string[] }>();
  for (const top of root.namedChildren) {
    const def = top.type === 'decorated_definition' ? top.child('definition') : top;
    if (def?.type !== 'class_definition') continue;
    const decorators = top.type === 'decorated_definition' ? top.namedChildren.filter((c) => c.type === 'decorator').map((d) => d.text) : [];
    out.set(def.child('name')!.text, { node: def, decorators });
  }
  return out;
}

/** `name: T` lines of a class body without a default value (those with one keep it). */
function annotatedFields(body: SyntaxNode | null): { name: string; annotation: string; hasDefault: boolean }[] {
  const out: { name: string; annotation: string; hasDefault: boolean }[] = [];
  for (const st of body?.namedChildren ?? []) {
    const a = st.type === 'expression_statement' ? st.namedChildren[0] : undefined;
    if (a?.type !== 'assignment') continue;
    const left = a.child('left');
    const type = a.child('type');
    if (left?.type === 'identifier' && type) out.push({ name: left.text, annotation: type.text, hasDefault: !!a.child('right') });
  }
  return out;
}

/** `T = TypeVar("T")`: any type; Hotpath builds integers for it. */
function typeVars(root: SyntaxNode): Set<string> {
  const out = new Set<string>();
  for (const top of root.namedChildren) {
    const a = top.type === 'expression_statement' ? top.namedChildren[0] : undefined;
    const right = a?.type === 'assignment' ? a.child('right') : undefined;
    if (right?.type === 'call' && /^(typing\.)?TypeVar$/.test(right.child('function')?.text ?? '') && a!.child('left')?.type === 'identifier') out.add(a!.child('left')!.text);
  }
  return out;
}

export function pythonNamedTypes(root: SyntaxNode): TypeResolver {
  const found = classes(root);
  const vars = typeVars(root);
  return typeResolver((name, resolve) => {
    if (vars.has(name)) return { k: 'int' };
    const c = found.get(name);
    if (!c) return undefined;
    const bases = c.node.child('superclasses')?.namedChildren.map((b) => b.text.split('.').pop()!) ?? [];
    const body = c.node.child('body');
    const fieldsOf = (list: { name: string; annotation: string; hasDefault: boolean }[]): Field[] =>
      list.filter((f) => !f.hasDefault && !/^ClassVar\b|\.ClassVar\b/.test(f.annotation)).map((f) => ({ name: f.name, type: parseType(f.annotation, pythonTypes, resolve) }));
    if (bases.includes('TypedDict')) return { k: 'record', fields: fieldsOf(annotatedFields(body)) };
    if (bases.includes('NamedTuple') || c.decorators.some((d) => /^@(dataclasses\.)?dataclass\b/.test(d))) {
      return { k: 'instance', cls: name, args: [], fields: fieldsOf(annotatedFields(body)) };
    }
    // A plain class: its __init__'s annotated parameters (those with defaults keep them).
    const init = body?.namedChildren
      .map((s) => (s.type === 'decorated_definition' ? s.child('definition') : s))
      .find((s) => s?.type === 'function_definition' && s.child('name')?.text === '__init__');
    if (!init) return bases.length === 0 ? { k: 'instance', cls: name, args: [] } : undefined;
    const args: TypeSpec[] = [];
    for (const p of init.child('parameters')?.namedChildren.slice(1) ?? []) {
      if (p.type === 'default_parameter' || p.type === 'typed_default_parameter' || p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') continue;
      const ann = p.child('type')?.text;
      if (!ann) return undefined;
      args.push(parseType(ann, pythonTypes, resolve));
    }
    return { k: 'instance', cls: name, args };
  });
}
