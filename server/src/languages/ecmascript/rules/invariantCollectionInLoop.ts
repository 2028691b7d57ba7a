import type { Fix, Rule, UnitContext } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import { innermostRealLoop } from './arrayScanInLoop';
import type { EcmascriptFacts } from '../facts';
import { type Loop, loopRelated } from '../loops';
import { isInvariantIn } from '../mutation';
import { scalingLoops, sizeVerdict } from '../sizes';
import { referencedNames, unwrap } from '../syntax';

const LOOKUPS = new Set(['has', 'get', 'size']);

/** `s.has(x)`, `s.get(k)`, `s.size`, `for (… of s)`: uses that only read a Set or Map. */
function isLookupUse(node: SyntaxNode): boolean {
  let cur = node;
  while (cur.parent?.type === 'parenthesized_expression') cur = cur.parent;
  const p = cur.parent;
  if (!p) return false;
  if (p.type === 'member_expression' && cur.field === 'object') {
    const prop = p.child('property')?.text ?? '';
    if (!LOOKUPS.has(prop)) return false;
    if (prop === 'size') return !(p.parent?.type === 'assignment_expression' && p.field === 'left');
    return p.parent?.type === 'call_expression' && p.field === 'function';
  }
  return p.type === 'for_in_statement' && cur.field === 'right';
}

function lineStart(source: string, index: number): number {
  return source.lastIndexOf('\n', index - 1) + 1;
}

/** Move `const s = new Set(xs);` from the loop body to just before the loop. */
function hoistFix(ctx: UnitContext, facts: EcmascriptFacts, loop: Loop, stmt: SyntaxNode, name: string, arg: SyntaxNode): Fix | undefined {
  if (loop.kind !== 'statement' || stmt.parent !== loop.node.child('body')) return undefined;
  let anchor = loop.node;
  if (anchor.parent?.type === 'labeled_statement') anchor = anchor.parent;
  if (!anchor.parent || !['statement_block', 'program'].includes(anchor.parent.type)) return undefined;
  if ((facts.decls.get(name) ?? []).length !== 1) return undefined;
  for (const r of referencedNames(arg)) {
    const d = facts.declarationOf(r, arg);
    if (!d || d.node.startIndex > anchor.startIndex) return undefined;
  }
  const src = ctx.source;
  const anchorLine = lineStart(src, anchor.startIndex);
  const indent = src.slice(anchorLine, anchor.startIndex);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  const stmtLine = lineStart(src, stmt.startIndex);
  if (!/^[ \t]*$/.test(src.slice(stmtLine, stmt.startIndex))) return undefined;
  let end = stmt.endIndex;
  const nl = src.indexOf('\n', end);
  if (nl === -1 || !/^[ \t]*$/.test(src.slice(end, nl))) return undefined;
  end = nl + 1;
  return {
    title: `Build \`${name}\` once before the loop`,
    replacements: [
      { startIndex: anchor.startIndex, endIndex: anchor.startIndex, newText: `${stmt.text}\n${indent}` },
      { startIndex: stmtLine, endIndex: end, newText: '' },
    ],
  };
}

export const invariantCollectionInLoop: Rule<EcmascriptFacts> = {
  code: 'HP209',
  name: 'invariant-collection-in-loop',
  languages: ['javascript', 'typescript', 'tsx'],
  severity: 'warning',
  summary: 'A Set or Map is rebuilt from the same data on every iteration of a loop, only to be looked up.',
  cost: 'O(n·m) → O(n + m)',
  covers: [],
  docs: `
**What.** \`new Set(xs)\` and \`new Map(entries)\` copy all of their input. Built inside a loop from data
that does not change in the loop, and then only used for \`has\`/\`get\`/\`size\`, the same structure is
rebuilt n times: the Set that was meant to make lookups O(1) costs O(m) per iteration.

**Cost.** O(m) per iteration, O(n·m) for the loop; built once, O(n + m).

Reported when the argument is a name (or member chain of names) declared in the function outside
the loop and not assigned, mutated or passed to a call in it, and the new collection is only read:
\`new Set(xs).has(x)\`, or \`const s = new Set(xs)\` whose uses are \`s.has\`, \`s.get\`, \`s.size\` or
\`for (… of s)\`. A collection that is stored, returned or mutated needs a fresh copy each time and is
left alone.

**Example.**
\`\`\`js
for (const order of orders) {
  const allowed = new Set(allowedSkus);
  if (!allowed.has(order.sku)) rejected.push(order);
}
\`\`\`
**Fix.** Build it once before the loop. Quick fix for \`const s = new Set(xs);\` directly in a
\`for\`/\`while\` body: the declaration moves in front of the loop.
`,
  fixtures: [
    {
      name: 'const Set built in the loop body: hoisted by the fix — two unrelated inputs, no evidence the array grows with the loop: information (round 5)',
      language: 'javascript',
      code: `function rejected(orders, allowedSkus) {
  const out = [];
  for (const order of orders) {
    const allowed = new Set(allowedSkus);
    if (!allowed.has(order.sku)) out.push(order.id);
  }
  return out;
}
`,
      lines: [4],
      severity: 'information',
      fixed: `function rejected(orders, allowedSkus) {
  const out = [];
  const allowed = new Set(allowedSkus);
  for (const order of orders) {
    if (!allowed.has(order.sku)) out.push(order.id);
  }
  return out;
}
`,
      call: 'rejected([{ sku: "a", id: 1 }, { sku: "b", id: 2 }, { sku: "c", id: 3 }], ["a", "c"])',
    },
    {
      name: 'inline new Set(...).has in a filter callback, and a Map in a while loop — two unrelated inputs, no evidence the array grows with the loop: information (round 5)',
      language: 'typescript',
      code: `export function keep(xs: string[], banned: string[], pairs: [string, number][]) {
  const kept = xs.filter((x) => !new Set(banned).has(x));
  let i = 0;
  while (i < xs.length) {
    const m = new Map(pairs);
    if (m.get(xs[i]) === 0) return -1;
    i++;
  }
  return kept;
}
`,
      lines: [2, 5],
      severity: 'information',
    },
    {
      name: 'fine: the set is stored or mutated, the argument changes, built once',
      language: 'javascript',
      code: `function ok(groups, base) {
  const out = [];
  for (const g of groups) {
    const s = new Set(base);
    s.add(g.id);
    out.push(new Set(base));
    const t = new Set(g.members);
    if (t.has(g.owner)) out.push(g);
  }
  const once = new Set(base);
  for (const g of groups) if (once.has(g.id)) out.push(g);
  for (const g of groups) {
    base.push(g.id);
    if (new Set(base).has(g.owner)) out.push(g);
  }
  return out;
}
`,
      lines: [],
    },
    {
      name: 'no evidence the loop grows with the input: retries until a call succeeds; a loop over a constant table is not reported (issue 13 principle; information)',
      language: 'javascript',
      code: `const MODES = ["a", "b", "c"];
function firstFree(ports, pick) {
  let port = pick();
  while (!isFree(port)) {
    if (new Set(ports).has(port)) return -1;
    port = pick();
  }
  for (const m of MODES) if (new Set(ports).has(m)) return m;
  return port;
}
`,
      lines: [5],
      severity: 'information',
    },
  ],
  create(ctx) {
    const facts = ctx.facts;
    const visit = (node: SyntaxNode) => {
      if (node.type !== 'new_expression') return;
      const ctor = node.child('constructor')?.text;
      if (ctor !== 'Set' && ctor !== 'Map') return;
      const args = node.child('arguments')?.namedChildren ?? [];
      if (args.length !== 1) return;
      const loop = innermostRealLoop(ctx.facts.loops(node));
      if (!loop) return;
      // Rebuilt once per iteration of a loop bounded by a constant: O(m) in all.
      const loops = scalingLoops(ctx.facts.loops(node), ctx.module);
      if (loops.length === 0) return;
      if (!isInvariantIn(args[0], loop, facts, node)) return;
      let fix: Fix | undefined;
      let use = node;
      while (use.parent?.type === 'parenthesized_expression' || use.parent?.type === 'as_expression') use = use.parent;
      const declarator = use.parent?.type === 'variable_declarator' && use.field === 'value' ? use.parent : null;
      if (declarator) {
        const nameNode = declarator.child('name');
        if (nameNode?.type !== 'identifier') return;
        const decl = facts.declarationOf(nameNode.text, nameNode);
        if (!decl || decl.node !== nameNode) return;
        const refs = [...decl.scope.descendants()].filter((n) => n.type === 'identifier' && n.text === nameNode.text && n !== nameNode && facts.declarationOf(n.text, n) === decl);
        if (refs.length === 0 || !refs.every(isLookupUse)) return;
        const stmt = declarator.parent;
        if (stmt && stmt.namedChildren.filter((c) => c.type === 'variable_declarator').length === 1 && (decl.declarationKind === 'const' || decl.declarationKind === 'let')) {
          fix = hoistFix(ctx, facts, loop, stmt, nameNode.text, args[0]);
        }
      } else if (!isLookupUse(use)) return;
      const verdict = sizeVerdict(node, loops, args[0], facts);
      ctx.report({
        node,
        severity: verdict.severity,
        message: `\`new ${ctor}(${unwrap(args[0])!.text})\` is rebuilt from the same data on every iteration: O(n·m); build it once before the loop${verdict.note}`,
        related: [loopRelated(loop)],
        fix,
      });
    };
    return { new_expression: visit };
  },
};
