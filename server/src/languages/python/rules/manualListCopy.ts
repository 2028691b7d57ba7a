import type { Rule } from '../../../analysis/rule';
import type { ModuleSummary } from '../../../analysis/module';
import type { SyntaxNode } from '../../../parsing';
import type { PythonFacts } from '../facts';
import { comprehensionFix, isAsyncFor, mentions } from '../perflint';
import { isReadAfterBinding, onlyBindingKind } from '../scope';
import { methodCall, py, statements } from '../syntax';

export const manualListCopy: Rule<PythonFacts> = {
  code: 'HP109',
  name: 'manual-list-copy',
  languages: ['python'],
  severity: 'information',
  summary: 'A `for` loop that appends every item unchanged is a slow `list(xs)` / `extend(xs)`.',
  cost: 'O(n) method calls → one C-level copy (~2× faster)',
  covers: ['PERF402'],
  docs: `## What it does
Flags \`for x in xs: result.append(x)\` when \`result\` is known to be a list (its only binding is a list
literal, a comprehension, \`list(...)\` or a \`list\` annotation). Covers Ruff's **PERF402**.

## Why
\`list(xs)\`, \`xs.copy()\` or \`result.extend(xs)\` copy in C, without a Python-level method call per item:
Ruff measured about 2× faster on Python 3.11.

## Example
\`\`\`python
filtered = []
for i in original:
    filtered.append(i)
\`\`\`
## Fix
\`\`\`python
filtered = list(original)      # or filtered.extend(original)
\`\`\`
Not reported when the items come from a generator (a generator expression, or a function of the file
that yields) into a list that already holds some: \`extend(<generator>)\` is no faster than the loop.
The quick fix writes \`list(…)\` when the list is bound to \`[]\` before the loop in the same block with no
statement in between using it, \`extend\` otherwise
(inside functions, without comments in the loop).`,
  fixtures: [
    py('append every item', `def f(original):
    filtered = []
    for i in original:
        filtered.append(i)
    return filtered
`, [4], { fixed: `def f(original):
    filtered = list(original)
    return filtered
`, call: 'f((3, 1, 2))' }),
    py('append every item to a list that has items: extend', `def f(original):
    out = [0]
    for i in original:
        out.append(i)
    return out
`, [4], { fixed: `def f(original):
    out = [0]
    out.extend(original)
    return out
`, call: 'f((3, 1, 2))' }),
    py('the loop variable is read after the loop: reported, no fix (extend() would not bind it)', `def f(original):
    result = [0]
    for x in original:
        result.append(x)
    return result, x
`, [4]),
    py('items a generator yields into a list that already holds some: extend(<generator>) is no faster, not reported (deepdiff delta.py)', `class D:
    def rows(self, xs):
        for x in xs:
            yield x + 1

    def flat(self, xs):
        result = [0]
        for row in self.rows(xs):
            result.append(row)
        for row in (x * 2 for x in xs):
            result.append(row)
        return result
`, []),
    py('a generator copied into a new list: list(…) still offered', `def rows(xs):
    for x in xs:
        yield x + 1


def f(xs):
    out = []
    for r in rows(xs):
        out.append(r)
    return out
`, [9]),
    py('transformed, filtered, unknown receiver, receiver uses the target', `def f(xs, out):
    a = []
    for x in xs:
        a.append(x + 1)
    for x in xs:
        out.append(x)
    groups = {}
    for x in xs:
        groups[x].append(x)
    return a
`, []),
  ],
  create(ctx) {
    const visit = (node: SyntaxNode) => {
      if (node.type !== 'for_statement' || isAsyncFor(node)) return;
      const target = node.child('left');
      if (target?.type !== 'identifier') return;
      const body = statements(node.child('body'));
      if (body.length !== 1 || body[0].type !== 'expression_statement' || body[0].namedChildren.length !== 1) return;
      const m = methodCall(body[0].namedChildren[0]);
      if (!m || (m.method !== 'append' && m.method !== 'insert') || m.hasKeywords || m.args.length !== 1) return;
      if (m.args[0].type !== 'identifier' || m.args[0].text !== target.text) return;
      if (mentions(m.receiver, target.text) || m.receiver.type !== 'identifier') return;
      if (onlyBindingKind(ctx, m.receiver.text, m.receiver) !== 'list') return;
      // The rewrite does not bind the loop variable: code that reads it after the loop would break.
      const readAfter = isReadAfterBinding(ctx, target, target.text, { onlyAfter: node.endIndex });
      const fix = m.method === 'append' && !readAfter ? comprehensionFix(ctx.source, node, null, { open: '[', close: ']', element: target.text, name: m.receiver.text, ctor: 'list', method: 'extend', copy: true }) : null;
      // Items a generator yields into a list that already holds some: extend(<generator>) is no
      // faster than the loop (measured slower, 0.4–0.7×), so there is nothing to offer.
      if (!(fix && fix.length === 2) && yieldsItems(node.child('right'), ctx.module)) return;
      ctx.report({
        node: m.call,
        message: `loop copies every item into \`${m.receiver.text}\`: \`list(…)\` or \`${m.receiver.text}.extend(…)\` copies in C (measured 1.2–2× faster for one item, 11× at 1,000)`,
        fix: fix ? { title: fix.length === 2 ? `Build \`${m.receiver.text}\` with list(…)` : `Replace the loop with \`${m.receiver.text}.extend(…)\``, replacements: fix } : undefined,
      });
    };
    return { for_statement: visit };
  },
};

/**
 * Is `iterable` a generator: a generator expression, or a call of a function or method (`f(…)`,
 * `self.rows(…)`) that this file defines with a `yield` in its own body (ModuleSummary.nameFacts)?
 */
function yieldsItems(iterable: SyntaxNode | null, module: ModuleSummary): boolean {
  if (!iterable) return false;
  if (iterable.type === 'generator_expression') return true;
  if (iterable.type !== 'call') return false;
  const callee = iterable.child('function');
  const name = callee?.type === 'attribute' ? callee.child('attribute')?.text : callee?.type === 'identifier' ? callee.text : undefined;
  return !!name && module.nameFacts(name).definitions.some((d) => d.includes('generator'));
}
