// The benchmark engine: prepare targets (extract, bundle), run the size sweep in harness
// processes (one per version: a baseline and a candidate never share a process), fit, check the
// measurement's integrity, and compare two versions after checking that they behave the same.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { equivalenceIn, largeInputs } from './equivalence';
import { chooseInputs } from './examples';
import { extractFunction, parseSource, type ExtractedFunction } from './extract';
import { fitComplexity } from './fit';
import { clockDisagreement, growthFlag, reconcile, staticGrowth } from './integrity';
import { detectIsolation, type Isolation } from './isolation';
import type { EngineEnv, ExecutionLanguage } from './language';
import { cancelled, failure, startRunners, tamperText, type InputPlan, type LoadSpec, type PreparedTarget, type RunContext, type Runner } from './runner';
import type { HarnessMessage, Terminal } from './sandbox';
import { formatQuantity } from '../notation';
import { ratioCi, shrinkingTimes, summarize, topSizesRatio } from './stats';
import {
  ExecutionError,
  type BenchmarkOptions,
  type BenchmarkResult,
  type CompareResult,
  type EquivalenceResult,
  type FunctionTarget,
  type IntegrityReport,
  type Limits,
  type Point,
  type RunControl,
  type SpeedupPoint,
} from './types';

export const DEFAULT_LIMITS: Limits = { perCallMs: 2000, memoryMb: 1024, outputBytes: 8 * 1024 * 1024, maxProcesses: 64 };
/** Elements of inputs held at once for one sample (every call gets an input of its own). */
const MAX_COPY_ELEMS = 262_144;

export function hasValgrind(): boolean {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

function loadable(lang: ExecutionLanguage, t: FunctionTarget, extracted: ExtractedFunction): LoadSpec {
  const code = lang.loadableCode(extracted.code, { functionName: extracted.name, file: t.file, language: t.language, top: extracted.top, kept: extracted.keptNodes });
  return { code, file: t.file, name: extracted.name, isAsync: extracted.isAsync, isGenerator: extracted.isGenerator };
}

export function prepareTarget(env: EngineEnv, t: FunctionTarget): PreparedTarget {
  const lang = env.languages(t.language).execution;
  const extracted = extractFunction(env.parsers, lang, t.source, t.functionName, [], t.file);
  return { target: t, lang, extracted, load: loadable(lang, t, extracted), label: t.label ?? t.functionName };
}

/** Inputs from the target's types, or from its generator (extracted from the same source into a module of its own). */
function planInputs(env: EngineEnv, p: PreparedTarget, generator?: string): InputPlan {
  const gen = generator ?? p.extracted.directive;
  if (gen) {
    const t = p.target;
    let extracted: ExtractedFunction;
    try {
      extracted = extractFunction(env.parsers, p.lang, t.source, gen, [], t.file);
    } catch (e) {
      if (e instanceof ExecutionError && e.kind === 'input') throw new ExecutionError(`input generator '${gen}' is not defined at the top level of ${t.file ?? 'the source'}`, 'input');
      throw e;
    }
    return { spec: { kind: 'generator', name: gen, module: loadable(p.lang, t, extracted) }, description: { kind: 'generator', params: [], generator: gen }, files: t.file ? [t.file] : [] };
  }
  if (p.extracted.params.filter((x) => !x.optional).length === 0) {
    throw new ExecutionError(`${p.extracted.name} takes no parameters: there is no size to grow (write a generator, see docs/execution.md)`, 'input');
  }
  const t = p.target;
  const chosen = chooseInputs(p.extracted, p.lang, { parse: (text) => parseSource(env.parsers, p.lang.grammar(t.file), text), parseWith: (grammar, text) => parseSource(env.parsers, grammar, text), file: t.file, source: t.source });
  if ('example' in chosen) {
    // The rebuilt call's generator, appended to the module (the user's lines keep their numbers).
    const { example } = chosen;
    const extracted = extractFunction(env.parsers, p.lang, t.source + p.lang.definitionGap + example.generator.text, example.generator.name, [], t.file);
    return {
      spec: { kind: 'generator', name: example.generator.name, module: loadable(p.lang, t, extracted), keywords: example.keywords },
      description: { kind: 'example', params: [], generator: example.generator.name, example: { source: example.source, where: example.where, call: example.call, scaled: example.scaled, ...(example.constructed ? { constructed: true } : {}), ...(example.grown ? { grown: true } : {}) } },
      files: t.file ? [t.file] : [],
      minN: example.minN,
    };
  }
  const keywords = p.extracted.params.filter((x) => !x.optional && x.keywordOnly).map((x) => x.name);
  return { spec: { kind: 'types', types: chosen.types, keywords }, description: chosen.description, files: [] };
}

/** The isolation for these targets, or why they cannot run (model-written code without a sandbox). */
function isolationFor(opts: BenchmarkOptions, targets: FunctionTarget[]): Isolation {
  const isolation = detectIsolation(opts.isolation ?? 'auto');
  if (isolation instanceof Error) throw new ExecutionError(`cannot isolate the run: ${isolation.message}`, 'isolation');
  if (isolation.kind === 'none' && targets.some((t) => t.origin === 'model') && !opts.allowUnsandboxed) {
    throw new ExecutionError(
      'no sandbox is available on this machine (Linux: install bubblewrap, or allow unprivileged user namespaces), so code a model wrote is not run: ' +
        'it would run with your rights. Set hotpath.execution.allowUnsandboxed (CLI: --allow-unsandboxed) to run it anyway.',
      'isolation',
    );
  }
  return isolation;
}

function contextFor(opts: BenchmarkOptions, ctl: RunControl, targets: FunctionTarget[]): RunContext {
  return { opts, limits: { ...DEFAULT_LIMITS, ...opts.limits }, ctl, isolation: isolationFor(opts, targets), metric: opts.metric ?? 'time' };
}

function integrityOf(ctx: RunContext): IntegrityReport {
  return { isolation: { kind: ctx.isolation.kind, description: ctx.isolation.description }, flags: [] };
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

type Outcome =
  | { kind: 'point'; point: Point; wallMs: number; genMs: number; prepMs: number; input?: string; checks?: Record<string, string> }
  | { kind: 'censored'; point: Point }
  | { kind: 'stop'; reason: string }
  | { kind: 'integrity'; reason: string };

/**
 * The turn to measure, passed between the versions of a compare: one version's harness runs at a
 * time (generation, warm-up, then one sample), then waits while the other takes its turn, so their
 * samples alternate — a disturbance of the machine falls on both versions, not on one.
 */
export class Turns {
  private busy = false;
  private readonly waiting: (() => void)[] = [];

  async take(): Promise<void> {
    if (!this.busy) {
      this.busy = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hand the turn to the next waiting version (first come, first served), if any. */
  pass(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy = false;
  }
}

/** Measure one version at one size; restarts are the caller's business. With `turns`, its samples alternate with the other version's. */
async function measureOnce(runner: Runner, n: number, ctx: RunContext, pointTime: number, firstSize: boolean, freshInputs: 'call' | 'sample', turns?: Turns): Promise<Outcome> {
  if (!turns) return measureTurn(runner, n, ctx, pointTime, firstSize, freshInputs);
  await turns.take();
  try {
    return await measureTurn(runner, n, ctx, pointTime, firstSize, freshInputs, turns);
  } finally {
    turns.pass();
  }
}

async function measureTurn(runner: Runner, n: number, ctx: RunContext, pointTime: number, firstSize: boolean, freshInputs: 'call' | 'sample', turns?: Turns): Promise<Outcome> {
  const { limits, opts } = ctx;
  const proc = await runner.live();
  const started = Date.now();
  const errorOutcome = (m: HarnessMessage | Terminal): Outcome => {
    const err = failure(m, runner.label, proc, limits);
    // On the first size a failure is the user's problem; later it ends the sweep with a note.
    if (firstSize || err.kind === 'cancelled' || err.kind === 'load') throw err;
    return { kind: 'stop', reason: `stopped at n=${n}: ${err.message.split('\n')[0]}` };
  };
  if (ctx.metric === 'instructions') {
    proc.send({ op: 'instr', n });
    const m = await proc.next(limits.perCallMs * 50 * 3 + 10000);
    if (m.ev === 'timeout') return { kind: 'censored', point: censoredPoint(n, NaN) };
    if (m.ev !== 'done') return errorOutcome(m);
    if (m.tampered?.length) return { kind: 'integrity', reason: tamperText(runner.label, m.tampered) };
    const value = Math.max(1, readDump(proc.dir, m.callDump!) - readDump(proc.dir, m.noopDump!));
    return { kind: 'point', point: pointFrom(n, [value], 1), wallMs: Date.now() - started, genMs: 0, prepMs: 0 };
  }
  // A JIT needs a longer warm-up at the first size (the function is optimised once, then stays
  // optimised across sizes); an interpreter needs only one warm-up batch.
  const { warmupSeconds, batchSeconds } = runner.prepared.lang.harness;
  const kernel0 = proc.kernelCpuSeconds();
  proc.send({ op: 'measure', n, warmupTime: firstSize ? warmupSeconds.first : warmupSeconds.later, clock: opts.clock ?? 'cpu', batchTime: batchSeconds, warmup: 1, minSamples: opts.minSamples ?? 5, maxSamples: opts.maxSamples ?? 50, pointTime, maxCopyElems: MAX_COPY_ELEMS, freshInputs, ...(turns ? { lockstep: true } : {}) });
  const gen = await proc.next(Math.max(10000, limits.perCallMs * 5));
  if (gen.ev === 'timeout') return { kind: 'stop', reason: `stopped at n=${n}: generating the input took more than ${Math.max(10, (limits.perCallMs * 5) / 1000)} s` };
  if (gen.ev !== 'generated') return errorOutcome(gen);
  const generatedAt = Date.now();
  const probe = await proc.next(limits.perCallMs);
  let taken = 0;
  if (probe.ev === 'timeout') return { kind: 'censored', point: censoredPoint(n, limits.perCallMs / 1000) };
  if (probe.ev !== 'probe') return errorOutcome(probe);
  for (;;) {
    const m = await proc.next(limits.perCallMs * 2 + 2000);
    if (m.ev === 'sample') {
      ctx.ctl.onSample?.({ label: runner.label, n, k: ++taken, value: m.t });
      if (turns) {
        // The harness waits for its next turn (the wait is not counted in its time).
        turns.pass();
        await turns.take();
        proc.send({ op: 'next' });
      }
      continue;
    }
    if (m.ev === 'timeout') return { kind: 'censored', point: censoredPoint(n, limits.perCallMs / 1000) };
    if (m.ev !== 'done') return errorOutcome(m);
    if (m.tampered?.length) return { kind: 'integrity', reason: tamperText(runner.label, m.tampered) };
    const kernel1 = proc.kernelCpuSeconds();
    if (kernel0 !== undefined && kernel1 !== undefined && m.cpu !== undefined) {
      runner.cpu.inProcess += m.cpu;
      runner.cpu.kernel += kernel1 - kernel0;
      // One size is checked on its own once it is long enough for the kernel's 10 ms ticks.
      const wrong = kernel1 - kernel0 >= 0.2 ? clockDisagreement(m.cpu, kernel1 - kernel0) : undefined;
      if (wrong) return { kind: 'integrity', reason: `${runner.label}: ${wrong}` };
    }
    return { kind: 'point', point: pointFrom(n, m.samples!, m.batch!), wallMs: Date.now() - generatedAt, genMs: generatedAt - started, prepMs: (m.prep ?? 0) * 1000, input: gen.input, checks: m.checks };
  }
}

interface SweepResult {
  points: Point[][];
  stoppedBy: BenchmarkResult['stoppedBy'];
  notes: string[][];
  /** Per version: why its measurement cannot be trusted (a replaced clock, a clock that disagrees with the kernel, another input). */
  violations: (string | undefined)[];
  clockChecks: ({ inProcess: number; kernel: number } | undefined)[];
  output: string;
  elapsedMs: number;
}

/** Grow n until the budget is spent, measuring every still-active version at each size (each in its own process). */
async function sweep(prepared: PreparedTarget[], plan: InputPlan, ctx: RunContext, phase: string): Promise<SweepResult> {
  const { opts, limits, ctl, metric } = ctx;
  const budgetMs = opts.budgetMs ?? (metric === 'instructions' ? 30000 : 3000);
  const minN = Math.max(0, opts.minN ?? 1, plan.minN ?? 0);
  // Scalar-only inputs cost nothing to make: let them grow further (O(log n) needs the range).
  const scalar = plan.spec.kind === 'types' && plan.spec.types.every((t) => t.k === 'int' || t.k === 'float' || t.k === 'bool');
  const maxN = opts.maxN ?? (scalar ? 2 ** 40 : 2 ** 20);
  const pointTime = Math.min(0.3, Math.max(0.02, budgetMs / 1000 / 40));
  const points: Point[][] = prepared.map(() => []);
  const notes: string[][] = prepared.map(() => []);
  const violations: (string | undefined)[] = prepared.map(() => undefined);
  const active = prepared.map(() => true);
  let stoppedBy: BenchmarkResult['stoppedBy'] = opts.sizes ? 'sizes' : 'budget';
  const runners = await startRunners(prepared, plan, ctx);
  // The budget is for measuring: interpreter start-up and module loading are not counted. With
  // the CPU clock (the default) it is the harnesses' CPU time as the kernel accounts it, so that
  // how far the sweep gets does not depend on how busy the machine is (a loaded machine made a
  // wall-clock budget stop at n=32 and fit a quadratic function as O(n log n)); with the wall
  // clock, or where the kernel does not tell, it is wall time. A wall-time cap of 10× the budget
  // bounds a run on a machine too busy to give the harness its share.
  const start = Date.now();
  const cpuBudget = metric === 'time' && (opts.clock ?? 'cpu') === 'cpu';
  const spentMs = (): number => {
    const cpu = runners.reduce((a, r) => a + r.cpu.kernel, 0);
    return cpuBudget && cpu > 0 ? cpu * 1000 : Date.now() - start;
  };
  const sizes = opts.sizes ? [...opts.sizes].sort((a, b) => a - b) : undefined;
  let n = sizes ? sizes[0] : minN;
  let step = 0;
  // Cost of the last size, per version: the measuring, a call, making one call's input, the generation.
  const lastCost = prepared.map(() => ({ wallMs: 0, genMs: 0, perCallMs: 0, prepMs: 0 }));
  try {
    for (;;) {
      if (cancelled(ctl)) throw new ExecutionError('cancelled', 'cancelled');
      const inputs = new Map<number, string>();
      const checks = new Map<number, Record<string, string>>();
      // A compare gives every call an input of its own (a candidate must not gain from reusing
      // results) and takes the versions' samples in turn; a plain benchmark one fresh input per
      // sample, unless the function mutates it.
      const compare = phase === 'compare';
      const turns = compare && active.filter((a) => a).length > 1 ? new Turns() : undefined;
      const measuring = prepared.map((_, i) => (active[i] ? measureOnce(runners[i], n, ctx, pointTime, points[i].length === 0 && step === 0, compare ? 'call' : 'sample', turns) : undefined));
      // Every version's measurement ends before one's failure is reported (no harness left waiting for its turn).
      const settled = await Promise.allSettled(measuring.map((m) => m ?? Promise.resolve(undefined)));
      for (let i = 0; i < prepared.length; i++) {
        if (!active[i]) continue;
        const r = settled[i];
        if (r.status === 'rejected') throw r.reason;
        const outcome = r.value!;
        if (cancelled(ctl)) throw new ExecutionError('cancelled', 'cancelled');
        if (outcome.kind === 'point') {
          points[i].push(outcome.point);
          if (outcome.input) inputs.set(i, outcome.input);
          if (outcome.checks) checks.set(i, outcome.checks);
          lastCost[i] = { wallMs: outcome.wallMs, genMs: outcome.genMs, perCallMs: metric === 'time' ? outcome.point.median * 1000 : 0, prepMs: outcome.prepMs };
        } else if (outcome.kind === 'censored') {
          if (!Number.isNaN(outcome.point.median)) points[i].push(outcome.point);
          notes[i].push(`n=${n} ran past the per-call limit of ${limits.perCallMs} ms (right-censored)`);
          active[i] = false;
          stoppedBy = 'perCallLimit';
        } else if (outcome.kind === 'integrity') {
          violations[i] = outcome.reason;
          active.fill(false);
        } else {
          notes[i].push(outcome.reason);
          active[i] = false;
        }
        ctl.onProgress?.({
          phase,
          n,
          label: prepared[i].label,
          elapsedMs: spentMs(),
          budgetMs,
          message: `${prepared[i].label}: n=${n}, ${Math.max(0, Math.round((budgetMs - spentMs()) / 100) / 10)} s left`,
        });
      }
      // Every version must have been given the same input (made in its own process).
      const digests = [...inputs.values()];
      if (digests.length > 1 && digests.some((d) => d !== digests[0])) {
        for (const [i, d] of inputs) if (i > 0 && d !== inputs.get(0)) violations[i] = `the input generated at n=${n} in ${prepared[i].label}'s process differs from the one in ${prepared[0].label}'s: something changed the input generator`;
        break;
      }
      // The k-th call at a size gets the same input in every version's process: their results
      // must agree, all through the measurement (not only in the equivalence check).
      const reference = checks.get(0);
      for (const [i, c] of checks) {
        if (i === 0 || !reference) continue;
        const k = Object.keys(c).find((x) => reference[x] !== undefined && reference[x] !== c[x]);
        if (k) violations[i] = `${prepared[i].label}: at n=${n}, call ${k.split(':')[0]} of the measurement returned another result than ${prepared[0].label} on the same input: results reused across calls, or calls that depend on the ones before`;
      }
      if (violations.some((v) => v)) break;
      step++;
      if (!active.some((a) => a)) break;
      // Next size.
      let next: number;
      if (sizes) {
        if (step >= sizes.length) break;
        next = sizes[step];
      } else {
        // Local exponent of the slowest version from its last two points: grow so that the time
        // per call rises by at most ~4× (geometric ×2 for polynomials, +1 steps for exponentials).
        let k = 0;
        for (let i = 0; i < prepared.length; i++) {
          const ps = points[i].filter((p) => !p.censored);
          if (ps.length >= 2) {
            const [a, b] = ps.slice(-2);
            if (a.n > 0 && b.n > a.n) k = Math.max(k, Math.log(Math.max(b.median, 1e-12) / Math.max(a.median, 1e-12)) / Math.log(b.n / a.n));
          }
        }
        const factor = k > 0.5 ? Math.min(2, Math.pow(4, 1 / k)) : 2;
        next = Math.max(n + 1, Math.round(n * factor), 1);
        const ratioLast = Math.pow(next / Math.max(n, 1), Math.max(k, 1));
        if (next > maxN) {
          stoppedBy = 'maxN';
          break;
        }
        const elapsed = spentMs();
        const minSamples = opts.minSamples ?? 5;
        let predicted = 0;
        for (let i = 0; i < prepared.length; i++) {
          if (!active[i]) continue;
          const c = lastCost[i];
          // Every call gets an input of its own, made outside the timing: it grows with n.
          const perSample = c.perCallMs * ratioLast + c.prepMs * (next / Math.max(n, 1));
          const measuring = metric === 'time' ? Math.max(pointTime * 1000, perSample * (minSamples + 2)) : c.wallMs * ratioLast;
          predicted += measuring + c.genMs * (next / Math.max(n, 1));
        }
        if (elapsed >= budgetMs || elapsed + predicted > budgetMs || Date.now() - start > 10 * budgetMs) {
          stoppedBy = 'budget';
          break;
        }
      }
      n = next;
    }
  } finally {
    await Promise.all(runners.map((r) => r.dispose()));
  }
  // The whole sweep's CPU time, as measured inside and as the kernel accounted it.
  const clockChecks = runners.map((r, i) => {
    if (r.cpu.kernel === 0 && r.cpu.inProcess === 0) return undefined;
    const wrong = r.cpu.kernel >= 0.3 ? clockDisagreement(r.cpu.inProcess, r.cpu.kernel) : undefined;
    if (wrong && !violations[i]) violations[i] = `${r.label}: ${wrong}`;
    return { ...r.cpu };
  });
  return { points, stoppedBy, notes, violations, clockChecks, output: runners.map((r) => r.output).join(''), elapsedMs: Date.now() - start };
}

function resultFor(p: PreparedTarget, plan: InputPlan, points: Point[], notes: string[], s: SweepResult, ctx: RunContext, index: number): BenchmarkResult {
  const fit = fitComplexity(points.map((x) => ({ n: x.n, y: x.median, censored: x.censored })));
  fit.notes.unshift(...notes);
  const unit = ctx.metric === 'time' ? 's' : 'instructions';
  for (const w of shrinkingTimes(points)) {
    fit.notes.push(`the ${ctx.metric === 'time' ? 'time' : 'instruction count'} per call fell as n grew: ${formatQuantity(w.before, unit)} at n=${w.from}, ${formatQuantity(w.after, unit)} at n=${w.to} (beyond the noise): less work at the larger size, or a disturbed measurement; that size is not trusted alone`);
  }
  const integrity = integrityOf(ctx);
  const check = s.clockChecks[index];
  if (check) integrity.clockCheck = check;
  return {
    function: p.label,
    language: p.target.language,
    file: p.target.file,
    metric: ctx.metric,
    unit: ctx.metric === 'time' ? 's' : 'instructions',
    complexity: fit.complexity,
    fit,
    points,
    inputs: plan.description,
    stoppedBy: notes.some((x) => /per-call limit/.test(x)) ? 'perCallLimit' : notes.some((x) => /^stopped at n=/.test(x)) ? 'error' : s.stoppedBy === 'perCallLimit' ? 'budget' : s.stoppedBy,
    elapsedMs: s.elapsedMs,
    seed: ctx.opts.seed ?? 1,
    output: s.output ? s.output.slice(0, 4000) : undefined,
    integrity,
  };
}

/**
 * Benchmark one function at growing sizes and fit its complexity class.
 * Throws ExecutionError for problems the user must fix (no such function, no input type, the
 * function raising on the first input, limits at the first size, cancellation, no isolation for
 * model-written code, a measurement the function tampered with).
 */
export async function benchmarkFunction(env: EngineEnv, target: FunctionTarget, opts: BenchmarkOptions = {}, ctl: RunControl = {}): Promise<BenchmarkResult> {
  const prepared = prepareTarget(env, target);
  const plan = planInputs(env, prepared, opts.generator);
  const ctx = contextFor(opts, ctl, [target]);
  const s = await sweep([prepared], plan, ctx, 'benchmark');
  if (s.violations[0]) throw new ExecutionError(s.violations[0], 'integrity');
  const result = resultFor(prepared, plan, s.points[0], s.notes[0], s, ctx, 0);
  await checkStability(result, prepared, plan, ctx);
  const estimate = staticGrowth(env, target);
  result.staticEstimate = reconcile(result, estimate);
  const flag = growthFlag(result, estimate);
  if (flag) {
    result.integrity.flags.push(flag);
    result.fit.notes.push(flag);
  }
  return result;
}

/**
 * The class checked over a second, independent sweep: the sizes the first measured, again, in
 * fresh processes with inputs of another seed. When the two fits name different classes the
 * result says the class is unstable and its confidence is capped at 50%: the sizes measured do
 * not settle it (noise, or a larger term only starting to show).
 */
async function checkStability(result: BenchmarkResult, prepared: PreparedTarget, plan: InputPlan, ctx: RunContext): Promise<void> {
  const sizes = result.points.filter((p) => !p.censored).map((p) => p.n);
  if (ctx.opts.stabilityCheck === false || ctx.metric !== 'time' || sizes.length < 3 || !result.fit.models.length) return;
  const seed = (ctx.opts.seed ?? 1) + 1;
  let second: SweepResult;
  try {
    second = await sweep([prepared], plan, { ...ctx, opts: { ...ctx.opts, seed, sizes, minN: undefined } }, 'benchmark (second sweep)');
  } catch (e) {
    if (e instanceof ExecutionError && e.kind === 'cancelled') throw e;
    result.fit.notes.push(`the class was not checked by a second sweep: it failed (${(e as Error).message.split('\n')[0]})`);
    return;
  }
  const points = second.points[0].filter((p) => !p.censored);
  if (second.violations[0] || points.length < 3) {
    result.fit.notes.push(`the class was not checked by a second sweep: ${second.violations[0] ?? `it measured ${points.length} of the ${sizes.length} sizes`}`);
    return;
  }
  const fit = fitComplexity(points.map((x) => ({ n: x.n, y: x.median, censored: false })));
  const stable = fit.complexity === result.complexity;
  result.stability = { complexity: fit.complexity, stable, seed, points: second.points[0] };
  if (!stable) {
    result.fit.confidence = Math.min(result.fit.confidence, 0.5);
    result.fit.notes.push(`unstable: a second independent sweep (fresh processes, inputs of seed ${seed}, the same sizes) fitted ${fit.complexity}, this one ${result.complexity}: the sizes measured do not settle the class`);
  }
}

function preparePair(env: EngineEnv, baseline: FunctionTarget, candidate: FunctionTarget, opts: BenchmarkOptions): { prepared: PreparedTarget[]; plan: InputPlan } {
  const a = prepareTarget(env, baseline);
  const b = prepareTarget(env, candidate);
  if (a.lang.harness !== b.lang.harness) throw new ExecutionError('both versions must be in the same language family (Python, or JavaScript/TypeScript)', 'input');
  if (a.label === b.label) b.label = `${b.label} (candidate)`;
  const plan = planInputs(env, a, opts.generator);
  return { prepared: [a, b], plan };
}

/**
 * Run both versions on the same generated inputs and compare return values, the arguments after
 * the call (mutations), exception types, the global state each call changed, and a second call.
 * Inputs come from the baseline's types or generator.
 */
export async function checkEquivalence(env: EngineEnv, baseline: FunctionTarget, candidate: FunctionTarget, opts: BenchmarkOptions = {}, ctl: RunControl = {}): Promise<EquivalenceResult> {
  const { prepared, plan } = preparePair(env, baseline, candidate, opts);
  const { notes: _notes, rejection, ...result } = await equivalenceIn(prepared, plan, contextFor(opts, ctl, [baseline, candidate]));
  void _notes;
  if (rejection) throw new ExecutionError(rejection, 'integrity');
  return result;
}

/**
 * Check equivalence, then benchmark both side by side (each size measured for both, each in its
 * own process) and report the speedup per size with a bootstrap CI, both fitted classes, and
 * whether the candidate's measurement can be trusted.
 */
export async function compareFunctions(env: EngineEnv, baseline: FunctionTarget, candidate: FunctionTarget, opts: BenchmarkOptions = {}, ctl: RunControl = {}): Promise<CompareResult> {
  const { prepared, plan } = preparePair(env, baseline, candidate, opts);
  const ctx = contextFor(opts, ctl, [baseline, candidate]);
  const equivalence = await equivalenceIn(prepared, plan, ctx);
  const noSweep: SweepResult = { points: [], stoppedBy: 'budget', notes: [], violations: [], clockChecks: [], output: '', elapsedMs: 0 };
  const empty = (i: number): BenchmarkResult => resultFor(prepared[i], plan, [], [], noSweep, ctx, i);
  const { notes: eqNotes, rejection: eqRejection, ...eq } = equivalence;
  if (eqRejection || !equivalence.equivalent) {
    return { baseline: empty(0), candidate: empty(1), equivalence: eq, speedups: [], verdict: 'rejected', rejection: eqRejection };
  }
  const s = await sweep(prepared, plan, { ...ctx, opts: { ...opts, budgetMs: (opts.budgetMs ?? 3000) * 2 } }, 'compare');
  if (s.violations[0]) throw new ExecutionError(s.violations[0], 'integrity');
  const [ra, rb] = [0, 1].map((i) => resultFor(prepared[i], plan, s.points[i], [...(i === 0 ? eqNotes : []), ...s.notes[i]], s, ctx, i));
  // Equivalence again past the fixed sizes, up to the largest size both versions were timed at.
  // (Before the sweep's own result checks are judged: a difference found here is reported as one.)
  const timed = s.points[0].filter((x) => !x.censored).map((x) => x.n);
  const large = largeInputs(timed.length ? Math.max(...timed) : 0, opts.seed ?? 1);
  if (large.length) {
    const late = await equivalenceIn(prepared, plan, ctx, large, 'equivalence at large sizes');
    const { notes: lateNotes, rejection: lateRejection, ...lateEq } = late;
    if (lateRejection || !late.equivalent) {
      return { baseline: ra, candidate: rb, equivalence: { ...lateEq, inputs: eq.inputs + late.inputs }, speedups: [], verdict: 'rejected', rejection: lateRejection };
    }
    eq.inputs += late.inputs;
    ra.fit.notes.push(...lateNotes, `equivalence also checked at n=${large.map((x) => x.n).join(', ')} (the largest timed size and sizes drawn between 4096 and it)`);
  }
  if (s.violations[1]) return { baseline: ra, candidate: rb, equivalence: eq, speedups: [], verdict: 'rejected', rejection: s.violations[1] };
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
  // The headline: the median ratio over the largest third of the sizes both finished (bootstrap
  // CI over their samples), not the largest size alone; with only censored sizes, the bound.
  const finished = speedups.filter((x) => !x.baseline.censored && !x.candidate.censored);
  let summary: SpeedupPoint | undefined = speedups[speedups.length - 1];
  if (finished.length) {
    const last = finished[finished.length - 1];
    const top = topSizesRatio(finished.map((x) => ({ n: x.n, a: samplesOf(x.baseline), b: samplesOf(x.candidate) })), last.n + 1);
    summary = { n: last.n, speedup: top.ratio, ciLow: top.ciLow, ciHigh: top.ciHigh, baseline: last.baseline, candidate: last.candidate, sizes: top.sizes };
  }
  let verdict: CompareResult['verdict'] = 'same';
  if (summary) {
    if (summary.ciLow > 1.05 || (summary.baseline.censored && !summary.candidate.censored)) verdict = 'faster';
    else if (summary.ciHigh < 0.95) verdict = 'slower';
  }
  ra.staticEstimate = reconcile(ra, staticGrowth(env, baseline));
  const candidateEstimate = staticGrowth(env, candidate);
  rb.staticEstimate = reconcile(rb, candidateEstimate);
  const flag = growthFlag(rb, candidateEstimate, ra);
  if (flag) {
    rb.integrity.flags.push(flag);
    rb.fit.notes.push(flag);
    if (verdict === 'faster') verdict = 'flagged';
  }
  return { baseline: ra, candidate: rb, equivalence: eq, speedups, summary, verdict };
}
