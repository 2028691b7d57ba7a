// The second part of a function's walk (sizes.ts below it, walker.ts above): how many times a loop
// runs: for-each over a collection, counted loops, while loops whose bound is inferred from their
// condition and updates (halving, a shrinking window, a visited set, a flag cleared per pass).
import type { SyntaxNode } from '../parsing';
import type { Construct, Span } from './adapter';
import { add, sqrtOf, isConstant, logOf, mul, ONE, unknown, variable, withStep, type Cost } from './cost';
import { amortizedDrain } from './amortized';
import { Sizes } from './sizes';
import { stepOf, short, push } from './walk';

export abstract class LoopBounds extends Sizes {
  protected readonly loopCounts = new Map<SyntaxNode, Cost>();
  protected readonly countingLoops = new Set<SyntaxNode>();

  protected loopCount(key: SyntaxNode, c: Construct, clause = 0): Cost {
    this.est.deadline.check();
    const cached = this.loopCounts.get(key);
    if (cached) return cached;
    if (this.countingLoops.has(key)) {
      this.cutoffs++;
      return unknown({ startIndex: key.startIndex, endIndex: key.endIndex, text: 'the loop grows what it iterates over' });
    }
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
  protected whileCount(c: Extract<Construct, { kind: 'while' } | { kind: 'counted' }>): { count: Cost; label: string } {
    const bodyNodes = [...c.body, ...(c.kind === 'counted' ? c.update : [])];
    const updates = new Map<string, string[]>();
    const pops = new Set<string>();
    for (const stmt of bodyNodes) {
      for (const n of stmt.descendants()) {
        this.est.deadline.check();
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
    // `while swapped:` (bubble sort): a flag cleared at the top of each pass and set by an inner
    // loop when it changes something. Each pass puts at least one more element in place: at most as
    // many passes as the inner loop has steps.
    const flagLoop = this.flagPasses(c);
    if (flagLoop) return flagLoop;
    for (const cj of conjuncts) {
      const cmp = this.a.comparison(cj);
      const coll = this.a.truthyCollection(cj);
      if (coll) {
        const ref = this.a.sizeRef(coll);
        if (ref.t === 'name' && pops.has(ref.name)) {
          const pushedInside = (this.grows.get(ref.name) ?? []).filter((g) => c.body.some((b) => b.contains(g.node)));
          if (pushedInside.length === 0) {
            const drained = { starts: this.assigns.get(ref.name) ?? [], assignSites: this.assignSites.get(ref.name) ?? [], grows: this.grows.get(ref.name) ?? [] };
            linear.push(amortizedDrain(c.node, drained, (n) => this.enclosingLoops(n)[0]?.key) ? ONE : this.size(ref));
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
      // 2 * root + 1 <= end with root = child = 2 * root + 1 (sift-down in a heap): the index at
      // least doubles per step, O(log n) steps.
      if (up && this.doubles(cmp.left, updates)) {
        halving = valueOfName(cmp.right);
        continue;
      }
      // hi - lo > eps with lo/hi moved to points inside the range (ternary search): the range
      // shrinks by a constant factor per step.
      if (down && this.shrinkingRange(cmp.left, updates)) {
        halving = valueOfName(cmp.left);
        continue;
      }
      // i < n with i += 1 on one path and i -= 1 on another (gnome sort): every step back must be
      // made up again, up to one step back per inversion: O(n²) steps.
      if (ln && has(ln, 'inc') && has(ln, 'dec') && up) {
        const n = valueOfName(cmp.right);
        return { count: mul(n, n), label: `loop \`${short(c.cond.text, 30)}\` stepping back (up to n² steps)` };
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
        // `end` started from the outer index and the outer index jumps to it after the loop
        // (`let end = i + 6; while (end < n) end++; i = end;`): a scanner skipping ahead, linear in total.
        if (this.skipsAhead(c.node, ln)) return { count: ONE, label: 'loop' };
        linear.push(valueOfName(cmp.right));
        continue;
      }
      if (rn && has(rn, 'dec') && up) {
        linear.push(valueOfName(cmp.right));
        continue;
      }
      if (ln && has(ln, 'dec') && down) {
        // `while j >= 0 and …: j -= 1` with `j = i - 1` set before the loop (insertion sort): at
        // most the starting value of j steps.
        const start = this.startValue(c.node, ln);
        let steps = start ? this.size(this.a.valueRef(start), 'val') : valueOfName(cmp.left);
        // Started from an enclosing loop's index (`let j = i - 1` inside `for (let i = 1; i < n; i++)`):
        // at most as many steps as that loop has.
        if (start && isConstant(steps)) {
          for (const frame of this.enclosingLoops(c.node)) {
            const fc = frame.construct;
            const index = fc.kind === 'loop' ? fc.targets : fc.kind === 'counted' ? [...fc.init.flatMap((n) => [n, ...n.descendants()]).flatMap((d) => this.a.facts(d)).filter((f) => f.t === 'assign').map((f) => f.name)] : [];
            if (index.some((nm) => new RegExp(`\\b${nm}\\b`).test(start.text))) {
              steps = this.loopCount(frame.key, fc, frame.clause);
              break;
            }
          }
        }
        linear.push(steps);
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
  /** Does an enclosing loop start `name` from its own index and then move its index to `name`? */
  protected skipsAhead(loop: SyntaxNode, name: string): boolean {
    const start = this.startValue(loop, name);
    if (!start) return false;
    for (const frame of this.enclosingLoops(loop)) {
      const fc = frame.construct;
      const body = fc.kind === 'comprehension' ? [] : 'body' in fc ? fc.body : [];
      const counters = fc.kind === 'counted' ? fc.init.flatMap((n) => [n, ...n.descendants()]).flatMap((d) => this.a.facts(d)).filter((f) => f.t === 'assign').map((f) => f.name) : fc.kind === 'while' && fc.cond ? [...fc.cond.descendants()].filter((d) => d.type === 'identifier').map((d) => d.text) : [];
      for (const idx of counters) {
        if (!this.derivedFrom(start, idx)) continue;
        const jumps = (this.assignSites.get(idx) ?? []).some((site, i) => body.some((b) => b.contains(site)) && site.startIndex > loop.endIndex && (this.assigns.get(idx) ?? [])[i]?.text.replace(/\s/g, '').startsWith(name));
        if (jumps) return true;
      }
    }
    return false;
  }

  /** Does `expr` read `name`, directly or through locals assigned from it (`i = skip(input, end)`, `end = f(pos)`)? */
  protected derivedFrom(expr: SyntaxNode, name: string, seen = new Set<string>()): boolean {
    if (new RegExp(`\\b${name}\\b`).test(expr.text)) return true;
    const via = [expr, ...expr.descendants()].filter((d) => d.type === 'identifier' && !seen.has(d.text) && seen.size <= 8 && !!seen.add(d.text));
    return via.some((d) => (this.assigns.get(d.text) ?? []).some((v) => v && this.derivedFrom(v, name, seen)));
  }

  /** The value `name` holds when the loop starts: its last assignment before the loop in the same block. */
  protected startValue(loop: SyntaxNode, name: string): SyntaxNode | null {
    const sites = this.assignSites.get(name) ?? [];
    const values = this.assigns.get(name) ?? [];
    let best: SyntaxNode | null = null;
    sites.forEach((site, i) => {
      if (site.endIndex <= loop.startIndex && loop.parent && site.parent && (site.parent === loop.parent || site.parent.parent === loop.parent) && values[i]) best = values[i];
    });
    return best;
  }

  /** `2 * x + 1`, `x * 2`, `x << 1` where the body reassigns x (to `2 * x + 1` directly or through a name). */
  protected doubles(expr: SyntaxNode, updates: Map<string, string[]>): boolean {
    for (const n of [expr, ...expr.descendants()]) {
      const m = /^(?:(\w+)\s*\*\s*(\d+)|(\d+)\s*\*\s*(\w+)|(\w+)\s*<<\s*(\d+))$/.exec(n.text.replace(/\s+/g, ' ').trim());
      if (!m) continue;
      const name = m[1] ?? m[4] ?? m[5];
      const k = Number(m[2] ?? m[3] ?? (m[6] ? 2 : 0));
      if (name && k >= 2 && /^[A-Za-z_]\w*$/.test(name) && (updates.get(name) ?? []).length > 0) return true;
    }
    return false;
  }

  /** `hi - lo` where the body moves hi and lo to points computed from both (`lo + (hi - lo) / 3`). */
  protected shrinkingRange(expr: SyntaxNode, updates: Map<string, string[]>): boolean {
    const m = /^\(?\s*(\w+)\s*-\s*(\w+)\s*\)?$/.exec(expr.text);
    if (!m) return false;
    const [, hi, lo] = m;
    const moved = (name: string) => (updates.get(name) ?? []).some((h) => h === 'assign' || h === 'mid');
    if (!moved(hi) || !moved(lo)) return false;
    // Each new end is a point between the ends: an expression dividing the range (or a name holding one).
    const divides = (v: SyntaxNode | null): boolean => !!v && /\/\/?\s*\d|>>\s*\d|Math\.floor/.test(v.text) && v.text.includes(hi) && v.text.includes(lo);
    const pointsFor = (name: string) => (this.assigns.get(name) ?? []).some((v) => divides(v) || (v?.type === 'identifier' && (this.assigns.get(v.text) ?? []).some(divides)));
    return pointsFor(hi) && pointsFor(lo);
  }

  /** The passes of a `while flag:` loop whose inner loop sets the flag: the inner loop's count. */
  protected flagPasses(c: Extract<Construct, { kind: 'while' } | { kind: 'counted' }>): { count: Cost; label: string } | null {
    if (c.kind !== 'while' || !c.cond) return null;
    const flag = this.a.valueRef(c.cond);
    if (flag.t !== 'name') return null;
    const values = this.assigns.get(flag.name) ?? [];
    if (values.length < 2 || !values.every((v) => v && /^(True|False|true|false)$/.test(v.text))) return null;
    const sites = this.assignSites.get(flag.name) ?? [];
    const clearedAtTop = c.body.some((stmt) => sites.some((s) => stmt === s || stmt.namedChildren[0] === s || (stmt.startIndex === s.startIndex && /false/i.test(s.text))));
    if (!clearedAtTop) return null;
    for (const stmt of c.body) {
      for (const n of [stmt, ...stmt.descendants()]) {
        const inner = this.classify(n);
        if (!inner || (inner.kind !== 'loop' && inner.kind !== 'counted')) continue;
        if (!sites.some((s) => n.contains(s) && /true/i.test(s.text))) continue;
        const count = this.loopCount(n, inner);
        if (isConstant(count)) return null;
        return { count, label: `passes of \`${short(c.cond.text, 30)}\` (at most one per element)` };
      }
    }
    return null;
  }

  protected visitedWalk(body: readonly SyntaxNode[], pushes: SyntaxNode[]): Cost | null {
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

  protected outerLoopOn(node: SyntaxNode, name: string): boolean {
    for (const frame of this.enclosingLoops(node)) {
      const c = frame.construct;
      if (c.kind !== 'while' && c.kind !== 'counted') continue;
      if (!c.cond) continue;
      for (const d of c.cond.descendants()) if (d.type === 'identifier' && d.text === name) return true;
    }
    return false;
  }

  protected midOf(node: SyntaxNode): [string, string] | null {
    const m = this.a.midpoint(node);
    if (m) return m;
    // mid + 1, mid - 1, or a local assigned from the midpoint.
    const ref = this.a.argShape(node);
    const name = ref.t === 'name' || ref.t === 'arith' ? ref.name : null;
    if (!name) return null;
    for (const v of this.assigns.get(name) ?? []) if (v && this.a.midpoint(v)) return this.a.midpoint(v);
    return null;
  }
}
