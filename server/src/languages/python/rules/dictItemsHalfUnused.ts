import type { Rule } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import type { PythonFacts } from '../facts';
import { isReadAfterBinding } from '../scope';
import { methodCall, py } from '../syntax';

const TUPLES = new Set(['pattern_list', 'tuple_pattern', 'tuple', 'list_pattern']);

function elements(target: SyntaxNode): SyntaxNode[] {
  return target.namedChildren.filter((c) => c.type !== 'comment');
}

function names(el: SyntaxNode): SyntaxNode[] | null {
  if (el.type === 'identifier') return [el];
  if (!TUPLES.has(el.type)) return null;
  const out: SyntaxNode[] = [];
  for (const c of elements(el)) {
    const n = names(c);
    if (!n) return null;
    out.push(...n);
  }
  return out;
}

export const dictItemsHalfUnused: Rule<PythonFacts> = {
  code: 'HP106',
  name: 'dict-items-half-unused',
  languages: ['python'],
  severity: 'information',
  summary: '`for k, v in d.items()` where only the keys or only the values are used.',
  cost: 'O(n) tuple allocations → none',
  covers: ['PERF102'],
  docs: `## What it does
Flags \`for key, value in obj.items():\` when the key or the value is never read (before the name is
bound again). Covers Ruff's **PERF102**.

## Why
\`.items()\` builds a \`(key, value)\` tuple per entry and unpacks it; \`.keys()\` (or iterating the dict)
and \`.values()\` hand out the one you need. A micro-optimisation, and clearer intent.

## Example
\`\`\`python
for key, value in obj.items():
    print(value)
\`\`\`
## Fix
\`\`\`python
for value in obj.values():
    print(value)
\`\`\`
The quick fix rewrites the target and the method. Like Ruff, any \`.items()\` call without arguments is
considered a dict's.`,
  fixtures: [
    py('key unused', `def f(d):
    out = []
    for key, value in d.items():
        out.append(value)
    return out
`, [3], { fixed: `def f(d):
    out = []
    for value in d.values():
        out.append(value)
    return out
`, call: "f({'a': 1, 'b': 2})" }),
    py('value unused, parenthesized target', `def f(d):
    n = 0
    for (k, _) in d.items():
        n += len(k)
    return n
`, [3], { fixed: `def f(d):
    n = 0
    for k in d.keys():
        n += len(k)
    return n
`, call: "f({'ab': 1, 'c': 2})" }),
    py('both used, both unused, used after the loop', `def f(d):
    for k, v in d.items():
        print(k, v)
    for k, v in d.items():
        pass
    for k, v in d.items():
        print(v)
    return k
`, []),
    py('items() with arguments, three targets', `def f(d, x):
    for a, b in x.items(1):
        print(a)
    for a, b, c in d.items():
        print(a)
`, []),
    py('`self.items()` of a class that defines its own items(): not dict.items(), no values() to switch to (issue 13 round 8: graphtage)', `class Node:
    def items(self):
        for slot in self.slots:
            yield slot, getattr(self, slot)

    def __iter__(self):
        for _, value in self.items():
            yield value
`, []),
  ],
  create(ctx) {
    const visit = (node: SyntaxNode) => {
      if (node.type !== 'for_statement') return;
      const target = node.child('left');
      const right = node.child('right');
      if (!target || !right || !TUPLES.has(target.type)) return;
      const els = elements(target);
      if (els.length !== 2) return;
      const m = methodCall(right);
      if (!m || m.method !== 'items' || m.args.length !== 0 || m.hasKeywords) return;
      // The object's own items() (a class of this file defines it): not dict.items(), and its keys()/values() may not exist.
      if (m.receiver.text === 'self' && ctx.module.nameFacts('items').definitions.some((d) => d.includes('self'))) return;
      const [kn, vn] = els.map(names);
      if (!kn || !vn) return;
      const used = (ns: SyntaxNode[]) => ns.some((n) => isReadAfterBinding(ctx, n, n.text));
      const ku = used(kn);
      const vu = used(vn);
      if (ku === vu) return;
      const subset = ku ? 'keys' : 'values';
      const keep = ku ? els[0] : els[1];
      ctx.report({
        node: right.child('function')!,
        message: `only the ${subset} of \`${m.receiver.text.length > 30 ? 'the dict' : m.receiver.text}\` are used: \`.items()\` builds a tuple per entry for nothing; use \`.${subset}()\``,
        fix: {
          title: `Iterate \`.${subset}()\``,
          replacements: [
            { startIndex: m.methodNode.startIndex, endIndex: m.methodNode.endIndex, newText: subset },
            { startIndex: target.startIndex, endIndex: target.endIndex, newText: keep.text },
          ],
        },
      });
    };
    return { for_statement: visit };
  },
};
