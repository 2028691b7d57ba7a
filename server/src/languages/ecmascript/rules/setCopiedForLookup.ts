import type { Fix, Rule } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import type { EcmascriptFacts } from '../facts';
import { methodCallParts } from '../loops';
import { unwrap } from '../syntax';

/**
 * The Set or Map a lookup array was copied from: `[...s]`, `Array.from(s)`, `[...m.keys()]`,
 * `Array.from(m.keys())`. Returns the collection's name and whether the copy holds Map keys.
 */
function copiedCollection(node: SyntaxNode | null, facts: EcmascriptFacts, at: SyntaxNode): { name: string; kind: 'set' | 'map' } | null {
  node = unwrap(node);
  if (!node) return null;
  let source: SyntaxNode | null = null;
  if (node.type === 'array') {
    const els = node.namedChildren.filter((c) => c.type !== 'comment');
    if (els.length !== 1 || els[0].type !== 'spread_element') return null;
    source = unwrap(els[0].namedChildren[0] ?? null);
  } else if (node.type === 'call_expression' && unwrap(node.child('function'))?.text === 'Array.from') {
    const args = node.child('arguments')?.namedChildren ?? [];
    if (args.length !== 1) return null;
    source = unwrap(args[0]);
  }
  if (!source) return null;
  if (source.type === 'identifier') {
    const kind = facts.kindOf(source.text, at);
    return kind === 'set' ? { name: source.text, kind: 'set' } : null;
  }
  // m.keys() of a Map (s.keys() and s.values() of a Set are its elements too).
  if (source.type === 'call_expression' && (source.child('arguments')?.namedChildren.length ?? 1) === 0) {
    const fn = unwrap(source.child('function'));
    const obj = fn?.type === 'member_expression' ? unwrap(fn.child('object')) : null;
    const method = fn?.child('property')?.text;
    if (obj?.type !== 'identifier') return null;
    const kind = facts.kindOf(obj.text, at);
    if (kind === 'map' && method === 'keys') return { name: obj.text, kind: 'map' };
    if (kind === 'set' && (method === 'keys' || method === 'values')) return { name: obj.text, kind: 'set' };
  }
  return null;
}

export const setCopiedForLookup: Rule<EcmascriptFacts> = {
  code: 'HP212',
  name: 'set-copied-for-lookup',
  languages: ['javascript', 'typescript', 'tsx'],
  severity: 'warning',
  summary: 'A Set (or a Map\'s keys) is copied into an array just to search it: `[...s].includes(x)`.',
  cost: 'O(n) → O(1)',
  safeFix: true,
  covers: [],
  docs: `
**What.** \`[...seen].includes(x)\`, \`Array.from(seen).indexOf(x) !== -1\` and \`[...byId.keys()].includes(k)\`
copy every element of a Set or every key of a Map into a new array, then scan it, to answer a
question the collection answers directly with \`has\`.

**Cost.** O(n) time and memory per lookup instead of O(1); in a loop, O(n·m) instead of O(m).

Reported when the collection is known to be a \`Set\` or a \`Map\` (declared with \`new Set(…)\`,
\`new Map(…)\` or annotated \`Set<T>\`/\`Map<K, V>\`), for \`includes\`, and for \`indexOf\` compared with -1.

**Example.**
\`\`\`js
if ([...visited].includes(node)) continue;
\`\`\`
**Fix.** \`visited.has(node)\` (and \`byId.has(k)\` for Map keys). The quick fix rewrites \`includes\`:
\`has\` and \`includes\` both compare with SameValueZero, so the answer is the same. \`indexOf\` (strict
equality, different for \`NaN\`) is reported without a fix.
`,
  fixtures: [
    {
      name: 'spread of a Set and Array.from of Map keys, fixed to has',
      language: 'javascript',
      code: `function check(items) {
  const seen = new Set([1, NaN]);
  const byId = new Map([["a", 1]]);
  return items.map((x) => [[...seen].includes(x), Array.from(byId.keys()).includes(x)]);
}
`,
      lines: [4, 4],
      fixed: `function check(items) {
  const seen = new Set([1, NaN]);
  const byId = new Map([["a", 1]]);
  return items.map((x) => [seen.has(x), byId.has(x)]);
}
`,
      call: 'check([1, NaN, "a", 2])',
    },
    {
      name: 'typed Set with indexOf membership (no fix), tsx',
      language: 'tsx',
      code: `export function known(tags: Set<string>, tag: string): boolean {
  return Array.from(tags.values()).indexOf(tag) !== -1;
}
`,
      lines: [2],
    },
    {
      name: 'fine: arrays, Map values, an unknown iterable, a copy that is kept',
      language: 'typescript',
      code: `export function ok(list: string[], m: Map<string, number>, it: Iterable<string>, s: Set<string>) {
  const copy = [...s];
  copy.push('x');
  return [[...list].includes('a'), [...m.values()].includes(1), Array.from(it).includes('b'), copy.includes('c')];
}
`,
      lines: [],
    },
  ],
  create(ctx) {
    const facts = ctx.facts;
    const visit = (call: SyntaxNode) => {
      const parts = methodCallParts(call);
      if (!parts) return;
      const { member, method, args } = parts;
      if (method !== 'includes' && method !== 'indexOf') return;
      if (args.length !== 1 || args[0].type === 'spread_element') return;
      if (method === 'indexOf' && !isMembership(call)) return;
      const copied = copiedCollection(member.child('object'), facts, call);
      if (!copied) return;
      let fix: Fix | undefined;
      if (method === 'includes' && !member.children.some((c) => c.type === 'optional_chain')) {
        fix = {
          title: `Use \`${copied.name}.has()\``,
          replacements: [{ startIndex: call.startIndex, endIndex: member.endIndex, newText: `${copied.name}.has` }],
        };
      }
      ctx.report({
        node: call,
        message: `copies ${copied.kind === 'map' ? `the keys of Map \`${copied.name}\`` : `Set \`${copied.name}\``} into an array to search it: O(n) per lookup; use \`${copied.name}.has()\`: O(1)`,
        fix,
      });
    };
    return { call_expression: visit };
  },
};

function isMembership(call: SyntaxNode): boolean {
  let node = call;
  while (node.parent?.type === 'parenthesized_expression') node = node.parent;
  const p = node.parent;
  if (p?.type !== 'binary_expression') return false;
  const other = node.field === 'left' ? p.child('right') : p.child('left');
  return other?.text.replace(/\s+/g, '') === '-1' && ['===', '!==', '==', '!='].includes(p.child('operator')?.text ?? '');
}
