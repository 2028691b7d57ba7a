import type { Rule } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import type { EcmascriptFacts } from '../facts';
import { isConstantLoop, type Loop } from '../loops';
import { isSimpleExpression } from '../mutation';
import { sizeVerdict } from '../sizes';
import { ownDescendants, referencedNames, rootName, unwrap } from '../syntax';

/** A loop that walks a collection element by element: `for (const x of xs)` or `xs.forEach((x) => …)`. */
function isElementLoop(loop: Loop): boolean {
  if (loop.kind === 'callback') return loop.method === 'forEach';
  return loop.node.type === 'for_in_statement' && loop.node.child('operator')?.text === 'of' && !loop.node.children.some((c) => c.type === 'await');
}

/** Equalities `e1 === e2` in a condition, through `&&` and parentheses. */
function equalities(cond: SyntaxNode | null, out: SyntaxNode[] = []): SyntaxNode[] {
  cond = unwrap(cond);
  if (cond?.type !== 'binary_expression') return out;
  const op = cond.child('operator')?.text;
  if (op === '&&') {
    equalities(cond.child('left'), out);
    equalities(cond.child('right'), out);
  } else if (op === '===' || op === '==') out.push(cond);
  return out;
}

function keyOf(side: SyntaxNode, names: string[]): string | null {
  const root = rootName(side);
  if (!root || !names.includes(root) || !isSimpleExpression(side)) return null;
  if ([...side.descendants()].some((n) => n.type === 'subscript_expression')) return null;
  return side.text.slice(root.length).replace(/^\?/, '').replace(/^\./, '');
}

/** `continue`, `break` or `return` alone (in a block or not): the branch only skips. */
function isSkip(branch: SyntaxNode | null): boolean {
  let b = branch;
  if (b?.type === 'statement_block' && b.namedChildren.length === 1) b = b.namedChildren[0];
  return !!b && ['continue_statement', 'break_statement', 'return_statement'].includes(b.type);
}

export const nestedLoopJoin: Rule<EcmascriptFacts> = {
  code: 'HP211',
  name: 'nested-loop-join',
  languages: ['javascript', 'typescript', 'tsx'],
  severity: 'warning',
  summary: 'Two nested loops compare every pair of elements to find the ones with equal keys.',
  cost: 'O(n·m) → O(n + m)',
  covers: [],
  docs: `
**What.** \`for (const a of xs) for (const b of ys) if (a.id === b.id) …\` looks at all n·m pairs to
find the few that match: a join done by brute force.

**Cost.** O(n·m) comparisons. Indexing one side by its key in a \`Map\` (or a Set for whole values)
costs O(m) once, then O(1) per element of the other side: O(n + m).

Reported for two nested element loops (\`for…of\`, or \`forEach\` callbacks) where the inner
collection does not depend on the outer element (\`for (const c of group.children)\` walks each
group's own children: no pairs) and an \`if\` in the inner loop tests an equality between a key of
the inner element and a key of the outer one (alone or in an \`&&\` chain).

**Example.**
\`\`\`js
for (const order of orders)
  for (const customer of customers)
    if (order.customerId === customer.id) order.customer = customer;
\`\`\`
**Fix.**
\`\`\`js
const byId = new Map(customers.map((c) => [c.id, c]));
for (const order of orders) {
  const customer = byId.get(order.customerId);
  if (customer !== undefined) order.customer = customer;
}
\`\`\`
With duplicate keys, map each key to a list. No quick fix: the loop's other work must be rearranged.
`,
  fixtures: [
    {
      name: 'for…of inside for…of matching ids — two unrelated inputs, no evidence the array grows with the loop: information (round 5)',
      language: 'javascript',
      code: `function attach(orders, customers) {
  for (const order of orders) {
    for (const customer of customers) {
      if (order.customerId === customer.id) order.customer = customer;
    }
  }
  return orders;
}
`,
      lines: [4],
      severity: 'information',
    },
    {
      name: 'forEach inside forEach, equality inside an && chain — two unrelated inputs, no evidence the array grows with the loop: information (round 5)',
      language: 'typescript',
      code: `type Row = { id: number; kind: string };
export function pairs(left: Row[], right: Row[]) {
  const out: [Row, Row][] = [];
  left.forEach((a) => {
    right.forEach((b) => {
      if (b.kind === 'x' && a.id === b.id) out.push([a, b]);
    });
  });
  return out;
}
`,
      lines: [6],
      severity: 'information',
    },
    {
      name: 'fine: inner loop over the outer element, non-equality, loop over a literal, index loops',
      language: 'javascript',
      code: `function ok(groups, xs, ys) {
  for (const g of groups) {
    for (const m of g.members) if (m.id === g.owner) return m;
  }
  for (const x of xs) for (const y of ys) if (x.t < y.t) return x;
  for (const x of xs) for (const k of ['a', 'b']) if (x.kind === k) return x;
  for (let i = 0; i < xs.length; i++) for (let j = 0; j < ys.length; j++) if (xs[i] === ys[j]) return i;
  return null;
}
`,
      lines: [],
    },
    {
      name: 'fine: pair loops that skip the element itself (webpack AggressiveMergingPlugin, SSRManifestPlugin)',
      language: 'javascript',
      code: `function best(chunks, targets, ofModule) {
  for (const a of chunks) {
    for (const b of chunks) {
      if (b === a) break;
      consider(a, b);
    }
  }
  for (const chunk of ofModule) {
    for (const target of targets) {
      if (target === chunk) continue;
      link(target, chunk);
    }
  }
}
`,
      lines: [],
    },
    {
      name: 'sizes not visible: declarations parsed by a call, a field of a parameter (issue 13: webpack CSS parser, RemoveEmptyChunksPlugin; information)',
      language: 'javascript',
      code: `function merge(before, rest) {
  const earlier = blockDeclarations(before.text);
  const later = blockDeclarations(rest);
  for (const one of earlier) {
    for (const held of later) {
      if (held.property === one.property) drop(one);
    }
  }
}
function removeEmpty(compilation, chunks) {
  for (const chunk of chunks) {
    for (const [name, named] of compilation.namedChunks) {
      if (named === chunk) compilation.namedChunks.delete(name);
    }
  }
}
`,
      lines: [6, 13],
      severity: 'information',
    },
  ],
  create(ctx) {
    const visit = (node: SyntaxNode) => {
      if (node.type !== 'if_statement') return;
      const loops = ctx.facts.loops(node);
      const inner = loops[0];
      const outer = loops[1];
      if (!inner || !outer || !isElementLoop(inner) || !isElementLoop(outer) || isConstantLoop(inner) || isConstantLoop(outer)) return;
      // The if must belong to the inner loop's own body (not a nested function).
      const innerBody = inner.kind === 'callback' ? inner.node : inner.node.child('body');
      if (!innerBody || ![...ownDescendants(innerBody)].includes(node)) return;
      if (!inner.iterable || !isSimpleExpression(inner.iterable)) return;
      const innerReads = referencedNames(inner.iterable);
      if (outer.iterationNames.some((n) => innerReads.has(n))) return;
      // The inner collection must exist before the outer loop (not built per outer element).
      let builtInside = false;
      for (const n of outer.node.descendants()) {
        if (n.type === 'variable_declarator' && innerReads.has(n.child('name')?.text ?? '')) builtInside = true;
      }
      if (builtInside) return;
      for (const eq of equalities(node.child('condition'))) {
        const l = unwrap(eq.child('left'));
        const r = unwrap(eq.child('right'));
        if (!l || !r) continue;
        let innerKey = keyOf(l, inner.iterationNames);
        let outerKey = keyOf(r, outer.iterationNames);
        if (innerKey === null || outerKey === null) {
          innerKey = keyOf(r, inner.iterationNames);
          outerKey = keyOf(l, outer.iterationNames);
        }
        if (innerKey === null || outerKey === null) continue;
        // `if (b === a) continue/break`: a pair loop skipping the element itself, not a join.
        if (innerKey === '' && outerKey === '' && (isSkip(node.child('consequence')) || outer.iterable?.text === inner.iterable.text)) continue;
        const coll = inner.iterable.text;
        const how = innerKey === '' ? `a Set of \`${coll}\`` : `\`${coll}\` indexed by \`${innerKey}\` in a Map`;
        const verdict = sizeVerdict(eq, [outer], inner.iterable, ctx.facts);
        ctx.report({
          node: eq,
          severity: verdict.severity,
          message: `the nested loops compare every pair to match \`${eq.text}\`: O(n·m); look each element up in ${how} built once${verdict.note}`,
          related: [
            { node: outer.header, message: 'outer loop' },
            { node: inner.header, message: 'inner loop over every element for each outer one' },
          ],
        });
        break;
      }
    };
    return { if_statement: visit };
  },
};
