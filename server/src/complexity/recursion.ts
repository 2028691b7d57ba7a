// The recursion part of a function's walk: a function that calls itself is solved by the shape of
// its recursion (calls per level; the input halved, decremented or partitioned), as a recurrence.
import type { SyntaxNode } from '../parsing';
import {
  add,
  exponential,
  logOf,
  mul,
  ONE,
  splitKey,
  substitute,
  variable,
  varsOf,
  withLower,
  withStep,
  type Cost,
  type Term,
  type VarKey,
} from './cost';
import type { ArgShape } from './adapter';
import { LoopBounds } from './loopBounds';
import { type Res, stepOf } from './walk';

export type Reduction = 'halve' | 'dec' | 'part' | 'other';

export interface RecursionInfo {
  /** Self-calls on one path through the body; Infinity when a self-call sits in a loop. */
  calls: number;
  reduction: Reduction;
  memoized: boolean;
  callNodes: SyntaxNode[];
  /** Every self-call passes only names and arithmetic on parameters (hashable: memoizable). */
  arithmeticArgs: boolean;
  /** Every argument that changes between calls is a number or a string (others are passed on unchanged): a cache keyed on the changing ones applies. */
  memoizable: boolean;
}

export abstract class Recursion extends LoopBounds {
  protected solveRecursion(body: Res): { cost: Cost; recursion: RecursionInfo } {
    const W = body.cost;
    const reductions: { red: Reduction; key: VarKey | null }[] = this.selfCalls.map((call) => this.reductionOf(call.args));
    const order: Reduction[] = ['dec', 'part', 'halve', 'other'];
    let red: Reduction = 'other';
    for (const r of order) if (reductions.some((x) => x.red === r)) {
      red = r;
      break;
    }
    if (reductions.some((x) => x.red === 'other')) red = 'other';
    let keys = [...new Set(reductions.filter((x) => x.red === red && x.key).map((x) => x.key!))];
    // A flood fill or DFS that marks each visited cell in the structure it walks visits each once.
    const marked = red === 'dec' && this.selfCalls.length >= 2 ? this.marksVisited() : null;
    if (marked) {
      red = 'part';
      keys = [`size|${marked}`];
    }
    // One call on an end element (`L[0]`), one on the rest (`L[1:]`): disjoint parts of one list, so
    // each element is visited once (a flatten of nested lists), not 2ⁿ calls (issue 13 round 14).
    const split = red === 'dec' && !marked ? this.headAndTail() : null;
    if (split) {
      red = 'part';
      keys = [`size|${split}`];
    }
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
    const ownParams = this.shape.params.filter((p) => p.name !== this.shape.selfName);
    const memoizable = shapes.every((call) => call.every(({ arg, s }, i) => {
      if (s.t === 'name' && s.name === ownParams[i]?.name) return true; // passed on unchanged
      if (s.t === 'arith') return this.params.has(s.name);
      if (s.t === 'name') return numeric.has(s.name);
      const k = this.a.kindOf(arg);
      return k === 'number' || k === 'str';
    }));
    const recursion: RecursionInfo = { calls: body.rec, reduction: red, memoized, callNodes: this.selfCalls.map((c) => c.node), arithmeticArgs, memoizable };
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
  protected reductionOf(args: SyntaxNode[]): { red: Reduction; key: VarKey | null } {
    let best: { red: Reduction; key: VarKey | null } = { red: 'other', key: null };
    const rank: Record<Reduction, number> = { other: 0, part: 1, dec: 2, halve: 3 };
    const consider = (red: Reduction, key: VarKey | null) => {
      if (rank[red] > rank[best.red]) best = { red, key };
    };
    const params = this.shape.params.filter((p) => p.name !== this.shape.selfName);
    const shapes = args.map((arg) => this.a.argShape(arg));
    // Another argument moves to a different part of a structure (`node.left`, `tree.field(…)`,
    // `first[1:]`, another local): then `depth + 1` / `level - 1` beside it is a depth counter, not
    // the input shrinking (a tree walk with a depth limit, a search with an indentation level).
    const moves = shapes.some((s, i) => s.t === 'part' || s.t === 'slice' || s.t === 'other' || (s.t === 'name' && s.name !== params[i]?.name && !this.params.has(s.name)));
    args.forEach((arg, i) => {
      const s: ArgShape = shapes[i];
      const param = params[i]?.name;
      if (s.t === 'arith' && moves && (s.op === '+' || s.op === '-') && (this.isCounter(s.name) || this.walksDistinctParts())) return;
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

  /**
   * Do the self-calls descend into different parts of one structure, at one argument position
   * (`rec(node.children[part], i + 1)` and `rec(node.children['+'], i + 1)`: a trie walk, paho-mqtt's
   * matcher, issue 13 round 11)? Then each call visits another node: a position `i + 1` advanced beside
   * it (into another sequence, the topic's levels) is the depth, not the input shrinking, and the calls
   * are bounded by the structure's size, however the position is used.
   */
  protected walksDistinctParts(): boolean {
    const calls = this.selfCalls;
    if (calls.length < 2) return false;
    const width = Math.min(...calls.map((c) => c.args.length));
    for (let i = 0; i < width; i++) {
      const args = calls.map((c) => c.args[i]);
      const shapes = args.map((a) => this.a.argShape(a));
      const root = shapes[0].t === 'part' ? shapes[0].name : null;
      if (!root || !shapes.every((s) => s.t === 'part' && s.name === root)) continue;
      if (new Set(args.map((a) => a.text.replace(/\s+/g, ''))).size === args.length) return true;
    }
    return false;
  }

  /**
   * Do the self-calls split a list into its end element and the rest, at one argument position
   * (`L[0]` with `L[1:]` or `L.slice(1)`, `L[-1]` with `L[:-1]`)? Either exactly two such calls
   * (pyparsing's `_flatten`, issue 13 round 14), or every self-call stands in a `return` and each
   * `return` holds a head and a tail call or a tail call alone (schemdraw's `flatten`: `return
   * f(S[0]) + f(S[1:])`, `return f(S[1:])`, `return S[:1] + f(S[1:])`, issue 13 round 16): one
   * `return` runs per call, so each level makes at most the two disjoint calls. Returns the list's name.
   */
  protected headAndTail(): string | null {
    const calls = this.selfCalls;
    if (calls.length < 2) return null;
    const width = Math.min(...calls.map((c) => c.args.length));
    for (let i = 0; i < width; i++) {
      const args = calls.map((c) => c.args[i].text.replace(/\s+/g, ''));
      const shapes = calls.map((c) => this.a.argShape(c.args[i]));
      const tail = shapes.findIndex((s) => s.t === 'slice' && s.cut === 'one');
      if (tail < 0) continue;
      const name = (shapes[tail] as { name: string }).name;
      // Only the disjoint pairs: the first element and the list after it, the last and the list before
      // it (review 12 S3: `L[-1]` with `L[1:]` walks the last element again at every level).
      const pairs: [string, string[]][] = [[`${name}[0]`, [`${name}[1:]`, `${name}.slice(1)`]], [`${name}[-1]`, [`${name}[:-1]`]]];
      for (const [head, rests] of pairs) {
        const isTail = (a: string) => rests.includes(a);
        if (calls.length === 2 && args.some((a) => a === head) && args.some(isTail)) return name;
        if (calls.length === 2) continue;
        // Group the calls by the `return` they stand in; a call outside one runs beside the others.
        const groups = new Map<number, string[]>();
        let outside = false;
        calls.forEach((c, k) => {
          let r: SyntaxNode | null = c.node.parent;
          while (r && r.type !== 'return_statement' && !/function|lambda|method_definition|class/.test(r.type)) r = r.parent;
          if (r?.type !== 'return_statement') outside = true;
          else groups.set(r.startIndex, [...(groups.get(r.startIndex) ?? []), args[k]]);
        });
        if (outside) continue;
        const shapesOk = [...groups.values()].every((g) => (g.length === 1 && isTail(g[0])) || (g.length === 2 && g.some((a) => a === head) && g.some(isTail)));
        if (shapesOk && [...groups.values()].some((g) => g.length === 2)) return name;
      }
    }
    return null;
  }

  /**
   * A parameter used only as a counter: compared, and passed on (as itself or ± a constant), never
   * used as an index (`xs[depth]` would make it data).
   */
  protected isCounter(name: string): boolean {
    if (!this.params.has(name)) return false;
    for (const stmt of this.shape.body) {
      for (const n of stmt.descendants()) {
        if (n.text !== name || n.namedChildren.length > 0) continue;
        const p = n.parent;
        if (p && (p.type === 'subscript' || p.type === 'subscript_expression' || p.type === 'slice')) return false;
      }
    }
    return true;
  }

  /**
   * Does the body mark what it visits in a structure it receives (`grid[i][j] = '#'`,
   * `visited[node] = true`)? Then every state is visited once: a flood fill or a DFS, not an
   * exponential recursion. Returns the marked parameter's name.
   */
  protected marksVisited(): string | null {
    for (const stmt of this.shape.body) {
      for (const n of stmt.descendants()) {
        let target: SyntaxNode | null = null;
        if ((n.type === 'assignment' || n.type === 'assignment_expression') && n.child('left') && /subscript/.test(n.child('left')!.type)) target = n.child('left');
        if (!target) continue;
        let base: SyntaxNode | null = target;
        while (base && /subscript/.test(base.type)) base = base.child('value') ?? base.child('object');
        if (base?.type === 'identifier' && this.params.has(base.text)) return base.text;
      }
    }
    return null;
  }

  protected midFor(name: string): [string, string] | null {
    for (const v of this.assigns.get(name) ?? []) if (v) {
      const m = this.a.midpoint(v);
      if (m) return m;
    }
    return null;
  }

  protected spanKey([lo, hi]: [string, string]): VarKey {
    return `span|${hi} - ${lo}`;
  }

  protected rootParam(name: string): string | null {
    return this.params.has(name) ? name : null;
  }

  /** For `f(i + 1)`: the bound that `i` is compared with (`i == len(xs)`), else `i` itself. */
  protected boundFor(name: string): VarKey {
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
