// Which bindings of a local can reach a use of it (trial9 L13: `start = self.linenostart` before a
// loop and `start = value[0:1]` in it named the loop's size after the int). Sizes (sizes.ts) sizes a name
// at a use from the last plain assignment that always runs before it and the bindings after that one.
import type { SyntaxNode } from '../parsing';

/** Nodes whose statements run one after the other (Python's and JavaScript's blocks). */
const SEQUENCES = new Set(['block', 'module', 'statement_block', 'program']);
/** Nodes between a statement and the assignment it is. */
const STATEMENT_WRAPPERS = new Set(['expression_statement']);

/** An assignment that always runs before a use, and the block whose statement it is. */
export interface LastBinding {
  site: SyntaxNode;
  block: SyntaxNode;
}

/**
 * Of the assignments of one name (`sites`, with their values; null: not a plain value), the last
 * one that is a statement of its own (`name = value`) in a block that holds `use` further down: it
 * always runs before the use, so bindings before it cannot reach the use; those after it in its
 * block may (a branch, a loop back).
 */
export function lastBindingBefore(sites: readonly SyntaxNode[], values: readonly (SyntaxNode | null)[], use: SyntaxNode): LastBinding | undefined {
  let best: LastBinding | undefined;
  sites.forEach((site, i) => {
    if (!values[i] || site.endIndex > use.startIndex || (best && site.startIndex < best.site.startIndex)) return;
    let stmt = site;
    while (stmt.parent && !SEQUENCES.has(stmt.parent.type)) {
      if (!STATEMENT_WRAPPERS.has(stmt.parent.type)) return;
      stmt = stmt.parent;
    }
    const block = stmt.parent;
    if (block && block.contains(use) && !stmt.contains(use)) best = { site, block };
  });
  return best;
}

/** Whether a binding at `node` can reach the use `from` was found for (all can without one): that one and those after it in its block. */
export function reaches(from: LastBinding | undefined, node: SyntaxNode): boolean {
  return !from || (node.startIndex >= from.site.startIndex && from.block.contains(node));
}
