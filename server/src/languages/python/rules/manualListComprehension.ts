import type { Rule } from '../../../analysis/rule';
import { isAsyncFor, mentions, singleStatementBody } from '../perflint';
import { isReadAfterBinding, onlyBindingKind } from '../scope';
import { allNodes, methodCall, py } from '../util';

export const manualListComprehension: Rule = {
  code: 'HP108',
  name: 'manual-list-comprehension',
  languages: ['python'],
  severity: 'information',
  summary: 'A `for` loop that only appends a transformed item to a list is slower than a list comprehension.',
  cost: 'O(n) method calls → none (~10–25% faster)',
  covers: ['PERF401'],
  docs: `## What it does
Flags \`for x in xs: result.append(f(x))\` (optionally under one \`if\`) when \`result\` is known to be a list
(its only binding is a list literal, a comprehension, \`list(...)\` or a \`list\` annotation). Covers Ruff's
**PERF401** with the same conditions: the loop target is a plain name not read after the loop, the
appended value and the condition do not read the list itself.

## Why
Each \`result.append(...)\` looks up the method and calls it; a comprehension appends with a single
bytecode. Ruff measured ~10% faster on Python 3.11 and ~25% on 3.10. A micro-optimisation: the
complexity does not change.

## Example
\`\`\`python
filtered = []
for i in original:
    if i % 2:
        filtered.append(i * 2)
\`\`\`
## Fix
\`\`\`python
filtered = [i * 2 for i in original if i % 2]
\`\`\`
or \`filtered.extend(i * 2 for i in original if i % 2)\` when the list already holds items.`,
  fixtures: [
    py('append of a transformed item under an if', `def f(original):
    filtered = []
    for i in original:
        if i % 2:
            filtered.append(i * 2)
    return filtered
`, [5]),
    py('annotated parameter list', `def f(xs, out: list[int]):
    for x in xs:
        out.append(x + 1)
`, [3]),
    py('plain copies are HP109; elif, two statements, self-reference', `def f(xs):
    a = []
    for x in xs:
        a.append(x)
    b = []
    for x in xs:
        if x:
            b.append(x)
        else:
            b.append(0)
    c = []
    for x in xs:
        c.append(x)
        print(x)
    d = []
    for x in xs:
        d.append(len(d) + x)
    return a, b, c, d
`, []),
    py('unknown receiver, target used after the loop, tuple target', `def f(xs, out):
    for x in xs:
        out.append(x + 1)
    res = []
    for x in xs:
        res.append(x * 2)
    print(x)
    pairs = []
    for a, b in xs:
        pairs.append(a + b)
    return res, pairs
`, []),
  ],
  check(ctx) {
    for (const node of allNodes(ctx.unit)) {
      if (node.type !== 'for_statement') continue;
      const target = node.child('left');
      if (target?.type !== 'identifier') continue;
      const shape = singleStatementBody(node);
      if (!shape || shape.stmt.type !== 'expression_statement' || shape.stmt.namedChildren.length !== 1) continue;
      const m = methodCall(shape.stmt.namedChildren[0]);
      if (!m || m.method !== 'append' || m.hasKeywords || m.args.length !== 1 || m.receiver.type !== 'identifier') continue;
      const arg = m.args[0];
      const list = m.receiver.text;
      if (!isAsyncFor(node) && !shape.test && arg.type === 'identifier' && arg.text === target.text) continue;
      if (mentions(arg, list)) continue;
      if (onlyBindingKind(ctx, list, m.receiver) !== 'list') continue;
      if (shape.test && mentions(shape.test, list)) continue;
      if (isReadAfterBinding(ctx, target, target.text, { onlyAfter: node.endIndex })) continue;
      ctx.report({
        node: m.call,
        message: `loop only appends to \`${list}\`: a list comprehension (or \`${list}.extend(…)\`) avoids a method call per item, ~10–25% faster`,
      });
    }
  },
};
