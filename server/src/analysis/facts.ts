// Facts about one unit that rules share, built on first use and kept for that unit's analysis only.
// Each language's facts (languages/<folder>/facts.ts) extend this with its own: loops around a
// node, declarations and the kinds of names. They replace the scans and caches each rule kept.
import { estimateRoots, type ComplexityAdapter, type FunctionEstimate } from '../complexity';
import { mayBeSuperlinear } from '../complexity/prefilter';
import type { UnitContext } from './rule';

export class UnitFacts {
  private estimatesValue: FunctionEstimate[] | undefined;

  constructor(
    readonly ctx: UnitContext,
    /** The language's complexity adapter. */
    readonly complexity: ComplexityAdapter,
  ) {}

  /**
   * Complexity estimates of the named functions in the unit. Unit-local: calls to functions defined
   * elsewhere count as unknown (findings are cached per unit, so a rule may depend on its unit only).
   * Checks the unit's deadline as it goes (its OverBudget gives the unit up).
   */
  estimates(): FunctionEstimate[] {
    return (this.estimatesValue ??= estimateRoots(this.complexity, [this.ctx.unit], this.ctx.deadline, this.ctx.nodes));
  }

  /**
   * Whether the complexity rules must estimate the unit's functions: when the caller keeps the
   * estimates (the editor's lenses), and else only where a function may be superlinear or recursive
   * (complexity/prefilter.ts: elsewhere every estimate is at most linear, nothing they report).
   */
  estimatesNeeded(): boolean {
    return (this.needed ??= this.ctx.keepEstimates !== false || mayBeSuperlinear(this.complexity, this.ctx.nodes));
  }

  private needed: boolean | undefined;

  /** The estimates if a rule asked for them (the editor keeps them for its lenses), else undefined. */
  computedEstimates(): FunctionEstimate[] | undefined {
    return this.estimatesValue;
  }
}
