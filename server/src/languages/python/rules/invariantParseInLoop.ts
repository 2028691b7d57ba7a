import type { Rule } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import type { PythonFacts } from '../facts';
import { hasOwnBreak, headerText, leavesLoop, loopRelated, onlyConstantLoops } from '../loops';
import { assignedReadOnly, isConsumedIterator, isLoopInvariant, isReadOnlyUse } from '../mutation';
import { bindingsOf, scopeOf } from '../scope';
import { methodCall, moduleCall, py, snippet } from '../syntax';

// A Map, not an object literal: a receiver named `constructor` or `toString` (sqlglot's builders) must
// not find Object.prototype's members.
const PARSERS = new Map<string, ReadonlySet<string>>([
  ['json', new Set(['loads'])],
  ['pickle', new Set(['loads'])],
  ['marshal', new Set(['loads'])],
  ['copy', new Set(['deepcopy'])],
  ['ast', new Set(['parse', 'literal_eval'])],
  ['tomllib', new Set(['loads'])],
]);

function isLiteralOrSimple(n: SyntaxNode): boolean {
  return n.type === 'string' || n.type === 'concatenated_string' || n.type === 'identifier' || n.type === 'attribute' || n.type === 'integer';
}

/** `open(path).read()` / `open(path, mode).read()`: the open() call's path argument, or null. */
function openRead(node: SyntaxNode): SyntaxNode | null {
  const m = methodCall(node);
  if (!m || (m.method !== 'read' && m.method !== 'readlines') || m.args.length !== 0) return null;
  const inner = m.receiver;
  if (inner.type !== 'call' || inner.child('function')?.type !== 'identifier' || inner.child('function')?.text !== 'open') return null;
  const args = inner.child('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
  if (args.length < 1 || args.length > 2 || !args.every((a) => isLiteralOrSimple(a))) return null;
  if (args[1] && !(args[1].type === 'string' && /^['"]r?b?t?['"]$|^['"][rbt]+['"]$/.test(args[1].text))) return null;
  return args[0];
}

export const invariantParseInLoop: Rule<PythonFacts> = {
  code: 'HP114',
  name: 'invariant-parse-in-loop',
  languages: ['python'],
  severity: 'warning',
  summary: 'Parsing, deep-copying or reading the same input on every iteration of a loop.',
  cost: 'O(m·k) → O(m + k) for an input of size k',
  covers: [],
  docs: `## What it does
Flags, inside a \`for\` loop or a comprehension, \`json.loads(x)\`, \`pickle.loads(x)\`, \`marshal.loads(x)\`,
\`tomllib.loads(x)\`, \`ast.parse(x)\`, \`ast.literal_eval(x)\`, \`copy.deepcopy(x)\` and \`open(path).read()\` when the
argument is loop-invariant (see HP113) and the result is only read (see HP113: a fresh copy that the
loop mutates is intended and never flagged).

\`while\` loops are left alone: re-reading a file in a \`while\` loop is how polling works; so are loops
with a \`break\` of their own (retry loops). \`re.compile\` and
\`re.match(PATTERN, …)\` are not flagged either: the \`re\` module caches compiled patterns, so the cost in a
loop is a dictionary lookup.

## Why
Each call re-parses (or re-copies, or re-reads from disk) the same k bytes; over m iterations that is
O(m·k) for a value that could be computed once.

## Example
\`\`\`python
def prices(orders, raw_table):
    return [json.loads(raw_table)[o.sku] for o in orders]
\`\`\`
## Fix
\`\`\`python
def prices(orders, raw_table):
    table = json.loads(raw_table)
    return [table[o.sku] for o in orders]
\`\`\``,
  fixtures: [
    py('json.loads of an invariant string, indexed', `import json

def f(orders, raw):
    return [json.loads(raw)[o] for o in orders]
`, [4]),
    py('a receiver named like an Object.prototype member (constructor, toString) beside a real finding', `import json

def f(orders, raw, constructor):
    out = []
    for o in orders:
        out.append(constructor.build(o))
        out.append(json.loads(raw)[o])
    return out
`, [7]),
    py('deepcopy assigned and only read; file read in a for loop', `import copy

def f(rows, template, path):
    out = []
    for r in rows:
        t = copy.deepcopy(template)
        out.append(t.get(r))
        text = open(path).read()
        out.append(r in text)
    return out
`, [6, 8]),
    py('a fresh copy per iteration that is mutated', `import copy, json

def f(rows, template, raw):
    out = []
    for r in rows:
        t = copy.deepcopy(template)
        t["row"] = r
        out.append(t)
        cfg = json.loads(raw)
        cfg.update(r)
        out.append(cfg)
    return out
`, []),
    py('argument depends on the loop; polling in a while loop; re is cached', `import json, re

def f(lines, path):
    for line in lines:
        print(json.loads(line))
    while True:
        data = open(path).read()
        if data:
            return data
    for line in lines:
        re.match("a+", line)
`, []),
  ],
  create(ctx) {
    const visit = (node: SyntaxNode) => {
      if (node.type !== 'call') return;
      let arg: SyntaxNode | null = null;
      let label = '';
      let readOnlyByType = false;
      const mc = moduleCall(node);
      if (mc && PARSERS.get(mc.module)?.has(mc.name) && mc.args.length === 1) {
        // the module name must be the import, not a local
        const scope = scopeOf(node);
        if ((bindingsOf(scope).get(mc.module) ?? []).some((b) => b.kind !== 'import')) return;
        arg = mc.args[0];
        label = `${mc.module}.${mc.name}`;
        if (!isLiteralOrSimple(arg)) return;
      } else {
        arg = openRead(node);
        label = 'open(…).read()';
        readOnlyByType = true; // a str or bytes
      }
      if (!arg) return;
      const loops = ctx.facts.loops(node);
      if (loops.length === 0 || onlyConstantLoops(loops)) return;
      const loop = loops[0];
      if (hasOwnBreak(loop) || leavesLoop(node, loop)) return; // runs once: a retry or search loop, or followed by return
      if (isConsumedIterator(ctx, node, arg)) return; // not invariant
      if (loop.type === 'while_statement' || loops.some((l) => l.type === 'while_statement' && l === loops[0])) return;
      if (arg.type !== 'string' && arg.type !== 'concatenated_string' && !isLoopInvariant(arg, loop)) return;
      if (arg.type === 'string' && arg.children.some((c) => c.type === 'interpolation')) return;
      if (!readOnlyByType) {
        const assigned = assignedReadOnly(node, loop);
        if (assigned === false) return;
        if (assigned === null && !isReadOnlyUse(node)) return;
      }
      ctx.report({
        node,
        message: `\`${label}\` of \`${snippet(arg, 30)}\` repeats the same work on every iteration: O(m·k); do it once before the loop`,
        related: [loopRelated(loop, `the loop: \`${headerText(loop)}\``)],
      });
    };
    return { call: visit };
  },
};
