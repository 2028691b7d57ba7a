// The static complexity estimate: per function, from the syntax tree. `estimateRoots` is the
// file-level pass (calls between the functions found use each other's estimates).
import type { LanguageId } from '../languages/language';
import type { SyntaxNode } from '../parsing';
import type { ComplexityAdapter } from './adapter';
import { ecmascriptAdapter } from './ecmascript';
import { Estimator, type FunctionEstimate } from './estimate';
import { pythonAdapter } from './python';

export type { FunctionEstimate } from './estimate';

export function adapterFor(language: LanguageId): ComplexityAdapter {
  return language === 'python' ? pythonAdapter : ecmascriptAdapter;
}

/** Estimates of every named function under the roots (a whole module, or one unit). */
export function estimateRoots(language: LanguageId, roots: SyntaxNode[]): FunctionEstimate[] {
  return new Estimator(adapterFor(language), roots).all();
}
