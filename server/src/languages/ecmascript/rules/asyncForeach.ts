import type { Rule } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import type { EcmascriptFacts } from '../facts';
import { isPlainFunctionExpression, unwrap } from '../syntax';

export const asyncForeach: Rule<EcmascriptFacts> = {
  code: 'HP205',
  name: 'async-foreach',
  languages: ['javascript', 'typescript', 'tsx'],
  severity: 'warning',
  summary: '`forEach` with an `async` callback: the promises are neither awaited nor caught.',
  cost: 'O(n) unawaited promises → O(n) awaited (Promise.all) or sequential (for…of)',
  covers: ['typescript-eslint/no-misused-promises'],
  docs: `
**What.** \`forEach\` ignores what its callback returns. An \`async\` callback returns a promise, so
\`xs.forEach(async (x) => { await save(x); })\` starts all n calls at once and returns before any of them
finishes: the code after it runs too early, nothing limits the concurrency, and a rejection becomes an
unhandled rejection (which ends a Node process by default).

**Cost.** A correctness trap as much as a performance one: the n operations run unbounded in
parallel, and their results are lost.

**Example.**
\`\`\`js
async function saveAll(users) {
  users.forEach(async (u) => { await db.save(u); });
  console.log('saved'); // printed before anything is saved
}
\`\`\`
**Fix.** Concurrently: \`await Promise.all(users.map(async (u) => { await db.save(u); }))\`.
One at a time: \`for (const u of users) await db.save(u);\`. No quick fix: the two differ and the
choice is the author's.
`,
  fixtures: [
    {
      name: 'async arrow and async function callbacks',
      language: 'javascript',
      code: `async function saveAll(users, db) {
  users.forEach(async (u) => {
    await db.save(u);
  });
  users.forEach(async function (u) { await db.audit(u); });
}
`,
      lines: [2, 5],
    },
    {
      name: 'Map.forEach with an async callback, tsx',
      language: 'tsx',
      code: `export function refresh(cache: Map<string, number>, load: (k: string) => Promise<number>) {
  cache.forEach(async (_v, k) => cache.set(k, await load(k)));
}
`,
      lines: [2],
    },
    {
      name: 'fine: Promise.all over map, for…of with await, synchronous forEach',
      language: 'typescript',
      code: `export async function ok(ids: string[], load: (id: string) => Promise<void>) {
  await Promise.all(ids.map(async (id) => load(id)));
  for (const id of ids) await load(id);
  ids.forEach((id) => console.log(id));
}
`,
      lines: [],
    },
  ],
  create(ctx) {
    const visit = (call: SyntaxNode) => {
      if (call.type !== 'call_expression') return;
      const member = unwrap(call.child('function'));
      if (member?.type !== 'member_expression' || member.child('property')?.text !== 'forEach') return;
      const fn = call.child('arguments')?.namedChildren[0];
      if (!isPlainFunctionExpression(fn)) return;
      if (fn.children[0]?.type !== 'async') return;
      const body = fn.child('body');
      ctx.report({
        node: { startIndex: member.startIndex, endIndex: body ? body.startIndex : fn.endIndex },
        message: '`forEach` does not wait for the `async` callback: the n promises run unawaited and their errors go unhandled; use `for…of` with `await`, or `await Promise.all(xs.map(async …))`',
        related: [{ node: fn.children[0], message: 'this callback returns a promise that `forEach` drops' }],
      });
    };
    return { call_expression: visit };
  },
};
