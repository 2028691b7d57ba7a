// How big the data around a finding is, as far as the code shows: work that already costs O(n) per
// iteration (loops that run a bounded number of times and bounded windows are in boundedLoops.ts), and whether the loop and the collection are tied to the function's inputs. Rules whose
// cost depends on sizes use `sizeVerdict` to decide between a warning (the quadratic cost is there at
// the sizes the code sees) and information (true, but the sizes are not visible or the cost is hidden
// by other work).
import type { ModuleSummary } from '../../analysis/module';
import { calibratedVerdict, configurationEvidence, GROWS_WITH_LOOP, inExclusiveBranches, loopGrowthNote, noGrowthNote, prefixEvidence, shortText, SIZED, sizeVerdict as verdictOf, smallEvidence, type SizeEvidence, type SizeVerdict } from '../../analysis/sizeVerdict';
import type { SyntaxNode } from '../../parsing';
import { isBoundedLoop } from './boundedLoops';
import { literalCallerEvidence } from './callShapes';
import { COMPREHENSION_TYPES, consumedPrefix, headerText } from './loops';
import { isLoopInvariant } from './mutation';
import { bindingsOf, isNameRef, resolveScope } from './scope';
import { drainedQueue, loopGrowth, queueEvidence } from './growth';
import { heavierWork, ioWork, resortedAround } from './otherWork';
import { setupContext } from './setupCode';
import { functionCall, methodCall, unparen } from './syntax';

const LINEAR_BUILTINS = new Set(['sorted', 'sum', 'max', 'min', 'list', 'set', 'tuple', 'dict', 'any', 'all', 'frozenset', 'deepcopy']);
const LINEAR_METHODS = new Set(['sort', 'copy', 'index', 'count', 'remove', 'join']);
/** bisect's sorted inserts: O(log n) to find the place, O(n) to insert there (the tail moves). */
const INSORTS = new Set(['insort', 'insort_left', 'insort_right']);
/**
 * Scans a set, dict or deque would make O(1): work of this kind on the collection of a finding is the
 * same finding again, not other work. Anything else over that collection in the same iteration (a
 * sort, `max()`, a comprehension over it, an inner loop over it) stays O(n) after the fix.
 */
const FIXABLE_SCANS = new Set(['index', 'count', 'remove', 'pop', 'insert']);

/** `for y in xs:` with no `break` or `return`: a full pass over `xs`. */
function isFullPass(loop: SyntaxNode): boolean {
  const body = loop.child('body');
  if (!body) return false;
  for (const n of body.descendants()) {
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') continue;
    if (n.type === 'break_statement' || n.type === 'return_statement' || n.type === 'raise_statement') return false;
  }
  return true;
}

/** `xs[-1]`, `xs[len(xs) - 1]`: the last element, whose removal moves nothing. */
function isLastIndex(subscript: SyntaxNode): boolean {
  const index = unparen(subscript.namedChildren.find((c) => c !== subscript.child('value')));
  if (!index) return false;
  if (index.type === 'unary_operator' && index.text.replace(/\s/g, '') === '-1') return true;
  return index.type === 'binary_operator' && /^len\(.+\)-1$/.test(index.text.replace(/\s/g, ''));
}

/**
 * Work in the same iteration of `loop` that already costs O(size of a collection) and cannot be
 * hoisted (its input changes in the loop): a comprehension over a collection, an inner `for` loop
 * that passes over all of one, `sorted(xs)`, `max(xs)`, `xs.sort()`… Then a second O(n) step in
 * the same iteration changes no complexity. Work on a loop-invariant input is not counted: it is a
 * finding of its own (HP113), and hoisting it leaves this one as the quadratic part. Work on the
 * finding's own collection counts unless it is a scan the suggested set/dict/deque removes too
 * (`x in xs`, `xs.index(x)`: the same finding again). Returns that work, or null.
 */
export function dominatingWork(loop: SyntaxNode, finding: SyntaxNode, module: ModuleSummary, collection?: SyntaxNode | null): SyntaxNode | null {
  const same = collection?.text;
  const parts = loop.type === 'for_statement' ? [loop.child('body')] : loop.type === 'while_statement' ? [loop.child('condition'), loop.child('body')] : [];
  for (const part of parts) {
    if (!part) continue;
    for (const n of part.descendants()) {
      if (finding.contains(n) || n.contains(finding) || inExclusiveBranches(n, finding)) continue;
      if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') continue;
      // Not O(n) over what the code shows to be small: the pieces of one string, a literal.
      const varies = (input: SyntaxNode | null | undefined) => !!input && !isLoopInvariant(input, loop) && (unparen(input)?.text === same || !smallEvidence(sizeEvidence(input)));
      if (COMPREHENSION_TYPES.has(n.type) && !isBoundedLoop(n, module)) {
        // A comprehension over a literal or a generator fed to a short-circuit is not a full pass.
        if (n.type === 'generator_expression' && ['any', 'all', 'next'].includes(functionCall(n.parent?.parent ?? n)?.name ?? '')) continue;
        if (varies(n.namedChildren.find((c) => c.type === 'for_in_clause')?.child('right'))) return n;
        continue;
      }
      // An inner loop over the finding's own collection passes over all of it (`for y in xs:` with no
      // break); a loop over another collection (a node's neighbours) costs what that one holds.
      if (n.type === 'for_statement' && same !== undefined && unparen(n.child('right'))?.text === same && isFullPass(n) && varies(n.child('right'))) return n;
      // `del xs[i]` moves the tail of the list: O(n), and the positions after i shift.
      if (n.type === 'delete_statement' && same !== undefined && n.namedChildren.some((t) => t.type === 'subscript' && unparen(t.child('value'))?.text === same && !isLastIndex(t))) return n;
      const c = functionCall(n);
      if (c && LINEAR_BUILTINS.has(c.name) && c.args.length >= 1 && !['integer', 'float', 'string', 'true', 'false', 'none'].includes(unparen(c.args[0])?.type ?? '') && !(c.name === 'max' || c.name === 'min' ? c.args.length >= 2 && !c.hasKeywords : false) && varies(c.args[0])) return n;
      // `insort(xs, x)` / `bisect.insort(xs, x)`: a binary search, then a list insert that moves the tail.
      if (c && INSORTS.has(c.name) && c.args.length >= 1 && varies(c.args[0])) return n;
      const m = methodCall(n);
      if (m && m.receiver.text === 'bisect' && INSORTS.has(m.method) && m.args.length >= 1 && varies(m.args[0])) return n;
      if (!m || !LINEAR_METHODS.has(m.method) || (m.method === 'join' && m.receiver.type === 'string' && m.args.length === 0)) continue;
      if (m.receiver.text === same && FIXABLE_SCANS.has(m.method)) continue;
      if (varies(m.receiver)) return n;
    }
  }
  return null;
}

const NONE: ReadonlySet<string> = new Set();
const COPIES = new Set(['list', 'tuple', 'set', 'frozenset', 'sorted', 'reversed', 'enumerate', 'zip', 'iter', 'dict', 'deque', 'filter', 'map', 'len', 'abs', 'int']);
const VIEWS = new Set(['keys', 'values', 'items', 'copy']);
/** Methods whose result holds the pieces of one string (or is one). */
const STRING_PIECES = new Set(['split', 'rsplit', 'splitlines', 'partition', 'rpartition', 'strip', 'lstrip', 'rstrip', 'lower', 'upper', 'replace', 'format', 'encode', 'decode', 'join']);

/**
 * The first parameter of a method (`self`, `cls`): the object, whose fields are its own state. A
 * method may be analysed as a unit of its own (its class is then not in view), so the names the
 * language's convention gives that parameter decide.
 */
export function isReceiverParameter(name: SyntaxNode): boolean {
  if (name.text !== 'self' && name.text !== 'cls') return false;
  const scope = resolveScope(name.text, name);
  if (typeof scope === 'string' || scope.type !== 'function_definition') return false;
  const first = scope.child('parameters')?.namedChildren[0];
  return !!first && (first.type === 'identifier' ? first.text : first.child('name')?.text ?? first.namedChildren[0]?.text) === name.text;
}

/**
 * Why an expression's size is, or is not, tied to the function's input. `sized` when it is a
 * parameter (or the object's own state, `self.items`), a copy or view of one (`list(xs)`,
 * `xs[:]`, `d.items()`, a comprehension over one, `range(len(xs))`), what a method of a parameter
 * returns (`G.successors(v)`), an element of one (a row), or a list grown once per element of one.
 * Otherwise `why` names what the code shows instead: the pieces of one string, the result of a
 * call this function cannot see into, a field of one value, a literal, a module-level name.
 */
export function sizeEvidence(expr: SyntaxNode | null | undefined, depth = 0, exclude: ReadonlySet<string> = NONE): SizeEvidence {
  const e = unparen(expr);
  if (!e) return { sized: false, why: 'nothing' };
  if (depth > 6) return { sized: false, why: `\`${shortText(e)}\` is derived too indirectly to tell` };
  switch (e.type) {
    case 'identifier':
      return configurationEvidence(e.text) ?? nameEvidence(e, depth, exclude);
    case 'attribute': {
      const configuration = configurationEvidence(e.child('attribute')?.text ?? '');
      if (configuration) return configuration;
      const obj = unparen(e.child('object'));
      if (obj?.type === 'identifier' && isNameRef(obj) && isReceiverParameter(obj)) return SIZED;
      return { sized: false, why: `\`${shortText(e)}\` is a field of a value; its size is not visible from this function` };
    }
    case 'subscript': {
      const value = e.child('value');
      const slice = e.namedChildren.some((c) => c !== value && c.type === 'slice');
      if (slice || sizeEvidence(value, depth + 1, exclude).sized) return sizeEvidence(value, depth + 1, exclude);
      return { sized: false, why: `\`${shortText(e)}\` is one element of a collection whose size is not visible from this function` };
    }
    case 'list_comprehension':
    case 'set_comprehension':
    case 'dictionary_comprehension':
    case 'generator_expression': {
      const it = e.namedChildren.find((c) => c.type === 'for_in_clause')?.child('right');
      return sizeEvidence(it, depth + 1, exclude);
    }
    case 'binary_operator':
    case 'boolean_operator': {
      const l = sizeEvidence(e.child('left'), depth + 1, exclude);
      return l.sized ? l : sizeEvidence(e.child('right'), depth + 1, exclude);
    }
    case 'conditional_expression': {
      const branches = e.namedChildren.filter((_, i) => i !== 1);
      const first = branches.map((b) => sizeEvidence(b, depth + 1, exclude));
      return first.find((x) => x.sized) ?? first[0] ?? { sized: false, why: 'nothing' };
    }
    case 'list':
    case 'tuple':
    case 'set':
    case 'dictionary': {
      for (const c of e.namedChildren) if ((c.type === 'list_splat' || c.type === 'dictionary_splat') && sizeEvidence(c.namedChildren[0], depth + 1, exclude).sized) return SIZED;
      return { sized: false, why: `\`${shortText(e)}\` is a literal`, small: true };
    }
    case 'call':
      return callEvidence(e, depth, exclude);
    case 'integer':
    case 'float':
    case 'string':
    case 'concatenated_string':
    case 'true':
    case 'false':
    case 'none':
      return { sized: false, why: `\`${shortText(e)}\` is a literal`, small: true };
    default:
      return { sized: false, why: `the size of \`${shortText(e)}\` is not visible from this function` };
  }
}

function callEvidence(e: SyntaxNode, depth: number, exclude: ReadonlySet<string>): SizeEvidence {
  const f = functionCall(e);
  if (f) {
    if (f.name === 'range') {
      const stop = f.args.length === 1 ? f.args[0] : f.args[1];
      return stop ? sizeEvidence(stop, depth + 1, exclude) : { sized: false, why: 'an empty range' };
    }
    if (COPIES.has(f.name) && f.args.length >= 1) {
      let first: SizeEvidence | null = null;
      for (const a of f.args) {
        const ev = sizeEvidence(a, depth + 1, exclude);
        if (ev.sized) return ev;
        first ??= ev;
      }
      return first!;
    }
    // A function the caller passed in (`next()`, `read()`): what it returns comes from the input.
    const fn = e.child('function');
    if (fn && isNameRef(fn) && bindingKindOf(fn) === 'param') return SIZED;
    return { sized: false, why: `\`${shortText(e)}\` is the result of a call whose size this function does not show` };
  }
  const m = methodCall(e);
  if (m) {
    if (STRING_PIECES.has(m.method)) return { sized: false, why: `\`${shortText(e)}\` holds the pieces of one string`, small: true };
    if (VIEWS.has(m.method)) return sizeEvidence(m.receiver, depth + 1, exclude);
    // What a method of a parameter returns is a part of that input: `G.successors(v)`, `self.nodes()`.
    const recv = unparen(m.receiver);
    if (recv?.type === 'identifier' && isNameRef(recv) && bindingKindOf(recv) === 'param') return SIZED;
  }
  return { sized: false, why: `\`${shortText(e)}\` is the result of a call whose size this function does not show` };
}

function bindingKindOf(name: SyntaxNode): 'param' | 'local' | 'outside' {
  const scope = resolveScope(name.text, name);
  if (typeof scope === 'string' || (scope.type !== 'function_definition' && scope.type !== 'lambda')) return 'outside';
  return (bindingsOf(scope).get(name.text) ?? []).some((b) => b.kind === 'param') ? 'param' : 'local';
}

function nameEvidence(n: SyntaxNode, depth: number, exclude: ReadonlySet<string>): SizeEvidence {
  const scope = resolveScope(n.text, n);
  if (typeof scope === 'string' || (scope.type !== 'function_definition' && scope.type !== 'lambda')) {
    return { sized: false, why: `\`${n.text}\` is a module-level name; its size is not visible from this function` };
  }
  const bindings = bindingsOf(scope).get(n.text) ?? [];
  let first: SizeEvidence | null = null;
  for (const b of bindings) {
    if (b.kind === 'param') return parameterDefault(b.site) ?? SIZED;
    if (b.node.startIndex >= n.startIndex) continue;
    let ev: SizeEvidence | null = null;
    if ((b.kind === 'assign' || b.kind === 'walrus' || b.kind === 'augassign') && b.value) ev = sizeEvidence(b.value, depth + 1, exclude);
    else if (b.kind === 'for') {
      // An element of an input collection (a row, a neighbour list) may be a collection of its own.
      const it = b.site.child('right');
      if (it) ev = sizeEvidence(it, depth + 1, exclude);
    }
    if (ev?.sized) return ev;
    if (ev) first ??= ev;
  }
  // A list grown once per element of an input: `seen.append(v)` in `for v in graph:`.
  if (!exclude.has(n.text) && grownFromInput(n, depth, exclude)) return SIZED;
  const grown = growthSites(scope, n.text);
  const grownBy = grown.map((site) => enclosingLoop(site, scope)).find((l): l is SyntaxNode => !!l);
  if (grownBy) return { sized: false, why: `\`${n.text}\` grows only in \`${headerText(grownBy)}\`, which is not visibly driven by an input collection` };
  if (first && !first.sized && first.small && /is a literal$/.test(first.why)) {
    // Bound once to a literal and never grown, assigned into or rebound: its size is fixed by the code (issue 13 round 9: a 3-entry bracket table).
    const literal = bindings.length === 1 ? unparen(bindings[0].value ?? null) : null;
    if (literal && literal.namedChildren.length > 0 && !grown.length && !escapes(scope, n.text)) return { sized: false, why: `\`${n.text}\` is a literal that nothing changes`, small: true, bounded: true };
    return { sized: false, why: `\`${n.text}\` starts as a literal and nothing shows it growing with the input`, small: true };
  }
  return first ?? { sized: false, why: `the size of \`${n.text}\` is not visible from this function` };
}

/**
 * A parameter whose default is a fixed table (`split_start=SPLIT_START_CATEGORIES`, `seps=(',', ';')`)
 * is configuration with a default: no caller in view passes a larger one.
 */
function parameterDefault(param: SyntaxNode | undefined): SizeEvidence | null {
  const value = param && (param.type === 'default_parameter' || param.type === 'typed_default_parameter') ? unparen(param.child('value')) : null;
  // A non-empty literal or an upper-case constant; an empty `[]` default may be an accumulator.
  if (!value || !((['list', 'tuple', 'set'].includes(value.type) && value.namedChildren.length > 0) || (value.type === 'identifier' && /^[A-Z][A-Z0-9_]+$/.test(value.text)))) return null;
  return { sized: false, why: `the parameter defaults to \`${shortText(value)}\`, a fixed table, and no caller in view passes another`, small: true };
}

/**
 * A parameter every call in the module passes a literal list (callShapes.ts literalCallerEvidence),
 * read through a copy of itself (`c2 = list(c2)`): what the module's calls show of its size.
 */
function parameterEvidence(collection: SyntaxNode, module: ModuleSummary): SizeEvidence | null {
  const e = unparen(collection);
  if (e?.type !== 'identifier') return null;
  const scope = resolveScope(e.text, e);
  if (typeof scope === 'string' || scope.type !== 'function_definition') return null;
  const param = (bindingsOf(scope).get(e.text) ?? []).find((b) => b.kind === 'param');
  return param?.site ? literalCallerEvidence(param.site, module) : null;
}

/** Is the name bound (assigned, augmented) inside `loop`? */
function assignedIn(loop: SyntaxNode, name: string): boolean {
  for (const n of loop.descendants()) {
    if ((n.type === 'assignment' || n.type === 'augmented_assignment') && unparen(n.child('left'))?.text === name) return true;
    if (n.type === 'named_expression' && n.child('name')?.text === name) return true;
  }
  return false;
}

/** The growth sites of `name` in `scope`: `xs.append(…)` and the like, `xs += …`, `d[k] = …`. */
function growthSites(scope: SyntaxNode, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const n of scope.descendants()) {
    const m = methodCall(n);
    if (m && m.receiver.type === 'identifier' && m.receiver.text === name && ['append', 'extend', 'insert', 'add', 'appendleft', 'update'].includes(m.method)) out.push(n);
    else if (n.type === 'augmented_assignment' && n.child('left')?.text === name) out.push(n);
    else if (n.type === 'assignment' && n.child('left')?.type === 'subscript' && n.child('left')!.child('value')?.text === name) out.push(n);
  }
  return out;
}

/** Methods that read a collection without changing it. */
const READ_ONLY = new Set(['get', 'keys', 'values', 'items', 'count', 'index', 'copy', 'startswith', 'endswith', 'find', 'format', 'join', 'split', 'strip', 'lower', 'upper', 'issubset', 'issuperset', 'union', 'intersection', 'difference']);

/**
 * Whether `name` may change out of sight in `scope`: a method other than a reading one is called on it
 * (`setdefault`, `clear`, …), it is passed to a call, aliased, returned or yielded (review 7, R7-3: a dict
 * filled by `setdefault` or by a helper it is passed to was called "a literal that nothing changes").
 */
function escapes(scope: SyntaxNode, name: string): boolean {
  for (const n of scope.descendants()) {
    if (n.type !== 'identifier' || n.text !== name) continue;
    const p = n.parent;
    if (!p) continue;
    if (p.type === 'attribute' && p.child('object')?.startIndex === n.startIndex) {
      const attr = p.child('attribute')?.text ?? '';
      if (p.parent?.type === 'call' && !READ_ONLY.has(attr)) return true;
      continue;
    }
    if (p.type === 'argument_list' || p.type === 'keyword_argument' || p.type === 'return_statement' || p.type === 'yield') return true;
    if ((p.type === 'assignment' || p.type === 'named_expression') && p.child('right')?.startIndex === n.startIndex) return true;
  }
  return false;
}

/** The innermost loop around `node` inside `scope`, if any. */
function enclosingLoop(node: SyntaxNode, scope: SyntaxNode): SyntaxNode | null {
  for (let a = node.parent; a && a !== scope; a = a.parent) if (a.type === 'for_statement' || a.type === 'while_statement' || COMPREHENSION_TYPES.has(a.type)) return a;
  return null;
}

/** Does `expr` read a parameter of its function (`[start]`, `list(roots)`)? */
function mentionsParameter(expr: SyntaxNode): boolean {
  return [expr, ...expr.descendants()].some((n) => n.type === 'identifier' && isNameRef(n) && bindingKindOf(n) === 'param');
}

/**
 * Is the name grown, anywhere in its function, inside a loop that runs once per input element? The
 * name's own growth is no evidence for that loop (`while queue: … queue.append(x)` is input-sized
 * only if `queue` starts from the input or `x` comes from a loop over it). A worklist that starts
 * from a parameter and is drained by the loop that grows it (`queue = [root]; while queue: …
 * queue.extend(node.children)`) walks what is reachable from the input: input-sized.
 */
function grownFromInput(name: SyntaxNode, depth: number, exclude: ReadonlySet<string>): boolean {
  const without = new Set([...exclude, name.text]);
  const scope = resolveScope(name.text, name);
  if (typeof scope === 'string') return false;
  const starts = (bindingsOf(scope).get(name.text) ?? []).filter((b) => b.kind === 'assign' && b.value).map((b) => b.value!);
  for (const site of growthSites(scope, name.text)) {
    for (let a = site.parent; a && a !== scope; a = a.parent) {
      if (!(a.type === 'for_statement' || a.type === 'while_statement' || COMPREHENSION_TYPES.has(a.type))) continue;
      if (loopEvidence(a, depth + 1, without).sized) return true;
      if (a.type === 'while_statement' && drains(a, name.text) && starts.some((v) => v.startIndex < a.startIndex && mentionsParameter(v))) return true;
    }
  }
  return false;
}

/** `while xs:`, `while len(xs) > 0`, `while xs and …`: the loop runs until `xs` is empty. */
function drains(loop: SyntaxNode, name: string): boolean {
  const cond = loop.child('condition');
  return !!cond && [cond, ...cond.descendants()].some((n) => n.type === 'identifier' && n.text === name && isNameRef(n));
}

/**
 * Does the loop run once per element of the input: a `for` over an input-sized collection, a
 * `while` that drains or walks one (`while queue:`, `while i < len(xs)`, `while i < n` for a
 * parameter `n`)? A `while` that follows links (`while node is not None`, `while parent != child`),
 * tests a flag or runs until a value is reached is not counted.
 */
export function loopEvidence(loop: SyntaxNode, depth = 0, exclude: ReadonlySet<string> = NONE): SizeEvidence {
  if (loop.type === 'for_statement') return sizeEvidence(loop.child('right'), depth, exclude);
  if (COMPREHENSION_TYPES.has(loop.type)) return sizeEvidence(loop.namedChildren.find((c) => c.type === 'for_in_clause')?.child('right'), depth, exclude);
  if (loop.type !== 'while_statement') return { sized: false, why: 'the loop is not driven by a collection' };
  const prefix = consumedPrefix(loop);
  if (prefix) return prefixEvidence(prefix);
  const cond = unparen(loop.child('condition'));
  const notDriven: SizeEvidence = { sized: false, why: `the loop \`${headerText(loop)}\` is not visibly driven by an input collection` };
  if (!cond) return notDriven;
  const collection = (x: SyntaxNode | null | undefined): boolean => {
    const v = unparen(x);
    if (!v) return false;
    if (v.type === 'identifier' || v.type === 'attribute') return sizeEvidence(v, depth + 1, exclude).sized;
    const c = functionCall(v);
    return c?.name === 'len' && c.args.length === 1 && collection(c.args[0]);
  };
  const isLen = (x: SyntaxNode | undefined) => {
    const c = x ? functionCall(unparen(x)!) : null;
    return c?.name === 'len' && c.args.length === 1 && collection(c.args[0]);
  };
  const test = (c: SyntaxNode): boolean => {
    if (c.type === 'identifier' || c.type === 'attribute') return collection(c);
    if (c.type === 'comparison_operator') {
      const ops = c.childrenIn('operators').map((o) => o.text);
      const [l, r] = c.namedChildren;
      // `while len(xs) > 0`, `while i < len(xs)`: a collection drained, grown or walked by index.
      if (isLen(l) || isLen(r)) return true;
      if (!ops.some((o) => o === '<' || o === '<=' || o === '>' || o === '>=')) return false;
      // `while i < n`: a counter stepped towards a bound, which must be a size of the input.
      const changed = (x: SyntaxNode | undefined) => unparen(x)?.type === 'identifier' && assignedIn(loop, unparen(x)!.text);
      if (changed(l) && !changed(r)) return sizeEvidence(r, depth + 1, exclude).sized;
      if (changed(r) && !changed(l)) return sizeEvidence(l, depth + 1, exclude).sized;
      return false;
    }
    if (c.type === 'boolean_operator') return c.namedChildren.some((x) => test(unparen(x)!));
    return false;
  };
  return test(cond) ? SIZED : notDriven;
}

/**
 * The severity of a finding whose cost is "an O(n) step inside a loop" on collection `name`: a warning
 * when the code shows both factors growing with the function's input (the loop runs once per element
 * of an input, and the collection is an input, a copy of one, or grown by that loop), information
 * when other work already sets the complexity (another O(n) step in the same iteration, a re-sort of
 * the list around the scan, heavier work in the function), or when the code does not show one of
 * the sizes (the note says which, and why). `loops` are the scaling loops around the finding,
 * innermost first.
 */
export function sizeVerdict(finding: SyntaxNode, loops: readonly SyntaxNode[], collection: SyntaxNode | null, module: ModuleSummary): SizeVerdict {
  const sort = resortedAround(finding, loops, collection);
  if (sort) return { severity: 'information', note: `; \`${shortText(sort, 40)}\` on every iteration of the loop around it already costs O(n log n) and needs the list's order (a set would lose it)` };
  const heavier = heavierWork(finding, loops, module);
  if (heavier) return { severity: 'information', note: `; the function also does ${heavier.cost} (\`${shortText(heavier.node, 40)}\`), which grows faster than the O(n²) here, so fixing this leaves the function's cost as it is` };
  const io = ioWork(loops[0], finding);
  if (io) return { severity: 'information', note: `; each iteration also waits on I/O (\`${shortText(io, 40)}\`), which costs more than this O(n) step at typical sizes` };
  const setup = setupContext(finding, loops, module);
  if (setup && !setup.sized) return { severity: 'information', note: noGrowthNote(setup.why) };
  const verdict = verdictOf(dominatingWork(loops[0], finding, module, collection), () => ({
    loops: loops.map((l) => loopEvidence(l)),
    collection: (collection && parameterEvidence(collection, module)) ?? (collection ? sizeEvidence(collection) : SIZED),
  }));
  // A warning also needs the collection to grow with the loop, not merely with some input.
  const growth = verdict.severity === 'warning' && collection ? loopGrowth(collection, loops) : null;
  if (growth && !growth.sized) return { severity: 'information', note: loopGrowthNote(growth.why) };
  // Of the growth the code shows, only a drained work queue earns a warning (calibratedVerdict), and
  // only one that holds the input: refilled by its loop, or made from a parameter (queueEvidence).
  const drained = drainedQueue(finding, collection, loops);
  if (drained && verdict.severity === 'warning' && collection) {
    const queue = queueEvidence(collection, loops);
    if (!queue.sized) return { severity: 'information', note: noGrowthNote(queue.why) };
  }
  return calibratedVerdict(verdict, drained, growth?.sized && growth.how ? growth.how : GROWS_WITH_LOOP);
}
