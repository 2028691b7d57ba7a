// Equivalence of two versions, decided in the server from what each version's own process
// reported (the baseline and the candidate never share a process, so neither can change how the
// other behaves or is compared). Each harness describes values as canonical encodings:
//
//   ['N'] None/null   ['u'] undefined   ['b', bool]   ['i', digits] int   ['I', digits] bigint
//   ['f', repr] float   ['n', repr] JavaScript number   ['s', str]   ['B', type, hex] bytes   ['l', [...]] list/array   ['t', [...]] tuple
//   ['d', [[k, v]...]] dict/Map (sorted by key)   ['S'|'F', [...]] set/frozenset (sorted)
//   ['o', class, ...state] object   ['e', class, args] exception   ['p', kind, text] opaque
//   ['@', k] the k-th container again (cycles)   ['…'] cut at the size bound
//
// Two encodings are equal when they are the same tree, floats within 1e-9 relative (NaN equal
// to NaN), so both versions must return the same value, leave the same arguments and the same
// global state, raise the same exception type, and agree with themselves on a second call.

import { cancelled, failure, startRunners, tamperText, type InputPlan, type PreparedTarget, type RunContext } from './runner';
import type { HarnessMessage, Outcome, Terminal } from './sandbox';
import { ExecutionError, type Difference, type EquivalenceResult } from './types';

export type Encoding = unknown[];

function floatOf(x: unknown): number {
  return Number(x);
}

export function sameEncoding(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return a === b;
  const [ta, tb] = [a[0], b[0]];
  if ((ta === 'f' && tb === 'f') || (ta === 'n' && tb === 'n')) {
    const x = floatOf(a[1]);
    const y = floatOf(b[1]);
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
    if (x === y) return true;
    return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y)) + 1e-12;
  }
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameEncoding(a[i], b[i])) return false;
  return true;
}

/** An encoding written for people (Python-like literals), at most `limit` characters. */
export function showEncoding(e: unknown, limit = 300): string {
  const out: string[] = [];
  let length = 0;
  const put = (s: string) => {
    out.push(s);
    length += s.length;
  };
  const walk = (x: unknown): void => {
    if (length > limit) return;
    if (!Array.isArray(x)) {
      put(String(x));
      return;
    }
    const items = (xs: unknown[], open: string, close: string) => {
      put(open);
      xs.forEach((y, i) => {
        if (i) put(', ');
        walk(y);
      });
      put(close);
    };
    switch (x[0]) {
      case 'N':
        return put('None');
      case 'u':
        return put('undefined');
      case 'b':
        return put(x[1] ? 'True' : 'False');
      case 'i':
      case 'I':
      case 'f':
      case 'n':
        return put(String(x[1]));
      case 's':
        return put(JSON.stringify(x[1]));
      case 'B':
        return put(`${x[1]}(${String(x[2]).slice(0, 64)})`);
      case 'l':
        return items(x[1] as unknown[], '[', ']');
      case 't':
        return items(x[1] as unknown[], '(', ')');
      case 'S':
      case 'F':
        return items(x[1] as unknown[], x[0] === 'F' ? 'frozenset({' : '{', x[0] === 'F' ? '})' : '}');
      case 'd':
        put('{');
        (x[1] as unknown[][]).forEach(([k, v], i) => {
          if (i) put(', ');
          walk(k);
          put(': ');
          walk(v);
        });
        return put('}');
      case 'o':
        put(`${x[1]}(`);
        x.slice(2).forEach((y, i) => {
          if (i) put(', ');
          walk(y);
        });
        return put(')');
      case 'e':
        put(`${x[1]}`);
        return items(x[2] as unknown[], '(', ')');
      case 'p':
        return put(`<${x[1]} ${x[2]}>`);
      case '@':
        return put('<cycle>');
      case '…':
        return put('…');
      default:
        return put(JSON.stringify(x));
    }
  };
  walk(e);
  const s = out.join('');
  return s.length > limit ? s.slice(0, limit) + '…' : s;
}

/** A call's outcome written for people. */
export function showOutcome(o: Outcome): string {
  return o[0] === 'r' ? `returns ${showEncoding(o[1])}` : `raises ${o[1]}: ${o[2]}`;
}

/** What one version reported for one input (`run` in the harnesses). */
export interface RunReport {
  input: string;
  inputRepr: string;
  result: Outcome;
  args: unknown;
  changed: Record<string, unknown>;
  deterministic: boolean;
  second: Outcome | null;
}

/**
 * The first way the candidate's report differs from the baseline's on one input, or undefined.
 * `nondeterministicBaseline` is reported separately by the caller (nothing can be compared).
 */
export function compareRuns(base: RunReport, cand: RunReport, n: number, seed: number): Difference | undefined {
  const d = (what: string, expected: string, actual: string): Difference => ({ n, seed, input: base.inputRepr, what, expected, actual });
  if (base.input !== cand.input) return d('generated input', `input digest ${base.input}`, `input digest ${cand.input} (the input generator behaved differently in the candidate's process)`);
  if (!cand.deterministic && cand.second) return d('result of a second call on the same input', showOutcome(cand.result), showOutcome(cand.second));
  const [rb, rc] = [base.result, cand.result];
  if (rb[0] !== rc[0] || (rb[0] === 'x' && rb[1] !== rc[1])) return d('exception', showOutcome(rb), showOutcome(rc));
  if (rb[0] === 'r' && !sameEncoding(rb[1], rc[1])) return d('return value', showEncoding(rb[1]), showEncoding(rc[1]));
  const argsB = (Array.isArray(base.args) && base.args[0] === 'l' ? base.args[1] : []) as unknown[];
  const argsC = (Array.isArray(cand.args) && cand.args[0] === 'l' ? cand.args[1] : []) as unknown[];
  for (let i = 0; i < Math.max(argsB.length, argsC.length); i++) {
    if (!sameEncoding(argsB[i], argsC[i])) return d(`argument ${i} after the call`, showEncoding(argsB[i]), showEncoding(argsC[i]));
  }
  for (const name of [...new Set([...Object.keys(base.changed), ...Object.keys(cand.changed)])].sort()) {
    const b = base.changed[name];
    const c = cand.changed[name];
    if (b === undefined || c === undefined || !sameEncoding(b, c)) {
      return d(`global \`${name}\` after the call`, b === undefined ? 'unchanged' : showEncoding(b), c === undefined ? 'unchanged' : showEncoding(c));
    }
  }
  return undefined;
}

/** Sizes and seeds the equivalence check runs on: edge cases, small sizes with several seeds, a few larger ones. */
export function checkInputs(seed: number): { n: number; seed: number }[] {
  const out: { n: number; seed: number }[] = [];
  for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 10, 13, 16, 21, 32]) for (let s = 0; s < (n <= 8 ? 3 : 2); s++) out.push({ n, seed: seed + s });
  for (const n of [64, 100, 256, 1000, 4096]) out.push({ n, seed });
  return out;
}

export interface CheckResult extends EquivalenceResult {
  notes: string[];
  /** The candidate tampered with what the check relies on (a clock). */
  rejection?: string;
}

type Ran = { ev: 'ran' } & RunReport & { tampered: string[] };

/**
 * Run both versions, each in its own process, on the same inputs and compare what each reported:
 * return values, arguments after the call, exception types, the global state a call changed, and
 * a second call on the same input.
 */
/**
 * Sizes past the fixed check, up to the largest size the measurement timed: two drawn at random
 * (log-uniform, seeded) between 4096 and it, and the largest itself. A rewrite wrong only on large
 * inputs (a cut-off, an overflow, a hash collision that needs many keys) fails here.
 */
export function largeInputs(largestTimed: number, seed: number): { n: number; seed: number }[] {
  const lo = 4096;
  if (!(largestTimed > lo)) return [];
  let state = (seed * 2654435761) >>> 0;
  const random = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const between = [0, 1].map(() => Math.round(lo * Math.pow(largestTimed / lo, random()))).filter((n) => n > lo && n < largestTimed);
  return [...new Set([...between.sort((a, b) => a - b), largestTimed])].map((n) => ({ n, seed }));
}

export async function equivalenceIn(prepared: PreparedTarget[], plan: InputPlan, ctx: RunContext, inputs = checkInputs(ctx.opts.seed ?? 1), phase = 'equivalence'): Promise<CheckResult> {
  const { limits, ctl } = ctx;
  const runners = await startRunners(prepared, plan, { ...ctx, metric: 'time' });
  const notes: string[] = [];
  let count = 0;
  let lastOkN = -1;
  try {
    for (const input of inputs) {
      if (ctx.opts.maxN !== undefined && input.n > ctx.opts.maxN) break;
      if (cancelled(ctl)) throw new ExecutionError('cancelled', 'cancelled');
      ctl.onProgress?.({ phase, n: input.n, elapsedMs: 0, budgetMs: 0, message: `checking equivalence: n=${input.n}` });
      const reports: (Ran | HarnessMessage | Terminal)[] = [];
      for (const r of runners) {
        const proc = await r.live();
        proc.send({ op: 'run', n: input.n, seed: input.seed });
        // Two calls, and the state before and after them.
        reports.push(await proc.next(limits.perCallMs * 2 + 5000));
      }
      const [base, cand] = reports;
      if (cancelled(ctl)) throw new ExecutionError('cancelled', 'cancelled');
      for (const [i, m] of reports.entries()) {
        if (m.ev === 'error' && (m.where === 'generate' || m.where === 'load' || m.where === 'harness')) throw failure(m, prepared[i].label, runners[i].proc, limits);
        if (m.ev === 'exit' && m.reason === 'cancelled') throw new ExecutionError('cancelled', 'cancelled');
      }
      if (base.ev === 'ran' && base.tampered.length) throw new ExecutionError(tamperText(prepared[0].label, base.tampered), 'integrity');
      if (cand.ev === 'ran' && cand.tampered.length) return { equivalent: false, inputs: count, notes, rejection: tamperText(prepared[1].label, cand.tampered) };
      if (base.ev === 'timeout' || base.ev === 'exit') {
        // Slow inputs end the check (an exponential baseline cannot run n=4096); what ran counts.
        const why = base.ev === 'timeout' ? 'ran past the per-call limit' : failure(base, prepared[0].label, runners[0].proc, limits).message;
        notes.push(`equivalence checked up to n=${lastOkN}: n=${input.n} ${why}`);
        break;
      }
      if (base.ev !== 'ran') throw failure(base, prepared[0].label, runners[0].proc, limits);
      if (cand.ev === 'timeout') {
        notes.push(`equivalence checked up to n=${lastOkN}: n=${input.n}: ${prepared[1].label} ran past the per-call limit`);
        break;
      }
      const difference = (what: string, expected: string, actual: string): Difference => ({ n: input.n, seed: input.seed, input: base.inputRepr, what, expected, actual });
      if (cand.ev === 'exit') return { equivalent: false, inputs: count + 1, notes, difference: difference('exception', showOutcome(base.result), `the process ended: ${failure(cand, prepared[1].label, runners[1].proc, limits).message}`) };
      if (cand.ev !== 'ran') throw failure(cand, prepared[1].label, runners[1].proc, limits);
      count++;
      if (!base.deterministic && base.second) {
        const what = 'result of a second call on the same input, in the original (it is not deterministic, so no rewrite can be verified against it)';
        return { equivalent: false, inputs: count, notes, difference: difference(what, showOutcome(base.result), showOutcome(base.second)) };
      }
      const diff = compareRuns(base, cand, input.n, input.seed);
      if (diff) return { equivalent: false, inputs: count, difference: diff, notes };
      lastOkN = input.n;
    }
  } finally {
    await Promise.all(runners.map((r) => r.dispose()));
  }
  if (count === 0 && phase === 'equivalence') throw new ExecutionError('no input could be checked within the per-call limit', 'limit');
  return { equivalent: true, inputs: count, notes };
}
