// The complexity adapter for JavaScript, TypeScript and TSX (their grammars name the same nodes).
import { oneLine } from '../../notation';
import type { ValueKind } from '../../analysis/module';
import type { SyntaxNode } from '../../parsing';
import { describeVariable, MEMO_NAME, NO_FACTS, readInTest, nonEmptyTest, squaredName, type Arg, type ArgShape, type ComplexityAdapter, type Construct, type Fact, type FunctionShape, type Param, type SizeRef } from '../../complexity/adapter';
import { minOfSmallLiteral } from '../../analysis/sizeVerdict';
import { kindOfExpression } from './kinds';
import { FUNCTION_TYPES, isPlainFunctionExpression } from './syntax';

const CLASS_TYPES = new Set(['class_declaration', 'abstract_class_declaration', 'class']);
/** Array methods that run a callback per element. */
const HOF = new Set(['map', 'filter', 'forEach', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flatMap']);
// String methods (split, replace, …) count as O(1): the length of one string is not an input size.
const LINEAR_METHODS = new Set(['includes', 'indexOf', 'lastIndexOf', 'slice', 'concat', 'join', 'reverse', 'fill', 'flat', 'splice', 'shift', 'unshift', 'toReversed', 'toSpliced', 'with', 'copyWithin']);
const CHEAP_METHODS = new Set([
  'push', 'pop', 'has', 'get', 'set', 'add', 'delete', 'charAt', 'charCodeAt', 'codePointAt', 'toFixed', 'toLowerCase', 'toUpperCase', 'trim', 'trimStart',
  'trimEnd', 'startsWith', 'endsWith', 'at', 'padStart', 'padEnd', 'toString', 'valueOf', 'then', 'catch', 'finally', 'keys', 'values', 'entries', 'clear',
  'hasOwnProperty', 'localeCompare', 'split', 'replace', 'replaceAll', 'repeat', 'search', 'substring', 'substr', 'normalize', 'matchAll', 'test', 'exec', 'match', 'bind', 'call', 'apply', 'getTime', 'now', 'resolve', 'reject', 'emit', 'on',
]);
const CHEAP_OBJECTS = new Set(['Math', 'console', 'Number', 'String', 'Date', 'Promise', 'Symbol', 'process', 'performance']);
const CHEAP_FUNCTIONS = new Set(['parseInt', 'parseFloat', 'Number', 'String', 'Boolean', 'isNaN', 'isFinite', 'require', 'setTimeout', 'clearTimeout', 'setInterval', 'Symbol', 'BigInt', 'Error', 'TypeError', 'RangeError']);
const LINEAR_STATICS = new Set(['Object.keys', 'Object.values', 'Object.entries', 'Object.assign', 'Object.fromEntries', 'Array.from', 'JSON.stringify', 'JSON.parse', 'structuredClone', 'Promise.all']);

function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  while ((n.type === 'parenthesized_expression' || n.type === 'as_expression' || n.type === 'non_null_expression' || n.type === 'satisfies_expression') && n.namedChildren.length >= 1) n = n.namedChildren[0];
  return n;
}

function stmts(node: SyntaxNode | null): SyntaxNode[] {
  if (!node) return [];
  if (node.type === 'statement_block') return node.namedChildren.filter((c) => c.type !== 'comment');
  // `else { … }`: the block's statements (issue 13 round 11: a return inside a braced `else` was not seen
  // as leaving the function, so fast-sort's self-calls in exclusive branches added up to two per level).
  if (node.type === 'else_clause') return node.namedChildren.filter((c) => c.type !== 'comment').flatMap((c) => (c.type === 'statement_block' ? stmts(c) : [c]));
  return [node];
}

/** Inside `for (…; …; i += k)`: a window slice(i, i + k) of the step walks the input once in total. */
function steppedBy(node: SyntaxNode, k: SyntaxNode): boolean {
  const text = k.text.replace(/\s+/g, '');
  for (const anc of node.ancestors()) {
    if (FUNCTION_TYPES.has(anc.type)) return false;
    if (anc.type !== 'for_statement') continue;
    for (const inc of anc.childrenIn('increment')) {
      if (inc.type === 'augmented_assignment_expression' && inc.child('operator')?.text === '+=' && inc.child('right')?.text.replace(/\s+/g, '') === text) return true;
    }
  }
  return false;
}

/** Inside a for/while loop whose condition tests `name`. */
/**
 * A name used as a position: the counter of an enclosing `for (let i = …; …)`, or a local declared
 * from a number or from such a counter (`let m = i` in selection sort).
 */
function isIndexName(node: SyntaxNode, name: string): boolean {
  const counters = new Set<string>();
  for (const anc of node.ancestors()) {
    if (FUNCTION_TYPES.has(anc.type)) break;
    if (anc.type === 'for_statement') {
      for (const d of anc.child('initializer')?.descendants() ?? []) if (d.type === 'variable_declarator' && d.child('name')?.type === 'identifier') counters.add(d.child('name')!.text);
    }
  }
  if (counters.has(name)) return true;
  for (const anc of node.ancestors()) {
    if (FUNCTION_TYPES.has(anc.type)) break;
    if (anc.type !== 'statement_block') continue;
    for (const st of anc.namedChildren) {
      if (st.type !== 'lexical_declaration' && st.type !== 'variable_declaration') continue;
      for (const d of st.namedChildren) {
        if (d.type !== 'variable_declarator' || d.child('name')?.text !== name) continue;
        const v = d.child('value');
        if (v && (v.type === 'number' || counters.has(v.text) || (v.type === 'binary_expression' && /^[\w\s+\-*]+$/.test(v.text) && [...counters].some((c) => v.text.includes(c))))) return true;
      }
    }
  }
  return false;
}

function loopOn(node: SyntaxNode, name: string): boolean {
  for (const anc of node.ancestors()) {
    if (FUNCTION_TYPES.has(anc.type)) return false;
    if (anc.type !== 'for_statement' && anc.type !== 'while_statement' && anc.type !== 'do_statement') continue;
    for (const cond of anc.childrenIn('condition')) for (const d of cond.descendants()) if (d.type === 'identifier' && d.text === name) return true;
  }
  return false;
}

/**
 * `j = s.indexOf(x, j)` in a loop that leaves when `j` is -1: every search starts where the last one
 * matched, so the scans over the loop cover `s` once in total (lumino's findIndices, issue 13 round
 * 14). `j` must be assigned nothing else in the loop but steps forward (`++j`, `j += 1`).
 */
function resumesFromOwnResult(node: SyntaxNode, j: string): boolean {
  const assign = node.parent;
  if (assign?.type !== 'assignment_expression' || node.field !== 'right' || assign.child('left')?.text !== j) return false;
  let loop: SyntaxNode | null = null;
  for (const a of node.ancestors()) {
    if (FUNCTION_TYPES.has(a.type)) return false;
    if (a.type === 'for_statement' || a.type === 'while_statement' || a.type === 'do_statement') {
      loop = a;
      break;
    }
  }
  if (!loop) return false;
  // Declared or set again in this loop or a loop around it, the search starts over (review 12 S2:
  // `let j = 0` in the body, `j = 0` in an outer loop); the loop's own initializer runs once.
  const loops: SyntaxNode[] = [];
  let scope: SyntaxNode = loop;
  for (const a of loop.ancestors()) {
    scope = a;
    if (FUNCTION_TYPES.has(a.type)) break;
    if (a.type === 'for_statement' || a.type === 'for_in_statement' || a.type === 'while_statement' || a.type === 'do_statement') loops.push(a);
  }
  const init = loop.child('initializer');
  const inside = (d: SyntaxNode, n: SyntaxNode) => d.startIndex >= n.startIndex && d.endIndex <= n.endIndex;
  for (const d of scope.descendants()) {
    const setsJ = (d.type === 'assignment_expression' && d !== assign && d.child('left')?.text === j) || (d.type === 'variable_declarator' && d.child('name')?.text === j);
    if (setsJ && !(init && inside(d, init)) && [loop, ...loops].some((l) => inside(d, l))) return false;
  }
  let leaves = false;
  for (const d of loop.descendants()) {
    if (d.type === 'assignment_expression' && d.child('left')?.text === j && d !== assign) return false;
    if (d.type === 'augmented_assignment_expression' && d.child('left')?.text === j && !(d.child('operator')?.text === '+=' && d.child('right')?.type === 'number')) return false;
    if (d.type === 'update_expression' && d.text.replace(/\s+/g, '') !== `++${j}` && d.text.replace(/\s+/g, '') !== `${j}++` && d.namedChildren.some((x) => x.text === j)) return false;
    if (d.type === 'if_statement') {
      const cond = d.child('condition')?.text.replace(/[\s()]+/g, '') ?? '';
      const miss = cond === `${j}===-1` || cond === `${j}==-1` || cond === `${j}<0` || cond === `-1===${j}`;
      const exit = d.child('consequence');
      if (miss && exit && [exit, ...exit.descendants()].some((x) => x.type === 'return_statement' || x.type === 'break_statement' || x.type === 'throw_statement')) leaves = true;
    }
  }
  return leaves;
}

/**
 * Does an enclosing loop move its counter (a name in its condition) past `name` after `node`
 * (`const close = input.indexOf(q, i + 1); …; i = close + 1; …; pos = i + 1` in a loop on `pos`)?
 * With `from` (a start position), that must be derived from the counter too. A search or a slice
 * that ends where the loop resumes covers text the loop skips: linear in total.
 */
function loopJumpsPast(node: SyntaxNode, name: string, from?: SyntaxNode): boolean {
  for (const anc of node.ancestors()) {
    if (FUNCTION_TYPES.has(anc.type)) return false;
    if (anc.type !== 'while_statement' && anc.type !== 'for_statement' && anc.type !== 'do_statement') continue;
    const values = new Map<string, SyntaxNode[]>();
    for (const d of anc.descendants()) {
      const [left, value] = d.type === 'assignment_expression' ? [d.child('left'), d.child('right')] : d.type === 'variable_declarator' ? [d.child('name'), d.child('value')] : [null, null];
      if (left?.type === 'identifier' && value) values.set(left.text, [...(values.get(left.text) ?? []), value]);
    }
    const reads = (expr: SyntaxNode, target: string, seen: Set<string>): boolean =>
      [expr, ...expr.descendants()].some((x) => x.type === 'identifier' && (x.text === target || (!seen.has(x.text) && !!seen.add(x.text) && (values.get(x.text) ?? []).some((v) => reads(v, target, seen)))));
    const counters = anc.childrenIn('condition').flatMap((cond) => [cond, ...cond.descendants()]).filter((x) => x.type === 'identifier').map((x) => x.text);
    for (const ctr of counters) {
      const later = (values.get(ctr) ?? []).filter((v) => v.startIndex > node.endIndex);
      if (later.some((v) => reads(v, name, new Set([ctr]))) && (!from || reads(from, ctr, new Set()))) return true;
    }
  }
  return false;
}

/**
 * text.slice(start, end) in a loop that moves `start` to `end`: non-overlapping chunks, linear in
 * total. `start` may be offset by a constant (`text.slice(i + "@layer".length, end)` with `i = end`
 * after it): the slice still lies inside the stretch the loop jumps over.
 */
function chunked(node: SyntaxNode, startArg: SyntaxNode, b: string): boolean {
  const start = unwrap(startArg);
  const constantOffset = (x: SyntaxNode | null) => !!x && [x, ...x.descendants()].every((d) => d.type !== 'identifier' || d.parent?.type === 'member_expression' && d.field === 'property');
  const a = start.type === 'identifier' ? start.text : start.type === 'binary_expression' && start.child('operator')?.text === '+' && unwrap(start.child('left')!)?.type === 'identifier' && constantOffset(start.child('right')) ? unwrap(start.child('left')!).text : null;
  if (!a) return false;
  for (const anc of node.ancestors()) {
    if (FUNCTION_TYPES.has(anc.type)) return false;
    if (!['while_statement', 'for_statement', 'do_statement', 'for_in_statement'].includes(anc.type)) continue;
    for (const d of anc.descendants()) {
      if (d.type !== 'assignment_expression' || d.child('left')?.text !== a) continue;
      const r = d.child('right') && unwrap(d.child('right')!);
      if (r && (r.text === b || (r.type === 'binary_expression' && r.child('left')?.text === b && r.child('operator')?.text === '+'))) return true;
    }
    // Marks of a forward scan: `colon = i` and `start = i + 1` set from the counter of a
    // `for (let i = …; …; i++)`, so `body.slice(start, colon)` lies between two marks.
    if (anc.type === 'for_statement') {
      const counter = [...(anc.child('initializer')?.descendants() ?? [])].find((x) => x.type === 'variable_declarator')?.child('name')?.text;
      const forward = !!counter && anc.childrenIn('increment').some((inc) => /^(\+\+\w+|\w+\+\+|\w+\s*\+=\s*\d+)$/.test(inc.text.trim()));
      const marks = (name: string) => {
        const sets = [...anc.descendants()].filter((d) => d.type === 'assignment_expression' && d.child('left')?.text === name);
        return sets.length > 0 && sets.every((d) => /^-?\d+$/.test(d.child('right')?.text ?? '') || new RegExp(`^${counter}(\\s*\\+\\s*\\d+)?$`).test(d.child('right')?.text ?? ''));
      };
      if (forward && counter && marks(a) && (b === counter || marks(b))) return true;
    }
  }
  return false;
}

function isNumber(node: SyntaxNode | null, pred: (n: number) => boolean = () => true): boolean {
  return !!node && unwrap(node).type === 'number' && pred(Number(unwrap(node).text));
}

function patternNames(node: SyntaxNode | null): string[] {
  if (!node) return [];
  if (node.type === 'identifier') return [node.text];
  const out: string[] = [];
  for (const d of node.descendants()) if (d.type === 'identifier' || d.type === 'shorthand_property_identifier_pattern') out.push(d.text);
  return out;
}

function annotationKind(type: SyntaxNode | null): ValueKind {
  if (!type) return 'unknown';
  const t = type.text.replace(/^:\s*/, '').trim();
  if (/\[\]$/.test(t) || /^(Readonly)?Array</.test(t) || /^readonly .*\[\]$/.test(t)) return 'list';
  if (/^(Readonly)?Set</.test(t)) return 'set';
  if (/^(Readonly)?Map</.test(t) || /^Record</.test(t)) return 'map';
  if (t === 'string') return 'str';
  if (t === 'number' || t === 'bigint') return 'number';
  return 'unknown';
}

function paramsOf(fn: SyntaxNode): Param[] {
  const single = fn.child('parameter');
  if (single) return [{ name: single.text, kind: 'unknown', node: single }];
  const list = fn.child('parameters');
  if (!list) return [];
  const out: Param[] = [];
  for (const p of list.namedChildren) {
    if (p.type === 'identifier') out.push({ name: p.text, kind: 'unknown', node: p });
    else if (p.type === 'required_parameter' || p.type === 'optional_parameter') {
      const pattern = p.child('pattern');
      if (pattern?.type === 'identifier') {
        let kind = annotationKind(p.child('type'));
        if (kind === 'unknown') kind = kindOfExpression(p.child('value'));
        out.push({ name: pattern.text, kind: kind === 'none' ? 'unknown' : kind, node: pattern });
      } else if (pattern?.type === 'rest_pattern') {
        const id = pattern.namedChildren[0];
        if (id) out.push({ name: id.text, kind: 'list', node: id });
      } else if (pattern && (pattern.type === 'object_pattern' || pattern.type === 'array_pattern')) {
        // Destructured props ({ items }: Props): each name is an input.
        for (const name of destructured(pattern)) out.push(name);
      }
    } else if (p.type === 'assignment_pattern') {
      const left = p.child('left');
      if (left?.type === 'identifier') {
        const kind = kindOfExpression(p.child('right'));
        out.push({ name: left.text, kind: kind === 'none' ? 'unknown' : kind, node: left });
      }
    } else if (p.type === 'object_pattern' || p.type === 'array_pattern') {
      for (const name of destructured(p)) out.push(name);
    } else if (p.type === 'rest_pattern') {
      const id = p.namedChildren[0];
      if (id) out.push({ name: id.text, kind: 'list', node: id });
    }
  }
  return out;
}

function destructured(pattern: SyntaxNode): Param[] {
  const out: Param[] = [];
  for (const d of pattern.descendants()) {
    if (d.type === 'shorthand_property_identifier_pattern' || (d.type === 'identifier' && d.field !== 'key' && d.parent?.type !== 'pair_pattern')) out.push({ name: d.text, kind: 'unknown', node: d });
    else if (d.type === 'pair_pattern') {
      const v = d.child('value');
      if (v?.type === 'identifier') out.push({ name: v.text, kind: 'unknown', node: v });
    }
  }
  return out;
}

function nameOf(fn: SyntaxNode): SyntaxNode | null {
  const own = fn.child('name');
  if (own) return own;
  const parent = fn.parent;
  if (!parent) return null;
  if (parent.type === 'variable_declarator' && parent.child('name')?.type === 'identifier') return parent.child('name');
  if (parent.type === 'pair') return parent.child('key');
  if (parent.type === 'assignment_expression') {
    const left = parent.child('left');
    if (left?.type === 'identifier') return left;
    if (left?.type === 'member_expression') return left.child('property');
  }
  if (parent.type === 'public_field_definition' || parent.type === 'field_definition') return parent.child('name') ?? parent.child('property');
  return null;
}

function callParts(call: SyntaxNode): { name: string; object: SyntaxNode | null; full: string } | null {
  const fn = call.child('function') ?? call.child('constructor');
  if (!fn) return null;
  const f = unwrap(fn);
  if (f.type === 'identifier') return { name: f.text, object: null, full: f.text };
  if (f.type === 'member_expression') {
    const prop = f.child('property');
    const obj = f.child('object');
    if (prop && obj) return { name: prop.text, object: obj, full: f.text };
  }
  return null;
}

function argsOf(call: SyntaxNode): Arg[] {
  const list = call.child('arguments');
  if (!list) return [];
  return list.namedChildren.filter((c) => c.type !== 'comment').map((node) => ({ name: null, node }));
}

function callbackBody(fn: SyntaxNode): SyntaxNode[] {
  const body = fn.child('body');
  return body ? stmts(body) : [];
}


export const ecmascriptAdapter: ComplexityAdapter = {
  // call_expression: xs.forEach(cb), xs.map(cb)… with a function literal are loops.
  functionTypes: FUNCTION_TYPES,
  loopTypes: new Set(['for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'call_expression']),
  functionShape(node): FunctionShape | null {
    if (!FUNCTION_TYPES.has(node.type)) return null;
    const nameNode = nameOf(node);
    let className: string | null = null;
    if (node.type === 'method_definition' || node.parent?.type === 'public_field_definition') {
      const body = node.type === 'method_definition' ? node.parent : node.parent?.parent;
      const cls = body?.parent;
      if (cls && CLASS_TYPES.has(cls.type)) className = cls.child('name')?.text ?? '(class)';
      // A method analysed as its own unit (or in an object literal): `this` is its receiver.
      else if (node.type === 'method_definition') className = '(class)';
    }
    const body = node.child('body');
    return {
      node,
      name: nameNode?.text ?? null,
      nameNode,
      params: paramsOf(node),
      body: body ? stmts(body) : [],
      memoized: false,
      className,
      selfName: className ? 'this' : null,
    };
  },

  statements: stmts,

  classify(node): Construct | null {
    switch (node.type) {
      case 'function_declaration':
      case 'generator_function_declaration':
      case 'function_expression':
      case 'function':
      case 'generator_function':
      case 'arrow_function':
      case 'method_definition':
      case 'class_declaration':
      case 'class':
        return { kind: 'function' };
      case 'for_statement': {
        const init = node.child('initializer');
        const cond = node.childrenIn('condition').find((c) => c.isNamed && c.type !== 'empty_statement') ?? null;
        const condExpr = cond?.type === 'expression_statement' ? cond.namedChildren[0] ?? null : cond;
        const update = node.childrenIn('increment');
        const body = node.child('body');
        return {
          kind: 'counted',
          node,
          header: { startIndex: node.startIndex, endIndex: body ? body.startIndex : node.endIndex },
          init: init ? [init] : [],
          cond: condExpr,
          update,
          body: stmts(body),
        };
      }
      case 'for_in_statement': {
        const right = node.child('right');
        if (!right) return null;
        return { kind: 'loop', node, header: { startIndex: node.startIndex, endIndex: right.endIndex + 1 }, iter: right, targets: patternNames(node.child('left')), body: stmts(node.child('body')), pre: [] };
      }
      case 'while_statement':
      case 'do_statement': {
        const cond = node.child('condition');
        const header = node.type === 'while_statement' ? { startIndex: node.startIndex, endIndex: cond?.endIndex ?? node.endIndex } : { startIndex: node.startIndex, endIndex: node.startIndex + 2 };
        return { kind: 'while', node, header, cond: cond ? unwrap(cond) : null, body: stmts(node.child('body')) };
      }
      case 'if_statement': {
        const cond = node.child('condition');
        const alt = node.child('alternative');
        return { kind: 'branch', cond: cond ? [cond] : [], alts: [stmts(node.child('consequence')), ...(alt ? [stmts(alt)] : [])], exhaustive: !!alt };
      }
      case 'switch_statement': {
        // One case runs per execution (fall-through aside): the cases are alternatives.
        const cases = node.child('body')?.namedChildren.filter((c) => c.type === 'switch_case' || c.type === 'switch_default') ?? [];
        const cond = node.child('value');
        return { kind: 'branch', cond: cond ? [cond] : [], alts: cases.map((c) => c.namedChildren.filter((s) => s.field !== 'value')), exhaustive: cases.some((c) => c.type === 'switch_default') };
      }
      case 'ternary_expression': {
        const c = node.child('condition');
        const a = node.child('consequence');
        const b = node.child('alternative');
        if (!c || !a || !b) return null;
        return { kind: 'branch', cond: [c], alts: [[a], [b]], exhaustive: true };
      }
      case 'return_statement':
      case 'throw_statement':
        return { kind: 'exit', scope: 'function', values: node.namedChildren };
      case 'break_statement':
        return { kind: 'exit', scope: 'loop', values: [] };
      case 'array': {
        const spreads = node.namedChildren.filter((c) => c.type === 'spread_element');
        if (spreads.length) return { kind: 'op', node, cost: 'linear', of: node, label: `\`${short(node.text)}\` (copy)`, rest: node.namedChildren };
        return null;
      }
      case 'new_expression': {
        const c = callParts(node);
        const args = argsOf(node).map((a) => a.node);
        if (c && !c.object && ['Set', 'Map', 'Array', 'WeakSet', 'WeakMap', 'Uint8Array', 'Int32Array', 'Float64Array'].includes(c.name) && args[0]) return { kind: 'op', node, cost: 'linear', of: node, label: `\`${short(node.text)}\` (builds a collection)`, rest: args };
        return null;
      }
      case 'call_expression':
        return classifyCall(node);
    }
    return null;
  },

  sizeRef(node): SizeRef {
    const n = unwrap(node);
    switch (n.type) {
      case 'identifier':
        return { t: 'name', name: n.text };
      case 'string':
      case 'template_string':
      case 'number':
      case 'true':
      case 'false':
      case 'null':
      case 'undefined':
      case 'object':
        return { t: 'const' };
      case 'array': {
        const spreads = n.namedChildren.filter((c) => c.type === 'spread_element').map((c) => c.namedChildren[0]).filter(Boolean);
        return spreads.length ? { t: 'sum', nodes: spreads } : { t: 'const' };
      }
      case 'member_expression': {
        const obj = n.child('object');
        if (obj?.type === 'this') return { t: 'attr', text: n.text };
        return { t: 'elem', text: n.text };
      }
      case 'subscript_expression':
        return { t: 'elem', text: n.text };
      case 'new_expression':
      case 'call_expression': {
        const c = callParts(n);
        const args = argsOf(n).map((a) => a.node);
        if (!c) return { t: 'unknown', text: n.text, node: n };
        if (!c.object) {
          if (c.name === 'Array' && args.length === 1) return { t: 'value', node: args[0] };
          if (['Set', 'Map', 'WeakSet', 'WeakMap'].includes(c.name)) return args[0] ? { t: 'same', node: args[0] } : { t: 'const' };
          return n.type === 'call_expression' ? { t: 'result', callee: c.name, viaSelf: false, args, text: n.text } : { t: 'unknown', text: n.text, node: n };
        }
        if (c.object.type === 'this') {
          return { t: 'result', callee: c.name, viaSelf: true, args, text: n.text };
        }
        const full = `${c.object.text}.${c.name}`;
        if (full === 'Array.from' && args[0]) {
          const a = unwrap(args[0]);
          if (a.type === 'object') {
            const len = a.namedChildren.find((p) => p.type === 'pair' && p.child('key')?.text === 'length');
            const v = len?.child('value');
            return v ? { t: 'value', node: v } : { t: 'unknown', text: n.text, node: n };
          }
          return { t: 'same', node: args[0] };
        }
        if (LINEAR_STATICS.has(full) && args[0]) return { t: 'same', node: args[0] };
        // A chunk of the stretch the enclosing loop then jumps over (`text.slice(i + 6, end)` with
        // `i = end` after it): the chunks do not overlap, so what iterates one costs O(n) in total.
        if ((c.name === 'slice' || c.name === 'substring') && args.length === 2 && unwrap(args[1]).type === 'identifier' && chunked(n, args[0], unwrap(args[1]).text)) return { t: 'const' };
        if (['map', 'filter', 'slice', 'concat', 'sort', 'toSorted', 'reverse', 'toReversed', 'keys', 'values', 'entries', 'flat', 'flatMap', 'split', 'fill', 'trim', 'toLowerCase', 'toUpperCase'].includes(c.name)) {
          if (c.name === 'concat') return { t: 'sum', nodes: [c.object, ...args] };
          return { t: 'same', node: c.object };
        }
        return { t: 'unknown', text: n.text, node: n };
      }
      case 'binary_expression': {
        const op = n.child('operator')?.text;
        const l = n.child('left');
        const r = n.child('right');
        if (op === '+' && l && r) return { t: 'sum', nodes: [l, r] };
        return { t: 'unknown', text: n.text, node: n };
      }
      case 'ternary_expression': {
        const a = n.child('consequence');
        const b = n.child('alternative');
        return a && b ? { t: 'sum', nodes: [a, b] } : { t: 'unknown', text: n.text, node: n };
      }
    }
    return { t: 'unknown', text: n.text, node: n };
  },

  valueRef(node): SizeRef {
    const n = unwrap(node);
    switch (n.type) {
      case 'identifier':
        return { t: 'name', name: n.text };
      case 'number':
      case 'true':
      case 'false':
      case 'null':
      case 'undefined':
        return { t: 'const' };
      case 'unary_expression':
        return n.child('argument') ? this.valueRef(n.child('argument')!) : { t: 'const' };
      case 'update_expression':
        return n.child('argument') ? this.valueRef(n.child('argument')!) : { t: 'const' };
      case 'member_expression': {
        const obj = n.child('object');
        const prop = n.child('property')?.text;
        if (obj && (prop === 'length' || prop === 'size')) return { t: 'len', node: obj };
        if (obj?.type === 'this') return { t: 'attr', text: n.text };
        return { t: 'elem', text: n.text };
      }
      case 'subscript_expression':
        return { t: 'elem', text: n.text };
      case 'call_expression': {
        const c = callParts(n);
        const args = argsOf(n).map((a) => a.node);
        if (c?.object?.text === 'Math' && ['floor', 'ceil', 'trunc', 'round', 'abs'].includes(c.name) && args[0]) return this.valueRef(args[0]);
        // Math.min(4, n) is at most the literal: a constant (analysis/sizeVerdict.ts minOfSmallLiteral).
        if (c?.object?.text === 'Math' && c.name === 'min' && minOfSmallLiteral(args, 'number')) return { t: 'const' };
        if (c?.object?.text === 'Math' && (c.name === 'max' || c.name === 'min') && args.length >= 2) return { t: 'sum', nodes: args };
        if (c && !c.object && (c.name === 'Number' || c.name === 'parseInt') && args[0]) return this.valueRef(args[0]);
        return { t: 'unknown', text: n.text, node: n };
      }
      case 'binary_expression': {
        const op = n.child('operator')?.text;
        const l = n.child('left');
        const r = n.child('right');
        if (!l || !r) return { t: 'unknown', text: n.text, node: n };
        if (op === '+' || op === '-') return { t: 'sum', nodes: [l, r] };
        if (op === '*') return { t: 'product', nodes: [l, r] };
        if (op === '/' || op === '>>' || op === '>>>' || op === '|') return this.valueRef(l);
        if (op === '%') return this.valueRef(r);
        return { t: 'unknown', text: n.text, node: n };
      }
    }
    return { t: 'unknown', text: n.text, node: n };
  },

  kindOf(node): ValueKind {
    const n = unwrap(node);
    if (n.type === 'call_expression') {
      const c = callParts(n);
      if (c?.object && c.name === 'split') return 'list';
    }
    return kindOfExpression(n);
  },

  facts(node): readonly Fact[] {
    switch (node.type) {
      case 'variable_declarator': {
        const name = node.child('name');
        const value = node.child('value');
        if (name?.type === 'identifier') return [{ t: 'assign', name: name.text, value }];
        if (name?.type === 'array_pattern' && value) {
          const names = name.namedChildren;
          const values = unwrap(value).type === 'array' ? unwrap(value).namedChildren : [];
          return names.filter((x) => x.type === 'identifier').map((x) => ({ t: 'assign' as const, name: x.text, value: values.length === names.length ? values[names.indexOf(x)] : null }));
        }
        return patternNames(name).map((x) => ({ t: 'assign' as const, name: x, value: null }));
      }
      case 'assignment_expression': {
        const left = node.child('left');
        if (left?.type === 'identifier') {
          // x = x.concat(y) and x = [...x, y] grow x by y.
          const r = node.child('right') && unwrap(node.child('right')!);
          if (r?.type === 'call_expression') {
            const c = callParts(r);
            if (c?.name === 'concat' && c.object?.text === left.text) return [{ t: 'grow', name: left.text, amount: argsOf(r)[0]?.node ?? null }];
          }
          if (r?.type === 'array' && r.namedChildren[0]?.type === 'spread_element' && r.namedChildren[0].namedChildren[0]?.text === left.text) return [{ t: 'grow', name: left.text, amount: null }];
          return [{ t: 'assign', name: left.text, value: node.child('right') }];
        }
        if (left?.type === 'subscript_expression') {
          const obj = left.child('object');
          // `a[j + 1] = a[j]`, `a[0] = x`: an in-place write at a computed position, not a new key.
          const index = left.child('index');
          const positional = !!index && (index.type === 'number' || (index.type === 'binary_expression' && /^[\w\s+\-*]+$/.test(index.text)) || (index.type === 'identifier' && isIndexName(node, index.text)));
          if (obj?.type === 'identifier' && !positional) return [{ t: 'grow', name: obj.text, amount: null }];
        }
        return [];
      }
      case 'augmented_assignment_expression': {
        const left = node.child('left');
        const op = node.child('operator')?.text;
        if (left?.type === 'identifier' && op === '+=') return [{ t: 'grow', name: left.text, amount: node.child('right') }];
        if (left?.type === 'identifier' && op !== '-=' && op !== '/=' && op !== '>>=' && op !== '>>>=') return [{ t: 'assign', name: left.text, value: null }];
        return [];
      }
      case 'update_expression': {
        const arg = node.child('argument');
        if (arg?.type === 'identifier' && node.text.includes('++')) return [{ t: 'grow', name: arg.text, amount: null }];
        return [];
      }
      case 'call_expression': {
        const c = callParts(node);
        if (!c || c.object?.type !== 'identifier') return [];
        if (['push', 'unshift', 'add', 'set'].includes(c.name)) {
          const spread = argsOf(node).find((a) => a.node.type === 'spread_element');
          return [{ t: 'grow', name: c.object.text, amount: spread?.node.namedChildren[0] ?? null }];
        }
        return [];
      }
    }
    return NO_FACTS;
  },

  conjuncts(cond) {
    const n = unwrap(cond);
    if (n.type === 'binary_expression') {
      const op = n.child('operator')?.text;
      if (op === '||' || op === '??') return null;
      if (op === '&&') {
        const a = this.conjuncts(n.child('left')!);
        const b = this.conjuncts(n.child('right')!);
        return a && b ? [...a, ...b] : null;
      }
    }
    if (n.type === 'unary_expression') return null;
    if (n.type === 'true') return null;
    return [n];
  },

  comparison(node) {
    const n = unwrap(node);
    if (n.type !== 'binary_expression') return null;
    const raw = n.child('operator')?.text;
    const left = n.child('left');
    const right = n.child('right');
    if (!left || !right || !raw) return null;
    const op = raw === '!==' ? '!=' : raw === '===' ? '==' : raw;
    if (op === '<' || op === '<=' || op === '>' || op === '>=' || op === '!=' || op === '==') return { left, op, right };
    return null;
  },

  truthyCollection(node) {
    const n = unwrap(node);
    if (n.type === 'identifier') return n;
    const lenOf = (x: SyntaxNode): SyntaxNode | null => {
      const u = unwrap(x);
      const prop = u.type === 'member_expression' ? u.child('property')?.text : null;
      return prop === 'length' || prop === 'size' ? u.child('object') : null;
    };
    return lenOf(n) ?? nonEmptyTest(this.comparison(n), lenOf, isNumber);
  },

  update(node) {
    if (node.type === 'update_expression') {
      const arg = node.child('argument');
      if (arg?.type !== 'identifier') return null;
      return { name: arg.text, how: node.text.includes('++') ? 'inc' : 'dec', value: null };
    }
    if (node.type === 'augmented_assignment_expression') {
      const left = node.child('left');
      const op = node.child('operator')?.text;
      const right = node.child('right');
      if (left?.type !== 'identifier') return null;
      let how: 'inc' | 'dec' | 'halve' | 'double' | 'assign' = op === '+=' ? 'inc' : op === '-=' ? 'dec' : op === '/=' || op === '>>=' || op === '>>>=' ? 'halve' : op === '*=' || op === '<<=' ? 'double' : 'assign';
      if ((how === 'halve' || how === 'double') && !isNumber(right, (v) => (op === '/=' || op === '*=' ? v >= 2 : v >= 1))) how = 'assign';
      return { name: left.text, how, value: right };
    }
    if (node.type === 'assignment_expression') {
      const left = node.child('left');
      const right = node.child('right');
      if (left?.type !== 'identifier' || !right) return null;
      let r = unwrap(right);
      if (r.type === 'call_expression' && /^Math\.(floor|trunc|ceil)$/.test(r.child('function')?.text ?? '')) r = unwrap(argsOf(r)[0]?.node ?? r);
      if (r.type === 'binary_expression' && unwrap(r.child('left')!).text === left.text) {
        const op = r.child('operator')?.text;
        const k = r.child('right');
        if (op === '+') return { name: left.text, how: 'inc', value: right };
        if (op === '-') return { name: left.text, how: 'dec', value: right };
        if ((op === '/' && isNumber(k, (v) => v >= 2)) || ((op === '>>' || op === '>>>') && isNumber(k, (v) => v >= 1))) return { name: left.text, how: 'halve', value: right };
        if (op === '*' && isNumber(k, (v) => v >= 2)) return { name: left.text, how: 'double', value: right };
      }
      return { name: left.text, how: 'assign', value: right };
    }
    return null;
  },

  pop(node) {
    if (node.type !== 'call_expression') return null;
    const c = callParts(node);
    if (c?.object?.type === 'identifier' && (c.name === 'pop' || c.name === 'shift' || c.name === 'dequeue' || c.name === 'poll')) return c.object.text;
    return null;
  },

  midpoint(node) {
    let n = unwrap(node);
    // Math.floor((lo + hi) / 2), (lo + hi) >> 1, (lo + hi) >>> 1, ((lo + hi) / 2) | 0
    if (n.type === 'call_expression' && /^Math\.(floor|trunc)$/.test(n.child('function')?.text ?? '')) n = unwrap(argsOf(n)[0]?.node ?? n);
    if (n.type === 'binary_expression' && n.child('operator')?.text === '|' && isNumber(n.child('right'), (v) => v === 0)) n = unwrap(n.child('left')!);
    if (n.type !== 'binary_expression') return null;
    const op = n.child('operator')?.text;
    const left = n.child('left');
    const right = n.child('right');
    if (!left || !right) return null;
    if ((op === '/' && isNumber(right, (v) => v === 2)) || ((op === '>>' || op === '>>>') && isNumber(right, (v) => v === 1))) {
      const sum = unwrap(left);
      if (sum.type === 'binary_expression' && sum.child('operator')?.text === '+') {
        const a = unwrap(sum.child('left')!);
        const b = unwrap(sum.child('right')!);
        if (a.type === 'identifier' && b.type === 'identifier') return [a.text, b.text];
      }
      const l = unwrap(left);
      if (l.type === 'member_expression' && l.child('property')?.text === 'length' && l.child('object')?.type === 'identifier') return ['0', l.child('object')!.text];
    }
    if (op === '+' && unwrap(left).type === 'identifier') {
      let r = unwrap(right);
      if (r.type === 'call_expression') r = unwrap(argsOf(r)[0]?.node ?? r);
      if (r.type === 'binary_expression') {
        const diff = unwrap(r.child('left')!);
        if (diff.type === 'binary_expression' && diff.child('operator')?.text === '-' && diff.child('right')?.text === left.text && diff.child('left')?.type === 'identifier') return [left.text, diff.child('left')!.text];
      }
    }
    return null;
  },

  argShape(node): ArgShape {
    let n = unwrap(node);
    if (n.type === 'identifier') return { t: 'name', name: n.text };
    if (n.type === 'call_expression' && /^Math\.(floor|trunc|ceil)$/.test(n.child('function')?.text ?? '')) {
      const inner = unwrap(argsOf(n)[0]?.node ?? n);
      if (inner.type === 'binary_expression' && inner.child('operator')?.text === '/' && unwrap(inner.child('left')!).type === 'identifier') return { t: 'arith', name: unwrap(inner.child('left')!).text, op: 'half' };
      n = inner;
    }
    if (n.type === 'binary_expression') {
      const left = unwrap(n.child('left')!);
      const op = n.child('operator')?.text;
      const right = n.child('right');
      // A guarded value has the shape of what it yields: `tree && tree[0]` is a part of `tree`, not
      // arithmetic on it (bitcoinjs-lib's taproot tree walk, issue 13 round 12). `x || {}` is left as it
      // was: read as a part, it made four recursive merges newly estimated O(n·m) on npm packages.
      if (op === '&&' && right) return ecmascriptAdapter.argShape(right);
      if (left.type === 'identifier') {
        if (op === '-' && isNumber(right)) return { t: 'arith', name: left.text, op: '-' };
        if (op === '+' && isNumber(right)) return { t: 'arith', name: left.text, op: '+' };
        if ((op === '/' || op === '>>' || op === '>>>') && isNumber(right, (v) => v >= 1)) return { t: 'arith', name: left.text, op: 'half' };
        return { t: 'arith', name: left.text, op: 'other' };
      }
      return { t: 'other' };
    }
    if (n.type === 'call_expression') {
      const c = callParts(n);
      if (c?.name === 'slice' && c.object?.type === 'identifier') {
        const args = argsOf(n).map((a) => a.node.text.replace(/\s+/g, ''));
        if ((args.length === 1 && (args[0] === '1' || args[0] === '-1')) || (args.length === 2 && args[0] === '0' && args[1] === '-1')) return { t: 'slice', name: c.object.text, cut: 'one' };
        if (args.some((a) => /mid|\/2|>>|half/.test(a))) return { t: 'slice', name: c.object.text, cut: 'mid' };
        return { t: 'slice', name: c.object.text, cut: 'other' };
      }
      return { t: 'other' };
    }
    if (n.type === 'member_expression') {
      const obj = unwrap(n.child('object')!);
      if (obj.type === 'identifier') return { t: 'part', name: obj.text };
    }
    if (n.type === 'subscript_expression') {
      const obj = unwrap(n.child('object')!);
      if (obj.type === 'member_expression' && unwrap(obj.child('object')!).type === 'identifier') return { t: 'part', name: unwrap(obj.child('object')!).text };
      if (obj.type === 'identifier') return { t: 'part', name: obj.text };
    }
    return { t: 'other' };
  },

  squareOf(node) {
    const n = unwrap(node);
    return n.type === 'binary_expression' ? squaredName(n) : null;
  },

  describe(kind, name) {
    return describeVariable(kind, name, (x) => `${x}.length`);
  },

  usesMemo(body) {
    // A table checked and filled in the body, whatever its name: `if (t.has(k)) return t.get(k); … t.set(k, v)`.
    const checked = new Set<string>();
    const filled = new Set<string>();
    for (const stmt of body) {
      for (const d of stmt.descendants()) {
        if ((d.type === 'identifier' || d.type === 'property_identifier') && MEMO_NAME.test(d.text) && readInTest(d, stmt)) return true;
        if (d.type === 'call_expression') {
          const fn = d.child('function');
          const f = fn ? unwrap(fn) : null;
          if (f?.type !== 'member_expression') continue;
          const method = f.child('property')?.text;
          const obj = f.child('object')?.text ?? '';
          if (method === 'has' || method === 'get') checked.add(obj);
          if (method === 'set') filled.add(obj);
        }
        if (d.type === 'binary_expression' && d.child('operator')?.text === 'in') checked.add(d.child('right')?.text ?? '');
        if (d.type === 'assignment_expression' && d.child('left')?.type === 'subscript_expression') filled.add(d.child('left')!.child('object')?.text ?? '');
      }
    }
    return [...checked].some((t) => MEMO_NAME.test(t)) || [...filled].some((t) => t !== '' && checked.has(t));
  },
};

function short(text: string, max = 30): string {
  return oneLine(text, max);
}

function classifyCall(node: SyntaxNode): Construct | null {
  const c = callParts(node);
  const args = argsOf(node);
  const all = args.map((a) => a.node);
  const label = (what: string) => `\`${short(node.text)}\` (${what})`;
  if (!c) return null;
  if (!c.object) {
    if (CHEAP_FUNCTIONS.has(c.name)) return { kind: 'cheap', rest: all };
    return { kind: 'call', node, callee: c.name, viaSelf: false, args, rest: all };
  }
  const obj = c.object;
  const full = `${obj.text}.${c.name}`;
  const rest = [obj, ...all];
  if (obj.type === 'this') return { kind: 'call', node, callee: c.name, viaSelf: true, args, rest: all };
  if (obj.text === 'Math' && (c.name === 'max' || c.name === 'min')) {
    const spread = all.find((a) => a.type === 'spread_element');
    if (spread?.namedChildren[0]) return { kind: 'op', node, cost: 'linear', of: spread.namedChildren[0], label: label('scan'), rest: all };
    return { kind: 'cheap', rest: all };
  }
  if (LINEAR_STATICS.has(full) && all[0]) return { kind: 'op', node, cost: 'linear', of: node, label: label('copies'), rest: all };
  if (obj.type === 'identifier' && CHEAP_OBJECTS.has(obj.text)) return { kind: 'cheap', rest: all };
  if (HOF.has(c.name)) {
    const cb = all[0];
    if (isPlainFunctionExpression(cb)) {
      const targets = paramsOf(cb).map((p) => p.name);
      return { kind: 'loop', node, header: { startIndex: node.startIndex, endIndex: (node.child('function') ?? node).endIndex }, iter: obj, targets: targets.slice(0, c.name.startsWith('reduce') ? 2 : 1), body: callbackBody(cb), pre: all.slice(1), callback: true };
    }
    return { kind: 'op', node, cost: 'linear', of: obj, label: label(c.name), rest };
  }
  if (c.name === 'sort' || c.name === 'toSorted') return { kind: 'op', node, cost: 'nlogn', of: obj, label: label('sort'), rest };
  if (c.name === 'slice' && all.length === 2) {
    // arr.slice(i, i + k): a window of k.
    const end = unwrap(all[1]);
    if (end.type === 'binary_expression' && end.child('operator')?.text === '+' && end.child('left')?.text === all[0].text) {
      const k = end.child('right');
      if (k && k.type === 'number') return { kind: 'cheap', rest };
      if (k && steppedBy(node, k)) return { kind: 'cheap', rest };
      if (k) return { kind: 'op', node, cost: 'linear', of: k, value: true, label: label('copy'), rest };
    }
  }
  // buffer.indexOf(x, i) in a loop on i: the search resumes where the loop is (a scanner skipping ahead).
  // Also from `i + k`, when the loop then jumps past the match (`i = close + 1`): the scan is what the loop skips.
  const from = all.length === 2 ? unwrap(all[1]) : null;
  const fromName = from?.type === 'identifier' ? from.text : from?.type === 'binary_expression' && from.child('operator')?.text === '+' && unwrap(from.child('left')!)?.type === 'identifier' && unwrap(from.child('right')!)?.type === 'number' ? unwrap(from.child('left')!).text : null;
  if ((c.name === 'indexOf' || c.name === 'includes') && fromName && loopOn(node, fromName)) return { kind: 'cheap', rest };
  const result = node.parent?.type === 'variable_declarator' && node.field === 'value' && node.parent.child('name')?.type === 'identifier' ? node.parent.child('name')!.text : null;
  if (c.name === 'indexOf' && all.length === 2 && result && loopJumpsPast(node, result)) return { kind: 'cheap', rest };
  if (c.name === 'indexOf' && fromName && resumesFromOwnResult(node, fromName)) return { kind: 'cheap', rest };
  if ((c.name === 'slice' || c.name === 'substring') && all.length === 2 && unwrap(all[1]).type === 'identifier' && loopJumpsPast(node, unwrap(all[1]).text, all[0])) return { kind: 'cheap', rest };
  if ((c.name === 'slice' || c.name === 'substring') && all.length === 2 && all[1].type === 'identifier' && chunked(node, all[0], all[1].text)) return { kind: 'cheap', rest };
  if (LINEAR_METHODS.has(c.name)) {
    const what = c.name === 'includes' || c.name === 'indexOf' || c.name === 'lastIndexOf' ? 'scan' : c.name === 'shift' || c.name === 'unshift' || c.name === 'splice' ? 'shifts the array' : 'copy';
    return { kind: 'op', node, cost: 'linear', of: obj, label: label(what), rest };
  }
  if (c.name === 'push' && all.some((a) => a.type === 'spread_element')) {
    const spread = all.find((a) => a.type === 'spread_element')!.namedChildren[0];
    if (spread) return { kind: 'op', node, cost: 'linear', of: spread, label: label('copies'), rest };
  }
  if (CHEAP_METHODS.has(c.name)) return { kind: 'cheap', rest };
  return { kind: 'call', node, callee: c.full, viaSelf: false, args, rest };
}
