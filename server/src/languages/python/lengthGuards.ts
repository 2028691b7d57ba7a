// Collections an enclosing `if` caps to a fixed length: `if len(xs) <= 4:` or
// `if len(a) * len(b) * len(c) <= 4:` (each non-empty factor is then at most 4; an empty one means no
// loop runs). Work on such a collection inside the guarded block costs a constant (issue 13 round 13:
// cronsim's explain, `sorted(minute_terms)` under a product guard, judged wrong by both judges).
import type { ModuleSummary } from '../../analysis/module';
import type { SyntaxNode } from '../../parsing';
import { SMALL_CAP } from '../../analysis/sizeVerdict';
import { isModuleConstant } from './boundedLoops';
import { functionCall, integerValue, unparen } from './syntax';

/** The `len(x)` factors of `len(a) * len(b)` (or of a lone `len(a)`), as the texts of their arguments. */
function lenFactors(node: SyntaxNode | null | undefined): string[] | null {
  const n = unparen(node);
  if (!n) return null;
  if (n.type === 'binary_operator' && n.child('operator')?.text === '*') {
    const l = lenFactors(n.child('left'));
    const r = lenFactors(n.child('right'));
    return l && r ? [...l, ...r] : null;
  }
  const call = functionCall(n);
  return call?.name === 'len' && call.args.length === 1 ? [call.args[0].text] : null;
}

/** `K`, `4`, a module constant: a bound written in the code. */
function fixed(node: SyntaxNode | null | undefined, module: ModuleSummary): boolean {
  const n = unparen(node);
  // A small literal only (review 11 S4: `len(xs) < 1000000` caps nothing that matters), as sizeVerdict's SMALL_CAP.
  return !!n && ((integerValue(n) ?? Infinity) <= SMALL_CAP || (n.type === 'identifier' && isModuleConstant(n.text, module)));
}

/** Does one conjunct of `cond` cap `len(name)` (alone or as a factor of a product) by a fixed number? */
function caps(cond: SyntaxNode | null | undefined, name: string, module: ModuleSummary): boolean {
  const c = unparen(cond);
  if (!c) return false;
  if (c.type === 'boolean_operator' && c.child('operator')?.text === 'and') return caps(c.child('left'), name, module) || caps(c.child('right'), name, module);
  if (c.type !== 'comparison_operator' || c.namedChildren.length !== 2) return false;
  const op = c.childrenIn('operators').map((o) => o.text)[0];
  const [l, r] = c.namedChildren;
  if ((op === '<=' || op === '<' || op === '==') && fixed(r, module)) return lenFactors(l)?.includes(name) ?? false;
  if ((op === '>=' || op === '>' || op === '==') && fixed(l, module)) return lenFactors(r)?.includes(name) ?? false;
  return false;
}

/** Is `node` inside the body of an `if` that caps `len(name)`, with `name` not rebound in that body? */
export function lengthCapped(node: SyntaxNode, name: string, module: ModuleSummary): boolean {
  for (let a = node.parent; a; a = a.parent) {
    if (a.type === 'function_definition' || a.type === 'class_definition') return false;
    if (a.type !== 'if_statement') continue;
    const body = a.child('consequence');
    if (!body?.contains(node) || !caps(a.child('condition'), name, module)) continue;
    const rebound = body.descendants().some((d) => (d.type === 'assignment' || d.type === 'augmented_assignment' || d.type === 'for_statement') && d.child('left')?.text === name);
    if (!rebound) return true;
  }
  return false;
}
