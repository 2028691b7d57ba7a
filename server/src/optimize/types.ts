// Types of the optimize pipeline (issue 7): diagnose a function, generate candidate rewrites
// (model or rule fixes), verify each by execution (equivalence, then speed with CIs), refine with
// the measurements, offer only what was verified. See docs/optimize.md.
import type { Replacement } from '../analysis/rule';
import type { CompareResult, Difference, ExecLanguage, SpeedupPoint } from '../execution';

/** What the prompt says about the function before any rewrite is asked for. */
export interface Diagnosis {
  language: ExecLanguage;
  functionName: string;
  /** The function's text as in the file (decorators included). */
  functionText: string;
  startIndex: number;
  endIndex: number;
  /** Top-level functions of the same file that the function calls (transitively), with their text. */
  callees: { name: string; text: string }[];
  /** Static findings inside the function, with the rule's explanation. */
  findings: { code: string; line: number; message: string; explanation: string; fix?: string }[];
  /** The static complexity estimate ("O(n·m)"), when the estimator has one. */
  staticComplexity?: string;
  /** The measured curve, when a measurement exists: class, exponent and a few points. */
  measured?: { complexity: string; exponent: number; points: { n: number; seconds: number }[] };
  /** Parameter names (the signature a candidate must keep). */
  parameters: string[];
}

/** A rewrite to verify: replacements of the original source text. */
export interface Candidate {
  /** `model round 1 #2`, `rule HP101`, `injected round 1 #1`. */
  origin: string;
  replacements: Replacement[];
  /** The new function text (for prompts and diffs). */
  functionText: string;
}

/** Verification thresholds (docs/optimize.md, "Acceptance"). */
export interface Thresholds {
  /** The lower 95% CI bound of the speedup at the largest size both finished must exceed this. */
  minSpeedupLow: number;
  /** No size (where the baseline takes at least `minBaselineSeconds` per call) may have an upper CI bound below this. */
  maxSlowdownHigh: number;
  /** Sizes faster than this per baseline call are too small for a slowdown to matter (call overhead). */
  minBaselineSeconds: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { minSpeedupLow: 1.1, maxSlowdownHigh: 0.9, minBaselineSeconds: 1e-3 };

export type RejectionKind = 'parse' | 'signature' | 'unchanged' | 'duplicate' | 'not-equivalent' | 'untrusted-measurement' | 'error' | 'not-faster' | 'slower';

export interface Verification {
  accepted: boolean;
  /** Why it was rejected, or the accepted measurement, in one line. */
  reason: string;
  kind?: RejectionKind;
  counterexample?: Difference;
  /** Speedup at the largest size both versions finished. */
  summary?: SpeedupPoint;
  baselineClass?: string;
  candidateClass?: string;
  compare?: CompareResult;
  /** Slower sizes below the threshold (a crossover at small n), reported but not a rejection. */
  crossover?: string;
}

export interface Outcome {
  round: number;
  candidate: Candidate;
  verification: Verification;
  /** Model generation time for this candidate, when it came from a model. */
  generationMs?: number;
}

export interface OptimizeResult {
  functionName: string;
  language: ExecLanguage;
  /** Content hash of the function and its callees: the cache key. */
  hash: string;
  rounds: number;
  outcomes: Outcome[];
  /** The verified candidate with the largest speedup, if any. */
  best?: Outcome;
  /** The rendered prompts, one per round (for the output channel and tests). */
  prompts: string[];
  timings: { generationMs: number; verificationMs: number; totalMs: number };
  fromCache?: boolean;
  notes: string[];
}
