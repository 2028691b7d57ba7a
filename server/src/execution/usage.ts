// Input types from how a function uses its parameters, when nothing declares them: `len(xs)`,
// `for x in xs`, `xs[i]`, `xs.append(y)`, `d.items()`, `n - 1`, `s.upper()`, `order["customer"]`,
// `user.id` (a list of records with an `id`). Each language plug-in walks its syntax and states
// facts about variables (languages/<lang>/execution/usage.ts); this file is the language-neutral
// part: the facts, unification of variables that must have the same type (aliases, comparisons,
// elements moved from one collection to another), and the TypeSpec each parameter resolves to.

import type { InferredParam } from './language';
import type { Field, TypeSpec } from './typespec';

/** What a use says about a variable's value. */
export type Hint =
  | 'int' // arithmetic, range(x), comparison with a number
  | 'float'
  | 'str' // string methods, concatenation with a string literal
  | 'bool'
  | 'truthy' // only tested (`if x:`): a bool when nothing else is known
  | 'fallback' // the left of `x || other`, `x ?? other`, `x or other`: left out (null) when nothing else is known, so the fallback is used
  | 'defaulted' // reassigned from its own fallback (`x = x || other`, `x = x or other`): an optional parameter, left out (null)
  | 'sized' // len(x), x.length
  | 'iter' // iterated, spread, passed to sorted/sum/…
  | 'index' // x[i] with a number, slices
  | 'position' // used as the index of a sequence (x[i]): below its length
  | 'list' // append, pop, sort: a mutable sequence
  | 'dict' // items(), keys(), get(): a mapping
  | 'map' // a JavaScript Map (get/set/has)
  | 'set' // add, discard: a set
  | 'call' // called: a function
  | 'shown' // only formatted into text (f-string, str(), %, print): any value does; a string is built
  | 'passed' // an argument of a call Hotpath does not follow: 'shown' alone no longer says any value does
  | 'opaque'; // a method Hotpath does not know: an object it cannot build

/** Element, key and value of a collection, a field of a record: derived variables. */
const ELEM = '[]';
const KEY = '{k}';
const VALUE = '{v}';

/**
 * Facts about the variables of one or more functions. Variables are strings (a language uses
 * `fn:param`, `fn:local`); derived ones are made by elem(), key(), value(), field(), result().
 */
export class UsageFacts {
  private readonly parent = new Map<string, string>();
  private readonly hints = new Map<string, Set<Hint>>();
  /** Structure per root: element, key, value, fields (by name; attrs true for `x.f`), tuple items, call result. */
  private readonly kids = new Map<string, Map<string, string>>();
  private readonly indexes: { v: string; index: string; result: string }[] = [];
  /** Why a variable got a hint, for the report ("len(xs)"). */
  private readonly why = new Map<string, string[]>();
  private readonly shownWhy = new Map<string, string[]>();
  /** Elements, keys and values of collections (`x in xs`, `{x}`): an integer like the collection's other elements when nothing else says. */
  private readonly members = new Set<string>();
  private readonly constants = new Map<string, number | string | boolean>();
  /** Types stated from outside the function's own uses: what a callee's parameter needs, `isinstance(x, str)`. */
  private readonly givens = new Map<string, TypeSpec>();

  find(v: string): string {
    let r = v;
    while (this.parent.has(r)) r = this.parent.get(r)!;
    // Path compression.
    let x = v;
    while (this.parent.has(x)) {
      const next = this.parent.get(x)!;
      this.parent.set(x, r);
      x = next;
    }
    return r;
  }

  /** The two variables hold values of the same type. */
  same(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    this.parent.set(rb, ra);
    if (this.bounds.has(rb)) this.bounds.add(ra);
    const gb = this.givens.get(rb);
    if (gb && !this.givens.has(ra)) this.givens.set(ra, gb);
    const hb = this.hints.get(rb);
    if (hb) for (const h of hb) this.hintsOf(ra).add(h);
    const wb = this.why.get(rb);
    if (wb) this.why.set(ra, [...(this.why.get(ra) ?? []), ...wb]);
    const sb = this.shownWhy.get(rb);
    if (sb) this.shownWhy.set(ra, [...(this.shownWhy.get(ra) ?? []), ...sb]);
    const kb = this.kids.get(rb);
    if (kb) {
      for (const [slot, child] of kb) {
        const ka = this.kidsOf(ra);
        const existing = ka.get(slot);
        if (existing) this.same(existing, child);
        else ka.set(slot, child);
      }
    }
  }

  private hintsOf(root: string): Set<Hint> {
    let h = this.hints.get(root);
    if (!h) this.hints.set(root, (h = new Set()));
    return h;
  }

  private kidsOf(root: string): Map<string, string> {
    let k = this.kids.get(root);
    if (!k) this.kids.set(root, (k = new Map()));
    return k;
  }

  private child(v: string, slot: string): string {
    const r = this.find(v);
    const k = this.kidsOf(r);
    let c = k.get(slot);
    if (!c) k.set(slot, (c = `${r}${slot}`));
    if (slot === ELEM || slot === KEY || slot === VALUE) this.members.add(c);
    return c;
  }

  hint(v: string, h: Hint, because?: string): void {
    const r = this.find(v);
    this.hintsOf(r).add(h);
    if (because) {
      // Text formatting decides nothing when something else is needed: it is evidence only when the type resolves.
      const w = (h === 'shown' ? this.shownWhy : this.why).get(r) ?? [];
      if (h === 'shown') {
        if (w.length < 3 && !w.includes(because)) w.push(because);
        this.shownWhy.set(r, w);
        return;
      }
      if (w.length < 6 && !w.includes(because)) w.push(because);
      this.why.set(r, w);
    }
  }

  /**
   * The variable must have this type, by something outside its own uses: the parameter of the
   * function it is passed to (`helper(x)` where helper's `x` is a `list[int]`), an isinstance test.
   * The variable's own uses, when they say anything, decide first.
   */
  given(v: string, t: TypeSpec, because: string): void {
    const r = this.find(v);
    if (!this.givens.has(r)) this.givens.set(r, t);
    const w = this.why.get(r) ?? [];
    if (w.length < 6 && !w.includes(because)) w.push(because);
    this.why.set(r, w);
  }

  /** A value the variable was compared with or assigned from a literal: kept for the report only. */
  constant(v: string, value: number | string | boolean): void {
    this.constants.set(this.find(v), value);
  }

  elem(v: string): string {
    return this.child(v, ELEM);
  }
  key(v: string): string {
    return this.child(v, KEY);
  }
  value(v: string): string {
    return this.child(v, VALUE);
  }
  /** `x.name` (attrs) or `x["name"]`. */
  field(v: string, name: string, attrs: boolean): string {
    return this.child(v, `${attrs ? '.' : '#'}${name}`);
  }
  /** The i-th item of a tuple the variable holds (`for a, b in pairs`). */
  item(v: string, i: number): string {
    return this.child(v, `(${i})`);
  }
  /** What calling the variable returns. */
  result(v: string): string {
    return this.child(v, '()');
  }
  /** `v[index]`, whose kind (sequence or mapping) depends on what the index turns out to be. */
  index(v: string, index: string, result: string): void {
    this.indexes.push({ v, index, result });
  }

  /** Readable reasons for a variable's type (the uses that decided it; text formatting only when `resolved`). */
  evidence(v: string, resolved = true): string[] {
    const r = this.find(v);
    return [...(this.why.get(r) ?? []), ...(resolved ? this.shownWhy.get(r) ?? [] : [])];
  }

  /** The type a variable resolves to, or undefined when nothing says how to build it. */
  typeOf(v: string): TypeSpec | undefined {
    this.settleIndexes();
    return this.resolve(v, new Set(), 0, true);
  }

  private settled = 0;
  /** Index uses become element uses (a numeric index) or key/value uses (anything else). */
  private settleIndexes(): void {
    for (; this.settled < this.indexes.length; this.settled++) {
      const { v, index, result } = this.indexes[this.settled];
      const h = this.hints.get(this.find(index));
      const numeric = !!h && (h.has('int') || h.has('float'));
      if (numeric || !h || h.size === 0) {
        // An index that nothing else describes is a position (xs[i] with i from elsewhere).
        this.hint(v, 'index');
        this.same(this.elem(v), result);
        this.hint(index, 'int');
        this.hint(index, 'position');
      } else {
        this.hint(v, 'dict');
        this.same(this.key(v), index);
        this.same(this.value(v), result);
      }
    }
  }

  private resolve(v: string, seen: Set<string>, depth: number, top: boolean): TypeSpec | undefined {
    const r = this.find(v);
    if (seen.has(r) || depth > 6) return undefined;
    seen = new Set(seen).add(r);
    const h = this.hints.get(r) ?? new Set<Hint>();
    const kids = this.kids.get(r) ?? new Map<string, string>();
    const sub = (slot: string, fallback: TypeSpec | undefined): TypeSpec | undefined => {
      const c = kids.get(slot);
      return (c ? this.resolve(c, seen, depth + 1, false) : undefined) ?? fallback;
    };
    if (h.has('opaque')) return undefined;
    const given = this.givens.get(r);
    // Reassigned from its own fallback (`x = x or []`, `key = key || fn`) and used for nothing the
    // fallback does not cover (tests, passing it on, calling it): left out (None/null) so the
    // function's own default runs. A parameter also iterated, indexed, read… is built for those uses
    // (a None there would be replaced by the empty default and measure nothing).
    if (h.has('defaulted') && this.onlyOptional(h, kids, given)) return { k: 'const', value: null };
    // Only replaced by a fallback when missing (`weightFn || DEFAULT_WEIGHT_FUNC`): missing, as a default value would be.
    if (h.has('fallback') && kids.size === 0 && [...h].every((x) => x === 'fallback' || x === 'truthy' || x === 'passed') && (!given || given.k === 'bool' || given.k === 'const')) return { k: 'const', value: null };
    // Nothing of its own but tests and text formatting: what it is given to decides.
    if (given && kids.size === 0 && [...h].every((x) => x === 'truthy' || x === 'shown' || x === 'passed')) return given;
    const fieldSlots = [...kids.keys()].filter((s) => s.startsWith('.') || s.startsWith('#'));
    const items = [...kids.keys()].filter((s) => /^\(\d+\)$/.test(s)).sort();
    if (h.has('call')) {
      return { k: 'fn', returns: sub('()', { k: 'int' })! };
    }
    if (h.has('str')) return { k: 'str' };
    if (fieldSlots.length && !h.has('dict') && !h.has('map') && !h.has('index') && !h.has('iter') && !h.has('list') && !h.has('set')) {
      const fields: Field[] = fieldSlots.map((s) => ({ name: s.slice(1), type: sub(s, { k: 'int' })! }));
      const attrs = fieldSlots.some((s) => s.startsWith('.'));
      // A record whose fields are read both ways is not something Python can build.
      if (attrs && fieldSlots.some((s) => s.startsWith('#')) && !this.recordsTakeBoth) return undefined;
      return { k: 'record', fields, ...(attrs ? { attrs: true } : {}) };
    }
    if (items.length && !h.has('index') && !h.has('list') && !h.has('dict')) {
      return { k: 'tuple', items: items.map((s) => sub(s, { k: 'int' })!) };
    }
    if (h.has('map')) return { k: 'map', key: sub(KEY, { k: 'int' })!, value: sub(VALUE, { k: 'int' })! };
    if (h.has('dict') || kids.has(KEY) || kids.has(VALUE)) return { k: 'dict', key: sub(KEY, { k: 'int' })!, value: sub(VALUE, { k: 'int' })! };
    if (h.has('set')) return { k: 'set', of: sub(ELEM, { k: 'int' })! };
    if (h.has('list') || h.has('iter') || h.has('index') || h.has('sized') || kids.has(ELEM)) {
      const of = sub(ELEM, { k: 'int' })!;
      return { k: 'list', of };
    }
    if (h.has('float')) return { k: 'float' };
    // A parameter that only indexes a sequence (and is not also a bound: range(n), n - 1) is a
    // position in it: a number below the size, not the size itself.
    if (h.has('position') && top && !this.bounds.has(r)) return { k: 'int', position: true };
    if (h.has('int')) return { k: 'int' };
    if (given) return given;
    if (h.has('bool') || h.has('truthy')) return { k: 'bool' };
    if (h.has('shown') && !h.has('passed')) return { k: 'str' };
    // A parameter only put into or looked up in a collection (`v in seen`, `{v}`): an element of the
    // kind the collection is built with when nothing describes them.
    if (top && !h.has('passed') && [...this.members].some((m) => this.find(m) === r)) return { k: 'int' };
    return undefined;
  }

  /** A defaulted variable with no uses of its own beyond tests, passing on, text and calling it (with what its result is used for). */
  private onlyOptional(h: Set<Hint>, kids: Map<string, string>, given: TypeSpec | undefined): boolean {
    const covered: Hint[] = ['defaulted', 'fallback', 'truthy', 'passed', 'shown', 'call'];
    return [...h].every((x) => covered.includes(x)) && [...kids.keys()].every((s) => s === '()') && (!given || given.k === 'bool' || given.k === 'const' || given.k === 'fn');
  }

  /** Variables used as a bound or an amount (range(n), arithmetic): sizes, even when they also index. */
  private readonly bounds = new Set<string>();
  bound(v: string): void {
    this.bounds.add(this.find(v));
  }

  /** JavaScript objects take `x.f` and `x["f"]` alike (set by its plug-in). */
  recordsTakeBoth = false;
}

/** Each parameter's type from a walker's facts (`vars`: parameter name → its variable), with the uses that decided it. */
export function inferredParams({ facts, vars }: { facts: UsageFacts; vars: Map<string, string> }): Map<string, InferredParam> {
  const out = new Map<string, InferredParam>();
  for (const [name, v] of vars) {
    const type = facts.typeOf(v);
    out.set(name, { type, evidence: facts.evidence(v, !!type) });
  }
  return out;
}
