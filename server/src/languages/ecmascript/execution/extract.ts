// The JavaScript/TypeScript half of function extraction (execution/extract.ts has the
// language-neutral part): top-level statements, functions (declarations, `const f = () => …`,
// CommonJS `exports.f = function …`), parameters with TypeScript or JSDoc types.

import type { SyntaxNode } from '../../../parsing';
import { identifiers, type ParamInfo, type TopLevel } from '../../../execution/language';
import { declarationOf, ecmascriptBindings } from '../bindings';

const FUNCTION_VALUES = ['arrow_function', 'function_expression', 'function', 'generator_function'];

/** `exports.NAME = …` or `module.exports.NAME = …` (CommonJS): the name and the assigned value. */
export function cjsExport(node: SyntaxNode): { name: string; value: SyntaxNode } | null {
  if (node.type !== 'expression_statement') return null;
  const a = node.namedChildren[0];
  if (a?.type !== 'assignment_expression') return null;
  const left = a.child('left');
  const value = a.child('right');
  if (left?.type !== 'member_expression' || !value) return null;
  const obj = left.child('object')?.text;
  const prop = left.child('property');
  if ((obj !== 'exports' && obj !== 'module.exports') || prop?.type !== 'property_identifier') return null;
  return { name: prop.text, value };
}

export function topLevels(root: SyntaxNode): TopLevel[] {
  const out: TopLevel[] = [];
  for (const node of root.namedChildren) {
    if (node.type === 'comment') continue;
    // A CommonJS export binds no name, but is how the function is found.
    const cjs = cjsExport(node);
    const binds = cjs ? [cjs.name] : [...ecmascriptBindings(node).keys()];
    if (binds.length) out.push({ node, binds, uses: identifiers(node) });
  }
  return out;
}

export function functionNode(top: SyntaxNode, name: string): SyntaxNode | null {
  const cjs = cjsExport(top);
  if (cjs) return cjs.name === name && FUNCTION_VALUES.includes(cjs.value.type) ? cjs.value : null;
  const d = declarationOf(top);
  if ((d.type === 'function_declaration' || d.type === 'generator_function_declaration' || d.type === 'function_expression') && d.child('name')?.text === name) return d;
  if (d.type === 'lexical_declaration' || d.type === 'variable_declaration') {
    for (const decl of d.namedChildren) {
      if (decl.type === 'variable_declarator' && decl.child('name')?.text === name) {
        const v = decl.child('value');
        if (v && FUNCTION_VALUES.includes(v.type)) return v;
      }
    }
  }
  return null;
}

function jsdocTypes(comment: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!comment) return out;
  const re = /@(?:param|arg|argument)\s+\{([^}]*(?:\{[^}]*\}[^}]*)*)\}\s+\[?([A-Za-z_$][\w$]*)/g;
  for (let m = re.exec(comment); m; m = re.exec(comment)) out.set(m[2], m[1]);
  return out;
}

export function params(fn: SyntaxNode, leadingComments: string[]): ParamInfo[] {
  const jsdoc = jsdocTypes(leadingComments.filter((c) => c.startsWith('/**')).pop());
  const out: ParamInfo[] = [];
  const list = fn.child('parameters') ?? fn.child('parameter');
  if (!list) return out;
  for (const p of list.type === 'identifier' ? [list] : list.namedChildren) {
    if (p.type === 'comment') continue;
    let pattern = p;
    let optional = false;
    let annotation: string | undefined;
    if (p.type === 'required_parameter' || p.type === 'optional_parameter') {
      pattern = p.child('pattern')!;
      optional = p.type === 'optional_parameter' || !!p.child('value');
      const t = p.child('type');
      if (t) annotation = t.text.replace(/^:\s*/, '');
    } else if (p.type === 'assignment_pattern') {
      pattern = p.child('left')!;
      optional = true;
    }
    if (pattern.type === 'rest_pattern' || pattern.type === 'this') continue;
    const name = pattern.text;
    const doc = jsdoc.get(name);
    if (annotation) out.push({ name, annotation, optional, source: 'annotation' });
    else if (doc) out.push({ name, annotation: doc, optional: optional || /=\s*$/.test(doc), source: 'jsdoc' });
    else out.push({ name, optional, source: 'name' });
  }
  return out;
}

export function isGenerator(fn: SyntaxNode): boolean {
  return fn.type === 'generator_function_declaration' || fn.type === 'generator_function' || fn.children.some((c) => c.type === '*');
}

/** Value bindings of a kept top-level statement that a call could change (not imports or types). */
export function stateNames(top: SyntaxNode): string[] {
  const d = declarationOf(top);
  if (d.type === 'lexical_declaration' || d.type === 'variable_declaration' || d.type === 'function_declaration' || d.type === 'generator_function_declaration' || d.type === 'class_declaration') {
    return [...ecmascriptBindings(top).keys()];
  }
  return [];
}
