// Verification of one candidate with the execution engine: equivalence on generated inputs (n = 0
// … 4096: return values, argument mutations, exception types), then both versions timed side by
// side at growing sizes with a bootstrap CI on the speedup per size. Acceptance (docs/optimize.md):
//   - the lower 95% CI bound of the speedup at the largest size both finished is > 1.1, and
//   - no size where the original takes ≥ 1 ms per call has an upper CI bound < 0.9 (never
//     meaningfully slower where a call costs something). Below 1 ms an asymptotically better
//     algorithm often loses to the simple one (merge sort against the O(n²) loop at n = 32: 0.57×,
//     50 µs against 90 µs): such a crossover is reported with the result, not a rejection.
// The candidate is model-written code: it runs only in a sandbox (unless the user allowed
// otherwise), and a candidate whose measurement cannot be trusted (a replaced clock, results
// reused across calls, a time that does not grow as its code says) is rejected with that reason.
import { applyReplacements } from '../analysis/fixes';
import { compareFunctions, ExecutionError, type EngineOptions, type FunctionTarget, type RunControl } from '../execution';
import { languageById } from '../languages';
import { formatSeconds } from './prompts';
import { measurementText } from './report';
import { DEFAULT_THRESHOLDS, type Candidate, type Thresholds, type Verification } from './types';

/** Engine options (the language plug-ins are the registry's: the verifier supplies them) and thresholds. */
export interface VerifyOptions extends Omit<EngineOptions, 'languages'> {
  thresholds?: Partial<Thresholds>;
}

/** The candidate as a function target: the original module with the candidate's replacements. */
export function candidateTarget(target: FunctionTarget, candidate: Candidate): FunctionTarget {
  return { ...target, source: applyReplacements(target.source, candidate.replacements), label: `${target.functionName} (candidate)`, origin: 'model' };
}

export async function verifyCandidate(target: FunctionTarget, candidate: Candidate, opts: VerifyOptions = {}, ctl: RunControl = {}): Promise<Verification> {
  const th = { ...DEFAULT_THRESHOLDS, ...opts.thresholds };
  const { thresholds: _t, ...rest } = opts;
  const engineOpts: EngineOptions = { ...rest, languages: languageById };
  let cmp;
  try {
    cmp = await compareFunctions({ ...target, label: `${target.functionName} (original)` }, candidateTarget(target, candidate), engineOpts, ctl);
  } catch (err) {
    // Cancelled, or no sandbox for model-written code: nothing else can be verified either.
    if (err instanceof ExecutionError && (err.kind === 'cancelled' || err.kind === 'isolation')) throw err;
    if (ctl.signal?.aborted) throw err;
    const msg = (err as Error)?.message ?? String(err);
    return { accepted: false, kind: 'error', reason: `could not run: ${msg.split('\n')[0]}` };
  }
  const classes = { baselineClass: cmp.baseline?.complexity, candidateClass: cmp.candidate?.complexity, compare: cmp };
  if (cmp.rejection) return { accepted: false, kind: 'untrusted-measurement', reason: cmp.rejection, compare: cmp };
  if (cmp.verdict === 'flagged') return { accepted: false, kind: 'untrusted-measurement', reason: `not verified: ${cmp.candidate.integrity.flags.join('; ')}`, summary: cmp.summary, ...classes };
  if (cmp.verdict === 'rejected' || !cmp.equivalence.equivalent) {
    const d = cmp.equivalence.difference;
    return {
      accepted: false,
      kind: 'not-equivalent',
      reason: d ? `behaves differently (${d.what}) at n=${d.n}, seed ${d.seed}` : 'behaves differently',
      counterexample: d,
      compare: cmp,
    };
  }
  const s = cmp.summary;
  if (!s) return { accepted: false, kind: 'not-faster', reason: 'no size was measured for both versions', ...classes };
  const slower = cmp.speedups.filter((p) => p.ciHigh < th.maxSlowdownHigh && p.baseline.median >= th.minBaselineSeconds);
  if (slower.length) {
    const w = slower.reduce((a, b) => (b.speedup < a.speedup ? b : a));
    return { accepted: false, kind: 'slower', reason: `slower at n=${w.n}: ${w.speedup.toFixed(2)}× (95% CI ${w.ciLow.toFixed(2)}–${w.ciHigh.toFixed(2)}, must not be below ${th.maxSlowdownHigh})`, summary: s, ...classes };
  }
  if (!(s.ciLow > th.minSpeedupLow)) {
    return { accepted: false, kind: 'not-faster', reason: `not faster beyond the noise: ${s.speedup.toFixed(2)}× at n=${s.n} (95% CI ${s.ciLow.toFixed(2)}–${s.ciHigh.toFixed(2)}; the lower bound must exceed ${th.minSpeedupLow})`, summary: s, ...classes };
  }
  const v: Verification = { accepted: true, reason: '', summary: s, ...classes };
  v.reason = measurementText(v);
  const small = cmp.speedups.filter((p) => p.ciHigh < th.maxSlowdownHigh);
  if (small.length) {
    const top = small.reduce((a, b) => (b.n > a.n ? b : a));
    v.crossover = `slower at small sizes (up to n=${top.n}: ${top.speedup.toFixed(2)}×, where the original takes ${formatSeconds(top.baseline.median)} per call)`;
    v.reason += `; ${v.crossover}`;
  }
  return v;
}
