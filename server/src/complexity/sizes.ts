// The first part of a function's walk (loopBounds.ts and walker.ts build on it): what the walker
// knows about the function (parameters, assignments, growth, loop targets) and how large a
// collection or a value is: a name's size from the bindings that reach its use, memoized where no
// cycle cut the lookup short. Loop counts (loopBounds.ts) and sizes ask each other: a collection grown
// in a loop is as large as the loop's count times what each iteration adds.
import type { ValueKind } from '../analysis/module';
import type { SyntaxNode } from '../parsing';
import type { ComplexityAdapter, Construct, FunctionShape, SizeRef } from './adapter';
import { add, isConstant, mul, ONE, unknown, variable, varsOf, type Cost, type Term } from './cost';
import { short, push, type CallResolver } from './walk';
import { lastBindingBefore, reaches, type LastBinding } from './reachingBinding';
import { constructOf } from './bodyFacts';

export abstract class Sizes {
  protected readonly params = new Map<string, { kind: ValueKind; index: number }>();
  protected readonly assigns = new Map<string, (SyntaxNode | null)[]>();
  protected readonly assignSites = new Map<string, SyntaxNode[]>();
  protected readonly grows = new Map<string, { node: SyntaxNode; amount: SyntaxNode | null }[]>();
  protected readonly targets = new Map<string, SyntaxNode>();
  protected readonly resolving = new Set<string>();
  protected readonly sizes = new Map<string, Cost>();
  /** How many times a lookup was cut short by a cycle (a name or loop still being resolved): see nameSize. */
  protected cutoffs = 0;
  protected readonly selfCalls: { node: SyntaxNode; args: SyntaxNode[] }[] = [];
  protected readonly constructs: Map<SyntaxNode, Construct | null>;

  constructor(
    protected readonly a: ComplexityAdapter,
    protected readonly est: CallResolver,
    protected readonly shape: FunctionShape,
  ) {
    this.constructs = est.constructs;
    shape.params.forEach((p, index) => this.params.set(p.name, { kind: p.kind, index }));
    // The body's nodes in pre-order, nested functions included; asked once per estimate (bodyFacts.ts).
    for (const stmt of shape.body) {
      for (const { node, facts, loop: c } of est.factsUnder(stmt)) {
        for (const fact of facts) {
          if (fact.t === 'assign') {
            push(this.assigns, fact.name, fact.value);
            push(this.assignSites, fact.name, node);
          }
          else push(this.grows, fact.name, { node, amount: fact.amount });
        }
        if (c?.kind === 'loop') for (const t of c.targets) this.targets.set(t, c.iter);
        if (c?.kind === 'comprehension') for (const cl of c.clauses) for (const t of cl.targets) this.targets.set(t, cl.iter);
      }
    }
  }

  protected classify(node: SyntaxNode): Construct | null {
    return constructOf(this.a, this.constructs, node);
  }

  protected kind(node: SyntaxNode): ValueKind {
    this.est.deadline.check();
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
    if (this.resolving.has(key)) {
      this.cutoffs++;
      return 'unknown';
    }
    this.resolving.add(key);
    const kinds = new Set(values.map((v) => (v ? this.kind(v) : 'unknown')));
    this.resolving.delete(key);
    return kinds.size === 1 ? [...kinds][0] : 'unknown';
  }

  protected size(ref: SizeRef, mode: 'len' | 'val' = 'len'): Cost {
    this.est.deadline.check();
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
        // A number the object holds (`i < this._width`) is named as itself, not by a length (issue 13 round 11).
        return variable(`${mode === 'val' ? 'val' : 'attr'}|${ref.text}`);
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
        return this.nameSize(ref.name, mode, ref.node);
    }
  }

  protected nameSize(name: string, mode: 'len' | 'val', use?: SyntaxNode): Cost {
    if (this.params.has(name) && !this.assigns.has(name) && !this.grows.has(name)) return variable(`${mode}|${name}`);
    const from = use && lastBindingBefore(this.assignSites.get(name) ?? [], this.assigns.get(name) ?? [], use);
    const key = from ? `${mode}:${name}@${from.site.startIndex}` : `${mode}:${name}`;
    const memo = this.sizes.get(key);
    if (memo) return memo;
    if (this.resolving.has(key)) {
      this.cutoffs++;
      return ONE;
    }
    // Memoized when computed outside any cycle, or when no lookup inside it was cut short by one: then
    // no name size it read depended on what was being resolved around it. Not quite order-free (review
    // 11 M3): a loop count it reads comes from `loopCounts` (loopBounds.ts), kept even when computed
    // under a cut-off, so a count cut short once is served as it is, the cut not seen here; the
    // outermost-only memo before had the same exposure, and speed.md's identity runs (the stdlib, the
    // npm corpora) found no result that changed. (Memoizing only outermost results re-resolved the same
    // names again and again in generated parsers' long assignment chains: 32 s for one function.)
    const outermost = this.resolving.size === 0;
    const before = this.cutoffs;
    const result = this.computeNameSize(name, mode, key, from);
    if (outermost || this.cutoffs === before) this.sizes.set(key, result);
    return result;
  }

  protected computeNameSize(name: string, mode: 'len' | 'val', key: string, from?: LastBinding): Cost {
    this.resolving.add(key);
    try {
      const parts: Cost[] = [];
      if (this.params.has(name) && !from) parts.push(variable(`${mode}|${name}`));
      const iter = this.targets.get(name);
      if (iter && reaches(from, iter)) {
        const ref = this.a.sizeRef(iter);
        const ranged = ref.t === 'value';
        if (mode === 'val' && ranged) parts.push(this.size(ref));
        else parts.push(variable(`elem|${name}`));
      }
      for (const [i, v] of (this.assigns.get(name) ?? []).entries()) if (v && reaches(from, this.assignSites.get(name)![i])) parts.push(this.size(mode === 'len' ? this.a.sizeRef(v) : this.a.valueRef(v), mode));
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
  protected unknownSize(text: string, node: SyntaxNode | undefined): Cost {
    const at = node ?? this.shape.node;
    return unknown({ startIndex: at.startIndex, endIndex: at.endIndex, text: `size of \`${short(text, 40)}\` not known` });
  }

  protected stripChain(c: Cost): Cost {
    return { ...c, terms: c.terms.map((t: Term) => (t.chain.length ? { ...t, chain: [] } : t)) };
  }

  protected enclosingLoops(node: SyntaxNode): { key: SyntaxNode; construct: Construct; clause: number }[] {
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

  /** How many times the loop runs (loopBounds.ts). */
  protected abstract loopCount(key: SyntaxNode, c: Construct, clause?: number): Cost;
}
