// The size sweep: each version measured at growing sizes in its own harness process (restarts,
// censoring at the per-call limit, the budget in CPU time, the same input in every version, the
// results of the measurement's calls compared across versions); in a compare the versions take
// their samples in turn.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clockDisagreement } from './integrity';
import { cancelled, failure, startRunners, tamperText, type InputPlan, type PreparedTarget, type RunContext, type Runner } from './runner';
import type { HarnessMessage, Terminal } from './sandbox';
import { summarize } from './stats';
import { ExecutionError, type BenchmarkResult, type Point } from './types';

/** Elements of inputs held at once for one sample (every call gets an input of its own). */
const MAX_COPY_ELEMS = 262_144;

/** Raw samples of each point (kept out of the JSON), for the speedup bootstrap. */
const rawSamples = new WeakMap<Point, number[]>();
export function samplesOf(p: Point): number[] {
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
    const wallMs = limits.perCallMs * 50 * 3 + 10000;
    const m = await proc.next(wallMs);
    // Not a counted limit: the call and its input's generation under callgrind ran past a wall-clock wait.
    if (m.ev === 'timeout') return { kind: 'stop', reason: `stopped at n=${n}: counting one call (its input made under callgrind too) took more than ${Math.round(wallMs / 1000)} s of wall time (where a sweep stops then depends on the machine)` };
    if (m.ev !== 'done') return errorOutcome(m);
    if (m.tampered?.length) return { kind: 'integrity', reason: tamperText(runner.label, m.tampered) };
    const value = Math.max(1, readDump(proc.dir, m.callDump!) - readDump(proc.dir, m.noopDump!));
    return { kind: 'point', point: pointFrom(n, [value], 1), wallMs: Date.now() - started, genMs: 0, prepMs: 0 };
  }
  // A JIT needs a longer warm-up at the first size (the function is optimised once, then stays
  // optimised across sizes); an interpreter needs only one warm-up batch.
  const { warmupSeconds, batchSeconds } = runner.prepared.lang.harness;
  const kernel0 = proc.kernelCpuSeconds();
  const sentAt = Date.now();
  proc.send({ op: 'measure', n, warmupTime: firstSize ? warmupSeconds.first : warmupSeconds.later, clock: opts.clock ?? 'cpu', batchTime: batchSeconds, warmup: 1, minSamples: opts.minSamples ?? 5, maxSamples: opts.maxSamples ?? 50, pointTime, maxCopyElems: MAX_COPY_ELEMS, freshInputs, ...(turns ? { lockstep: true } : {}) });
  const gen = await proc.next(Math.max(10000, limits.perCallMs * 5));
  if (gen.ev === 'timeout') return { kind: 'stop', reason: `stopped at n=${n}: generating the input took more than ${Math.max(10, (limits.perCallMs * 5) / 1000)} s` };
  if (gen.ev !== 'generated') return errorOutcome(gen);
  const generatedAt = Date.now();
  // The probe message comes after the harness's own checks of that call (its result's digest,
  // whether it changed its arguments: tens of milliseconds to seconds for a 65k-entry Map, in
  // proportion to making the input), so the wait has the samples' slack plus four times what
  // making the input took, and the call's own time, which the probe reports, decides censoring;
  // waiting only the limit censored sizes whose call took milliseconds.
  const probe = await proc.next(limits.perCallMs * 2 + 2000 + 4 * (generatedAt - sentAt));
  let taken = 0;
  const over = probe.ev === 'probe' && probe.t * 1000 > limits.perCallMs;
  if (over) proc.kill();
  if (probe.ev === 'timeout' || over) return { kind: 'censored', point: censoredPoint(n, limits.perCallMs / 1000) };
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

export interface SweepResult {
  points: Point[][];
  stoppedBy: BenchmarkResult['stoppedBy'];
  notes: string[][];
  /** Per version: why its measurement cannot be trusted (a replaced clock, a clock that disagrees with the kernel, another input). */
  violations: (string | undefined)[];
  clockChecks: ({ inProcess: number; kernel: number } | undefined)[];
  output: string;
  elapsedMs: number;
  /** What the sweep spent by the measure its budget counts (the harnesses' CPU time, or wall time). */
  spentMs: number;
}

/**
 * The instruction-count budget's rate: a millisecond of budget is this many instructions counted in
 * the measured calls (a nominal rate, not a measured speed). The budget counts instructions, not
 * wall time, so the sizes a sweep reaches, and so its verdict, do not depend on the machine's speed
 * or load (`check --verify-instructions` in CI; the counts themselves depend on the Python build,
 * glibc and the CPU architecture). Input generation and the harness run under callgrind too,
 * uncounted (1.4–5 M counted instructions a wall second here), so the wall-time cap is 100× the
 * budget for instruction counts (10× for time), and a sweep it stops says so (`wallCap`).
 */
export const INSTRUCTIONS_PER_BUDGET_MS = 50_000;

/**
 * Grow n until the budget is spent, measuring every still-active version at each size (each in its
 * own process). With `spendAtMost`, a sweep over given sizes stops once it has spent that much (by
 * the budget's measure); every sweep stops at 10× the budget in wall time (100× counting instructions).
 */
export async function sweep(prepared: PreparedTarget[], plan: InputPlan, ctx: RunContext, phase: string, spendAtMost?: number): Promise<SweepResult> {
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
  let counted = 0;
  const spentMs = (): number => {
    if (metric === 'instructions') return counted / INSTRUCTIONS_PER_BUDGET_MS;
    const cpu = runners.reduce((a, r) => a + r.cpu.kernel, 0);
    return cpuBudget && cpu > 0 ? cpu * 1000 : Date.now() - start;
  };
  const wallCapMs = (metric === 'instructions' ? 100 : 10) * budgetMs;
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
          lastCost[i] = { wallMs: outcome.wallMs, genMs: outcome.genMs, perCallMs: metric === 'time' ? outcome.point.median * 1000 : outcome.point.median / INSTRUCTIONS_PER_BUDGET_MS, prepMs: outcome.prepMs };
          if (metric === 'instructions') counted += outcome.point.median;
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
        const spent = spendAtMost !== undefined && spentMs() >= spendAtMost;
        if (spent || Date.now() - start > wallCapMs) {
          stoppedBy = spent ? 'budget' : 'wallCap';
          notes.forEach((x, i) => active[i] && x.push(`stopped before n=${sizes[step]}: ${spent ? `it had spent ${Math.round(spentMs())} ms, its limit ${Math.round(spendAtMost)} ms` : `${wallCapMs / budgetMs}× the budget of ${budgetMs} ms in wall time had passed`}`));
          break;
        }
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
          // Counted instructions: the one call the next size measures; nothing else counts, so the stop is machine-independent.
          predicted += metric === 'time' ? Math.max(pointTime * 1000, perSample * (minSamples + 2)) + c.genMs * (next / Math.max(n, 1)) : c.perCallMs * ratioLast;
        }
        if (elapsed >= budgetMs || elapsed + predicted > budgetMs) {
          stoppedBy = 'budget';
          break;
        }
        if (Date.now() - start > wallCapMs) {
          stoppedBy = 'wallCap';
          notes.forEach((x, i) => active[i] && x.push(`stopped before n=${next}: ${wallCapMs / budgetMs}× the budget of ${budgetMs} ms in wall time had passed (where a sweep stops then depends on the machine)`));
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
  return { points, stoppedBy, notes, violations, clockChecks, output: runners.map((r) => r.output).join(''), elapsedMs: Date.now() - start, spentMs: spentMs() };
}
