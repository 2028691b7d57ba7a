// Checks that a measurement can be trusted, beyond what the isolation contains:
//
// - the clock: the CPU time the harness measured for itself must agree with what the kernel
//   accounted to its process (read from outside through /proc): code that patches or fools the
//   in-process clock makes them disagree;
// - the growth: a function whose time per call does not depend on n, although its code reads its
//   input (static estimate at least linear) or although the version it replaces grows, is most
//   likely reusing results across calls: flagged, not celebrated.

import { estimateRoots } from '../complexity';
import type { Cost } from '../complexity/cost';
import { snapshot } from '../parsing';
import type { EngineEnv } from './language';
import type { BenchmarkResult, FunctionTarget } from './types';

/** How the static estimate says a function's time grows: the degree of its largest term. */
export interface StaticGrowth {
  /** Polynomial degree of the dominant term (log factors count 0.1; Infinity for exponentials). */
  degree: number;
  /** The estimate is only a lower bound (calls it could not see into). */
  lowerBound: boolean;
  /** "O(n)" as the code lens shows it. */
  display: string;
}

export function degreeOf(cost: Cost): number {
  let best = 0;
  for (const t of cost.terms) {
    if (t.e.size > 0) return Infinity;
    let d = 0;
    for (const f of t.f.values()) d += f.p + 0.1 * f.l;
    best = Math.max(best, d);
  }
  return best;
}

/** The static estimate of the target's function, or undefined when it cannot be made. */
export function staticGrowth(env: EngineEnv, target: FunctionTarget): StaticGrowth | undefined {
  try {
    const spec = env.languages(target.language);
    const parser = env.parsers.create(spec.execution.grammar(target.file));
    const tree = parser.parse(target.source);
    try {
      const root = snapshot(tree.rootNode.walk(), target.source);
      const estimate = estimateRoots(spec.complexity, [root]).find((e) => e.name === target.functionName);
      return estimate && { degree: degreeOf(estimate.cost), lowerBound: estimate.cost.lower, display: estimate.display };
    } finally {
      tree.dispose();
    }
  } catch {
    return undefined;
  }
}

/** The measured time per call grows far slower than n, over a range wide enough to tell. */
export function isFlat(r: BenchmarkResult): boolean {
  const ps = r.points.filter((p) => !p.censored);
  if (ps.length < 4 || Math.max(...ps.map((p) => p.n)) < 64) return false;
  // The measured exponent, not the class: a few misses of a memo, and the cache misses of touching
  // a fresh input on every call, make a mostly flat curve fit O(n). Far below linear is enough.
  return r.fit.exponent < 0.5 && r.fit.exponentCi[1] < 0.65;
}

/**
 * Why a result's growth is suspicious, if it is: flat although the static estimate is at least
 * linear, or (for a candidate) flat although the baseline grows and the code does not explain it.
 */
export function growthFlag(r: BenchmarkResult, growth: StaticGrowth | undefined, baseline?: BenchmarkResult): string | undefined {
  if (r.metric !== 'time' || !isFlat(r)) return undefined;
  const measured = `time per call does not grow with n (measured exponent ${r.fit.exponent.toFixed(2)}, fitted ${r.complexity})`;
  if (growth && growth.degree >= 1) return `${measured} although its code is ${growth.display}: are results reused across calls, or is the input ignored?`;
  const explained = growth !== undefined && growth.degree < 1 && !growth.lowerBound;
  if (baseline && baseline.metric === 'time' && baseline.fit.exponent > 0.7 && !explained) {
    return `${measured} while the original grows as n^${baseline.fit.exponent.toFixed(2)}, and its code does not explain a constant time: are results reused across calls?`;
  }
  return undefined;
}

/** Why the harness's CPU clock and the kernel's accounting disagree, if they do. */
export function clockDisagreement(inProcess: number, kernel: number): string | undefined {
  const tolerance = 0.05 + 0.25 * Math.max(inProcess, kernel);
  if (Math.abs(inProcess - kernel) <= tolerance) return undefined;
  return `the harness's CPU clock measured ${inProcess.toFixed(3)} s where the kernel accounted ${kernel.toFixed(3)} s to the process: the code changed or fooled the clock, so its timings cannot be trusted`;
}

const MEASURED_DEGREE: Record<string, number> = { 'O(1)': 0, 'O(log n)': 0.1, 'O(n)': 1, 'O(n log n)': 1.1, 'O(n^2)': 2, 'O(n^3)': 3, 'O(2^n)': Infinity };

/**
 * The static estimate (the code lens's) beside the measured class, and why they differ when they
 * do: a larger term not yet visible at the measured sizes, the estimate a lower bound (calls it
 * could not see into), or the estimate missing a cost.
 */
export function reconcile(r: BenchmarkResult, s: StaticGrowth | undefined): BenchmarkResult['staticEstimate'] {
  if (!s || !r.points.some((p) => !p.censored)) return undefined;
  const measured = MEASURED_DEGREE[r.complexity] ?? NaN;
  const top = Math.max(...r.points.filter((p) => !p.censored).map((p) => p.n));
  const rising = r.fit.notes.some((x) => /grow faster than/.test(x));
  if (Math.abs(measured - s.degree) < 0.15 || (measured === s.degree)) return { display: s.display, agrees: true, explanation: `the static estimate ${s.display} and the measurement agree` };
  if (measured < s.degree) {
    const explanation = s.lowerBound
      ? `the static estimate ${s.display} is a lower bound, yet more than was measured: it is probably wrong about a call it could not see into`
      : `the larger term of the static estimate ${s.display} does not show up to n=${top}${rising ? ' although the largest sizes already grow faster than the fit' : ''}: its constant is small next to the cheaper terms at these sizes, or the generated inputs do not reach its worst case (an early exit, a check that rarely fails on random data); larger sizes or a generator for the bad case would tell`;
    return { display: s.display, agrees: false, explanation };
  }
  const explanation = s.lowerBound
    ? `the static estimate ${s.display} is only a lower bound (calls it could not see into): the measurement shows what those calls cost`
    : `the static estimate ${s.display} misses a cost the measurement shows: an operation it rates cheaper than it is (list.pop(0), \`in\` on a list, copying, string building), or inputs larger than the estimate assumes (nested collections grow with n)`;
  return { display: s.display, agrees: false, explanation };
}
