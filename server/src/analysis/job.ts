// One file's analysis as a job: a text in, everything the analysis found out, as plain data (it
// crosses a worker thread's message port and is stored in the result cache). The CLI and the
// editor's workspace check run jobs in a pool of worker threads (pool.ts) or in process; each front
// end then decides what to show (selection, suppressions, presentation).
import type { LanguageSpec } from './language';
import type { Parser } from '../parsing';
import { DocumentAnalysis } from './document';
import type { Finding, LanguageId } from './rule';

export interface AnalysisJob {
  language: LanguageId;
  text: string;
  /** The codes of the rules to run (default: every rule of the language). Findings do not depend on which other rules run. */
  rules?: readonly string[];
  /** Per-unit time budget in milliseconds (default UNIT_BUDGET_MS); benchmarks pass Infinity. */
  unitBudgetMs?: number;
}

export interface AnalysisResult {
  /** Every finding of the rules run, in document order (no selection or suppression applied). */
  findings: Finding[];
  /** Code that does not parse (analysis/document.ts InvalidSyntax; `missing` for assumed tokens). */
  syntax: { startIndex: number; endIndex: number; message: string; missing: boolean; severity?: 'information' }[];
  /** Units given up for running past the time budget: where, and the notice. */
  skipped: { startIndex: number; endIndex: number; message: string }[];
  /** Rules that threw (their findings for the unit are lost, the others' kept). */
  failures: { code: string; message: string }[];
}

/** The spec with only the given rules (all of them when `codes` is undefined). */
export function withRules(spec: LanguageSpec, codes: readonly string[] | undefined): LanguageSpec {
  if (!codes) return spec;
  const wanted = new Set(codes);
  return { ...spec, rules: spec.rules.filter((r) => wanted.has(r.code)) };
}

/** Analyse one text (what a worker does with each job it is sent). */
export function analyseJob(spec: LanguageSpec, parser: Parser, job: AnalysisJob): AnalysisResult {
  // No lenses here: the complexity rules estimate only the units they may report on.
  const doc = new DocumentAnalysis(withRules(spec, job.rules), parser, job.text, { unitBudgetMs: job.unitBudgetMs, keepEstimates: false, oneShot: true });
  try {
    return {
      findings: doc.findings(),
      syntax: doc.syntaxErrors().map((e) => ({ ...e })),
      skipped: doc.skippedUnits(),
      failures: doc.failures.map((f) => ({ code: f.code, message: String((f.error as Error)?.message ?? f.error) })),
    };
  } finally {
    doc.dispose();
  }
}
