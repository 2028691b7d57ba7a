// What the parts of the per-function walk share: the result of walking a piece of code (its cost
// and its self-calls), how results combine, and what the walker asks of the file-level pass.
import { oneLine } from '../notation';
import type { SyntaxNode } from '../parsing';
import type { Construct, FunctionShape } from './adapter';
import type { NodeFacts } from './bodyFacts';
import type { Deadline } from './deadline';
import {
  add,
  ONE,
  type Cost,
  type Step,
} from './cost';

export interface Res {
  cost: Cost;
  rec: number;
  /**
   * Self-calls on the most recursive path that leaves the function (`if c: return f(x)`), counted
   * with the calls before them on that path: they do not add up with the calls of the code after
   * the exit (issue 13 round 9: textblob `singularize` recurses in two exclusive early returns).
   */
  recOnce?: number;
  /** Cost on paths that leave the function (`if found: return expensive()`): paid once per call. */
  once?: Cost;
  /** Cost on paths that leave the innermost loop (break): paid once per run of that loop. */
  brk?: Cost;
}

export const ZERO: Res = { cost: ONE, rec: 0 };

export function addOpt(a: Cost | undefined, b: Cost | undefined): Cost | undefined {
  return a && b ? add(a, b) : a ?? b;
}

export function both(a: Res, b: Res): Res {
  const cost = add(a.cost, b.cost);
  // Nothing added to the other side (add's fast path returned its cost): the same result, unallocated.
  if (b === ZERO && cost === a.cost) return a;
  if (a === ZERO && cost === b.cost) return b;
  const recOnce = maxOpt(a.recOnce, b.recOnce === undefined ? undefined : a.rec + b.recOnce);
  return { cost, rec: a.rec + b.rec, once: addOpt(a.once, b.once), brk: addOpt(a.brk, b.brk), ...(recOnce === undefined ? {} : { recOnce }) };
}

export function worst(a: Res, b: Res): Res {
  const recOnce = maxOpt(a.recOnce, b.recOnce);
  return { cost: add(a.cost, b.cost), rec: Math.max(a.rec, b.rec), once: addOpt(a.once, b.once), brk: addOpt(a.brk, b.brk), ...(recOnce === undefined ? {} : { recOnce }) };
}

function maxOpt(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

/** Self-calls on one run of the function: the most on any path, those before an exit included. */
export function callsPerRun(r: Res): number {
  return Math.max(r.rec, r.recOnce ?? 0);
}

export function total(r: Res): Cost {
  return add(r.cost, r.once ?? ONE, r.brk ?? ONE);
}

export function stepOf(node: { startIndex: number; endIndex: number }, label: string): Step {
  return { startIndex: node.startIndex, endIndex: node.endIndex, label };
}

export function short(text: string, max = 40): string {
  return oneLine(text, max);
}

/** Estimates every function found in the roots; calls between them use each other's estimates. */

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** What a function's walker asks of the file-level pass (estimate.ts): the functions calls go to. */
export interface CallResolver {
  /** Constructs by node, shared by the walkers (nested functions are inside their outer one). */
  readonly constructs: Map<SyntaxNode, Construct | null>;
  /** The nodes under a body statement that tell something (facts, loop targets), shared by the walkers (bodyFacts.ts). */
  factsUnder(stmt: SyntaxNode): readonly NodeFacts[];
  /** The time budget the walkers check in their inner loops (throws OverBudget). */
  readonly deadline: Deadline;
  /** The function a call refers to, or null when it is defined elsewhere. */
  resolve(from: FunctionShape, callee: string, viaSelf: boolean): FunctionShape | null;
  /** Whether the function is being estimated now (a call to it is mutual recursion). */
  isActive(shape: FunctionShape): boolean;
  /** The estimate of another function found among the roots. */
  estimate(shape: FunctionShape): { cost: Cost; display: string };
}
