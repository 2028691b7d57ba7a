// Does the array a finding scans, shifts or rebuilds grow with the loop around it (issue 13, round 5;
// the ECMAScript side of languages/python/growth.ts)? A warning needs the two sizes of its O(n·m)
// tied together: the array is grown inside a loop around the finding (`seen.push(v)` in the walk
// that tests `seen.includes(v)`), or it comes from what one of those loops runs over (`const ids =
// nodes.map(…)` scanned in `for (const n of nodes)`, a queue drained by the `while` that shifts it).
// Two unrelated inputs or the object's state filled by other methods give no such evidence.
import { lengthGuard, looseCoupling, shortText, type LengthGuardSyntax, type SizeEvidence } from '../../analysis/sizeVerdict';
import type { SyntaxNode } from '../../parsing';
import type { EcmascriptFacts } from './facts';
import { iterationCallOf, methodCallParts, type Loop } from './loops';
import { enclosingFunction, FUNCTION_TYPES, unwrap } from './syntax';

const GROWS = new Set(['push', 'unshift', 'splice', 'add', 'set']);
const TAKES = new Set(['shift', 'pop', 'splice']);

/** `xs` or `this.xs`: the key an array is known by, or null for anything else. */
export function collectionKey(expr: SyntaxNode | null): string | null {
  const e = unwrap(expr);
  if (e?.type === 'identifier') return e.text;
  if (e?.type === 'member_expression' && unwrap(e.child('object'))?.type === 'this' && e.child('property')) return `this.${e.child('property')!.text}`;
  return null;
}

/**
 * What an expression is made from: the names of its function (parameters, locals, followed through
 * their initial values and loop bindings) and `this.x` for the object's fields. An index does not
 * count (`table[k]` is made from `table`), nor a callback (`xs.map(f)` is as long as `xs`), nor the
 * items of an array literal (`[start]` has one); what is pushed onto a local array counts (`seen.push(x)`
 * in `for (const x of xs)` makes `seen` from `xs`).
 */
export function origins(expr: SyntaxNode | null, facts: EcmascriptFacts, seen: Set<string> = new Set()): Set<string> {
  const out = new Set<string>();
  const walk = (n: SyntaxNode | null): void => {
    n = unwrap(n);
    if (!n || FUNCTION_TYPES.has(n.type)) return;
    switch (n.type) {
      case 'identifier':
        return name(n);
      case 'member_expression': {
        const key = collectionKey(n);
        if (key) out.add(key);
        else walk(n.child('object'));
        return;
      }
      case 'subscript_expression':
        return walk(n.child('object'));
      case 'call_expression': {
        const fn = unwrap(n.child('function'));
        if (fn?.type === 'member_expression') walk(fn);
        for (const a of n.child('arguments')?.namedChildren ?? []) walk(a);
        return;
      }
      case 'array':
        for (const c of n.namedChildren) if (c.type === 'spread_element') walk(c.namedChildren[0] ?? null);
        return;
      default:
        for (const c of n.namedChildren) walk(c);
    }
  };
  const name = (id: SyntaxNode): void => {
    const d = facts.declarationOf(id.text, id);
    if (!d) return;
    out.add(id.text);
    if (seen.has(id.text)) return;
    seen.add(id.text);
    if (d.isParameter) {
      // A parameter of an iteration callback is an element (or the accumulator) of the iterated array.
      const it = iterationCallOf(d.scope);
      if (it) walk(it.member.child('object'));
      return;
    }
    const loop = d.node.parent?.type === 'for_in_statement' ? d.node.parent : d.node.parent?.parent?.type === 'for_in_statement' ? d.node.parent.parent : null;
    if (loop) walk(loop.child('right'));
    if (d.value && !d.value.contains(id)) walk(d.value);
    // What is added to it: `seen.push(x)` in `for (const x of xs)` makes `seen` from `xs`.
    for (const n of d.scope.descendants()) {
      const parts = methodCallParts(n);
      if (parts && GROWS.has(parts.method) && unwrap(parts.member.child('object'))?.type === 'identifier' && unwrap(parts.member.child('object'))!.text === id.text) parts.args.forEach(walk);
    }
  };
  walk(expr);
  return out;
}

function ownCalls(loop: Loop, test: (n: SyntaxNode) => boolean): boolean {
  const visit = (n: SyntaxNode): boolean => !FUNCTION_TYPES.has(n.type) && (test(n) || n.namedChildren.some(visit));
  // A callback loop's region is the callback itself: look inside it.
  return loop.perIteration.some((r) => (FUNCTION_TYPES.has(r.type) ? r.namedChildren.some(visit) : visit(r)));
}

/** Is `key` grown inside `loop` (`key.push(…)`, `key = key.concat(…)`, `key = [...key, x]`, `key[i] = …`)? */
function grownIn(loop: Loop, key: string, putBacks = true): boolean {
  return ownCalls(loop, (n) => {
    const parts = methodCallParts(n);
    if (parts && GROWS.has(parts.method) && collectionKey(parts.member.child('object')) === key) return putBacks || !((parts.method === 'push' || parts.method === 'unshift') && isPutBack(n, parts.args, key, loop));
    if (n.type !== 'assignment_expression' && n.type !== 'augmented_assignment_expression') return false;
    const left = unwrap(n.child('left'));
    if (left?.type === 'subscript_expression' && collectionKey(left.child('object')) === key) return true;
    if (collectionKey(left) !== key) return false;
    const right = unwrap(n.child('right'));
    return !!right && [right, ...right.descendants()].some((x) => collectionKey(x) === key);
  });
}

/**
 * `tokens.unshift('optional')`: a push or unshift of one literal puts a fixed token back for the next
 * step to take (issue 13 round 16: protocol-buffers-schema's `oneof` fields, 6 warnings beside 48
 * information findings on the same token array); it adds no item of the data, so it is neither a
 * traversal's refill nor growth of the queue. Only where it runs once per take: in the draining loop
 * itself, or in an inner loop whose every pass also takes from the array (a statement of its body
 * shifts it or hands it to a call: `tokens.unshift('optional'); field(tokens)`). A literal pushed n
 * times per take (`for (…; i < n; …) tokens.push('x')`) is growth (review 13 S4).
 */
function isPutBack(push: SyntaxNode, args: readonly SyntaxNode[], key: string, loop: Loop): boolean {
  const e = args.length === 1 ? unwrap(args[0]) : null;
  if (!e || !(e.type === 'number' || e.type === 'string' || e.type === 'true' || e.type === 'false' || e.type === 'null' || (e.type === 'template_string' && !e.namedChildren.some((c) => c.type === 'template_substitution')))) return false;
  const same = (a: SyntaxNode, b: SyntaxNode) => a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
  for (const a of push.ancestors()) {
    if (same(a, loop.node) || loop.perIteration.some((r) => same(r, a))) return true;
    if (FUNCTION_TYPES.has(a.type)) return false;
    if (!INNER_LOOPS.has(a.type)) continue;
    const body = a.child('body');
    const stmts = body?.type === 'statement_block' ? body.namedChildren : body ? [body] : [];
    return stmts.some((st) => (st.type === 'expression_statement' || st.type === 'lexical_declaration' || st.type === 'variable_declaration') && [st, ...st.descendants()].some((x) => takesAt(x, key) || (x.type === 'call_expression' && (x.child('arguments')?.namedChildren ?? []).some((arg) => collectionKey(arg) === key))));
  }
  return true;
}

const INNER_LOOPS = new Set(['for_statement', 'for_in_statement', 'while_statement', 'do_statement']);

/** Does this node itself take items off `key` (`key.shift()`, `key.pop()`, `key.splice(…)`, `key = key.slice(1)`)? */
function takesAt(n: SyntaxNode, key: string): boolean {
  const parts = methodCallParts(n);
  if (parts && TAKES.has(parts.method) && collectionKey(parts.member.child('object')) === key) return true;
  // `key = key.slice(1)`
  if (n.type !== 'assignment_expression' || collectionKey(n.child('left')) !== key) return false;
  const right = unwrap(n.child('right'));
  const slice = right ? methodCallParts(right) : null;
  return !!slice && slice.method === 'slice' && collectionKey(slice.member.child('object')) === key;
}

/** Does `loop` take items off `key`? */
function drains(loop: Loop, key: string): boolean {
  return ownCalls(loop, (n) => takesAt(n, key));
}

/**
 * Is `finding` a removal from a work queue (`const job = queue.shift()`, `queue = queue.slice(1)`)
 * that a `while` (or `do`) loop among `loops` drains? The one class of growth evidence that earns a
 * warning (analysis/sizeVerdict.ts calibratedVerdict).
 */
export function drainedQueue(finding: SyntaxNode, collection: SyntaxNode | null, loops: readonly Loop[]): boolean {
  const key = collectionKey(collection);
  if (!key) return false;
  let takes = false;
  for (let n: SyntaxNode | null = finding; n && !takes; n = n.type.endsWith('statement') ? null : n.parent) takes = takesAt(n, key);
  return takes && loops.some((l) => (l.node.type === 'while_statement' || l.node.type === 'do_statement') && drains(l, key));
}

/**
 * What a loop runs over: its iterable (`for…of`, a callback's receiver); a counted loop's bounds
 * (`i < xs.length`, `i < n`) and the arrays it drains (`while (queue.length) queue.shift()`). An
 * array a loop only tests for emptiness is a guard, not what it runs over.
 */
function loopOrigins(loop: Loop, facts: EcmascriptFacts): Set<string> {
  if (loop.iterable) return origins(loop.iterable, facts);
  const out = new Set<string>();
  const guard = (x: SyntaxNode | null): string | null => {
    const v = unwrap(x);
    if (v?.type === 'member_expression' && v.child('property')?.text === 'length') return collectionKey(v.child('object'));
    return collectionKey(v);
  };
  const test = (c: SyntaxNode | null): void => {
    const v = unwrap(c);
    if (!v) return;
    if (v.type === 'binary_expression' && ['&&', '||'].includes(v.child('operator')?.text ?? '')) return [v.child('left'), v.child('right')].forEach(test);
    if (v.type === 'unary_expression') return test(v.namedChildren[0] ?? null);
    // `xs.length`, `xs.length > 0`, `xs.length !== 0`: emptiness.
    const sides = v.type === 'binary_expression' ? [v.child('left'), v.child('right')] : [v];
    const zero = sides.find((s) => unwrap(s)?.type === 'number' && Number(unwrap(s)!.text) === 0);
    const tested = sides.length === 1 ? guard(v) : zero ? guard(sides.find((s) => s !== zero) ?? null) : null;
    if (tested !== null) {
      if (drains(loop, tested)) for (const o of origins(v, facts)) out.add(o);
      return;
    }
    for (const o of origins(v, facts)) out.add(o);
  };
  const node = loop.node;
  const cond = unwrap(node.child('condition'));
  test(cond?.type === 'expression_statement' ? unwrap(cond.namedChildren[0] ?? null) : cond);
  return out;
}

/** A loop's header on one line. */
function headerOf(l: Loop, max = 50): string {
  return shortText(l.node.source.slice(l.header.startIndex, l.header.endIndex), max);
}

/**
 * Evidence that `collection` grows with one of `loops` (the scaling loops around the finding,
 * innermost first): how it does (`sized`), otherwise why not. A field of the object (`this.queue`)
 * shared with the loop's own test is the object's state, filled by other methods: it counts only
 * when the loop itself grows it.
 */
export function loopGrowth(collection: SyntaxNode, loops: readonly Loop[], facts: EcmascriptFacts): SizeEvidence {
  const key = collectionKey(collection);
  const grown = key ? loops.find((l) => grownIn(l, key)) : undefined;
  if (grown) return { sized: true, how: `\`${shortText(collection, 30)}\` is grown in \`${headerOf(grown)}\`` };
  const made = origins(collection, facts);
  for (const l of loops) {
    for (const o of loopOrigins(l, facts)) if (made.has(o) && !o.startsWith('this.')) return { sized: true, how: `\`${shortText(collection, 30)}\` is made from what \`${headerOf(l)}\` runs over` };
  }
  return looseCoupling(collection.text, loops.map((l) => headerOf(l, 60)), !!key && key.startsWith('this.'));
}

/**
 * Does `loop` refill `key` from a loop of its own (`for (const n of adj[v]) queue.push(n)`,
 * `node.children.forEach((c) => queue.push(c))`), by a spread, with two items or more per step or
 * with members of the item it took: each item taken adds its neighbours, a traversal of a structure
 * that can be as large as the input?
 */
function traversalRefill(loop: Loop, key: string): boolean {
  // The names the loop takes its item into (`const node = queue.shift()`).
  const taken = new Set<string>();
  ownCalls(loop, (n) => {
    const [target, value] = n.type === 'variable_declarator' ? [n.child('name'), n.child('value')] : n.type === 'assignment_expression' ? [n.child('left'), n.child('right')] : [null, null];
    const v = unwrap(value);
    const parts = v ? methodCallParts(v) : null;
    if (target?.type === 'identifier' && parts && (parts.method === 'shift' || parts.method === 'pop') && collectionKey(parts.member.child('object')) === key) taken.add(target.text);
    return false;
  });
  /** `key.push(…)` / `key.unshift(…)`: its call parts, else null. */
  const refill = (n: SyntaxNode) => {
    const parts = methodCallParts(n);
    return parts && (parts.method === 'push' || parts.method === 'unshift') && collectionKey(parts.member.child('object')) === key && !isPutBack(n, parts.args, key, loop) ? parts : null;
  };
  /** The identifier an argument's member chain starts from (`node` of `node.children[0]`). */
  const root = (e: SyntaxNode | null): SyntaxNode | null => (e?.type === 'member_expression' || e?.type === 'subscript_expression' ? root(unwrap(e.child('object'))) : e);
  // Review 8 P2: a spread push (`queue.push(...node.children)`), two pushes or more per iteration
  // (`node.left`, `node.right`) or a push of a member of the taken item (`queue.push(node.next)`) is a
  // walk over each item's neighbours, as Python's queueEvidence reads any refill.
  const walk = ownCalls(loop, (n) => {
    // `nests = nests.concat(expand(nest))`: every element of each argument joins the queue, as a
    // spread push does (issue 13 round 11: alasql's PLUS/STAR selectors, called "refilled one item at a time").
    if (n.type === 'assignment_expression' && collectionKey(n.child('left')) === key) {
      const v = unwrap(n.child('right'));
      const parts = v ? methodCallParts(v) : null;
      if (parts?.method === 'concat' && parts.args.length > 0 && collectionKey(parts.member.child('object')) === key) return true;
    }
    const parts = refill(n);
    if (!parts) return false;
    return parts.args.some((a) => {
      const e = unwrap(a);
      const r = root(e);
      // Appended members only: `tokens.unshift(t.inner)` puts one piece back in the item's place (a
      // template's nested token, judged pointless in round 11's fixture), the queue never grows.
      return e?.type === 'spread_element' || (parts.method === 'push' && e !== r && r?.type === 'identifier' && taken.has(r.text));
    });
  });
  // Items pushed on one path through an iteration: the branches of an `if` or a `switch` do not all
  // run (issue 13 round 12: opentype.js's charstring interpreter pushes one operand per byte code in
  // the `default:` of a switch whose other cases take the operands off; counted over all branches
  // that read as several pushes per step, a walk).
  const pushes = loop.perIteration.reduce((sum, r) => sum + (FUNCTION_TYPES.has(r.type) ? r.namedChildren.reduce((s, c) => s + onOnePath(c, (n) => refill(n)?.args.length ?? 0), 0) : onOnePath(r, (n) => refill(n)?.args.length ?? 0)), 0);
  if (walk || pushes >= 2) return true;
  return ownCalls(loop, (n) => {
    if (!refill(n)) return false;
    for (let p = n.parent; p && p !== loop.node; p = p.parent) {
      if (p.type === 'for_statement' || p.type === 'for_in_statement' || p.type === 'while_statement' || p.type === 'do_statement') return true;
      if (FUNCTION_TYPES.has(p.type) && iterationCallOf(p)) return true;
    }
    return false;
  }) || loop.perIteration.some((r) => r.descendants().some((n) => {
    // A callback inside the loop (`edges.forEach((e) => queue.push(e.to))`): ownCalls does not enter it.
    if (!FUNCTION_TYPES.has(n.type) || !iterationCallOf(n)) return false;
    return n.descendants().some((m) => !!refill(m));
  }));
}

/**
 * The most that `count` adds up on one path through `n`: an `if`'s or a ternary's branches, and a
 * `switch`'s cases (each with those it falls through into), are alternatives; everything else runs
 * in sequence. A nested function is not entered.
 */
function onOnePath(n: SyntaxNode | null, count: (n: SyntaxNode) => number): number {
  if (!n || FUNCTION_TYPES.has(n.type)) return 0;
  const path = (c: SyntaxNode | null) => onOnePath(c, count);
  if (n.type === 'if_statement' || n.type === 'ternary_expression') {
    return count(n) + path(n.child('condition')) + Math.max(path(n.child('consequence')), path(n.child('alternative')));
  }
  if (n.type === 'switch_body') {
    const cases = n.namedChildren.filter((c) => c.type === 'switch_case' || c.type === 'switch_default');
    let most = 0;
    for (let i = 0; i < cases.length; i++) {
      let sum = 0;
      for (let j = i; j < cases.length; j++) {
        sum += path(cases[j]);
        if (endsCase(cases[j])) break;
      }
      most = Math.max(most, sum);
    }
    return most;
  }
  return n.namedChildren.reduce((sum, c) => sum + path(c), count(n));
}

/** Does a `switch` case end by leaving it (`break`, `return`, `throw`, `continue`) rather than fall through? */
function endsCase(c: SyntaxNode): boolean {
  const last = c.namedChildren.filter((s) => s.type !== 'comment').pop();
  const s = last?.type === 'statement_block' ? last.namedChildren.filter((x) => x.type !== 'comment').pop() : last;
  return !!s && ['break_statement', 'return_statement', 'throw_statement', 'continue_statement'].includes(s.type);
}

/** Does a statement always leave the function at its end (`throw`, `return`)? */
function leaves(stmt: SyntaxNode | null): boolean {
  const s = unwrap(stmt);
  if (s?.type === 'statement_block') return leaves(s.namedChildren.filter((c) => c.type !== 'comment').pop() ?? null);
  return s?.type === 'throw_statement' || s?.type === 'return_statement';
}

/** How JavaScript spells a length guard: `if (name.length > 253) throw …` (analysis/sizeVerdict.ts lengthGuard). */
const LENGTH_GUARD: LengthGuardSyntax = {
  isBlock: (type) => type === 'statement_block' || type === 'program',
  guardTest(stmt) {
    if (stmt.type !== 'if_statement' || !leaves(stmt.child('consequence'))) return null;
    const c = unwrap(stmt.child('condition'));
    if (c?.type !== 'binary_expression') return null;
    return { test: c, op: c.child('operator')?.text ?? '', left: unwrap(c.child('left')), right: unwrap(c.child('right')) };
  },
  lengthOf: (x) => (x?.type === 'member_expression' && x.child('property')?.text === 'length' ? collectionKey(x.child('object')) : null),
  isInteger: (x) => x?.type === 'number',
};

/**
 * Evidence that a work queue a `while` loop drains holds data that grows with the function's input
 * (python/growth.ts queueEvidence): the draining loop refills it (a traversal's frontier), or it is a
 * parameter of the function or made from one. A queue filled before the loop from the object's state,
 * a call's result or literals and then only emptied holds what that definition lists: information.
 */
export function queueEvidence(collection: SyntaxNode, loops: readonly Loop[], facts: EcmascriptFacts): SizeEvidence {
  const key = collectionKey(collection);
  const c = shortText(collection, 30);
  const draining = key ? loops.find((l) => (l.node.type === 'while_statement' || l.node.type === 'do_statement') && drains(l, key)) : undefined;
  if (!key || !draining) return { sized: true };
  if (traversalRefill(draining, key)) return { sized: true, how: `\`${c}\` is refilled by the loop that drains it (a traversal)` };
  // V8 moves elements on \`shift()\` only past ~16k: an array given to the function or refilled one item
  // at a time shows no evidence of reaching that (issue 13 round 11: template tokens, an expression's
  // operands, a certificate chain, judged pointless in 19 of 21 such warnings in rounds 5–10).
  if (grownIn(draining, key, false)) return { sized: false, why: `\`${c}\` is refilled one item at a time, not by a walk over each item's neighbours, and V8 copies on \`shift()\` only past about 16k elements` };
  const made = origins(collection, facts);
  const params = [...made].filter((m) => {
    const d = facts.declarationOf(m, collection);
    return !!d?.isParameter && !iterationCallOf(d.scope);
  });
  if (params.length) {
    const guard = lengthGuard(enclosingFunction(collection), draining.node, made, LENGTH_GUARD);
    if (guard) return { sized: false, why: `\`${shortText(guard.test, 40)}\` leaves the function before the loop, so \`${c}\` holds at most ${guard.cap} items`, small: true };
    return { sized: false, why: `\`${c}\` is made from the parameter \`${params[0]}\` and the loop only takes from it: V8 copies on \`shift()\` only past about 16k elements, and nothing here shows the array reaching that (a warning is kept for a traversal's queue, refilled with each item's neighbours)` };
  }
  const from = [...made].filter((m) => m !== key);
  const source = key.startsWith('this.') ? "the object's state" : from.length ? `\`${shortText(from.join('`, `'), 40)}\`` : 'values set before the loop';
  return { sized: false, why: `\`${c}\` is filled before the loop from ${source} and the loop only takes from it; a warning needs the loop to refill it (a traversal) or the queue to come from the function's parameters` };
}
