import type { Replacement, Rule, UnitContext } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import { localList, rebuildValue } from '../convert';
import type { PythonFacts } from '../facts';
import { headerText, loopRelated } from '../loops';
import { isDataSized, nameInfo } from '../scope';
import { isBoundedLoop, scalingLoops } from '../boundedLoops';
import { sizeVerdict } from '../sizes';
import { comparison, functionCall, handlesUnhashable, methodCall, py, unparen } from '../syntax';

/** Fix: build the list as a set when every use is a membership test or an append/extend. */
function setFix(ctx: UnitContext, name: string, node: SyntaxNode): Replacement[] | null {
  const local = localList(nameInfo(ctx, name, node), name);
  if (!local) return null;
  // `set` must be the builtin
  if (ctx.module.bindings.has('set') || nameInfo(ctx, 'set', node).origin !== 'module') return null;
  const out: Replacement[] = [];
  for (const use of local.uses) {
    const p = use.parent;
    if (p?.type === 'comparison_operator') {
      const c = comparison(p);
      if (c && c.right === use && (c.op === 'in' || c.op === 'not in')) continue;
      return null;
    }
    if (p?.type === 'attribute' && use.field === 'object' && p.parent?.type === 'call') {
      const m = methodCall(p.parent);
      if (m && m.args.length === 1 && !m.hasKeywords && m.args[0].type !== 'list_splat') {
        if (m.method === 'append') {
          out.push({ startIndex: m.methodNode.startIndex, endIndex: m.methodNode.endIndex, newText: 'add' });
          continue;
        }
        if (m.method === 'extend') {
          out.push({ startIndex: m.methodNode.startIndex, endIndex: m.methodNode.endIndex, newText: 'update' });
          continue;
        }
      }
    }
    return null;
  }
  const value = rebuildValue(local.value, 'set');
  return value ? [...value, ...out] : null;
}

export const listMembershipInLoop: Rule<PythonFacts> = {
  code: 'HP101',
  name: 'list-membership-in-loop',
  languages: ['python'],
  severity: 'warning',
  summary: 'Membership test (`in`) against a list inside a loop scans the list on every iteration.',
  cost: 'O(n·m) → O(n + m)',
  covers: [],
  docs: `## What it does
Flags \`x in items\` / \`x not in items\` inside a loop when \`items\` is known to be a list whose size
depends on the data: a parameter annotated \`list[...]\`, a local built by \`list(...)\`, \`sorted(...)\` or a
comprehension, or a list literal that grows (\`append\`, \`extend\`, \`+=\`). Also flags membership in a list
built right there (\`x in list(d)\`, \`x in [f(y) for y in ys]\`) and in \`d.values()\` of a known dict.

## Why
A list membership test compares element by element: O(n). Inside a loop of m iterations that is
O(n·m). A \`set\` (or a \`dict\`'s keys) answers in O(1) on average.

Constant-size literals (\`c in ('a', 'b')\`, \`x in [1, 2, 3]\`) are not flagged, nor are names whose type
is not known to be a list: Hotpath never guesses.

## Example
\`\`\`python
def new_customers(orders, known_customers):
    known = list(known_customers)
    for order in orders:
        if order.customer not in known:   # O(len(known)) each time
            known.append(order.customer)
\`\`\`
## Fix
\`\`\`python
    known = set(known_customers)
    for order in orders:
        if order.customer not in known:   # O(1)
            known.add(order.customer)
\`\`\`
The quick fix is offered when the list is a local bound once and every use is a membership test,
\`.append\` (→ \`.add\`) or \`.extend\` (→ \`.update\`): then order and duplicates are never observed. The
elements must be hashable.`,
  fixtures: [
    py('a `while True` that leaves once a counter it steps every pass passes a literal (`depth += 1; if depth > 10: break`) runs at most that many times: the list it grows holds at most 11 items (issue 13 round 14: smda pointer chain, wrong by both judges); a counter capped by a parameter is no bound, nor one set back inside the loop (a retry counter; by a tuple assignment too, `misses, last = 0, val`: review 13 B1) or one that is a parameter (review 12 S1)', `def derefs(report, p, cache):
    chain = []
    current = p
    depth = 0
    while True:
        if not report.valid(current):
            break
        chain.append(current)
        val = report.read(current)
        if val == current or val in chain:
            break
        depth += 1
        if depth > 10:
            break
        current = val
    cache[p] = chain
    return chain


def follow(report, p, limit):
    chain = []
    current = p
    depth = 0
    while True:
        chain.append(current)
        val = report.read(current)
        if val in chain:
            break
        depth += 1
        if depth > limit:
            break
        current = val
    return chain


def follow_retry(report, p):
    chain = []
    current = p
    misses = 0
    while True:
        chain.append(current)
        val = report.read(current)
        if val in chain:
            break
        misses += 1
        if misses > 3:
            break
        if report.valid(val):
            misses = 0
        current = val
    return chain


def follow_from(report, p, depth):
    chain = []
    current = p
    while True:
        chain.append(current)
        val = report.read(current)
        if val in chain:
            break
        depth += 1
        if depth > 10:
            break
        current = val
    return chain


def follow_retry_tuple(report, p):
    chain = []
    current = p
    misses = 0
    while True:
        chain.append(current)
        val = report.read(current)
        if val in chain:
            break
        misses += 1
        if misses > 3:
            break
        if report.valid(val):
            misses, last = 0, val
        current = val
    return chain
`, [27, 43, 60, 76], { severity: 'information' }),
    py('growing list literal tested in a loop — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains', `def f(xs):
    seen = []
    out = []
    for x in xs:
        if x not in seen:
            seen.append(x)
            out.append(x)
    return out
`, [5], { severity: 'information', fixed: `def f(xs):
    seen = set()
    out = []
    for x in xs:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out
`, call: 'f([3, 1, 3, 2, 1])' }),
    py('list(...) copy used only for membership — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains', `def f(orders, known_customers):
    known = list(known_customers)
    fresh = []
    for order in orders:
        if order not in known:
            fresh.append(order)
            known.append(order)
    return fresh
`, [5], { severity: 'information', fixed: `def f(orders, known_customers):
    known = set(known_customers)
    fresh = []
    for order in orders:
        if order not in known:
            fresh.append(order)
            known.append(order)
    return fresh
`.replace('known.append', 'known.add'), call: "f(['a', 'b', 'a', 'c'], ['c'])" }),
    py('annotated list parameter, no fix (not a local) — two unrelated inputs, no evidence the collection grows with the loop: information (round 5)', `def f(xs: list[int], ys):
    return [y for y in ys if y in xs]
`, [2], { severity: 'information' }),
    py('list returned: no fix — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains', `def f(xs):
    seen = []
    for x in xs:
        if x in seen:
            continue
        seen.append(x)
    return seen
`, [4], { severity: 'information' }),
    py('membership in a list built each iteration — two unrelated inputs, no evidence the collection grows with the loop: information (round 5)', `def f(xs, d):
    return [x for x in xs if x in list(d)]
`, [2], { severity: 'information' }),
    py('membership in dict values — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains', `def f(xs):
    d = {}
    for i, x in enumerate(xs):
        if x in d.values():
            continue
        d[i] = x
    return d
`, [4], { severity: 'information' }),
    py('constant-size literal is fine', `def f(xs):
    return [c for c in xs if c in ('a', 'b')]

def g(xs):
    vowels = ['a', 'e', 'i']
    return [c for c in xs if c in vowels]
`, []),
    py('a list built from module-level tables and literals has the same size on every call (issue 13 round 4: docutils math2html specialchars, judged wrong)', `class FormulaConfig:
    symbolfunctions = {'^': 'sup', '_': 'sub'}


def parse(pos):
    specialchars = list(FormulaConfig.symbolfunctions.keys()) + ['\\\\', '{', '}']
    while not pos.finished():
        if pos.current() in specialchars:
            return pos.current()
        pos.skip()


def parse_more(pos, extra):
    specialchars = list(FormulaConfig.symbolfunctions.keys()) + list(extra)
    while not pos.finished():
        if pos.current() in specialchars:
            return pos.current()
        pos.skip()
`, [16], { severity: 'information' }),
    py('a literal extended by a literal stays constant-size', `def f(dirs, extra):
    system = ['/lib', '/usr/lib']
    if extra:
        system.extend(['/lib/x', '/usr/lib/x'])
    return [d for d in dirs if d not in system]
`, []),
    py('set and dict membership are fine', `def f(xs, ys):
    s = set(ys)
    d = dict.fromkeys(ys)
    return [x for x in xs if x in s or x in d]
`, []),
    py('unknown type is never flagged', `def f(xs, ys):
    for x in xs:
        if x in ys:
            return x
`, []),
    py('outside a loop is fine', `def f(x, ys):
    items = list(ys)
    return x in items
`, []),
    py('list rebound inside the loop', `def f(xs, ys):
    items = list(ys)
    for x in xs:
        if x in items:
            items = set(ys)
`, []),
    py('sizes not visible: a list filled from a call\'s result, a loop bounded by a computed value (issue 13: nltk resolution, paice; information)', `def drop_subsumed(clause, other):
    new = unify(clause, other)
    subsumed = []
    for i, c in enumerate(new):
        if i not in subsumed:
            subsumed.append(i)
    return subsumed


def coordinates(words, start):
    longest = max(len(w) for w in words)
    out = []
    while start <= longest:
        pair = point(words, start)
        if pair not in out:
            out.append(pair)
        start += 1
    return out
`, [5, 15], { severity: 'information' }),
    py('sizes not visible: scanned per edge, but built from a call and a field (issue 13: networkx extendability; information)', `def direct(G, matching):
    U, V = bipartite_sets(G)
    pm = [(v, matching[v]) for v in V]
    return [(x, y) if (x, y) in pm else (y, x) for x, y in G.edges]
`, [4], { severity: 'information' }),
    py('a copy of a parameter scanned once per sample of another: no evidence the list grows with the loop (issue 13 round 5: networkx similarity, judged pointless by the independent judge)', `def walks(G, source, samples):
    node_map = list(G)
    out = []
    for _ in range(samples):
        if source not in node_map:
            raise KeyError(source)
        out.append(source)
    return out
`, [5], { severity: 'information' }),
    py('both sizes from the input: neighbour lists of the parameter the loop walks (issue 13: worth acting on) — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains', `def switch(G, w, w_prime):
    w_neighbs = list(G.successors(w))
    w_prime_neighbs = list(G.successors(w_prime))
    for v in w_neighbs:
        if v not in w_prime_neighbs:
            return v
`, [5], { severity: 'information' }),
    py('the list for values an isinstance(…, Hashable) test sent away from the set is not reported (issue 13 round 8: algorithms remove_duplicates)', `from collections.abc import Hashable


def remove_duplicates(array):
    seen = set()
    unique = []
    for item in array:
        if isinstance(item, Hashable):
            if item not in seen:
                seen.add(item)
                unique.append(item)
        else:
            if item not in unique:
                unique.append(item)
    for item in array:
        if not isinstance(item, Hashable):
            if item not in unique:
                unique.append(item)
    return unique
`, []),
    py('the fallback list for keys a set refused (`except TypeError:` after `k in seen_set`) is not reported (issue 13 held-out: more-itertools duplicates_everseen)', `def everseen(iterable):
    seen_set = set()
    seen_list = []
    for k in iterable:
        try:
            if k not in seen_set:
                seen_set.add(k)
        except TypeError:
            if k not in seen_list:
                seen_list.append(k)
    return seen_list
`, []),
    py('a literal table that nothing changes is bounded by construction: a hint; one appended to stays information (issue 13 round 9: algorithms valid_parenthesis)', `def is_valid(s):
    stack = []
    matching = {")": "(", "}": "{", "]": "["}
    for char in s:
        if char in matching.values():
            stack.append(char)
    return not stack


def grows(s):
    seen = ["a", "b"]
    for char in s:
        if char in seen:
            continue
        seen.append(char)
    return seen
`, [5, 13], { severities: ['hint', 'information'] }),
    py('a literal filled by setdefault or by a helper it is passed to is not bounded by construction: information (review 7, R7-3)', `def by_setdefault(items, pairs):
    table = {}
    for k, v in pairs:
        table.setdefault(k, v)
    n = 0
    for x in items:
        if x in table.values():
            n += 1
    return n


def by_helper(items, pairs):
    table = {"a": 1}
    populate(table, pairs)
    n = 0
    for x in items:
        if x in table.values():
            n += 1
    return n
`, [7, 17], { severities: ['information', 'information'] }),
  ],
  create(ctx) {
    const visit = (node: SyntaxNode) => {
      const c = comparison(node);
      if (!c || (c.op !== 'in' && c.op !== 'not in')) return;
      const loops = scalingLoops(ctx.facts.loops(node), ctx.module);
      if (loops.length === 0) return;
      // The fallback for values a set or dict refused (`except TypeError:`): they are unhashable, so no set or dict can replace the list.
      // (Asked after the loops: most tests are in no loop, and this one walks the ancestors.)
      if (handlesUnhashable(node, unparen(c.left)?.text ?? '', unparen(c.right)?.text ?? '')) return;
      const right = unparen(c.right)!;
      let message: string | null = null;
      let fix: Replacement[] | null = null;
      if (right.type === 'identifier') {
        const info = nameInfo(ctx, right.text, right);
        if (info.kind !== 'list' || !isDataSized(info, right.text, (l) => isBoundedLoop(l, ctx.module))) return;
        message = `membership test on list \`${right.text}\` inside a loop: O(n·m); use a set`;
        fix = setFix(ctx, right.text, right);
      } else if (right.type === 'list_comprehension') {
        message = 'membership test on a list built on every iteration: O(n·m); build a set once before the loop';
      } else if (right.type === 'call') {
        const fc = functionCall(right);
        const m = methodCall(right);
        if (fc && (fc.name === 'list' || fc.name === 'sorted') && fc.args.length === 1) {
          message = `membership test on \`${fc.name}(…)\` built on every iteration: O(n·m); build a set once before the loop`;
        } else if (m && m.method === 'values' && m.args.length === 0 && m.receiver.type === 'identifier' && nameInfo(ctx, m.receiver.text, m.receiver).kind === 'dict') {
          message = `membership test on \`${m.receiver.text}.values()\` inside a loop scans the dict: O(n·m); keep a set of the values`;
        }
      }
      if (!message) return;
      const m = methodCall(right);
      const collection = right.type === 'call' ? (m?.method === 'values' ? m.receiver : right.child('arguments')?.namedChildren[0] ?? right) : right;
      const verdict = sizeVerdict(node, loops, collection, ctx.module);
      ctx.report({
        node,
        severity: verdict.severity,
        message: message + verdict.note,
        related: [loopRelated(loops[0], `the loop: \`${headerText(loops[0])}\``)],
        fix: fix ? { title: `Build \`${right.text}\` as a set (its elements must be hashable)`, replacements: fix } : undefined,
      });
    };
    return { comparison_operator: visit };
  },
};
