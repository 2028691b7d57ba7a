// How big the data around a finding is, as far as the code shows: loops that run a bounded number of
// times (constant ranges and literals, module constants, `range(min(n, K))`, counters divided or
// shifted until zero), lists kept to a bounded or fixed-size window, work that already costs O(n) per
// iteration, and whether the loop and the collection are tied to the function's inputs. Rules whose
// cost depends on sizes use `sizeVerdict` to decide between a warning (the quadratic cost is there at
// the sizes the code sees) and information (true, but the sizes are not visible or the cost is hidden
// by other work).
import type { ModuleSummary } from '../../analysis/module';
import type { Severity } from '../../analysis/rule';
import type { SyntaxNode } from '../../parsing';
import { COMPREHENSION_TYPES, isConstantLoop } from './loops';
import { isLoopInvariant } from './mutation';
import { bindingsOf, isNameRef, resolveScope } from './scope';
import { functionCall, methodCall, unparen } from './syntax';

/** `MAX_DEPTH`, `BOX_SIDES`: a module-level name in upper case is a constant by convention. */
export function isModuleConstant(name: string, module: ModuleSummary): boolean {
  return /^[A-Z][A-Z0-9_]+$/.test(name) && module.bindings.has(name) && module.bindings.get(name) !== 'function' && module.bindings.get(name) !== 'class';
}

/** An integer fixed in the code: a literal, `-1`, or a module constant. */
function isFixedNumber(node: SyntaxNode | null | undefined, module: ModuleSummary): boolean {
  const n = unparen(node);
  if (!n) return false;
  if (n.type === 'integer') return true;
  if (n.type === 'unary_operator') return isFixedNumber(n.namedChildren[0], module);
  if (n.type === 'identifier') return isModuleConstant(n.text, module);
  if (n.type === 'binary_operator') return isFixedNumber(n.child('left'), module) && isFixedNumber(n.child('right'), module);
  return false;
}

/** `range(K)`, `range(min(n, K))`, `range(len(CONSTANT))`: at most a fixed number of steps. */
function isFixedRange(it: SyntaxNode, module: ModuleSummary): boolean {
  const call = functionCall(it);
  if (!call || call.name !== 'range' || call.args.length === 0) return false;
  const bounded = (a: SyntaxNode): boolean => {
    if (isFixedNumber(a, module)) return true;
    const c = functionCall(a);
    if (c?.name === 'min') return c.args.some((x) => isFixedNumber(x, module) || bounded(x));
    if (c?.name === 'len' && c.args.length === 1) return unparen(c.args[0])?.type === 'identifier' && isModuleConstant(c.args[0].text, module);
    return false;
  };
  // range(start, stop[, step]): the number of steps is fixed when both ends are (or stop is and start is 0).
  return call.args.length === 1 ? bounded(call.args[0]) : bounded(call.args[0]) && bounded(call.args[1]);
}

/**
 * `while n: … n //= 10` / `n >>= 1` / `n = n // 2`: the counter shrinks geometrically, so the loop
 * runs O(log n) times (the digits or bits of a number: 64 for a machine word).
 */
export function isLogarithmicLoop(loop: SyntaxNode): boolean {
  if (loop.type !== 'while_statement') return false;
  const cond = loop.child('condition');
  const body = loop.child('body');
  if (!cond || !body) return false;
  const tested = new Set<string>();
  for (const n of [cond, ...cond.descendants()]) if (n.type === 'identifier' && isNameRef(n) && n.parent?.type !== 'call') tested.add(n.text);
  for (const name of tested) {
    let shrinks = false;
    let other = false;
    for (const n of body.descendants()) {
      if (n.type === 'function_definition' || n.type === 'lambda') break;
      if ((n.type === 'augmented_assignment' || n.type === 'assignment') && n.child('left')?.text === name) {
        const op = n.child('operator')?.text;
        const right = unparen(n.child('right'));
        const factor = (x: SyntaxNode | null | undefined) => {
          const v = unparen(x);
          return !!v && v.type === 'integer' && Number(v.text) >= 2;
        };
        if (n.type === 'augmented_assignment' && (op === '//=' || op === '/=') && factor(right)) shrinks = true;
        else if (n.type === 'augmented_assignment' && op === '>>=' && unparen(right)?.type === 'integer' && Number(right!.text) >= 1) shrinks = true;
        else if (n.type === 'assignment' && right?.type === 'binary_operator' && right.child('left')?.text === name && ['//', '>>'].includes(right.child('operator')?.text ?? '') && (right.child('operator')?.text === '>>' || factor(right.child('right')))) shrinks = true;
        else other = true;
      }
    }
    if (shrinks && !other) return true;
  }
  return false;
}

/** A loop whose number of iterations does not grow with the input. */
export function isBoundedLoop(loop: SyntaxNode, module: ModuleSummary): boolean {
  if (isConstantLoop(loop) || isLogarithmicLoop(loop)) return true;
  const fixed = (it: SyntaxNode | null | undefined): boolean => {
    const v = unparen(it);
    if (!v) return false;
    if (v.type === 'identifier') return isModuleConstant(v.text, module);
    if (v.type === 'attribute') return isModuleConstant(v.child('object')?.text ?? '', module); // CONSTANT.items etc.
    if (v.type === 'call' && v.child('function')?.type === 'attribute') {
      const recv = unparen(v.child('function')!.child('object'));
      if (recv?.type === 'identifier' && isModuleConstant(recv.text, module) && ['items', 'keys', 'values'].includes(v.child('function')!.child('attribute')?.text ?? '')) return true;
    }
    if (v.type === 'call') {
      const c = functionCall(v);
      if (c && ['enumerate', 'reversed', 'sorted', 'list', 'tuple'].includes(c.name) && c.args.length >= 1) return fixed(c.args[0]);
    }
    return isFixedRange(v, module);
  };
  if (loop.type === 'for_statement') return fixed(loop.child('right'));
  if (COMPREHENSION_TYPES.has(loop.type)) {
    const clauses = loop.namedChildren.filter((c) => c.type === 'for_in_clause');
    return clauses.length > 0 && clauses.every((c) => isConstantLoop(loop) || fixed(c.child('right')));
  }
  return false;
}

/** The loops of a list (innermost first) whose number of iterations grows with the input. */
export function scalingLoops(loops: readonly SyntaxNode[], module: ModuleSummary): SyntaxNode[] {
  return loops.filter((l) => !isBoundedLoop(l, module));
}

/**
 * A list kept to a bounded or fixed size by the loop that shifts it: `if len(d) > 2: d.pop(0)`
 * (bounded: the pop is O(1)), or one append and one front removal per iteration (a sliding window of
 * its initial length: O(k) per step, not O(n)).
 */
export function windowOf(name: string, removal: SyntaxNode, loop: SyntaxNode, module: ModuleSummary): 'bounded' | 'window' | null {
  // Guarded by a length test against a fixed number.
  for (let a = removal.parent; a && a !== loop; a = a.parent) {
    if (a.type !== 'if_statement' && a.type !== 'while_statement') continue;
    const cond = unparen(a.child('condition'));
    if (cond?.type !== 'comparison_operator') continue;
    const [left, right] = cond.namedChildren;
    const lenOf = (x: SyntaxNode | undefined) => {
      const c = x ? functionCall(x) : null;
      return c?.name === 'len' && c.args.length === 1 && unparen(c.args[0])?.text === name;
    };
    if ((lenOf(left) && isFixedNumber(right, module)) || (lenOf(right) && isFixedNumber(left, module))) return 'bounded';
  }
  // One unconditional append and one unconditional removal per iteration.
  const body = loop.child('body');
  if (!body) return null;
  const unconditional = (n: SyntaxNode) => {
    for (let a = n.parent; a && a !== body; a = a.parent) {
      if (['if_statement', 'for_statement', 'while_statement', 'elif_clause', 'else_clause', 'except_clause', 'conditional_expression', 'boolean_operator', 'function_definition', 'lambda'].includes(a.type) || COMPREHENSION_TYPES.has(a.type)) return false;
    }
    return true;
  };
  if (!unconditional(removal)) return null;
  let appends = 0;
  for (const n of body.descendants()) {
    const m = methodCall(n);
    if (m && m.receiver.type === 'identifier' && m.receiver.text === name && ['append', 'extend', 'insert', 'appendleft'].includes(m.method)) {
      if (m.method !== 'append' || !unconditional(n)) return null;
      appends++;
    }
  }
  return appends === 1 ? 'window' : null;
}

const LINEAR_BUILTINS = new Set(['sorted', 'sum', 'max', 'min', 'list', 'set', 'tuple', 'dict', 'any', 'all', 'frozenset', 'deepcopy']);
const LINEAR_METHODS = new Set(['sort', 'copy', 'index', 'count', 'remove', 'join']);

/**
 * Work in the same iteration of `loop` that already costs O(size of a collection) and cannot be
 * hoisted (its input changes in the loop): a comprehension over a collection, `sorted(xs)`,
 * `max(xs)`, `xs.sort()`, `xs.index(x)`… Then a second O(n) step in the same iteration changes no
 * complexity. Work on a loop-invariant input is not counted: it is a finding of its own (HP113), and
 * hoisting it leaves this one as the quadratic part. Returns that work, or null.
 */
export function dominatingWork(loop: SyntaxNode, finding: SyntaxNode, module: ModuleSummary, collection?: SyntaxNode | null): SyntaxNode | null {
  const same = collection?.text;
  const parts = loop.type === 'for_statement' ? [loop.child('body')] : loop.type === 'while_statement' ? [loop.child('condition'), loop.child('body')] : [];
  for (const part of parts) {
    if (!part) continue;
    for (const n of part.descendants()) {
      if (finding.contains(n) || n.contains(finding)) continue;
      if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') continue;
      // A second scan of the same list is the same finding again, not other work.
      const varies = (input: SyntaxNode | null | undefined) => !!input && input.text !== same && !isLoopInvariant(input, loop);
      if (COMPREHENSION_TYPES.has(n.type) && !isBoundedLoop(n, module)) {
        // A comprehension over a literal or a generator fed to a short-circuit is not a full pass.
        if (n.type === 'generator_expression' && ['any', 'all', 'next'].includes(functionCall(n.parent?.parent ?? n)?.name ?? '')) continue;
        if (varies(n.namedChildren.find((c) => c.type === 'for_in_clause')?.child('right'))) return n;
        continue;
      }
      const c = functionCall(n);
      if (c && LINEAR_BUILTINS.has(c.name) && c.args.length >= 1 && !['integer', 'float', 'string', 'true', 'false', 'none'].includes(unparen(c.args[0])?.type ?? '') && !(c.name === 'max' || c.name === 'min' ? c.args.length >= 2 && !c.hasKeywords : false) && varies(c.args[0])) return n;
      const m = methodCall(n);
      if (m && LINEAR_METHODS.has(m.method) && !(m.method === 'join' && m.receiver.type === 'string' && m.args.length === 0) && varies(m.receiver)) return n;
    }
  }
  return null;
}

/** Names that stand for the function's inputs: its parameters (self included), and names bound from them. */
export function isInputDerived(expr: SyntaxNode, depth = 0): boolean {
  if (depth > 6) return false;
  for (const n of [expr, ...expr.descendants()]) {
    if (n.type !== 'identifier' || !isNameRef(n)) continue;
    const scope = resolveScope(n.text, n);
    if (typeof scope === 'string') continue;
    if (scope.type !== 'function_definition' && scope.type !== 'lambda') continue;
    const bindings = bindingsOf(scope).get(n.text) ?? [];
    for (const b of bindings) {
      if (b.kind === 'param') return true;
      if (b.node.startIndex >= n.startIndex) continue;
      if ((b.kind === 'assign' || b.kind === 'walrus' || b.kind === 'augassign') && b.value && isInputDerived(b.value, depth + 1)) return true;
      if (b.kind === 'for') {
        const it = b.site.child('right');
        if (it && isInputDerived(it, depth + 1)) return true;
      }
    }
  }
  return false;
}

/** Is `name` grown (append/extend/insert/add/+=) inside `loop`? */
function growsIn(loop: SyntaxNode, name: string): boolean {
  for (const n of loop.descendants()) {
    const m = methodCall(n);
    if (m && m.receiver.type === 'identifier' && m.receiver.text === name && ['append', 'extend', 'insert', 'add', 'appendleft', 'update'].includes(m.method)) return true;
    if (n.type === 'augmented_assignment' && n.child('left')?.text === name) return true;
    // d[k] = v
    if (n.type === 'assignment' && n.child('left')?.type === 'subscript' && n.child('left')!.child('value')?.text === name) return true;
  }
  return false;
}

/** Is the name grown, anywhere in its function, inside a loop that runs once per input element? */
function grownFromInput(name: SyntaxNode): boolean {
  const scope = resolveScope(name.text, name);
  if (typeof scope === 'string') return false;
  for (const n of scope.descendants()) {
    const m = methodCall(n);
    if (!m || m.receiver.type !== 'identifier' || m.receiver.text !== name.text || !['append', 'extend', 'insert', 'add', 'appendleft', 'update'].includes(m.method)) continue;
    for (let a = n.parent; a && a !== scope; a = a.parent) {
      if ((a.type === 'for_statement' || a.type === 'while_statement' || COMPREHENSION_TYPES.has(a.type)) && scalesWithInput(a)) return true;
    }
  }
  return false;
}

/**
 * Does the loop run once per element of the input: a `for` over something derived from a parameter,
 * or a `while` that drains or walks an input-sized collection (`while queue:`, `while i < len(xs)`)?
 * A `while` that follows links (`while node is not None`) or tests a flag is not counted.
 */
export function scalesWithInput(loop: SyntaxNode): boolean {
  if (loop.type === 'for_statement') {
    const it = loop.child('right');
    return !!it && isInputDerived(it);
  }
  if (COMPREHENSION_TYPES.has(loop.type)) {
    const first = loop.namedChildren.find((c) => c.type === 'for_in_clause');
    const it = first?.child('right');
    return !!it && isInputDerived(it);
  }
  if (loop.type !== 'while_statement') return false;
  const cond = unparen(loop.child('condition'));
  if (!cond) return false;
  const collection = (x: SyntaxNode | null | undefined): boolean => {
    const v = unparen(x);
    if (!v) return false;
    if (v.type === 'identifier') return isInputDerived(v) || growsIn(loop, v.text);
    if (v.type === 'attribute') return isInputDerived(v);
    const c = functionCall(v);
    return c?.name === 'len' && c.args.length === 1 && collection(c.args[0]);
  };
  if (cond.type === 'identifier' || cond.type === 'attribute') return collection(cond);
  if (cond.type === 'comparison_operator') {
    const [l, r] = cond.namedChildren;
    return collection(l) || collection(r) || (l?.type === 'identifier' && !!r && isInputDerived(r)) || (r?.type === 'identifier' && !!l && isInputDerived(l) && functionCall(l)?.name === 'len');
  }
  if (cond.type === 'boolean_operator') return cond.namedChildren.some((c) => (c.type === 'identifier' ? collection(c) : false));
  return false;
}

export interface SizeVerdict {
  severity: Severity;
  /** Why the finding is not a warning, to end its message with ("" for a warning). */
  note: string;
}

/**
 * The severity of a finding whose cost is "an O(n) step inside a loop" on collection `name`: a warning
 * when the loop runs once per input element and the collection is tied to the input (derived from a
 * parameter, or grown by that loop), information when another O(n) step in the same iteration already
 * sets the complexity, or when the sizes are not visible. `loops` are the scaling loops around the
 * finding, innermost first.
 */
export function sizeVerdict(finding: SyntaxNode, loops: readonly SyntaxNode[], collection: SyntaxNode | null, module: ModuleSummary): SizeVerdict {
  const loop = loops[0];
  const dominant = dominatingWork(loop, finding, module, collection);
  if (dominant) {
    const text = dominant.text.replace(/\s+/g, ' ');
    return { severity: 'information', note: `; the same iteration already does O(n) work (\`${text.length > 40 ? text.slice(0, 39) + '…' : text}\`), so this adds a constant factor` };
  }
  const loopScales = loops.some(scalesWithInput);
  const grown = collection?.type === 'identifier' && loops.some((l) => growsIn(l, collection.text));
  const sized = !collection || grown || isInputDerived(collection) || (collection.type === 'identifier' && grownFromInput(collection));
  if (loopScales && sized) return { severity: 'warning', note: '' };
  const what = collection ? `\`${collection.text.length > 30 ? collection.text.slice(0, 29) + '…' : collection.text}\` and the loop` : 'the loop';
  return { severity: 'information', note: `; quadratic only if ${what} grow with the input, which the code does not show` };
}

