// What the estimator needs to know about a language's syntax. An adapter classifies nodes into a
// few constructs (loops, branches, exits, costly operations, calls) and answers small questions
// about expressions (what is the size of this collection, is this an update `i += 1`); the engine
// (estimate.ts) does the rest for every language alike.

import type { ValueKind } from '../analysis/module';
import type { Fix } from '../analysis/rule';
import type { SyntaxNode } from '../parsing';

export interface Span {
  startIndex: number;
  endIndex: number;
}

export interface Param {
  name: string;
  /** From an annotation or a default value; 'unknown' otherwise. */
  kind: ValueKind;
  node: SyntaxNode;
}

export interface FunctionShape {
  node: SyntaxNode;
  name: string | null;
  nameNode: SyntaxNode | null;
  params: Param[];
  /** Statements of the body (an expression body is one statement). */
  body: SyntaxNode[];
  /** Decorated with a cache (functools.cache, lru_cache, memoize, …). */
  memoized: boolean;
  /** The enclosing class, for methods, and how the body refers to the instance (self, this). */
  className: string | null;
  selfName: string | null;
}

export interface Arg {
  name: string | null;
  node: SyntaxNode;
}

export type Construct =
  /** for x in iter / for (const x of iter) / forEach-like: `iter` evaluated once, body per element. */
  | { kind: 'loop'; node: SyntaxNode; header: Span; iter: SyntaxNode; targets: string[]; body: readonly SyntaxNode[]; pre: readonly SyntaxNode[]; callback?: boolean }
  /** C-style for: init; cond; update. */
  | { kind: 'counted'; node: SyntaxNode; header: Span; init: readonly SyntaxNode[]; cond: SyntaxNode | null; update: readonly SyntaxNode[]; body: readonly SyntaxNode[] }
  | { kind: 'while'; node: SyntaxNode; header: Span; cond: SyntaxNode | null; body: readonly SyntaxNode[] }
  /** Comprehensions: nested loops, innermost evaluates `rest` (conditions and the element). */
  | { kind: 'comprehension'; node: SyntaxNode; clauses: { iter: SyntaxNode; targets: string[]; header: SyntaxNode }[]; rest: readonly SyntaxNode[] }
  /** if/else, ternary, match: `alts` are alternative statement lists; not exhaustive = an implicit empty else. */
  | { kind: 'branch'; cond: readonly SyntaxNode[]; alts: (readonly SyntaxNode[])[]; exhaustive: boolean }
  /** return/raise (function) or break/continue (loop); `values` are evaluated first. */
  | { kind: 'exit'; scope: 'function' | 'loop'; values: readonly SyntaxNode[] }
  /** An operation whose cost is linear (or n log n, or log n) in the size of `of`. */
  | {
      kind: 'op';
      node: SyntaxNode;
      cost: 'linear' | 'nlogn' | 'log';
      of: SyntaxNode;
      label: string;
      rest: readonly SyntaxNode[];
      /** `of` is an integer whose value is the size (a window a[i:i + k]). */
      value?: boolean;
      /** Only costly when `of` is of one of these kinds (`.copy()` of a list, not of a hash object). */
      kinds?: ValueKind[];
    }
  /** `a + b`: a copy when the operands are lists (or tuples). */
  | { kind: 'concat'; node: SyntaxNode; operands: readonly SyntaxNode[]; rest: readonly SyntaxNode[] }
  /** Membership test `x in coll`: its cost depends on the kind of `coll`. */
  | { kind: 'member'; node: SyntaxNode; coll: SyntaxNode; rest: readonly SyntaxNode[] }
  /** A call of a function that may be defined in this file (or is unknown). */
  | { kind: 'call'; node: SyntaxNode; callee: string; viaSelf: boolean; args: Arg[]; rest: readonly SyntaxNode[] }
  /** A known O(1) operation: only its operands cost. */
  | { kind: 'cheap'; rest: readonly SyntaxNode[] }
  /** A nested function or lambda: defining it costs nothing. */
  | { kind: 'function' };

/** How the size of an expression is known. */
export type SizeRef =
  /** `node`: the identifier read, when the adapter gives it: its size then comes from the bindings that can reach it (sizes.ts, lastBindingBefore). */
  | { t: 'name'; name: string; node?: SyntaxNode }
  | { t: 'const' }
  /** the same size as another collection (sorted(x), x[1:], list(x), x.keys()). */
  | { t: 'same'; node: SyntaxNode }
  /** the size is the value of an integer expression (range(n)). */
  | { t: 'value'; node: SyntaxNode }
  /** the value is the length of a collection (len(x), x.length). */
  | { t: 'len'; node: SyntaxNode }
  | { t: 'sum'; nodes: SyntaxNode[] }
  | { t: 'product'; nodes: SyntaxNode[] }
  /** an attribute of the instance or of a parameter (self.items). */
  | { t: 'attr'; text: string }
  /** an element of another collection (grid[i], graph[node]). */
  | { t: 'elem'; text: string }
  | { t: 'unknown'; text: string; node?: SyntaxNode }
  /** the result of calling a function (of this file, perhaps): as large as its arguments, if it is. */
  | { t: 'result'; callee: string; viaSelf: boolean; args: SyntaxNode[]; text: string };

export type Fact =
  | { t: 'assign'; name: string; value: SyntaxNode | null }
  /** the collection (or counter) `name` grows by `amount` (null: by one). */
  | { t: 'grow'; name: string; amount: SyntaxNode | null };

/** The facts of a node that has none: one shared empty list. */
export const NO_FACTS: readonly Fact[] = Object.freeze([]);

export interface Comparison {
  left: SyntaxNode;
  op: '<' | '<=' | '>' | '>=' | '!=' | '==';
  right: SyntaxNode;
}

export type UpdateHow = 'inc' | 'dec' | 'halve' | 'double' | 'assign';

export type ArgShape =
  | { t: 'name'; name: string }
  /** name - c, name + c, name // 2, name >> 1 … */
  | { t: 'arith'; name: string; op: '-' | '+' | 'half' | 'other' }
  /** a slice of name: dropping a constant part (x[1:]) or cutting at a middle (x[:mid]). */
  | { t: 'slice'; name: string; cut: 'one' | 'mid' | 'other' }
  /** name.left, name.next, name.children[i]: part of a structure. */
  | { t: 'part'; name: string }
  | { t: 'other' };

export interface ComplexityAdapter {
  /** Every node type that is a function of the language (the spec's functionTypes): `functionShape` gives these a shape. */
  functionTypes: ReadonlySet<string>;
  /** The shape of a function node (one of functionTypes), or null for other nodes. */
  functionShape(node: SyntaxNode): FunctionShape | null;
  classify(node: SyntaxNode): Construct | null;
  /** Every node type `classify` may call a loop, counted loop, while or comprehension (prefilter.ts classifies only these). */
  loopTypes: ReadonlySet<string>;
  /** Statements of a block-like node. */
  statements(node: SyntaxNode | null): SyntaxNode[];
  sizeRef(node: SyntaxNode): SizeRef;
  valueRef(node: SyntaxNode): SizeRef;
  kindOf(node: SyntaxNode): ValueKind;
  /** What the node tells about names (NO_FACTS when nothing: asked for every node of every function). */
  facts(node: SyntaxNode): readonly Fact[];
  conjuncts(cond: SyntaxNode): SyntaxNode[] | null;
  comparison(node: SyntaxNode): Comparison | null;
  /** `q`, `len(q)`, `q.length`, `len(q) > 0` …: the collection whose emptiness is tested. */
  truthyCollection(node: SyntaxNode): SyntaxNode | null;
  /** An update of a name: i += 1, n //= 2, i = mid + 1, i++. */
  update(node: SyntaxNode): { name: string; how: UpdateHow; value: SyntaxNode | null } | null;
  /** A removal of an element from a named collection (pop, popleft, shift, heappop). */
  pop(node: SyntaxNode): string | null;
  /** `(lo + hi) // 2`, `(lo + hi) >> 1`, `Math.floor((lo + hi) / 2)`: the two names, or null. */
  midpoint(node: SyntaxNode): [string, string] | null;
  argShape(node: SyntaxNode): ArgShape;
  /** `i * i` (or `i ** 2`): the name squared, or null. */
  squareOf(node: SyntaxNode): string | null;
  /** A name for a variable in the legend: len(items) / items.length. */
  describe(kind: string, name: string): string;
  /** Names of memo tables checked in the body (`if n in memo`, `memo.has(n)`). */
  usesMemo(body: SyntaxNode[]): boolean;
  /** A quick fix that memoizes a function whose arguments are numbers (HP302), where the language has a safe spelling. */
  memoizeFix?(source: string, fn: FunctionShape): Fix | undefined;
}

// Shared by the adapters once the language-specific node has been recognised.

/** `x * x` or `x ** 2` on a binary node (operator, left, right fields): the name squared, or null. */
export function squaredName(binary: SyntaxNode): string | null {
  const op = binary.child('operator')?.text;
  const l = binary.child('left');
  const r = binary.child('right');
  if (!l || !r || l.type !== 'identifier') return null;
  if (op === '*' && r.text === l.text) return l.text;
  if (op === '**' && r.text === '2') return l.text;
  return null;
}

/** `size > 0`, `size != 0`, `size >= 1`: the collection `sizeOf` finds in the left operand, or null. */
export function nonEmptyTest(cmp: Comparison | null, sizeOf: (x: SyntaxNode) => SyntaxNode | null, isNumber: (node: SyntaxNode | null, pred: (n: number) => boolean) => boolean): SyntaxNode | null {
  if (!cmp) return null;
  const l = sizeOf(cmp.left);
  if (l && (cmp.op === '>' || cmp.op === '!=') && isNumber(cmp.right, (v) => v === 0)) return l;
  if (l && cmp.op === '>=' && isNumber(cmp.right, (v) => v === 1)) return l;
  return null;
}

/** The legend name of a variable (ComplexityAdapter.describe); `lengthOf` spells a length in the language. */
export function describeVariable(kind: string, name: string, lengthOf: (name: string) => string): string {
  switch (kind) {
    case 'val':
    case 'span':
      return name;
    case 'size':
      return `size of \`${name}\``;
    default:
      return lengthOf(name);
  }
}

/** Names that mark a memo table (ComplexityAdapter.usesMemo), when the body tests them. */
export const MEMO_NAME = /memo|cache|visited|seen|^dp$|^table$/i;

/**
 * Is `node` read in a test within `top`: inside an `if`/`while`/ternary condition, or the left side of
 * `??`/`||`? A memo-named table only added to (`seen.add((r, c))` on every call, never looked up) does
 * not make a recursion run once per distinct argument (review 8, M1).
 */
export function readInTest(node: SyntaxNode, top: SyntaxNode): boolean {
  for (let p: SyntaxNode | null = node; p && p !== top.parent; p = p.parent) {
    if (p.field === 'condition') return true;
    const parent = p.parent;
    if (parent?.type === 'binary_expression' && p.field === 'left' && /^(?:\?\?|\|\|)$/.test(parent.child('operator')?.text ?? '')) return true;
    if (parent?.type === 'augmented_assignment_expression' && p.field === 'left' && /^(?:\?\?=|\|\|=)$/.test(parent.child('operator')?.text ?? '')) return true;
  }
  return false;
}
