import type { Fix, Rule, UnitContext } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import { innermostRealLoop } from './arrayScanInLoop';
import type { EcmascriptFacts } from '../facts';
import { iterationCallOf, type Loop, loopRelated } from '../loops';
import { sizeVerdict } from '../sizes';
import { enclosingFunction, FUNCTION_TYPES, isFunction, parameterNames, unwrap } from '../syntax';
import { fixtures } from './accumulatingSpread.fixtures';

/** The elements of a literal after its leading `...acc` spread (null when the literal does not start with it or has holes). */
function spreadOf(literal: SyntaxNode): { first: SyntaxNode; rest: SyntaxNode[] } | null {
  const named = literal.namedChildren.filter((c) => c.type !== 'comment');
  const first = named[0];
  if (first?.type !== 'spread_element') return null;
  return { first, rest: named.slice(1) };
}

/** The expression spread by a spread element (`acc` in `...acc`). */
function spreadTarget(spread: SyntaxNode): SyntaxNode | null {
  return unwrap(spread.namedChildren[0] ?? null);
}

/**
 * Whether a literal that copies the accumulator also makes it grow: an array with more elements,
 * or an object with a computed key or another spread. `{ ...acc, total: acc.total + 1 }` has a
 * fixed set of keys: each copy costs the same, not more and more.
 */
function grows(literal: SyntaxNode, accText: string): boolean {
  const named = literal.namedChildren.filter((c) => c.type !== 'comment');
  const others = named.filter((c) => !(c.type === 'spread_element' && spreadTarget(c)?.text === accText));
  if (others.length === 0) return false;
  if (literal.type === 'array') return true;
  return others.some((c) => c.type === 'spread_element' || (c.type === 'pair' && c.child('key')?.type === 'computed_property_name'));
}

function hasHoles(array: SyntaxNode): boolean {
  let previousComma = true;
  for (const c of array.children) {
    if (c.type === ',') {
      if (previousComma) return true;
      previousComma = true;
    } else if (c.type !== '[' && c.type !== ']' && c.type !== 'comment') previousComma = false;
  }
  return false;
}

/** References to `name` in a subtree (identifiers). */
function referencesTo(node: SyntaxNode, name: string): SyntaxNode[] {
  return [...node.descendants()].filter((n) => n.type === 'identifier' && n.text === name);
}

/** `acc.length`, `acc[i]`, `acc.x` read (not assigned, not called as a mutating method). */
function isPlainRead(id: SyntaxNode): boolean {
  const p = id.parent;
  if (!p || id.field !== 'object' || (p.type !== 'member_expression' && p.type !== 'subscript_expression')) return false;
  const gp = p.parent;
  if (gp && (gp.type === 'assignment_expression' || gp.type === 'augmented_assignment_expression') && p.field === 'left') return false;
  if (gp?.type === 'update_expression') return false;
  if (gp?.type === 'call_expression' && p.field === 'function') return false;
  if (gp?.type === 'unary_expression' && gp.children[0]?.type === 'delete') return false;
  return true;
}

function propertyAssignment(acc: string, prop: SyntaxNode, source: string): string | null {
  if (prop.type === 'shorthand_property_identifier') return `${acc}.${prop.text} = ${prop.text};`;
  if (prop.type !== 'pair') return null;
  const key = prop.child('key');
  const value = prop.child('value');
  if (!key || !value) return null;
  const v = source.slice(value.startIndex, value.endIndex);
  if (key.type === 'computed_property_name') {
    const inner = key.namedChildren[0];
    return inner ? `${acc}[${inner.text}] = ${v};` : null;
  }
  if (key.type === 'property_identifier') return `${acc}.${key.text} = ${v};`;
  if (key.type === 'string' || key.type === 'number') return `${acc}[${key.text}] = ${v};`;
  return null;
}

/** The fix for `(acc, x) => ({ ...acc, [k]: v })` / `(acc, x) => [...acc, x]` with a fresh empty initial value. */
function reduceFix(ctx: UnitContext, call: SyntaxNode, fn: SyntaxNode, literal: SyntaxNode, acc: string): Fix | undefined {
  if (fn.type !== 'arrow_function') return undefined;
  const body = fn.child('body');
  if (!body || unwrap(body) !== literal) return undefined;
  const args = call.child('arguments')?.namedChildren ?? [];
  if (args.length !== 2) return undefined;
  const initial = args[1];
  const fresh = unwrap(initial);
  const wantType = literal.type === 'object' ? 'object' : 'array';
  if (fresh?.type !== wantType || fresh.namedChildren.length > 0) return undefined;
  // TypeScript infers the accumulator's type from `{}` alone: mutating it would not type-check.
  if (ctx.language !== 'javascript' && literal.type === 'object' && initial.type !== 'as_expression' && !call.child('type_arguments')) return undefined;
  const parts = spreadOf(literal);
  if (!parts || parts.rest.length === 0) return undefined;
  // The new values must not read the accumulator (they would see earlier assignments of this step).
  const refs = referencesTo(literal, acc).filter((r) => !parts.first.contains(r));
  if (refs.length > 0 && (parts.rest.length > 1 || !refs.every(isPlainRead))) return undefined;
  if (parameterNames(fn).filter((n) => n === acc).length !== 1) return undefined;
  let statements: string[];
  if (literal.type === 'object') {
    const assigns = parts.rest.map((p) => propertyAssignment(acc, p, ctx.source));
    if (assigns.some((a) => a === null)) return undefined;
    statements = assigns as string[];
  } else {
    if (hasHoles(literal) || parts.rest.some((e) => e.type === 'spread_element')) return undefined;
    statements = [`${acc}.push(${parts.rest.map((e) => e.text).join(', ')});`];
  }
  return {
    title: literal.type === 'object' ? 'Assign to the accumulator instead of copying it' : 'Push onto the accumulator instead of copying it',
    replacements: [{ startIndex: body.startIndex, endIndex: body.endIndex, newText: `{ ${statements.join(' ')} return ${acc}; }` }],
  };
}

/** The fix for `acc = [...acc, a, b]` in a loop → `acc.push(a, b)`, when acc is a fresh local array nobody else holds. */
function loopFix(facts: EcmascriptFacts, assignment: SyntaxNode, literal: SyntaxNode, acc: string, loops: readonly Loop[]): Fix | undefined {
  if (literal.type !== 'array' || assignment.parent?.type !== 'expression_statement') return undefined;
  const parts = spreadOf(literal);
  if (!parts || parts.rest.length === 0 || hasHoles(literal) || parts.rest.some((e) => e.type === 'spread_element')) return undefined;
  const decl = facts.declarationOf(acc, assignment);
  if (!decl || decl.isParameter || (decl.declarationKind !== 'let' && decl.declarationKind !== 'var')) return undefined;
  const init = unwrap(decl.value);
  if (init?.type !== 'array' || hasHoles(init) || init.namedChildren.some((c) => c.type === 'spread_element')) return undefined;
  const outermost = loops[loops.length - 1].node;
  const home = enclosingFunction(decl.node);
  for (const ref of referencesTo(decl.scope, acc)) {
    if (ref === decl.node) continue;
    if (facts.declarationOf(acc, ref) !== decl) continue; // shadowed
    if (literal.contains(ref) && (ref.parent === parts.first || isPlainRead(ref))) continue;
    if (ref.parent === assignment && ref.field === 'left') continue;
    // A closure (other than the loop's own callbacks) may hold the array: no fix.
    const fnOfRef = enclosingFunction(ref);
    if (fnOfRef !== home && !loops.some((l) => l.kind === 'callback' && l.node === fnOfRef)) return undefined;
    if (isPlainRead(ref)) continue;
    if (ref.startIndex > outermost.endIndex) continue;
    // Another accumulation statement of the same shape is fine too.
    const p = ref.parent;
    if (p?.type === 'assignment_expression' && ref.field === 'left') {
      const rhs = unwrap(p.child('right'));
      if (rhs?.type === 'array' && spreadOf(rhs) && spreadTarget(spreadOf(rhs)!.first)?.text === acc) continue;
    }
    if (p?.type === 'spread_element') continue;
    return undefined;
  }
  return {
    title: `Push onto \`${acc}\` instead of copying it`,
    replacements: [{ startIndex: assignment.startIndex, endIndex: assignment.endIndex, newText: `${acc}.push(${parts.rest.map((e) => e.text).join(', ')})` }],
  };
}

export const accumulatingSpread: Rule<EcmascriptFacts> = {
  code: 'HP202',
  name: 'accumulating-spread',
  languages: ['javascript', 'typescript', 'tsx'],
  severity: 'warning',
  summary: 'An accumulator is copied with spread (`[...acc, x]`, `{ ...acc, [k]: v }`) on every `reduce` step or loop iteration.',
  cost: 'O(n²) → O(n)',
  covers: ['biome/noAccumulatingSpread', 'oxc/no-accumulating-spread'],
  docs: `
**What.** \`[...acc, x]\` and \`{ ...acc, [k]: v }\` build a new array or object and copy every element or
property of \`acc\` into it. As a \`reduce\` callback, or as \`acc = [...acc, x]\` in a loop, the copy grows
by one each step.

**Cost.** 1 + 2 + … + n copies: O(n²) time and O(n²) garbage. Mutating one accumulator is O(n).

Reported when the copy makes the accumulator grow: more array elements, or an object with a
computed key or another spread. \`{ ...acc, total: acc.total + x }\` copies a fixed set of keys and is
left alone (Biome and oxc report it too). \`Object.assign({}, acc, …)\` and \`Object.assign([], acc, …)\` count as copies;
\`Object.assign(acc, …)\` does not. A name bound afresh earlier in the same iteration (\`pax = decode(b);
pax = { ...global, ...pax }\`) holds only that iteration's entries and is not reported, unless the value
it is bound to reads a name the loop sets from it (\`acc = prev; … prev = acc\` carries it on); a
\`reduce\` over a module constant that is a literal of fixed entries is a hint (issue 13 round 14), when
the names it spreads are such constants too (\`[...defaults, 'c']\`, not \`[...globalThis.userList]\`).

**Example.**
\`\`\`js
const byId = items.reduce((acc, item) => ({ ...acc, [item.id]: item }), {});
let tags = [];
for (const user of users) tags = [...tags, user.tag];
\`\`\`
**Fix.**
\`\`\`js
const byId = items.reduce((acc, item) => { acc[item.id] = item; return acc; }, {});
const tags = [];
for (const user of users) tags.push(user.tag);
\`\`\`
Quick fixes: a \`reduce\` arrow whose initial value is a fresh \`{}\` or \`[]\` (in TypeScript, the
object form only when the accumulator has a declared type: \`{} as Record<K, V>\` or
\`reduce<T>(…)\`); \`acc = [...acc, a, b]\` → \`acc.push(a, b)\` when \`acc\` is a local \`let\` initialised
with an array literal that nothing else holds while the loop runs. Spread elements are left to the
user (\`push(...xs)\` can overflow the stack for very large \`xs\`). One difference the fix cannot
preserve: a computed key \`"__proto__"\` is an own property in a literal, but sets the prototype in an
assignment.
`,
  fixtures,
  create(ctx) {
    const facts = ctx.facts;
    const reported = new Set<SyntaxNode>();
    const visit = (node: SyntaxNode) => {
      // reduce callbacks: a copy of the first parameter anywhere in the callback's own body.
      if (isFunction(node)) {
        const it = iterationCallOf(node);
        if (!it || (it.method !== 'reduce' && it.method !== 'reduceRight')) return;
        const acc = parameterNames(node)[0];
        if (!acc) return;
        for (const lit of copiesOf(node, acc)) {
          if (reported.has(lit)) continue;
          reported.add(lit);
          const fix = lit.type === 'call_expression' ? undefined : reduceFix(ctx, it.call, node, lit, acc);
          const verdict = sizeVerdict(lit, ctx.facts.loops(lit), null, facts);
          ctx.report({
            node: lit,
            severity: verdict.severity,
            message: `\`${lit.type === 'call_expression' ? `Object.assign(${unwrap(lit.child('arguments')?.namedChildren[0] ?? null)?.text ?? '{}'}, ${acc}, …)` : '...' + acc}\` copies the whole accumulator on every \`${it.method}\` step: O(n²); mutate the accumulator instead${verdict.note}`,
            related: [{ node: it.member, message: `the \`${it.method}\` whose accumulator is copied` }],
            fix,
          });
        }
        return;
      }
      // Loops: `acc = [...acc, x]`, `acc = { ...acc, [k]: v }`, `acc = Object.assign({}, acc, o)`.
      if (node.type !== 'assignment_expression') return;
      const left = unwrap(node.child('left'));
      if (!left || !['identifier', 'member_expression'].includes(left.type)) return;
      const right = unwrap(node.child('right'));
      if (!right || !isCopyOf(right, left.text)) return;
      if (reported.has(right)) return;
      const loops = ctx.facts.loops(node);
      const loop = innermostRealLoop(loops);
      if (!loop) return;
      // A variable declared inside the loop starts afresh each iteration: a one-off copy, not an accumulation.
      if (left.type === 'identifier') {
        const d = facts.declarationOf(left.text, node);
        if (d && loop.node.contains(d.node)) return;
      }
      // Bound afresh earlier in the same iteration (`pax = decode(bytes); pax = { ...global, ...pax }`):
      // the copy holds what this iteration made, nothing accumulates (issue 13 round 14: it-tar).
      if (left.type === 'identifier' && reboundBefore(node, left.text, loop.node)) return;
      // Inside a reduce callback the accumulator copy is reported above.
      reported.add(right);
      const what = right.type === 'array' ? 'array' : 'object';
      const fix = left.type === 'identifier' && right.type === 'array' ? loopFix(facts, node, right, left.text, loops) : undefined;
      const verdict = sizeVerdict(node, loops, null, facts);
      ctx.report({
        node,
        severity: verdict.severity,
        message:
          (right.type === 'array'
            ? `\`${left.text} = [...${left.text}, …]\` copies the whole array on every iteration: O(n²); push onto it instead`
            : `\`${left.text}\` is copied into a new ${what} on every iteration: O(n²); assign the property (or use a Map) instead`) + verdict.note,
        related: [loopRelated(loop)],
        fix,
      });
    };
    return { function_declaration: visit, generator_function_declaration: visit, function_expression: visit, function: visit, generator_function: visit, arrow_function: visit, method_definition: visit, assignment_expression: visit };
  },
};

/**
 * Is `name` assigned a value that does not read it (`name = f(x)`) by a statement before `node` in a
 * block that holds `node`, inside `loop`? That statement runs on every path to `node` in the
 * iteration, so what `node` copies was made in this iteration.
 */
function reboundBefore(node: SyntaxNode, name: string, loop: SyntaxNode): boolean {
  for (let child: SyntaxNode = node, block = node.parent; block && block !== loop; child = block, block = block.parent) {
    if (FUNCTION_TYPES.has(block.type)) return false;
    if (block.type !== 'statement_block') continue;
    for (const st of block.namedChildren) {
      if (st.startIndex >= child.startIndex) break;
      const a = st.type === 'expression_statement' ? unwrap(st.namedChildren[0] ?? null) : null;
      if (a?.type !== 'assignment_expression' || a.child('left')?.text !== name) continue;
      const value = a.child('right');
      if (!value) continue;
      const read = new Set([value, ...value.descendants()].filter((x) => x.type === 'identifier').map((x) => x.text));
      // Afresh: the value reads neither the name nor a name the loop sets from it (`acc = prev; … prev = acc`: review 12 M1).
      if (!read.has(name) && !carriesFrom(loop, read, name)) return true;
    }
  }
  return false;
}

/** Whether the loop sets one of `names` to a value that reads `name` (an alias carried to the next iteration). */
function carriesFrom(loop: SyntaxNode, names: Set<string>, name: string): boolean {
  for (const n of loop.descendants()) {
    const [target, value] = n.type === 'variable_declarator' ? [n.child('name'), n.child('value')] : n.type === 'assignment_expression' || n.type === 'augmented_assignment_expression' ? [n.child('left'), n.child('right')] : [null, null];
    if (target?.type !== 'identifier' || !names.has(target.text) || !value) continue;
    if ([value, ...value.descendants()].some((x) => x.type === 'identifier' && x.text === name)) return true;
  }
  return false;
}

/** Whether `expr` is a growing copy of `accText`: `[...acc, x]`, `{ ...acc, [k]: v }`, `Object.assign({}, acc, o)`. */
function isCopyOf(expr: SyntaxNode, accText: string): boolean {
  if (expr.type === 'array' || expr.type === 'object') {
    const spreads = expr.namedChildren.filter((c) => c.type === 'spread_element' && spreadTarget(c)?.text === accText);
    return spreads.length > 0 && grows(expr, accText);
  }
  if (expr.type === 'call_expression' && unwrap(expr.child('function'))?.text === 'Object.assign') {
    const args = expr.child('arguments')?.namedChildren ?? [];
    const target = unwrap(args[0] ?? null);
    // Into a fresh `{}` or `[]`: a copy (into the accumulator itself, `Object.assign(acc, o)`, is not).
    if ((target?.type !== 'object' && target?.type !== 'array') || target.namedChildren.length > 0 || args.length < 3) return false;
    return args.slice(1).some((a) => unwrap(a)?.text === accText || (a.type === 'spread_element' && spreadTarget(a)?.text === accText));
  }
  return false;
}

/** Growing copies of `acc` in a reduce callback's own body (not in nested functions). */
function copiesOf(fn: SyntaxNode, acc: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const body = fn.child('body');
  if (!body) return out;
  const stack = [body];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (isFunction(n)) continue;
    if ((n.type === 'array' || n.type === 'object' || n.type === 'call_expression') && isCopyOf(n, acc)) out.push(n);
    for (const c of n.children) stack.push(c);
  }
  return out.sort((a, b) => a.startIndex - b.startIndex);
}
