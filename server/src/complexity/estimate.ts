// The static complexity estimate of every function in a piece of syntax. Per function: loop
// nesting over input-dependent collections or ranges, multiplied by the cost of what runs inside
// (scans, sorts, copies, calls to other functions of the same file), recursion solved by its
// shape (one call per level, two or more, on a halved or a decremented input), early exits.
// Where something is not known (a call into another module, a loop whose iteration count is not
// visible) the estimate is a lower bound and says why.

import type { ValueKind } from '../analysis/module';
import type { SyntaxNode } from '../parsing';
import type { ArgShape, ComplexityAdapter, Construct, FunctionShape, SizeRef, Span } from './adapter';
import {
  add,
  sqrtOf,
  exponential,
  formatCost,
  inputDegree,
  isConstant,
  logOf,
  mul,
  nameVariables,
  ONE,
  splitKey,
  substitute,
  unknown,
  variable,
  varsOf,
  withLower,
  withStep,
  type Cost,
  type Naming,
  type Note,
  type Step,
  type Term,
  type VarKey,
} from './cost';

export type Reduction = 'halve' | 'dec' | 'part' | 'other';

export interface RecursionInfo {
  /** Self-calls on one path through the body; Infinity when a self-call sits in a loop. */
  calls: number;
  reduction: Reduction;
  memoized: boolean;
  callNodes: SyntaxNode[];
  /** Every self-call passes only names and arithmetic on parameters (hashable: memoizable). */
  arithmeticArgs: boolean;
}

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

interface Res {
  cost: Cost;
  rec: number;
  /** Cost on paths that leave the function (`if found: return expensive()`): paid once per call. */
  once?: Cost;
  /** Cost on paths that leave the innermost loop (break): paid once per run of that loop. */
  brk?: Cost;
}

const ZERO: Res = { cost: ONE, rec: 0 };

function addOpt(a: Cost | undefined, b: Cost | undefined): Cost | undefined {
  return a && b ? add(a, b) : a ?? b;
}

function both(a: Res, b: Res): Res {
  return { cost: add(a.cost, b.cost), rec: a.rec + b.rec, once: addOpt(a.once, b.once), brk: addOpt(a.brk, b.brk) };
}

function worst(a: Res, b: Res): Res {
  return { cost: add(a.cost, b.cost), rec: Math.max(a.rec, b.rec), once: addOpt(a.once, b.once), brk: addOpt(a.brk, b.brk) };
}

function total(r: Res): Cost {
  return add(r.cost, r.once ?? ONE, r.brk ?? ONE);
}

function stepOf(node: { startIndex: number; endIndex: number }, label: string): Step {
  return { startIndex: node.startIndex, endIndex: node.endIndex, label };
}

function short(text: string, max = 40): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}

/** Estimates every function found in the roots; calls between them use each other's estimates. */
export class Estimator {
  private readonly shapes: FunctionShape[] = [];
  /** Functions by name, and the root each lives under: call resolution must stay linear on minified code, where thousands of functions share a name. */
  private readonly byName = new Map<string, FunctionShape[]>();
  private readonly rootOf = new Map<SyntaxNode, SyntaxNode>();
  private readonly done = new Map<SyntaxNode, FunctionEstimate>();
  private readonly active = new Set<SyntaxNode>();
  /** Constructs by node, shared by the walkers (nested functions are inside their outer one). */
  readonly constructs = new Map<SyntaxNode, Construct | null>();

  constructor(private readonly adapter: ComplexityAdapter, roots: SyntaxNode[]) {
    for (const root of roots) {
      for (const node of root.descendants()) {
        const shape = adapter.functionShape(node);
        if (!shape) continue;
        this.shapes.push(shape);
        this.rootOf.set(shape.node, root);
        if (shape.name === null) continue;
        const same = this.byName.get(shape.name);
        if (same) same.push(shape);
        else this.byName.set(shape.name, [shape]);
      }
    }
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

interface LoopFrame {
  node: SyntaxNode;
  body: SyntaxNode[];
  construct: Construct;
}

class FunctionWalker {
  private readonly params = new Map<string, { kind: ValueKind; index: number }>();
  private readonly assigns = new Map<string, (SyntaxNode | null)[]>();
  private readonly assignSites = new Map<string, SyntaxNode[]>();
  private readonly grows = new Map<string, { node: SyntaxNode; amount: SyntaxNode | null }[]>();
  private readonly targets = new Map<string, SyntaxNode>();
  private readonly loopCounts = new Map<SyntaxNode, Cost>();
  private readonly resolving = new Set<string>();
  private readonly sizes = new Map<string, Cost>();
  private readonly countingLoops = new Set<SyntaxNode>();
  private readonly selfCalls: { node: SyntaxNode; args: SyntaxNode[] }[] = [];
  private readonly constructs: Map<SyntaxNode, Construct | null>;

  constructor(
    private readonly a: ComplexityAdapter,
    private readonly est: Estimator,
    private readonly shape: FunctionShape,
  ) {
    this.constructs = est.constructs;
    shape.params.forEach((p, index) => this.params.set(p.name, { kind: p.kind, index }));
    for (const stmt of shape.body) {
      for (const node of stmt.descendants()) {
        for (const fact of a.facts(node)) {
          if (fact.t === 'assign') {
            push(this.assigns, fact.name, fact.value);
            push(this.assignSites, fact.name, node);
          }
          else push(this.grows, fact.name, { node, amount: fact.amount });
        }
        const c = this.classify(node);
        if (c?.kind === 'loop') for (const t of c.targets) this.targets.set(t, c.iter);
        if (c?.kind === 'comprehension') for (const cl of c.clauses) for (const t of cl.targets) this.targets.set(t, cl.iter);
      }
    }
  }

  private classify(node: SyntaxNode): Construct | null {
    let c = this.constructs.get(node);
    if (c === undefined) {
      c = this.a.classify(node);
      this.constructs.set(node, c);
    }
    return c;
  }

  run(): { cost: Cost; recursion: RecursionInfo | null } {
    const body = this.seq(this.shape.body);
    const cost = total(body);
    if (body.rec === 0) return { cost, recursion: null };
    return this.solveRecursion({ cost, rec: body.rec });
  }

  // ---- statements and expressions ----

  private seq(nodes: readonly SyntaxNode[], from = 0): Res {
    let acc: Res = ZERO;
    for (let i = from; i < nodes.length; i++) {
      const node = nodes[i];
      const c = this.classify(node);
      if (c?.kind === 'exit') return both(acc, this.seq(c.values));
      if (c?.kind === 'branch' && (c.alts.some((alt) => this.alwaysExits(alt)) || !c.exhaustive)) {
        // Code after an `if` that returns runs only on the other paths: the rest is their continuation.
        if (c.alts.some((alt) => this.alwaysExits(alt))) {
          const rest = this.seq(nodes, i + 1);
          let alts: Res | null = null;
          for (const alt of c.alts) {
            const r = this.alwaysExits(alt) ? this.exiting(alt) : both(this.seq(alt), rest);
            alts = alts ? worst(alts, r) : r;
          }
          if (!c.exhaustive) alts = alts ? worst(alts, rest) : rest;
          return both(acc, both(this.seq(c.cond), alts ?? ZERO));
        }
      }
      acc = both(acc, this.node(node));
    }
    return acc;
  }

  /** A path that leaves the function or the loop: its cost is paid once, not per iteration. */
  private exiting(alt: readonly SyntaxNode[]): Res {
    const r = this.seq(alt);
    const scope = this.exitScope(alt);
    const cost = add(r.cost, scope === 'loop' ? ONE : r.brk ?? ONE);
    return scope === 'loop' ? { cost: ONE, rec: r.rec, once: r.once, brk: add(cost, r.brk ?? ONE) } : { cost: ONE, rec: r.rec, once: addOpt(r.once, cost), brk: undefined };
  }

  private exitScope(nodes: readonly SyntaxNode[]): 'function' | 'loop' {
    for (const node of nodes) {
      const c = this.classify(node);
      if (c?.kind === 'exit') return c.scope;
      if (c?.kind === 'branch' && c.exhaustive && c.alts.length > 0 && c.alts.every((alt) => this.alwaysExits(alt))) {
        return c.alts.some((alt) => this.exitScope(alt) === 'loop') ? 'loop' : 'function';
      }
    }
    return 'function';
  }

  /** The statements always leave the function or the loop (return, raise, break, continue). */
  private alwaysExits(nodes: readonly SyntaxNode[]): boolean {
    for (const node of nodes) {
      const c = this.classify(node);
      if (c?.kind === 'exit') return true;
      if (c?.kind === 'branch' && c.exhaustive && c.alts.length > 0 && c.alts.every((alt) => this.alwaysExits(alt))) return true;
    }
    return false;
  }

  private node(node: SyntaxNode): Res {
    const c = this.classify(node);
    if (!c) return this.seq(node.namedChildren);
    switch (c.kind) {
      case 'function':
        return ZERO;
      case 'exit':
        return this.seq(c.values);
      case 'cheap':
        return this.seq(c.rest);
      case 'branch': {
        let alts: Res | null = null;
        for (const alt of c.alts) alts = alts ? worst(alts, this.seq(alt)) : this.seq(alt);
        return both(this.seq(c.cond), alts ?? ZERO);
      }
      case 'loop': {
        const count = this.loopCount(node, c);
        const body = this.seq(c.body);
        return both(this.seq([...c.pre, c.iter]), this.repeat(count, body, !c.callback && this.alwaysExits(c.body)));
      }
      case 'counted': {
        const count = this.loopCount(node, c);
        const body = both(this.seq(c.body), this.seq(c.cond ? [c.cond, ...c.update] : c.update));
        return both(this.seq(c.init), this.repeat(count, body, this.alwaysExits(c.body)));
      }
      case 'while': {
        const count = this.loopCount(node, c);
        const body = both(this.seq(c.body), this.seq(c.cond ? [c.cond] : []));
        return this.repeat(count, body, this.alwaysExits(c.body));
      }
      case 'comprehension': {
        let inner = this.seq(c.rest);
        for (let i = c.clauses.length - 1; i >= 0; i--) {
          const cl = c.clauses[i];
          const count = this.loopCount(cl.header, c, i);
          inner = this.repeat(count, inner, false);
          if (i === 0) inner = both(this.seq([cl.iter]), inner);
        }
        return inner;
      }
      case 'op': {
        if (c.kinds && !c.kinds.includes(this.kind(c.of))) return this.seq(c.rest);
        const size = c.value ? this.size(this.a.valueRef(c.of), 'val') : this.size(this.a.sizeRef(c.of));
        let cost = c.cost === 'linear' ? size : c.cost === 'nlogn' ? mul(size, logOf(size)) : logOf(size);
        if (!isConstant(cost)) cost = withStep(cost, stepOf(c.node, c.label));
        return both({ cost, rec: 0 }, this.seq(c.rest));
      }
      case 'member':
        return both({ cost: this.membership(c.node, c.coll), rec: 0 }, this.seq(c.rest));
      case 'call':
        return both(this.call(c), this.seq(c.rest));
      case 'concat': {
        const kinds = c.operands.map((o) => this.kind(o));
        if (!kinds.some((k) => k === 'list' || k === 'tuple')) return this.seq(c.rest);
        let cost = add(...c.operands.map((o) => this.size(this.a.sizeRef(o))));
        if (!isConstant(cost)) cost = withStep(cost, stepOf(c.node, `\`${short(c.node.text)}\` (copies the ${kinds.includes('list') ? 'list' : 'tuple'})`));
        return both({ cost, rec: 0 }, this.seq(c.rest));
      }
    }
  }

  private repeat(count: Cost, body: Res, once: boolean): Res {
    if (once) return { cost: add(body.cost, body.brk ?? ONE), rec: body.rec, once: body.once };
    const rec = body.rec === 0 ? 0 : Infinity;
    return { cost: add(mul(count, body.cost), body.brk ?? ONE), rec, once: body.once };
  }

  private membership(node: SyntaxNode, coll: SyntaxNode): Cost {
    const kind = this.kind(coll);
    if (kind === 'set' || kind === 'dict' || kind === 'map') return ONE;
    const size = this.size(this.a.sizeRef(coll));
    if (isConstant(size)) return ONE;
    // A string used as a set of characters (`c in 'aeiou'`, `c in ignorechars`) is short: O(1).
    if (kind === 'str') return ONE;
    if (kind === 'list' || kind === 'tuple' || kind === 'deque') return withStep(size, stepOf(node, `\`${short(node.text)}\` (${kind} scan)`));
    return withLower(ONE, [{ startIndex: node.startIndex, endIndex: node.endIndex, text: `\`${short(node.text)}\`: O(1) only if \`${short(coll.text, 24)}\` is a set or dict (its type is not known)` }]);
  }

  private call(c: Extract<Construct, { kind: 'call' }>): Res {
    const own = this.shape.name !== null && c.callee === this.shape.name && (!c.viaSelf || this.shape.className !== null);
    const target = this.est.resolve(this.shape, c.callee, c.viaSelf);
    if (own && (!target || target.node === this.shape.node)) {
      this.selfCalls.push({ node: c.node, args: c.args.map((x) => x.node) });
      return { cost: ONE, rec: 1 };
    }
    const note: Note = { startIndex: c.node.startIndex, endIndex: c.node.endIndex, text: `calls \`${c.viaSelf ? `${this.shape.selfName}.` : ''}${c.callee}\`` };
    if (!target) return { cost: unknown({ ...note, text: `${note.text} (not estimated: defined elsewhere)` }), rec: 0 };
    if (this.est.isActive(target)) return { cost: unknown({ ...note, text: `${note.text} (mutual recursion: not estimated)` }), rec: 0 };
    const callee = this.est.estimate(target);
    const byParam = new Map<string, SyntaxNode | null>();
    const positional = c.args.filter((x) => x.name === null);
    const params = target.params.filter((p) => p.name !== target.selfName);
    params.forEach((p, i) => byParam.set(p.name, positional[i]?.node ?? null));
    for (const x of c.args) if (x.name !== null) byParam.set(x.name, x.node);
    let cost = substitute(callee.cost, (key) => {
      const [kind, name] = splitKey(key);
      if (kind !== 'len' && kind !== 'val' && kind !== 'size') return null;
      if (!byParam.has(name)) return null;
      const arg = byParam.get(name);
      if (!arg) return ONE;
      return kind === 'val' ? this.size(this.a.valueRef(arg), 'val') : this.size(this.a.sizeRef(arg));
    });
    if (!isConstant(cost)) {
      const step: Step = { ...stepOf(c.node, `\`${short(c.node.text)}\` (${callee.display} in \`${target.name}\`)`), call: true };
      cost = { ...cost, terms: cost.terms.map((t) => ({ ...t, chain: [step] })) };
    }
    if (callee.cost.lower) cost = withLower(cost, [{ ...note, text: `${note.text}, itself ${callee.display}` }]);
    return { cost, rec: 0 };
  }

  // ---- iteration counts ----

  private loopCount(key: SyntaxNode, c: Construct, clause = 0): Cost {
    const cached = this.loopCounts.get(key);
    if (cached) return cached;
    if (this.countingLoops.has(key)) return unknown({ startIndex: key.startIndex, endIndex: key.endIndex, text: 'the loop grows what it iterates over' });
    this.countingLoops.add(key);
    let count: Cost;
    let label: string;
    let header: Span = key;
    if (c.kind === 'loop' || c.kind === 'comprehension') {
      const iter = c.kind === 'loop' ? c.iter : c.clauses[clause].iter;
      header = c.kind === 'loop' ? c.header : c.clauses[clause].header;
      count = this.size(this.a.sizeRef(iter));
      label = `loop over \`${short(iter.text, 30)}\``;
    } else if (c.kind === 'while' || c.kind === 'counted') {
      header = c.header;
      const r = this.whileCount(c);
      count = r.count;
      label = r.label;
    } else {
      count = ONE;
      label = 'loop';
    }
    if (!isConstant(count)) count = withStep(count, stepOf(header, label));
    this.countingLoops.delete(key);
    this.loopCounts.set(key, count);
    return count;
  }

  /** Iterations of a while (or C-style for) loop from its condition and the updates in its body. */
  private whileCount(c: Extract<Construct, { kind: 'while' } | { kind: 'counted' }>): { count: Cost; label: string } {
    const bodyNodes = [...c.body, ...(c.kind === 'counted' ? c.update : [])];
    const updates = new Map<string, string[]>();
    const pops = new Set<string>();
    for (const stmt of bodyNodes) {
      for (const n of stmt.descendants()) {
        const u = this.a.update(n);
        if (u) {
          let how: string = u.how;
          if (u.how === 'assign' && u.value) {
            const mid = this.midOf(u.value);
            if (mid) how = 'mid';
          }
          push(updates, u.name, how);
        }
        const p = this.a.pop(n);
        if (p) pops.add(p);
      }
    }
    const unknownLoop = (why: string) => ({ count: unknown({ startIndex: c.header.startIndex, endIndex: c.header.endIndex, text: why }), label: 'loop' });
    if (!c.cond) return unknownLoop('loop without a condition: iteration count not known');
    const conjuncts = this.a.conjuncts(c.cond);
    if (!conjuncts) return unknownLoop(`\`${short(c.cond.text)}\`: iteration count not known`);
    const init = new Map<string, SyntaxNode>();
    if (c.kind === 'counted') {
      for (const n of c.init) for (const d of n.descendants()) for (const f of this.a.facts(d)) if (f.t === 'assign' && f.value) init.set(f.name, f.value);
    }
    const valueOfName = (node: SyntaxNode): Cost => {
      const ref = this.a.valueRef(node);
      if (ref.t === 'name' && init.has(ref.name)) return this.size(this.a.valueRef(init.get(ref.name)!), 'val');
      return this.size(ref, 'val');
    };
    const has = (name: string, ...hows: string[]) => [...(updates.get(name) ?? [])].some((h) => hows.includes(h));
    let halving: Cost | null = null;
    const linear: Cost[] = [];
    for (const cj of conjuncts) {
      const cmp = this.a.comparison(cj);
      const coll = this.a.truthyCollection(cj);
      if (coll) {
        const ref = this.a.sizeRef(coll);
        if (ref.t === 'name' && pops.has(ref.name)) {
          const pushedInside = (this.grows.get(ref.name) ?? []).filter((g) => c.body.some((b) => b.contains(g.node)));
          if (pushedInside.length === 0) {
            linear.push(this.size(ref));
            continue;
          }
          // A work list that grows while it drains (BFS, DFS with a stack): with a visited set, each
          // node of the graph it walks is pushed once.
          const graph = this.visitedWalk(c.body, pushedInside.map((g) => g.node));
          if (graph) {
            linear.push(graph);
            continue;
          }
          return unknownLoop(`\`${short(c.cond.text)}\`: the loop pushes to \`${ref.name}\` while it drains it`);
        }
      }
      if (!cmp) {
        // `while n:` with n //= 2 …
        const ref = this.a.valueRef(cj);
        if (ref.t === 'name' && has(ref.name, 'halve')) halving = valueOfName(cj);
        else if (ref.t === 'name' && has(ref.name, 'dec')) linear.push(valueOfName(cj));
        continue;
      }
      const l = this.a.valueRef(cmp.left);
      const r = this.a.valueRef(cmp.right);
      const ln = l.t === 'name' ? l.name : null;
      const rn = r.t === 'name' ? r.name : null;
      const up = cmp.op === '<' || cmp.op === '<=' || cmp.op === '!=';
      const down = cmp.op === '>' || cmp.op === '>=' || cmp.op === '!=';
      // lo < hi with mid updates: binary search over hi - lo.
      if (ln && rn && (has(ln, 'mid') || has(rn, 'mid'))) {
        halving = add(valueOfName(cmp.left), valueOfName(cmp.right));
        continue;
      }
      if (ln && has(ln, 'halve') && down) {
        halving = valueOfName(cmp.left);
        continue;
      }
      if (ln && has(ln, 'double') && up) {
        halving = valueOfName(cmp.right);
        continue;
      }
      if (rn && has(rn, 'halve') && up) {
        halving = valueOfName(cmp.right);
        continue;
      }
      // i * i <= n with i += 1: √n iterations.
      const sq = this.a.squareOf(cmp.left);
      if (sq && has(sq, 'inc') && up) {
        linear.push(sqrtOf(valueOfName(cmp.right)));
        continue;
      }
      if (ln && has(ln, 'inc') && up) {
        // An inner loop that advances the outer loop's own index (a tokenizer skipping spaces)
        // runs n times in total, not n times per outer iteration.
        if (this.outerLoopOn(c.node, ln)) return { count: ONE, label: 'loop' };
        linear.push(valueOfName(cmp.right));
        continue;
      }
      if (rn && has(rn, 'dec') && up) {
        linear.push(valueOfName(cmp.right));
        continue;
      }
      if (ln && has(ln, 'dec') && down) {
        linear.push(valueOfName(cmp.left));
        continue;
      }
      if (rn && has(rn, 'inc') && down) {
        linear.push(valueOfName(cmp.left));
        continue;
      }
    }
    if (halving) return { count: logOf(halving), label: 'loop halving its range' };
    if (linear.length > 0) return { count: add(...linear), label: `loop \`${short(c.cond.text, 30)}\`` };
    return unknownLoop(`\`${short(c.cond.text)}\`: iteration count not known`);
  }

  /** The size of the structure a visited-set walk goes over (`graph` in `for nb in graph[node]`). */
  private visitedWalk(body: SyntaxNode[], pushes: SyntaxNode[]): Cost | null {
    const guarded = body.some((b) => [...b.descendants()].some((d) => /^(seen|visited|explored|done|marked)$/i.test(d.text) && (d.type === 'identifier' || d.type === 'property_identifier')));
    if (!guarded) return null;
    for (const push of pushes) {
      for (const frame of this.enclosingLoops(push)) {
        if (frame.construct.kind !== 'loop') continue;
        const shape = this.a.argShape(frame.construct.iter);
        if (shape.t === 'part' && this.params.has(shape.name)) return variable(`len|${shape.name}`);
      }
    }
    return null;
  }

  private outerLoopOn(node: SyntaxNode, name: string): boolean {
    for (const frame of this.enclosingLoops(node)) {
      const c = frame.construct;
      if (c.kind !== 'while' && c.kind !== 'counted') continue;
      if (!c.cond) continue;
      for (const d of c.cond.descendants()) if (d.type === 'identifier' && d.text === name) return true;
    }
    return false;
  }

  private midOf(node: SyntaxNode): [string, string] | null {
    const m = this.a.midpoint(node);
    if (m) return m;
    // mid + 1, mid - 1, or a local assigned from the midpoint.
    const ref = this.a.argShape(node);
    const name = ref.t === 'name' || ref.t === 'arith' ? ref.name : null;
    if (!name) return null;
    for (const v of this.assigns.get(name) ?? []) if (v && this.a.midpoint(v)) return this.a.midpoint(v);
    return null;
  }

  // ---- sizes ----

  private kind(node: SyntaxNode): ValueKind {
    const k = this.a.kindOf(node);
    if (k !== 'unknown') return k;
    const ref = this.a.sizeRef(node);
    if (ref.t === 'same') {
      const inner = this.kind(ref.node);
      return inner;
    }
    if (ref.t !== 'name') return 'unknown';
    const p = this.params.get(ref.name);
    if (p) return p.kind;
    const values = this.assigns.get(ref.name);
    if (!values || values.length === 0) return 'unknown';
    const key = `kind:${ref.name}`;
    if (this.resolving.has(key)) return 'unknown';
    this.resolving.add(key);
    const kinds = new Set(values.map((v) => (v ? this.kind(v) : 'unknown')));
    this.resolving.delete(key);
    return kinds.size === 1 ? [...kinds][0] : 'unknown';
  }

  private size(ref: SizeRef, mode: 'len' | 'val' = 'len'): Cost {
    switch (ref.t) {
      case 'const':
        return ONE;
      case 'same':
        return this.size(this.a.sizeRef(ref.node), 'len');
      case 'value':
        return this.size(this.a.valueRef(ref.node), 'val');
      case 'len':
        return this.size(this.a.sizeRef(ref.node), 'len');
      case 'sum':
        return add(...ref.nodes.map((n) => this.size(mode === 'len' ? this.a.sizeRef(n) : this.a.valueRef(n), mode)));
      case 'product':
        // a * b counts as a + b: a product of two values is rarely a loop bound, and a false
        // "quadratic" costs more trust than a missed one.
        return add(...ref.nodes.map((n) => this.size(this.a.valueRef(n), 'val')));
      case 'attr':
        return variable(`attr|${ref.text}`);
      case 'elem':
        return variable(`elem|${ref.text}`);
      case 'unknown':
        return this.unknownSize(ref.text, ref.node);
      case 'result': {
        // The result of a recursive call is as large as its arguments (merge sort's halves); the
        // result of another function of this file is as large as the arguments it iterates over.
        const own = ref.callee === this.shape.name && (!ref.viaSelf || this.shape.className !== null);
        const target = own ? null : this.est.resolve(this.shape, ref.callee, ref.viaSelf);
        if (!own && (!target || this.est.isActive(target))) return this.unknownSize(ref.text, undefined);
        // A recursive call's result: as large as the slices it is given (merge sort's halves).
        let args = own ? ref.args.filter((x) => this.a.argShape(x).t === 'slice') : ref.args;
        if (target) {
          const callee = this.est.estimate(target);
          const vars = new Set(varsOf(callee.cost));
          const params = target.params.filter((p) => p.name !== target.selfName);
          args = ref.args.filter((_, i) => params[i] && vars.has(`len|${params[i].name}`));
          if (args.length === 0) return this.unknownSize(ref.text, undefined);
        }
        const parts = args.map((x) => this.size(this.a.sizeRef(x))).filter((c) => !isConstant(c));
        return parts.length ? add(...parts) : ONE;
      }
      case 'name':
        return this.nameSize(ref.name, mode);
    }
  }

  private nameSize(name: string, mode: 'len' | 'val'): Cost {
    if (this.params.has(name) && !this.assigns.has(name) && !this.grows.has(name)) return variable(`${mode}|${name}`);
    const key = `${mode}:${name}`;
    const memo = this.sizes.get(key);
    if (memo) return memo;
    if (this.resolving.has(key)) return ONE;
    // Memoized only when computed outside any cycle, so the result does not depend on the order
    // in which names were asked for.
    const outermost = this.resolving.size === 0;
    const result = this.computeNameSize(name, mode, key);
    if (outermost) this.sizes.set(key, result);
    return result;
  }

  private computeNameSize(name: string, mode: 'len' | 'val', key: string): Cost {
    this.resolving.add(key);
    try {
      const parts: Cost[] = [];
      if (this.params.has(name)) parts.push(variable(`${mode}|${name}`));
      const iter = this.targets.get(name);
      if (iter) {
        const ref = this.a.sizeRef(iter);
        const ranged = ref.t === 'value';
        if (mode === 'val' && ranged) parts.push(this.size(ref));
        else parts.push(variable(`elem|${name}`));
      }
      for (const v of this.assigns.get(name) ?? []) {
        if (!v) continue;
        parts.push(this.size(mode === 'len' ? this.a.sizeRef(v) : this.a.valueRef(v), mode));
      }
      for (const g of this.grows.get(name) ?? []) {
        let times: Cost = g.amount ? this.size(mode === 'len' ? this.a.sizeRef(g.amount) : this.a.valueRef(g.amount), mode) : ONE;
        for (const frame of this.enclosingLoops(g.node)) {
          // A collection emptied in the same loop (`line = []` after a flush) holds one batch, not all.
          const body = frame.construct.kind === 'comprehension' ? [] : 'body' in frame.construct ? frame.construct.body : [];
          if ((this.assignSites.get(name) ?? []).some((a) => body.some((b) => b.contains(a)))) continue;
          times = mul(times, this.stripChain(this.loopCount(frame.key, frame.construct, frame.clause)));
        }
        parts.push(times);
      }
      if (parts.length === 0) return ONE;
      return this.stripChain(add(...parts));
    } finally {
      this.resolving.delete(key);
    }
  }

  /** A size that is not known (the result of a call into another module): a lower bound, noted. */
  private unknownSize(text: string, node: SyntaxNode | undefined): Cost {
    const at = node ?? this.shape.node;
    return unknown({ startIndex: at.startIndex, endIndex: at.endIndex, text: `size of \`${short(text, 40)}\` not known` });
  }

  private stripChain(c: Cost): Cost {
    return { ...c, terms: c.terms.map((t: Term) => (t.chain.length ? { ...t, chain: [] } : t)) };
  }

  private enclosingLoops(node: SyntaxNode): { key: SyntaxNode; construct: Construct; clause: number }[] {
    const out: { key: SyntaxNode; construct: Construct; clause: number }[] = [];
    for (const anc of node.ancestors()) {
      if (anc === this.shape.node) break;
      const c = this.classify(anc);
      if (!c) continue;
      if (c.kind === 'function') {
        // The callback of xs.map(cb) / forEach is the body of that loop: keep going up.
        const call = anc.parent?.parent;
        const cc = call ? this.classify(call) : null;
        if (cc?.kind === 'loop' && cc.callback) continue;
        break;
      }
      if ((c.kind === 'loop' || c.kind === 'while' || c.kind === 'counted') && c.body.some((b) => b.contains(node))) out.push({ key: anc, construct: c, clause: 0 });
      if (c.kind === 'comprehension' && c.rest.some((b) => b.contains(node))) c.clauses.forEach((cl, i) => out.push({ key: cl.header, construct: c, clause: i }));
    }
    return out;
  }

  // ---- recursion ----

  private solveRecursion(body: Res): { cost: Cost; recursion: RecursionInfo } {
    const W = body.cost;
    const reductions: { red: Reduction; key: VarKey | null }[] = this.selfCalls.map((call) => this.reductionOf(call.args));
    const order: Reduction[] = ['dec', 'part', 'halve', 'other'];
    let red: Reduction = 'other';
    for (const r of order) if (reductions.some((x) => x.red === r)) {
      red = r;
      break;
    }
    if (reductions.some((x) => x.red === 'other')) red = 'other';
    const keys = [...new Set(reductions.filter((x) => x.red === red && x.key).map((x) => x.key!))];
    const memoized = this.shape.memoized || this.a.usesMemo(this.shape.body);
    // Arguments are numbers: arithmetic on a parameter, a number literal, or a parameter that some
    // self-call does arithmetic on.
    const shapes = this.selfCalls.map((call) => call.args.map((arg) => ({ arg, s: this.a.argShape(arg) })));
    const numeric = new Set(shapes.flat().flatMap(({ s }) => (s.t === 'arith' && this.params.has(s.name) ? [s.name] : [])));
    const arithmeticArgs = shapes.every((call) => call.every(({ arg, s }) => {
      if (s.t === 'arith') return this.params.has(s.name);
      if (s.t === 'name') return numeric.has(s.name);
      const k = this.a.kindOf(arg);
      return k === 'number' || k === 'str';
    }));
    const recursion: RecursionInfo = { calls: body.rec, reduction: red, memoized, callNodes: this.selfCalls.map((c) => c.node), arithmeticArgs };
    const first = this.selfCalls[0]?.node ?? this.shape.node;
    const r = body.rec;
    const n = keys.length ? keys.map((k) => variable(k)).reduce((x, y) => add(x, y)) : null;
    const stepLabel = `${r === Infinity ? 'recursive calls in a loop' : r === 1 ? 'one recursive call per level' : `${r} recursive calls per level`}${red === 'halve' ? ' on half the input' : red === 'dec' ? ' on the input minus a constant' : red === 'part' ? ' on parts of a structure' : ''}`;
    const step = stepOf(first, stepLabel);
    const lowerNote = (text: string) => ({ cost: withLower(W, [{ startIndex: first.startIndex, endIndex: first.endIndex, text }]), recursion });
    if (red === 'other' || !n) return lowerNote('recursion whose input does not visibly shrink: not estimated');
    const hasN = (t: Term, minP: number) => keys.some((k) => (t.f.get(k)?.p ?? 0) >= minP);
    switch (red) {
      case 'part': {
        // Each part of the structure is visited once (a tree walk, a DFS with a visited set): the
        // work on the parameter itself sums to the size of the structure; the rest is per visit.
        const params = keys.map((k) => splitKey(k)[1]);
        const own = (k: VarKey) => params.some((p) => { const [kind, name] = splitKey(k); return (kind === 'len' || kind === 'val') && name === p; });
        const ofPart = (k: VarKey) => params.some((p) => { const [kind, name] = splitKey(k); return kind === 'elem' && (name.startsWith(`${p}.`) || name.startsWith(`${p}[`)); });
        const withOwn = W.terms.filter((t) => [...t.f.keys()].some(own));
        const rest = W.terms.filter((t) => !withOwn.includes(t));
        const perVisit = substitute({ terms: rest.length ? rest : ONE.terms, lower: W.lower, notes: W.notes }, (k) => (ofPart(k) ? ONE : null));
        let cost = mul(withStep(n, step), perVisit);
        if (withOwn.length) cost = add(cost, substitute({ terms: withOwn, lower: false, notes: [] }, (k) => (own(k) ? n : null)));
        return { cost, recursion };
      }
      case 'halve': {
        if (r === 1) {
          if (W.terms.some((t) => hasN(t, 1))) return { cost: W, recursion };
          return { cost: mul(W, withStep(logOf(n), step)), recursion };
        }
        if (r === 2) {
          if (W.terms.some((t) => hasN(t, 2))) return { cost: W, recursion };
          if (W.terms.some((t) => hasN(t, 1))) return { cost: mul(W, withStep(logOf(n), step)), recursion };
          return { cost: mul(withStep(n, step), W), recursion };
        }
        return lowerNote(`${r === Infinity ? 'recursive calls in a loop' : `${r} recursive calls`} on parts of the input: not estimated`);
      }
      case 'dec': {
        if (r === 1) return { cost: mul(withStep(n, step), W), recursion };
        if (memoized) {
          if (r === Infinity) return lowerNote('memoized recursion in a loop: at least one call per distinct argument');
          const states = keys.map((k) => variable(k)).reduce(mul, ONE);
          return { cost: mul(withStep(states, { ...step, label: `${stepLabel}, memoized: once per distinct argument` }), W), recursion };
        }
        const expo = keys.map((k) => exponential(k)).reduce(mul, ONE);
        const cost = mul(withStep(expo, step), W);
        return { cost: r === Infinity ? withLower(cost) : cost, recursion };
      }
    }
    return lowerNote('recursion not estimated');
  }

  /** How a self-call's arguments shrink the input, and the size variable that shrinks. */
  private reductionOf(args: SyntaxNode[]): { red: Reduction; key: VarKey | null } {
    let best: { red: Reduction; key: VarKey | null } = { red: 'other', key: null };
    const rank: Record<Reduction, number> = { other: 0, part: 1, dec: 2, halve: 3 };
    const consider = (red: Reduction, key: VarKey | null) => {
      if (rank[red] > rank[best.red]) best = { red, key };
    };
    const params = this.shape.params.filter((p) => p.name !== this.shape.selfName);
    args.forEach((arg, i) => {
      const s: ArgShape = this.a.argShape(arg);
      const param = params[i]?.name;
      if (s.t === 'arith') {
        const mid = this.midFor(s.name);
        if (mid) consider('halve', this.spanKey(mid));
        else if (s.op === 'half') consider('halve', `val|${this.rootParam(s.name) ?? s.name}`);
        else if (s.op === '-' && this.params.has(s.name)) consider('dec', `val|${s.name}`);
        else if (s.op === '+' && this.params.has(s.name)) consider('dec', this.boundFor(s.name));
      } else if (s.t === 'name') {
        const mid = this.midFor(s.name);
        if (mid && s.name !== param) consider('halve', this.spanKey(mid));
        else if (this.targets.has(s.name) || (this.assigns.get(s.name) ?? []).some((v) => v && this.a.argShape(v).t === 'part')) consider('part', `size|${param ?? s.name}`);
      } else if (s.t === 'slice') {
        if (s.cut === 'mid') consider('halve', `len|${s.name}`);
        else if (s.cut === 'one') consider('dec', `len|${s.name}`);
      } else if (s.t === 'part') {
        consider('part', `size|${param ?? s.name}`);
      }
    });
    return best;
  }

  private midFor(name: string): [string, string] | null {
    for (const v of this.assigns.get(name) ?? []) if (v) {
      const m = this.a.midpoint(v);
      if (m) return m;
    }
    return null;
  }

  private spanKey([lo, hi]: [string, string]): VarKey {
    return `span|${hi} - ${lo}`;
  }

  private rootParam(name: string): string | null {
    return this.params.has(name) ? name : null;
  }

  /** For `f(i + 1)`: the bound that `i` is compared with (`i == len(xs)`), else `i` itself. */
  private boundFor(name: string): VarKey {
    for (const stmt of this.shape.body) {
      for (const n of stmt.descendants()) {
        const cmp = this.a.comparison(n);
        if (!cmp) continue;
        const l = this.a.valueRef(cmp.left);
        const other = l.t === 'name' && l.name === name ? cmp.right : null;
        if (!other) continue;
        const size = this.size(this.a.valueRef(other), 'val');
        const vars = varsOf(size);
        if (vars.length === 1) return vars[0];
      }
    }
    return `val|${name}`;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
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

