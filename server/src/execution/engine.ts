// The benchmark engine: prepare targets (extract, bundle), run the size sweep in a harness
// process, fit, and compare two versions after checking that they behave the same.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParserFactory } from '../parsing';
import { executionOf, extractFunction, resolveInputs, type ExtractedFunction } from './extract';
import { fitComplexity } from './fit';
import type { ExecutionLanguage } from './language';
import { HarnessProcess, type HarnessMessage, type Terminal } from './sandbox';
import { ratioCi, summarize } from './stats';
import type { TypeSpec } from './typespec';
import {
  ExecutionError,
  type BenchmarkOptions,
  type BenchmarkResult,
  type CompareResult,
  type Difference,
  type EquivalenceResult,
  type FunctionTarget,
  type InputDescription,
  type Limits,
  type Point,
  type RunControl,
  type SpeedupPoint,
} from './types';

export const DEFAULT_LIMITS: Limits = { perCallMs: 2000, memoryMb: 1024, outputBytes: 8 * 1024 * 1024 };
/** Elements of inputs copied per sample when the function mutates its arguments. */
const MAX_COPY_ELEMS = 2_000_000;

interface PreparedTarget {
  target: FunctionTarget;
  lang: ExecutionLanguage;
  extracted: ExtractedFunction;
  /** Code the harness loads (Python: the reduced module; JS/TS: a CommonJS bundle). */
  code: string;
  label: string;
}

interface InputPlan {
  spec: { kind: 'types'; types: TypeSpec[] } | { kind: 'generator'; target: number; name: string };
  description: InputDescription;
}

export function hasValgrind(): boolean {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

export function prepareTarget(parsers: ParserFactory, t: FunctionTarget, generator?: string): PreparedTarget {
  const lang = executionOf(t.language);
  const extracted = extractFunction(parsers, t.language, t.source, t.functionName, generator ? [generator] : [], t.file);
  const code = lang.loadableCode(extracted.code, { functionName: t.functionName, generator: generator ?? extracted.directive, file: t.file, language: t.language, top: extracted.top });
  return { target: t, lang, extracted, code, label: t.label ?? t.functionName };
}

function planInputs(p: PreparedTarget, index: number, generator?: string): InputPlan {
  const gen = generator ?? p.extracted.directive;
  if (gen) {
    return { spec: { kind: 'generator', target: index, name: gen }, description: { kind: 'generator', params: [], generator: gen } };
  }
  if (p.extracted.params.filter((x) => !x.optional).length === 0) {
    throw new ExecutionError(`${p.extracted.name} takes no parameters: there is no size to grow (write a generator, see docs/execution.md)`, 'input');
  }
  const { types, description } = resolveInputs(p.extracted, p.target.language);
  return { spec: { kind: 'types', types }, description };
}

interface Session {
  proc: HarnessProcess;
  metric: 'time' | 'instructions';
}

/** Start a harness process that has loaded every prepared target. */
async function startSession(prepared: PreparedTarget[], plan: InputPlan, opts: BenchmarkOptions, limits: Limits, ctl: RunControl): Promise<Session> {
  const lang = prepared[0].lang;
  if (prepared.some((p) => p.lang.harness !== lang.harness)) throw new ExecutionError('both versions must be in the same language family (Python, or JavaScript/TypeScript)', 'input');
  const metric = opts.metric ?? 'time';
  const specJson = JSON.stringify({
    seed: opts.seed ?? 1,
    memoryMb: metric === 'time' ? limits.memoryMb : undefined,
    targets: prepared.map((p) => ({ code: p.code, file: p.target.file, name: p.target.functionName, isAsync: p.extracted.isAsync, isGenerator: p.extracted.isGenerator })),
    input: plan.spec,
  });
  const harness = lang.harness;
  const started = harness.command({ metric, limits, python: opts.python, node: opts.node }, harness.file, 'spec.json');
  // Reproducible hashing; native math libraries single-threaded (measurements of one core, and a
  // CPU-time clock that does not add up idle spinning threads).
  const env: Record<string, string> = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1', NUMEXPR_NUM_THREADS: '1', ...started.env };
  const proc = new HarnessProcess({
    command: started.command,
    args: started.args,
    env,
    limits: metric === 'instructions' ? { ...limits, memoryMb: limits.memoryMb * 4 } : limits,
    signal: ctl.signal,
    prepare(dir) {
      writeFileSync(join(dir, harness.file), harness.source);
      writeFileSync(join(dir, 'spec.json'), specJson);
    },
  });
  // Wait until the targets are loaded: load errors surface here, and startup is not measured.
  const ready = await proc.next(metric === 'instructions' ? 120000 : 30000);
  if (ready.ev !== 'ready') {
    const err = ready.ev === 'timeout' ? new ExecutionError('the harness did not start within the time limit (module imports too slow?)', 'limit') : failure(ready, prepared, proc, limits);
    await proc.dispose();
    throw err;
  }
  return { proc, metric };
}

function cancelled(ctl: RunControl): boolean {
  return !!ctl.signal?.aborted;
}

function failure(m: HarnessMessage | Terminal, prepared: PreparedTarget[], proc: HarnessProcess, limits: Limits): ExecutionError {
  if (m.ev === 'error') {
    const who = prepared[m.target]?.label ?? 'the function';
    if (m.where === 'load') return new ExecutionError(`cannot load ${who}: ${m.type}: ${m.message}`, 'load', m.traceback);
    if (m.where === 'generate') return new ExecutionError(`the input generator failed at n=${m.n}: ${m.type}: ${m.message}`, 'input', m.traceback);
    if (m.type === 'MemoryError') return new ExecutionError(`${who} ran out of memory at n=${m.n} (limit ${limits.memoryMb} MiB)`, 'limit', m.traceback);
    return new ExecutionError(`${who} raised ${m.type} at n=${m.n}: ${m.message}${m.input ? `\ninput: ${m.input}` : ''}`, 'raised', m.traceback);
  }
  if (m.ev === 'exit') {
    if (m.reason === 'cancelled') return new ExecutionError('cancelled', 'cancelled');
    if (m.reason === 'memory') return new ExecutionError(`the run used more than ${limits.memoryMb} MiB of memory and was stopped`, 'limit');
    if (/spawn .* ENOENT/.test(m.stderr)) return new ExecutionError(`cannot start the interpreter: ${m.stderr.trim().split('\n').pop()} (set hotpath.execution.python / --python, or hotpath.execution.node / --node)`, 'environment');
    if (/heap limit|JavaScript heap out of memory|MemoryError/.test(m.stderr)) return new ExecutionError(`the function ran out of memory (limit ${limits.memoryMb} MiB)`, 'limit', m.stderr.slice(-2000));
    if (m.reason === 'output') return new ExecutionError(`the function wrote more than ${limits.outputBytes} bytes of output and was stopped`, 'limit', proc.output.slice(-2000));
    return new ExecutionError(`the process ended while running the code (${m.signal ? `signal ${m.signal}` : `exit code ${m.code}`}): did the function exit the process or crash the interpreter?`, 'internal', (m.stderr || proc.output).slice(-2000));
  }
  if (m.ev === 'timeout') return new ExecutionError('timed out', 'limit');
  return new ExecutionError(`unexpected message from the harness: ${JSON.stringify(m)}`, 'internal');
}

/** Raw samples of each point (kept out of the JSON), for the speedup bootstrap. */
const rawSamples = new WeakMap<Point, number[]>();
function samplesOf(p: Point): number[] {
  return rawSamples.get(p) ?? [p.median];
}

function pointFrom(n: number, samples: number[], batch: number): Point {
  const s = summarize(samples);
  const point: Point = { n, censored: false, ...s, batch };
  rawSamples.set(point, samples);
  return point;
}

function censoredPoint(n: number, lowerBound: number): Point {
  return { n, censored: true, median: lowerBound, mad: 0, mean: lowerBound, stddev: 0, min: lowerBound, max: lowerBound, ciLow: lowerBound, ciHigh: Infinity, rme: 0, samples: 0, outliers: 0, batch: 1 };
}

function readDump(dir: string, index: number): number {
  const file = join(dir, `cg.out.${index}`);
  if (!existsSync(file)) throw new ExecutionError(`callgrind wrote no dump ${index}`, 'internal');
  const m = /^summary:\s*(\d+)/m.exec(readFileSync(file, 'utf8')) ?? /^totals:\s*(\d+)/m.exec(readFileSync(file, 'utf8'));
  if (!m) throw new ExecutionError(`unreadable callgrind dump ${index}`, 'internal');
  return Number(m[1]);
}

type Outcome = { kind: 'point'; point: Point; wallMs: number; genMs: number } | { kind: 'censored'; point: Point } | { kind: 'stop'; reason: string };

/** Measure one target at one size in the session; restarts are the caller's business. */
async function measureOnce(session: Session, index: number, n: number, limits: Limits, opts: BenchmarkOptions, pointTime: number, prepared: PreparedTarget[], firstSize: boolean): Promise<Outcome> {
  const { proc } = session;
  const started = Date.now();
  const slow = session.metric === 'instructions' ? 50 : 1;
  const errorOutcome = (m: HarnessMessage | Terminal): Outcome => {
    const err = failure(m, prepared, proc, limits);
    // On the first size a failure is the user's problem; later it ends the sweep with a note.
    if (firstSize || err.kind === 'cancelled' || err.kind === 'load') throw err;
    return { kind: 'stop', reason: `stopped at n=${n}: ${err.message.split('\n')[0]}` };
  };
  if (session.metric === 'instructions') {
    proc.send({ op: 'instr', target: index, n });
    const m = await proc.next(limits.perCallMs * slow * 3 + 10000);
    if (m.ev === 'timeout') return { kind: 'censored', point: censoredPoint(n, NaN) };
    if (m.ev !== 'done') return errorOutcome(m);
    const value = Math.max(1, readDump(proc.dir, m.callDump!) - readDump(proc.dir, m.noopDump!));
    return { kind: 'point', point: pointFrom(n, [value], 1), wallMs: Date.now() - started, genMs: 0 };
  }
  // A JIT needs a longer warm-up at the first size (the function is optimised once, then stays
  // optimised across sizes); an interpreter needs only one warm-up batch.
  const { warmupSeconds, batchSeconds } = prepared[index].lang.harness;
  const warmupTime = firstSize ? warmupSeconds.first : warmupSeconds.later;
  proc.send({ op: 'measure', target: index, n, warmupTime, clock: opts.clock ?? 'cpu', batchTime: batchSeconds, warmup: 1, minSamples: opts.minSamples ?? 5, maxSamples: opts.maxSamples ?? 50, pointTime, maxCopyElems: MAX_COPY_ELEMS });
  const gen = await proc.next(Math.max(10000, limits.perCallMs * 5));
  if (gen.ev === 'timeout') return { kind: 'stop', reason: `stopped at n=${n}: generating the input took more than ${Math.max(10, (limits.perCallMs * 5) / 1000)} s` };
  if (gen.ev !== 'generated') return errorOutcome(gen);
  const generatedAt = Date.now();
  const probe = await proc.next(limits.perCallMs);
  if (probe.ev === 'timeout') return { kind: 'censored', point: censoredPoint(n, limits.perCallMs / 1000) };
  if (probe.ev !== 'probe') return errorOutcome(probe);
  for (;;) {
    const m = await proc.next(limits.perCallMs * 2 + 2000);
    if (m.ev === 'sample') continue;
    if (m.ev === 'timeout') return { kind: 'censored', point: censoredPoint(n, limits.perCallMs / 1000) };
    if (m.ev === 'done') return { kind: 'point', point: pointFrom(n, m.samples!, m.batch!), wallMs: Date.now() - generatedAt, genMs: generatedAt - started };
    return errorOutcome(m);
  }
}

interface SweepResult {
  points: Point[][];
  stoppedBy: BenchmarkResult['stoppedBy'];
  notes: string[][];
  output: string;
  elapsedMs: number;
}

/** Grow n until the budget is spent, measuring every still-active target at each size. */
async function sweep(prepared: PreparedTarget[], plan: InputPlan, opts: BenchmarkOptions, ctl: RunControl, phase: string): Promise<SweepResult> {
  const limits: Limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const metric = opts.metric ?? 'time';
  const budgetMs = opts.budgetMs ?? (metric === 'instructions' ? 30000 : 3000);
  const minN = Math.max(0, opts.minN ?? 1);
  // Scalar-only inputs cost nothing to make: let them grow further (O(log n) needs the range).
  const scalar = plan.spec.kind === 'types' && plan.spec.types.every((t) => t.k === 'int' || t.k === 'float' || t.k === 'bool');
  const maxN = opts.maxN ?? (scalar ? 2 ** 40 : 2 ** 20);
  const pointTime = Math.min(0.3, Math.max(0.02, budgetMs / 1000 / 40));
  const points: Point[][] = prepared.map(() => []);
  const notes: string[][] = prepared.map(() => []);
  const active = prepared.map(() => true);
  let stoppedBy: BenchmarkResult['stoppedBy'] = opts.sizes ? 'sizes' : 'budget';
  let session = await startSession(prepared, plan, opts, limits, ctl);
  // The budget is for measuring: interpreter start-up and module loading are not counted.
  const start = Date.now();
  let output = '';
  const sizes = opts.sizes ? [...opts.sizes].sort((a, b) => a - b) : undefined;
  let n = sizes ? sizes[0] : minN;
  let step = 0;
  // Cost of the last size, per target: the measuring and the input generation.
  const lastCost = prepared.map(() => ({ wallMs: 0, genMs: 0, perCallMs: 0 }));
  try {
    for (;;) {
      if (cancelled(ctl)) throw new ExecutionError('cancelled', 'cancelled');
      for (let i = 0; i < prepared.length; i++) {
        if (!active[i]) continue;
        if (!session.proc.alive) {
          output += session.proc.output;
          await session.proc.dispose();
          session = await startSession(prepared, plan, opts, limits, ctl);
        }
        const outcome = await measureOnce(session, i, n, limits, opts, pointTime, prepared, points[i].length === 0 && step === 0);
        if (cancelled(ctl)) throw new ExecutionError('cancelled', 'cancelled');
        if (outcome.kind === 'point') {
          points[i].push(outcome.point);
          lastCost[i] = { wallMs: outcome.wallMs, genMs: outcome.genMs, perCallMs: metric === 'time' ? outcome.point.median * 1000 : 0 };
        } else if (outcome.kind === 'censored') {
          if (!Number.isNaN(outcome.point.median)) points[i].push(outcome.point);
          notes[i].push(`n=${n} ran past the per-call limit of ${limits.perCallMs} ms (right-censored)`);
          active[i] = false;
          stoppedBy = 'perCallLimit';
        } else {
          notes[i].push(outcome.reason);
          active[i] = false;
        }
        ctl.onProgress?.({
          phase,
          n,
          label: prepared[i].label,
          elapsedMs: Date.now() - start,
          budgetMs,
          message: `${prepared[i].label}: n=${n}, ${Math.max(0, Math.round((budgetMs - (Date.now() - start)) / 100) / 10)} s left`,
        });
      }
      step++;
      if (!active.some((a) => a)) break;
      // Next size.
      let next: number;
      if (sizes) {
        if (step >= sizes.length) break;
        next = sizes[step];
      } else {
        // Local exponent of the slowest target from its last two points: grow so that the time per
        // call rises by at most ~4× (geometric ×2 for polynomials, +1 steps for exponentials).
        let k = 0;
        let ratioLast = 1;
        for (let i = 0; i < prepared.length; i++) {
          const ps = points[i].filter((p) => !p.censored);
          if (ps.length >= 2) {
            const [a, b] = ps.slice(-2);
            if (a.n > 0 && b.n > a.n) k = Math.max(k, Math.log(Math.max(b.median, 1e-12) / Math.max(a.median, 1e-12)) / Math.log(b.n / a.n));
          }
        }
        const factor = k > 0.5 ? Math.min(2, Math.pow(4, 1 / k)) : 2;
        next = Math.max(n + 1, Math.round(n * factor), 1);
        ratioLast = Math.pow(next / Math.max(n, 1), Math.max(k, 1));
        if (next > maxN) {
          stoppedBy = 'maxN';
          break;
        }
        const elapsed = Date.now() - start;
        const minSamples = opts.minSamples ?? 5;
        let predicted = 0;
        for (let i = 0; i < prepared.length; i++) {
          if (!active[i]) continue;
          const c = lastCost[i];
          const measuring = metric === 'time' ? Math.max(pointTime * 1000, c.perCallMs * ratioLast * (minSamples + 2)) : c.wallMs * ratioLast;
          predicted += measuring + c.genMs * (next / Math.max(n, 1));
        }
        if (elapsed >= budgetMs || elapsed + predicted > budgetMs) {
          stoppedBy = 'budget';
          break;
        }
      }
      n = next;
    }
  } finally {
    output += session.proc.output;
    await session.proc.dispose();
  }
  return { points, stoppedBy, notes, output, elapsedMs: Date.now() - start };
}

function resultFor(p: PreparedTarget, plan: InputPlan, points: Point[], notes: string[], s: SweepResult, opts: BenchmarkOptions): BenchmarkResult {
  const metric = opts.metric ?? 'time';
  const fit = fitComplexity(points.map((x) => ({ n: x.n, y: x.median, censored: x.censored })));
  fit.notes.unshift(...notes);
  return {
    function: p.label,
    language: p.target.language,
    file: p.target.file,
    metric,
    unit: metric === 'time' ? 's' : 'instructions',
    complexity: fit.complexity,
    fit,
    points,
    inputs: plan.description,
    stoppedBy: notes.some((x) => /per-call limit/.test(x)) ? 'perCallLimit' : notes.some((x) => /^stopped at n=/.test(x)) ? 'error' : s.stoppedBy === 'perCallLimit' ? 'budget' : s.stoppedBy,
    elapsedMs: s.elapsedMs,
    seed: opts.seed ?? 1,
    output: s.output ? s.output.slice(0, 4000) : undefined,
  };
}

/**
 * Benchmark one function at growing sizes and fit its complexity class.
 * Throws ExecutionError for problems the user must fix (no such function, no input type, the
 * function raising on the first input, limits at the first size, cancellation).
 */
export async function benchmarkFunction(parsers: ParserFactory, target: FunctionTarget, opts: BenchmarkOptions = {}, ctl: RunControl = {}): Promise<BenchmarkResult> {
  const prepared = prepareTarget(parsers, target, opts.generator);
  const plan = planInputs(prepared, 0, opts.generator);
  const s = await sweep([prepared], plan, opts, ctl, 'benchmark');
  return resultFor(prepared, plan, s.points[0], s.notes[0], s, opts);
}

/** Sizes and seeds the equivalence check runs on: edge cases, small sizes with several seeds, a few larger ones. */
function checkInputs(seed: number): { n: number; seed: number }[] {
  const out: { n: number; seed: number }[] = [];
  for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 10, 13, 16, 21, 32]) for (let s = 0; s < (n <= 8 ? 3 : 2); s++) out.push({ n, seed: seed + s });
  for (const n of [64, 100, 256, 1000, 4096]) out.push({ n, seed });
  return out;
}

async function equivalenceIn(prepared: PreparedTarget[], plan: InputPlan, opts: BenchmarkOptions, ctl: RunControl): Promise<EquivalenceResult & { notes: string[] }> {
  const limits: Limits = { ...DEFAULT_LIMITS, ...opts.limits };
  let session = await startSession(prepared, plan, { ...opts, metric: 'time' }, limits, ctl);
  const notes: string[] = [];
  let count = 0;
  let lastOkN = -1;
  try {
    for (const input of checkInputs(opts.seed ?? 1)) {
      if (opts.maxN !== undefined && input.n > opts.maxN) break;
      if (cancelled(ctl)) throw new ExecutionError('cancelled', 'cancelled');
      if (!session.proc.alive) {
        await session.proc.dispose();
        session = await startSession(prepared, plan, { ...opts, metric: 'time' }, limits, ctl);
      }
      session.proc.send({ op: 'check', targets: [0, 1], n: input.n, seed: input.seed });
      const m = await session.proc.next(limits.perCallMs * 2 + 1000);
      ctl.onProgress?.({ phase: 'equivalence', n: input.n, elapsedMs: 0, budgetMs: 0, message: `checking equivalence: n=${input.n}` });
      if (m.ev === 'timeout') {
        // Slow inputs end the check (an exponential baseline cannot run n=4096); what ran counts.
        notes.push(`equivalence checked up to n=${lastOkN}: n=${input.n} ran past the per-call limit`);
        break;
      }
      if (m.ev === 'error' && m.where === 'generate') throw failure(m, prepared, session.proc, limits);
      if (m.ev === 'error' && m.where === 'load') throw failure(m, prepared, session.proc, limits);
      if (m.ev === 'exit') {
        const err = failure(m, prepared, session.proc, limits);
        if (err.kind === 'cancelled') throw err;
        notes.push(`equivalence checked up to n=${lastOkN}: n=${input.n}: ${err.message}`);
        break;
      }
      if (m.ev !== 'equiv') throw failure(m, prepared, session.proc, limits);
      count++;
      if (!m.equal) {
        const difference: Difference = { n: input.n, seed: input.seed, input: m.input ?? '', what: m.what ?? 'result', expected: m.expected ?? '', actual: m.actual ?? '' };
        return { equivalent: false, inputs: count, difference, notes };
      }
      lastOkN = input.n;
    }
  } finally {
    await session.proc.dispose();
  }
  if (count === 0) throw new ExecutionError('no input could be checked within the per-call limit', 'limit');
  return { equivalent: true, inputs: count, notes };
}

function preparePair(parsers: ParserFactory, baseline: FunctionTarget, candidate: FunctionTarget, opts: BenchmarkOptions): { prepared: PreparedTarget[]; plan: InputPlan } {
  const a = prepareTarget(parsers, baseline, opts.generator);
  const b = prepareTarget(parsers, candidate);
  if (a.label === b.label) b.label = `${b.label} (candidate)`;
  const plan = planInputs(a, 0, opts.generator);
  return { prepared: [a, b], plan };
}

/**
 * Run both versions on the same generated inputs and compare return values, the arguments after
 * the call (mutations) and exception types. Inputs come from the baseline's types or generator.
 */
export async function checkEquivalence(parsers: ParserFactory, baseline: FunctionTarget, candidate: FunctionTarget, opts: BenchmarkOptions = {}, ctl: RunControl = {}): Promise<EquivalenceResult> {
  const { prepared, plan } = preparePair(parsers, baseline, candidate, opts);
  const { notes: _notes, ...result } = await equivalenceIn(prepared, plan, opts, ctl);
  void _notes;
  return result;
}

/**
 * Check equivalence, then benchmark both side by side (each size measured for both in one
 * process) and report the speedup per size with a bootstrap CI, and both fitted classes.
 */
export async function compareFunctions(parsers: ParserFactory, baseline: FunctionTarget, candidate: FunctionTarget, opts: BenchmarkOptions = {}, ctl: RunControl = {}): Promise<CompareResult> {
  const { prepared, plan } = preparePair(parsers, baseline, candidate, opts);
  const equivalence = await equivalenceIn(prepared, plan, opts, ctl);
  const empty = (p: PreparedTarget): BenchmarkResult => resultFor(p, plan, [], [], { points: [], stoppedBy: 'budget', notes: [], output: '', elapsedMs: 0 }, opts);
  if (!equivalence.equivalent) {
    const { notes: _n, ...eq } = equivalence;
    void _n;
    return { baseline: empty(prepared[0]), candidate: empty(prepared[1]), equivalence: eq, speedups: [], verdict: 'rejected' };
  }
  const s = await sweep(prepared, plan, { ...opts, budgetMs: (opts.budgetMs ?? 3000) * 2 }, ctl, 'compare');
  const [ra, rb] = [0, 1].map((i) => resultFor(prepared[i], plan, s.points[i], [...(i === 0 ? equivalence.notes : []), ...s.notes[i]], s, opts));
  const speedups: SpeedupPoint[] = [];
  for (const pa of s.points[0]) {
    const pb = s.points[1].find((x) => x.n === pa.n);
    if (!pb) continue;
    if (pa.censored && pb.censored) continue;
    if (pa.censored || pb.censored) {
      // One side ran past the limit: the ratio is only a bound.
      const ratio = pa.median / pb.median;
      speedups.push({ n: pa.n, speedup: ratio, ciLow: pa.censored ? ratio : 0, ciHigh: pa.censored ? Infinity : ratio, baseline: pa, candidate: pb });
      continue;
    }
    const ci = ratioCi(samplesOf(pa), samplesOf(pb), pa.n + 1);
    speedups.push({ n: pa.n, speedup: ci.ratio, ciLow: ci.ciLow, ciHigh: ci.ciHigh, baseline: pa, candidate: pb });
  }
  const finished = speedups.filter((x) => !x.baseline.censored && !x.candidate.censored);
  const summary = finished[finished.length - 1] ?? speedups[speedups.length - 1];
  let verdict: CompareResult['verdict'] = 'same';
  if (summary) {
    if (summary.ciLow > 1.05 || (summary.baseline.censored && !summary.candidate.censored)) verdict = 'faster';
    else if (summary.ciHigh < 0.95) verdict = 'slower';
  }
  const { notes: _n2, ...eq } = equivalence;
  void _n2;
  return { baseline: ra, candidate: rb, equivalence: eq, speedups, summary, verdict };
}

