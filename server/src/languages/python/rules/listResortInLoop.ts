import type { Rule } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import type { PythonFacts } from '../facts';
import { hasOwnBreak, headerText, leavesLoop, loopRelated } from '../loops';
import { isDataSized, isNameRef, nameInfo, resolveScope, scopeOf, usedAsList } from '../scope';
import { isBoundedLoop, scalingLoops } from '../boundedLoops';
import { sizeVerdict } from '../sizes';
import { functionCall, methodCall, py } from '../syntax';

/** `x.sort(...)` or `x = sorted(x, ...)` with a plain name: the name node, or null. */
function resort(node: SyntaxNode): SyntaxNode | null {
  const m = methodCall(node);
  if (m && m.method === 'sort' && m.args.length === 0 && m.receiver.type === 'identifier' && node.parent?.type === 'expression_statement') return m.receiver;
  if (node.type === 'assignment' && !node.child('type')) {
    const left = node.child('left');
    const right = node.child('right');
    const fc = right ? functionCall(right) : null;
    if (left?.type === 'identifier' && fc?.name === 'sorted' && fc.args.length === 1 && fc.args[0].type === 'identifier' && fc.args[0].text === left.text) return left;
  }
  return null;
}

/** Is `name` a target of `loop` (or of a loop inside it around `use`), or assigned in the loop before `use`? */
function boundPerIteration(name: string, use: SyntaxNode, loop: SyntaxNode): boolean {
  for (const n of loop.descendants()) {
    if (n.startIndex >= use.startIndex) break;
    if (n.type === 'identifier' && n.text === name && (n.parent?.type === 'for_statement' || n.parent?.type === 'pattern_list' || n.parent?.type === 'tuple_pattern') && n.field !== 'right') return true;
    if (n.type === 'assignment' && n.child('left')?.text === name && n !== use) return true;
  }
  const target = loop.child('left');
  return !!target && [target, ...target.descendants()].some((t) => t.type === 'identifier' && t.text === name);
}

/**
 * Does the sort's `key=` read the loop's target (`individuals.sort(key=lambda x: x.fitness[obj])` in
 * `for obj in range(k)`)? Then each iteration sorts by another order: nothing is re-sorted, and no
 * heap or single sort keeps several orders (issue 13 round 11: inspyred's crowding distance, one sort
 * per objective, heap advice wrong by both judges).
 */
function keyFollowsLoop(sort: SyntaxNode, loop: SyntaxNode): boolean {
  const call = sort.type === 'assignment' ? sort.child('right') : sort;
  const key = call?.child('arguments')?.namedChildren.find((a) => a.type === 'keyword_argument' && a.child('name')?.text === 'key')?.child('value');
  const target = loop.type === 'for_statement' ? loop.child('left') : null;
  if (!key || !target) return false;
  const bound = new Set([target, ...target.descendants()].filter((t) => t.type === 'identifier').map((t) => t.text));
  return [key, ...key.descendants()].some((n) => n.type === 'identifier' && bound.has(n.text));
}

/**
 * A key function defined in the loop body before the sort (`def sortkey(t): return abs(t.offset - ms)`)
 * that reads a name the loop assigns on every iteration before it (`ms = match.start()`): the order
 * changes with every iteration, so "sort once after the loop" is wrong advice (issue 13 round 16:
 * binary-refinery dncfx, wrong by both judges). The name of what it reads, or null.
 */
function keyClosesOverIteration(sort: SyntaxNode, loop: SyntaxNode): { key: string; reads: string } | null {
  const call = sort.type === 'assignment' ? sort.child('right') : sort;
  const key = call?.child('arguments')?.namedChildren.find((a) => a.type === 'keyword_argument' && a.child('name')?.text === 'key')?.child('value');
  const body = loop.child('body');
  if (key?.type !== 'identifier' || !body) return null;
  const defs = body.descendants().filter((n) => n.type === 'function_definition' && n.child('name')?.text === key.text && n.startIndex < sort.startIndex);
  const def = defs[defs.length - 1];
  const fnBody = def?.child('body');
  if (!fnBody) return null;
  const home = scopeOf(loop);
  const params = new Set((def.child('parameters')?.descendants() ?? []).map((p) => p.text));
  const inner = fnBody.descendants();
  const assignedInKey = new Set(inner.filter((m) => m.type === 'assignment').map((m) => m.child('left')?.text));
  for (const n of inner) {
    if (n.type !== 'identifier') continue;
    if (params.has(n.text)) continue;
    // Review 14 S1: a variable the key reads (not `t.offset`'s attribute, nor a local of the key
    // function), of the scope holding the loop, whose value changes from one iteration to the next.
    if (!isNameRef(n)) continue;
    const at = resolveScope(n.text, n);
    if (typeof at === 'string' || at.startIndex !== home.startIndex || at.endIndex !== home.endIndex) continue;
    if (boundPerIteration(n.text, def, loop) && changesPerIteration(n.text, def, loop) && !assignedInKey.has(n.text)) return { key: key.text, reads: n.text };
  }
  return null;
}

/**
 * Is `name` the loop's target, or assigned in the loop before `use` to a value that reads a call, the
 * loop's target or another name the loop assigns (`offset = match.start()`)? Not a loop-invariant
 * value rebound every pass (`origin = base`, review 14 S1).
 */
function changesPerIteration(name: string, use: SyntaxNode, loop: SyntaxNode): boolean {
  const target = loop.type === 'for_statement' ? loop.child('left') : null;
  const body = loop.child('body');
  const ids = (n: SyntaxNode) => [n, ...n.descendants()].filter((t) => t.type === 'identifier').map((t) => t.text);
  const targets = new Set(target ? ids(target) : []);
  if (targets.has(name)) return true;
  const assigns = (body?.descendants() ?? []).filter((a) => a.type === 'assignment' && a.child('left')?.type === 'identifier');
  const loopBound = new Set([...targets, ...assigns.map((a) => a.child('left')!.text)]);
  loopBound.delete(name);
  return assigns.some((a) => {
    const v = a.child('right');
    if (a.child('left')!.text !== name || a.startIndex >= use.startIndex || !v) return false;
    return [v, ...v.descendants()].some((x) => x.type === 'call' || x.type === 'await' || (x.type === 'identifier' && isNameRef(x) && loopBound.has(x.text)));
  });
}

/** `name[a:K]` read in the loop with a literal K and no other use of `name` but the sort: the first K items, or null. */
function prefixRead(loop: SyntaxNode, name: string, sort: SyntaxNode): number | null {
  let k: number | null = null;
  for (const n of loop.descendants()) {
    if (n.type !== 'identifier' || n.text !== name || (n.startIndex >= sort.startIndex && n.endIndex <= sort.endIndex)) continue;
    const p = n.parent;
    const slice = p?.type === 'subscript' && n.field === 'value' ? p.childrenIn('subscript')[0] : null;
    const hi = slice?.type === 'slice' ? Number(/^\s*(?:-?\d+|[A-Za-z_]\w*)?\s*:\s*(\d+)\s*$/.exec(slice.text)?.[1] ?? NaN) : NaN;
    if (!Number.isInteger(hi) || hi <= 0) return null;
    k = Math.max(k ?? 0, hi);
  }
  return k;
}

/** What takes the smallest (or largest) item out of `name` in the loop (`name.pop(0)`, `name[0]`), if anything. */
function takesFrom(loop: SyntaxNode, name: string): string | null {
  for (const n of loop.descendants()) {
    const m = methodCall(n);
    if (m && m.receiver.type === 'identifier' && m.receiver.text === name && m.method === 'pop') return n.text;
    if (n.type === 'subscript' && n.child('value')?.text === name && /^-?[01]$/.test(n.childrenIn('subscript')[0]?.text ?? '')) return n.text;
  }
  return null;
}

export const listResortInLoop: Rule<PythonFacts> = {
  code: 'HP117',
  name: 'list-resort-in-loop',
  languages: ['python'],
  severity: 'warning',
  summary: 'A list re-sorted on every iteration of a loop.',
  cost: 'O(m·n log n) → O(n log n) or O(m log n)',
  covers: [],
  docs: `## What it does
Flags \`items.sort()\` and \`items = sorted(items)\` inside a loop when \`items\` is known to be a list whose
size depends on the data (see HP101).

## Why
Each sort costs O(n log n) (Timsort is O(n) on data that is already sorted, but still walks the whole
list); over m iterations that is O(m·n log n). Usually the list only needs to be sorted once, after
the loop; when the loop needs it ordered as it grows, \`bisect.insort\` keeps it sorted with O(log n)
comparisons per insertion, and when it only needs the smallest item, \`heapq\` does it in O(log n).
A sort whose key changes with the loop (the loop's target, or a key function defined in the loop that
reads a variable the loop assigns from a call, its target or another name it assigns; not an attribute
name like \`t.offset\`, nor a name rebound to the same value every pass) is a new order each time, not a
re-sort: it is not flagged, except when the
loop reads only a literal prefix (\`xs[1:400]\`), where \`heapq.nsmallest(400, xs, key=…)\` is said instead.

## Example
\`\`\`python
def top(scores):
    best = []
    for s in scores:
        best.append(s)
        best.sort(reverse=True)
    return best[:3]
\`\`\`
## Fix
\`\`\`python
def top(scores):
    return sorted(scores, reverse=True)[:3]     # or heapq.nlargest(3, scores)
\`\`\`
No quick fix: whether the loop reads the order in between decides between sorting once, \`bisect\` and
\`heapq\`.`,
  fixtures: [
    py('sort after every append — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains', `def top(scores):
    best = []
    for s in scores:
        best.append(s)
        best.sort()
    return best[:3]
`, [5], { severity: 'information' }),
    py('re-sorted with sorted() in a while loop — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains', `def f(xs: list[int], n):
    while n:
        xs.append(n)
        xs = sorted(xs)
        n -= 1
    return xs
`, [4], { severity: 'information' }),
    py('an untyped list sorted and popped from on every iteration: a priority queue (issue 13 miss) — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains', `def run(items, rounds):
    for _ in range(rounds):
        items.sort()
        smallest = items.pop(0)
        items.append(smallest * 2)
    return items
`, [3], { severity: 'information' }),
    py('each iteration sorts by another key, the loop\'s own objective: no order is kept between iterations, a heap does not apply (issue 13 round 11: inspyred crowding distance, wrong by both judges); the same key every time is a re-sort', `def crowding(front, num_objectives, queue):
    individuals = list(front)
    distance = {}
    for obj in range(num_objectives):
        individuals.sort(key=lambda x: x.fitness[obj])
        distance[individuals[0].index] = float('inf')
        distance[individuals[-1].index] = float('inf')
    for job in queue:
        individuals.append(job)
        individuals.sort(key=lambda x: x.fitness[0])
        individuals.pop(0)
    return distance
`, [10], { severity: 'information' }),
    py('a key function that reads a name the loop rebinds (`ms = match.start()`) sorts by a new order each iteration: "sort once" is wrong; a read of only the first 400 items is heapq.nsmallest, a read of all of them has nothing better (issue 13 round 16: binary-refinery dncfx, wrong by both); a key that reads nothing the loop rebinds is a re-sort, as is one that reads only an attribute of that name (`t.offset`) or a name the loop rebinds to the same value every pass (review 14 S1)', `import re


def seeds(data, potential_seeds: list, pattern):
    for seed in pattern:
        potential_seeds.append(seed)
    for match in re.finditer(pattern, data):
        ms = match.start()

        def sortkey(t):
            return abs(t.offset - ms)

        potential_seeds.sort(key=sortkey)
        for seed in potential_seeds[1:400]:
            print(seed)


def seeds_all(data, potential_seeds: list, pattern):
    for seed in pattern:
        potential_seeds.append(seed)
    for match in re.finditer(pattern, data):
        ms = match.start()

        def sortkey(t):
            return abs(t.offset - ms)

        potential_seeds.sort(key=sortkey)
        for seed in potential_seeds:
            print(seed)


def seeds_fixed(data, potential_seeds: list, pattern, origin):
    for seed in pattern:
        potential_seeds.append(seed)
    for match in re.finditer(pattern, data):
        ms = match.start()

        def sortkey(t):
            return abs(t.offset - origin)

        potential_seeds.sort(key=sortkey)
        for seed in potential_seeds[1:400]:
            print(seed, ms)


def seeds_attr(data, potential_seeds: list, pattern):
    for seed in pattern:
        potential_seeds.append(seed)
    for match in re.finditer(pattern, data):
        offset = match.start()

        def sortkey(t):
            return t.offset

        potential_seeds.sort(key=sortkey)
        print(potential_seeds[0], offset)


def seeds_same(data, potential_seeds: list, pattern, base):
    for seed in pattern:
        potential_seeds.append(seed)
    for match in re.finditer(pattern, data):
        origin = base

        def sortkey(t):
            return abs(t.offset - origin)

        potential_seeds.sort(key=sortkey)
        print(potential_seeds[0], match)
`, [13, 41, 55, 68], { severities: ['information', 'information', 'information', 'information'] }),
    py('each iteration sorts its own list (pyparsing make_compressed_re)', `def groups(pairs):
    out = []
    for initial, suffixes in pairs:
        suffixes.sort(key=len)
        out.append((initial, suffixes[0]))
    return out
`, []),
    py('sorted once, sort of an unknown, constant-size, or leaving the loop', `def f(xs, ys, zs):
    out = list(xs)
    for y in ys:
        out.append(y)
    out.sort()
    for y in ys:
        zs.sort()
    pair = [1, 2]
    for y in ys:
        pair.sort()
    for y in ys:
        out.append(y)
        if y:
            out.sort()
            return out
`, []),
  ],
  create(ctx) {
    const visit = (node: SyntaxNode) => {
      const name = resort(node);
      if (!name) return;
      const loops = scalingLoops(ctx.facts.loops(node), ctx.module);
      if (loops.length === 0) return;
      if (hasOwnBreak(loops[0]) || leavesLoop(node, loops[0])) return;
      // A list bound anew on every iteration (the loop's own target, or assigned in the loop before
      // the sort) is a different list each time: sorting it is not re-sorting.
      if (boundPerIteration(name.text, node, loops[0])) return;
      if (keyFollowsLoop(node, loops[0])) return;
      // A key that reads a name the loop rebinds: a new order every iteration, so only a bounded prefix
      // read (`for seed in xs[1:400]`) has a better way (heapq.nsmallest); otherwise nothing to say.
      const closure = keyClosesOverIteration(node, loops[0]);
      const prefix = closure ? prefixRead(loops[0], name.text, node) : null;
      if (closure && prefix === null) return;
      const info = nameInfo(ctx, name.text, name);
      // An untyped name counts when the loop also takes from it (`items.sort(); items.pop(0)`): a list kept as a priority queue.
      if (info.kind === 'list' ? !isDataSized(info, name.text, (l) => isBoundedLoop(l, ctx.module)) : !(takesFrom(loops[0], name.text) && usedAsList(ctx, name, scopeOf(node)))) return;
      const verdict = sizeVerdict(node, loops, name, ctx.module);
      // Taken from on every iteration (`pop`, `[0]`): a priority queue, which a heap keeps in order.
      const consumed = takesFrom(loops[0], name.text);
      ctx.report({
        node,
        severity: verdict.severity,
        message: closure
          ? `\`${name.text}\` is sorted on every iteration by \`${closure.key}\`, which reads \`${closure.reads}\` that the loop rebinds: the order changes each time, so it cannot be sorted once after the loop; only its first ${prefix} items are read: heapq.nsmallest(${prefix}, ${name.text}, key=${closure.key}) takes them in O(n log ${prefix}) instead of O(n log n)${verdict.note}`
          : consumed
          ? `\`${name.text}\` is re-sorted on every iteration to take its smallest item (\`${consumed}\`): O(m·n log n); it is a priority queue: keep it with heapq (heappush / heappop), O(log n) per step${verdict.note}`
          : `\`${name.text}\` is re-sorted on every iteration: O(m·n log n); sort once after the loop, or keep it ordered with bisect.insort${verdict.note}`,
        related: [loopRelated(loops[0], `the loop: \`${headerText(loops[0])}\``)],
      });
    };
    return { call: visit, assignment: visit };
  },
};
