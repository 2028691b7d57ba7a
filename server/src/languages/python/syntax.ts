// Small syntax helpers shared by the Python rules.

import { oneLine } from '../../notation';
import type { Fixture, Replacement, Severity } from '../../analysis/rule';
import type { SyntaxNode } from '../../parsing';

/** The function nodes of Python. */
export const FUNCTION_TYPES: ReadonlySet<string> = new Set(['function_definition', 'lambda']);

/** A Python fixture. */
export function py(name: string, code: string, lines: number[], extra: Pick<Fixture, 'fixed' | 'call' | 'severity' | 'severities'> = {}): Fixture {
  return { name, language: 'python', code, lines, ...extra };
}

export interface MethodCall {
  call: SyntaxNode;
  receiver: SyntaxNode;
  method: string;
  methodNode: SyntaxNode;
  args: SyntaxNode[];
  hasKeywords: boolean;
}

/** `receiver.method(args…)`, or null. */
export function methodCall(node: SyntaxNode): MethodCall | null {
  if (node.type !== 'call') return null;
  const fn = node.child('function');
  if (fn?.type !== 'attribute') return null;
  const receiver = fn.child('object');
  const methodNode = fn.child('attribute');
  const argList = node.child('arguments');
  if (!receiver || !methodNode || argList?.type !== 'argument_list') return null;
  const named = argList.namedChildren.filter((c) => c.type !== 'comment');
  return {
    call: node,
    receiver,
    method: methodNode.text,
    methodNode,
    args: named.filter((c) => c.type !== 'keyword_argument'),
    hasKeywords: named.some((c) => c.type === 'keyword_argument' || c.type === 'dictionary_splat'),
  };
}

/** `name(args…)` for a plain function name, or null. */
export function functionCall(node: SyntaxNode): { name: string; args: SyntaxNode[]; hasKeywords: boolean } | null {
  if (node.type !== 'call') return null;
  const fn = node.child('function');
  const argList = node.child('arguments');
  if (fn?.type !== 'identifier' || argList?.type !== 'argument_list') return null;
  const named = argList.namedChildren.filter((c) => c.type !== 'comment');
  return { name: fn.text, args: named.filter((c) => c.type !== 'keyword_argument'), hasKeywords: named.some((c) => c.type === 'keyword_argument' || c.type === 'dictionary_splat') };
}

/**
 * Is `node` inside the `except TypeError:` handler of a `try` that first put the same data through a
 * type-dependent operation: the key tried in a set or dict (`k in seen_set`, `seen_set.add(k)`,
 * `d[k]`), or the collection sorted or hashed (`items.sort()`, `sorted(items)`, `set(items)`)? Then
 * the handler works on values that failed it, which may be unhashable: no set or dict is known to
 * hold them. The same for the branch an `isinstance(key, Hashable)` test sends unhashable values to.
 * `key` is the value looked up, `collection` the list scanned.
 */
export function handlesUnhashable(node: SyntaxNode, key: string, collection: string): boolean {
  const same = (x: SyntaxNode | null | undefined, name: string) => name !== '' && unparen(x)?.text === name;
  // Built only for a condition that names Hashable (a RegExp per call was most of this function's time).
  let hashableTest: RegExp | undefined;
  for (let a = node.parent; a && a.type !== 'function_definition' && a.type !== 'lambda'; a = a.parent) {
    // The branch for values that are not hashable: `if isinstance(k, Hashable): … else: <here>`, `if not isinstance(k, Hashable): <here>`.
    const condition = key && a.parent?.type === 'if_statement' ? a.parent.child('condition')?.text ?? '' : '';
    const test = condition.includes('Hashable')
      ? (hashableTest ??= new RegExp(`^(not\\s+)?isinstance\\(\\s*${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*,\\s*(?:[\\w.]+\\.)?Hashable\\s*\\)$`)).exec(condition)
      : null;
    if (test && a.type === 'else_clause' && !test[1]) return true;
    if (test && a.type === 'block' && a.parent!.child('consequence') === a && test[1]) return true;
    if (a.type !== 'except_clause') continue;
    const caught = a.namedChildren.find((c) => c.type !== 'block' && c.type !== 'comment');
    const body = a.parent?.type === 'try_statement' ? a.parent.child('body') : null;
    if (!caught || !/\bTypeError\b/.test(caught.text) || !body) continue;
    for (const n of body.descendants()) {
      const c = comparison(n);
      if (c && (c.op === 'in' || c.op === 'not in') && same(c.left, key)) return true;
      const m = methodCall(n);
      if (m && ['add', 'get', 'setdefault', 'discard', 'pop'].includes(m.method) && same(m.args[0], key)) return true;
      if (m && m.method === 'sort' && same(m.receiver, collection)) return true;
      const f = functionCall(n);
      if (f && ['sorted', 'set', 'frozenset', 'hash'].includes(f.name) && same(f.args[0], collection)) return true;
      if (n.type === 'subscript' && n.namedChildren.some((x) => x !== n.child('value') && same(x, key))) return true;
    }
  }
  return false;
}

/** `module.function(args…)` with a plain module name, or null. */
export function moduleCall(node: SyntaxNode): { module: string; name: string; args: SyntaxNode[] } | null {
  const m = methodCall(node);
  if (!m || m.receiver.type !== 'identifier') return null;
  return { module: m.receiver.text, name: m.method, args: m.args };
}

/** A two-operand comparison: left, operator text (normalised), right. */
export function comparison(node: SyntaxNode): { left: SyntaxNode; op: string; right: SyntaxNode } | null {
  if (node.type !== 'comparison_operator') return null;
  const ops = node.childrenIn('operators');
  const operands = node.children.filter((c) => c.isNamed && c.field !== 'operators' && c.type !== 'comment');
  if (ops.length !== 1 || operands.length !== 2) return null;
  return { left: operands[0], op: ops[0].text.replace(/\s+/g, ' '), right: operands[1] };
}

/** Strip redundant parentheses. */
/** The function (`def`, or with `lambdas` also a lambda) whose body holds `node`, or null at module level. */
export function enclosingFunction(node: SyntaxNode, lambdas = false): SyntaxNode | null {
  let fn = node.parent;
  while (fn && fn.type !== 'function_definition' && !(lambdas && fn.type === 'lambda')) fn = fn.parent;
  return fn;
}

/** The value of an integer literal (`4`, `1_000`, `0x10`; NaN for a form Number does not read), or null for any other node. */
export function integerValue(node: SyntaxNode | null | undefined): number | null {
  return node?.type === 'integer' ? Number(node.text.replace(/_/g, '')) : null;
}

export function unparen(node: SyntaxNode | null | undefined): SyntaxNode | null {
  let n = node ?? null;
  while (n?.type === 'parenthesized_expression' && n.namedChildren.length === 1) n = n.namedChildren[0];
  return n;
}

/** Text with whitespace removed, for structural comparison of small expressions. */
export function norm(node: SyntaxNode): string {
  return node.text.replace(/\s+/g, '');
}

/** Statements of a block, comments left out. */
export function statements(block: SyntaxNode | null | undefined): SyntaxNode[] {
  return block ? block.namedChildren.filter((c) => c.type !== 'comment') : [];
}

/** Is the value of this expression used only for its truth (if/while condition, `not`, and/or operand)? */
export function isTruthTest(node: SyntaxNode): boolean {
  const p = node.parent;
  if (!p) return false;
  if ((p.type === 'if_statement' || p.type === 'while_statement' || p.type === 'elif_clause') && node.field === 'condition') return true;
  if (p.type === 'not_operator') return true;
  if (p.type === 'boolean_operator') return isTruthTest(p);
  if (p.type === 'parenthesized_expression') return isTruthTest(p);
  return false;
}

/** A short, one-line rendering of an expression for messages. */
export function snippet(node: SyntaxNode, max = 40): string {
  return oneLine(node.text, max);
}

/**
 * A replacement that adds `line` (an import) near the top of the file: after a shebang, encoding
 * comments, the module docstring and `from __future__` imports. Null when the import is there.
 */
export function addImport(source: string, line: string, present: RegExp): Replacement | null {
  if (present.test(source)) return null;
  let offset = 0;
  const lines = source.split('\n');
  let i = 0;
  let pos = 0;
  const advance = () => {
    pos += lines[i].length + 1;
    i++;
  };
  while (i < lines.length && (/^\s*#/.test(lines[i]) || lines[i].trim() === '')) advance();
  // module docstring
  const doc = /^[rRuU]?("""|''')/.exec(lines[i] ?? '') ?? /^[rRuU]?("|')/.exec(lines[i] ?? '');
  if (doc) {
    const q = doc[1];
    const startCol = doc[0].length;
    const rest = source.slice(pos + startCol);
    const end = rest.indexOf(q);
    if (end !== -1) {
      const after = pos + startCol + end + q.length;
      const nl = source.indexOf('\n', after);
      const stop = nl === -1 ? source.length : nl + 1;
      while (i < lines.length && pos < stop) advance();
    }
  }
  offset = pos;
  // skip blank lines, comments and __future__ imports that follow
  let j = i;
  let p2 = pos;
  while (j < lines.length && (/^\s*#/.test(lines[j]) || lines[j].trim() === '' || /^from\s+__future__\s+import/.test(lines[j]))) {
    if (/^from\s+__future__\s+import/.test(lines[j])) offset = p2 + lines[j].length + 1;
    p2 += lines[j].length + 1;
    j++;
  }
  if (offset > source.length) return { startIndex: source.length, endIndex: source.length, newText: '\n' + line + '\n' };
  return { startIndex: offset, endIndex: offset, newText: line + '\n' };
}
