// `hotpath optimize FILE --function NAME`: diagnose the function, ask the local model for candidate
// rewrites, verify each by execution (equivalence, then speed with CIs), refine with the
// measurements for a few rounds, print what was verified and why the others were rejected.
// Nothing is written to FILE: the verified rewrite is printed (text) or returned (json).
import { resolve } from 'node:path';
import { MAX_NAMED_SOURCE_BYTES, readRegularText } from '../analysis/regularFile';
import type { FunctionTarget } from '../execution';
import { execLanguage } from '../languages';
import { defaultThreads } from '../model/config';
import type { EngineConfig, ModelEngine } from '../model/engine';
import { checkModelFile } from '../model/embedded/engine';
import { createEngine } from '../model/index';
import { ensureTestModel } from '../model/testModel';
import { loadParserFactory } from '../parsing';
import { candidatesFromEnv, ModelCandidateSource, optimizeFunction, resultToText, type CandidateSource, type OptimizeResult } from '../optimize';
import { parseFileArgs, UsageError } from './args';

export const usage = `Usage: hotpath optimize FILE --function NAME [options]

Asks the model for faster rewrites of a top-level function and keeps only those verified by running
them: the same return values, argument mutations and exception types as the original on generated
inputs (n = 0 … 4096), and faster beyond the noise (lower 95% CI bound of the speedup > 1.1 at the
largest size both finished, never below 0.9 where the original takes ≥ 1 ms per call). Measurements and
counterexamples go back to the model for the next round. FILE is never modified.

  --function NAME        the top-level function (required)
  --rounds N             generate → verify → feed back rounds (default 2)
  --candidates K         candidates per round (default 3)
  --model PATH           GGUF model for the embedded engine (default $HOTPATH_MODEL)
  --test-model           the generated random-weight test model (its output is noise)
  --remote URL           an OpenAI-compatible /v1/completions server instead
  --remote-model NAME    model name for the remote server
  --max-tokens N         tokens per candidate (default 384)
  --context N            context size (default 2048)
  --threads N            evaluation threads (default cores - 1 = ${defaultThreads()})
  --budget MS            time budget of each verification's size sweep (default 2000; compare uses 2×)
  --no-measure           do not measure the function before round 1 (the curve is part of the prompt)
  --no-rule-fixes        do not verify the rule catalog's fixes as candidates
  --instructions         compare instruction counts (callgrind; Python) instead of time
  --format text|json     (default text)
  --quiet                no progress on stderr

Exit status: 0 a rewrite was verified, 1 none was, 2 errors.`;

const FLAGS = new Set(['test-model', 'no-measure', 'no-rule-fixes', 'instructions', 'quiet']);
const KNOWN = new Set([...FLAGS, 'function', 'rounds', 'candidates', 'model', 'remote', 'remote-model', 'max-tokens', 'context', 'threads', 'budget', 'format']);

function positive(opts: Record<string, string | boolean>, key: string, fallback: number): number {
  const v = opts[key];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < 1) throw new UsageError(`--${key} must be a positive integer`);
  return n;
}

/** The JSON form: the result without the full benchmark objects (speedups per size are kept). */
export function resultToJson(r: OptimizeResult): unknown {
  return {
    ...r,
    outcomes: r.outcomes.map((o) => ({
      ...o,
      verification: { ...o.verification, compare: undefined, speedups: o.verification.compare?.speedups.map((p) => ({ n: p.n, speedup: p.speedup, ciLow: p.ciLow, ciHigh: p.ciHigh })) },
    })),
    best: r.best ? { ...r.best, verification: { ...r.best.verification, compare: undefined } } : undefined,
  };
}

export async function run(argv: string[]): Promise<number> {
  const { file, opts } = parseFileArgs(argv, FLAGS, KNOWN);
  if (!file) throw new UsageError('no FILE');
  const name = opts.function;
  if (typeof name !== 'string') throw new UsageError('--function NAME is required');
  const format = (opts.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
  const path = resolve(file);
  const language = execLanguage(path);
  if (!language) throw new UsageError(`${file}: not a Python, JavaScript or TypeScript file`);
  let text: string;
  try {
    text = readRegularText(path, MAX_NAMED_SOURCE_BYTES);
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const target: FunctionTarget = { language, source: text, functionName: name, file: path };
  const rounds = positive(opts, 'rounds', 2);
  const candidates = positive(opts, 'candidates', 3);
  const quiet = opts.quiet === true || format === 'json';

  let engine: ModelEngine | undefined;
  let source: CandidateSource | undefined = candidatesFromEnv(name);
  if (!source) {
    const remote = typeof opts.remote === 'string' ? opts.remote : undefined;
    let modelPath = typeof opts.model === 'string' ? opts.model : process.env.HOTPATH_MODEL;
    if (opts['test-model']) modelPath = await ensureTestModel();
    if (!remote && !modelPath) throw new UsageError('give --model PATH, --test-model or --remote URL (or set HOTPATH_MODEL)');
    // A missing or unusable model file is refused before anything runs (exit 2), as model-bench does,
    // not after the measurement and the rule fixes have run the code.
    if (!remote) checkModelFile(modelPath);
    const config: EngineConfig = {
      backend: remote ? 'remote' : 'embedded',
      modelPath,
      gpu: 'auto',
      gpuLayers: 'auto',
      contextSize: positive(opts, 'context', 2048),
      threads: positive(opts, 'threads', defaultThreads()),
      idleUnloadMs: 0,
      fimTemplate: 'auto',
      remote: remote
        ? { baseUrl: remote, model: String(opts['remote-model'] ?? ''), apiKey: process.env.HOTPATH_API_KEY ?? process.env.OPENAI_API_KEY, timeoutMs: 120_000, retries: 1, cachePrompt: true }
        : undefined,
    };
    const e = createEngine(config, { log: (m) => !quiet && console.error(m) });
    engine = e;
    source = new ModelCandidateSource(async () => e, { maxTokens: positive(opts, 'max-tokens', 384) });
  }
  const ac = new AbortController();
  const onSignal = () => ac.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const parsers = await loadParserFactory('auto');
    let last = '';
    const result = await optimizeFunction(
      parsers,
      target,
      source,
      {
        rounds,
        candidates,
        budgetMs: opts.budget !== undefined ? positive(opts, 'budget', 2000) : 2000,
        measure: !opts['no-measure'],
        ruleFixes: !opts['no-rule-fixes'],
        metric: opts.instructions ? 'instructions' : 'time',
      },
      {
        signal: ac.signal,
        onStep: quiet
          ? undefined
          : (m) => {
              if (m !== last) process.stderr.write(`  ${m}\n`);
              last = m;
            },
      },
    );
    console.log(format === 'json' ? JSON.stringify(resultToJson(result), null, 2) : resultToText(result));
    return result.best ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await engine?.dispose();
  }
}
