// The execution engine's public API (docs/execution.md). Used by the `hotpath/benchmark` and
// `hotpath/compare` requests, the `hotpath bench` CLI and the verification of model-proposed
// rewrites. Every call runs user code in a separate, limited process: call it only for code the
// user trusts (in the editor: a trusted workspace).

import { loadParserFactory, type ParserFactory } from '../parsing';
import * as engine from './engine';
import type { BenchmarkOptions, BenchmarkResult, CompareResult, EquivalenceResult, FunctionTarget, RunControl } from './types';

export * from './types';
export { fitComplexity, predict, type FitPoint } from './fit';
export { summarize, ratioCi, median, mad, medianCi } from './stats';
export { topLevelFunctions, functionAt, execLanguage, type FunctionInfo } from './extract';
export { toMarkdown, toText, compareToMarkdown, compareToText } from './report';
export { hasValgrind, DEFAULT_LIMITS } from './engine';
export { resolvePython } from '../languages/python/execution';

export interface EngineOptions extends BenchmarkOptions {
  /** Parser factory to extract functions with (default: the WASM backend). */
  parsers?: ParserFactory;
}

async function parsersOf(opts: EngineOptions): Promise<ParserFactory> {
  return opts.parsers ?? loadParserFactory('wasm');
}

/** Measure a function at growing sizes and fit its complexity class. */
export async function benchmarkFunction(target: FunctionTarget, opts: EngineOptions = {}, ctl: RunControl = {}): Promise<BenchmarkResult> {
  return engine.benchmarkFunction(await parsersOf(opts), target, opts, ctl);
}

/** Check that `candidate` behaves like `baseline` (return values, argument mutations, exception types). */
export async function checkEquivalence(baseline: FunctionTarget, candidate: FunctionTarget, opts: EngineOptions = {}, ctl: RunControl = {}): Promise<EquivalenceResult> {
  return engine.checkEquivalence(await parsersOf(opts), baseline, candidate, opts, ctl);
}

/** Check equivalence, then measure both side by side: speedup per size with CIs, both classes. */
export async function compareFunctions(baseline: FunctionTarget, candidate: FunctionTarget, opts: EngineOptions = {}, ctl: RunControl = {}): Promise<CompareResult> {
  return engine.compareFunctions(await parsersOf(opts), baseline, candidate, opts, ctl);
}
