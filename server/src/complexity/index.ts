// The static complexity estimate: per function, from the syntax tree. `estimateRoots` is the
// file-level pass (calls between the functions found use each other's estimates). Each language
// plug-in supplies its ComplexityAdapter (languages/<folder>/complexity.ts) through its spec.
import type { SyntaxNode } from '../parsing';
import type { ComplexityAdapter } from './adapter';
import type { Deadline } from './deadline';
import { Estimator, type FunctionEstimate } from './estimate';

export type { ComplexityAdapter } from './adapter';
export type { FunctionEstimate } from './estimate';
export { fastVariantNames } from './slowOnPurpose';
export { NO_DEADLINE, OverBudget, TimeBudget, type Deadline } from './deadline';

/**
 * Estimates of every named function under the roots (a whole module, or one unit). With a deadline,
 * throws its OverBudget when the budget is spent (checked in the estimator's inner loops). `nodes`:
 * the one root's nodes in pre-order, when the caller listed them already (UnitContext.nodes).
 */
export function estimateRoots(adapter: ComplexityAdapter, roots: readonly SyntaxNode[], deadline?: Deadline, nodes?: readonly SyntaxNode[]): FunctionEstimate[] {
  return new Estimator(adapter, roots, deadline, nodes).all();
}
