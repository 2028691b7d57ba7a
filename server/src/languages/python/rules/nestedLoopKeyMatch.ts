import type { Rule } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import type { PythonFacts } from '../facts';
import { headerText, loopRelated } from '../loops';
import { isLoopInvariant } from '../mutation';
import { isNameRef } from '../scope';
import { sizeVerdict } from '../sizes';
import { comparison, py, snippet, statements, unparen } from '../syntax';

/** A key expression: a name, or attribute / constant-subscript accesses on it. Returns the base name. */
function keyBase(n: SyntaxNode | null): string | null {
  n = unparen(n);
  if (!n) return null;
  if (n.type === 'identifier') return n.text;
  if (n.type === 'attribute') return keyBase(n.child('object'));
  if (n.type === 'subscript') {
    const idx = n.childrenIn('subscript');
    if (idx.length !== 1 || !['string', 'integer'].includes(idx[0].type)) return null;
    return keyBase(n.child('value'));
  }
  return null;
}

/** The first operand of an `and` chain (or the expression itself). */
function firstConjunct(n: SyntaxNode | null): SyntaxNode | null {
  n = unparen(n);
  while (n?.type === 'boolean_operator' && n.child('operator')?.text === 'and') n = unparen(n.child('left'));
  return n;
}

/**
 * `X == Y` where X is keyed on `outer` and Y on `inner` (either order). Not the two elements
 * themselves when the test only skips (`if a == b: continue`) or both loops walk the same
 * collection: that is a loop over pairs leaving out the element itself, not a join.
 */
function joinTest(cond: SyntaxNode | null, outer: string, inner: string, skips: boolean, sameCollection: boolean): SyntaxNode | null {
  const c = firstConjunct(cond);
  const cmp = c ? comparison(c) : null;
  if (!c || !cmp || cmp.op !== '==') return null;
  const l = keyBase(cmp.left);
  const r = keyBase(cmp.right);
  if (!((l === outer && r === inner) || (l === inner && r === outer))) return null;
  const bare = unparen(cmp.left)?.type === 'identifier' && unparen(cmp.right)?.type === 'identifier';
  if (bare && (skips || sameCollection)) return null;
  return c;
}

/** The `if` only leaves the iteration (`continue`, `break`, `return`, `pass`). */
function onlySkips(ifStatement: SyntaxNode): boolean {
  const body = statements(ifStatement.child('consequence'));
  return body.length === 1 && ['continue_statement', 'break_statement', 'return_statement', 'pass_statement'].includes(body[0].type);
}

function mentionsName(n: SyntaxNode, name: string): boolean {
  for (const d of n.descendants()) if (d.type === 'identifier' && d.text === name && isNameRef(d)) return true;
  return false;
}

export const nestedLoopKeyMatch: Rule<PythonFacts> = {
  code: 'HP115',
  name: 'nested-loop-key-match',
  languages: ['python'],
  severity: 'warning',
  summary: 'Nested loops that compare every pair on a key equality: a dict keyed lookup does it in one pass.',
  cost: 'O(n·m) → O(n + m)',
  covers: [],
  docs: `## What it does
Flags \`for a in xs: for b in ys: if a.key == b.key:\` (and the comprehension form
\`[… for a in xs for b in ys if a.key == b.key]\`) when the inner iterable does not depend on the outer loop,
and the test compares a key of the outer item with a key of the inner item (a name, attributes, or
constant subscripts such as \`a["id"]\`). The equality may be the first operand of an \`and\`.

## Why
Comparing all pairs costs O(n·m). Indexing the inner collection by its key once (a dict from key to
item, or to a list of items when keys repeat) answers each outer item in O(1): O(n + m) overall.

## Example
\`\`\`python
def attach(orders, customers):
    for o in orders:
        for c in customers:
            if o.customer_id == c.id:
                o.customer = c
\`\`\`
## Fix
\`\`\`python
def attach(orders, customers):
    by_id = {c.id: c for c in customers}     # the last one wins; keep the first if ids repeat
    for o in orders:
        c = by_id.get(o.customer_id)
        if c is not None:
            o.customer = c
\`\`\`
No quick fix: what should happen with repeated keys or no match depends on the code. The keys must
be hashable.`,
  fixtures: [
    py('pair loops that skip the element itself are not joins (networkx random_regular_graph, geometric, traveling_salesman)', `def suitable(edges, potential_edges):
    for s1 in potential_edges:
        for s2 in potential_edges:
            if s1 == s2:
                break
            if (s1, s2) not in edges:
                return True
    return False


def complete(nodes, dist, G):
    for u in nodes:
        for v in nodes:
            if u == v:
                continue
            G.add_edge(u, v, weight=dist[u][v])
`, []),
    py('join on attributes — two unrelated inputs, no evidence the collection grows with the loop: information (round 5)', `def attach(orders, customers):
    for o in orders:
        for c in customers:
            if o.customer_id == c.id:
                o.customer = c
`, [4], { severity: 'information' }),
    py('join on subscripts in a comprehension, with a second condition — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains', `def f(xs, ys):
    return [(a, b) for a in xs for b in ys if a["k"] == b["k"] and b["ok"]]
`, [2], { severity: 'information' }),
    py('inner iterable depends on the outer item; not an equality; different keys on one side', `def f(xs, ys):
    for a in xs:
        for b in a.children:
            if a.id == b.parent_id:
                print(b)
    for a in xs:
        for b in ys:
            if a.size < b.size:
                print(a)
    for a in xs:
        for b in ys:
            if a.id == a.other:
                print(b)
`, []),
    py('sizes not visible: the words come from a call on a field (issue 13: nltk conll pprint; information)', `class Instances(list):
    def pprint(self):
        words = self.tree.leaves()
        out = []
        for i in range(len(words)):
            for inst in self:
                if i == inst.head:
                    out.append(inst.stem)
        return out
`, [7], { severity: 'information' }),
  ],
  create(ctx) {
    const visit = (node: SyntaxNode) => {
      if (node.type === 'for_statement') {
        const outer = node.child('left');
        if (outer?.type !== 'identifier') return;
        for (const inner of statements(node.child('body'))) {
          if (inner.type !== 'for_statement') continue;
          const b = inner.child('left');
          const ys = inner.child('right');
          if (b?.type !== 'identifier' || !ys || mentionsName(ys, outer.text) || !isLoopInvariant(ys, node)) continue;
          const first = statements(inner.child('body'))[0];
          if (first?.type !== 'if_statement') continue;
          const test = joinTest(first.child('condition'), outer.text, b.text, onlySkips(first), ys.text === node.child('right')?.text);
          if (!test) continue;
          const verdict = sizeVerdict(test, [node], ys, ctx.module);
          ctx.report({
            node: test,
            severity: verdict.severity,
            message: `nested loops compare every pair on \`${snippet(test, 40)}\`: O(n·m); index \`${snippet(ys, 20)}\` by its key in a dict once, O(n + m)${verdict.note}`,
            related: [loopRelated(node, `outer loop: \`${headerText(node)}\``), loopRelated(inner, `inner loop: \`${headerText(inner)}\``)],
          });
        }
      } else if (node.type === 'list_comprehension' || node.type === 'set_comprehension' || node.type === 'generator_expression' || node.type === 'dictionary_comprehension') {
        const clauses = node.namedChildren.filter((c) => c.type === 'for_in_clause' || c.type === 'if_clause');
        for (let i = 0; i + 2 < clauses.length + 1; i++) {
          const c1 = clauses[i];
          const c2 = clauses[i + 1];
          const cond = clauses[i + 2];
          if (c1?.type !== 'for_in_clause' || c2?.type !== 'for_in_clause' || cond?.type !== 'if_clause') continue;
          const a = c1.child('left');
          const b = c2.child('left');
          const ys = c2.child('right');
          if (a?.type !== 'identifier' || b?.type !== 'identifier' || !ys || mentionsName(ys, a.text)) continue;
          if (!isLoopInvariant(ys, node)) continue;
          const test = joinTest(cond.namedChildren[0] ?? null, a.text, b.text, false, ys.text === c1.child('right')?.text);
          if (!test) continue;
          const verdict = sizeVerdict(test, [node], ys, ctx.module);
          ctx.report({
            node: test,
            severity: verdict.severity,
            message: `nested loops compare every pair on \`${snippet(test, 40)}\`: O(n·m); index \`${snippet(ys, 20)}\` by its key in a dict once, O(n + m)${verdict.note}`,
            related: [{ node: c1, message: 'outer loop' }, { node: c2, message: 'inner loop' }],
          });
        }
      }
    };
    return { for_statement: visit, list_comprehension: visit, set_comprehension: visit, generator_expression: visit, dictionary_comprehension: visit };
  },
};
