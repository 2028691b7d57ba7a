// The Python half of function extraction (execution/extract.ts has the language-neutral part):
// which top-level statements bind names, what a function refers to, its parameters.

import type { SyntaxNode } from '../../../parsing';
import { identifiers, type ParamInfo, type TopLevel } from '../../../execution/language';
import { isMainGuard, pythonBindings } from '../bindings';
import { docstringTypes } from './docstring';

/** Identifiers used by a statement, minus a function's own parameters and locals. */
function uses(node: SyntaxNode): Set<string> {
  const def = node.type === 'decorated_definition' ? node.child('definition')! : node;
  if (def.type !== 'function_definition') return identifiers(node);
  const out = new Set<string>();
  for (const d of node.children) if (d.type === 'decorator') identifiers(d, out);
  const params = def.child('parameters');
  const locals = new Set<string>();
  if (params) {
    for (const p of params.namedChildren) {
      const name = p.type === 'identifier' ? p : p.child('name') ?? p.namedChildren.find((c) => c.type === 'identifier');
      if (name) locals.add(name.text);
      for (const f of ['type', 'value']) {
        const x = p.child(f);
        if (x) identifiers(x, out);
      }
    }
  }
  const ret = def.child('return_type');
  if (ret) identifiers(ret, out);
  const body = def.child('body');
  if (body) {
    const declaredGlobal = new Set<string>();
    for (const d of body.descendants()) if (d.type === 'global_statement' || d.type === 'nonlocal_statement') for (const id of d.namedChildren) declaredGlobal.add(id.text);
    for (const d of body.descendants()) {
      if (d.type === 'assignment' || d.type === 'augmented_assignment' || d.type === 'for_statement' || d.type === 'for_in_clause') {
        const left = d.child('left');
        if (left) for (const id of left.descendants()) if (id.type === 'identifier' && id.parent?.type !== 'attribute' && id.parent?.type !== 'subscript' && !declaredGlobal.has(id.text)) locals.add(id.text);
      }
    }
    identifiers(body, out);
  }
  for (const l of locals) out.delete(l);
  out.add(def.child('name')!.text);
  return out;
}

export function topLevels(root: SyntaxNode): TopLevel[] {
  const out: TopLevel[] = [];
  for (const node of root.namedChildren) {
    if (node.type === 'comment' || isMainGuard(node)) continue;
    if (node.type === 'future_import_statement' || (node.type === 'import_from_statement' && node.children.some((c) => c.type === 'wildcard_import'))) {
      out.push({ node, binds: [], uses: new Set(), always: true });
      continue;
    }
    const binds = [...pythonBindings(node).keys()];
    if (binds.length) out.push({ node, binds, uses: uses(node) });
  }
  return out;
}

export function functionNode(top: SyntaxNode, name: string): SyntaxNode | null {
  const def = top.type === 'decorated_definition' ? top.child('definition') : top;
  return def?.type === 'function_definition' && def.child('name')?.text === name ? def : null;
}

export function params(def: SyntaxNode): ParamInfo[] {
  const out: ParamInfo[] = [];
  const documented = docstringTypes(def);
  let keywordOnly = false;
  for (const p of def.child('parameters')?.namedChildren ?? []) {
    // What follows `*` or `*args` can only be passed by name.
    if (p.type === 'list_splat_pattern' || p.type === 'keyword_separator') keywordOnly = true;
    if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern' || p.type === 'keyword_separator' || p.type === 'positional_separator') continue;
    const name = p.type === 'identifier' ? p.text : (p.child('name') ?? p.namedChildren.find((c) => c.type === 'identifier'))?.text;
    if (!name) continue;
    const optional = p.type === 'default_parameter' || p.type === 'typed_default_parameter';
    const annotation = p.child('type')?.text;
    const doc = annotation ? undefined : documented.get(name);
    out.push({ name, annotation: annotation ?? doc, optional, source: annotation ? 'annotation' : doc ? 'docstring' : 'name', ...(keywordOnly ? { keywordOnly } : {}) });
  }
  if (out[0] && (out[0].name === 'self' || out[0].name === 'cls')) out.shift();
  return out;
}

export function isGenerator(fn: SyntaxNode): boolean {
  const body = fn.child('body');
  return !!body && [...body.descendants()].some((d) => (d.type === 'yield' || d.type === 'yield_statement') && ![...d.ancestors()].some((a) => a !== fn && (a.type === 'function_definition' || a.type === 'lambda')));
}
