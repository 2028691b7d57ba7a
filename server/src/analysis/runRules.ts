// The rule engine: for one unit, build each rule's visitor, walk the unit's nodes once (pre-order)
// and dispatch each node to the handlers registered for its type. Rule failures are isolated: a
// rule that throws on strange code loses its own findings for that unit, never the others or the
// server. A unit whose analysis runs past its time budget is given up (no findings, `overBudget`)
// so that one pathological function cannot stall the editor.

import type { LanguageSpec } from './language';
import type { SyntaxNode } from '../parsing';
import type { ModuleSummary } from './module';
import type { Finding, Report, Rule, RuleContext, UnitContext, Visitor } from './rule';

export interface RuleFailure {
  code: string;
  error: unknown;
}

/** How long the rules may take on one unit before it is skipped (a second is ~1000× the usual). */
export const UNIT_BUDGET_MS = 2000;

export interface RunOptions {
  /** The rules to run (default: the language's). */
  rules?: readonly Rule[];
  onFailure?: (failure: RuleFailure) => void;
  /** Time budget for the unit, in milliseconds (default UNIT_BUDGET_MS). */
  budgetMs?: number;
}

export interface UnitResult {
  findings: Finding[];
  /** Set when the unit was skipped for running past its budget: the time spent when it gave up. */
  overBudgetMs?: number;
}

/** The budget is checked between nodes, every this many nodes (reading the clock costs ~50 ns). */
const CLOCK_EVERY = 64;

export function runRules(spec: LanguageSpec, source: string, unit: SyntaxNode, module: ModuleSummary, options: RunOptions = {}): UnitResult {
  const rules = options.rules ?? spec.rules;
  const budget = options.budgetMs ?? UNIT_BUDGET_MS;
  const t0 = performance.now();
  const base: UnitContext = { language: spec.id, source, unit, module, report: () => undefined };
  let facts: unknown;
  const getFacts = () => (facts ??= spec.facts(base));

  interface Active {
    rule: Rule;
    visitor: Visitor;
    findings: Finding[];
    failed: boolean;
  }
  const active: Active[] = [];
  const fail = (a: Active, error: unknown) => {
    a.failed = true;
    a.findings = [];
    options.onFailure?.({ code: a.rule.code, error });
  };
  for (const rule of rules) {
    const findings: Finding[] = [];
    const ctx: RuleContext = {
      ...base,
      get facts() {
        return getFacts();
      },
      report(r: Report) {
        findings.push({
          code: rule.code,
          severity: r.severity ?? rule.severity,
          message: r.message,
          startIndex: r.node.startIndex,
          endIndex: r.node.endIndex,
          related: (r.related ?? []).map((x) => ({ startIndex: x.node.startIndex, endIndex: x.node.endIndex, message: x.message })),
          fix: r.fix,
        });
      },
    };
    const a: Active = { rule, visitor: {}, findings, failed: false };
    active.push(a);
    try {
      a.visitor = rule.create(ctx);
    } catch (error) {
      fail(a, error);
    }
  }

  // Node type → the rules' handlers for it, in rule order.
  const dispatch = new Map<string, { a: Active; handler: (node: SyntaxNode) => void }[]>();
  for (const a of active) {
    if (a.failed) continue;
    for (const [type, handler] of Object.entries(a.visitor)) {
      if (!handler || type === ':unit') continue;
      let list = dispatch.get(type);
      if (!list) dispatch.set(type, (list = []));
      list.push({ a, handler });
    }
  }
  const call = (a: Active, handler: (node: SyntaxNode) => void, node: SyntaxNode) => {
    if (a.failed) return;
    try {
      handler(node);
    } catch (error) {
      fail(a, error);
    }
  };

  for (const a of active) {
    const onUnit = a.visitor[':unit'];
    if (onUnit) call(a, onUnit, unit);
  }
  let visited = 0;
  for (const node of unit.descendants()) {
    const handlers = dispatch.get(node.type);
    if (handlers) for (const { a, handler } of handlers) call(a, handler, node);
    if (++visited % CLOCK_EVERY === 0 && performance.now() - t0 > budget) return { findings: [], overBudgetMs: performance.now() - t0 };
  }
  const elapsed = performance.now() - t0;
  if (elapsed > budget) return { findings: [], overBudgetMs: elapsed };
  return { findings: active.flatMap((a) => a.findings) };
}

/** Findings in document order, then by code: the order every output uses. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.startIndex - b.startIndex || a.endIndex - b.endIndex || a.code.localeCompare(b.code) || a.message.localeCompare(b.message);
}
