import type { Replacement, Rule, UnitContext } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import { assertedLength } from '../assertedLength';
import { localList, rebuildValue } from '../convert';
import type { PythonFacts } from '../facts';
import { freshEachIteration, headerText, leavesLoop, loopRelated } from '../loops';
import { isDataSized, madeByCall, nameInfo, scopeOf, usedAsList } from '../scope';
import { isBoundedLoop, scalingLoops, windowOf } from '../boundedLoops';
import { sizeVerdict } from '../sizes';
import { addImport, comparison, functionCall, isTruthTest, methodCall } from '../syntax';
import { fixtures } from './listPopFrontInLoop.fixtures';

const DEQUE_METHODS = new Set(['append', 'appendleft', 'extend', 'extendleft', 'popleft', 'clear', 'count', 'remove', 'reverse', 'rotate', 'copy']);

function isZero(n: SyntaxNode | undefined): boolean {
  return n?.type === 'integer' && n.text === '0';
}


const DEQUE_IMPORT = /^from\s+collections\s+import\s[^\n]*\bdeque\b/m;

/** Fix: make the local a `collections.deque`, when every use means the same on a deque. */
function dequeFix(ctx: UnitContext, name: string, node: SyntaxNode): Replacement[] | null {
  const local = localList(nameInfo(ctx, name, node), name);
  if (!local) return null;
  // `deque` must not name something else here (an import of collections.deque is what we add)
  if ((ctx.module.bindings.has('deque') && !DEQUE_IMPORT.test(ctx.source)) || nameInfo(ctx, 'deque', node).origin !== 'module') return null;
  const out: Replacement[] = [];
  for (const use of local.uses) {
    const p = use.parent;
    if (!p) return null;
    if (p.type === 'attribute' && use.field === 'object' && p.parent?.type === 'call' && p.field === 'function') {
      const m = methodCall(p.parent)!;
      if (m.hasKeywords) return null;
      if (m.method === 'pop' && m.args.length === 0) continue;
      if (m.method === 'pop' && m.args.length === 1 && isZero(m.args[0])) {
        out.push({ startIndex: m.methodNode.startIndex, endIndex: m.call.endIndex, newText: 'popleft()' });
        continue;
      }
      if (m.method === 'insert' && m.args.length === 2 && isZero(m.args[0])) {
        out.push({ startIndex: m.methodNode.startIndex, endIndex: m.args[1].startIndex, newText: 'appendleft(' });
        continue;
      }
      if (DEQUE_METHODS.has(m.method)) continue;
      return null;
    }
    if (isTruthTest(use)) continue;
    // q[0] / q[-1] reads: O(1) on a deque too (slices are not supported by deque)
    if (p.type === 'subscript' && use.field === 'value' && p.parent?.type !== 'delete_statement' && !(p.parent?.type === 'assignment' && p.field === 'left') && !(p.parent?.type === 'augmented_assignment' && p.field === 'left')) {
      const idx = p.childrenIn('subscript');
      if (idx.length === 1 && /^-?[01]$/.test(idx[0].text.replace(/\s+/g, '')) && idx[0].text.trim() !== '-0') continue;
      return null;
    }
    if (p.type === 'argument_list' && functionCall(p.parent!)?.name === 'len') continue;
    if (p.type === 'for_statement' && use.field === 'right') continue;
    const c = comparison(p);
    if (c && c.right === use && (c.op === 'in' || c.op === 'not in')) continue;
    return null;
  }
  const value = rebuildValue(local.value, 'deque');
  if (!value) return null;
  const imp = addImport(ctx.source, 'from collections import deque', DEQUE_IMPORT);
  return [...value, ...out, ...(imp ? [imp] : [])];
}

export const listPopFrontInLoop: Rule<PythonFacts> = {
  code: 'HP102',
  name: 'list-pop-front-in-loop',
  languages: ['python'],
  severity: 'warning',
  summary: '`list.pop(0)` / `list.insert(0, x)` inside a loop shifts every element on each call.',
  cost: 'O(n²) → O(n)',
  safeFix: true,
  covers: [],
  docs: `## What it does
Flags \`items.pop(0)\` and \`items.insert(0, x)\` inside a loop when \`items\` is known to be a list whose size
depends on the data (a local built by \`list(...)\`, a comprehension, a growing literal, or a parameter
annotated \`list[...]\`).

## Why
A Python list is an array: removing or inserting at the front moves all n remaining elements, O(n)
per call, so draining a queue of n items this way costs O(n²). \`collections.deque\` does both ends in O(1).
\`pop()\` from the end is O(1) and is not flagged; neither is \`x.pop(0)\` on something not known to be a list
(it may already be a deque). An \`x.insert(0, y)\` on a value the function makes by a call (\`s =
stream.Score()\`, \`el.getElementsByClass(…)\`) needs a list method other than \`insert\` on it as evidence:
music21 streams and ElementTree elements define \`insert\` too (issue 13 round 12). A sorted insert into the same list in
the same iteration (\`insort(items, x)\`) already moves its tail, O(n) either way: information (issue 13
round 14). A fresh list whose length an \`assert\` just before the loop caps with literals (\`assert
len(children) in (3, 4)\`), with nothing after it that adds to, aliases or rebinds the list, is not flagged;
a nested function or lambda of the function that mentions the list (a closure that appends to it,
wherever it is defined), or a call in the loop of a function defined there, keeps the finding.

## Example
\`\`\`python
def process_queue(jobs):
    queue = list(jobs)
    while queue:
        job = queue.pop(0)      # shifts the whole list
        handle(job)
\`\`\`
## Fix
\`\`\`python
from collections import deque

def process_queue(jobs):
    queue = deque(jobs)
    while queue:
        job = queue.popleft()   # O(1)
        handle(job)
\`\`\`
The quick fix is offered when the list is a local bound once and every use is also a deque operation
(\`append\`, \`pop()\`, \`pop(0)\` → \`popleft()\`, \`insert(0, x)\` → \`appendleft(x)\`, \`extend\`, \`len\`, truth tests,
iteration, \`in\`, reading \`q[0]\` or \`q[-1]\`); it adds \`from collections import deque\` when missing.`,
  fixtures,
  create(ctx) {
    const visit = (node: SyntaxNode) => {
      const m = methodCall(node);
      if (!m || m.hasKeywords) return;
      const front = (m.method === 'pop' && m.args.length === 1 && isZero(m.args[0])) || (m.method === 'insert' && m.args.length === 2 && isZero(m.args[0]));
      if (!front) return;
      const name = m.receiver.text;
      // Loops around which the list persists: not those that bind a new one on every iteration.
      const loops = scalingLoops(ctx.facts.loops(node), ctx.module).filter((l) => m.receiver.type !== 'identifier' || !freshEachIteration(name, l));
      if (loops.length === 0) return;
      // Followed by `return`/`break`: it runs once per loop, not once per iteration.
      if (leavesLoop(node, loops[0])) return;
      const info = m.receiver.type === 'identifier' ? nameInfo(ctx, name, m.receiver) : null;
      if (info && info.kind === 'list') {
        if (!isDataSized(info, name, (l) => isBoundedLoop(l, ctx.module))) return;
      } else {
        // A value the function makes by a call (`stream.Score()`, `el.getElementsByClass(…)`) is what
        // that call returns: its own `insert` calls are no evidence of a list (music21 streams and
        // ElementTree elements define insert). An untyped parameter's list use is read as before.
        const made = m.method === 'insert' && madeByCall(m.receiver);
        if (!usedAsList(ctx, m.receiver, scopeOf(node), made ? 'insert' : undefined)) return;
      }
      const window = m.method === 'pop' ? windowOf(name, node, loops[0], ctx.module, loops[1]) : null;
      if (window === 'bounded') return;
      // `assert len(children) in (3, 4)` on a fresh list just before the loop, nothing added after it.
      if (m.method === 'pop' && m.receiver.type === 'identifier' && assertedLength(name, loops[0]) !== null) return;
      const fix = info?.kind === 'list' ? dequeFix(ctx, name, m.receiver) : null;
      const verdict =
        window === 'window'
          ? { severity: 'information' as const, note: `; \`${name}\` is a sliding window (one append, one pop per step), so each pop moves its k items, not n: collections.deque(maxlen=k) makes it O(1)` }
          : window === 'flush'
            ? { severity: 'information' as const, note: `; \`${name}\` is a buffer its own \`${headerText(loops[0])}\` flush keeps below that length (the loop around adds one item at a time), so each pop moves that many items, not n` }
            : sizeVerdict(node, loops, m.receiver, ctx.module);
      ctx.report({
        node,
        severity: verdict.severity,
        message: `\`${name}.${m.method}(0${m.method === 'insert' ? ', …' : ''})\` on a list inside a loop shifts every element: O(n) per call, O(n²) overall; use collections.deque${verdict.note}`,
        related: [loopRelated(loops[0], `the loop: \`${headerText(loops[0])}\``)],
        fix: fix ? { title: `Make \`${name}\` a collections.deque`, replacements: fix } : undefined,
      });
    };
    return { call: visit };
  },
};
