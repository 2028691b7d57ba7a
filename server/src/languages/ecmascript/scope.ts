// What a name holds, and whether it changes inside a loop, as far as one unit's syntax tells.
// Everything here errs on the side of "unknown": the rules report only what is known.

import type { ValueKind } from '../../analysis/module';
import type { SyntaxNode } from '../../parsing';
import { kindOfExpression, kindOfType } from './kinds';
import { iterationCallOf } from './loops';
import { FUNCTION_TYPES, parameterIdentifier, parameters, patternNames, unwrap } from './syntax';

const SCOPE_TYPES = new Set([...FUNCTION_TYPES, 'statement_block', 'for_statement', 'for_in_statement', 'program', 'class_body', 'catch_clause', 'switch_body']);

/** A declaration of a name: where it is, what scope it belongs to, and the kind it starts with. */
export interface Declaration {
  name: string;
  node: SyntaxNode;
  /** The node whose extent is the declaration's scope. */
  scope: SyntaxNode;
  kind: ValueKind;
  /** A parameter of a function (its value belongs to the caller). */
  isParameter: boolean;
  /** `const`, `let`, `var`, or '' for parameters and others. */
  declarationKind: string;
  /** The initial value of a variable declarator. */
  value: SyntaxNode | null;
  /** The array parameter of an iteration callback (`a` in `xs.filter((x, i, a) => …)`): the iterated array itself. */
  iteratedArray?: boolean;
}

/** Position of the array parameter in the callbacks of the iteration methods. */
const ARRAY_PARAMETER: Record<string, number> = {
  forEach: 2,
  map: 2,
  filter: 2,
  some: 2,
  every: 2,
  find: 2,
  findIndex: 2,
  findLast: 2,
  findLastIndex: 2,
  flatMap: 2,
  reduce: 3,
  reduceRight: 3,
};

function enclosingScope(node: SyntaxNode, functionScope: boolean): SyntaxNode {
  for (const a of node.ancestors()) {
    if (functionScope ? FUNCTION_TYPES.has(a.type) || a.type === 'program' : SCOPE_TYPES.has(a.type)) return a;
  }
  let top = node;
  while (top.parent) top = top.parent;
  return top;
}

/** Every declaration among a unit's nodes (in pre-order: UnitContext.nodes), by name. */
export function declarations(nodes: readonly SyntaxNode[]): Map<string, Declaration[]> {
  const unit = nodes[0];
  const out = new Map<string, Declaration[]>();
  const add = (d: Declaration) => {
    const list = out.get(d.name);
    if (list) list.push(d);
    else out.set(d.name, [d]);
  };
  for (const n of nodes) {
    if (n.type === 'variable_declarator') {
      const name = n.child('name');
      const decl = n.parent;
      const kw = decl?.children.find((c) => c.field === 'kind' || c.type === 'var' || c.type === 'let' || c.type === 'const')?.type ?? (decl?.type === 'variable_declaration' ? 'var' : '');
      const value = n.child('value');
      if (name?.type === 'identifier') {
        const typed = n.child('type');
        const kind = typed ? kindOfType(typed) : kindOfExpression(value);
        add({ name: name.text, node: name, scope: enclosingScope(n, kw === 'var'), kind, isParameter: false, declarationKind: kw, value });
      } else if (name) {
        for (const nm of patternNames(name)) add({ name: nm, node: name, scope: enclosingScope(n, kw === 'var'), kind: 'unknown', isParameter: false, declarationKind: kw, value: null });
      }
    } else if (FUNCTION_TYPES.has(n.type)) {
      const it = iterationCallOf(n);
      const arrayIndex = it ? ARRAY_PARAMETER[it.method] : undefined;
      parameters(n).forEach((p, index) => {
        const id = parameterIdentifier(p);
        if (id && index === arrayIndex) {
          // Only arrays (and typed arrays) have both these methods and the searches: it is the array.
          add({ name: id.text, node: id, scope: n, kind: 'list', isParameter: true, declarationKind: '', value: null, iteratedArray: true });
        } else if (id) {
          const typed = p.child('type');
          add({ name: id.text, node: id, scope: n, kind: typed ? kindOfType(typed) : 'unknown', isParameter: true, declarationKind: '', value: null });
        } else {
          for (const nm of patternNames(p.child('pattern') ?? p)) add({ name: nm, node: p, scope: n, kind: 'unknown', isParameter: true, declarationKind: '', value: null });
        }
      });
      const name = n.child('name');
      if (name && (n.type === 'function_declaration' || n.type === 'generator_function_declaration')) {
        add({ name: name.text, node: name, scope: enclosingScope(n, true), kind: 'function', isParameter: false, declarationKind: 'function', value: null });
      }
    } else if (n.type === 'for_in_statement') {
      for (const nm of patternNames(n.child('left'))) add({ name: nm, node: n.child('left')!, scope: n, kind: 'unknown', isParameter: false, declarationKind: 'loop', value: null });
    } else if (n.type === 'catch_clause') {
      for (const nm of patternNames(n.child('parameter'))) add({ name: nm, node: n, scope: n, kind: 'unknown', isParameter: false, declarationKind: 'catch', value: null });
    } else if (n.type === 'class_declaration') {
      const name = n.child('name');
      if (name) add({ name: name.text, node: name, scope: enclosingScope(n, false), kind: 'class', isParameter: false, declarationKind: 'class', value: null });
    } else if (n.type === 'import_specifier' || n.type === 'namespace_import' || n.type === 'import_clause') {
      for (const c of n.namedChildren) if (c.type === 'identifier') add({ name: c.text, node: c, scope: unit, kind: 'unknown', isParameter: false, declarationKind: 'import', value: null });
    }
  }
  return out;
}

/** The declaration of `name` visible at `at`: the innermost one whose scope contains it. */
export function declarationAt(decls: Map<string, Declaration[]>, name: string, at: SyntaxNode): Declaration | null {
  let best: Declaration | null = null;
  for (const d of decls.get(name) ?? []) {
    if (!d.scope.contains(at)) continue;
    if (!best || best.scope.contains(d.scope)) best = d;
  }
  return best;
}

/** The assignments `name = value` (and compound ones) inside `region`. */
export function assignmentsTo(name: string, region: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const n of region.descendants()) {
    if (n.type === 'assignment_expression' || n.type === 'augmented_assignment_expression') {
      const left = unwrap(n.child('left'));
      if (left?.type === 'identifier' && left.text === name) out.push(n);
      else if (left && (left.type === 'array_pattern' || left.type === 'object_pattern') && patternNames(left).includes(name)) out.push(n);
    } else if (n.type === 'update_expression') {
      const arg = unwrap(n.child('argument'));
      if (arg?.type === 'identifier' && arg.text === name) out.push(n);
    }
  }
  return out;
}

const SAME_KIND_METHODS = new Set(['concat', 'slice', 'filter', 'map', 'flat', 'flatMap', 'toSorted', 'toReversed', 'toSpliced', 'with']);

/** The kind of a value assigned to `name`: `name.concat(x)` and `[...name, x]` keep an array an array. */
export function kindOfAssigned(expr: SyntaxNode | null, name: string, current: ValueKind): ValueKind {
  const k = kindOfExpression(expr);
  if (k !== 'unknown' || current !== 'list') return k;
  const e = unwrap(expr);
  if (e?.type === 'call_expression') {
    const fn = unwrap(e.child('function'));
    if (fn?.type === 'member_expression' && unwrap(fn.child('object'))?.text === name && SAME_KIND_METHODS.has(fn.child('property')?.text ?? '')) return 'list';
  }
  return k;
}

/** The JSDoc block (`/** … *\/`) right before a function, or before the statement that declares it. */
export function jsdocBefore(fn: SyntaxNode): string | null {
  let anchor = fn;
  for (const a of fn.ancestors()) {
    if (['variable_declarator', 'lexical_declaration', 'variable_declaration', 'export_statement', 'pair', 'assignment_expression', 'expression_statement', 'public_field_definition'].includes(a.type)) anchor = a;
    else break;
  }
  const src = fn.source;
  let i = anchor.startIndex;
  while (i > 0 && /\s/.test(src[i - 1])) i--;
  if (src.slice(i - 2, i) !== '*/') return null;
  const start = src.lastIndexOf('/**', i - 2);
  if (start === -1) return null;
  const block = src.slice(start, i);
  return block.indexOf('*/') === block.length - 2 ? block : null;
}

/** The kind of a JSDoc type: `string[]`, `Array<T>`, `Array.<T>`, `Set<T>`, `Map<K, V>`, `string`. */
export function kindOfJsdocType(type: string): ValueKind {
  const t = type.replace(/\s+/g, '').replace(/^\(|\)$/g, '');
  const parts = t.split('|').filter((p) => p !== 'undefined' && p !== 'null');
  if (parts.length !== 1) return 'unknown';
  const p = parts[0];
  if (/\[\]$/.test(p) || /^(Readonly)?Array(\.?<.*>)?$/.test(p)) return 'list';
  if (/^(Readonly|Weak)?Set(\.?<.*>)?$/.test(p)) return 'set';
  if (/^(Readonly|Weak)?Map(\.?<.*>)?$/.test(p)) return 'map';
  if (p === 'string' || p === 'String') return 'str';
  return 'unknown';
}

export function jsdocParamKind(fn: SyntaxNode, name: string): ValueKind {
  const doc = jsdocBefore(fn);
  if (!doc) return 'unknown';
  const re = /@(?:param|arg|argument)\s*\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}\s*\[?([A-Za-z_$][\w$]*)/g;
  for (let m = re.exec(doc); m; m = re.exec(doc)) if (m[2] === name) return kindOfJsdocType(m[1]);
  return 'unknown';
}

export function typedDeclaration(d: Declaration): boolean {
  const p = d.node.parent;
  return !!p && !!p.child('type');
}

const GROWING = new Set(['push', 'unshift', 'splice', 'concat', 'fill', 'length']);

/** Whether an array named `name` may grow inside `scope` (push, splice, index or length assignment, reassignment, escape). */
export function isGrown(name: string, scope: SyntaxNode): boolean {
  for (const n of scope.descendants()) {
    if (n.type !== 'identifier' || n.text !== name) continue;
    const p = n.parent;
    if (!p) continue;
    if (p.type === 'member_expression' && n.field === 'object') {
      const prop = p.child('property')?.text ?? '';
      if (GROWING.has(prop)) return true;
      const gp = p.parent;
      if (gp?.type === 'assignment_expression' && p.field === 'left') return true;
      continue;
    }
    if (p.type === 'subscript_expression' && n.field === 'object') {
      if ((p.parent?.type === 'assignment_expression' || p.parent?.type === 'augmented_assignment_expression') && p.field === 'left') return true;
      continue;
    }
    if (p.type === 'variable_declarator' && n.field === 'name') continue;
    if ((p.type === 'assignment_expression' || p.type === 'augmented_assignment_expression') && n.field === 'left') return true;
    // Passed to a call, stored elsewhere or returned: someone else may grow it.
    if (p.type === 'arguments' || p.type === 'assignment_expression' || p.type === 'variable_declarator' || p.type === 'return_statement' || p.type === 'array' || p.type === 'pair') return true;
  }
  return false;
}
