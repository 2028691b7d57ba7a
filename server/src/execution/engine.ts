// The benchmark engine: prepare targets (extract, bundle), run the size sweep in harness
// processes (sweep.ts; one per version: a baseline and a candidate never share a process), fit,
// check the class over a second sweep and the measurement's integrity, and compare two versions
// after checking that they behave the same.

import { execFileSync } from 'node:child_process';
import { equivalenceIn, largeInputs } from './equivalence';
import { chooseInputs } from './examples';
import { extractFunction, parseSource, type ExtractedFunction } from './extract';
import { fitComplexity, stabilityVerdict } from './fit';
import { growthFlag, reconcile, staticGrowth } from './integrity';
import { detectIsolation, type Isolation } from './isolation';
import type { EngineEnv, ExecutionLanguage } from './language';
import type { InputPlan, LoadSpec, PreparedTarget, RunContext } from './runner';
import { formatQuantity } from '../notation';
import { ratioCi, shrinkingTimes, topSizesRatio } from './stats';
import { samplesOf, sweep, type SweepResult } from './sweep';
import {
  EXAMPLE_FLAGS,
  ExecutionError,
  type BenchmarkOptions,
  type BenchmarkResult,
  type CompareResult,
  type EquivalenceResult,
  type FunctionTarget,
  type IntegrityReport,
  type Limits,
  type Point,
  type Progress,
  type RunControl,
  type SpeedupPoint,
} from './types';

export const DEFAULT_LIMITS: Limits = { perCallMs: 2000, memoryMb: 1024, outputBytes: 8 * 1024 * 1024, maxProcesses: 64 };

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
      description: { kind: 'example', params: [], generator: example.generator.name, example: { source: example.source, where: example.where, call: example.call, scaled: example.scaled, ...Object.fromEntries(EXAMPLE_FLAGS.filter((f) => example[f]).map((f) => [f, true])) } },
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
  const planned = planInputs(env, prepared, opts.generator);
  const grow = opts.grow && { index: opts.grow.index, at: opts.grow.othersAt ?? planned.minN ?? 8 };
  const plan = grow ? { ...planned, spec: { ...planned.spec, grow }, description: { ...planned.description, grow } } : planned;
  const ctx = contextFor(opts, ctl, [target]);
  const checked = opts.stabilityCheck !== false && ctx.metric === 'time';
  // With a second sweep to come, the first reports the first half of the progress.
  const onProgress = ctl.onProgress;
  const first = checked && onProgress ? { ...ctx, ctl: { ...ctl, onProgress: (p: Progress) => onProgress({ ...p, budgetMs: 2 * p.budgetMs }) } } : ctx;
  const s = await sweep([prepared], plan, first, 'benchmark');
  if (s.violations[0]) throw new ExecutionError(s.violations[0], 'integrity');
  const result = resultFor(prepared, plan, s.points[0], s.notes[0], s, ctx, 0);
  if (checked) await checkStability(result, s.spentMs, prepared, plan, ctx);
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
 * fresh processes with inputs of another seed. When its fit names another class than the first
 * sweep's points at the same sizes (uncensored, fitted the same way) the result says the class is
 * unstable and its confidence is capped at 50%: the sizes measured do not settle it (noise, or a
 * larger term only starting to show). The second sweep stops once it has spent half again what
 * the first spent (by the budget's measure), and reports the second half of the progress.
 */
async function checkStability(result: BenchmarkResult, firstSpentMs: number, prepared: PreparedTarget, plan: InputPlan, ctx: RunContext): Promise<void> {
  const uncensored = result.points.filter((p) => !p.censored);
  const sizes = uncensored.map((p) => p.n);
  if (sizes.length < 3 || !result.fit.models.length) return;
  const seed = (ctx.opts.seed ?? 1) + 1;
  const limit = Math.max(1, 1.5 * firstSpentMs);
  const onProgress = ctx.ctl.onProgress;
  const ctl = onProgress ? { ...ctx.ctl, onProgress: (p: Progress) => onProgress({ ...p, elapsedMs: p.budgetMs * (1 + Math.min(1, p.elapsedMs / limit)), budgetMs: 2 * p.budgetMs, message: `second sweep: ${p.message}` }) } : ctx.ctl;
  let second: SweepResult;
  try {
    second = await sweep([prepared], plan, { ...ctx, ctl, opts: { ...ctx.opts, seed, sizes, minN: undefined } }, 'benchmark (second sweep)', limit);
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
  const asFit = (x: Point) => ({ n: x.n, y: x.median, censored: false });
  const { reference, complexity, stable } = stabilityVerdict(uncensored.map(asFit), points.map(asFit));
  result.stability = { complexity, stable, seed, points: second.points[0] };
  if (!stable) {
    result.fit.confidence = Math.min(result.fit.confidence, 0.5);
    result.fit.notes.push(`unstable: a second independent sweep (fresh processes, inputs of seed ${seed}, the same sizes) fitted ${complexity}, this one ${reference}${reference === result.complexity ? '' : ` on those sizes without the censored ones (${result.complexity} with them)`}: the sizes measured do not settle the class`);
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
  const noSweep: SweepResult = { points: [], stoppedBy: 'budget', notes: [], violations: [], clockChecks: [], output: '', elapsedMs: 0, spentMs: 0 };
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
