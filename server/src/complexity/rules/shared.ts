// Shared by the complexity rules. The unit-local estimates of the functions in a unit come from
// ctx.facts.estimates() (analysis/facts.ts).
//
// Rules are cached per unit (keyed by the unit's text and the module summary), so a rule may only
// depend on its own unit: calls to functions defined elsewhere — other functions of the same file
// included — count as unknown, and the estimate is then a lower bound ("≥ O(n), calls `helper`").
// A function that is quadratic by its own code is reported; one that is quadratic only through a
// callee is shown by the code lens (the file-level pass), not by HP301.
import type { FunctionEstimate } from '..';
import type { Term } from '../cost';

/** " (n = len(items), m = …)" for the variables of the given terms (all of the estimate's when omitted). */
export function legendText(est: FunctionEstimate, terms: readonly Term[] = est.cost.terms): string {
  const keys = new Set(terms.flatMap((t) => [...t.f.keys(), ...t.e]));
  const parts = [...est.naming.entries].filter(([k]) => keys.has(k)).map(([, v]) => v);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
