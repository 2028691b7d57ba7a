// The cost algebra of the static estimate: a cost is a sum of monomials over size variables
// (n², n·m, n log n, 2ⁿ), each monomial carrying the chain of places that produced it, plus a
// lower-bound flag and notes for what could not be estimated (calls into other modules, loops
// whose iteration count is unknown). Dominated monomials are pruned: O(n² + n) is O(n²), but
// O(n + m) stays a sum because neither term dominates.

/** One place in the code that contributes a factor: a loop, a scan, a call. */
export interface Step {
  startIndex: number;
  endIndex: number;
  label: string;
  /** A call whose callee carries the cost (the callee is where it is caused). */
  call?: boolean;
}

/**
 * A size variable. Keys are self-describing: `len|items` (length of a parameter), `val|n` (the
 * value of an integer parameter), `elem|row` (length of an element of another collection: a row
 * of a grid — never counted as "quadratic in the input"), `attr|self.items`, `size|node` (nodes
 * reachable from a parameter), `span|hi - lo` (a range of indices given by two parameters).
 */
export type VarKey = string;

export interface Factor {
  /** Polynomial power. */
  p: number;
  /** Power of log. */
  l: number;
}

export interface Term {
  readonly f: ReadonlyMap<VarKey, Factor>;
  /** Variables in an exponent: 2ⁿ. */
  readonly e: ReadonlySet<VarKey>;
  readonly chain: readonly Step[];
}

export interface Note {
  startIndex: number;
  endIndex: number;
  text: string;
}

export interface Cost {
  readonly terms: readonly Term[];
  /** True when something was not estimated: the true cost may be higher. */
  readonly lower: boolean;
  readonly notes: readonly Note[];
}

const EMPTY_F: ReadonlyMap<VarKey, Factor> = new Map();
const EMPTY_E: ReadonlySet<VarKey> = new Set();

export const ONE: Cost = { terms: [{ f: EMPTY_F, e: EMPTY_E, chain: [] }], lower: false, notes: [] };

export function variable(key: VarKey, p = 1, l = 0): Cost {
  return { terms: [{ f: new Map([[key, { p, l }]]), e: EMPTY_E, chain: [] }], lower: false, notes: [] };
}

export function exponential(key: VarKey): Cost {
  return { terms: [{ f: EMPTY_F, e: new Set([key]), chain: [] }], lower: false, notes: [] };
}

export function unknown(note: Note): Cost {
  return { terms: ONE.terms, lower: true, notes: [note] };
}

export function withLower(c: Cost, notes: readonly Note[] = []): Cost {
  return { terms: c.terms, lower: true, notes: mergeNotes(c.notes, notes) };
}

export function withStep(c: Cost, step: Step): Cost {
  return { ...c, terms: c.terms.map((t) => (isConstantTerm(t) ? t : { ...t, chain: [step, ...t.chain] })) };
}

/** Notes kept per cost: enough to say why, bounded so that long functions stay cheap. */
const MAX_NOTES = 8;

function mergeNotes(a: readonly Note[], b: readonly Note[]): Note[] {
  if (b.length === 0 || a.length >= MAX_NOTES) return a as Note[];
  if (a.length === 0) return b as Note[];
  const out = [...a];
  for (const n of b) {
    if (out.length >= MAX_NOTES) break;
    if (!out.some((x) => x.text === n.text && x.startIndex === n.startIndex)) out.push(n);
  }
  return out;
}

export function isConstantTerm(t: Term): boolean {
  return t.f.size === 0 && t.e.size === 0;
}

export function isConstant(c: Cost): boolean {
  return c.terms.every(isConstantTerm);
}

/** a ≥ b in every variable (polynomial power, then log power) and in the exponent. */
function dominates(a: Term, b: Term): boolean {
  for (const v of b.e) if (!a.e.has(v)) return false;
  if (a.e.size > b.e.size) return true;
  for (const [v, fb] of b.f) {
    const fa = a.f.get(v);
    if (!fa) return false;
    if (fa.p < fb.p || (fa.p === fb.p && fa.l < fb.l)) return false;
  }
  return true;
}

/**
 * Most terms a cost keeps. A sum of more independent sizes than this says nothing a reader can use,
 * and pruning is quadratic in the terms: minified bundles would otherwise accumulate thousands.
 */
export const MAX_TERMS = 16;

/** Drop dominated terms; past MAX_TERMS keep the highest-degree ones (the cost becomes a lower bound). */
function prune(input: Term[]): { terms: Term[]; truncated: boolean } {
  const truncated = input.length > 4 * MAX_TERMS;
  const terms = truncated ? truncate(input, 4 * MAX_TERMS) : input;
  const out: Term[] = [];
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i];
    let dominated = false;
    for (let j = 0; j < terms.length && !dominated; j++) {
      if (i === j) continue;
      const u = terms[j];
      // Equal terms: keep the first one.
      if (dominates(u, t) && (!dominates(t, u) || j < i)) dominated = true;
    }
    if (!dominated) out.push(t);
  }
  if (out.length === 0) return { terms: [...ONE.terms], truncated };
  return out.length > MAX_TERMS ? { terms: truncate(out, MAX_TERMS), truncated: true } : { terms: out, truncated };
}

function truncate(terms: Term[], keep: number): Term[] {
  return terms
    .map((t, i) => ({ t, i, d: termDegree(t) }))
    .sort((a, b) => b.d - a.d || a.i - b.i)
    .slice(0, keep)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.t);
}


/** Sequential composition: the sum (the larger term wins). */
export function add(...costs: Cost[]): Cost {
  if (costs.length === 1) return costs[0];
  if (costs.length === 2) {
    // The walk adds ONE (a constant step) to almost every node's cost: with a one-term cost the
    // general path below keeps that term alone (a constant term is dominated by any other, and of
    // two constant terms the first is kept), with the same `lower` and notes. Skip its allocations.
    const [a, b] = costs;
    if (b === ONE && a.terms.length === 1) return a;
    if (a === ONE && b.terms.length === 1) return isConstantTerm(b.terms[0]) && b.terms[0] !== ONE.terms[0] ? { terms: ONE.terms, lower: b.lower, notes: b.notes } : b;
  }
  const terms: Term[] = [];
  let lower = false;
  let notes: Note[] = [];
  for (const c of costs) {
    terms.push(...c.terms);
    lower ||= c.lower;
    notes = mergeNotes(notes, c.notes);
  }
  const pruned = prune(terms);
  return { terms: pruned.terms, lower: lower || pruned.truncated, notes };
}

/** Branches: the worst case of the alternatives (the same as the sum in O-notation). */
export const max = add;

function mulTerm(a: Term, b: Term): Term {
  const f = new Map(a.f);
  for (const [v, fb] of b.f) {
    const fa = f.get(v);
    f.set(v, fa ? { p: fa.p + fb.p, l: fa.l + fb.l } : fb);
  }
  const e = a.e.size === 0 ? b.e : b.e.size === 0 ? a.e : new Set([...a.e, ...b.e]);
  return { f, e, chain: [...a.chain, ...b.chain] };
}

/** Nesting: the product. */
export function mul(a: Cost, b: Cost): Cost {
  const terms: Term[] = [];
  for (const ta of a.terms) for (const tb of b.terms) terms.push(mulTerm(ta, tb));
  const pruned = prune(terms);
  return { terms: pruned.terms, lower: a.lower || b.lower || pruned.truncated, notes: mergeNotes(a.notes, b.notes) };
}

/** log of a size: log n for n, n^k, n·m → log n + log m (constants: 1). */
export function logOf(size: Cost): Cost {
  const parts: Cost[] = [];
  for (const t of size.terms) {
    for (const v of t.f.keys()) parts.push(variable(v, 0, 1));
    for (const v of t.e) parts.push(variable(v));
  }
  const c = parts.length ? add(...parts) : ONE;
  return { ...c, lower: size.lower || c.lower, notes: mergeNotes(c.notes, size.notes) };
}

/** Square root of a size: n → √n (each power halved). */
export function sqrtOf(size: Cost): Cost {
  return { ...size, terms: size.terms.map((t) => ({ ...t, f: new Map([...t.f].map(([v, f]) => [v, { p: f.p / 2, l: f.l }])) })) };
}

/** Replace each variable by a cost (a callee's parameters by the caller's argument sizes). */
export function substitute(c: Cost, map: (key: VarKey) => Cost | null): Cost {
  let out: Cost | null = null;
  for (const t of c.terms) {
    let term: Cost = { terms: [{ f: EMPTY_F, e: EMPTY_E, chain: t.chain }], lower: false, notes: [] };
    for (const [v, fa] of t.f) {
      const s = map(v);
      if (!s) {
        term = mul(term, variable(v, fa.p, fa.l));
        continue;
      }
      for (let i = 0; i < fa.p; i++) term = mul(term, s);
      for (let i = 0; i < fa.l; i++) term = mul(term, logOf(s));
      if (s.lower) term = withLower(term, s.notes);
    }
    for (const v of t.e) {
      const s = map(v);
      if (!s) term = mul(term, exponential(v));
      else {
        let e: Cost = ONE;
        for (const st of s.terms) for (const w of [...st.f.keys(), ...st.e]) e = mul(e, exponential(w));
        term = mul(term, e);
      }
    }
    out = out ? add(out, term) : term;
  }
  const r = out ?? ONE;
  return { terms: r.terms, lower: r.lower || c.lower, notes: mergeNotes(c.notes, r.notes) };
}

/** Polynomial degree of a term, counting only variables that are sizes of inputs (not elements). */
export function inputDegree(t: Term): number {
  let d = 0;
  for (const [v, f] of t.f) if (/^(len|val|attr|size|span)\|/.test(v)) d += f.p;
  return d;
}

export function varsOf(c: Cost): VarKey[] {
  const out: VarKey[] = [];
  for (const t of c.terms) for (const v of [...t.f.keys(), ...t.e]) if (!out.includes(v)) out.push(v);
  return out;
}

// ---- formatting ----

const SUPERSCRIPT: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', n: 'ⁿ', m: 'ᵐ', k: 'ᵏ', p: 'ᵖ', r: 'ʳ', s: 'ˢ', t: 'ᵗ', u: 'ᵘ', v: 'ᵛ', w: 'ʷ', i: 'ⁱ', j: 'ʲ', h: 'ʰ', d: 'ᵈ', e: 'ᵉ', a: 'ᵃ', b: 'ᵇ', c: 'ᶜ', x: 'ˣ', y: 'ʸ', z: 'ᶻ', l: 'ˡ', o: 'ᵒ', g: 'ᵍ', f: 'ᶠ' };

function sup(s: string): string {
  const chars = [...s].map((c) => SUPERSCRIPT[c]);
  return chars.every(Boolean) ? chars.join('') : `^${s}`;
}

export interface Naming {
  /** Short name of each variable (n, m, …). */
  letters: Map<VarKey, string>;
  /** "n = len(orders)" for each variable whose letter is not its own description. */
  legend: string[];
  /** The legend entry of each variable. */
  entries: Map<VarKey, string>;
}

const LETTERS = ['n', 'm', 'k', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

/**
 * Letters for variables in order: an integer parameter with a one-letter name keeps it; the others
 * take n, m, k, … in the order given (parameter order).
 */
export function nameVariables(keys: readonly VarKey[], describe: (key: VarKey) => string): Naming {
  const letters = new Map<VarKey, string>();
  const used = new Set<string>();
  for (const k of keys) {
    const [kind, name] = splitKey(k);
    if (kind === 'val' && /^[a-z]$/.test(name) && !used.has(name)) {
      letters.set(k, name);
      used.add(name);
    }
  }
  const legend: string[] = [];
  const entries = new Map<VarKey, string>();
  for (const k of keys) {
    if (!letters.has(k)) {
      const letter = LETTERS.find((l) => !used.has(l)) ?? `x${used.size}`;
      letters.set(k, letter);
      used.add(letter);
    }
    // Never cut: a name with "…" in it is the clutter users complained about (issue 19).
    const d = describe(k).replace(/\s+/g, ' ');
    if (d !== letters.get(k)) {
      legend.push(`${letters.get(k)} = ${d}`);
      entries.set(k, `${letters.get(k)} = ${d}`);
    }
  }
  return { letters, legend, entries };
}

export function splitKey(k: VarKey): [string, string] {
  const i = k.indexOf('|');
  return i < 0 ? ['', k] : [k.slice(0, i), k.slice(i + 1)];
}

export function termDegree(t: Term): number {
  let d = 0;
  for (const f of t.f.values()) d += f.p + f.l * 0.01;
  return t.e.size * 1000 + d;
}

export function formatTerm(t: Term, letters: ReadonlyMap<VarKey, string>): string {
  const order = [...letters.keys()];
  const vars = [...t.f.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const power = (v: VarKey) => {
    const p = t.f.get(v)!.p;
    const l = letters.get(v)!;
    if (p === 1) return l;
    if (p === 0.5) return `√${l}`;
    if (Number.isInteger(p)) return l + sup(String(p));
    if (Number.isInteger(p - 0.5)) return `${l}${p - 0.5 > 1 ? sup(String(p - 0.5)) : ''}√${l}`;
    return `${l}^${p}`;
  };
  const poly = vars.filter((v) => t.f.get(v)!.p > 0).map(power);
  const logs = vars.filter((v) => t.f.get(v)!.l > 0).map((v) => (t.f.get(v)!.l > 1 ? `log${sup(String(t.f.get(v)!.l))} ` : 'log ') + letters.get(v)!);
  const exps = [...t.e].sort((a, b) => order.indexOf(a) - order.indexOf(b)).map((v) => `2${sup(letters.get(v)!)}`);
  const parts = [...exps, poly.join('·')].filter(Boolean).join('·');
  const all = [parts, ...logs].filter(Boolean).join(' ');
  return all || '1';
}

export function formatCost(c: Cost, letters: ReadonlyMap<VarKey, string>, maxTerms = 4): string {
  const order = [...letters.keys()];
  // Same degree: the term with more of the first variables first (n² + n·m, n + m).
  const lex = (a: Term, b: Term) => {
    for (const v of order) {
      const d = (b.f.get(v)?.p ?? 0) - (a.f.get(v)?.p ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  };
  const terms = [...c.terms].sort((a, b) => termDegree(b) - termDegree(a) || lex(a, b));
  const shown = terms.slice(0, maxTerms).map((t) => formatTerm(t, letters));
  if (terms.length > maxTerms) shown.push('…');
  return `${c.lower ? '≥ ' : ''}O(${shown.join(' + ')})`;
}
