import type { Rule, UnitContext } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import { enclosingLoops, isWrittenOrEscaping, ownDescendants, patternNames, referencedNames, unwrap, type Loop } from '../scope';
import { loopRelated } from '../loops';

/** Awaits that pace or serialise on purpose. */
const PACING = /^(sleep|delay|wait\w*|timeout|setTimeout|throttle|pause|acquire|lock|retry|backoff|prompt|question|confirm|ask|tick|nextTick|yieldToEventLoop)$/i;
/** Receivers whose operations are ordered by nature (a transaction, a page being driven, a stream). */
const ORDERED_RECEIVERS = /^(tx|trx|transaction|page|browser|frame|stream|writer|reader|socket|ws|conn|connection|session|rl|readline|lock|mutex|semaphore|queue|terminal|term|stdin|stdout|process|cursor|iterator|it|gen|generator)$/i;

function calleeParts(expr: SyntaxNode): { name: string; receiver: string } {
  let e = unwrap(expr);
  if (e?.type === 'call_expression' || e?.type === 'new_expression') e = unwrap(e.child('function') ?? e.child('constructor'));
  if (e?.type === 'member_expression') {
    const recv = unwrap(e.child('object'));
    const recvName = recv?.type === 'member_expression' ? recv.child('property')?.text ?? '' : recv?.text ?? '';
    return { name: e.child('property')?.text ?? '', receiver: recvName };
  }
  return { name: e?.text ?? '', receiver: '' };
}

/**
 * Whether the iterations of `loop` look independent for the await `aw`: the loop runs over a
 * collection, nothing exits it early, the awaited work is about the current element, and does not
 * read anything an earlier iteration wrote.
 */
function independent(loop: Loop, aw: SyntaxNode): boolean {
  const node = loop.node;
  if (node.type !== 'for_in_statement' && node.type !== 'for_statement') return false;
  if (node.children.some((c) => c.type === 'await')) return false; // for await
  if (loop.iterationNames.length === 0) return false;
  // for (;;) / for (let i = 0; ; i++) without a bound is not a walk over a collection.
  if (node.type === 'for_statement' && !node.child('condition')?.namedChildren.length && node.child('condition')?.type !== 'binary_expression') return false;
  const body = node.child('body');
  if (!body) return false;
  const written = new Set<string>();
  const declared = new Map<string, SyntaxNode | null>();
  let awaits = 0;
  for (const n of ownDescendants(body)) {
    if (['break_statement', 'return_statement', 'throw_statement', 'yield_expression', 'labeled_statement'].includes(n.type)) return false;
    if (n.type === 'continue_statement' && n.namedChildren.length > 0) return false;
    if (n.type === 'await_expression') awaits++;
    if (n.type === 'variable_declarator') for (const nm of patternNames(n.child('name'))) declared.set(nm, n.child('value'));
    if (n.type === 'identifier' && isWrittenOrEscaping(n)) {
      const p = n.parent;
      // Handing a value to a call is not writing it; assignments and mutations are.
      if (p?.type === 'arguments') continue;
      written.add(n.text);
    }
  }
  if (awaits === 0) return false;
  // The for statement's own update writes its counter: that is the iteration, not a dependency.
  for (const nm of loop.iterationNames) written.delete(nm);
  // Names declared in the body are fresh per iteration; writes to them do not carry over, unless
  // they are derived from something that does.
  const carried = new Set([...written].filter((w) => !declared.has(w)));
  let grew = true;
  while (grew) {
    grew = false;
    for (const [nm, value] of declared) {
      if (carried.has(nm) || !value) continue;
      for (const r of referencedNames(value)) {
        if (carried.has(r)) {
          carried.add(nm);
          grew = true;
          break;
        }
      }
    }
  }
  const arg = aw.namedChildren[0];
  if (!arg) return false;
  const reads = referencedNames(arg);
  for (const r of reads) if (carried.has(r)) return false;
  // The awaited work must be about this iteration's element (directly or through a body local).
  const perElement = new Set(loop.iterationNames);
  grew = true;
  while (grew) {
    grew = false;
    for (const [nm, value] of declared) {
      if (perElement.has(nm) || !value) continue;
      for (const r of referencedNames(value)) {
        if (perElement.has(r)) {
          perElement.add(nm);
          grew = true;
          break;
        }
      }
    }
  }
  if (![...reads].some((r) => perElement.has(r))) return false;
  const { name, receiver } = calleeParts(arg);
  if (PACING.test(name) || ORDERED_RECEIVERS.test(receiver)) return false;
  return true;
}

export const awaitInLoop: Rule = {
  code: 'HP204',
  name: 'await-in-loop',
  languages: ['javascript', 'typescript', 'tsx'],
  severity: 'information',
  summary: 'Independent asynchronous work is awaited one iteration at a time.',
  cost: 'O(n) sequential waits → O(1) rounds (Promise.all)',
  covers: ['eslint/no-await-in-loop', 'biome/noAwaitInLoops'],
  docs: `
**What.** \`await\` inside a \`for\`/\`for…of\` loop waits for each operation before starting the next.
When the iterations do not depend on each other (loading n users by id, reading n files) the total
time is the sum of n latencies instead of about the longest one.

**Cost.** n round trips in sequence; with \`Promise.all\` they overlap.

Quieter than ESLint's \`no-await-in-loop\`: reported only for a \`for…of\`/\`for…in\` or a counted \`for\`
loop (not \`while\`, not \`for await\`), when the awaited expression uses the loop's element, does not
read a variable that an earlier iteration assigned or mutated (\`cursor = await next(cursor)\`), the
body has no \`break\`, \`return\`, \`throw\` or labelled \`continue\` (stopping early is a reason to go
one at a time), and the call is not pacing or ordered on purpose (\`sleep\`, \`delay\`, a transaction
\`tx\`, a \`page\`, a stream, a lock).

**Example.**
\`\`\`js
const users = [];
for (const id of ids) users.push(await load(id));
\`\`\`
**Fix.**
\`\`\`js
const users = await Promise.all(ids.map((id) => load(id)));
\`\`\`
Mind rate limits and very large n (batch them). No quick fix: failure and ordering behaviour change.
`,
  fixtures: [
    {
      name: 'loading by id in for…of',
      language: 'typescript',
      code: `export async function loadAll(ids: number[], load: (id: number) => Promise<string>): Promise<string[]> {
  const users: string[] = [];
  for (const id of ids) {
    users.push(await load(id));
  }
  return users;
}
`,
      lines: [4],
    },
    {
      name: 'counted for loop and a body local derived from the element',
      language: 'javascript',
      code: `async function readAll(fs, files) {
  const out = {};
  for (let i = 0; i < files.length; i++) {
    const path = 'data/' + files[i];
    out[path] = await fs.readFile(path, 'utf8');
  }
  return out;
}
`,
      lines: [5],
    },
    {
      name: 'fine: pagination, early exit, for await, pacing, transactions, while',
      language: 'javascript',
      code: `async function ok(client, ids, tx, stream) {
  let cursor = null;
  for (const _ of ids) {
    cursor = await client.next(cursor);
  }
  for (const id of ids) {
    const r = await client.get(id);
    if (r.ok) break;
  }
  for await (const chunk of stream) console.log(chunk);
  for (const id of ids) {
    await tx.insert(id);
    await sleep(100);
  }
  while (ids.length) await client.get(ids.pop());
  for (const id of ids) await client.ping();
}
`,
      lines: [],
    },
  ],
  check(ctx: UnitContext) {
    const reported = new Set<SyntaxNode>();
    for (const aw of ctx.unit.descendants()) {
      if (aw.type !== 'await_expression') continue;
      const loops = enclosingLoops(aw);
      const loop = loops[0];
      if (!loop || loop.kind !== 'statement' || reported.has(loop.node)) continue;
      if (!independent(loop, aw)) continue;
      reported.add(loop.node);
      ctx.report({
        node: aw,
        message: '`await` in the loop runs the iterations one after another: n waits in sequence; if they are independent, start them together with `Promise.all`',
        related: [loopRelated(loop, 'each iteration waits for the previous one')],
      });
    }
  },
};
