// Amortised loop counts: loops whose iterations, summed over the loop around them, are bounded by
// something smaller than the product of the two counts (loopBounds.ts asks these).
import type { SyntaxNode } from '../parsing';

/** An empty collection to start from: `[]`, `deque()`, `list()`, `new Array()`. */
const EMPTY_START = /^(?:\[\]|(?:collections\.)?deque\(\)|list\(\)|newArray\(\))$/;

/**
 * `for x in xs: … while s and …: s.pop() … s.append(x)` (a monotonic stack or queue): the while
 * drains a collection that starts empty and gains one element per iteration of the loop around it,
 * so all its iterations together are at most that loop's: amortised O(1) per outer iteration.
 * `collection`: the drained name's assigned values and assignment sites, and its growth sites
 * (`amount` null: one element); `outerLoop`: the innermost loop around a node, if any.
 */
export function amortizedDrain(
  whileNode: SyntaxNode,
  collection: { starts: readonly (SyntaxNode | null)[]; assignSites: readonly SyntaxNode[]; grows: readonly { node: SyntaxNode; amount: SyntaxNode | null }[] },
  outerLoop: (node: SyntaxNode) => SyntaxNode | undefined,
): boolean {
  const outer = outerLoop(whileNode);
  if (!outer) return false;
  const { starts, assignSites, grows } = collection;
  if (starts.length === 0 || !starts.every((v) => !!v && EMPTY_START.test(v.text.replace(/\s/g, '')))) return false;
  if (assignSites.some((a) => outer.contains(a))) return false;
  return grows.length > 0 && grows.every((g) => g.amount === null && !whileNode.contains(g.node) && outerLoop(g.node) === outer);
}
