// The static complexity estimate of every function in a piece of syntax (the file-level pass:
// calls between the functions found use each other's estimates; walker.ts walks one function). Per function: loop
// nesting over input-dependent collections or ranges, multiplied by the cost of what runs inside
// (scans, sorts, copies, calls to other functions of the same file), recursion solved by its
// shape (one call per level, two or more, on a halved or a decremented input), early exits.
// Where something is not known (a call into another module, a loop whose iteration count is not
// visible) the estimate is a lower bound and says why.

import type { SyntaxNode } from '../parsing';
import type { ComplexityAdapter, Construct, FunctionShape } from './adapter';
import { BodyFacts, type NodeFacts } from './bodyFacts';
import { NO_DEADLINE, OverBudget, type Deadline } from './deadline';
import type { RecursionInfo } from './recursion';
import { FunctionWalker } from './walker';
import type { CallResolver } from './walk';
import {
  formatCost,
  inputDegree,
  nameVariables,
  splitKey,
  unknown,
  varsOf,
  type Cost,
  type Naming,
  type Term,
  type VarKey,
} from './cost';

export type { Reduction, RecursionInfo } from './recursion';

export interface FunctionEstimate {
  shape: FunctionShape;
  name: string;
  cost: Cost;
  naming: Naming;
  /** "O(n·m)" or "≥ O(n)". */
  display: string;
  recursion: RecursionInfo | null;
}

export interface EstimateOptions {
  /**
   * Use the estimates of other functions found among the roots for calls to them (the file-level
   * pass); a unit-local estimate sees only the functions inside its unit.
   */
  roots: SyntaxNode[];
}

/** Estimates every function found in the roots; calls between them use each other's estimates. */
export class Estimator implements CallResolver {
  private readonly shapes: FunctionShape[] = [];
  /** Functions by name, and the root each lives under: call resolution must stay linear on minified code, where thousands of functions share a name. */
  private readonly byName = new Map<string, FunctionShape[]>();
  private readonly rootOf = new Map<SyntaxNode, SyntaxNode>();
  private readonly done = new Map<SyntaxNode, FunctionEstimate>();
  private readonly active = new Set<SyntaxNode>();
  /** Constructs by node, shared by the walkers (nested functions are inside their outer one). */
  readonly constructs = new Map<SyntaxNode, Construct | null>();
  private readonly bodyFacts: BodyFacts;

  constructor(
    private readonly adapter: ComplexityAdapter,
    roots: readonly SyntaxNode[],
    /** Checked in the walkers' inner loops: its OverBudget stops the whole estimate (not one function's). */
    readonly deadline: Deadline = NO_DEADLINE,
    /** The nodes of the one root in pre-order (its descendants()), when the caller listed them already. */
    nodes?: readonly SyntaxNode[],
  ) {
    if (nodes && roots.length === 1) this.findFunctions(nodes, roots[0]);
    else for (const root of roots) this.findFunctions(root.descendants(), root);
    this.bodyFacts = new BodyFacts(adapter, this.shapes, this.constructs, deadline);
  }

  /** The functions among `nodes` (a root's, in pre-order): their shapes, by name, and their root. */
  private findFunctions(nodes: readonly SyntaxNode[], root: SyntaxNode): void {
    const types = this.adapter.functionTypes;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (!types.has(node.type)) continue;
      const shape = this.adapter.functionShape(node);
      if (!shape) continue;
      this.shapes.push(shape);
      this.rootOf.set(shape.node, root);
      if (shape.name === null) continue;
      const same = this.byName.get(shape.name);
      if (same) same.push(shape);
      else this.byName.set(shape.name, [shape]);
    }
  }

  factsUnder(stmt: SyntaxNode): readonly NodeFacts[] {
    return this.bodyFacts.under(stmt);
  }

  /** Named functions (and methods) in document order. */
  functions(): FunctionShape[] {
    return this.shapes.filter((s) => s.name !== null);
  }

  all(): FunctionEstimate[] {
    return this.functions().map((s) => this.estimate(s));
  }

  estimate(shape: FunctionShape): FunctionEstimate {
    const cached = this.done.get(shape.node);
    if (cached) return cached;
    this.active.add(shape.node);
    let result: { cost: Cost; recursion: RecursionInfo | null };
    try {
      result = new FunctionWalker(this.adapter, this, shape).run();
    } catch (err) {
      if (err instanceof OverBudget) throw err;
      // Pathological code (thousands of nested operators) must cost one function its estimate,
      // not the file its lenses.
      const text = err instanceof RangeError ? 'too deeply nested to estimate' : `not estimated (internal error: ${(err as Error)?.message ?? err})`;
      result = { cost: unknown({ startIndex: shape.node.startIndex, endIndex: shape.node.endIndex, text }), recursion: null };
    } finally {
      this.active.delete(shape.node);
    }
    const keys = orderVars(varsOf(result.cost), shape);
    const naming = nameVariables(keys, (k) => describeKey(this.adapter, k));
    const est: FunctionEstimate = {
      shape,
      name: shape.name ?? '(anonymous)',
      cost: result.cost,
      naming,
      display: formatCost(result.cost, naming.letters),
      recursion: result.recursion,
    };
    this.done.set(shape.node, est);
    return est;
  }

  /** The function a call refers to: a method of the same class for self calls, else by name (innermost scope first). */
  resolve(from: FunctionShape, callee: string, viaSelf: boolean): FunctionShape | null {
    const candidates = (this.byName.get(callee) ?? []).filter((s) => (viaSelf ? s.className !== null && s.className === from.className : s.className === null || s.node === from.node));
    if (candidates.length === 0) return null;
    // Prefer a function nested in the caller, then the latest one under the same root (whose
    // enclosing scopes contain the caller), then any.
    const nested = candidates.find((c) => from.node.contains(c.node) && c.node !== from.node);
    if (nested) return nested;
    const root = this.rootOf.get(from.node);
    let scoped: FunctionShape | undefined;
    for (const c of candidates) {
      if (c.node.parent && this.rootOf.get(c.node) === root && (!scoped || c.node.startIndex > scoped.node.startIndex)) scoped = c;
    }
    return scoped ?? candidates[0];
  }

  isActive(shape: FunctionShape): boolean {
    return this.active.has(shape.node);
  }
}

function orderVars(keys: VarKey[], shape: FunctionShape): VarKey[] {
  const rank = (k: VarKey) => {
    const name = splitKey(k)[1];
    const i = shape.params.findIndex((p) => p.name === name || name.startsWith(p.name + '.') || name.startsWith(p.name + '['));
    return i < 0 ? 1000 : i;
  };
  return [...keys].sort((a, b) => rank(a) - rank(b) || keys.indexOf(a) - keys.indexOf(b));
}

function describeKey(adapter: ComplexityAdapter, key: VarKey): string {
  const [kind, name] = splitKey(key);
  return adapter.describe(kind, name);
}

/** The leading term that is at least quadratic in the inputs (elements of collections do not count). */
export function quadraticTerm(cost: Cost): Term | null {
  let best: Term | null = null;
  for (const t of cost.terms) {
    if (t.e.size > 0 || inputDegree(t) < 2) continue;
    if (!best || inputDegree(t) > inputDegree(best) || (inputDegree(t) === inputDegree(best) && maxPower(t) > maxPower(best))) best = t;
  }
  return best;
}

function maxPower(t: Term): number {
  return Math.max(0, ...[...t.f.values()].map((f) => f.p));
}

