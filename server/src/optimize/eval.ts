// `hotpath eval optimize`: the optimize pipeline (optimizeFunction: prompt → model → candidate →
// the execution verifier) over the slow functions of bench/optimize/ (Python and JavaScript), with
// real model output: how many candidates the model wrote, how many parse as the function, how many
// behave like the original on generated inputs, how many are verified faster and by how much, and
// the time per function. The oracle row puts each pair's known fast version through the same
// verifier: what it accepts at best on this machine.
import type { ModelEngine } from '../model/engine';
import type { ParserFactory } from '../parsing';
import type { Pair } from './pairs';
import { optimizeFunction } from './pipeline';
import { FixedCandidateSource, ModelCandidateSource, type CandidateSource } from './sources';
import type { Outcome } from './types';

export interface OptimizeEvalOptions {
  rounds?: number;
  candidates?: number;
  maxTokens?: number;
  /** Time budget of each verification's size sweep (ms). */
  budgetMs?: number;
  onFunction?: (pair: Pair, outcomes: Outcome[], ms: number) => void;
  signal?: AbortSignal;
}

export interface FunctionRow {
  pair: string;
  language: string;
  candidates: number;
  parsed: number;
  equivalent: number;
  verified: number;
  bestSpeedup?: number;
  seconds: number;
  /** Why each candidate was rejected (kind: count). */
  rejections: Record<string, number>;
}

export interface OptimizeEvalRow {
  name: string;
  functions: number;
  candidates: number;
  /** Candidates that parse and define the function with the same parameters. */
  parseRate: number;
  /** Of the parsed candidates that differ from the original: the share that behaved the same. */
  equivalenceRate: number;
  /** Candidates verified equivalent and faster; functions with at least one. */
  verified: number;
  functionsImproved: number;
  medianSpeedup?: number;
  secondsPerFunction: number;
  perFunction: FunctionRow[];
}

const isModelOutcome = (o: Outcome) => !o.candidate.origin.startsWith('rule ');

function median(xs: number[]): number | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function evalOptimize(name: string, parsers: ParserFactory, pairs: Pair[], source: (pair: Pair) => CandidateSource, o: OptimizeEvalOptions = {}): Promise<OptimizeEvalRow> {
  const perFunction: FunctionRow[] = [];
  for (const pair of pairs) {
    if (o.signal?.aborted) throw new Error('cancelled');
    const t0 = Date.now();
    const r = await optimizeFunction(
      parsers,
      { language: pair.language, source: pair.source, functionName: pair.functionName, file: pair.file },
      source(pair),
      { rounds: o.rounds ?? 1, candidates: o.candidates ?? 2, ruleFixes: false, measure: false, budgetMs: o.budgetMs ?? 1500 },
      { signal: o.signal },
    );
    const outs = r.outcomes.filter(isModelOutcome);
    const rejections: Record<string, number> = {};
    for (const x of outs) if (!x.verification.accepted) rejections[x.verification.kind ?? 'other'] = (rejections[x.verification.kind ?? 'other'] ?? 0) + 1;
    const parsed = outs.filter((x) => x.verification.kind !== 'parse' && x.verification.kind !== 'signature');
    const checked = parsed.filter((x) => x.verification.kind !== 'unchanged' && x.verification.kind !== 'duplicate');
    const equivalent = checked.filter((x) => x.verification.kind !== 'not-equivalent' && x.verification.kind !== 'error');
    const verified = outs.filter((x) => x.verification.accepted);
    const speedups = verified.map((x) => x.verification.summary?.speedup ?? 0);
    const ms = Date.now() - t0;
    perFunction.push({
      pair: pair.id,
      language: pair.language,
      candidates: outs.length,
      parsed: parsed.length,
      equivalent: equivalent.length,
      verified: verified.length,
      bestSpeedup: speedups.length ? Math.max(...speedups) : undefined,
      seconds: ms / 1000,
      rejections,
    });
    o.onFunction?.(pair, outs, ms);
  }
  const sum = (k: 'candidates' | 'parsed' | 'equivalent' | 'verified') => perFunction.reduce((s, f) => s + f[k], 0);
  const checked = perFunction.reduce((s, f) => s + f.parsed - (f.rejections.unchanged ?? 0) - (f.rejections.duplicate ?? 0), 0);
  return {
    name,
    functions: perFunction.length,
    candidates: sum('candidates'),
    parseRate: sum('candidates') ? sum('parsed') / sum('candidates') : 0,
    equivalenceRate: checked ? sum('equivalent') / checked : 0,
    verified: sum('verified'),
    functionsImproved: perFunction.filter((f) => f.verified > 0).length,
    medianSpeedup: median(perFunction.filter((f) => f.bestSpeedup !== undefined).map((f) => f.bestSpeedup!)),
    secondsPerFunction: perFunction.reduce((s, f) => s + f.seconds, 0) / Math.max(1, perFunction.length),
    perFunction,
  };
}

/** Candidates from a model (embedded or remote), as `hotpath optimize` asks for them. */
export function modelSource(engine: ModelEngine, maxTokens: number): (pair: Pair) => CandidateSource {
  const source = new ModelCandidateSource(async () => engine, { maxTokens }, 'model');
  return () => source;
}

/** The oracle: each pair's known fast version as the only candidate. */
export function oracleSource(pair: Pair): CandidateSource {
  const fast = pair.variants.find((v) => v.label === 'fast');
  return new FixedCandidateSource([[fast ? fast.code : '']], 'oracle');
}
