// A document's complexity estimates for the editor (code lenses), incremental like its findings.
//   - A function's own estimate (what HP301/HP302 report: calls into other units count as unknown)
//     is kept per unit, taken from the complexity rules' run or computed once when no such rule ran,
//     and shifted with the unit, like its findings, when edits elsewhere move it.
//   - Its estimate with its calls in this file followed is computed on demand: from the units its
//     unit's calls can reach (by name, transitively: the units defining any name the reached units
//     mention, property names included), not from the whole file. It is kept until one of those units
//     changes, and its offsets (the chain may run through other units) follow each unit as it moves.
//     In call cycles what a function sees of another depends on which of them was estimated first:
//     there the result can differ from a whole-file pass (and between sessions) — see bench/speed.md
//     for how often on real code.
// Summaries hold no syntax nodes: a document keeps no tree snapshot for its lenses.
// Each function's estimate with calls has a unit's time budget (its callees' estimates included):
// past it, the functions whose calls reach the one that overran keep their own estimates, and the
// others are estimated by a fresh estimator (see `withCallsOf`).
import { OverBudget, type Deadline } from '../complexity/deadline';
import { Estimator, type FunctionEstimate } from '../complexity/estimate';
import type { ComplexityAdapter } from '../complexity/adapter';
import type { Cost, Naming } from '../complexity/cost';
import type { SyntaxNode } from '../parsing';

/** Run a generator to its end (the synchronous use of the yielding computations below). */
export function run<T>(g: Generator<void, T>): T {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

/** One function's estimate without its syntax: what a lens shows. */
export interface EstimateSummary {
  name: string;
  /** The function's extent and the place its lens points at (its name). */
  startIndex: number;
  endIndex: number;
  anchorIndex: number;
  cost: Cost;
  naming: Naming;
  display: string;
}

export function summarize(est: FunctionEstimate): EstimateSummary {
  const s = est.shape;
  return { name: est.name, startIndex: s.node.startIndex, endIndex: s.node.endIndex, anchorIndex: (s.nameNode ?? s.node).startIndex, cost: est.cost, naming: est.naming, display: est.display };
}

/** The summary with every offset (extent, chain steps, notes) moved by `move`. */
export function relocate(s: EstimateSummary, move: (offset: number) => number): EstimateSummary {
  return {
    ...s,
    startIndex: move(s.startIndex),
    endIndex: move(s.endIndex),
    anchorIndex: move(s.anchorIndex),
    cost: {
      ...s.cost,
      terms: s.cost.terms.map((t) => ({ ...t, chain: t.chain.map((step) => ({ ...step, startIndex: move(step.startIndex), endIndex: move(step.endIndex) })) })),
      notes: s.cost.notes.map((n) => ({ ...n, startIndex: move(n.startIndex), endIndex: move(n.endIndex) })),
    },
  };
}

/** What the estimates need to know of a document's units (DocumentAnalysis gives it). */
export interface UnitView {
  readonly startIndex: number;
  readonly endIndex: number;
  /** Changes whenever the unit's text changes (a unit only moved keeps it). */
  readonly generation: number;
  /** Every name the unit mentions, property names included (what its calls may name). */
  readonly mentions: ReadonlySet<string>;
}

export interface EstimateSource {
  readonly complexity: ComplexityAdapter;
  units(): readonly UnitView[];
  /** Own estimates of the unit's named functions, at current offsets. */
  ownEstimates(unit: UnitView): EstimateSummary[];
  /** The units' syntax on the current tree. */
  snapshotUnits(units: readonly UnitView[]): SyntaxNode[];
  /** A unit's time budget, starting now (one for each function estimated with its calls). */
  deadline(): Deadline;
}

interface WithCalls {
  /** The generations of the units it was computed from. */
  stamp: string;
  estimate: EstimateSummary;
  /** Where each of those units started when it was computed (to follow them as they move). */
  layout: { unit: UnitView; start: number; end: number }[];
}

export class FileEstimates {
  /** By unit, then by the function's offset within its unit. */
  private readonly withCallsCache = new WeakMap<UnitView, Map<number, WithCalls>>();
  /** Who defines which name, and what each unit reaches, for one set of units (their generations). */
  private graph: { key: string; definers: Map<string, UnitView[]>; reached: Map<UnitView, { closure: UnitView[]; stamp: string }> } | undefined;

  constructor(private readonly source: EstimateSource) {}

  /** Every named function's own estimate, in document order, with its unit. */
  all(): { unit: UnitView; own: EstimateSummary }[] {
    return this.source.units().flatMap((unit) => this.source.ownEstimates(unit).map((own) => ({ unit, own })));
  }

  /**
   * The estimate with the calls into other units of this file followed, or the own estimate when the
   * function's unit mentions no function another unit defines (calls add nothing then).
   */
  withCalls(unit: UnitView, own: EstimateSummary): EstimateSummary {
    return run(this.withCallsOf([{ unit, own }]))[0];
  }

  /**
   * The estimates with calls of several functions, computed together: one estimator over the units
   * their calls reach (for those not cached), its functions estimated in document order as the
   * whole-file pass did, and every result kept whose function's unit reaches only units of that set
   * (later requests, and a request cancelled halfway, keep what was done). A generator that yields
   * between functions, so that a caller can spread the work over the event loop. A function whose
   * estimate runs past its budget, and every target whose calls reach its unit, keep their own
   * estimates (kept too, so that the next request does not spend the budget again until one of their
   * units changes); the other targets not done yet are estimated by a fresh estimator (review 11 S5:
   * what a function's lens shows must not depend on which other lenses were asked for with it).
   * The cost of that (review 12 M2, kept rather than capped, since a cap would bring S5 back): a
   * request whose targets reach k functions that each run past the budget spends up to k budgets,
   * and each fresh estimator redoes the functions an earlier one finished without keeping (those
   * whose unit reaches beyond the set). It ends: every round keeps or drops at least one target, and
   * it yields between functions, so the editor's event loop is not held. The unit blamed for an
   * overrun is that of the function being estimated when the budget ran out, not of the callee whose
   * walk took the time: a target that reaches only that callee overruns again in the next round
   * (and is then kept with its own estimate).
   */
  *withCallsOf(targets: readonly { unit: UnitView; own: EstimateSummary }[]): Generator<void, EstimateSummary[]> {
    const out: (EstimateSummary | undefined)[] = [];
    // Each target's reach, computed once for the request (the caller stops at an edit: codeLens.ts).
    const todo: { i: number; unit: UnitView; own: EstimateSummary; closure: UnitView[]; stamp: string }[] = [];
    for (const [i, { unit, own }] of targets.entries()) {
      if (i % 64 === 63) yield;
      const { closure, stamp } = this.reach(unit);
      if (closure.length === 1) {
        out[i] = own;
        continue;
      }
      const cached = this.cached(unit, own.startIndex, stamp);
      if (cached) out[i] = cached;
      else todo.push({ i, unit, own, closure, stamp });
    }
    // An overrun ends an estimator (its state is not usable after it): the targets whose calls reach
    // the function that overran keep their own estimates, the others are estimated by a fresh one.
    for (let left = todo; left.length > 0; ) {
      const overran = yield* this.estimateTogether(left);
      if (overran) {
        for (const { unit, own, closure, stamp } of left) {
          if (closure.includes(overran) && !this.cached(unit, own.startIndex, stamp)) this.store(unit, own.startIndex, { stamp, estimate: own, layout: closure.map((u) => ({ unit: u, start: u.startIndex, end: u.endIndex })) });
        }
      }
      left = overran ? left.filter((t) => !this.cached(t.unit, t.own.startIndex, t.stamp)) : [];
    }
    for (const t of todo) out[t.i] = this.cached(t.unit, t.own.startIndex, t.stamp) ?? t.own;
    return out as EstimateSummary[];
  }

  /**
   * One estimator over the units the targets' calls reach, its functions estimated in document order,
   * each result kept whose unit reaches only units of that set; the unit whose function ran past its
   * budget, if one did (the estimator stops there).
   */
  private *estimateTogether(todo: readonly { closure: UnitView[] }[]): Generator<void, UnitView | undefined> {
    const union = new Set(todo.flatMap((t) => t.closure));
    const roots = this.source.units().filter((u) => union.has(u));
    // The estimator checks the current function's budget (a new one for each function).
    let budget = this.source.deadline();
    const estimator = new Estimator(this.source.complexity, this.source.snapshotUnits(roots), { check: () => budget.check() });
    let r = 0;
    const keeps = new Map<UnitView, { stamp: string; layout: WithCalls['layout'] } | null>();
    let unit: UnitView | undefined;
    try {
      for (const shape of estimator.functions()) {
        while (r < roots.length - 1 && roots[r].endIndex < shape.node.startIndex) r++;
        unit = roots[r];
        let keep = keeps.get(unit);
        if (keep === undefined) {
          const { closure, stamp } = this.reach(unit);
          keep = closure.every((u) => union.has(u)) ? { stamp, layout: closure.map((u) => ({ unit: u, start: u.startIndex, end: u.endIndex })) } : null;
          keeps.set(unit, keep);
        }
        budget = this.source.deadline();
        if (keep) this.store(unit, shape.node.startIndex, { ...keep, estimate: summarize(estimator.estimate(shape)) });
        else estimator.estimate(shape);
        yield;
      }
      return undefined;
    } catch (error) {
      if (!(error instanceof OverBudget)) throw error;
      // Past its budget before the first function (the snapshot itself): every root may be the cause.
      return unit ?? roots[0];
    }
  }

  /** The kept estimate with calls of the function at `start` in `unit`, if its reached units are unchanged (at current offsets). */
  private cached(unit: UnitView, start: number, stamp: string): EstimateSummary | undefined {
    const entry = this.withCallsCache.get(unit)?.get(start - unit.startIndex);
    return entry && entry.stamp === stamp ? this.follow(entry) : undefined;
  }

  private store(unit: UnitView, start: number, entry: WithCalls): void {
    let byOffset = this.withCallsCache.get(unit);
    if (!byOffset) this.withCallsCache.set(unit, (byOffset = new Map()));
    byOffset.set(start - unit.startIndex, entry);
  }

  /** The call graph of the current units (rebuilt when a unit changed, appeared or went). */
  private currentGraph(): NonNullable<FileEstimates['graph']> {
    const units = this.source.units();
    const key = units.map((u) => u.generation).join(',');
    if (this.graph?.key === key) return this.graph;
    const definers = new Map<string, UnitView[]>();
    for (const u of units) {
      for (const e of this.source.ownEstimates(u)) {
        const list = definers.get(e.name);
        if (!list) definers.set(e.name, [u]);
        else if (list[list.length - 1] !== u) list.push(u);
      }
    }
    return (this.graph = { key, definers, reached: new Map() });
  }

  /** The units a function of `unit` can reach through calls by name (in document order), and their generations. */
  private reach(unit: UnitView): { closure: UnitView[]; stamp: string } {
    const graph = this.currentGraph();
    const known = graph.reached.get(unit);
    if (known) return known;
    const reached = new Set<UnitView>([unit]);
    const queue = [unit];
    while (queue.length > 0) {
      const u = queue.pop()!;
      for (const name of u.mentions) {
        for (const d of graph.definers.get(name) ?? []) {
          if (reached.has(d)) continue;
          reached.add(d);
          queue.push(d);
        }
      }
    }
    // In document order, as the file-level pass saw the roots.
    const closure = this.source.units().filter((u) => reached.has(u));
    const result = { closure, stamp: closure.map((u) => u.generation).join(',') };
    graph.reached.set(unit, result);
    return result;
  }

  /** A cached estimate at current offsets: each offset moves with the unit it was in. */
  private follow(entry: WithCalls): EstimateSummary {
    if (entry.layout.every((l) => l.unit.startIndex === l.start)) return entry.estimate;
    return relocate(entry.estimate, (x) => {
      const l = entry.layout.find((l) => l.start <= x && x <= l.end);
      return l ? x + l.unit.startIndex - l.start : x;
    });
  }
}
