// A version's harness process (one per version: the baseline and a candidate never share one),
// started in the run's isolation with its read-only paths and environment, restarted when a limit
// killed it; and the messages for what can go wrong in it.

import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { projectReadPaths, resolveExecutable, systemReadPaths, type Isolation } from './isolation';
import type { ExecutionLanguage } from './language';
import { HarnessProcess, type HarnessMessage, type Terminal } from './sandbox';
import type { ExtractedFunction } from './extract';
import type { TypeSpec } from './typespec';
import { ExecutionError, type BenchmarkOptions, type FunctionTarget, type InputDescription, type Limits, type RunControl } from './types';

/** What a harness loads: a module's code and the function in it. */
export interface LoadSpec {
  code: string;
  file?: string;
  name: string;
  isAsync: boolean;
  isGenerator: boolean;
}

export interface PreparedTarget {
  target: FunctionTarget;
  lang: ExecutionLanguage;
  extracted: ExtractedFunction;
  load: LoadSpec;
  label: string;
}

export interface InputPlan {
  /**
   * `keywords`: names of the last arguments, passed by keyword (keyword-only parameters); `grow`:
   * only the argument at `index` grows with n, the others are the ones made at size `at`.
   */
  spec: ({ kind: 'types'; types: TypeSpec[] } | { kind: 'generator'; name: string; module: LoadSpec }) & { keywords?: string[]; grow?: { index: number; at: number } };
  description: InputDescription;
  /** Files whose folders the inputs come from (the generator's). */
  files: string[];
  /** The smallest size the inputs make sense at (an example's own size: below it a doctest's graph may not exist). */
  minN?: number;
}

/** One run's settings, shared by the harness processes it starts. */
export interface RunContext {
  opts: BenchmarkOptions;
  limits: Limits;
  ctl: RunControl;
  isolation: Isolation;
  metric: 'time' | 'instructions';
}

/** A version's harness process, restarted when a limit killed it; with the CPU seconds for the clock check. */
export class Runner {
  proc!: HarnessProcess;
  output = '';
  cpu = { inProcess: 0, kernel: 0 };

  constructor(
    readonly prepared: PreparedTarget,
    private readonly plan: InputPlan,
    private readonly ctx: RunContext,
  ) {}

  get label(): string {
    return this.prepared.label;
  }

  async start(): Promise<void> {
    const { prepared, plan, ctx } = this;
    const { lang, target } = prepared;
    const specJson = JSON.stringify({ seed: ctx.opts.seed ?? 1, memoryMb: ctx.metric === 'time' ? ctx.limits.memoryMb : undefined, target: prepared.load, input: plan.spec });
    const harness = lang.harness;
    const started = harness.command({ metric: ctx.metric, limits: ctx.limits, python: ctx.opts.python, node: ctx.opts.node }, harness.file, 'spec.json');
    const command = resolveExecutable(started.command);
    if (!command) throw new ExecutionError(started.command === 'valgrind' ? 'instruction counts need valgrind, which is not installed here (Debian/Ubuntu: apt-get install valgrind)' : `cannot start the interpreter: ${started.command} not found (set hotpath.execution.python / --python, or hotpath.execution.node / --node)`, 'environment');
    const runtime = harness.runtime(started.interpreter);
    const files = [target.file, ...plan.files].filter((f): f is string => !!f);
    const readOnly = [...systemReadPaths(), dirname(dirname(command)), ...runtime.readOnly, ...files.flatMap((f) => projectReadPaths(f)), ...(ctx.opts.readPaths ?? [])];
    // Native math libraries single-threaded: one core's work, and a CPU clock that does not add
    // up idle spinning threads.
    const env = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1', NUMEXPR_NUM_THREADS: '1', ...started.env, ...runtime.env };
    const proc = new HarnessProcess({
      command,
      args: started.args,
      env,
      isolation: ctx.isolation,
      readOnly,
      limits: ctx.metric === 'instructions' ? { ...ctx.limits, memoryMb: ctx.limits.memoryMb * 4 } : ctx.limits,
      signal: ctx.ctl.signal,
      prepare(dir) {
        writeFileSync(join(dir, harness.file), harness.source);
        writeFileSync(join(dir, 'spec.json'), specJson);
      },
    });
    // Wait until the code is loaded: load errors surface here, and start-up is not measured.
    const ready = await proc.next(ctx.metric === 'instructions' ? 120000 : 30000);
    if (ready.ev !== 'ready') {
      const err = ready.ev === 'timeout' ? new ExecutionError('the harness did not start within the time limit (module imports too slow?)', 'limit') : failure(ready, this.label, proc, ctx.limits);
      await proc.dispose();
      throw err;
    }
    this.proc = proc;
  }

  /** A live process: a new one when a limit or a crash ended the last. */
  async live(): Promise<HarnessProcess> {
    if (!this.proc.alive) {
      this.output += this.proc.output;
      await this.proc.dispose();
      await this.start();
    }
    return this.proc;
  }

  async dispose(): Promise<void> {
    if (!this.proc) return;
    this.output += this.proc.output;
    await this.proc.dispose();
  }
}

export async function startRunners(prepared: PreparedTarget[], plan: InputPlan, ctx: RunContext): Promise<Runner[]> {
  const runners = prepared.map((p) => new Runner(p, plan, ctx));
  const started = await Promise.allSettled(runners.map((r) => r.start()));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(runners.map((r) => r.dispose()));
    throw failed.reason;
  }
  return runners;
}

export function cancelled(ctl: RunControl): boolean {
  return !!ctl.signal?.aborted;
}

export function failure(m: HarnessMessage | Terminal, who: string, proc: HarnessProcess, limits: Limits): ExecutionError {
  if (m.ev === 'error') {
    if (m.where === 'load') return new ExecutionError(`cannot load ${who}: ${m.type}: ${m.message}`, 'load', m.traceback);
    if (m.where === 'generate') return new ExecutionError(`the input generator failed at n=${m.n}: ${m.type}: ${m.message}`, 'input', m.traceback);
    if (m.type === 'MemoryError') return new ExecutionError(`${who} ran out of memory at n=${m.n} (limit ${limits.memoryMb} MiB)`, 'limit', m.traceback);
    return new ExecutionError(`${who} raised ${m.type} at n=${m.n}: ${m.message}${m.input ? `\ninput: ${m.input}` : ''}`, 'raised', m.traceback);
  }
  if (m.ev === 'exit') {
    if (m.reason === 'cancelled') return new ExecutionError('cancelled', 'cancelled');
    if (m.reason === 'memory') return new ExecutionError(`the run used more than ${limits.memoryMb} MiB of memory and was stopped`, 'limit');
    if (m.reason === 'processes') return new ExecutionError(`the run started more than ${limits.maxProcesses} processes and was stopped`, 'limit');
    if (/spawn .* ENOENT/.test(m.stderr)) return new ExecutionError(`cannot start the interpreter: ${m.stderr.trim().split('\n').pop()} (set hotpath.execution.python / --python, or hotpath.execution.node / --node)`, 'environment');
    if (/heap limit|JavaScript heap out of memory|MemoryError/.test(m.stderr)) return new ExecutionError(`the function ran out of memory (limit ${limits.memoryMb} MiB)`, 'limit', m.stderr.slice(-2000));
    if (m.reason === 'output') return new ExecutionError(`the function wrote more than ${limits.outputBytes} bytes of output and was stopped`, 'limit', proc.output.slice(-2000));
    return new ExecutionError(`the process ended while running the code (${m.signal ? `signal ${m.signal}` : `exit code ${m.code}`}): did the function exit the process or crash the interpreter?`, 'internal', (m.stderr || proc.output).slice(-2000));
  }
  if (m.ev === 'timeout') return new ExecutionError('timed out', 'limit');
  return new ExecutionError(`unexpected message from the harness: ${JSON.stringify(m)}`, 'internal');
}

export function tamperText(who: string, names: string[]): string {
  return `${who} replaced ${names.join(', ')} (a clock the measurement relies on): its timings cannot be trusted`;
}
