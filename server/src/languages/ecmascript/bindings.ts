// The names a top-level JavaScript/TypeScript statement binds, with the kind of value bound: the
// one extractor used by the analysis (the module summary rules read) and by the execution
// extractor (which top-level statements a benchmarked function needs).
//
// Bound: imports (a namespace import `* as x` is a module; default and named imports are of
// unknown kind), function, generator and class declarations, `const`/`let`/`var` declarators
// (every name of a destructuring pattern), TypeScript types, interfaces, enums and namespaces,
// each also behind `export`. A CommonJS `exports.f = …` binds no name (the execution extractor
// treats it as an export of its own).

import type { ValueKind } from '../../analysis/module';
import type { SyntaxNode } from '../../parsing';
import { kindOfExpression, kindOfType } from './kinds';

/** The declaration of `export …` (or `export default function f…`), else the node itself. */
export function declarationOf(node: SyntaxNode): SyntaxNode {
  if (node.type === 'export_statement') return node.child('declaration') ?? node.child('value') ?? node;
  return node;
}

const NAMED_DECLARATIONS: Record<string, ValueKind> = {
  function_declaration: 'function',
  generator_function_declaration: 'function',
  function_expression: 'function',
  class_declaration: 'class',
  abstract_class_declaration: 'class',
  class: 'class',
  type_alias_declaration: 'unknown',
  interface_declaration: 'unknown',
  enum_declaration: 'unknown',
  internal_module: 'unknown',
  module: 'unknown',
};

/** Names bound at the top level by one statement, with the kind of value bound. */
export function ecmascriptBindings(unit: SyntaxNode): Map<string, ValueKind> {
  const out = new Map<string, ValueKind>();
  const node = declarationOf(unit);
  if (node.type === 'import_statement') {
    for (const c of node.descendants()) {
      if (c.type === 'import_specifier') out.set((c.child('alias') ?? c.child('name'))!.text, 'unknown');
      else if (c.type === 'identifier' && c.parent?.type === 'namespace_import') out.set(c.text, 'module');
      else if (c.type === 'identifier' && c.parent?.type === 'import_clause') out.set(c.text, 'unknown');
    }
  } else if (node.type in NAMED_DECLARATIONS) {
    const name = node.child('name');
    if (name) out.set(name.text, NAMED_DECLARATIONS[node.type]);
  } else if (node.type === 'lexical_declaration' || node.type === 'variable_declaration') {
    for (const decl of node.namedChildren) {
      if (decl.type !== 'variable_declarator') continue;
      const name = decl.child('name');
      if (!name) continue;
      if (name.type !== 'identifier') {
        // const { a, b: c } = …, const [x, y] = …
        for (const id of name.descendants()) if (id.type === 'identifier' || id.type === 'shorthand_property_identifier_pattern') out.set(id.text, 'unknown');
        continue;
      }
      const typed = decl.child('type');
      const value = decl.child('value');
      let kind = typed ? kindOfType(typed) : kindOfExpression(value);
      // A non-empty array literal bound at the top level is a table of fixed size (a 'tuple').
      if (kind === 'list' && value?.type === 'array' && value.namedChildren.length > 0 && value.namedChildren.every((c) => c.type !== 'spread_element')) kind = 'tuple';
      out.set(name.text, kind);
    }
  }
  return out;
}
