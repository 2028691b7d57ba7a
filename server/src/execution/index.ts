// The execution engine's public API (docs/execution.md). Used by the `hotpath/benchmark` and
// `hotpath/compare` requests, the `hotpath bench` CLI and the verification of model-proposed
// rewrites. Every call runs user code in a separate, isolated and limited process: call it only
// for code the user asked to run (in the editor: a trusted workspace). The caller passes the
// language plug-ins (`languages`), so the engine never imports languages/.

import { loadParserFactory, type ParserFactory } from '../parsing';
import * as engine from './engine';
import type { EngineEnv, LanguageResolver } from './language';
import type { BenchmarkOptions, BenchmarkResult, CompareResult, EquivalenceResult, FunctionTarget, RunControl } from './types';

export type { EngineEnv, ExecutionLanguage, LanguageResolver } from './language';

export * from './types';
export { fitComplexity, predict, stabilityVerdict, type FitPoint } from './fit';
export { summarize, ratioCi, median, mad, medianCi } from './stats';
export { topLevelFunctions, functionAt, generatorStubFor, NoInputError, type FunctionInfo, type GeneratorStub } from './extract';
export { toMarkdown, toText, compareToMarkdown, compareToText } from './report';
export { hasValgrind, DEFAULT_LIMITS } from './engine';

export interface EngineOptions extends BenchmarkOptions {
  /** Parser factory to extract functions with (default: the WASM backend). */
  parsers?: ParserFactory;
  /** The language plug-ins (languages/'s languageById): extraction, harness, static estimate. */
  languages: LanguageResolver;
}

async function envOf(opts: EngineOptions): Promise<EngineEnv> {
  return { parsers: opts.parsers ?? (await loadParserFactory('wasm')), languages: opts.languages };
}

/** Measure a function at growing sizes and fit its complexity class. */
export async function benchmarkFunction(target: FunctionTarget, opts: EngineOptions, ctl: RunControl = {}): Promise<BenchmarkResult> {
  return engine.benchmarkFunction(await envOf(opts), target, opts, ctl);
}

/** Check that `candidate` behaves like `baseline` (return values, argument mutations, global state, exception types). */
export async function checkEquivalence(baseline: FunctionTarget, candidate: FunctionTarget, opts: EngineOptions, ctl: RunControl = {}): Promise<EquivalenceResult> {
  return engine.checkEquivalence(await envOf(opts), baseline, candidate, opts, ctl);
}

/** Check equivalence, then measure both side by side: speedup per size with CIs, both classes. */
export async function compareFunctions(baseline: FunctionTarget, candidate: FunctionTarget, opts: EngineOptions, ctl: RunControl = {}): Promise<CompareResult> {
  return engine.compareFunctions(await envOf(opts), baseline, candidate, opts, ctl);
}
