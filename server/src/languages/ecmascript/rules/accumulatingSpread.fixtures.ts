// The fixtures of HP202 accumulating-spread (accumulatingSpread.ts):
// one per class of code judged in issue 13's rounds, each a regression test (the rule catalog's
// tests run them; the rule exports them as its `fixtures`).
import type { Fixture } from '../../../analysis/rule';

export const fixtures: Fixture[] = [
    {
      name: 'a name bound afresh earlier in the same iteration (`pax = decodePax(bytes)`, then `pax = { ...paxGlobal, ...pax }`) holds only what this iteration made: no accumulation, no finding (issue 13 round 14: it-tar extract, wrong by both judges); an accumulator carried across iterations stays, also through an alias the loop sets from it (`acc = prev; … prev = acc`: review 12 M1)',
      language: 'typescript',
      severity: 'information',
      code: `export async function* extract(reader: any, decodePax: (b: Uint8Array) => Record<string, string>) {
  let paxGlobal: Record<string, string> | undefined
  let pax: Record<string, string> | null = null
  while (true) {
    const { done, value: header } = await reader.next(512)
    if (done === true) return
    if (header.type === 'pax-header') {
      const { value: paxBytes } = await reader.next(header.size)
      pax = decodePax(paxBytes)
      if (paxGlobal != null) {
        pax = { ...paxGlobal, ...pax }
      }
      continue
    }
    yield { header, pax }
  }
}

export function merge(parts: Record<string, string>[]) {
  let acc: Record<string, string> = {}
  for (const p of parts) {
    acc = { ...acc, ...p }
  }
  return acc
}

export function mergeThroughAlias(parts: Record<string, string>[]) {
  let acc: Record<string, string> = {}
  let prev: Record<string, string> = {}
  for (const p of parts) {
    acc = prev
    acc = { ...acc, ...p }
    prev = acc
  }
  return acc
}
`,
      lines: [22, 32],
    },
    {
      name: 'a reduce over a module constant that is an object literal of fixed entries, never given a property in the module, holds the same entries whatever the input: a hint (issue 13 round 14: php-parser TokenNames, wrong by both judges as information); one that gets a property (`Extra.b = 2`) is not fixed',
      language: 'javascript',
      code: `const TokenNames = {
  T_HALT_COMPILER: 101,
  T_USE: 102,
  'T_STRING': 105,
};

const tokens = {
  values: Object.entries(TokenNames).reduce(
    (result, [key, value]) => ({ ...result, [value]: key }),
    {},
  ),
  names: TokenNames,
};

const Extra = { a: 1 };
Extra.b = 2;

function invert(extra) {
  return Object.entries(Extra).reduce((result, [key, value]) => ({ ...result, [value]: key }), {});
}

module.exports = Object.freeze(tokens);
`,
      lines: [9, 19],
      severities: ['hint', 'information'],
    },
    {
      name: 'a module constant that spreads another name is fixed only when that name is a fixed module constant: `[...defaults, \'c\']` a hint; `...globalThis.userList` or `...globalThis.userConfig` holds what the input gives, information (review 12 S6)',
      language: 'javascript',
      code: `const defaults = ['a', 'b'];
const merged = [...defaults, ...globalThis.userList];
const known = [...defaults, 'c'];
const settings = { ...globalThis.userConfig, a: 1 };

export function tally() {
  return merged.reduce((acc, x) => [...acc, x], []);
}
export function listed() {
  return known.reduce((acc, x) => [...acc, x], []);
}
export function keys() {
  return Object.entries(settings).reduce((r, [k, v]) => ({ ...r, [v]: k }), {});
}
`,
      lines: [7, 10, 13],
      severities: ['information', 'hint', 'information'],
    },
    {
      name: 'object spread in reduce with a fresh {}: fixed by assignment — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains',
      language: 'javascript',
      code: `function indexById(items) {
  return items.reduce((acc, item) => ({ ...acc, [item.id]: item }), {});
}
`,
      lines: [2],
      severity: 'information',
      fixed: `function indexById(items) {
  return items.reduce((acc, item) => { acc[item.id] = item; return acc; }, {});
}
`,
      call: 'indexById([{ id: "b", v: 1 }, { id: "a", v: 2 }, { id: "b", v: 3 }])',
    },
    {
      name: 'counter object with a computed key that reads the accumulator: fixed — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains',
      language: 'javascript',
      code: `function count(words) {
  return words.reduce((acc, w) => ({ ...acc, [w]: (acc[w] || 0) + 1 }), {});
}
`,
      lines: [2],
      severity: 'information',
      fixed: `function count(words) {
  return words.reduce((acc, w) => { acc[w] = (acc[w] || 0) + 1; return acc; }, {});
}
`,
      call: 'count(["a", "b", "a"])',
    },
    {
      name: 'conditional array spread in reduce (no fix), Object.assign copy in TypeScript — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains',
      language: 'typescript',
      code: `export function evens(xs: number[]) {
  return xs.reduce((acc, x) => (x % 2 === 0 ? [...acc, x] : acc), [] as number[]);
}
export const merge = (os: object[]) => os.reduce((acc, o) => Object.assign({}, acc, o), {});
export const mergeAll = (os: object[][]) => os.reduce((acc, o) => Object.assign([], acc, o), []);
`,
      lines: [2, 4, 5],
      severity: 'information',
    },
    {
      name: 'array reduce: fixed by push — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains',
      language: 'javascript',
      code: `const doubled = (xs) => xs.reduce((acc, x) => [...acc, x * 2, x], []);
`,
      lines: [1],
      severity: 'information',
      fixed: `const doubled = (xs) => xs.reduce((acc, x) => { acc.push(x * 2, x); return acc; }, []);
`,
      call: 'doubled([1, 2, 3])',
    },
    {
      name: 'accumulation in a for…of loop: fixed by push — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains',
      language: 'javascript',
      code: `function names(users) {
  let out = [];
  for (const u of users) {
    if (u.active) out = [...out, u.name];
  }
  return out;
}
`,
      lines: [4],
      severity: 'information',
      fixed: `function names(users) {
  let out = [];
  for (const u of users) {
    if (u.active) out.push(u.name);
  }
  return out;
}
`,
      call: 'names([{ active: true, name: "a" }, { active: false, name: "b" }, { active: true, name: "c" }])',
    },
    {
      name: 'spread of spread in a loop (no fix: push(...xs) can overflow), object spread in forEach — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains',
      language: 'typescript',
      code: `interface User { id: string; tags: string[] }
export function collect(users: User[]) {
  let tags: string[] = [];
  let byId: Record<string, User> = {};
  for (const user of users) {
    tags = [...tags, ...user.tags];
  }
  users.forEach((u) => {
    byId = { ...byId, [u.id]: u };
  });
  return { tags, byId };
}
`,
      lines: [6, 9],
      severity: 'information',
    },
    {
      name: 'TypeScript reduce with a typed initial value: fixed — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains',
      language: 'typescript',
      code: `type U = { id: string };
export const index = (us: U[]) => us.reduce((acc, u) => ({ ...acc, [u.id]: u }), {} as Record<string, U>);
`,
      lines: [2],
      severity: 'information',
      fixed: `type U = { id: string };
export const index = (us: U[]) => us.reduce((acc, u) => { acc[u.id] = u; return acc; }, {} as Record<string, U>);
`,
    },
    {
      name: 'no fix when the array escapes before the loop ends — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains',
      language: 'javascript',
      code: `function history(steps) {
  let path = [];
  const snapshots = [];
  for (const s of steps) {
    path = [...path, s];
    snapshots.push(path);
  }
  return snapshots;
}
`,
      lines: [5],
      severity: 'information',
    },
    {
      name: 'fine: fixed-key object copies, Object.assign onto the accumulator, spread of the element',
      language: 'javascript',
      code: `function stats(items) {
  const totals = items.reduce((acc, x) => ({ ...acc, sum: acc.sum + x, n: acc.n + 1 }), { sum: 0, n: 0 });
  const merged = items.reduce((acc, x) => Object.assign(acc, x), {});
  const best = items.reduce((b, x) => (x > b.v ? { ...b, v: x } : b), { v: 0 });
  const copies = items.map((x) => ({ ...x, seen: true }));
  let state = { count: 0 };
  for (const x of items) state = { ...state, count: state.count + x };
  return [totals, merged, best, copies, state];
}
`,
      lines: [],
    },
    {
      name: 'fine: spread outside a loop, a one-off prepend to a variable of the iteration',
      language: 'typescript',
      code: `export function add(list: number[], x: number, rows: number[][]): number[] {
  list = [...list, x];
  for (const row of rows) {
    let input = [...row];
    input = [...list, ...input];
    console.log(input);
  }
  return list;
}
`,
      lines: [],
    },
    {
      name: 'a walk along links is not a loop over the input (issue 13: webpack syntax printer; information)',
      language: 'javascript',
      code: `function collect(start, table) {
  let comments = [];
  for (let inner = start; inner; inner = leftChild(inner)) {
    comments = [...comments, ...table.commentsOf(inner)];
  }
  return comments;
}
`,
      lines: [4],
      severity: 'information',
    },
];
