// What the module's calls pass to a function (issue 13 round 16): each unit records, under the called
// name, the shape of every call it makes (`f(a, [1, 2])`, `x.f(a, n=3)`) and every place it hands a
// name on as a value (an argument, an assignment's value, a return, an element of a display), so that
// a function's own unit can tell that every call in the module passes a parameter a literal list, or
// that no call overrides a parameter's default. The shapes are module name facts (USE_PREFIX traits,
// analysis/module.ts): they enter a unit's cache key only when the name also has a trait that some
// reader asks about (a call passing a literal list, LITERAL_ARG; a def with an integer default,
// INT_DEFAULT), so an edited call re-analyses the units that mention its callee only then.
//
// The rule for names callable from other modules: a parameter that every call in the module passes a
// literal list is evidence the collection is small (information, "callers elsewhere are not seen"),
// bounded by construction (a hint) only for a private name (`_f`) or a function nested in another.
// A default that no call in the module overrides bounds a loop only for a private name: a public one
// may be called with any value from elsewhere (a loop over a public function's literal tuple default
// is only demoted to a hint by HP103, saying so).
import { USE_PREFIX, type ModuleSummary } from '../../analysis/module';
import { SMALL_CAP, type SizeEvidence } from '../../analysis/sizeVerdict';
import type { SyntaxNode } from '../../parsing';
import { bindingsOf, readsListOnly, referencesIn, storeContext } from './scope';
import { enclosingFunction, integerValue, unparen } from './syntax';

/** A call in some unit passes a literal list of literals to this name (the trait a reader's key needs). */
export const LITERAL_ARG = 'literal-arg';
/** A `def` of this name has a parameter whose default is an integer literal. */
export const INT_DEFAULT = 'int-default';
/** A `def` of this name has a parameter whose default is a literal table (a tuple of literals or of literal pairs). */
export const TABLE_DEFAULT = 'table-default';
const CALL = `${USE_PREFIX}c:`;
const REF = `${USE_PREFIX}ref`;

// Review 13 S1: a default parameter value, a walrus, a parenthesised or awaited name, a subscript, a
// splat or a comprehension's element hand the name on as much as an argument does.
const VALUE_PARENTS = new Set(['argument_list', 'keyword_argument', 'return_statement', 'yield', 'list', 'tuple', 'set', 'pair', 'expression_list', 'decorator', 'lambda', 'conditional_expression', 'boolean_operator', 'default_parameter', 'typed_default_parameter', 'named_expression', 'augmented_assignment', 'subscript', 'await', 'parenthesized_expression', 'list_splat', 'dictionary_splat', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/** `[1, 2]`, `(0,)`: a list or tuple display of number and string literals only. */
function isLiteralList(v: SyntaxNode | null): boolean {
  const e = unparen(v);
  if (!e || (e.type !== 'list' && e.type !== 'tuple')) return false;
  const items = e.namedChildren.filter((c) => c.type !== 'comment');
  return items.length <= SMALL_CAP && items.every((c) => ['integer', 'float', 'string', 'concatenated_string', 'true', 'false', 'none'].includes(unparen(c)?.type ?? '') || (c.type === 'unary_operator' && c.namedChildren[0]?.type === 'integer'));
}

/** `((1000, 'M'), (900, 'CM'))`, `(',', ';')`: a non-empty tuple display of literals, or of literal list/tuple displays. */
function isLiteralTable(v: SyntaxNode | null): boolean {
  const e = unparen(v);
  if (e?.type !== 'tuple') return false;
  const items = e.namedChildren.filter((c) => c.type !== 'comment');
  return items.length > 0 && items.length <= SMALL_CAP && (isLiteralList(e) || items.every((c) => isLiteralList(c)));
}

/** How a function uses each local name: bindings to a literal list, other bindings, the callees it is passed to, any other use. */
type LocalUses = Map<string, { literal: number; other: boolean; callees: Set<string> }>;

/** One pass over a function's nodes (cached per function for the unit's walk: a call per argument would make it quadratic). */
function localUses(fn: SyntaxNode, cache: Map<number, LocalUses>): LocalUses {
  const hit = cache.get(fn.startIndex);
  if (hit) return hit;
  const uses: LocalUses = new Map();
  for (const d of fn.descendants()) {
    if (d.type !== 'identifier') continue;
    let u = uses.get(d.text);
    if (!u) uses.set(d.text, (u = { literal: 0, other: false, callees: new Set() }));
    const p = d.parent;
    if (p?.type === 'assignment' && p.child('left')?.startIndex === d.startIndex && p.child('left')?.endIndex === d.endIndex) {
      if (isLiteralList(p.child('right'))) u.literal++;
      else u.other = true;
      continue;
    }
    const call = p?.type === 'argument_list' ? p.parent : null;
    const f = call?.child('function');
    const name = f?.type === 'identifier' ? f.text : f?.type === 'attribute' ? f.child('attribute')?.text : undefined;
    if (name) u.callees.add(name);
    else u.other = true;
  }
  cache.set(fn.startIndex, uses);
  return uses;
}

/**
 * An argument that is a literal list: a display, or a name its function binds once to one and uses
 * nowhere else but as an argument of calls of the same callee (`half = [0x7f, …]; f(x, half)`).
 */
function literalArgument(arg: SyntaxNode, callee: string, cache: Map<number, LocalUses>): boolean {
  if (isLiteralList(arg)) return true;
  const a = unparen(arg);
  if (a?.type !== 'identifier') return false;
  const fn = enclosingFunction(a);
  if (!fn) return false;
  const u = localUses(fn, cache).get(a.text);
  return !!u && u.literal === 1 && !u.other && [...u.callees].every((c) => c === callee);
}

/** The shape of one call's arguments: `L` a literal list, `o` anything else per position, `*` an unpacking; `k=L` / `k=o` per keyword. */
function callShape(call: SyntaxNode, callee: string, cache: Map<number, LocalUses>): { shape: string; literal: boolean } {
  // `H._cmp(h, [0], data)`: a method called through its class passes `self` itself, so the positions
  // do not match the parameters after `self` (review 13 S1): read as an unpacking, which no reader trusts.
  const f = call.child('function');
  const receiver = f?.type === 'attribute' ? unparen(f.child('object')) : null;
  let pos = receiver && /^[A-Z]/.test(receiver.type === 'attribute' ? receiver.child('attribute')?.text ?? '' : receiver.text) ? '*' : '';
  const kws: string[] = [];
  let literal = false;
  for (const a of call.child('arguments')?.namedChildren ?? []) {
    if (a.type === 'comment') continue;
    if (a.type === 'list_splat' || a.type === 'dictionary_splat') pos += '*';
    else if (a.type === 'keyword_argument') {
      const lit = literalArgument(a.child('value') ?? a, callee, cache);
      literal ||= lit;
      kws.push(`${a.child('name')?.text ?? ''}=${lit ? 'L' : 'o'}`);
    } else {
      const lit = literalArgument(a, callee, cache);
      literal ||= lit;
      pos += lit ? 'L' : 'o';
    }
  }
  return { shape: `${CALL}${pos}:${kws.join(',')}`, literal };
}

/** One node's call facts, for the unit walk of pythonNameFacts: a call's shape under its callee's name, a name handed on as a value, a def's integer default. */
export function callFacts(n: SyntaxNode, definitions: { name: string; traits: string[] }[], cache: Map<number, unknown>): void {
  const type = n.type;
  if (type === 'call') {
    const f = n.child('function');
    const name = f?.type === 'identifier' ? f.text : f?.type === 'attribute' ? f.child('attribute')?.text : undefined;
    if (!name || n.child('arguments')?.type !== 'argument_list') return;
    const { shape, literal } = callShape(n, name, cache as Map<number, LocalUses>);
    definitions.push({ name, traits: literal ? [shape, LITERAL_ARG] : [shape] });
  } else if (type === 'identifier' || type === 'attribute') {
    const p = n.parent;
    if (!p || !(VALUE_PARENTS.has(p.type) || (p.type === 'assignment' && p.child('right')?.startIndex === n.startIndex && p.child('right')?.endIndex === n.endIndex))) return;
    if ((p.type === 'keyword_argument' || p.type === 'default_parameter' || p.type === 'typed_default_parameter' || p.type === 'named_expression') && p.child('name')?.startIndex === n.startIndex) return;
    const name = type === 'identifier' ? n.text : n.child('attribute')?.text;
    if (name) definitions.push({ name, traits: [REF] });
  } else if (type === 'string') {
    // Review 14 S2: `getattr(self, '_spell')(big)`, `methodcaller('_f', x)`, `vars(c)['_f']`: a name
    // reaching a function as a string is called where no call shape is seen, so it is handed on.
    if (n.endIndex - n.startIndex > 80) return;
    const name = /^[rRuU]?(['"])([A-Za-z_]\w*)\1$/.exec(n.text)?.[2];
    if (name) definitions.push({ name, traits: [REF] });
  } else if (type === 'function_definition') {
    const name = n.child('name')?.text;
    const defaults = (n.child('parameters')?.namedChildren ?? []).filter((p) => p.type === 'default_parameter' || p.type === 'typed_default_parameter');
    const ints = defaults.some((p) => unparen(p.child('value'))?.type === 'integer');
    const tables = defaults.some((p) => isLiteralTable(p.child('value')));
    if (name && (ints || tables)) definitions.push({ name, traits: [...(ints ? [INT_DEFAULT] : []), ...(tables ? [TABLE_DEFAULT] : [])] });
  }
}

interface CallUse {
  positional: string;
  keywords: Map<string, string>;
}

/** Every call of `name` in the module, or null when the name is also handed on as a value (it may be called out of sight). */
function callsOf(name: string, module: ModuleSummary): CallUse[] | null {
  const out: CallUse[] = [];
  for (const d of module.nameFacts(name).definitions) {
    for (const t of d) {
      if (t === REF) return null;
      if (!t.startsWith(CALL)) continue;
      const [positional, kws] = t.slice(CALL.length).split(':');
      out.push({ positional, keywords: new Map(kws ? kws.split(',').map((k) => k.split('=') as [string, string]) : []) });
    }
  }
  return out;
}

/** The function a parameter belongs to, its position among the parameters a call passes (`self` left out of a method's), and its name. */
function parameterSite(param: SyntaxNode): { fn: SyntaxNode; index: number; name: string } | null {
  const params = param.parent;
  const fn = params?.parent;
  if (params?.type !== 'parameters' || fn?.type !== 'function_definition') return null;
  const list = params.namedChildren.filter((p) => p.type !== 'comment');
  // `legal_names: List[str]` is a typed_parameter: its name is its identifier child, not a field.
  const nameOf = (p: SyntaxNode) => (p.type === 'identifier' ? p.text : p.type === 'typed_parameter' ? p.namedChildren.find((c) => c.type === 'identifier')?.text ?? '' : p.child('name')?.text ?? '');
  if (list.some((p) => p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern' || p.type === 'keyword_separator' || p.type === 'positional_separator')) return null;
  // A decorator may register the function to be called from anywhere (`@app.route`): only the two that change how it binds are read through.
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : null;
  if (decorated && decorated.namedChildren.some((d) => d.type === 'decorator' && !['staticmethod', 'classmethod'].includes(d.namedChildren[0]?.text ?? ''))) return null;
  // A method's unit may be cut from its class (units are class members too): `self` / `cls` first says method.
  const method = ['self', 'cls'].includes(nameOf(list[0]));
  const index = list.indexOf(param) - (method ? 1 : 0);
  return index >= 0 ? { fn, index, name: nameOf(param) } : null;
}

/** A private function (`_f`, not a dunder) or one nested in another function: no other module calls it. */
function isPrivate(fn: SyntaxNode): boolean {
  const name = fn.child('name')?.text ?? '';
  if (/^_(?!_)/.test(name)) return true;
  for (let a = fn.parent; a; a = a.parent) if (a.type === 'function_definition') return true;
  return false;
}

/** Is the parameter `name` bound again in `fn` other than by a copy of itself (`c = list(c)`, `c = c[:]`)? */
function reboundInside(fn: SyntaxNode, name: string, copyAllowed: boolean): boolean {
  // Review 14 S6: every binding the scope module knows (`with … as name`, `import name`, `except … as
  // name`, `del name`, a match capture, global/nonlocal, a nested def) other than the parameter itself
  // and the assignments read below.
  if ((bindingsOf(fn).get(name) ?? []).some((b) => !['param', 'assign', 'augassign', 'walrus', 'for'].includes(b.kind))) return true;
  for (const d of fn.child('body')?.descendants() ?? []) {
    if (d.type === 'function_definition' || d.type === 'lambda' || d.type === 'class_definition') continue;
    const left = d.type === 'assignment' || d.type === 'augmented_assignment' ? d.child('left') : d.type === 'named_expression' ? d.child('name') : d.type === 'for_statement' || d.type === 'for_in_clause' ? d.child('left') : null;
    if (!left || ![left, ...left.descendants()].some((x) => x.type === 'identifier' && x.text === name)) continue;
    if (!copyAllowed || d.type !== 'assignment' || left.type !== 'identifier') return true;
    const v = unparen(d.child('right'));
    const copy = (v?.type === 'call' && ['list', 'tuple'].includes(v.child('function')?.text ?? '') && v.child('arguments')?.namedChildren.length === 1 && unparen(v.child('arguments')!.namedChildren[0])?.text === name) || (v?.type === 'subscript' && v.child('value')?.text === name && v.text.replace(/\s/g, '') === `${name}[:]`);
    if (!copy) return true;
  }
  return false;
}

/**
 * Does `fn` only read the list parameter `name` (or its copy `name = list(name)` / `name[:]`): no
 * append/extend/insert/`+=`/store, no hand-on to a call or another name (review 13 S1: a copy grown
 * by the input, `c2 = list(c2); c2.append(x)`, holds more than the literal the callers pass)?
 */
function onlyReadInside(fn: SyntaxNode, name: string): boolean {
  return referencesIn(fn, name).every((id) => {
    if (storeContext(id)) return true; // its bindings: reboundInside allows only the copy
    const p = id.parent;
    const call = p?.type === 'argument_list' ? p.parent : null;
    const copied = call?.type === 'call' && ['list', 'tuple'].includes(call.child('function')?.text ?? '') ? call : p?.type === 'subscript' && p.text.replace(/\s/g, '') === `${name}[:]` ? p : null;
    const into = copied?.parent;
    if (into?.type === 'assignment' && into.child('right')?.startIndex === copied!.startIndex && into.child('left')?.type === 'identifier' && into.child('left')?.text === name) return true;
    return readsListOnly(id, false);
  });
}

/**
 * A parameter every call in the module passes a literal list (python-bitcoinlib's
 * `CompareBigEndian(s_val, [0])` / `CompareBigEndian(s_val, max_mod_half_order)`, the literal bound in
 * the caller): small, and bounded by construction for a private or nested function. None when the
 * function's name is handed on as a value, a call passes anything else (or unpacks), no call is seen,
 * or the parameter is bound again other than to a copy of itself.
 */
export function literalCallerEvidence(param: SyntaxNode, module: ModuleSummary): SizeEvidence | null {
  const site = parameterSite(param);
  if (!site) return null;
  const fnName = site.fn.child('name')?.text ?? '';
  if (!fnName || !module.nameFacts(fnName).definitions.some((d) => d.includes(LITERAL_ARG))) return null;
  const calls = callsOf(fnName, module);
  if (!calls || calls.length === 0 || reboundInside(site.fn, site.name, true) || !onlyReadInside(site.fn, site.name)) return null;
  for (const c of calls) {
    const at = c.positional.includes('*') ? '*' : c.positional[site.index] ?? c.keywords.get(site.name);
    if (at !== 'L') return null;
  }
  const where = isPrivate(site.fn) ? `every call of \`${fnName}\` passes \`${site.name}\` a literal list` : `every call of \`${fnName}\` in this module passes \`${site.name}\` a literal list (callers in other modules are not seen)`;
  return isPrivate(site.fn) ? { sized: false, why: where, small: true, bounded: true } : { sized: false, why: where, small: true };
}

/**
 * `count < max_search_len` where `max_search_len` is a parameter of a private function with an
 * integer default of at most 4,096 that no call in the module overrides (by position or keyword,
 * none unpacks, the name never handed on as a value) and the function never binds again: the value
 * the loop compares with is that literal (issue 13 round 16: pymzml `_read_until_tag_end`,
 * `max_search_len=12`). Returns the literal, or null.
 */
export function unchangedIntDefault(name: SyntaxNode, module: ModuleSummary): number | null {
  if (name.type !== 'identifier') return null;
  const fn = enclosingFunction(name, true);
  if (fn?.type !== 'function_definition' || !isPrivate(fn)) return null;
  const param = fn.child('parameters')?.namedChildren.find((p) => (p.type === 'default_parameter' || p.type === 'typed_default_parameter') && p.child('name')?.text === name.text);
  const value = param ? unparen(param.child('value')) : null;
  const k = integerValue(value);
  if (!param || k === null || k > SMALL_CAP) return null;
  const site = parameterSite(param);
  const calls = site ? callsOf(fn.child('name')?.text ?? '', module) : null;
  if (!site || !calls || calls.length === 0 || reboundInside(fn, name.text, false)) return null;
  for (const c of calls) if (c.positional.includes('*') || c.positional.length > site.index || c.keywords.has(site.name)) return null;
  return k;
}

/**
 * `for v, r in rnvalues:` where `rnvalues` is a parameter whose default is a literal tuple (of literals
 * or literal pairs) that no call in the module overrides (by position or keyword, none unpacks, the
 * name never handed on as a value, at least one call seen) and the function never binds again: the
 * loop runs over that literal (issue 13 round 16: zope.tales `Roman`, 13 numeral pairs, wrong by both
 * judges). Its length and whether the function is private (then no other module calls it: bounded);
 * for a public one callers in other modules are not seen. Null when not established.
 */
export function unoverriddenTableDefault(name: SyntaxNode, module: ModuleSummary): { items: number; private: boolean; fn: string } | null {
  if (name.type !== 'identifier') return null;
  const fn = enclosingFunction(name, true);
  if (fn?.type !== 'function_definition') return null;
  const param = fn.child('parameters')?.namedChildren.find((p) => (p.type === 'default_parameter' || p.type === 'typed_default_parameter') && p.child('name')?.text === name.text);
  const value = param ? unparen(param.child('value')) : null;
  if (!param || !value || !isLiteralTable(value)) return null;
  const fnName = fn.child('name')?.text ?? '';
  const site = parameterSite(param);
  const calls = site && fnName ? callsOf(fnName, module) : null;
  if (!site || !calls || calls.length === 0 || reboundInside(fn, name.text, false)) return null;
  for (const c of calls) if (c.positional.includes('*') || c.positional.length > site.index || c.keywords.has(site.name)) return null;
  return { items: value.namedChildren.filter((c) => c.type !== 'comment').length, private: isPrivate(fn), fn: fnName };
}
