// How big the data around a finding is, as far as the code shows (the ECMAScript side of languages/python/sizes.ts): loops
// that run a bounded number of times (constant loops, loops over module constants and their entries, counters shifted or
// divided until zero), arrays only ever filled by such loops, work that already costs O(n) per iteration, and whether the loop
// and the collection are tied to the function's inputs. `sizeVerdict` turns that into the finding's severity.
import type { ModuleSummary } from '../../analysis/module';
import { calibratedVerdict, configurationEvidence, GROWS_WITH_LOOP, inExclusiveBranches, loopGrowthNote, noGrowthNote, prefixEvidence, shortText, SIZED, sizeVerdict as verdictOf, smallEvidence, type SizeEvidence, type SizeVerdict } from '../../analysis/sizeVerdict';
import { drainedQueue, loopGrowth, queueEvidence } from './growth';
import { literalArgumentEvidence, moduleNameEvidence } from './boundedNames';
import { setupContext } from './setupCode';
import { shrunkLiteralEvidence } from './shrunkLiteral';
import type { SyntaxNode } from '../../parsing';
import type { EcmascriptFacts } from './facts';
import { consumedPrefix, isConstantLoop, iterationCallOf, methodCallParts, upperBoundTest, type Loop } from './loops';
import { changesIn } from './mutation';
import { FUNCTION_TYPES, keptAsDeclared, literalArrayLength, ownDescendants, patternNames, unwrap } from './syntax';

/** `GRID_LONGHANDS`, `MAX_DEPTH`: a module-level name in upper case is a constant by convention. */
export function isModuleConstant(name: string, module: ModuleSummary): boolean {
  return /^[A-Z][A-Z0-9_]+$/.test(name) && module.bindings.has(name) && module.bindings.get(name) !== 'function' && module.bindings.get(name) !== 'class';
}

function conditionOf(node: SyntaxNode): SyntaxNode | null {
  const cond = unwrap(node.child('condition'));
  return cond?.type === 'expression_statement' || cond?.type === 'parenthesized_expression' ? unwrap(cond.namedChildren[0] ?? null) : cond;
}

/**
 * `while (n) { …; n >>= 1; }`, `n = Math.floor(n / 10)`: the counter shrinks geometrically, so the
 * loop runs O(log n) times (at most 32 or 64 for the bits of a number).
 */
export function isLogarithmicLoop(loop: Loop): boolean {
  const node = loop.node;
  if (!['while_statement', 'do_statement', 'for_statement'].includes(node.type)) return false;
  const cond = conditionOf(node);
  if (!cond) return false;
  const tested = new Set<string>();
  for (const n of [cond, ...cond.descendants()]) if (n.type === 'identifier') tested.add(n.text);
  const regions = [node.child('body'), node.child('increment')].filter((r): r is SyntaxNode => !!r);
  /** Every assignment of `name` in the loop (null for `++`/`--`). */
  const assignmentsOf = (name: string): { op: string; right: SyntaxNode | null }[] => {
    const out: { op: string; right: SyntaxNode | null }[] = [];
    for (const region of regions) {
      for (const n of [region, ...region.descendants()]) {
        if (FUNCTION_TYPES.has(n.type)) break;
        if (n.type === 'update_expression' && unwrap(n.namedChildren[0] ?? null)?.text === name) out.push({ op: '++', right: null });
        if (n.type !== 'augmented_assignment_expression' && n.type !== 'assignment_expression') continue;
        if (unwrap(n.child('left'))?.text !== name) continue;
        out.push({ op: n.child('operator')?.text ?? '=', right: unwrap(n.child('right')) });
      }
    }
    return out;
  };
  const factor = (x: SyntaxNode | null) => {
    const v = unwrap(x);
    return v?.type === 'number' && Number(v.text.replace(/n$/, '')) >= 2;
  };
  const shrinksOnly = (name: string): boolean => {
    const all = assignmentsOf(name);
    return all.length > 0 && all.every(({ op, right }) =>
      // `n >>= 8`, `n >>= _8n` (a BigInt shift by a named constant: @noble/hashes, round 10)
      ((op === '>>=' || op === '>>>=') && (right?.type === 'number' || right?.type === 'identifier')) ||
      (op === '/=' && factor(right)) ||
      (op === '=' && !!right && /^(Math\.(floor|trunc)\(\s*\w+\s*\/\s*\d+\s*\)|\(?\s*\w+\s*\/\s*\d+\s*\)?\s*\|\s*0|\w+\s*>>>?\s*\w+)$/.test(right.text) && right.text.includes(name)),
    );
  };
  for (const name of tested) {
    if (shrinksOnly(name)) return true;
    // The low bits of a number that shrinks: `o = x & 255` with `x = x >> 8` (js-sha3 encode, round 10).
    const masks = assignmentsOf(name);
    if (masks.length && masks.every(({ op, right }) => {
      const m = op === '=' && right ? /^\(?\s*([A-Za-z_$][\w$]*)\s*\)?\s*&\s*(?:\d+|0x[0-9a-fA-F]+)$/.exec(right.text) : null;
      return !!m && m[1] !== name && shrinksOnly(m[1]);
    })) return true;
  }
  return false;
}

/** An expression that stands for a fixed table: a module constant, its entries, keys or values. */
function isConstantTable(expr: SyntaxNode | null, module: ModuleSummary, constantNames: ReadonlySet<string>): boolean {
  const e = unwrap(expr);
  if (!e) return false;
  if (e.type === 'identifier') return isModuleConstant(e.text, module) || constantNames.has(e.text);
  if (e.type === 'array') return e.namedChildren.every((c) => c.type !== 'spread_element');
  if (e.type === 'member_expression') return isConstantTable(e.child('object'), module, constantNames);
  if (e.type === 'call_expression') {
    const parts = methodCallParts(e);
    if (parts && ['entries', 'keys', 'values', 'filter', 'map', 'slice'].includes(parts.method)) return isConstantTable(parts.member.child('object'), module, constantNames);
    const fn = unwrap(e.child('function'))?.text ?? '';
    if (/^Object\.(keys|values|entries)$/.test(fn)) return isConstantTable(e.child('arguments')?.namedChildren[0] ?? null, module, constantNames);
  }
  return false;
}

/**
 * Names that hold a part of a fixed table: the loop variables of a loop over a module constant
 * (`for (const [name, longhands] of BOX_LONGHANDS)`: `longhands` is one of its entries), around `at`.
 */
function constantNamesAround(at: SyntaxNode, module: ModuleSummary): Set<string> {
  const out = new Set<string>();
  const chain: SyntaxNode[] = [];
  for (let p = at.parent; p; p = p.parent) if (p.type === 'for_in_statement') chain.unshift(p);
  for (const loop of chain) {
    if (isConstantTable(loop.child('right'), module, out)) for (const n of patternNames(loop.child('left'))) out.add(n);
  }
  return out;
}

/** A loop whose number of iterations does not grow with the input. */
export function isBoundedLoop(loop: Loop, module: ModuleSummary): boolean {
  if (isConstantLoop(loop) || isLogarithmicLoop(loop)) return true;
  const names = constantNamesAround(loop.node, module);
  if (loop.iterable && isConstantTable(loop.iterable, module, names)) return true;
  if (loop.node.type === 'for_statement') {
    const cond = conditionOf(loop.node);
    if (cond?.type === 'binary_expression' && ['<', '<='].includes(cond.child('operator')?.text ?? '')) {
      const bound = unwrap(cond.child('right'));
      if (bound?.type === 'identifier' && isModuleConstant(bound.text, module)) return true;
      if (bound?.type === 'member_expression' && bound.child('property')?.text === 'length' && isConstantTable(bound.child('object'), module, names)) return true;
    }
  }
  return false;
}

export function scalingLoops(loops: readonly Loop[], module: ModuleSummary): Loop[] {
  return loops.filter((l) => !isBoundedLoop(l, module));
}

/**
 * An array declared in the unit that only ever holds a bounded number of items: initialised to a
 * literal and grown (push/unshift) only inside loops that are bounded, such as
 * `for (const name of LONGHANDS) indices.push(at.get(name))`.
 */
export function isBoundedArray(name: string, at: SyntaxNode, facts: EcmascriptFacts, module: ModuleSummary): boolean {
  const d = facts.declarationOf(name, at);
  if (!d || d.isParameter || unwrap(d.value)?.type !== 'array') return false;
  let grown = false;
  for (const n of d.scope.descendants()) {
    if (n.type === 'assignment_expression' && unwrap(n.child('left'))?.text === name) return false;
    const parts = methodCallParts(n);
    if (!parts || unwrap(parts.member.child('object'))?.text !== name) continue;
    if (!['push', 'unshift', 'splice', 'concat'].includes(parts.method)) continue;
    if (parts.method === 'splice' || parts.method === 'concat' || parts.args.some((a) => a.type === 'spread_element')) return false;
    grown = true;
    const loops = facts.loops(n).filter((l) => d.scope.contains(l.node));
    if (loops.some((l) => !isBoundedLoop(l, module))) return false;
  }
  return grown || (unwrap(d.value)?.namedChildren.length ?? 0) > 0;
}

const LINEAR_METHODS = new Set(['splice', 'indexOf', 'lastIndexOf', 'includes', 'filter', 'map', 'slice', 'concat', 'sort', 'reverse', 'find', 'findIndex', 'some', 'every', 'reduce', 'join', 'flat', 'flatMap', 'toSorted']);
/** Scans a Set or Map would make O(1): on the finding's own array they are the same finding again. */
const FIXABLE_SCANS = new Set(['indexOf', 'lastIndexOf', 'includes']);

/** `for (const y of xs)` with no `break` or `return`: a full pass over `xs`. */
function isFullPass(loop: SyntaxNode): boolean {
  for (const n of ownDescendants(loop)) if (n.type === 'break_statement' || n.type === 'return_statement' || n.type === 'throw_statement') return false;
  return true;
}

/**
 * Work in the same iteration that already costs O(size of an array) and whose input changes in the
 * loop (so it cannot be hoisted): `xs.splice(i, 1)`, `xs.filter(…)`, `[...xs]`, an inner loop over
 * all of the finding's own array. Work on the finding's own array counts unless it is a scan the
 * suggested Set or Map removes too (`xs.includes(x)`: the same finding again). Returns it, or null.
 */
export function dominatingWork(loop: Loop, finding: SyntaxNode, facts: EcmascriptFacts, collection?: SyntaxNode | null): SyntaxNode | null {
  const same = unwrap(collection ?? null)?.text;
  for (const region of loop.perIteration) {
    for (const n of region.descendants()) {
      if (n.contains(finding) || finding.contains(n) || inExclusiveBranches(n, finding)) continue;
      let input: SyntaxNode | null = null;
      const parts = methodCallParts(n);
      if (parts && LINEAR_METHODS.has(parts.method)) {
        input = unwrap(parts.member.child('object'));
        if (input?.text === same && FIXABLE_SCANS.has(parts.method)) continue;
      } else if (n.type === 'spread_element' && n.parent?.type === 'array') input = unwrap(n.namedChildren[0] ?? null);
      else if (n.type === 'for_in_statement' && same !== undefined && unwrap(n.child('right'))?.text === same && isFullPass(n)) input = unwrap(n.child('right'));
      if (input?.type !== 'identifier' || facts.kindOf(input.text, n) !== 'list') continue;
      // Not O(n) over what the code shows to be small: the pieces of one string, a literal.
      if (changesIn([input.text], loop, n) && (input.text === same || !smallEvidence(sizeEvidence(input, facts)))) return n;
    }
  }
  return null;
}

const NONE: ReadonlySet<string> = new Set();
const VIEW_METHODS = new Set(['slice', 'map', 'filter', 'flat', 'flatMap', 'concat', 'entries', 'keys', 'values', 'sort', 'toSorted', 'reverse', 'toReversed', 'toSpliced', 'with']);
const STRING_PIECES = new Set(['split', 'match', 'matchAll', 'trim', 'toLowerCase', 'toUpperCase', 'replace', 'replaceAll', 'substring', 'substr', 'padStart', 'padEnd', 'normalize']);
const COPY_FUNCTIONS = new Set(['Array.from', 'Object.keys', 'Object.values', 'Object.entries', 'structuredClone']);
const COPY_CONSTRUCTORS = new Set(['Set', 'Map', 'Array', 'WeakSet', 'WeakMap', 'Uint8Array', 'Int32Array', 'Float64Array']);

/**
 * Why an expression's size is, or is not, tied to the function's input (the ECMAScript side of
 * python/sizes.ts sizeEvidence): `sized` for a parameter (not a field destructured out of one), the
 * object's own state (`this.items`), a copy or view of one (`xs.slice()`, `[...xs]`,
 * `Object.keys(o)`, `xs.map(f)`), what a method of a parameter returns (`g.successors(v)`), an
 * element of one, or an array grown once per element of one. Otherwise `why` names what the code
 * shows instead: the pieces of one string, a call's result, a field of one value, a literal, a
 * module-level name.
 */
export function sizeEvidence(expr: SyntaxNode | null, facts: EcmascriptFacts, depth = 0, exclude: ReadonlySet<string> = NONE): SizeEvidence {
  const e = unwrap(expr);
  if (!e) return { sized: false, why: 'nothing' };
  if (depth > 6) return { sized: false, why: `\`${shortText(e)}\` is derived too indirectly to tell` };
  switch (e.type) {
    case 'this':
      return SIZED;
    case 'identifier':
      return configurationEvidence(e.text) ?? nameEvidence(e, facts, depth, exclude);
    case 'member_expression': {
      const configuration = configurationEvidence(e.child('property')?.text ?? '');
      if (configuration) return configuration;
      const obj = unwrap(e.child('object'));
      if (obj?.type === 'this') return SIZED;
      if (e.child('property')?.text === 'length' && obj) return sizeEvidence(obj, facts, depth + 1, exclude);
      return { sized: false, why: `\`${shortText(e)}\` is a field of a value; its size is not visible from this function` };
    }
    case 'subscript_expression': {
      const obj = e.child('object');
      const ev = sizeEvidence(obj, facts, depth + 1, exclude);
      return ev.sized ? ev : { sized: false, why: `\`${shortText(e)}\` is one element of a collection whose size is not visible from this function` };
    }
    case 'array': {
      for (const c of e.namedChildren) if (c.type === 'spread_element' && sizeEvidence(c.namedChildren[0] ?? null, facts, depth + 1, exclude).sized) return SIZED;
      return { sized: false, why: `\`${shortText(e)}\` is a literal`, small: true };
    }
    case 'binary_expression':
    case 'ternary_expression': {
      const parts = e.type === 'ternary_expression' ? [e.child('consequence'), e.child('alternative')] : [e.child('left'), e.child('right')];
      const evs = parts.map((p) => sizeEvidence(p, facts, depth + 1, exclude));
      return evs.find((x) => x.sized) ?? evs[0];
    }
    case 'await_expression':
      return sizeEvidence(e.namedChildren[0] ?? null, facts, depth + 1, exclude);
    case 'new_expression': {
      const ctor = unwrap(e.child('constructor'))?.text ?? '';
      const arg = e.child('arguments')?.namedChildren[0] ?? null;
      if (COPY_CONSTRUCTORS.has(ctor) && arg) return sizeEvidence(arg, facts, depth + 1, exclude);
      return literalArrayLength(e) === null ? { sized: false, why: `\`${shortText(e)}\` is a new object whose size this function does not show` } : { sized: false, why: `\`${shortText(e)}\` has a literal length`, small: true, bounded: true };
    }
    case 'call_expression':
      return literalArrayLength(e) === null ? callEvidence(e, facts, depth, exclude) : { sized: false, why: `\`${shortText(e)}\` has a literal length`, small: true, bounded: true };
    case 'number':
    case 'string':
    case 'template_string':
    case 'true':
    case 'false':
    case 'null':
    case 'undefined':
      return { sized: false, why: `\`${shortText(e)}\` is a literal`, small: true };
    default:
      return { sized: false, why: `the size of \`${shortText(e)}\` is not visible from this function` };
  }
}

function callEvidence(e: SyntaxNode, facts: EcmascriptFacts, depth: number, exclude: ReadonlySet<string>): SizeEvidence {
  const fn = unwrap(e.child('function'));
  const args = e.child('arguments')?.namedChildren ?? [];
  const opaque: SizeEvidence = { sized: false, why: `\`${shortText(e)}\` is the result of a call whose size this function does not show` };
  if (fn && COPY_FUNCTIONS.has(fn.text)) return args[0] ? sizeEvidence(args[0], facts, depth + 1, exclude) : opaque;
  // A function the caller passed in (`next()`, `read()`): what it returns comes from the input.
  if (fn?.type === 'identifier' && isPlainParameter(fn, facts)) return SIZED;
  const parts = methodCallParts(e);
  if (!parts) return opaque;
  if (STRING_PIECES.has(parts.method)) return { sized: false, why: `\`${shortText(e)}\` holds the pieces of one string`, small: true };
  const recv = unwrap(parts.member.child('object'));
  if (VIEW_METHODS.has(parts.method)) {
    const ev = sizeEvidence(recv, facts, depth + 1, exclude);
    if (ev.sized || parts.method !== 'concat') return ev;
    for (const a of args) if (sizeEvidence(a, facts, depth + 1, exclude).sized) return SIZED;
    return ev;
  }
  // What a method of a parameter (or of the object itself) returns is a part of that input.
  if (recv?.type === 'this') return SIZED;
  if (recv?.type === 'identifier' && isPlainParameter(recv, facts)) return SIZED;
  return opaque;
}

/** A parameter of an ordinary function bound whole (not a field destructured out of an argument). */
function isPlainParameter(id: SyntaxNode, facts: EcmascriptFacts): boolean {
  const d = facts.declarationOf(id.text, id);
  return !!d && d.isParameter && !d.iteratedArray && d.node.type === 'identifier' && !iterationCallOf(d.scope);
}

function nameEvidence(n: SyntaxNode, facts: EcmascriptFacts, depth: number, exclude: ReadonlySet<string>): SizeEvidence {
  const d = facts.declarationOf(n.text, n);
  if (!d) return moduleNameEvidence(n.text, facts.ctx.module);
  if (d.isParameter) {
    // A parameter of an iteration callback is an element (or the accumulator) of the iterated array.
    const it = iterationCallOf(d.scope);
    if (it) return sizeEvidence(it.member.child('object'), facts, depth + 1, exclude);
    if (d.node.type !== 'identifier') return { sized: false, why: `\`${n.text}\` is a field destructured out of an argument; its size is not visible from this function` };
    return literalArgumentEvidence(d, facts) ?? SIZED;
  }
  let first: SizeEvidence | null = null;
  const note = (ev: SizeEvidence): SizeEvidence | null => {
    if (ev.sized) return ev;
    first ??= ev;
    return null;
  };
  if (d.declarationKind === 'loop') {
    const loop = d.node.parent?.type === 'for_in_statement' ? d.node.parent : d.node.parent?.parent?.type === 'for_in_statement' ? d.node.parent.parent : null;
    if (loop) {
      const ev = note(sizeEvidence(loop.child('right'), facts, depth + 1, exclude));
      if (ev) return ev;
    }
  }
  if (d.value && !d.value.contains(n)) {
    const ev = note(sizeEvidence(d.value, facts, depth + 1, exclude));
    if (ev) return ev;
  }
  if (!exclude.has(n.text) && grownFromInput(n.text, n, facts, depth, exclude)) return SIZED;
  const growthLoops = growthSites(n.text, d.scope).map((site) => facts.loops(site)[0]);
  const grownBy = growthLoops.find((l): l is Loop => !!l);
  // Grown only in loops that run a fixed number of times (`while (chars.length < 9) chars.unshift(0)`, ten digits from a char code): bounded (issue 13 round 9: validator, jsonata).
  if (grownBy && growthLoops.every((l) => l && fixedCountLoop(l))) return { sized: false, why: `\`${n.text}\` grows only in \`${shortText(grownBy.node.source.slice(grownBy.header.startIndex, grownBy.header.endIndex), 50)}\`, which runs a fixed number of times`, small: true, bounded: true };
  if (grownBy) return { sized: false, why: `\`${n.text}\` grows only in \`${shortText(grownBy.node.source.slice(grownBy.header.startIndex, grownBy.header.endIndex), 50)}\`, which is not visibly driven by an input collection` };
  const seen = first as SizeEvidence | null;
  if (seen && !seen.sized && seen.small && (/is a literal$/.test(seen.why) || (seen.bounded && /has a literal length$/.test(seen.why) && !keptAsDeclared(n.text, d.scope)))) return shrunkLiteralEvidence(n.text, d.scope, d.value) ?? { sized: false, why: `\`${n.text}\` starts as a literal and nothing shows it growing with the input`, small: true };
  return seen ?? { sized: false, why: `the size of \`${n.text}\` is not visible from this function` };
}

/**
 * A loop that runs a fixed number of times whatever the input: a constant loop (`i < 4`, over an
 * array literal), a counted loop from a start to the start plus a small constant (`ii = z; ii < z + 10`),
 * (a `while` up to a small length is a constant loop).
 */
function fixedCountLoop(loop: Loop): boolean {
  if (isConstantLoop(loop)) return true;
  const test = upperBoundTest(loop);
  if (!test) return false;
  const { left, bound } = test;
  const small = (x: SyntaxNode | null) => x?.type === 'number' && Number(x.text) <= 64;
  if (loop.node.type !== 'for_statement' || bound?.type !== 'binary_expression' || bound.child('operator')?.text !== '+' || !small(unwrap(bound.child('right')))) return false;
  // `for (ii = start; ii < start + 10; ii++)`: the counter starts where the bound's base is.
  const init = loop.node.child('initializer');
  const start = init?.descendants().find((x) => (x.type === 'assignment_expression' || x.type === 'variable_declarator') && (x.child('left') ?? x.child('name'))?.text === left?.text);
  return !!start && unwrap(start.child('right') ?? start.child('value'))?.text === unwrap(bound.child('left'))?.text;
}

/** The calls that grow the array `name` in `scope`: push, unshift, splice, and Set/Map add/set. */
function growthSites(name: string, scope: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const n of scope.descendants()) {
    const parts = methodCallParts(n);
    if (parts && unwrap(parts.member.child('object'))?.text === name && ['push', 'unshift', 'splice', 'add', 'set'].includes(parts.method)) out.push(n);
  }
  return out;
}

/** Does `expr` read a parameter of its function, or the object itself (`[root]`, `[...this.roots]`)? */
function mentionsParameter(expr: SyntaxNode, facts: EcmascriptFacts): boolean {
  return [expr, ...expr.descendants()].some((n) => n.type === 'this' || (n.type === 'identifier' && isPlainParameter(n, facts)));
}

/** `while (xs.length)`, `while (xs.length > 0 && …)`: the loop runs until `xs` is empty. */
function drains(loop: Loop, name: string): boolean {
  if (loop.kind !== 'statement' || loop.node.type === 'for_in_statement') return false;
  const cond = conditionOf(loop.node);
  return !!cond && [cond, ...cond.descendants()].some((n) => n.type === 'identifier' && n.text === name);
}

/**
 * Is the array `name` grown, anywhere in its scope, by a loop that runs once per input element? The
 * array's own growth is no evidence for that loop (`while (queue.length) { …; queue.push(x) }` is
 * input-sized only if `queue` starts from the input or `x` comes from a loop over it). A worklist
 * that starts from a parameter and is drained by the loop that grows it (`const queue = [root];
 * while (queue.length) { … queue.push(...node.children) }`) walks what is reachable from the input.
 */
function grownFromInput(name: string, at: SyntaxNode, facts: EcmascriptFacts, depth: number, exclude: ReadonlySet<string>): boolean {
  const without = new Set([...exclude, name]);
  const d = facts.declarationOf(name, at);
  if (!d) return false;
  for (const n of growthSites(name, d.scope)) {
    for (const l of facts.loops(n)) {
      if (loopEvidence(l, facts, depth + 1, without).sized) return true;
      if (drains(l, name) && d.value && mentionsParameter(d.value, facts)) return true;
    }
  }
  return false;
}

/** Is `name` assigned (or updated with ++/--/op=) inside the loop? */
function assignedIn(loop: Loop, name: string): boolean {
  for (const region of [loop.node]) {
    for (const n of region.descendants()) {
      if ((n.type === 'assignment_expression' || n.type === 'augmented_assignment_expression') && unwrap(n.child('left'))?.text === name) return true;
      if (n.type === 'update_expression' && unwrap(n.namedChildren[0] ?? null)?.text === name) return true;
    }
  }
  return false;
}

/** `x = x.next`, `x = f(x)`: every assignment to `name` in the loop computes it from itself (a walk along links). */
function followsLinks(loop: Loop, name: string): boolean {
  let any = false;
  for (const n of loop.node.descendants()) {
    if (n.type !== 'assignment_expression' || unwrap(n.child('left'))?.text !== name) continue;
    any = true;
    const right = n.child('right');
    if (!right || ![...right.descendants()].some((x) => x.type === 'identifier' && x.text === name)) return false;
  }
  return any;
}

/**
 * Does the loop run once per element of the input: over a collection that is an input (or a copy,
 * or grown per input element: `for (const x of items)`, `items.forEach`, `i < items.length`,
 * `i < n` for a parameter `n`), a `while` that drains or grows an array (`while (queue.length)`), or
 * one that asks an input whether it is done (`while (g.nodeCount())`)? A loop that walks links
 * (`node = node.parent`, `inner = leftEdge(inner)`) or tests a flag is not counted.
 */
export function loopEvidence(loop: Loop, facts: EcmascriptFacts, depth = 0, exclude: ReadonlySet<string> = NONE): SizeEvidence {
  if (loop.iterable) return sizeEvidence(loop.iterable, facts, depth, exclude);
  const prefix = consumedPrefix(loop);
  if (prefix) return prefixEvidence(prefix);
  const cond = conditionOf(loop.node);
  const notDriven: SizeEvidence = { sized: false, why: `the loop \`${shortText(loop.node.source.slice(loop.header.startIndex, loop.header.endIndex), 50)}\` is not visibly driven by an input collection` };
  if (!cond) return notDriven;
  const lengthOf = (x: SyntaxNode | null): boolean => {
    const v = unwrap(x);
    if (v?.type !== 'member_expression' || v.child('property')?.text !== 'length') return false;
    const obj = unwrap(v.child('object'));
    return !!obj && sizeEvidence(obj, facts, depth + 1, exclude).sized;
  };
  const test = (c: SyntaxNode | null): boolean => {
    const v = unwrap(c);
    if (!v) return false;
    if (lengthOf(v)) return true;
    if (v.type === 'binary_expression') {
      const op = v.child('operator')?.text ?? '';
      const l = v.child('left');
      const r = v.child('right');
      if (op === '&&' || op === '||') return test(l) || test(r);
      if (lengthOf(l) || lengthOf(r)) return true;
      if (!['<', '<=', '>', '>='].includes(op)) return false;
      const changed = (x: SyntaxNode | null) => unwrap(x)?.type === 'identifier' && assignedIn(loop, unwrap(x)!.text);
      if (changed(l) && !changed(r)) return sizeEvidence(r, facts, depth + 1, exclude).sized;
      if (changed(r) && !changed(l)) return sizeEvidence(l, facts, depth + 1, exclude).sized;
      return false;
    }
    // `while (g.nodeCount())`, `while (it.hasNext())`: asking an input whether it is done.
    if (v.type === 'call_expression') {
      const parts = methodCallParts(v);
      const recv = parts ? unwrap(parts.member.child('object')) : null;
      return !!recv && (recv.type === 'this' || (recv.type === 'identifier' && isPlainParameter(recv, facts)));
    }
    // `while (chunk) { …; chunk = next(); }`: a stream of input values, unless each is computed from the last.
    if (v.type === 'identifier') return assignedIn(loop, v.text) && !followsLinks(loop, v.text) && sizeEvidence(v, facts, depth + 1, exclude).sized;
    return false;
  };
  return test(cond) ? SIZED : notDriven;
}

/**
 * `xs.sort()` on every iteration of a loop around the finding's scan of `xs` (`includes`, `indexOf`):
 * the array's order is what the loop works with, so a Set is no replacement, and the sort already
 * costs O(n log n) per iteration (python/sizes.ts resortedAround). Returns the sort, or null.
 */
function resortedAround(finding: SyntaxNode, loops: readonly Loop[], collection: SyntaxNode | null): SyntaxNode | null {
  const same = unwrap(collection)?.text;
  const scan = methodCallParts(finding);
  if (!same || !scan || !FIXABLE_SCANS.has(scan.method)) return null;
  for (const outer of loops.slice(1)) {
    for (const region of outer.perIteration) {
      for (const n of region.descendants()) {
        const parts = methodCallParts(n);
        if (parts?.method === 'sort' && unwrap(parts.member.child('object'))?.text === same) return n;
      }
    }
  }
  return null;
}

/** Node's synchronous file-system and process calls: `fs.readFileSync(…)`, `execSync(…)`. */
const SYNC_IO = /^(?:readFileSync|writeFileSync|appendFileSync|readdirSync|statSync|lstatSync|existsSync|mkdirSync|rmSync|unlinkSync|copyFileSync|execSync|execFileSync|spawnSync)$/;

/**
 * Work in the same iteration that waits on I/O: an `await` (a request, a file read, a timer), a
 * `fetch(…)`, a synchronous file-system or process call (python/sizes.ts ioWork). Each costs more
 * than scanning an array of thousands, so the scan is not what the loop's time goes to. Returns it,
 * or null.
 */
function ioWork(loop: Loop, finding: SyntaxNode): SyntaxNode | null {
  for (const region of loop.perIteration) {
    for (const n of ownDescendants(region)) {
      if (n.contains(finding) || finding.contains(n)) continue;
      if (n.type === 'await_expression') return n;
      if (n.type !== 'call_expression') continue;
      const fn = unwrap(n.child('function'));
      const name = fn?.type === 'member_expression' ? fn.child('property')?.text ?? '' : fn?.text ?? '';
      if (name === 'fetch' || SYNC_IO.test(name)) return n;
    }
  }
  return null;
}

/** The ECMAScript twin of python/sizes.ts sizeVerdict. `loops`: the scaling loops, innermost first. */
export function sizeVerdict(finding: SyntaxNode, loops: readonly Loop[], collection: SyntaxNode | null, facts: EcmascriptFacts): SizeVerdict {
  const sort = resortedAround(finding, loops, collection);
  if (sort) return { severity: 'information', note: `; \`${shortText(sort, 40)}\` on every iteration of the loop around it already costs O(n log n) and needs the array's order (a Set would lose it)` };
  const io = ioWork(loops[0], finding);
  if (io) return { severity: 'information', note: `; each iteration also waits on I/O (\`${shortText(io, 40)}\`), which costs more than this O(n) step at typical sizes` };
  const setup = setupContext(finding, loops, facts);
  if (setup && !setup.sized) return { severity: 'information', note: noGrowthNote(setup.why) };
  const verdict = verdictOf(dominatingWork(loops[0], finding, facts, collection), () => {
    const c = unwrap(collection);
    return { loops: loops.map((l) => loopEvidence(l, facts)), collection: c ? sizeEvidence(c, facts) : SIZED };
  });
  // A warning also needs the array to grow with the loop, not merely with some input.
  const c = unwrap(collection);
  const growth = verdict.severity === 'warning' && c ? loopGrowth(c, loops, facts) : null;
  if (growth && !growth.sized) return { severity: 'information', note: loopGrowthNote(growth.why) };
  // Of the growth the code shows, only a drained work queue earns a warning (calibratedVerdict), and only a traversal's (queueEvidence).
  const drained = drainedQueue(finding, c, loops);
  const queue = drained && verdict.severity === 'warning' && c ? queueEvidence(c, loops, facts) : null;
  if (queue && !queue.sized) return { severity: 'information', note: noGrowthNote(queue.why) };
  return calibratedVerdict(verdict, drained, growth?.sized && growth.how ? growth.how : GROWS_WITH_LOOP);
}
