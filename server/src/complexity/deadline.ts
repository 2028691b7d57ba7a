// A time budget that long computations check inside their own loops. The rule runner checks its
// unit's budget between syntax nodes, but one handler can run far past it there: the complexity
// estimate of a generated parser's function resolved long assignment chains for 30 s and more
// before the runner saw the clock again (graphlib-dot 0.6.4's lib/dot-grammar.js). The estimator
// calls `check()` in its inner loops; once the budget is spent it throws OverBudget, which the rule
// runner (analysis/runRules.ts) and the editor's lenses (analysis/document.ts) turn into a skipped unit.

/** Thrown by `Deadline.check` once the budget is spent; carries the time spent when it stopped. */
export class OverBudget extends Error {
  constructor(readonly spentMs: number) {
    super(`over the time budget (${Math.round(spentMs)} ms spent)`);
    this.name = 'OverBudget';
  }
}

export interface Deadline {
  /** Throws OverBudget when the budget is spent (it reads the clock only every so many calls). */
  check(): void;
}

/** No budget: `check` never throws. */
export const NO_DEADLINE: Deadline = { check() {} };

export interface DeadlineOptions {
  /** The budget, in the clock's milliseconds. */
  budgetMs: number;
  /** The clock the budget is measured with (CPU time in use; tests give a counter). */
  now: () => number;
  /** The clock's reading at the start (default: now()). */
  start?: number;
  /**
   * A cheap test that the budget may have been passed, asked before the clock is read (the rule
   * runner gives "the wall clock says so": a thread cannot spend more CPU than wall time, and the
   * CPU clock is a system call). Default: always.
   */
  mayBeOver?: () => boolean;
  /** Read the clock every this many checks (default 256). */
  every?: number;
}

/** A budget that starts now (or at `start`). */
export class TimeBudget implements Deadline {
  private readonly budgetMs: number;
  private readonly now: () => number;
  private readonly mayBeOver: () => boolean;
  private readonly every: number;
  private readonly start: number;
  private calls = 0;

  constructor(o: DeadlineOptions) {
    this.budgetMs = o.budgetMs;
    this.now = o.now;
    this.mayBeOver = o.mayBeOver ?? (() => true);
    this.every = Math.max(1, o.every ?? 256);
    this.start = o.start ?? o.now();
  }

  check(): void {
    if (++this.calls % this.every !== 0) return;
    this.checkNow();
  }

  /** Read the clock now (not only every so many checks): throws OverBudget when the budget is spent. */
  checkNow(): void {
    if (!this.mayBeOver()) return;
    const spent = this.spentMs();
    if (spent > this.budgetMs) throw new OverBudget(spent);
  }

  /** The time spent since the start, by the budget's clock. */
  spentMs(): number {
    return this.now() - this.start;
  }
}
