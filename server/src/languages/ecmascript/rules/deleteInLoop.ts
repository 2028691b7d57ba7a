import type { Rule } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import { innermostRealLoop } from './arrayScanInLoop';
import type { EcmascriptFacts } from '../facts';
import { loopRelated } from '../loops';
import { nullPrototypeEverywhere } from '../moduleConstants';
import { FUNCTION_TYPES, rootName, unwrap } from '../syntax';

/**
 * Where the object named `obj` leaves the function with its keys gone (issue 13 round 9: superstruct
 * `omit` passes it to `object(subschema)`, xml-js returns `attributes`, a parameter the caller
 * sees): a Map changes what the caller gets and an `undefined` value leaves the key in it, so the
 * advice is to build the object without those keys. The first such use, or null.
 */
function handedOn(obj: SyntaxNode, node: SyntaxNode): string | null {
  if (obj.type !== 'identifier') return null;
  let fn: SyntaxNode | null = node.parent;
  while (fn && !FUNCTION_TYPES.has(fn.type)) fn = fn.parent;
  if (!fn) return null;
  const params = fn.child('parameters') ?? fn.child('parameter');
  if (params?.descendants().some((d) => d.type === 'identifier' && d.text === obj.text)) return 'a parameter: the caller sees its keys';
  for (const d of fn.descendants()) {
    if (d.type !== 'identifier' || d.text !== obj.text || d.startIndex <= node.endIndex) continue;
    const parent = d.parent;
    if (parent?.type === 'return_statement') return `returned (\`${parent.text.slice(0, 40)}\`)`;
    if (parent?.type === 'arguments') return `passed on (\`${parent.parent!.text.slice(0, 40)}\`)`;
  }
  return null;
}

/** `delete o[k]; break;` (or return): the loop deletes one key, once, and leaves (jsnetworkx removeEdge). */
function leavesAfter(node: SyntaxNode): boolean {
  let statement: SyntaxNode | null = node;
  while (statement && statement.type !== 'expression_statement') statement = statement.parent;
  const siblings = statement?.parent?.namedChildren ?? [];
  const next = siblings[siblings.indexOf(statement!) + 1];
  return next?.type === 'break_statement' || next?.type === 'return_statement';
}

export const deleteInLoop: Rule<EcmascriptFacts> = {
  code: 'HP206',
  name: 'delete-in-loop',
  languages: ['javascript', 'typescript', 'tsx'],
  severity: 'information',
  summary: '`delete obj[key]` in a loop: an object used as a dictionary, with its keys removed one by one.',
  cost: 'O(1) per delete, but slow-mode property access for the object afterwards',
  // Not Biome's noDelete: its cases are fixed-key deletes anywhere (bench/peer-fixtures.md).
  covers: [],
  docs: `
**What.** \`delete\` of a property that is not the last one added turns the object into a slow
"dictionary mode" object in V8 (and similar engines): its hidden class is dropped, inline caches that
saw it miss, and every later property access goes through a hash lookup. Deleting computed keys
in a loop means the object is used as a dictionary.

**Cost.** Each \`delete\` is O(1), but the object and the code that reads it stay on the slow path.

Reported for \`delete obj[key]\` with a computed key inside a loop (\`delete obj.prop\` of a fixed
property is left alone), unless \`obj\` is known to be an array, or every assignment of it in the file
is \`Object.create(null)\` (V8 creates such objects in dictionary mode: a \`delete\` changes nothing;
issue 13, judged wrong on webpack's parser), or the loop leaves right after the \`delete\`
(\`delete o[k]; break;\`: one key removed, once). This is not Biome's \`noDelete\`,
which reports every fixed-key \`delete\` (none of its 15 published cases is a computed key in a loop).

**Example.**
\`\`\`js
for (const id of expired) delete sessions[id];
\`\`\`
**Fix.** Keep the entries in a \`Map\` (\`sessions.delete(id)\`: made for it), or set the property to
\`undefined\` and skip such entries when reading. No quick fix: both change the data structure's API.
Where the object leaves the function with the keys gone (it is returned, passed to a call, or is a
parameter the caller sees), neither fits: the message says so and suggests building the object
without those keys (copy the kept ones) instead (issue 13 round 9: superstruct \`omit\`, xml-js).
`,
  fixtures: [
    {
      name: 'a loop that deletes one key and leaves (issue 13 round 6, jsnetworkx removeEdge)',
      language: 'javascript',
      code: `function removeOne(edges, v) {
  for (const k in edges) {
    if (edges[k] === v) {
      delete edges[k];
      break;
    }
  }
}
`,
      lines: [],
    },
    {
      name: 'delete with a computed key in for…of and in forEach',
      language: 'javascript',
      code: `function expire(sessions, expired) {
  for (const id of expired) delete sessions[id];
  expired.forEach((id) => { delete sessions.byId[id]; });
}
`,
      lines: [2, 3],
    },
    {
      name: 'delete in a for…in loop over the same object',
      language: 'typescript',
      code: `export function compact(obj: Record<string, unknown>) {
  for (const k in obj) {
    if (obj[k] === undefined) delete obj[k];
  }
  return obj;
}
`,
      lines: [3],
    },
    {
      name: 'fine: delete outside loops, a fixed property, an array element, a Map',
      language: 'typescript',
      code: `export function ok(o: Record<string, number>, k: string, xs: number[], m: Map<string, number>) {
  delete o[k];
  for (const x of xs) {
    delete (o as any).cached;
    delete o[\`font-weight\`];
    delete xs[x];
    m.delete(k);
  }
}
`,
      lines: [],
    },
    {
      name: 'the object is handed on with the keys gone (issue 13 round 9: superstruct omit, xml-js): the message says to build it without them',
      language: 'javascript',
      code: `function omit(struct, keys) {
  const subschema = { ...struct.schema };
  for (const key of keys) {
    delete subschema[key];
  }
  return object(subschema);
}
function rename(attributes, fn) {
  for (const key in attributes) {
    const v = attributes[key];
    delete attributes[key];
    attributes[fn(key)] = v;
  }
}
`,
      lines: [4, 11],
    },
    {
      name: 'fine: an object created by Object.create(null) is a dictionary from the start (issue 13: webpack syntax parser)',
      language: 'javascript',
      code: `class Parser {
  constructor() {
    this.undefinedExports = Object.create(null);
  }
  declare(names) {
    const seen = Object.create(null);
    for (const name of names) {
      delete this.undefinedExports[name];
      delete seen[name];
    }
  }
}
`,
      lines: [],
    },
    {
      name: 'a typed declaration of a plain object is an assignment too, whatever its type ends with (review 8, L0)',
      language: 'typescript',
      code: `let t2: { [k: string]: number } = {};
let t3: Record<string, number> | null = {};
export function reset(): void {
  t2 = Object.create(null);
  t3 = Object.create(null);
}
export function drop(keys: string[]): void {
  for (const k of keys) delete t2[k];
  for (const k of keys) delete t3[k];
}
`,
      lines: [8, 9],
    },
  ],
  create(ctx) {
    const facts = ctx.facts;
    const visit = (node: SyntaxNode) => {
      if (node.type !== 'unary_expression' || node.child('operator')?.text !== 'delete') return;
      const target = unwrap(node.child('argument'));
      if (target?.type !== 'subscript_expression') return;
      const index = unwrap(target.child('index'));
      if (!index || index.type === 'string' || index.type === 'number') return;
      if (index.type === 'template_string' && !index.namedChildren.some((c) => c.type === 'template_substitution')) return;
      const loop = innermostRealLoop(ctx.facts.loops(node));
      if (!loop) return;
      const obj = unwrap(target.child('object'));
      if (obj?.type === 'identifier' && ['list', 'tuple', 'map', 'set'].includes(facts.kindOf(obj.text, node))) return;
      // Every assignment of it in the file is `Object.create(null)`: V8 made it a dictionary from the start
      // (read through the module summary, so an edit of an assignment in another unit re-analyses this one).
      const last = obj?.type === 'identifier' ? obj.text : obj?.type === 'member_expression' ? obj.child('property')?.text : undefined;
      if (last && nullPrototypeEverywhere(last, obj!.type !== 'identifier', ctx.module)) return;
      if (leavesAfter(node)) return;
      const name = rootName(obj) || obj?.type === 'member_expression' ? obj!.text : 'the object';
      const out = obj ? handedOn(obj, node) : null;
      const advice = out
        ? `; it is ${out}, so the keys must be gone: a Map or an undefined value would change what it holds, build it without them instead (copy the kept keys)`
        : '; use a Map (or set the key to undefined)';
      ctx.report({
        node,
        message: `\`delete\` in a loop turns \`${name}\` into a slow dictionary-mode object${advice}`,
        related: [loopRelated(loop)],
      });
    };
    return { unary_expression: visit };
  },
};
