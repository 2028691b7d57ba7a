// What a DocumentAnalysis is asked to do (analysis/document.ts) and the statistics it keeps.

export interface AnalysisOptions {
  /** Per-unit time budget of the rules, in milliseconds (default UNIT_BUDGET_MS). */
  unitBudgetMs?: number;
  /** The clock for that budget (default: this process's CPU time; tests give a manual one). */
  clock?: () => number;
  /**
   * In an update, how many dependents (units whose text did not change but a module binding or
   * mention they depend on did) are re-analysed at once; the rest keep their findings until
   * `finishDependents` (the editor does it in the background and publishes again). Default: all.
   */
  dependentsAtOnce?: number;
  /**
   * How many units whose text is new (all of them when a file is opened) are analysed at once; the
   * rest wait, with no findings, for `finishDependents` (the editor does it in slices between other
   * messages, so opening a large file does not hold up requests about other files; see
   * `unanalysed`). Default: all.
   */
  freshAtOnce?: number;
  /**
   * How long (ms, by `clock` when given, else wall time) `finishDependents` with a finite `max` may
   * spend on the fresh parse that finishes an update through broken code (see DocumentAnalysis's
   * `reparse`) before it stops; the next call resumes it where it stopped. Default: no limit (the
   * parse is done at once). The editor sets it to its slice, so the parse never holds its event loop.
   */
  reparseSliceMs?: number;
  /** Keep the units' complexity estimates for the lenses (default true; RuleContext.keepEstimates). */
  keepEstimates?: boolean;
  /**
   * The analysis is read once and never updated (`hotpath check`, the workspace check): the units'
   * dependency keys, which only an update compares, are not built (an update would then re-analyse
   * every unit: still correct).
   */
  oneShot?: boolean;
}

export interface AnalysisStats {
  unitsTotal: number;
  unitsAnalysed: number;
  unitsReused: number;
  /** Dependents left for `finishDependents`. */
  unitsPending: number;
  parseMs: number;
  analyseMs: number;
}
