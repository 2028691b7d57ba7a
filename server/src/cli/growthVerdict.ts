// `hotpath check --verify`'s reading of one benchmark (verify.ts measures, applyVerification words
// it): whether a function's measured time grows superlinearly at the top of its sweep. The decision
// weighs the top pair of sizes (the largest against half of it), the wide pair (against a quarter)
// and the fitted class, so that one slowed median does not decide alone (review 11 S1).
import type { BenchmarkResult, ComplexityClass } from '../execution';
import { formatQuantity, prettyClass } from '../notation';

/** How a finding's claim fared against a measurement of its function. */
export type Verification =
  | ({ status: 'confirmed' | 'refuted'; fn: string; complexity: ComplexityClass; slope: number; from: number; maxN: number; inputs: string; /** Median seconds (or instructions, with `metric`) of one call at maxN. */ seconds?: number; metric?: 'instructions' } & Separation)
  | { status: 'unmeasured'; why: string; /** The time did not grow (rather than: the run failed). */ flat?: boolean }
  /** Superlinear and attributable, but the function's own name or documentation states that cost (`said`): a reference variant. */
  | ({ status: 'documented'; fn: string; complexity: ComplexityClass; slope: number; from: number; maxN: number; inputs: string; said: string; metric?: 'instructions' } & Separation)
  /**
   * Superlinear, but the function's static estimate has superlinear work elsewhere (`other`, e.g.
   * "loop × loop at line 8"): with a superlinear term through the finding too (`own`) the growth
   * cannot be split between them; without one, the other work explains it.
   */
  | ({ status: 'unattributed'; fn: string; complexity: ComplexityClass; slope: number; from: number; maxN: number; inputs: string; other: string; own: boolean; metric?: 'instructions' });

/**
 * A superlinear time measured with every input growing, split by growing one parameter at a time
 * (the others at a fixed size): `alone` names the one whose growth alone is superlinear (the
 * warning stands); `each` is every parameter's growth alone when none was (a product of
 * independent sizes, O(n·m): information); `unseparated` says why the split could not be made
 * (the warning stands).
 */
export interface Separation {
  alone?: string;
  at?: number;
  each?: string[];
  unseparated?: string;
}

/** Classes that grow faster than the loop a size-dependent finding sits in. */
const SUPERLINEAR = new Set<ComplexityClass>(['O(n^2)', 'O(n^3)', 'O(2^n)']);

/** Classes whose time grows with n at least linearly. */
const GROWING = new Set<ComplexityClass>(['O(n)', 'O(n log n)', 'O(n^2)', 'O(n^3)', 'O(2^n)']);

/**
 * The log–log slope of the time at the top of the sweep: from the largest size measured to the
 * largest at most `span` times smaller (2 by default). A quadratic step shows there first (the fit
 * weighs every size, and a cost that starts late, like V8 copying arrays past ~16k elements on
 * shift(), hides in it).
 */
export function topSlope(points: readonly { n: number; median: number }[], span = 2): { slope: number; from: number; to: number } | null {
  const top = points[points.length - 1];
  if (!top) return null;
  const below = [...points].reverse().find((p) => p.n * span <= top.n);
  if (!below || below.median <= 0 || top.median <= 0) return null;
  return { slope: Math.log(top.median / below.median) / Math.log(top.n / below.n), from: below.n, to: top.n };
}

/**
 * The verification of a finding from its function's benchmark: confirmed when the time grows
 * faster than linearly at the largest sizes (slope ≥ 1.5 there, and a fitted exponent of at least
 * 1.3 over the larger sizes or a superlinear class), refuted when it grows no faster than linearly,
 * no verdict when it does not grow at all (O(1), O(log n), or flat at the top whatever the fit says:
 * round 7 refuted three findings on a time that stopped growing at the largest sizes). One slowed
 * median at half the top size decided alone in two CI runs, so the top against a quarter of it is asked
 * too: a top pair ≥ n^1.0 under a wide pair ≥ n^1.5 is superlinear when the fit agrees (below n^1.0: no
 * verdict), a flat top under a wide pair ≥ n^0.75 grows, a steep top under a linear fit and a calmer wide pair is linear.
 */
export function verificationOf(fn: string, r: BenchmarkResult): Verification {
  const points = r.points.filter((p) => !p.censored);
  const top = points.length >= 3 && r.fit.models.length ? topSlope(points) : null;
  if (!top) {
    // Say which limit ended the sweep (per-call time, memory, an error at a later size) rather than only the count.
    const last = r.points[r.points.length - 1];
    const stop = r.fit.notes.find((x) => /per-call limit|^stopped at n=/.test(x)) ?? (r.stoppedBy === 'budget' && last ? `the sweep budget of one function (--verify-function-ms) ran out at n=${last.n}, ${formatSeconds(last.median)} a call` : undefined);
    const sizes = `${points.length} size${points.length === 1 ? '' : 's'}`;
    return { status: 'unmeasured', why: stop ? `the benchmark of \`${fn}\` measured ${sizes}, too few to fit a class: ${stop}` : `the benchmark of \`${fn}\` measured too few sizes to fit a class (${points.length})` };
  }
  const wide = topSlope(points, 4);
  const fitSuperlinear = r.fit.exponent >= 1.3 || SUPERLINEAR.has(r.complexity);
  const flatTop = top.slope < 0.5 && !(wide && wide.slope >= 0.75);
  // A time that does not grow means the inputs did not reach the code, as often as it means the code is cheap: no verdict.
  if (!GROWING.has(r.complexity) || flatTop) return { status: 'unmeasured', flat: true, why: `the ${quantityOf(r)} of \`${fn}\` did not grow with n up to ${top.to} (fitted ${prettyClass(r.complexity)}; ${inputsOf(r)}): the generated inputs may not reach this code` };
  const steepWide = wide !== null && wide.slope >= 1.5 && top.slope >= 1 && fitSuperlinear;
  const steepTop = top.slope >= 1.5 && fitSuperlinear;
  const superlinear = steepTop || steepWide;
  if (!superlinear && fitSuperlinear && wide && wide.slope >= 1.5) return { status: 'unmeasured', why: `the ${quantityOf(r)} of \`${fn}\` grew as n^${top.slope.toFixed(1)} from n=${top.from} to ${top.to} but as n^${wide.slope.toFixed(1)} from n=${wide.from} (fitted ${prettyClass(r.complexity)}; ${inputsOf(r)}): one slowed size, no verdict` };
  const pair = superlinear ? (steepTop ? top : wide!) : top.slope < 0.5 || (top.slope >= 1.5 && wide && wide.slope < 1.5) ? wide! : top;
  const seconds = points.find((p) => p.n === pair.to)?.median;
  return { status: superlinear ? 'confirmed' : 'refuted', fn, complexity: r.complexity, slope: pair.slope, from: pair.from, maxN: pair.to, inputs: inputsOf(r), ...(seconds === undefined ? {} : { seconds }), ...(r.metric === 'instructions' ? { metric: 'instructions' as const } : {}) };
}

/** The note of a sweep that a wall-clock limit stopped (the wall cap, or a call's wall wait), not its own budget. */
export function wallLimitOf(r: BenchmarkResult): string | undefined {
  const note = r.fit.notes.find((x) => /where a sweep stops then depends on the machine/.test(x));
  return note ?? (r.stoppedBy === 'wallCap' ? 'the sweep\'s wall-time cap stopped it' : undefined);
}

/** What a verification measured: time, or instructions counted by callgrind (`check --verify-instructions`). */
export function quantityOf(v: { metric?: string }): string {
  return v.metric === 'instructions' ? 'instruction count' : 'time';
}

/** One call's measured cost at the top size: "2.1 ms", or "1.52 M instructions". */
export function formatCost(value: number, v: { metric?: string }): string {
  return v.metric === 'instructions' ? `${formatQuantity(value, 'instructions')} instructions` : formatSeconds(value);
}

export function formatSeconds(s: number): string {
  return s >= 1 ? `${s.toFixed(1)} s` : s >= 1e-3 ? `${(s * 1e3).toFixed(1)} ms` : `${(s * 1e6).toFixed(0)} µs`;
}

export function inputsOf(r: BenchmarkResult): string {
  const i = r.inputs;
  if (i.kind === 'example' && i.example) return `inputs from ${i.example.source === 'doctest' ? 'a doctest' : i.example.source === 'test' ? "the project's tests" : i.example.source === 'call site' ? 'a call in the project' : "an object of the project's class"}, scaled`;
  if (i.kind === 'generator') return `inputs from ${i.generator}(n, rng)`;
  return `generated inputs (${i.params.map((p) => `${p.name}: ${p.type}`).join(', ').slice(0, 80)})`;
}
