// Does the collection a finding scans, shifts or rebuilds grow with the loop around it (issue 13,
// round 5)? A warning needs the two sizes of its O(n·m) tied together: the collection is grown inside
// a loop around the finding (`seen.append(v)` in the walk that tests `v in seen`), or it comes from
// what one of those loops runs over (`node_list = list(G)` scanned in `for n in G`, a queue drained
// by the `while` that pops it). Two unrelated inputs (a call's parameter lists, a document and a
// list of words) or the object's state filled by other methods give no such evidence: the finding
// is information, and the message says why.
import { lengthGuard, looseCoupling, shortText, type LengthGuardSyntax, type SizeEvidence } from '../../analysis/sizeVerdict';
import type { SyntaxNode } from '../../parsing';
import { COMPREHENSION_TYPES, headerText } from './loops';
import { bindingsOf, isNameRef, resolveScope, scopeOf } from './scope';
import { methodCall, statements, unparen } from './syntax';

const GROWS = new Set(['append', 'extend', 'insert', 'add', 'appendleft', 'extendleft', 'update']);
const TAKES = new Set(['pop', 'popleft']);
const NESTED = new Set(['function_definition', 'lambda', 'class_definition']);

/** `self` / `cls` as the first parameter of a method. */
function isReceiver(id: SyntaxNode): boolean {
  if (id.text !== 'self' && id.text !== 'cls') return false;
  const scope = resolveScope(id.text, id);
  return typeof scope !== 'string' && scope.type === 'function_definition' && (bindingsOf(scope).get(id.text) ?? []).some((b) => b.kind === 'param');
}

/** `xs` or `self.xs`: the key a collection is known by, or null for anything else. */
export function collectionKey(expr: SyntaxNode | null | undefined): string | null {
  const e = unparen(expr);
  if (e?.type === 'identifier') return e.text;
  if (e?.type === 'attribute' && unparen(e.child('object'))?.type === 'identifier' && isReceiver(unparen(e.child('object'))!)) return e.text.replace(/\s+/g, '');
  return null;
}

/**
 * What an expression is made from: the function's parameters and local names it derives from
 * (following the local assignments and loop bindings), and `self.x` for the object's fields. An
 * index does not count (`table[k]` is made from `table`), nor the element of a comprehension (`[f(a)
 * for a in xs]` is as long as `xs`), nor the items of a list display (`[start]` has one); what is
 * added to a local list counts (`seen.append(x)` in `for x in xs` makes `seen` from `xs`).
 */
export function origins(expr: SyntaxNode | null | undefined, seen: Set<string> = new Set()): Set<string> {
  const out = new Set<string>();
  const walk = (n: SyntaxNode | null | undefined): void => {
    n = unparen(n);
    if (!n || NESTED.has(n.type)) return;
    switch (n.type) {
      case 'identifier':
        if (isNameRef(n)) name(n);
        return;
      case 'attribute': {
        const key = collectionKey(n);
        if (key) out.add(key);
        else walk(n.child('object'));
        return;
      }
      case 'subscript':
        walk(n.child('value'));
        return;
      case 'call': {
        const fn = n.child('function');
        if (fn?.type === 'attribute') walk(fn);
        for (const a of n.child('arguments')?.namedChildren ?? []) walk(a.type === 'keyword_argument' ? a.child('value') : a);
        return;
      }
      case 'list':
      case 'tuple':
      case 'set':
        for (const c of n.namedChildren) if (c.type === 'list_splat') walk(c.namedChildren[0]);
        return;
      default:
        if (COMPREHENSION_TYPES.has(n.type)) {
          for (const c of n.namedChildren) if (c.type === 'for_in_clause') walk(c.child('right'));
          return;
        }
        for (const c of n.namedChildren) walk(c);
    }
  };
  const name = (id: SyntaxNode): void => {
    const scope = resolveScope(id.text, id);
    if (typeof scope === 'string' || (scope.type !== 'function_definition' && scope.type !== 'lambda')) return;
    if (isReceiver(id)) return; // its fields are counted one by one (`self.items`)
    out.add(id.text);
    if (seen.has(id.text)) return;
    seen.add(id.text);
    for (const b of bindingsOf(scope).get(id.text) ?? []) {
      if (b.value) walk(b.value);
      else if (b.kind === 'for') walk(b.site.child('right'));
    }
    // What is added to it: `seen.append(x)` in `for x in xs` makes `seen` from `xs`.
    for (const n of scope.descendants()) {
      const m = methodCall(n);
      if (m && GROWS.has(m.method) && unparen(m.receiver)?.type === 'identifier' && m.receiver.text === id.text) m.args.forEach(walk);
    }
  };
  walk(expr);
  return out;
}

/** Is `key` grown inside `loop` (`key.append(…)`, `key += …`, `key = key + …`, `key[k] = …`)? */
function grownIn(loop: SyntaxNode, key: string): boolean {
  const visit = (n: SyntaxNode): boolean => {
    if (NESTED.has(n.type)) return false;
    const m = methodCall(n);
    if (m && GROWS.has(m.method) && collectionKey(m.receiver) === key) return true;
    if (n.type === 'augmented_assignment' && collectionKey(n.child('left')) === key) return true;
    if (n.type === 'assignment') {
      const left = unparen(n.child('left'));
      const right = unparen(n.child('right'));
      if (collectionKey(left) === key && right?.type === 'binary_operator' && [right.child('left'), right.child('right')].some((s) => collectionKey(s) === key)) return true;
      if (left?.type === 'subscript' && collectionKey(left.child('value')) === key) return true;
    }
    return n.namedChildren.some(visit);
  };
  return loop.namedChildren.some(visit);
}

/** Does this node itself take items off `key` (`key.pop()`, `key.popleft()`, `del key[0]`, `key = key[1:]`)? */
function takesAt(n: SyntaxNode, key: string): boolean {
  const m = methodCall(n);
  // `(a if c else b).pop(0)` takes from either.
  if (m && TAKES.has(m.method) && (collectionKey(m.receiver) === key || origins(m.receiver).has(key))) return true;
  if (n.type === 'delete_statement' && [n, ...n.descendants()].some((t) => t.type === 'subscript' && collectionKey(t.child('value')) === key)) return true;
  // `key = key[1:]`
  return n.type === 'assignment' && collectionKey(n.child('left')) === key && unparen(n.child('right'))?.type === 'subscript' && collectionKey(unparen(n.child('right'))!.child('value')) === key;
}

/** Does `loop` take items off `key`? */
function drains(loop: SyntaxNode, key: string): boolean {
  const visit = (n: SyntaxNode): boolean => !NESTED.has(n.type) && (takesAt(n, key) || n.namedChildren.some(visit));
  return loop.namedChildren.some(visit);
}

/**
 * Is `finding` a removal from a work queue (`job = queue.pop(0)`, `del queue[0]`, `queue =
 * queue[1:]`) that a `while` loop among `loops` drains? The one class of growth evidence that earns
 * a warning (analysis/sizeVerdict.ts calibratedVerdict).
 */
export function drainedQueue(finding: SyntaxNode, collection: SyntaxNode | null, loops: readonly SyntaxNode[]): boolean {
  const key = collectionKey(collection);
  if (!key) return false;
  let takes = false;
  for (let n: SyntaxNode | null = finding; n && !takes; n = n.type.endsWith('statement') ? null : n.parent) takes = takesAt(n, key);
  return takes && loops.some((l) => l.type === 'while_statement' && drains(l, key));
}

/**
 * What a loop runs over: a `for`'s or a comprehension's iterables; a `while`'s bounds (`i < len(xs)`,
 * `i < n`) and the collections it drains (`while queue: queue.pop()`). A collection a `while` only
 * tests for emptiness (`while i < q and a_s`) is a guard, not what the loop runs over.
 */
function loopOrigins(loop: SyntaxNode): Set<string> {
  if (loop.type === 'for_statement') return origins(loop.child('right'));
  if (COMPREHENSION_TYPES.has(loop.type)) {
    const out = new Set<string>();
    for (const c of loop.namedChildren) if (c.type === 'for_in_clause') for (const o of origins(c.child('right'))) out.add(o);
    return out;
  }
  const out = new Set<string>();
  const test = (c: SyntaxNode | null | undefined): void => {
    c = unparen(c);
    if (!c) return;
    if (c.type === 'boolean_operator') return [c.child('left'), c.child('right')].forEach(test);
    if (c.type === 'not_operator') return test(c.child('argument'));
    // `xs`, `len(xs)`, `len(xs) > 0`: emptiness.
    const sides = c.type === 'comparison_operator' ? c.namedChildren : [c];
    const zero = sides.length === 2 ? sides.find((s) => unparen(s)?.type === 'integer' && Number(unparen(s)!.text) === 0) : undefined;
    const subject = sides.length === 1 ? c : zero ? sides.find((s) => s !== zero)! : null;
    const len = subject && unparen(subject)?.type === 'call' && unparen(unparen(subject)!.child('function'))?.text === 'len' ? unparen(subject)!.child('arguments')?.namedChildren[0] : subject;
    const key = collectionKey(len);
    if (key) {
      if (drains(loop, key)) for (const o of origins(c)) out.add(o);
      return;
    }
    for (const o of origins(c)) out.add(o);
  };
  test(loop.child('condition'));
  return out;
}

/**
 * Evidence that `collection` grows with one of `loops` (the scaling loops around the finding,
 * innermost first): how it does (`sized`), otherwise why not. A field of the object (`self.queue`)
 * shared with the loop's own test is the object's state, filled by other methods: it counts only
 * when the loop itself grows it.
 */
export function loopGrowth(collection: SyntaxNode, loops: readonly SyntaxNode[]): SizeEvidence {
  const key = collectionKey(collection);
  const grown = key ? loops.find((l) => grownIn(l, key)) : undefined;
  if (grown) return { sized: true, how: `\`${shortText(collection, 30)}\` is grown in \`${shortText(headerText(grown), 50)}\`` };
  const made = origins(collection);
  for (const l of loops) {
    for (const o of loopOrigins(l)) if (made.has(o) && !/^(?:self|cls)\./.test(o)) return { sized: true, how: `\`${shortText(collection, 30)}\` is made from what \`${shortText(headerText(l), 50)}\` runs over` };
  }
  return looseCoupling(collection.text, loops.map((l) => headerText(l)), !!key && /^(?:self|cls)\./.test(key));
}

/** Does a block always leave the function (`raise`, `return`) at its end? */
function leaves(block: SyntaxNode | null): boolean {
  const last = statements(block).at(-1);
  return last?.type === 'raise_statement' || last?.type === 'return_statement';
}

/** How Python spells a length guard: `if len(name) > 253: raise …` (analysis/sizeVerdict.ts lengthGuard). */
const LENGTH_GUARD: LengthGuardSyntax = {
  isBlock: (type) => type === 'block' || type === 'module',
  guardTest(stmt) {
    if (stmt.type !== 'if_statement' || !leaves(stmt.child('consequence'))) return null;
    const c = unparen(stmt.child('condition'));
    if (c?.type !== 'comparison_operator') return null;
    const ops = c.childrenIn('operators').map((o) => o.text);
    const [left, right] = c.namedChildren.map((x) => unparen(x));
    return ops.length === 1 && left && right ? { test: c, op: ops[0], left, right } : null;
  },
  lengthOf: (x) => lenOf(x) ?? lenOf(lengthAlias(x)),
  isInteger: (x) => x?.type === 'integer',
};

function lenOf(x: SyntaxNode | null | undefined): string | null {
  return x?.type === 'call' && x.child('function')?.text === 'len' ? collectionKey(x.child('arguments')?.namedChildren[0]) : null;
}

/** `num` bound once in its function, to `len(keys)`: that call (`num = len(keys)` then `if num > 64: raise`). */
function lengthAlias(x: SyntaxNode | null): SyntaxNode | null {
  if (x?.type !== 'identifier') return null;
  const bound = bindingsOf(scopeOf(x)).get(x.text) ?? [];
  return bound.length === 1 && bound[0].kind === 'assign' && !bound[0].chained ? (unparen(bound[0].value) ?? null) : null;
}

/**
 * A `for` loop over a name that an earlier statement of its function caps (`if len(keys) > 64: raise`,
 * or `num = len(keys)` then `if num > 64: raise`): at most the cap's steps (issue 13 round 14, after the
 * freeze: pyubx2's `config_del`/`config_poll` bytes over at most 64 keys, judged wrong by both judges).
 */
export function guardCappedLoop(loop: SyntaxNode): { test: SyntaxNode; cap: number } | null {
  const over = loop.type === 'for_statement' ? unparen(loop.child('right')) : null;
  if (over?.type !== 'identifier') return null;
  const fn = scopeOf(loop);
  const guard = fn.type === 'function_definition' ? lengthGuard(fn, loop, new Set([over.text]), LENGTH_GUARD) : null;
  // The list the guard measured is the one the loop walks only if nothing rebinds the name after it (review 11 S3: `keys = keys + more`).
  return guard && (bindingsOf(fn).get(over.text) ?? []).every((b) => b.site.startIndex < guard.test.startIndex) ? guard : null;
}

/**
 * Evidence that a work queue a `while` loop drains holds data that grows with the function's input
 * (issue 13 round 11, the severity contract of plain `check`): the draining loop refills it (a
 * traversal's frontier: `queue.append(child)` in `while queue:`), or it is a parameter of the function
 * or made from one (`ds = degree_sequence[:]`, `q = list(graph)`). A queue filled before the loop from
 * the object's state, a call's result or literals, and then only emptied, holds what that definition
 * lists (a few workers, one name's labels, one expression's operands): information that says so. A
 * parameter's queue whose length the function caps before the loop (`if len(name) > 253: raise`) is
 * bounded by that check.
 */
export function queueEvidence(collection: SyntaxNode, loops: readonly SyntaxNode[]): SizeEvidence {
  const key = collectionKey(collection);
  const c = shortText(collection, 30);
  const draining = key ? loops.find((l) => l.type === 'while_statement' && drains(l, key)) : undefined;
  if (!key || !draining) return { sized: true };
  if (grownIn(draining, key)) return { sized: true, how: `\`${c}\` is refilled by the loop that drains it (a traversal)` };
  const fn = scopeOf(collection);
  const made = origins(collection);
  const params = [...made].filter((m) => m !== 'self' && m !== 'cls' && (bindingsOf(fn).get(m) ?? []).some((b) => b.kind === 'param'));
  if (params.length) {
    const guard = lengthGuard(fn, draining, made, LENGTH_GUARD);
    if (guard) return { sized: false, why: `\`${shortText(guard.test, 40)}\` leaves the function before the loop, so \`${c}\` holds at most ${guard.cap} items`, small: true };
    return { sized: true, how: `\`${c}\` is made from the parameter \`${params[0]}\`` };
  }
  const from = [...made].filter((m) => m !== key);
  const source = key.startsWith('self.') || key.startsWith('cls.') ? "the object's state" : from.length ? `\`${shortText(from.join('`, `'), 40)}\`` : 'values set before the loop';
  return { sized: false, why: `\`${c}\` is filled before the loop from ${source} and the loop only takes from it; a warning needs the loop to refill it (a traversal) or the queue to come from the function's parameters` };
}
