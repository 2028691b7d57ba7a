import type { Rule } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import type { PythonFacts } from '../facts';
import { comprehensionFix, mentions, singleStatementBody } from '../perflint';
import { isReadAfterBinding, onlyBindingKind } from '../scope';
import { norm, py } from '../syntax';

const TUPLES = new Set(['pattern_list', 'tuple_pattern', 'tuple']);

export const manualDictComprehension: Rule<PythonFacts> = {
  code: 'HP110',
  name: 'manual-dict-comprehension',
  languages: ['python'],
  severity: 'information',
  summary: 'A `for` loop that only fills a dict from the loop variables is slower than a dict comprehension.',
  cost: 'O(n) statements → one comprehension (~10% faster)',
  covers: ['PERF403'],
  docs: `## What it does
Flags \`for k, v in pairs: result[k] = v\` (optionally under one \`if\`) when the key and the value are loop
targets and \`result\` is known to be a dict (its only binding is a dict literal, a comprehension,
\`dict(...)\` or a \`dict\` annotation). Covers Ruff's **PERF403** with its conditions: the targets are not
read after the loop and the condition does not read the dict.

## Why
A comprehension stores each item with one bytecode instead of a subscript-assignment statement;
Ruff measured ~10% faster on Python 3.11. A micro-optimisation.

## Example
\`\`\`python
result = {}
for x, y in pairs:
    if y % 2:
        result[x] = y
\`\`\`
## Fix
\`\`\`python
result = {x: y for x, y in pairs if y % 2}
\`\`\`
or \`result.update(...)\` when the dict already holds items. The quick fix writes the comprehension when
the dict is bound to \`{}\` or \`dict()\` right before the loop and \`update\` otherwise (inside functions,
without comments in the loop, never a comprehension inside a \`try\`).`,
  fixtures: [
    py('key and value from the targets', `def f(pairs):
    result = {}
    for x, y in pairs:
        if y % 2:
            result[x] = y
    return result
`, [5], { fixed: `def f(pairs):
    result = {x: y for x, y in pairs if y % 2}
    return result
`, call: "f([('a', 1), ('b', 2), ('a', 3)])" }),
    py('dict with items: update', `def f(pairs):
    result = {'z': 0}
    for k, v in pairs:
        result[k] = v
    return result
`, [4], { fixed: `def f(pairs):
    result = {'z': 0}
    result.update({k: v for k, v in pairs})
    return result
`, call: "f([('a', 1), ('z', 2)])" }),
    py('computed value, unknown dict, target read after the loop', `def f(pairs, out):
    result = {}
    for x, y in pairs:
        result[x] = y + 1
    for x, y in pairs:
        out[x] = y
    d = {}
    for k, v in pairs:
        d[k] = v
    print(k)
    return result
`, []),
  ],
  create(ctx) {
    const visit = (node: SyntaxNode) => {
      if (node.type !== 'for_statement') return;
      const target = node.child('left');
      if (!target) return;
      const shape = singleStatementBody(node);
      if (!shape || shape.stmt.type !== 'expression_statement' || shape.stmt.namedChildren.length !== 1) return;
      const assign = shape.stmt.namedChildren[0];
      if (assign.type !== 'assignment' || assign.child('type')) return;
      const left = assign.child('left');
      const value = assign.child('right');
      if (left?.type !== 'subscript' || !value || value.type === 'assignment') return;
      const key = left.childrenIn('subscript');
      if (key.length !== 1) return;
      let targets: SyntaxNode[];
      if (target.type === 'identifier') targets = [target];
      else if (TUPLES.has(target.type)) targets = target.namedChildren.filter((c) => c.type !== 'comment');
      else return;
      const forms = targets.map(norm);
      if (target.type === 'identifier') {
        if (norm(key[0]) !== target.text || norm(value) !== target.text) return;
      } else if (!forms.includes(norm(key[0])) || !forms.includes(norm(value))) return;
      const ids = targets.flatMap((t) => [...t.descendants()].filter((n) => n.type === 'identifier'));
      if (ids.some((id) => isReadAfterBinding(ctx, id, id.text, { onlyAfter: node.endIndex }))) return;
      const dict = left.child('value');
      if (dict?.type !== 'identifier') return;
      if (onlyBindingKind(ctx, dict.text, dict) !== 'dict') return;
      if (shape.test && mentions(shape.test, dict.text)) return;
      const fix = comprehensionFix(ctx.source, node, shape.test, { open: '{', close: '}', element: `${key[0].text}: ${value.text}`, name: dict.text, ctor: 'dict', method: 'update' });
      ctx.report({
        node: assign,
        message: `loop only fills \`${dict.text}\` from its targets: a dict comprehension (or \`${dict.text}.update(…)\`) is ~10% faster`,
        fix: fix ? { title: fix.length === 2 ? `Build \`${dict.text}\` with a dict comprehension` : `Replace the loop with \`${dict.text}.update(…)\``, replacements: fix } : undefined,
      });
    };
    return { for_statement: visit };
  },
};
