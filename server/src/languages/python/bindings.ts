// The names a top-level Python statement binds, with the kind of value bound: the one extractor
// used by the analysis (the module summary rules read) and by the execution extractor (which
// top-level statements a benchmarked function needs).
//
// Bound: imports (`import a.b` binds `a` as a module; `from m import x as y` binds `y`), `def`,
// `class` (decorated too), assignments (every target name, chained `a = b = …`, tuple targets,
// augmented `x += …`), and the same statements inside top-level `if`/`try`/`with` blocks. Not
// bound: attribute and subscript targets (`a.x = …` rebinds nothing), names inside functions
// and classes.

import type { ValueKind } from '../../analysis/module';
import type { SyntaxNode } from '../../parsing';
import { kindOfExpression } from './kinds';

const BLOCKS = new Set(['if_statement', 'try_statement', 'with_statement']);
const STATEMENTS = new Set(['import_statement', 'import_from_statement', 'function_definition', 'class_definition', 'decorated_definition', 'expression_statement']);

/** `if __name__ == '__main__':` — script code, never a definition a function needs. */
export function isMainGuard(node: SyntaxNode): boolean {
  return node.type === 'if_statement' && /__name__/.test(node.child('condition')?.text ?? '');
}

function bindTargets(left: SyntaxNode, kind: ValueKind, out: Map<string, ValueKind>, value?: SyntaxNode | null): void {
  if (left.type === 'identifier') {
    set(out, left.text, kind);
    return;
  }
  // `a, b, t = 1, 2, (3, 4)`: a flat pattern over a literal tuple of the same length binds each
  // name to the kind of its element.
  const elements = value && ['expression_list', 'tuple'].includes(value.type) ? value.namedChildren : [];
  if (['pattern_list', 'tuple_pattern'].includes(left.type) && left.namedChildren.every((x) => x.type === 'identifier') && elements.length === left.namedChildren.length && !elements.some((e) => e.type === 'list_splat')) {
    left.namedChildren.forEach((x, i) => set(out, x.text, kindOfExpression(elements[i])));
    return;
  }
  // a, b = …; [a, *rest] = …: every name of the pattern, of unknown kind
  for (const id of left.descendants()) if (id.type === 'identifier' && id.parent?.type !== 'attribute' && id.parent?.type !== 'subscript') set(out, id.text, 'unknown');
}

/** A name bound twice in one statement to different kinds is unknown. */
function set(out: Map<string, ValueKind>, name: string, kind: ValueKind): void {
  const previous = out.get(name);
  out.set(name, previous === undefined || previous === kind ? kind : 'unknown');
}

function statement(node: SyntaxNode, out: Map<string, ValueKind>): void {
  switch (node.type) {
    case 'import_statement':
      for (const n of node.childrenIn('name')) {
        if (n.type === 'aliased_import') set(out, n.child('alias')!.text, 'module');
        else set(out, (n.namedChildren[0] ?? n).text, 'module');
      }
      return;
    case 'import_from_statement':
      for (const n of node.childrenIn('name')) set(out, n.type === 'aliased_import' ? n.child('alias')!.text : n.text.split('.').pop()!, 'unknown');
      return;
    case 'decorated_definition': {
      const def = node.child('definition');
      if (def) statement(def, out);
      return;
    }
    case 'function_definition':
    case 'class_definition': {
      const name = node.child('name');
      if (name) set(out, name.text, node.type === 'function_definition' ? 'function' : 'class');
      return;
    }
    case 'expression_statement':
      for (const a of node.namedChildren) {
        if (a.type !== 'assignment' && a.type !== 'augmented_assignment') continue;
        // a = b = 1: the right side of `a = …` is the assignment `b = 1`
        let value = a.child('right');
        while (value && value.type === 'assignment') value = value.child('right');
        const kind = kindOfExpression(value);
        for (let cur: SyntaxNode | null = a; cur && (cur.type === 'assignment' || cur.type === 'augmented_assignment'); cur = cur.child('right')) {
          const left = cur.child('left');
          if (left) bindTargets(left, kind, out, value);
        }
      }
      return;
    default:
      if (!BLOCKS.has(node.type)) return;
      // Statements of the block's bodies (and else/except/finally clauses), not inside nested
      // functions or classes, which have scopes of their own.
      for (const d of node.descendants()) {
        if (d === node || !STATEMENTS.has(d.type) || d.parent?.type === 'decorated_definition') continue;
        if ([...d.ancestors()].some((a) => a !== node && (a.type === 'function_definition' || a.type === 'class_definition' || a.type === 'decorated_definition' || a.type === 'lambda'))) continue;
        statement(d, out);
      }
  }
}

/** Names bound at the top level by one statement, with the kind of value bound. */
export function pythonBindings(unit: SyntaxNode): Map<string, ValueKind> {
  const out = new Map<string, ValueKind>();
  statement(unit, out);
  return out;
}
