// Public types of the execution engine: what a caller asks for and what it gets back.
// The engine runs user functions in a separate, isolated and limited process (sandbox.ts,
// isolation/), measures them at growing sizes (engine.ts), fits a complexity class (fit.ts),
// compares two versions (equivalence.ts) and checks the measurements can be trusted (integrity.ts).

import type { IsolationKind, IsolationSetting } from './isolation';
import type { Summary } from './stats';

export type { IsolationKind, IsolationSetting } from './isolation';

export type ExecLanguage = 'python' | 'javascript' | 'typescript';

export type ComplexityClass = 'O(1)' | 'O(log n)' | 'O(n)' | 'O(n log n)' | 'O(n^2)' | 'O(n^3)' | 'O(2^n)';

export const COMPLEXITY_CLASSES: readonly ComplexityClass[] = ['O(1)', 'O(log n)', 'O(n)', 'O(n log n)', 'O(n^2)', 'O(n^3)', 'O(2^n)'];

/** A function to run: its module's source (a file's text or any source string) and its name. */
export interface FunctionTarget {
  language: ExecLanguage;
  /** Source text of the module that defines the function. */
  source: string;
  functionName: string;
  /**
   * Path of the file the source comes from (for relative imports, `__file__`, messages). Optional
   * for a source string: imports then resolve from the working directory.
   */
  file?: string;
  /** A label for reports (defaults to the function name). */
  label?: string;
  /**
   * Who wrote the code: `model` for code a model proposed (the optimize loop), which never runs
   * without isolation unless `allowUnsandboxed` is set. Default `user`.
   */
  origin?: 'user' | 'model';
}

export type Metric = 'time' | 'instructions';

export interface Limits {
  /** Wall-clock limit of one call of the function, in ms; a size whose call exceeds it is right-censored. */
  perCallMs: number;
  /** Memory limit of the whole process group (resident set), in MiB. */
  memoryMb: number;
  /** Bytes the user code may write to stdout+stderr before the run is stopped. */
  outputBytes: number;
  /** Processes the run may have at once (forks, subprocesses); more stops it. */
  maxProcesses: number;
}

export interface BenchmarkOptions {
  /** Total time budget for the size sweep, in ms (default 3000). */
  budgetMs?: number;
  limits?: Partial<Limits>;
  /** Seed of the input generator (default 1): same seed, same inputs. */
  seed?: number;
  /** Smallest and largest size tried (defaults 1 and 2^22). */
  minN?: number;
  maxN?: number;
  /** Explicit sizes instead of the adaptive geometric sweep. */
  sizes?: number[];
  /** Wall time (default) or CPU instructions counted by callgrind (Python only; needs valgrind). */
  metric?: Metric;
  /**
   * Clock for `time`: CPU time of the harness process (default: robust when other processes
   * compete for the cores) or wall time (counts sleeping and waiting on I/O too).
   */
  clock?: 'cpu' | 'wall';
  /** Interpreter executables (defaults: `python3` resolved to its real binary, and this Node). */
  python?: string;
  node?: string;
  /** Name of an explicit input generator in the target's module (overrides the `bench-input` directive). */
  generator?: string;
  /**
   * Grow only the argument at `index` (from 0) with n; every other argument is the one made at
   * size `othersAt` (default: an example's own size, else 8). Measures the growth in one input
   * while the others stay at a fixed size (`hotpath check --verify`).
   */
  grow?: { index: number; othersAt?: number };
  /**
   * Sweep the sizes measured a second time, independently (fresh processes, inputs of another
   * seed), and report the class as unstable when the two fits disagree (default true; a plain
   * benchmark of the time only).
   */
  stabilityCheck?: boolean;
  /** Samples per size (defaults 5 … 50). */
  minSamples?: number;
  maxSamples?: number;
  /** Isolation mechanism: `auto` (default: the best that works here), a named one, or `none`. */
  isolation?: IsolationSetting;
  /** Run model-written code even when no isolation is available (`hotpath.execution.allowUnsandboxed`). */
  allowUnsandboxed?: boolean;
  /** Extra folders the code may read (the editor's workspace folders); the file's project is always readable. */
  readPaths?: string[];
}

export interface RunControl {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Each timed sample as it arrives (the k-th, from 1, of `label` at size n; seconds per call or instructions). */
  onSample?: (s: { label: string; n: number; k: number; value: number }) => void;
}

export interface Progress {
  /** What is running: `benchmark`, `equivalence`, `compare`. */
  phase: string;
  /** Largest size measured so far. */
  n: number;
  /** Label of the function being measured. */
  label?: string;
  elapsedMs: number;
  budgetMs: number;
  /** A short line for a status bar or progress notification. */
  message: string;
}

/** The measured statistics at one size. Times are seconds per call; instructions are counts per call. */
export interface Point extends Summary {
  n: number;
  /** true when the call at this size ran past the per-call limit: the time is only a lower bound. */
  censored: boolean;
  /** Calls per sample (small, fast calls are timed in batches). */
  batch: number;
}

export interface ModelFit {
  complexity: ComplexityClass;
  /** For O(2^n): the fitted base c of c^n (the class covers every exponential). */
  base?: number;
  /** y ≈ intercept + constant · f(n), in the point unit (seconds or instructions). */
  constant: number;
  intercept: number;
  /** A linear lower-order term: y ≈ intercept + linear · n + constant · f(n) (classes above O(n), when it pays). */
  linear?: number;
  /** Root mean squared relative error of the fit on the uncensored points. */
  rmsRelError: number;
  /** Coefficient of determination on log scale. */
  r2: number;
  /** Bayesian information criterion plus the complexity penalty (lower is better). */
  score: number;
  /** Posterior-like weight of this class among all classes (the weights sum to 1). */
  weight: number;
}

export interface FitResult {
  complexity: ComplexityClass;
  constant: number;
  intercept: number;
  /** The chosen model's linear lower-order term (ModelFit.linear), when it has one. */
  linear?: number;
  r2: number;
  rmsRelError: number;
  /** Weight of the chosen class (0–1): how confident the choice is. */
  confidence: number;
  /** Log–log slope over the larger sizes: the measured exponent k in time ∝ n^k. */
  exponent: number;
  exponentCi: [number, number];
  /** For O(2^n): the fitted base c of c^n. */
  base?: number;
  /** Every class, best first. */
  models: ModelFit[];
  /** Why the fit may be unreliable, if it may. */
  notes: string[];
}

export interface BenchmarkResult {
  function: string;
  language: ExecLanguage;
  file?: string;
  metric: Metric;
  unit: 's' | 'instructions';
  complexity: ComplexityClass;
  fit: FitResult;
  points: Point[];
  /** Parameters and how their inputs were made (inferred type or the generator). */
  inputs: InputDescription;
  /**
   * Why the sweep ended: the time budget, the largest size, a size past the per-call limit
   * (right-censored), the end of the given sizes, or an error at a later size (see the notes).
   */
  /** `wallCap`: the wall-time cap (10× the budget, 100× counting instructions) stopped it before its own budget: where it stops then depends on the machine. */
  stoppedBy: 'budget' | 'maxN' | 'perCallLimit' | 'sizes' | 'error' | 'wallCap';
  elapsedMs: number;
  seed: number;
  /** User code output (truncated), useful when something failed. */
  output?: string;
  integrity: IntegrityReport;
  /** The static estimate (the code lens's) and whether and why it differs from the measured class. */
  staticEstimate?: { display: string; agrees: boolean; explanation: string };
  /**
   * The second, independent sweep over the same sizes (fresh processes, inputs of `seed`): the
   * class it fitted, and whether it is the first's (`stable: false`: report the class as unstable).
   * Absent when it was not run (too few sizes, instruction counts, turned off) or failed (see the notes).
   */
  stability?: { complexity: ComplexityClass; stable: boolean; seed: number; points: Point[] };
}

/** How far a measurement can be trusted: the isolation it ran under and what the checks found. */
export interface IntegrityReport {
  isolation: { kind: IsolationKind; description: string };
  /**
   * CPU seconds of the measuring, as the harness's clock saw them and as the kernel accounted
   * them to the process (read from outside; Linux, CPU clock): they must agree.
   */
  clockCheck?: { inProcess: number; kernel: number };
  /** Reasons not to trust the result (a time that does not grow with n although the code reads its input, …). */
  flags: string[];
}

export interface InputDescription {
  /**
   * `generator NAME`, one line per parameter (`xs: list[int]`), or `example`: a generator
   * rebuilt from an existing call of the function (a doctest, a test, a call site).
   */
  kind: 'inferred' | 'generator' | 'example';
  params: { name: string; type: string; source: 'annotation' | 'jsdoc' | 'docstring' | 'usage' | 'name' | 'default'; /** The uses that decided an inferred type (`len(xs)`, `for … in xs`). */ evidence?: string[] }[];
  generator?: string;
  /** Only the argument at `index` grew with n; the others were made at size `at` (BenchmarkOptions.grow). */
  grow?: { index: number; at: number };
  /** Where an `example` input came from: the source, `file:line`, the call, what was scaled to n. */
  example?: ExampleDescription;
}

/** How a `class` example was built (ExampleInput's flags of the same names); set only when true. */
export const EXAMPLE_FLAGS = ['constructed', 'grown', 'streamed', 'returned'] as const;

export type ExampleDescription = { source: 'doctest' | 'test' | 'call site' | 'class'; where: string; call: string; scaled: string[] } & { [F in (typeof EXAMPLE_FLAGS)[number]]?: boolean };

export interface Difference {
  n: number;
  seed: number;
  /** repr of the input (truncated). */
  input: string;
  /**
   * What differs: `return value`, `argument 0 after the call`, `exception`, `global \`name\`
   * after the call`, `result of a second call on the same input`, `generated input`.
   */
  what: string;
  expected: string;
  actual: string;
}

export interface EquivalenceResult {
  equivalent: boolean;
  /** How many inputs both versions were run on. */
  inputs: number;
  difference?: Difference;
}

export interface SpeedupPoint {
  n: number;
  /** Median time of the baseline over median time of the candidate: >1 means the candidate is faster. */
  speedup: number;
  ciLow: number;
  ciHigh: number;
  baseline: Point;
  candidate: Point;
  /** A headline over several sizes (the largest third): which; `n` is the largest of them. */
  sizes?: number[];
}

export interface CompareResult {
  baseline: BenchmarkResult;
  candidate: BenchmarkResult;
  equivalence: EquivalenceResult;
  /** Empty when the candidate was rejected as not equivalent. */
  speedups: SpeedupPoint[];
  /**
   * The headline speedup: the median per-size ratio over the largest third of the sizes both
   * finished, with a bootstrap CI over their samples (`sizes`); where the baseline ran past the
   * limit at a size the candidate finished, the bound at that size.
   */
  summary?: SpeedupPoint;
  /**
   * `rejected`: the candidate behaves differently (`equivalence.difference`) or tampered with the
   * measurement (`rejection`); `flagged`: faster on paper, but the measurement is not to be trusted
   * (`candidate.integrity.flags`).
   */
  verdict: 'faster' | 'slower' | 'same' | 'rejected' | 'flagged';
  /** Why the candidate was rejected when it is not a difference in behaviour (a replaced clock, …). */
  rejection?: string;
}

/** A failure the user must see (bad input, function raising, limits). */
export class ExecutionError extends Error {
  constructor(message: string, readonly kind: 'input' | 'load' | 'raised' | 'limit' | 'cancelled' | 'environment' | 'isolation' | 'integrity' | 'internal', readonly detail?: string) {
    super(message);
    this.name = 'ExecutionError';
  }
}
