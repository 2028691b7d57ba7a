// A function's walk: the cost of each statement and expression composed in sequence (sum),
// branches (the costlier), loops (count × body, from loopBounds.ts), calls to other functions of
// the file (their estimates, arguments substituted) and self-calls (solved in recursion.ts).
import type { SyntaxNode } from '../parsing';
import type { Construct } from './adapter';
import {
  add,
  isConstant,
  logOf,
  mul,
  ONE,
  splitKey,
  substitute,
  unknown,
  withLower,
  withStep,
  type Cost,
  type Note,
  type Step,
} from './cost';
import { Recursion, type RecursionInfo } from './recursion';
import { addOpt, type Res, ZERO, both, worst, total, stepOf, short, callsPerRun } from './walk';

/** Walks one function: the cost of its statements, loops multiplied by their counts, calls, recursion. */
export class FunctionWalker extends Recursion {
  run(): { cost: Cost; recursion: RecursionInfo | null } {
    const body = this.seq(this.shape.body);
    const cost = total(body);
    const calls = callsPerRun(body);
    if (calls === 0) return { cost, recursion: null };
    return this.solveRecursion({ cost, rec: calls });
  }

  protected seq(nodes: readonly SyntaxNode[], from = 0): Res {
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
  protected exiting(alt: readonly SyntaxNode[]): Res {
    const r = this.seq(alt);
    const scope = this.exitScope(alt);
    const cost = add(r.cost, scope === 'loop' ? ONE : r.brk ?? ONE);
    // Leaving the function: its self-calls do not add up with those after the exit.
    return scope === 'loop' ? { cost: ONE, rec: r.rec, recOnce: r.recOnce, once: r.once, brk: add(cost, r.brk ?? ONE) } : { cost: ONE, rec: 0, recOnce: callsPerRun(r), once: addOpt(r.once, cost), brk: undefined };
  }

  protected exitScope(nodes: readonly SyntaxNode[]): 'function' | 'loop' {
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
  protected alwaysExits(nodes: readonly SyntaxNode[]): boolean {
    for (const node of nodes) {
      const c = this.classify(node);
      if (c?.kind === 'exit') return true;
      if (c?.kind === 'branch' && c.exhaustive && c.alts.length > 0 && c.alts.every((alt) => this.alwaysExits(alt))) return true;
    }
    return false;
  }

  protected node(node: SyntaxNode): Res {
    this.est.deadline.check();
    const c = this.classify(node);
    // An opaque literal's tokens (a string's quotes and content: parsing/opaque.ts) are no construct and cost nothing.
    if (!c) return node.isOpaque ? ZERO : this.seq(node.namedChildren);
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

  protected repeat(count: Cost, body: Res, once: boolean): Res {
    if (once) return { cost: add(body.cost, body.brk ?? ONE), rec: body.rec, recOnce: body.recOnce, once: body.once };
    const rec = body.rec === 0 ? 0 : Infinity;
    return { cost: add(mul(count, body.cost), body.brk ?? ONE), rec, recOnce: body.recOnce === undefined ? undefined : rec === 0 ? body.recOnce : Infinity, once: body.once };
  }

  protected membership(node: SyntaxNode, coll: SyntaxNode): Cost {
    const kind = this.kind(coll);
    if (kind === 'set' || kind === 'dict' || kind === 'map') return ONE;
    const size = this.size(this.a.sizeRef(coll));
    if (isConstant(size)) return ONE;
    // A string used as a set of characters (`c in 'aeiou'`, `c in ignorechars`) is short: O(1).
    if (kind === 'str') return ONE;
    if (kind === 'list' || kind === 'tuple' || kind === 'deque') return withStep(size, stepOf(node, `\`${short(node.text)}\` (${kind} scan)`));
    return withLower(ONE, [{ startIndex: node.startIndex, endIndex: node.endIndex, text: `\`${short(node.text)}\`: O(1) only if \`${short(coll.text, 24)}\` is a set or dict (its type is not known)` }]);
  }

  protected call(c: Extract<Construct, { kind: 'call' }>): Res {
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
}
