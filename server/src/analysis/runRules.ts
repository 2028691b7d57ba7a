// The rule engine: for one unit, build each rule's visitor, go through the unit's nodes once in
// pre-order (UnitContext.nodes) and dispatch each node to the handlers registered for its type. Rule failures are isolated: a
// rule that throws on strange code loses its own findings for that unit, never the others or the
// server. A unit whose analysis runs past its time budget is given up (no findings, `overBudget`)
// so that one pathological function cannot stall the editor: the budget is checked between nodes,
// and inside long computations (the complexity estimate) through the context's `deadline`, whose
// OverBudget no rule's failure handling swallows.

import { readFileSync } from 'node:fs';
import type { FunctionEstimate } from '../complexity';
import { OverBudget, TimeBudget, type Deadline } from '../complexity/deadline';
import { UnitFacts } from './facts';
import type { LanguageSpec } from './language';
import type { SyntaxNode } from '../parsing';
import { opaqueLiteralsOf } from '../parsing/opaque';
import type { ModuleSummary } from './module';
import type { Finding, Report, Rule, RuleContext, Visitor } from './rule';

export interface RuleFailure {
  code: string;
  error: unknown;
}

/**
 * How much CPU time the rules may take on one unit before it is skipped (the usual is well under a
 * millisecond; the slowest unit of the 3.11 stdlib a few tens). CPU time, not wall time: a loaded
 * machine must not make the output depend on the load.
 */
export const UNIT_BUDGET_MS = 2000;

/**
 * This thread's CPU time in milliseconds: on Linux the thread's own (/proc/thread-self/stat, 10 ms
 * ticks), so that analyses in parallel worker threads do not count each other's time; elsewhere the
 * process's.
 */
export function cpuMs(): number {
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync('/proc/thread-self/stat', 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14 and 15 of stat(5) (utime, stime in 1/100 s), counted from the state field (3).
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      /* no /proc: the process's time below */
    }
  }
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** How stale the CPU reading a unit starts from may be (see `cpuAtStart`). */
const ANCHOR_MS = 100;
let anchor = { wall: -Infinity, cpu: 0 };

/**
 * The CPU time at a unit's start, cheaply: a reading at most ANCHOR_MS of wall time old (a unit is
 * usually far shorter than one clock read). It can only be lower than the true start, so a unit's
 * time is overestimated by at most ANCHOR_MS of CPU.
 */
function cpuAtStart(wall: number): number {
  if (wall - anchor.wall > ANCHOR_MS) anchor = { wall, cpu: cpuMs() };
  return anchor.cpu;
}

/**
 * A unit's time budget, starting now: CPU time (`cpuMs`) unless a clock is given (tests). The
 * budget is CPU time; a thread cannot spend more CPU than wall time, so the CPU clock (a system
 * call) is read only once the wall clock says the budget may have been passed.
 */
export function unitDeadline(budgetMs: number, now?: () => number): TimeBudget {
  // A given clock (tests' counters) is read at every check, so that a test can say exactly where a unit stops.
  if (now) return new TimeBudget({ budgetMs, now, every: 1 });
  const wall0 = performance.now();
  return new TimeBudget({ budgetMs, now: cpuMs, start: cpuAtStart(wall0), mayBeOver: () => performance.now() - wall0 > budgetMs });
}

export interface RunOptions {
  /** The rules to run (default: the language's). */
  rules?: readonly Rule[];
  onFailure?: (failure: RuleFailure) => void;
  /** Time budget for the unit, in milliseconds (default UNIT_BUDGET_MS). */
  budgetMs?: number;
  /** The clock the budget is measured with (default cpuMs; tests give a manual one). */
  now?: () => number;
  /** RuleContext.keepEstimates (default true). */
  keepEstimates?: boolean;
  /** The unit's nodes in pre-order (UnitContext.nodes), when the caller listed them already; default `unit.descendants()`. */
  nodes?: readonly SyntaxNode[];
}

export interface UnitResult {
  findings: Finding[];
  /** The unit's complexity estimates, when a rule asked for them (kept for the editor's lenses). */
  estimates?: FunctionEstimate[];
  /** Set when the unit was skipped for running past its budget: the time spent when it gave up. */
  overBudgetMs?: number;
}

/** The budget is checked between nodes, every this many nodes (and inside computations through ctx.deadline). */
const CLOCK_EVERY = 64;

export function runRules(spec: LanguageSpec, source: string, unit: SyntaxNode, module: ModuleSummary, options: RunOptions = {}): UnitResult {
  const rules = options.rules ?? spec.rules;
  const budget = options.budgetMs ?? UNIT_BUDGET_MS;
  const limit = unitDeadline(budget, options.now);
  // One context for the unit, shared by its rules: `current` says whose create() or handler runs,
  // so a report is the current rule's. (Units are small and many: a context per rule per unit
  // would be most of the engine's allocations.)
  const findings: (Finding[] | undefined)[] = new Array(rules.length);
  const failed: boolean[] = new Array(rules.length).fill(false);
  const nodes = options.nodes ?? unit.descendants();
  const ctx = new UnitRun(spec, source, unit, nodes, module, options.keepEstimates ?? true, limit, rules, findings);
  const fail = (i: number, error: unknown) => {
    // Not a failure of the rule: the unit's budget is spent (thrown from inside a computation).
    if (error instanceof OverBudget) throw error;
    failed[i] = true;
    findings[i] = undefined;
    options.onFailure?.({ code: rules[i].code, error });
  };

  // Node type → the handlers for it and their rules, in rule order.
  const dispatch = dispatchTable(rules);
  // The walk does not enter opaque literals (parsing/opaque.ts): a handler for a token inside one would never run.
  const inner = opaqueLiteralsOf(spec.grammar).inner;
  try {
    for (let i = 0; i < rules.length; i++) {
      ctx.current = i;
      let visitor: Visitor;
      try {
        visitor = rules[i].create(ctx);
      } catch (error) {
        fail(i, error);
        continue;
      }
      for (const type in visitor) {
        const handler = visitor[type];
        if (!handler) continue;
        if (inner.has(type)) {
          fail(i, new Error(`${rules[i].code} visits ${type} nodes, tokens of string literals: the walk does not enter a plain string (parsing/opaque.ts)`));
          break;
        }
        if (type === ':unit') {
          try {
            handler(unit);
          } catch (error) {
            fail(i, error);
          }
          continue;
        }
        dispatch.add(type, i, handler);
      }
    }

    // One pass over the unit's nodes in pre-order (listed once per unit: UnitContext.nodes).
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n];
      const entry = dispatch.entries.get(node.type);
      if (entry && entry.count > 0) {
        for (let k = 0; k < entry.count; k++) {
          const i = entry.rules[k];
          if (failed[i]) continue;
          ctx.current = i;
          try {
            entry.handlers[k]!(node);
          } catch (error) {
            fail(i, error);
          }
        }
      }
      if ((n + 1) % CLOCK_EVERY === 0) limit.checkNow();
    }
    limit.checkNow();
    const out: Finding[] = [];
    for (const f of findings) if (f) out.push(...f);
    return { findings: out, estimates: ctx.computedEstimates() };
  } catch (error) {
    if (error instanceof OverBudget) return { findings: [], overBudgetMs: error.spentMs };
    throw error;
  } finally {
    dispatch.release();
  }
}

/**
 * The context a unit's rules share. A class, not an object literal: a literal with a getter (`facts`)
 * is a dictionary-mode object whose accessor pair V8 allocates in the old generation, and that pair,
 * dead after the unit but collected only by a full GC, pointed through the getter's closure at the
 * unit's whole syntax snapshot, so every scavenge until then copied the snapshot and then promoted it
 * (about a quarter of a check's memory traffic was kept alive this way).
 */
class UnitRun implements RuleContext {
  /** The index of the rule whose create() or handler runs (a report is that rule's). */
  current = 0;
  private factsValue: unknown;

  constructor(
    private readonly spec: LanguageSpec,
    readonly source: string,
    readonly unit: SyntaxNode,
    readonly nodes: readonly SyntaxNode[],
    readonly module: ModuleSummary,
    readonly keepEstimates: boolean,
    readonly deadline: Deadline,
    private readonly rules: readonly Rule[],
    private readonly findings: (Finding[] | undefined)[],
  ) {}

  get language(): LanguageSpec['id'] {
    return this.spec.id;
  }

  get facts(): unknown {
    return (this.factsValue ??= this.spec.facts(this));
  }

  report(r: Report): void {
    const rule = this.rules[this.current];
    (this.findings[this.current] ??= []).push({
      code: rule.code,
      severity: r.severity ?? rule.severity,
      message: r.message,
      startIndex: r.node.startIndex,
      endIndex: r.node.endIndex,
      related: (r.related ?? []).map((x) => ({ startIndex: x.node.startIndex, endIndex: x.node.endIndex, message: x.message })),
      fix: r.fix,
    });
  }

  /** The estimates the rules' facts computed, if any (kept for the editor's lenses). */
  computedEstimates(): FunctionEstimate[] | undefined {
    return this.factsValue instanceof UnitFacts ? this.factsValue.computedEstimates() : undefined;
  }
}

/** The handlers for one node type, in rule order: the first `count` slots are this unit's. */
interface DispatchEntry {
  count: number;
  rules: number[];
  handlers: (((node: SyntaxNode) => void) | undefined)[];
}

/**
 * Node type → handlers. Units are small and many: the table of the previous
 * unit with the same rule list is reused (see `dispatchTable`), its arrays keeping their capacity:
 * an array emptied by `length = 0` gives its storage back and grows again on the next unit's first
 * push (that regrowth, for every node type the rules visit, was most of what a unit's run allocated).
 */
class DispatchTable {
  readonly entries = new Map<string, DispatchEntry>();

  constructor(private readonly rules: readonly Rule[]) {}

  add(type: string, rule: number, handler: (node: SyntaxNode) => void): void {
    let entry = this.entries.get(type);
    if (!entry) this.entries.set(type, (entry = { count: 0, rules: [], handlers: [] }));
    entry.rules[entry.count] = rule;
    entry.handlers[entry.count++] = handler;
  }

  /**
   * Empty the table and offer it to the next unit with the same rules. The slots are cleared, not
   * just counted out: a kept table outlives many units, and references from it to their handlers and
   * nodes would keep those alive through every scavenge.
   */
  release(): void {
    for (const entry of this.entries.values()) {
      entry.handlers.fill(undefined, 0, entry.count);
      entry.count = 0;
    }
    spareRules = this.rules;
    spareTable = this;
  }
}

/** The table of the last rule list, kept between units while no unit uses it (emptied on release). */
let spareRules: readonly Rule[] | undefined;
let spareTable: DispatchTable | undefined;

/**
 * An empty dispatch table for these rules: the previous unit's when it had the same rule list (a
 * nested run, while that one is in use, gets a table of its own).
 */
function dispatchTable(rules: readonly Rule[]): DispatchTable {
  const reused = spareRules === rules ? spareTable : undefined;
  spareRules = spareTable = undefined;
  return reused ?? new DispatchTable(rules);
}

/** Findings in document order, then by code: the order every output uses. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.startIndex - b.startIndex || a.endIndex - b.endIndex || a.code.localeCompare(b.code) || a.message.localeCompare(b.message);
}
