import type { Rule } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import type { PythonFacts } from '../facts';
import { headerText, leavingBy, loopRelated } from '../loops';
import { isDataSized, nameInfo } from '../scope';
import { isBoundedLoop, scalingLoops, windowOf } from '../boundedLoops';
import { sizeVerdict } from '../sizes';
import { py } from '../syntax';

/** `del x[0]`: the name node, or null. */
function delFront(node: SyntaxNode): SyntaxNode | null {
  if (node.type !== 'delete_statement') return null;
  const targets = node.namedChildren;
  if (targets.length !== 1 || targets[0].type !== 'subscript') return null;
  const v = targets[0].child('value');
  const idx = targets[0].childrenIn('subscript');
  if (v?.type !== 'identifier' || idx.length !== 1) return null;
  const i = idx[0];
  if (i.type === 'integer' && i.text === '0') return v;
  // del x[:k]; not `del x[:]`, which empties the list once (ply yacc's error recovery, issue 13 round 5)
  if (i.type === 'slice' && /^:\s*[^\s:]/.test(i.text.trim())) return v;
  return null;
}

/** `x = x[k:]` (a suffix slice): the name node, or null. */
function suffixSlice(node: SyntaxNode): SyntaxNode | null {
  if (node.type !== 'assignment' || node.child('type')) return null;
  const left = node.child('left');
  const right = node.child('right');
  if (left?.type !== 'identifier' || right?.type !== 'subscript') return null;
  const v = right.child('value');
  const idx = right.childrenIn('subscript');
  if (v?.type !== 'identifier' || v.text !== left.text || idx.length !== 1 || idx[0].type !== 'slice') return null;
  const parts = idx[0].text.split(':');
  // start given, no stop, no step: `x[1:]`, `x[n:]`; not `x[-k:]`, which keeps the last k items (a window)
  if (parts.length !== 2 || parts[0].trim() === '' || parts[0].trim().startsWith('-') || parts[1].trim() !== '') return null;
  return left;
}

export const queueResliceInLoop: Rule<PythonFacts> = {
  code: 'HP112',
  name: 'queue-reslice-in-loop',
  languages: ['python'],
  severity: 'warning',
  summary: '`del items[0]` or `items = items[1:]` inside a loop moves or copies the rest of the sequence every time.',
  cost: 'O(n²) → O(n)',
  covers: [],
  docs: `## What it does
Flags, inside a loop, \`del items[0]\` / \`del items[:k]\` on a list and \`items = items[k:]\` on a list or a
string, when the name is known to hold one whose size depends on the data.

## Why
Deleting from the front of a list moves every remaining element; slicing off the front copies the
rest into a new list or string. Consuming a sequence of n items this way costs O(n²). Keep an index
that advances instead, or use \`collections.deque.popleft()\`; for text, iterate or use \`str.find\` with a
start position.

## Example
\`\`\`python
def consume(tokens: list[str]):
    while tokens:
        handle(tokens[0])
        tokens = tokens[1:]
\`\`\`
## Fix
\`\`\`python
def consume(tokens: list[str]):
    for token in tokens:
        handle(token)
\`\`\``,
  fixtures: [
    py('reslicing a list parameter', `def consume(tokens: list[str]):
    out = []
    while tokens:
        out.append(tokens[0])
        tokens = tokens[1:]
    return out
`, [5]),
    py('del from the front of a copied list, and of a string', `def f(xs, text: str):
    items = list(xs)
    while items:
        del items[0]
    while text:
        text = text[1:]
`, [4, 6]),
    py('unknown types, a middle slice, a constant literal, outside a loop', `def f(q, xs):
    while q:
        del q[0]
    items = list(xs)
    for i in range(3):
        items = items[1:3]
    parts = ['a', 'b']
    while parts:
        parts = parts[1:]
    items = items[1:]
`, []),
    py('`del xs[:]` empties the list (once, on error recovery): not a front removal (issue 13 round 5: ply yacc, judged wrong)', `def parse(tokens):
    lookahead = list(tokens)
    for tok in tokens:
        if tok is None:
            del lookahead[:]
            continue
        lookahead.append(tok)
    while lookahead:
        del lookahead[:2]
`, [9]),
    py('a copy followed by `break`: it runs at most once (issue 13 round 8: cmd2 complete)', `def strip_shortcut(text: str, shortcuts: list[str]):
    for s in shortcuts:
        if text.startswith(s):
            text = text[len(s):]
            break
    return text


def strip_all(text: str, shortcuts: list[str]):
    for s in shortcuts:
        if text.startswith(s):
            text = text[len(s):]
    return text
`, [12], { severity: 'information' }),
  ],
  create(ctx) {
    const visit = (node: SyntaxNode) => {
      const name = delFront(node) ?? suffixSlice(node);
      if (!name) return;
      const loops = scalingLoops(ctx.facts.loops(node), ctx.module);
      if (loops.length === 0) return;
      // Runs at most once per call: a later `return`, or a `break` of the only scaling loop (cmd2 `text = text[k:]; break`).
      const innermost = ctx.facts.loops(node)[0];
      const leaving = leavingBy(node, innermost);
      if (leaving === 'return' || (leaving === 'break' && loops.length === 1 && loops[0] === innermost)) return;
      const info = nameInfo(ctx, name.text, name);
      const isDel = node.type === 'delete_statement';
      if (!(info.kind === 'list' || (!isDel && info.kind === 'str')) || !isDataSized(info, name.text, (l) => isBoundedLoop(l, ctx.module))) return;
      const what = info.kind === 'str' ? 'string' : 'list';
      const window = isDel ? windowOf(name.text, node, loops[0], ctx.module) : null;
      if (window === 'bounded') return;
      const verdict = window === 'window' ? { severity: 'information' as const, note: `; \`${name.text}\` is a sliding window (one append, one removal per step), so each step moves its k items, not n: collections.deque(maxlen=k) makes it O(1)` } : sizeVerdict(node, loops, name, ctx.module);
      ctx.report({
        node,
        severity: verdict.severity,
        message: (isDel
          ? `\`del ${name.text}[0]\` inside a loop moves every remaining element: O(n²) overall; advance an index or use collections.deque.popleft()`
          : `\`${name.text} = ${name.text}[k:]\` copies the rest of the ${what} on every iteration: O(n²) overall; advance an index instead`) + verdict.note,
        related: [loopRelated(loops[0], `the loop: \`${headerText(loops[0])}\``)],
      });
    };
    return { delete_statement: visit, assignment: visit };
  },
};
