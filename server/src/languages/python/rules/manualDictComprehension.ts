import type { Rule } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import type { PythonFacts } from '../facts';
import { comprehensionFix, freshBinding, mentions, singleStatementBody } from '../perflint';
import { isReadAfterBinding, onlyBindingKind } from '../scope';
import { norm, py } from '../syntax';

const TUPLES = new Set(['pattern_list', 'tuple_pattern', 'tuple']);

export const manualDictComprehension: Rule<PythonFacts> = {
  code: 'HP110',
  name: 'manual-dict-comprehension',
  languages: ['python'],
  severity: 'hint',
  summary: 'A `for` loop that only fills a dict from the loop variables is slower than a dict comprehension.',
  cost: 'O(n) statements → one comprehension (about as fast, measured)',
  covers: ['PERF403'],
  docs: `## What it does
Flags \`for k, v in pairs: result[k] = v\` (optionally under one \`if\`) when the key and the value are loop
targets and \`result\` is known to be a dict (its only binding is a dict literal, a comprehension,
\`dict(...)\` or a \`dict\` annotation). Covers Ruff's **PERF403** with its conditions: the targets are not
read after the loop and the condition does not read the dict.

## Why
A comprehension stores each item with one bytecode instead of a subscript-assignment statement.
Ruff quotes ~10% on Python 3.11; \`npm run bench -- fixes\` measured about the same speed as the loop
at 1,000 items and slower for a few items, so this is a hint about style, not speed.

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
When the dict already holds items Ruff suggests \`result.update(...)\`, but both \`update({…})\` and
\`update(<generator>)\` measured slower than the loop (0.4–0.8×): Hotpath still reports it (as Ruff's
PERF403 does) and says so, with no fix. The quick fix writes the comprehension when the dict is bound to
\`{}\` or \`dict()\` before the loop in the same block with no statement in between using it (inside functions,
without comments in the loop, not inside a \`try\`, not for a \`global\` loop target).`,
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
    py('dict with items: reported for Ruff parity, no fix (update() measured slower than the loop)', `def f(pairs):
    result = {'z': 0}
    for k, v in pairs:
        result[k] = v
    return result
`, [4]),
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
        message: fix
          ? `loop only fills \`${dict.text}\` from its targets: a dict comprehension says it in one expression (measured about as fast as the loop on CPython 3.11)`
          : freshBinding(node, dict.text, 'dict')
            ? `loop only fills \`${dict.text}\` from its targets: Ruff's PERF403 suggests \`${dict.text}.update(…)\` here, but that measured slower than this loop on CPython 3.11 (0.4–0.8×); only a comprehension that builds the dict is not`
            : `loop only fills \`${dict.text}\` from its targets: Ruff's PERF403 suggests \`${dict.text}.update(…)\` here, but that measured slower than this loop on CPython 3.11 (0.4–0.8×); a dict comprehension is not slower only where it builds the dict, and \`${dict.text}\` may already hold entries when the loop starts (it is not bound to \`{}\` in this block before the loop with nothing in between using it)`,
        fix: fix ? { title: `Build \`${dict.text}\` with a dict comprehension`, replacements: fix } : undefined,
      });
    };
    return { for_statement: visit };
  },
};
