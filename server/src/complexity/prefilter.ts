// A cheap test that tells the complexity rules (HP301, HP302) when a unit's estimate cannot give
// them anything to report, so that they skip it: estimating every function is a sixth of
// `hotpath check`'s time, and most functions have no loop at all.
//
// Why it is safe: in the estimator (walker.ts, sizes.ts, loopBounds.ts, recursion.ts) a cost is multiplied only
// by a loop's count (a loop, counted loop, while or comprehension, including a callback a language
// classifies as a loop), by a callee's estimate substituted with its arguments (a call to a function
// found among the roots, i.e. in this unit) and by solving recursion (a call of a function to itself,
// again by its name in this unit). Everything else adds: an operation costs a size (or n log n, or
// log n), and a size is a sum of single variables (a product of two values counts as their sum,
// growth counts the enclosing loops). So a unit with no loop and no mention of the name of one of
// its own functions (other than where it is defined) gives every function at most a linear estimate
// and no recursion: HP301 needs a term of degree ≥ 2, HP302 recursion. Only one-shot checks skip
// (`hotpath check`, the workspace check: RuleContext.keepEstimates false); the editor keeps every
// estimate for its code lenses. complexity/prefilter.test.ts checks this on real code: whole units
// of the Python 3.11 standard library and the JavaScript/TypeScript of installed packages.
import type { SyntaxNode } from '../parsing';
import type { ComplexityAdapter } from './adapter';

/**
 * Whether some function among `nodes` may be superlinear or recursive (false: it is neither).
 * `nodes`: a unit's nodes of code in pre-order, its `descendants()` (UnitContext.nodes).
 */
export function mayBeSuperlinear(adapter: ComplexityAdapter, nodes: readonly SyntaxNode[]): boolean {
  const names = new Set<string>();
  const lengths = new Set<number>();
  const definitions = new Set<SyntaxNode>();
  const leaves: SyntaxNode[] = [];
  // One pass without allocating per node (this runs for every unit); texts are compared last.
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (adapter.loopTypes.has(node.type)) {
      const c = adapter.classify(node);
      if (c && (c.kind === 'loop' || c.kind === 'counted' || c.kind === 'while' || c.kind === 'comprehension')) return true;
    }
    if (node.codeChildren.length === 0) {
      if (node.type.endsWith('identifier')) leaves.push(node);
      continue;
    }
    const shape = adapter.functionTypes.has(node.type) ? adapter.functionShape(node) : null;
    if (shape?.name) {
      names.add(shape.name);
      lengths.add(shape.name.length);
      if (shape.nameNode) definitions.add(shape.nameNode);
    }
  }
  if (names.size === 0) return false;
  for (const leaf of leaves) if (lengths.has(leaf.endIndex - leaf.startIndex) && !definitions.has(leaf) && names.has(leaf.text)) return true;
  return false;
}
