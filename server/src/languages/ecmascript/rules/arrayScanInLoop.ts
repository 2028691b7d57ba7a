import type { Rule, UnitContext } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import type { Fix } from '../../../analysis/rule';
import type { EcmascriptFacts } from '../facts';
import { hoistAnchor, insertLineBefore, isConstantLoop, iterationCallOf, type Loop, loopRelated, methodCallParts } from '../loops';
import { isInvariantIn, isSimpleExpression } from '../mutation';
import { isBoundedArray, scalingLoops, sizeVerdict } from '../sizes';
import { isPlainFunctionExpression, parameterNames, referencedNames, rootName, unwrap } from '../syntax';

const VALUE_SCANS = new Set(['includes', 'indexOf', 'lastIndexOf']);
const PREDICATE_SCANS = new Set(['find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'filter']);

/** The returned expression of an arrow or function whose body is one expression or one `return`. */
export function returnedExpression(fn: SyntaxNode): SyntaxNode | null {
  const body = fn.child('body');
  if (!body) return null;
  if (body.type !== 'statement_block') return unwrap(body);
  const stmts = body.namedChildren.filter((c) => c.type !== 'comment');
  if (stmts.length !== 1 || stmts[0].type !== 'return_statement') return null;
  return unwrap(stmts[0].namedChildren[0] ?? null);
}

/**
 * For a predicate `x => x.id === key` (or `key === x.id`, `x => x === key`), the compared path of
 * the element (`.id`, or '' for the element itself); null when the predicate is anything else.
 */
export function equalityPredicateKey(fn: SyntaxNode | undefined): string | null {
  if (!isPlainFunctionExpression(fn)) return null;
  const [param] = parameterNames(fn);
  if (!param) return null;
  const expr = returnedExpression(fn);
  if (expr?.type !== 'binary_expression') return null;
  const op = expr.child('operator')?.text;
  if (op !== '===' && op !== '==') return null;
  const left = unwrap(expr.child('left'));
  const right = unwrap(expr.child('right'));
  if (!left || !right) return null;
  for (const [elem, other] of [
    [left, right],
    [right, left],
  ]) {
    if (rootName(elem) !== param || !isSimpleExpression(elem)) continue;
    if (referencedNames(other).has(param)) return null;
    if ([...elem.descendants()].some((n) => n.type === "subscript_expression")) return null;
    return elem.text.slice(param.length).replace(/^\?/, '');
  }
  return null;
}

function isMembershipTest(call: SyntaxNode): boolean {
  let node = call;
  while (node.parent?.type === 'parenthesized_expression') node = node.parent;
  const p = node.parent;
  if (p?.type !== 'binary_expression') return false;
  const op = p.child('operator')?.text ?? '';
  const other = node.field === 'left' ? p.child('right') : p.child('left');
  const v = other?.text.replace(/\s+/g, '');
  if (v === '-1') return ['===', '!==', '==', '!=', '>', '<='].includes(op);
  if (v === '0') return node.field === 'left' ? ['>=', '<'].includes(op) : ['<=', '>'].includes(op);
  return false;
}

/** The innermost loop that is not of constant size (`for (const k of ['a', 'b'])`). */
export function innermostRealLoop(loops: readonly Loop[]): Loop | null {
  return loops.find((l) => !isConstantLoop(l)) ?? null;
}

/**
 * `xs.includes(v)` → `xsSet.has(v)` with `const xsSet = new Set(xs);` before the loop. Both compare
 * with SameValueZero, so the answer is the same whenever `xs` does not change while the loop runs
 * (`indexOf` uses strict equality and differs on NaN: no fix there).
 */
function setFix(ctx: UnitContext, facts: EcmascriptFacts, loop: Loop, call: SyntaxNode, receiver: SyntaxNode): Fix | undefined {
  const member = unwrap(call.child('function'))!;
  const args = call.child('arguments')?.namedChildren ?? [];
  if (args.length !== 1 || args[0].type === 'spread_element') return undefined;
  if (member.children.some((c) => c.type === 'optional_chain') || call.children.some((c) => c.type === 'optional_chain')) return undefined;
  // A callback loop must run now, on an array: `xs.filter(cb)`, not an observable's `filter`.
  if (loop.kind === 'callback') {
    const it = iterationCallOf(loop.node);
    const recv = it && unwrap(it.member.child('object'));
    const kind = recv?.type === 'identifier' ? facts.kindOf(recv.text, recv) : recv?.type === 'array' ? 'list' : 'unknown';
    if (kind !== 'list' && kind !== 'tuple') return undefined;
  }
  const anchor = hoistAnchor(loop);
  if (!anchor) return undefined;
  const decl = facts.declarationOf(receiver.text, receiver);
  if (!decl || decl.node.startIndex >= anchor.startIndex) return undefined;
  const whole: Loop = { ...loop, node: anchor, iterationNames: [] };
  if (!isInvariantIn(receiver, loop, facts) || !isInvariantIn(receiver, whole, facts)) return undefined;
  const setName = `${receiver.text}Set`;
  if (facts.decls.has(setName) || referencedNames(ctx.unit).has(setName)) return undefined;
  const insert = insertLineBefore(ctx.source, anchor, `const ${setName} = new Set(${receiver.text});`);
  if (!insert) return undefined;
  return {
    title: `Build a Set of \`${receiver.text}\` once before the loop`,
    replacements: [insert, { startIndex: call.startIndex, endIndex: member.endIndex, newText: `${setName}.has` }],
  };
}

export const arrayScanInLoop: Rule<EcmascriptFacts> = {
  code: 'HP201',
  name: 'array-scan-in-loop',
  languages: ['javascript', 'typescript', 'tsx'],
  severity: 'warning',
  summary: 'A linear search of an array (`includes`, `indexOf`, `find(x => x.id === id)`, …) runs on every iteration of a loop.',
  cost: 'O(n·m) → O(n + m)',
  covers: [],
  docs: `
**What.** \`arr.includes(x)\`, \`arr.indexOf(x)\`, \`arr.some(e => e === x)\` and \`arr.find(e => e.id === x)\`
look at every element of \`arr\` until they find a match. Inside a loop over another collection (a
\`for\` statement, or a callback of \`map\`, \`filter\`, \`forEach\`, \`reduce\`, \`sort\`, …) that is one full
scan per iteration.

**Cost.** With *n* iterations and an array of *m* elements: O(n·m). A \`Set\` (or a \`Map\` keyed by the
compared property) built once answers each lookup in O(1): O(n + m) in all.

Reported only when the receiver is known to be an array: declared in the function from an array
(\`const seen = []\`), annotated \`T[]\`, \`Array<T>\` or \`ReadonlyArray<T>\` (in TypeScript or in a JSDoc
\`@param {T[]} name\`), or bound at the top of the module; never for strings (\`s.includes(sub)\` is a substring search), Sets or Maps, never for
constant-size array literals (\`['a', 'b'].includes(c)\`), and never for arrays created inside the loop.
Predicates are reported only when they are a single equality (\`e => e.id === x.id\`).

**Example.**
\`\`\`js
function missing(expected, received /* string[] */) {
  return expected.filter((sku) => !received.includes(sku)); // O(n·m)
}
\`\`\`
**Fix.**
\`\`\`js
function missing(expected, received) {
  const have = new Set(received);
  return expected.filter((sku) => !have.has(sku)); // O(n + m)
}
\`\`\`
For \`find(e => e.id === key)\` build \`new Map(arr.map((e) => [e.id, e]))\` once and \`get(key)\`;
for a position (\`indexOf\` not compared with -1), a \`Map\` from value to index.
Quick fix for \`includes\` (which compares with SameValueZero, like \`Set.prototype.has\`): when the array
is a local or parameter that does not change while the loop runs, \`const xsSet = new Set(xs);\` is
inserted before the loop (before the statement holding \`ys.filter(…)\` for a callback on a known
array) and \`xs.includes(v)\` becomes \`xsSet.has(v)\`. \`indexOf\` gets no fix (strict equality: \`NaN\`
differs), nor do predicates.
`,
  fixtures: [
    {
      name: 'a local function called only with literal arrays (`swallow([48, …, 57])`): the array it scans is bounded by construction, a hint (issue 13 round 14: cborg JSON number lexer, wrong by both judges as information); one call with another value keeps it information, and so does the function escaping as a shorthand property (`return { swallow }`: review 12 S4)',
      language: 'javascript',
      code: `class Tokeniser {
  readNumber() {
    const startPos = this._pos;
    /**
     * @param {number[]} chars
     */
    const swallow = (chars) => {
      while (!this.done()) {
        const ch = this.ch();
        if (chars.includes(ch)) {
          this._pos++;
        } else {
          break;
        }
      }
    };
    swallow([48, 49, 50, 51, 52, 53, 54, 55, 56, 57]);
    if (this.ch() === 46) swallow([48, 49, 50, 51, 52, 53, 54, 55, 56, 57]);
    return this._pos - startPos;
  }

  readName(known) {
    /**
     * @param {number[]} chars
     */
    const swallow = (chars) => {
      while (!this.done()) {
        const ch = this.ch();
        if (chars.includes(ch)) {
          this._pos++;
        } else {
          break;
        }
      }
    };
    swallow([1, 2]);
    swallow(known);
  }

  readEscaping() {
    /**
     * @param {number[]} chars
     */
    const swallow = (chars) => {
      while (!this.done()) {
        const ch = this.ch();
        if (chars.includes(ch)) {
          this._pos++;
        } else {
          break;
        }
      }
    };
    swallow([1, 2]);
    return { swallow };
  }
}
`,
      lines: [10, 29, 47],
      severities: ['hint', 'information', 'information'],
    },
    {
      name: 'includes on a parameter annotated as an array, in for…of — two unrelated inputs, no evidence the array grows with the loop: information (round 5)',
      language: 'typescript',
      code: `function missing(expected: string[], received: string[]): string[] {
  const out: string[] = [];
  for (const sku of expected) {
    if (!received.includes(sku)) out.push(sku);
  }
  return out;
}
`,
      lines: [4],
      severity: 'information',
      fixed: `function missing(expected: string[], received: string[]): string[] {
  const out: string[] = [];
  const receivedSet = new Set(received);
  for (const sku of expected) {
    if (!receivedSet.has(sku)) out.push(sku);
  }
  return out;
}
`,
    },
    {
      name: 'find with an equality predicate inside filter — two unrelated inputs, no evidence the array grows with the loop: information (round 5)',
      language: 'typescript',
      code: `interface User { id: number }
export function common(a: User[], b: User[]): User[] {
  return a.filter((user) => b.find((other) => other.id === user.id) !== undefined);
}
`,
      lines: [3],
      severity: 'information',
    },
    {
      name: 'indexOf membership on a growing local array (dedupe) — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains',
      language: 'javascript',
      code: `function unique(items) {
  const seen = [];
  for (const item of items) {
    if (seen.indexOf(item) === -1) seen.push(item);
  }
  return seen;
}
`,
      lines: [4],
      severity: 'information',
    },
    {
      name: 'indexOf in a sort comparator over a top-level array',
      language: 'javascript',
      code: `const order = [];
function register(name) { order.push(name); }
function byOrder(names) {
  return names.sort((a, b) => order.indexOf(a) - order.indexOf(b));
}
`,
      lines: [4, 4],
      // `order` is filled by another function: its size is not visible from here.
      severity: 'information',
    },
    {
      name: 'some with an equality predicate in a while loop, tsx — two unrelated inputs, no evidence the array grows with the loop: information (round 5)',
      language: 'tsx',
      code: `function pending(queue: Array<string>, done: ReadonlyArray<string>) {
  let n = 0;
  while (n < queue.length) {
    if (done.some((d) => d === queue[n])) return n;
    n++;
  }
  return -1;
}
`,
      lines: [4],
      severity: 'information',
    },
    {
      name: 'dedupe through the callback array parameter — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains',
      language: 'javascript',
      code: `function unique(values) {
  return values.filter((v, i, all) => all.indexOf(v) === i);
}
`,
      lines: [2],
      severity: 'information',
    },
    {
      name: 'JSDoc-typed parameter in plain JavaScript — two unrelated inputs, no evidence the array grows with the loop: information (round 5)',
      language: 'javascript',
      code: `/**
 * @param {string[]} expected
 * @param {Array<string>} received
 */
function missingSkus(expected, received) {
  return expected.filter((sku) => !received.includes(sku));
}
`,
      lines: [6],
      severity: 'information',
      fixed: `/**
 * @param {string[]} expected
 * @param {Array<string>} received
 */
function missingSkus(expected, received) {
  const receivedSet = new Set(received);
  return expected.filter((sku) => !receivedSet.has(sku));
}
`,
      call: 'missingSkus(["a", "b", NaN, "c"], ["b", NaN])',
    },
    {
      name: 'no fix when the array changes in the loop, or the loop is in a nested function — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains',
      language: 'javascript',
      code: `function merge(xs) {
  const seen = [];
  for (const x of xs) if (!seen.includes(x)) seen.push(x);
  const later = () => xs.map((x) => seen.includes(x));
  return [seen, later];
}
`,
      lines: [3, 4],
      severity: 'information',
    },
    {
      name: 'fine: Set and Map membership, string includes, constant-size literal',
      language: 'typescript',
      code: `function ok(items: string[], allowed: Set<string>, byId: Map<string, number>, text: string) {
  const vowels = ['a', 'e', 'i', 'o', 'u'];
  let n = 0;
  for (const item of items) {
    if (allowed.has(item) && byId.has(item)) n++;
    if (text.includes(item)) n++;
    if (['x', 'y'].includes(item)) n++;
    if (vowels.includes(item[0])) n++;
  }
  return n;
}
`,
      lines: [],
    },
    {
      name: 'fine: includes outside any loop, untyped receiver, array built in the loop, pop',
      language: 'javascript',
      code: `function ok(list, items) {
  const known = [1, 2, 3].concat(list);
  if (known.includes(4)) return true;
  for (const item of items) {
    if (list.includes(item)) return true;
    const parts = item.split(',');
    if (parts.includes('x')) return true;
    known.pop();
  }
  return false;
}
`,
      lines: [],
    },
    {
      name: 'fine: predicate that is not an equality, a loop over a literal, an inner iterable',
      language: 'javascript',
      code: `function ok(items, limit) {
  const prices = items.map((i) => i.price);
  for (const item of items) {
    if (prices.some((p) => p > limit)) return item;
  }
  for (const key of ['a', 'b']) {
    if (prices.includes(key)) return key;
  }
  for (const x of prices.filter((p) => p > 0)) console.log(x);
  return null;
}
`,
      lines: [],
    },
    {
      name: 'sizes not visible: a loop bounded by a call\'s result (issue 13: webpack syntax printer; information)',
      language: 'javascript',
      code: `/** @param {number[]} parts */
function printItems(node, parts) {
  const count = fieldCount(node);
  for (let i = 0; i < count; i++) {
    const item = itemOf(node, i);
    if (parts.includes(item)) print(item);
  }
}
`,
      lines: [6],
      severity: 'information',
    },
    {
      name: 'a traversal from a parameter grows what it scans (a BFS over parents): both sizes from the input — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains',
      language: 'javascript',
      code: `function affected(start, cache) {
  const seen = [start];
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.pop();
    for (const parent of cache[id].parents) {
      if (seen.indexOf(parent) !== -1) continue;
      seen.push(parent);
      queue.push(parent);
    }
  }
  return seen;
}
`,
      lines: [7],
      severity: 'information',
    },
    {
      name: 'a scan of an array named for configuration (a lexer\'s modes) holds a handful of entries (issue 13: chevrotain; information)',
      language: 'typescript',
      code: `function findModesThatDoNotExist(tokenTypes: TokenType[], validModes: string[]) {
  return tokenTypes.filter((t) => t.PUSH_MODE !== undefined && !validModes.includes(t.PUSH_MODE));
}
`,
      lines: [2],
      severity: 'information',
    },
    {
      name: 'a scan of a module constant built from fixed lists is bounded by construction: a hint (issue 13 round 7: svgo inlineStyles preservedPseudos); one pushed to stays information, and so does one spreading an imported name (review 12 S6: only a fixed module constant spread keeps it fixed)',
      language: 'javascript',
      code: `import { pseudoClasses } from './collections.js';
const functional = [':is', ':not'];
const preservedPseudos = [
  ...functional, // comment
  ':hover', 'x', 3, null,
];
const imported = [...pseudoClasses.functional, ':hover'];
const registered = [];
export function keep(nodes) {
  const out = [];
  for (const n of nodes) if (!preservedPseudos.includes(n.name)) out.push(n);
  for (const n of nodes) if (!registered.includes(n.name)) out.push(n);
  for (const n of nodes) if (!imported.includes(n.name)) out.push(n);
  return out;
}
export function register(x) {
  registered.push(x);
}
`,
      lines: [11, 12, 13],
      severities: ['hint', 'information', 'information'],
    },
    {
      name: 'a list grown only by a fixed-count loop (the ten digits from a char code) is bounded by construction: a hint; one grown per input item stays information (issue 13 round 9: jsonata decimalDigitFamily)',
      language: 'javascript',
      code: `function digits(picture) {
  const zero = '0'.charCodeAt(0);
  const family = [];
  for (let ii = zero; ii < zero + 10; ii++) {
    family.push(String.fromCharCode(ii));
  }
  return picture.filter((c) => family.indexOf(c) > -1).length;
}
function seen(picture, words) {
  const family = [];
  for (let ii = 0; ii < words.length; ii++) {
    family.push(words[ii]);
  }
  return picture.filter((c) => family.indexOf(c) > -1).length;
}
`,
      lines: [7, 14],
      severities: ['hint', 'information'],
    },
  ],
  create(ctx) {
    const facts = ctx.facts;
    const visit = (call: SyntaxNode) => {
      const parts = methodCallParts(call);
      if (!parts) return;
      const { member, method, args } = parts;
      const isValue = VALUE_SCANS.has(method);
      if (!isValue && !PREDICATE_SCANS.has(method)) return;
      const receiver = unwrap(member.child('object'));
      if (receiver?.type !== 'identifier') return;
      if (args.length === 0) return;
      let key: string | null = null;
      if (!isValue) {
        key = equalityPredicateKey(args[0]);
        if (key === null) return;
      }
      const loops = scalingLoops(ctx.facts.loops(call), ctx.module);
      const loop = loops[0];
      if (!loop) return;
      if (facts.kindOf(receiver.text, call) !== 'list') return;
      // An array filled only from a fixed table (`for (const n of LONGHANDS) indices.push(…)`) stays small.
      if (isBoundedArray(receiver.text, call, facts, ctx.module)) return;
      const decl = facts.declarationOf(receiver.text, call);
      // Declared in the loop: per-iteration data; except the callback's array parameter, which is the iterated array.
      if (decl && loop.node.contains(decl.node) && !(decl.iteratedArray && decl.scope === loop.node)) return;
      const name = `\`${receiver.text}.${method}()\``;
      let message: string;
      if (isValue && (method === 'includes' || isMembershipTest(call))) message = `${name} scans the array on every iteration: O(n·m); build a Set once`;
      else if (isValue) message = `${name} scans the array on every iteration: O(n·m); build a Map from value to index once`;
      else if (key === '') message = `${name} scans the array for an equal element on every iteration: O(n·m); build a Set once`;
      else message = `${name} scans the array for a matching \`${key!.replace(/^\./, '')}\` on every iteration: O(n·m); index it once in a Map keyed by \`${key!.replace(/^\./, '')}\``;
      const fix = method === 'includes' ? setFix(ctx, facts, loop, call, receiver) : undefined;
      const verdict = sizeVerdict(call, loops, receiver, facts);
      ctx.report({ node: call, severity: verdict.severity, message: message + verdict.note, related: [loopRelated(loop)], fix });
    };
    return { call_expression: visit };
  },
};
