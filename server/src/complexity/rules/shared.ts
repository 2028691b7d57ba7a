// Shared by the complexity rules: the unit-local estimates of the functions in a unit.
//
// Rules are cached per unit (keyed by the unit's text and the module summary), so a rule may only
// depend on its own unit: calls to functions defined elsewhere — other functions of the same file
// included — count as unknown, and the estimate is then a lower bound ("≥ O(n), calls `helper`").
// A function that is quadratic by its own code is reported; one that is quadratic only through a
// callee is shown by the code lens (the file-level pass), not by HP301.
import type { UnitContext } from '../../analysis/rule';
import { estimateRoots, type FunctionEstimate } from '..';
import type { Term } from '../cost';

const cache = new WeakMap<object, FunctionEstimate[]>();

/** Estimates of the named functions in the unit (shared by the rules that run on the same unit). */
export function unitEstimates(ctx: UnitContext): FunctionEstimate[] {
  let out = cache.get(ctx.unit);
  if (!out) {
    out = estimateRoots(ctx.complexity, [ctx.unit]);
    cache.set(ctx.unit, out);
  }
  return out;
}

export function lineOf(source: string, index: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < index; i = source.indexOf('\n', i + 1)) line++;
  return line;
}

/** " (n = len(items), m = …)" for the variables of the given terms (all of the estimate's when omitted). */
export function legendText(est: FunctionEstimate, terms: readonly Term[] = est.cost.terms): string {
  const keys = new Set(terms.flatMap((t) => [...t.f.keys(), ...t.e]));
  const parts = [...est.naming.entries].filter(([k]) => keys.has(k)).map(([, v]) => v);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
