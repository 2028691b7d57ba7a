import type { Replacement, Rule, UnitContext } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import type { PythonFacts } from '../facts';
import { headerText, loopRelated, onlyConstantLoops } from '../loops';
import { PURE_BUILTINS } from '../mutation';
import { kindOf } from '../kinds';
import { bindingsOf, nameInfo, referencesIn, storeContext } from '../scope';
import { noGrowthNote } from '../../../analysis/sizeVerdict';
import { loopEvidence } from '../sizes';
import { comparison, functionCall, isTruthTest, py } from '../syntax';

/** `x = x + rhs` / `x = rhs + x` with a plain name: the pieces, or null. */
function concat(node: SyntaxNode): { name: SyntaxNode; other: SyntaxNode; append: boolean } | null {
  if (node.type !== 'assignment' || node.child('type')) return null;
  const left = node.child('left');
  const right = node.child('right');
  if (left?.type !== 'identifier' || right?.type !== 'binary_operator' || right.child('operator')?.text !== '+') return null;
  const l = right.child('left');
  const r = right.child('right');
  if (!l || !r) return null;
  if (l.type === 'identifier' && l.text === left.text) return { name: left, other: r, append: true };
  if (r.type === 'identifier' && r.text === left.text) return { name: left, other: l, append: false };
  return null;
}

/** `x = x + […]` → `x += […]`, when `x` is a fresh local list that nothing else can hold. */
function inPlaceFix(ctx: UnitContext, node: SyntaxNode, name: string): Replacement[] | null {
  const info = nameInfo(ctx, name, node.child('left')!);
  const b = info.binding;
  if (info.origin !== 'local' || !b || b.kind !== 'assign' || b.chained || !b.value || !info.scope) return null;
  const fresh = b.value.type === 'list' || b.value.type === 'list_comprehension' || ['list', 'sorted'].includes(functionCall(b.value)?.name ?? '');
  if (!fresh) return null;
  // every binding is the initial one or an `x = x + …` concatenation
  for (const other of bindingsOf(info.scope).get(name) ?? []) {
    if (other === b) continue;
    if (other.kind !== 'assign' || !concat(other.site)) return null;
  }
  for (const ref of referencesIn(info.scope, name)) {
    if (storeContext(ref)) continue;
    const p = ref.parent!;
    if (p.type === 'binary_operator' && p.parent && concat(p.parent)?.name.text === name) continue;
    if (p.type === 'return_statement') continue;
    if (p.type === 'subscript' && ref.field === 'value') continue;
    if (p.type === 'attribute' && ref.field === 'object') continue;
    if (p.type === 'argument_list' && PURE_BUILTINS.has(functionCall(p.parent!)?.name ?? '')) continue;
    if (comparison(p) || isTruthTest(ref)) continue;
    // iterated (`for y in x`) or handed anywhere else: in-place growth would be visible
    return null;
  }
  const right = node.child('right')!;
  return [{ startIndex: node.startIndex, endIndex: right.endIndex, newText: `${name} += ${right.child('right')!.text}` }];
}

export const quadraticListConcat: Rule<PythonFacts> = {
  code: 'HP111',
  name: 'quadratic-list-concat',
  languages: ['python'],
  severity: 'warning',
  summary: '`items = items + [x]` inside a loop copies the whole list on every iteration.',
  cost: 'O(n²) → O(n)',
  safeFix: true,
  covers: [],
  docs: `## What it does
Flags \`items = items + more\` and \`items = more + items\` inside a loop when \`items\` is known to be a list
and \`more\` is a list.

## Why
\`items + more\` builds a brand-new list and copies both operands into it, so growing a list this way
over n iterations copies 1 + 2 + … + n elements: O(n²). \`items.append(x)\`, \`items.extend(more)\` and
\`items += more\` grow the list in place in amortised O(len(more)). Prepending (\`[x] + items\`) is better
served by \`collections.deque.appendleft\`, or by appending and reversing once at the end.

## Example
\`\`\`python
def squares(n):
    out = []
    for i in range(n):
        out = out + [i * i]
    return out
\`\`\`
## Fix
\`\`\`python
    for i in range(n):
        out += [i * i]          # or out.append(i * i)
\`\`\`
The quick fix (\`x = x + […]\` → \`x += […]\`) is offered only when the list is a fresh local that no other
name, container or callee can hold, and is not iterated: there, growing it in place is invisible.`,
  fixtures: [
    py('append by concatenation', `def squares(n):
    out = []
    for i in range(n):
        out = out + [i * i]
    return out
`, [4], { fixed: `def squares(n):
    out = []
    for i in range(n):
        out += [i * i]
    return out
`, call: 'squares(5)' }),
    py('prepend by concatenation, annotated parameter', `def rev(xs, acc: list[int]):
    for x in xs:
        acc = [x] + acc
    return acc
`, [3]),
    py('parameter list: no fix (the caller holds the old list)', `def f(xs: list[int], n):
    while n:
        xs = xs + [n]
        n -= 1
    return xs
`, [3]),
    py('list that is iterated: no fix', `def f(n):
    out = [0]
    for i in range(n):
        for y in out:
            print(y)
        out = out + [i]
    return out
`, [6]),
    py('numbers, strings, tuples and unknown types are fine', `def f(xs, acc):
    total = 0
    s = ''
    for x in xs:
        total = total + x
        s = s + str(x)
        acc = acc + [x]
    return total, s, acc
`, []),
    py('outside a loop', `def f(xs):
    out = list(xs)
    out = out + [1]
    return out
`, []),
    py('no evidence the loop grows with the input: a walk up parent links (issue 13 principle; information, the fix still offered)', `def ancestors(node):
    out = []
    while node.parent is not None:
        node = node.parent
        out = out + [node]
    return out
`, [5], { severity: 'information', fixed: `def ancestors(node):
    out = []
    while node.parent is not None:
        node = node.parent
        out += [node]
    return out
` }),
  ],
  create(ctx) {
    const visit = (node: SyntaxNode) => {
      const c = concat(node);
      if (!c) return;
      const loops = ctx.facts.loops(node);
      if (loops.length === 0 || onlyConstantLoops(loops)) return;
      if (kindOf(c.other) !== 'list') return;
      if (nameInfo(ctx, c.name.text, c.name).kind !== 'list') return;
      const fix = c.append ? inPlaceFix(ctx, node, c.name.text) : null;
      // The list grows once per iteration, so it is as long as the loop runs: in a function, a warning
      // only where a loop visibly runs once per element of an input (as HP103).
      const info = nameInfo(ctx, c.name.text, c.name);
      const inFunction = info.scope?.type === 'function_definition' || info.scope?.type === 'lambda';
      const evidence = inFunction ? loops.map((l) => loopEvidence(l)) : [];
      const unseen = inFunction && !evidence.some((e) => e.sized) ? noGrowthNote((evidence[0] as { why: string }).why) : '';
      ctx.report({
        node,
        severity: unseen ? 'information' : undefined,
        message: (c.append
          ? `\`${c.name.text} = ${c.name.text} + …\` copies the whole list on every iteration: O(n²); use \`${c.name.text} += …\` or \`.append()\`, O(1) amortised`
          : `\`${c.name.text} = … + ${c.name.text}\` copies the whole list on every iteration: O(n²); append and reverse once, or use collections.deque.appendleft`) + unseen,
        related: [loopRelated(loops[0], `the loop: \`${headerText(loops[0])}\``)],
        fix: fix ? { title: `Grow \`${c.name.text}\` in place with +=`, replacements: fix } : undefined,
      });
    };
    return { assignment: visit };
  },
};
