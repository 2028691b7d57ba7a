// The static complexity estimate: per function, from the syntax tree. `estimateRoots` is the
// file-level pass (calls between the functions found use each other's estimates). Each language
// plug-in supplies its ComplexityAdapter (languages/<folder>/complexity.ts) through its spec.
import type { SyntaxNode } from '../parsing';
import type { ComplexityAdapter } from './adapter';
import { Estimator, type FunctionEstimate } from './estimate';

export type { ComplexityAdapter } from './adapter';
export type { FunctionEstimate } from './estimate';
export { fastVariantNames } from './slowOnPurpose';

/** Estimates of every named function under the roots (a whole module, or one unit). */
export function estimateRoots(adapter: ComplexityAdapter, roots: readonly SyntaxNode[]): FunctionEstimate[] {
  return new Estimator(adapter, roots).all();
}
