// `hotpath bench FILE --function NAME [--compare OTHER]`: measure a function at growing sizes and
// fit its complexity class; with --compare, check that OTHER behaves the same and measure both.
import { resolve } from 'node:path';
import { MAX_NAMED_SOURCE_BYTES, readRegularText } from '../analysis/regularFile';
import {
  benchmarkFunction,
  compareFunctions,
  compareToMarkdown,
  compareToText,
  ExecutionError,
  toMarkdown,
  toText,
  type BenchmarkResult,
  type EngineOptions,
  type FunctionTarget,
} from '../execution';
import { ISOLATION_SETTINGS, isIsolationSetting } from '../execution/isolation';
import { execLanguage, languageById } from '../languages';
import { parseFileArgs, UsageError } from './args';

export const usage = `Usage: hotpath bench FILE --function NAME [options]

Runs the function in a separate process (python3 for Python, node for JavaScript, TypeScript
transpiled by esbuild) on generated inputs of growing size, and reports the time per call at each
size (median, 95% CI, MAD, outliers) and the fitted complexity class.

  --function NAME        the top-level function to measure (required)
  --compare OTHER        also run OTHER, after checking it behaves the same (return values,
                         argument mutations, exception types); OTHER is NAME in FILE,
                         PATH:NAME in another file, or a source string with --compare-source
  --compare-source CODE  the candidate's module source (with --compare NAME)
  --format text|json|markdown   (default text; json has "complexity" and "points")
  --budget MS            time budget of the size sweep (default 3000; 30000 with --instructions,
                         where it counts the measured instructions 50,000 to a millisecond,
                         so the sizes reached do not depend on the load)
  --per-call-ms MS       limit of one call; a size past it is right-censored (default 2000)
  --memory-mb MB         memory limit of the run (default 1024)
  --output-bytes N       output the function may print before it is stopped (default 8 MiB)
  --sizes N,N,...        measure exactly these sizes instead of the adaptive sweep
  --min-n N, --max-n N   bounds of the sweep (default 1 and 1048576)
  --seed N               input generator seed (default 1)
  --generator NAME       input generator function in FILE: NAME(n, rng) returns the arguments
                         (overrides type inference; same as a 'hotpath: bench-input NAME' comment)
  --instructions         count CPU instructions with callgrind instead of timing (Python; needs valgrind)
  --clock cpu|wall       what time measures (default cpu: robust on busy machines)
  --python EXE, --node EXE   interpreters (default python3 and this node)
  --isolation KIND       auto (default: the best sandbox that works here), bwrap, unshare,
                         sandbox-exec, appcontainer, or none (no sandbox: the code runs with your rights)
  --allow-unsandboxed    run a --compare-source candidate even when no sandbox is available
                         (a source string is treated as code a model wrote)
  --no-stability         skip the second sweep that checks the class (about halves the time)
  --quiet                no progress on stderr

The code runs in a sandbox (docs/execution.md): read-only filesystem except its own temporary
folder, no network, an environment without your variables, every process it starts killed
with it. Where none is available, a warning says so on stderr.

Exit status: 0 done, 1 the candidate was rejected (behaves differently, or its measurement
cannot be trusted) or flagged, 2 errors.`;

const FLAGS = new Set(['instructions', 'quiet', 'allow-unsandboxed', 'no-stability']);

function int(opts: Record<string, string | boolean>, key: string): number | undefined {
  const v = opts[key];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n) || n < 0) throw new UsageError(`--${key} must be a non-negative number`);
  return n;
}

function target(path: string, name: string): FunctionTarget {
  const file = resolve(path);
  const language = execLanguage(file);
  if (!language) throw new UsageError(`${path}: not a Python, JavaScript or TypeScript file`);
  let source: string;
  try {
    source = readRegularText(file, MAX_NAMED_SOURCE_BYTES);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
  return { language, source, functionName: name, file };
}

function warnIfUnsandboxed(r: BenchmarkResult): void {
  if (r.integrity.isolation.kind === 'none') process.stderr.write(`hotpath bench: warning: ${r.integrity.isolation.description}\n`);
}

export async function run(argv: string[]): Promise<number> {
  const { file, opts } = parseFileArgs(argv, FLAGS);
  const known = new Set(['function', 'compare', 'compare-source', 'format', 'budget', 'per-call-ms', 'memory-mb', 'output-bytes', 'sizes', 'min-n', 'max-n', 'seed', 'generator', 'instructions', 'clock', 'python', 'node', 'quiet', 'isolation', 'allow-unsandboxed', 'no-stability']);
  for (const k of Object.keys(opts)) if (!known.has(k)) throw new UsageError(`unknown option --${k}`);
  if (!file) throw new UsageError('no FILE');
  const name = opts.function;
  if (typeof name !== 'string') throw new UsageError('--function NAME is required');
  const format = (opts.format as string | undefined) ?? 'text';
  if (!['text', 'json', 'markdown'].includes(format)) throw new UsageError('--format must be text, json or markdown');
  const clock = opts.clock as string | undefined;
  if (clock !== undefined && clock !== 'cpu' && clock !== 'wall') throw new UsageError('--clock must be cpu or wall');
  const isolation = (opts.isolation as string | undefined) ?? 'auto';
  if (!isIsolationSetting(isolation)) throw new UsageError(`--isolation must be one of ${ISOLATION_SETTINGS.join(', ')}`);
  const sizes = typeof opts.sizes === 'string' ? opts.sizes.split(',').map((s) => Number(s.trim())) : undefined;
  if (sizes && (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 0))) throw new UsageError('--sizes must be a comma-separated list of non-negative integers');
  const options: EngineOptions = {
    languages: languageById,
    budgetMs: int(opts, 'budget'),
    seed: int(opts, 'seed'),
    minN: int(opts, 'min-n'),
    maxN: int(opts, 'max-n'),
    sizes,
    metric: opts.instructions ? 'instructions' : 'time',
    clock: clock as 'cpu' | 'wall' | undefined,
    generator: opts.generator as string | undefined,
    python: opts.python as string | undefined,
    node: opts.node as string | undefined,
    isolation,
    allowUnsandboxed: opts['allow-unsandboxed'] === true,
    stabilityCheck: opts['no-stability'] !== true,
    limits: {
      ...(int(opts, 'per-call-ms') !== undefined ? { perCallMs: int(opts, 'per-call-ms')! } : {}),
      ...(int(opts, 'memory-mb') !== undefined ? { memoryMb: int(opts, 'memory-mb')! } : {}),
      ...(int(opts, 'output-bytes') !== undefined ? { outputBytes: int(opts, 'output-bytes')! } : {}),
    },
  };
  const base = target(file, name);
  const ac = new AbortController();
  const onSignal = () => ac.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let lastProgress = '';
  const onProgress = opts.quiet
    ? undefined
    : (p: { message: string }) => {
        if (p.message !== lastProgress) process.stderr.write(`  ${p.message}\n`);
        lastProgress = p.message;
      };
  try {
    if (typeof opts.compare === 'string') {
      let candidate: FunctionTarget;
      if (typeof opts['compare-source'] === 'string') candidate = { language: base.language, source: opts['compare-source'], functionName: opts.compare, label: `${opts.compare} (source)`, origin: 'model' };
      else {
        const m = /^(.*):([A-Za-z_$][\w$]*)$/.exec(opts.compare);
        candidate = m ? target(m[1], m[2]) : target(file, opts.compare);
      }
      const result = await compareFunctions(base, candidate, options, { signal: ac.signal, onProgress });
      warnIfUnsandboxed(result.candidate);
      if (format === 'json') process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else process.stdout.write((format === 'markdown' ? compareToMarkdown(result) : compareToText(result)) + '\n');
      return result.verdict === 'rejected' || result.verdict === 'flagged' ? 1 : 0;
    }
    const result = await benchmarkFunction(base, options, { signal: ac.signal, onProgress });
    warnIfUnsandboxed(result);
    // Nothing finished (a function that never returns, or one far slower than the per-call limit
    // at the smallest size): there is no curve, so there is no complexity to report.
    if (!result.points.some((p) => !p.censored)) {
      const why = `no input size finished within the limits (${result.fit.notes.join('; ')}), so there is no complexity to report: does ${name} return?`;
      if (format === 'json') process.stdout.write(JSON.stringify({ ...result, complexity: null, fit: { ...result.fit, complexity: null }, error: why }, null, 2) + '\n');
      process.stderr.write(`hotpath bench: ${why}\n`);
      return 2;
    }
    if (format === 'json') process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else process.stdout.write((format === 'markdown' ? toMarkdown(result) : toText(result)) + '\n');
    return 0;
  } catch (e) {
    if (e instanceof ExecutionError) {
      process.stderr.write(`hotpath bench: ${e.message}\n${e.detail ? `${e.detail.trimEnd()}\n` : ''}`);
      return 2;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
