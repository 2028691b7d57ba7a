// How big the data around a finding is, as far as the code shows (the ECMAScript side of
// languages/python/sizes.ts): loops that run a bounded number of times (constant loops, loops over
// module constants and their entries, counters shifted or divided until zero), arrays only ever
// filled by such loops, work that already costs O(n) per iteration, and whether the loop and the
// collection are tied to the function's inputs. `sizeVerdict` turns that into the finding's severity.
import type { ModuleSummary } from '../../analysis/module';
import type { Severity } from '../../analysis/rule';
import type { SyntaxNode } from '../../parsing';
import type { EcmascriptFacts } from './facts';
import { isConstantLoop, iterationCallOf, methodCallParts, type Loop } from './loops';
import { changesIn } from './mutation';
import { FUNCTION_TYPES, patternNames, unwrap } from './syntax';

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
  for (const name of tested) {
    let shrinks = false;
    let other = false;
    for (const region of regions) {
      for (const n of [region, ...region.descendants()]) {
        if (FUNCTION_TYPES.has(n.type)) break;
        if (n.type === 'update_expression' && unwrap(n.namedChildren[0] ?? null)?.text === name) other = true;
        if (n.type !== 'augmented_assignment_expression' && n.type !== 'assignment_expression') continue;
        if (unwrap(n.child('left'))?.text !== name) continue;
        const op = n.child('operator')?.text ?? '=';
        const right = unwrap(n.child('right'));
        const factor = (x: SyntaxNode | null) => {
          const v = unwrap(x);
          return v?.type === 'number' && Number(v.text) >= 2;
        };
        if ((op === '>>=' || op === '>>>=') && right?.type === 'number') shrinks = true;
        else if (op === '/=' && factor(right)) shrinks = true;
        else if (op === '=' && right && /^(Math\.(floor|trunc)\(\s*\w+\s*\/\s*\d+\s*\)|\(?\s*\w+\s*\/\s*\d+\s*\)?\s*\|\s*0|\w+\s*>>>?\s*\d+)$/.test(right.text) && right.text.includes(name)) shrinks = true;
        else other = true;
      }
    }
    if (shrinks && !other) return true;
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

/**
 * Work in the same iteration that already costs O(size of an array) and whose input changes in the
 * loop (so it cannot be hoisted): `xs.splice(i, 1)`, `xs.filter(…)`, `[...xs]`. Returns it, or null.
 */
export function dominatingWork(loop: Loop, finding: SyntaxNode, facts: EcmascriptFacts, collection?: SyntaxNode | null): SyntaxNode | null {
  const same = unwrap(collection ?? null)?.text;
  for (const region of loop.perIteration) {
    for (const n of region.descendants()) {
      if (n.contains(finding) || finding.contains(n)) continue;
      let input: SyntaxNode | null = null;
      const parts = methodCallParts(n);
      if (parts && LINEAR_METHODS.has(parts.method)) input = unwrap(parts.member.child('object'));
      else if (n.type === 'spread_element' && n.parent?.type === 'array') input = unwrap(n.namedChildren[0] ?? null);
      if (input?.type !== 'identifier' || facts.kindOf(input.text, n) !== 'list') continue;
      // A second scan of the same array is the same finding again, not other work.
      if (input.text === same) continue;
      if (changesIn([input.text], loop, n)) return n;
    }
  }
  return null;
}

/** Does the expression read a parameter (or `this`) of the function, directly or through locals? */
export function isInputDerived(expr: SyntaxNode, facts: EcmascriptFacts, depth = 0): boolean {
  if (depth > 6) return false;
  for (const n of [expr, ...expr.descendants()]) {
    if (n.type === 'this') return true;
    if (n.type !== 'identifier') continue;
    const d = facts.declarationOf(n.text, n);
    if (!d) continue;
    if (d.isParameter && !d.iteratedArray) return true;
    if (d.iteratedArray) {
      const it = iterationCallOf(d.scope);
      if (it && isInputDerived(it.member.child('object')!, facts, depth + 1)) return true;
    }
    if (d.value && d.value !== expr && !d.value.contains(expr) && isInputDerived(d.value, facts, depth + 1)) return true;
    // A loop variable of a loop over input-derived data.
    const loop = d.node.parent?.type === 'for_in_statement' ? d.node.parent : d.node.parent?.parent?.type === 'for_in_statement' ? d.node.parent.parent : null;
    if (loop && isInputDerived(loop.child('right')!, facts, depth + 1)) return true;
  }
  return false;
}

/** Is the array `name` grown (push/unshift/splice/concat into itself) inside the loop? */
function growsIn(loop: Loop, name: string): boolean {
  for (const n of loop.node.descendants()) {
    const parts = methodCallParts(n);
    if (parts && unwrap(parts.member.child('object'))?.text === name && ['push', 'unshift', 'splice', 'add', 'set'].includes(parts.method)) return true;
    if (n.type === 'assignment_expression' && unwrap(n.child('left'))?.text === name) return true;
  }
  return false;
}

/**
 * Does the loop run once per element of the input: over a collection derived from a parameter
 * (`for (const x of items)`, `items.forEach`, `i < items.length`, `i < n`), or a `while` that drains an
 * input-sized or growing array (`while (queue.length)`)? A loop that follows links is not counted.
 */
export function scalesWithInput(loop: Loop, facts: EcmascriptFacts): boolean {
  if (loop.iterable) return isInputDerived(loop.iterable, facts);
  const cond = conditionOf(loop.node);
  if (!cond) return false;
  for (const n of [cond, ...cond.descendants()]) {
    if (n.type === 'member_expression' && n.child('property')?.text === 'length') {
      const obj = unwrap(n.child('object'));
      if (obj && (isInputDerived(obj, facts) || (obj.type === 'identifier' && growsIn(loop, obj.text)))) return true;
    }
  }
  if (cond.type === 'binary_expression' && ['<', '<=', '>', '>='].includes(cond.child('operator')?.text ?? '')) {
    const bound = unwrap(cond.child('right'));
    if (bound && isInputDerived(bound, facts)) return true;
  }
  // `while (g.nodeCount())`, `while (it.hasNext())`: asking an input-derived object whether it is done.
  if (cond.type === 'call_expression') {
    const f = unwrap(cond.child('function'));
    if (f?.type === 'member_expression' && isInputDerived(f.child('object')!, facts)) return true;
  }
  // `while (chunk) { …; chunk = next(); }`: a stream of input-derived values.
  if (cond.type === 'identifier' && isInputDerived(cond, facts) && changesIn([cond.text], loop)) return true;
  return false;
}

/** Is the array `name` grown, anywhere in its scope, by a loop that runs once per input element? */
function grownFromInput(name: string, at: SyntaxNode, facts: EcmascriptFacts): boolean {
  const d = facts.declarationOf(name, at);
  if (!d) return false;
  for (const n of d.scope.descendants()) {
    const parts = methodCallParts(n);
    if (!parts || unwrap(parts.member.child('object'))?.text !== name || !['push', 'unshift', 'splice', 'add', 'set'].includes(parts.method)) continue;
    if (facts.loops(n).some((l) => scalesWithInput(l, facts))) return true;
  }
  return false;
}

export interface SizeVerdict {
  severity: Severity;
  /** Why the finding is not a warning, to end its message with ("" for a warning). */
  note: string;
}

/** The ECMAScript twin of python/sizes.ts sizeVerdict. `loops`: the scaling loops, innermost first. */
export function sizeVerdict(finding: SyntaxNode, loops: readonly Loop[], collection: SyntaxNode | null, facts: EcmascriptFacts): SizeVerdict {
  const dominant = dominatingWork(loops[0], finding, facts, collection);
  if (dominant) {
    const text = dominant.text.replace(/\s+/g, ' ');
    return { severity: 'information', note: `; the same iteration already does O(n) work (\`${text.length > 40 ? text.slice(0, 39) + '…' : text}\`), so this adds a constant factor` };
  }
  const loopScales = loops.some((l) => scalesWithInput(l, facts));
  const c = unwrap(collection);
  const grown = c?.type === 'identifier' && loops.some((l) => growsIn(l, c.text));
  const sized = !c || grown || isInputDerived(c, facts) || (c.type === 'identifier' && grownFromInput(c.text, c, facts));
  if (loopScales && sized) return { severity: 'warning', note: '' };
  const what = c ? `\`${c.text.length > 30 ? c.text.slice(0, 29) + '…' : c.text}\` and the loop` : 'the loop';
  return { severity: 'information', note: `; quadratic only if ${what} grow with the input, which the code does not show` };
}
