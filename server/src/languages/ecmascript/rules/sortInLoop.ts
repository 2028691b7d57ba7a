import type { Rule } from '../../../analysis/rule';
import { oneLine } from '../../../notation';
import type { SyntaxNode } from '../../../parsing';
import type { EcmascriptFacts } from '../facts';
import { loopRelated } from '../loops';
import { isInvariantIn, readsOnlyInvariant } from '../mutation';
import { scalingLoops, sizeVerdict } from '../sizes';
import { patternNames, unwrap } from '../syntax';

/** The array a sort call sorts, and whether it is a copy: `xs.sort()`, `xs.toSorted()`, `[...xs].sort()`, `xs.slice().sort()`, `Array.from(xs).sort()`. */
function sortedBase(call: SyntaxNode): { base: SyntaxNode; copy: boolean; method: string } | null {
  const member = unwrap(call.child('function'));
  if (member?.type !== 'member_expression') return null;
  const method = member.child('property')?.text ?? '';
  if (method !== 'sort' && method !== 'toSorted') return null;
  const recv = unwrap(member.child('object'));
  if (!recv) return null;
  if (recv.type === 'array') {
    const els = recv.namedChildren;
    if (els.length === 1 && els[0].type === 'spread_element') {
      const b = unwrap(els[0].namedChildren[0] ?? null);
      return b ? { base: b, copy: true, method } : null;
    }
    return null;
  }
  if (recv.type === 'call_expression') {
    const fn = unwrap(recv.child('function'));
    const args = recv.child('arguments')?.namedChildren ?? [];
    if (fn?.text === 'Array.from' && args.length === 1) return { base: args[0], copy: true, method };
    if (fn?.type === 'member_expression' && fn.child('property')?.text === 'slice' && args.length === 0) {
      const b = unwrap(fn.child('object'));
      return b ? { base: b, copy: true, method } : null;
    }
    return null;
  }
  return { base: recv, copy: method === 'toSorted', method };
}

/**
 * A mutation, inside `loop`, of the elements of `array` reached through a nested `for…of` over it
 * (`for (const { list } of array) list.pop()`, `for (const x of array) x.n--`): the text, or null.
 */
function elementsChangedIn(loop: SyntaxNode, array: SyntaxNode | null): string | null {
  if (array?.type !== 'identifier') return null;
  for (const n of loop.descendants()) {
    if (n.type !== 'for_in_statement' || unwrap(n.child('right'))?.text !== array.text) continue;
    const names = new Set(patternNames(n.child('left')));
    for (const m of n.descendants()) {
      const target =
        m.type === 'call_expression' && unwrap(m.child('function'))?.type === 'member_expression' && /^(pop|push|shift|unshift|splice|sort|add|delete|set|clear)$/.test(unwrap(m.child('function'))!.child('property')?.text ?? '')
          ? unwrap(unwrap(m.child('function'))!.child('object'))
          : m.type === 'assignment_expression' || m.type === 'augmented_assignment_expression' || m.type === 'update_expression'
            ? unwrap(m.child('left') ?? m.namedChildren[0] ?? null)
            : null;
      let root = target;
      while (root && (root.type === 'member_expression' || root.type === 'subscript_expression')) root = unwrap(root.child('object'));
      if (root?.type === 'identifier' && names.has(root.text) && target !== root) return oneLine(m.text, 40);
      if (root?.type === 'identifier' && names.has(root.text) && m.type === 'call_expression') return oneLine(m.text, 40);
    }
  }
  return null;
}

export const sortInLoop: Rule<EcmascriptFacts> = {
  code: 'HP208',
  name: 'sort-in-loop',
  languages: ['javascript', 'typescript', 'tsx'],
  severity: 'warning',
  summary: 'The same array is sorted again on every iteration of a loop.',
  cost: 'O(n·m log m) → O(m log m + n)',
  covers: [],
  docs: `
**What.** \`xs.toSorted()\`, \`[...xs].sort()\` or \`xs.slice().sort()\` inside a loop, where neither \`xs\` nor
the comparator changes in the loop, sorts the same data n times. \`xs.sort()\` in place re-sorts an
array that is already sorted after the first iteration.

**Cost.** O(m log m) per iteration (a copy and a sort; an already-sorted array still costs O(m)
comparisons and comparator calls): O(n·m log m) for the loop, against O(m log m) once.

Reported when the sorted expression is a name (or a member chain of names) declared in the
function outside the loop, not assigned, mutated or passed to a call inside it, and the comparator
reads nothing that changes in the loop.

**Example.**
\`\`\`js
for (const q of queries) {
  const ranked = [...scores].sort((a, b) => b - a);
  answers.push(ranked[q]);
}
\`\`\`
**Fix.** Sort once before the loop: \`const ranked = [...scores].sort((a, b) => b - a);\`.
No quick fix: moving the sort must keep the copy-versus-in-place choice and the TDZ of the names.
`,
  fixtures: [
    {
      name: 'copy and sort an invariant array inside for…of — two unrelated inputs, no evidence the array grows with the loop: information (round 5)',
      language: 'javascript',
      code: `function kth(scores, queries) {
  const answers = [];
  for (const q of queries) {
    const ranked = [...scores].sort((a, b) => b - a);
    answers.push(ranked[q]);
  }
  return answers;
}
`,
      lines: [4],
      severity: 'information',
    },
    {
      name: 'toSorted and in-place sort of typed arrays in callbacks — two unrelated inputs, no evidence the array grows with the loop: information (round 5)',
      language: 'typescript',
      code: `export function ranks(xs: number[], names: string[], ids: string[]) {
  return ids.map((id) => {
    const sorted = names.toSorted();
    xs.sort((a, b) => a - b);
    return sorted.indexOf(id) + xs[0];
  });
}
`,
      lines: [3, 4],
      severity: 'information',
    },
    {
      name: 'fine: array changed in the loop, comparator depends on the element, sort once, sort of a fresh array',
      language: 'javascript',
      code: `function ok(items, keys) {
  const sorted = [];
  for (const it of items) {
    sorted.push(it);
    sorted.sort();
  }
  for (const k of keys) {
    const byKey = [...items].sort((a, b) => a[k] - b[k]);
    console.log(byKey[0]);
  }
  const once = [...items].sort();
  for (const it of items) {
    const local = it.values.slice().sort();
    console.log(local, once);
  }
}
`,
      lines: [],
    },
  ],
  create(ctx) {
    const facts = ctx.facts;
    const visit = (call: SyntaxNode) => {
      if (call.type !== 'call_expression') return;
      const s = sortedBase(call);
      if (!s) return;
      const loops = scalingLoops(ctx.facts.loops(call), ctx.module);
      const loop = loops[0];
      if (!loop) return;
      if (!s.copy) {
        const root = unwrap(s.base);
        if (root?.type !== 'identifier' || !['list', 'tuple'].includes(facts.kindOf(root.text, call))) return;
      }
      if (!isInvariantIn(s.base, loop, facts, call)) return;
      const args = call.child('arguments');
      if (args && !readsOnlyInvariant(args, loop, facts, call)) return;
      // The loop changes the elements the comparator reads (`for (const { list } of xs) list.pop()`):
      // each sort reorders, so it is a priority queue, not a sort to hoist.
      const changed = elementsChangedIn(loop.node, unwrap(s.base));
      const verdict = changed ? { severity: 'information' as const, note: '' } : sizeVerdict(call, loops, s.base, facts);
      ctx.report({
        node: call,
        severity: verdict.severity,
        message: changed
          ? `\`${s.base.text}\` is sorted again on every iteration while the loop changes its elements (\`${changed}\`): O(n·m log m); if only a few change per step, a priority queue (a heap) keeps the order in O(log m) per change`
          : `\`${s.base.text}\` is sorted again on every iteration although it does not change in the loop: O(n·m log m); sort once before the loop${verdict.note}`,
        related: [loopRelated(loop)],
      });
    };
    return { call_expression: visit };
  },
};
