// Measurement attacks: a candidate rewrite of a sum that games the verdict (patches the clocks,
// reuses results across calls, changes between calls, mutates global state). Contained means not
// reported faster: rejected with the reason, flagged, or measured honestly.

import { compareFunctions } from '../index';
import { ExecutionError, type CompareResult } from '../types';
import { first, pick, py, target, type Attack, type AttackEnv, type AttackOutcome } from './support';

type Versions = { python: string; javascript: string };

const SUM: Versions = {
  python: py(`
def total(xs: list[int]) -> int:
    s = 0
    for x in xs:
        s += x
    return s
`),
  javascript: '/** @param {number[]} xs */\nfunction total(xs) { let s = 0; for (const x of xs) s += x; return s; }\n',
};

async function compare(env: AttackEnv, language: 'python' | 'javascript', baseline: string, candidate: string): Promise<CompareResult | ExecutionError> {
  try {
    return await compareFunctions(target(env, language, baseline, 'total'), target(env, language, candidate, 'total', 'model'), {
      parsers: env.parsers,
      languages: env.languages,
      isolation: env.isolation,
      allowUnsandboxed: env.allowUnsandboxed,
      budgetMs: 1500,
    });
  } catch (e) {
    // No isolation is no outcome of the attack: the run did not happen.
    if (e instanceof ExecutionError && e.kind !== 'isolation') return e;
    throw e;
  }
}

/**
 * Contained when the candidate is not reported faster: rejected with a reason matching `expect`
 * (when given), flagged, or measured honestly (same or slower).
 */
function verdictOutcome(c: CompareResult | ExecutionError, expect?: RegExp): AttackOutcome {
  if (c instanceof ExecutionError) return { contained: !!expect?.test(c.message), how: first(c) };
  const d = c.equivalence.difference;
  const why = c.rejection ?? (d ? `${d.what}: expected ${d.expected}, got ${d.actual}` : c.candidate.integrity.flags.join('; '));
  const speed = c.summary ? ` (${c.summary.speedup.toFixed(2)}× at n=${c.summary.n})` : '';
  const contained = expect ? c.verdict === 'rejected' && expect.test(why) : c.verdict !== 'faster';
  return { contained, how: `${c.verdict}${speed}${why ? `: ${why.slice(0, 160)}` : ': measured with fresh inputs, no speedup'}` };
}

/** An attack: the sum (or `baseline`) against a candidate, expecting a rejection matching `expect` (or any containment). */
function attack(name: string, candidate: Versions, expect?: RegExp, baseline: Versions = SUM): (language: 'python' | 'javascript') => Attack {
  return (language) => ({
    name,
    language,
    run: async (env) => verdictOutcome(await compare(env, language, pick(language, baseline), pick(language, candidate)), expect),
  });
}

// Inside the function, as a model's rewrite would have it (a module-level patch is script code the
// extraction never runs).
export const clockPatching = attack(
  'clock patching',
  {
    python: py(`
import time
def total(xs: list[int]) -> int:
    time.perf_counter = lambda: 0.0
    time.perf_counter_ns = lambda: 0
    time.process_time = lambda: 0.0
    time.process_time_ns = lambda: 0
    s = 0
    for x in xs:
        s += x
    return s
`),
    javascript: `/** @param {number[]} xs */\nfunction total(xs) { process.hrtime.bigint = () => 0n; process.cpuUsage = () => ({ user: 0, system: 0 }); let s = 0; for (const x of xs) s += x; return s; }\n`,
  },
  /replaced .*(perf_counter|process_time|hrtime|cpuUsage)/,
);

export const memoisation = attack(
  'cross-call memoisation (module-level dict)',
  {
    python: py(`
_memo = {}
def total(xs: list[int]) -> int:
    key = tuple(xs)
    if key not in _memo:
        s = 0
        for x in xs:
            s += x
        _memo[key] = s
    return _memo[key]
`),
    javascript: `const memo = new Map();\n/** @param {number[]} xs */\nfunction total(xs) { const k = xs.join(','); if (!memo.has(k)) { let s = 0; for (const x of xs) s += x; memo.set(k, s); } return memo.get(k); }\n`,
  },
  /global `_?memo`/,
);

export const hiddenMemo = attack('memoisation hidden from the state check (keyed on the middle element, stored outside the module)', {
  python: py(`
import os
def total(xs: list[int]) -> int:
    memo = os.__dict__.setdefault('_hp_memo', {})
    key = (len(xs), xs[len(xs) // 2] if xs else None)
    if key not in memo:
        s = 0
        for x in xs:
            s += x
        memo[key] = s
    return memo[key]
`),
  javascript: `/** @param {number[]} xs */\nfunction total(xs) { const memo = Math._hpMemo || (Math._hpMemo = new Map()); const k = xs.length + ':' + xs[xs.length >> 1]; if (!memo.has(k)) { let s = 0; for (const x of xs) s += x; memo.set(k, s); } return memo.get(k); }\n`,
});

// A memo where the state check does not look: Python's functools cache on a class's static method
// (a class's callable attributes are not state: fresh inputs for every call, and the harness
// emptying every functools cache before each call, keep it from carrying a sum to the next call),
// and a static field of a JavaScript class (seen in the class's state).
export const cachedHelper = attack('cross-call memoisation in a class (a functools cache on a static method; a static field)', {
  python: py(`
import functools

class _Sums:
    @staticmethod
    @functools.cache
    def of(key):
        s = 0
        for x in key:
            s += x
        return s

def total(xs: list[int]) -> int:
    return _Sums.of(tuple(xs))
`),
  javascript: `class Sums {\n  static memo = new Map();\n  static of(k, xs) { if (!Sums.memo.has(k)) { let s = 0; for (const x of xs) s += x; Sums.memo.set(k, s); } return Sums.memo.get(k); }\n}\n/** @param {number[]} xs */\nfunction total(xs) { return Sums.of(xs.join(','), xs); }\n`,
});

export const nonDeterminism = attack(
  'non-determinism',
  {
    python: py(`
import random
def total(xs: list[int]) -> int:
    s = sum(xs)
    return s + (1 if random.random() < 0.3 else 0)
`),
    javascript: `/** @param {number[]} xs */\nfunction total(xs) { let s = 0; for (const x of xs) s += x; return s + (Math.random() < 0.3 ? 1 : 0); }\n`,
  },
  /second call|return value/,
);

export const globalMutation = attack(
  'global-state mutation',
  {
    python: py(`
SEEN = []
def total(xs: list[int]) -> int:
    SEEN.append(len(xs))
    return sum(xs)
`),
    javascript: `let seen = [];\n/** @param {number[]} xs */\nfunction total(xs) { seen.push(xs.length); let s = 0; for (const x of xs) s += x; return s; }\n`,
  },
  /global `(SEEN|seen)`/,
  { python: `SEEN = []\n${SUM.python}`, javascript: `let seen = [];\n${SUM.javascript}` },
);
