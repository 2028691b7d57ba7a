// The complexity adapter for Python (tree-sitter-python).
import { oneLine } from '../../notation';
import type { ValueKind } from '../../analysis/module';
import type { SyntaxNode } from '../../parsing';
import { describeVariable, MEMO_NAME, NO_FACTS, readInTest, nonEmptyTest, squaredName, type Arg, type ArgShape, type ComplexityAdapter, type Construct, type Fact, type FunctionShape, type Param, type SizeRef } from '../../complexity/adapter';
import { minOfSmallLiteral } from '../../analysis/sizeVerdict';
import { kindOfExpression } from './kinds';
import { memoizeFix } from './memoize';
import { enclosingFunction, FUNCTION_TYPES } from './syntax';
import { assertedLength } from './assertedLength';

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/** Builtins that cost O(1) (or are lazy): only their arguments cost. */
const CHEAP_BUILTINS = new Set([
  'print', 'len', 'isinstance', 'issubclass', 'int', 'float', 'abs', 'round', 'ord', 'chr', 'hash', 'id', 'type', 'bool', 'repr', 'str',
  'divmod', 'pow', 'range', 'enumerate', 'zip', 'reversed', 'iter', 'next', 'super', 'getattr', 'setattr', 'hasattr', 'delattr', 'open',
  'callable', 'object', 'Exception', 'ValueError', 'TypeError', 'KeyError', 'IndexError', 'RuntimeError', 'AssertionError', 'NotImplementedError',
  'StopIteration', 'defaultdict', 'OrderedDict', 'complex', 'format', 'vars', 'property', 'staticmethod', 'classmethod', 'map', 'filter', 'slice', 'bin', 'hex', 'oct',
]);
/** Builtins linear in their first argument. */
const LINEAR_BUILTINS = new Set(['sum', 'any', 'all', 'list', 'tuple', 'set', 'frozenset', 'dict', 'Counter', 'deque', 'heapify']);
const LOG_FUNCTIONS = new Set(['heappush', 'heappop', 'heapreplace', 'heappushpop', 'bisect', 'bisect_left', 'bisect_right', 'insort_left']);
/** Methods that cost O(1) (amortized) whatever the receiver. */
const CHEAP_METHODS = new Set([
  'append', 'add', 'get', 'setdefault', 'keys', 'values', 'items', 'discard', 'popleft', 'appendleft', 'clear', 'format', 'isdigit', 'isalpha',
  'isalnum', 'isspace', 'isupper', 'islower', 'startswith', 'endswith', 'lower', 'upper', 'strip', 'lstrip', 'rstrip', 'title', 'capitalize',
  'most_common', 'group', 'groups', 'split', 'splitlines', 'replace', 'find', 'rfind', 'rsplit', 'partition', 'rpartition', 'translate', 'expandtabs', 'zfill', 'center', 'ljust', 'rjust', 'casefold', 'swapcase', 'search', 'match', 'fullmatch', 'sub', 'finditer', 'findall', 'hexdigest', 'encode', 'decode', 'is_integer', 'bit_length', 'conjugate', 'real', 'imag',
]);
/** Methods linear in the receiver. */
// String methods (split, replace, find, …) count as O(1): the length of one string is not an input size.
const LINEAR_METHODS = new Set(['index', 'count', 'remove', 'reverse']);
const MODULES_CHEAP = new Set(['math', 'random', 'time', 'logging', 'os', 'sys', 'operator', 'itertools', 'string', 'cmath', 'datetime']);

function stmts(node: SyntaxNode | null): SyntaxNode[] {
  if (!node) return [];
  if (node.type === 'block') return node.namedChildren.filter((c) => c.type !== 'comment');
  return [node];
}

function identifiersIn(node: SyntaxNode | null): string[] {
  if (!node) return [];
  if (node.type === 'identifier') return [node.text];
  const out: string[] = [];
  for (const d of node.descendants()) if (d.type === 'identifier' && d.parent?.type !== 'attribute' && d.parent?.type !== 'subscript') out.push(d.text);
  return out;
}

function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.namedChildren.length === 1) n = n.namedChildren[0];
  return n;
}

function annotationKind(type: SyntaxNode | null): ValueKind {
  if (!type) return 'unknown';
  const head = type.text.replace(/^typing\./, '').split('[')[0].trim();
  const map: Record<string, ValueKind> = {
    list: 'list', List: 'list', Sequence: 'list', MutableSequence: 'list', tuple: 'tuple', Tuple: 'tuple', str: 'str', int: 'number', float: 'number',
    set: 'set', Set: 'set', frozenset: 'set', FrozenSet: 'set', AbstractSet: 'set', dict: 'dict', Dict: 'dict', Mapping: 'dict', MutableMapping: 'dict',
    deque: 'deque', Deque: 'deque', bool: 'bool',
  };
  return map[head] ?? 'unknown';
}

function paramsOf(node: SyntaxNode | null): Param[] {
  if (!node) return [];
  const out: Param[] = [];
  for (const p of node.namedChildren) {
    switch (p.type) {
      case 'identifier':
        out.push({ name: p.text, kind: 'unknown', node: p });
        break;
      case 'typed_parameter': {
        const id = p.namedChildren.find((c) => c.type === 'identifier');
        if (id) out.push({ name: id.text, kind: annotationKind(p.child('type')), node: id });
        else {
          const splat = p.namedChildren.find((c) => c.type === 'list_splat_pattern' || c.type === 'dictionary_splat_pattern');
          const name = splat?.namedChildren[0];
          if (splat && name) out.push({ name: name.text, kind: splat.type === 'list_splat_pattern' ? 'tuple' : 'dict', node: name });
        }
        break;
      }
      case 'default_parameter':
      case 'typed_default_parameter': {
        const name = p.child('name');
        if (!name) break;
        let kind = annotationKind(p.child('type'));
        if (kind === 'unknown') kind = kindOfExpression(p.child('value'));
        out.push({ name: name.text, kind: kind === 'none' ? 'unknown' : kind, node: name });
        break;
      }
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern': {
        const name = p.namedChildren[0];
        if (name) out.push({ name: name.text, kind: p.type === 'list_splat_pattern' ? 'tuple' : 'dict', node: name });
        break;
      }
    }
  }
  return out;
}

function callName(call: SyntaxNode): { name: string; object: SyntaxNode | null; full: string } | null {
  const fn = call.child('function');
  if (!fn) return null;
  if (fn.type === 'identifier') return { name: fn.text, object: null, full: fn.text };
  if (fn.type === 'attribute') {
    const attr = fn.child('attribute');
    const obj = fn.child('object');
    if (attr && obj) return { name: attr.text, object: obj, full: fn.text };
  }
  return null;
}

function argsOf(call: SyntaxNode): Arg[] {
  const list = call.child('arguments');
  if (!list) return [];
  if (list.type === 'generator_expression') return [{ name: null, node: list }];
  return list.namedChildren
    .filter((c) => c.type !== 'comment')
    .map((c) => (c.type === 'keyword_argument' ? { name: c.child('name')?.text ?? null, node: c.child('value') ?? c } : { name: null, node: c }));
}

/** a[i:i + 2], a[:3], a[-2:], a[i:i]: a slice of constant size ('small'); a[i:i + k]: a window of k. */
function sliceWindow(slice: SyntaxNode): 'small' | SyntaxNode | null {
  const text = slice.text.replace(/\s+/g, '');
  const m = /^([^:]*):([^:]*)$/.exec(text);
  if (!m) return null;
  const [, a, b] = m;
  if (/^-?\d+$/.test(a) && b === '') return Number(a) < 0 ? 'small' : null;
  if (a === '' && /^\d+$/.test(b)) return 'small';
  if (a !== '' && (b === a || (/^\d+$/.test(a) && /^\d+$/.test(b)))) return 'small';
  const end = endOf(slice, slice.namedChildren[1]);
  if (a !== '' && end?.type === 'binary_operator' && end.child('operator')?.text === '+' && end.child('left')?.text.replace(/\s+/g, '') === a) {
    const k = end.child('right');
    return k && (k.type === 'integer' ? 'small' : k);
  }
  return null;
}

/**
 * The end of a slice as written, or, for a name (`haystack[i:j]`), the value of its one binding in the
 * function when that is an earlier statement of a block around the slice and the slice's start is not
 * bound between the two (`j = i + len(needle)`: issue 13 round 16, in sample: greenery `select_static`,
 * HP301 wrong by both judges: the slice copies the needle's length, not the haystack's).
 */
function endOf(slice: SyntaxNode, end: SyntaxNode | undefined): SyntaxNode | undefined {
  if (end?.type !== 'identifier') return end;
  const fn = enclosingFunction(slice, true);
  if (!fn) return end;
  const start = slice.namedChildren[0]?.text;
  const binds = (d: SyntaxNode, name: string | undefined) => (d.type === 'assignment' || d.type === 'augmented_assignment' || d.type === 'named_expression' || d.type === 'for_statement' || d.type === 'for_in_clause') && [d.child('left') ?? d.child('name')].some((l) => !!l && [l, ...l.descendants()].some((x) => x.type === 'identifier' && x.text === name));
  const sites = fn.descendants().filter((d) => binds(d, end.text));
  const site = sites.length === 1 && sites[0].type === 'assignment' && sites[0].child('left')?.type === 'identifier' ? sites[0] : null;
  const stmt = site?.parent?.type === 'expression_statement' ? site.parent : null;
  if (!site || !stmt || !stmt.parent || stmt.endIndex > slice.startIndex || !stmt.parent.contains(slice)) return end;
  // Nothing rebinds the start between the end's binding and the slice.
  if (fn.descendants().some((d) => d.startIndex > stmt.endIndex && d.endIndex < slice.startIndex && binds(d, start))) return end;
  return site.child('right') ?? end;
}

/** Inside `for i in range(a, b, k)`: a window a[i:i + k] of the step walks the input once in total. */
function steppedBy(node: SyntaxNode, k: SyntaxNode): boolean {
  const text = k.text.replace(/\s+/g, '');
  for (const anc of node.ancestors()) {
    if (anc.type === 'function_definition') return false;
    if (anc.type !== 'for_statement') continue;
    const right = anc.child('right');
    if (right?.type !== 'call' || right.child('function')?.text !== 'range') continue;
    const args = right.child('arguments')?.namedChildren ?? [];
    if (args.length === 3 && args[2].text.replace(/\s+/g, '') === text) return true;
  }
  return false;
}

/**
 * `while count > 0: … n = min(left_in_chunk, count); end = pos + n * size; buf[pos:end] …; count -= n`:
 * a window of `n` (or `n * x`) in a `while` whose test is the counter, where the loop's body takes `n`
 * off that counter on every pass (a direct statement, no `continue`, the counter bound nowhere else in
 * the loop, `n` bound once in it before the slice): the windows add up to the counter's first value, so
 * all of them together copy what the loop counts down once (issue 13 round 16, in sample:
 * dissect-evidence `read_sectors`, estimated ≥ O(count²)).
 */
function drainsCounter(node: SyntaxNode, w: SyntaxNode): boolean {
  const e = unwrap(w);
  const factors = e.type === 'identifier' ? [e] : e.type === 'binary_operator' && e.child('operator')?.text === '*' ? [e.child('left'), e.child('right')].filter((x): x is SyntaxNode => x?.type === 'identifier') : [];
  for (const loop of node.ancestors()) {
    if (loop.type === 'function_definition' || loop.type === 'lambda') return false;
    if (loop.type === 'for_statement') return false;
    if (loop.type !== 'while_statement') continue;
    const cond = loop.child('condition');
    const body = loop.child('body');
    const counter = cond?.type === 'identifier' ? cond : cond?.type === 'comparison_operator' && cond.namedChildren.length === 2 && cond.namedChildren[1].text === '0' && ['>', '!='].includes(cond.children.find((c) => c.field === 'operators')?.text ?? '') ? cond.namedChildren[0] : null;
    if (counter?.type !== 'identifier' || !body || body.descendants().some((d) => d.type === 'continue_statement')) return false;
    const binds = (d: SyntaxNode, name: string) => (d.type === 'assignment' || d.type === 'augmented_assignment' || d.type === 'named_expression' || d.type === 'for_statement' || d.type === 'for_in_clause') && [d.child('left') ?? d.child('name')].some((l) => !!l && [l, ...l.descendants()].some((x) => x.type === 'identifier' && x.text === name));
    const counterSites = body.descendants().filter((d) => binds(d, counter.text));
    const step = counterSites.length === 1 && counterSites[0].type === 'augmented_assignment' && counterSites[0].child('operator')?.text === '-=' && counterSites[0].parent?.type === 'expression_statement' && counterSites[0].parent.parent === body && counterSites[0].startIndex > node.endIndex ? counterSites[0].child('right') : null;
    if (step?.type !== 'identifier') return false;
    const taken = factors.find((f) => f.text === step.text);
    if (!taken) return false;
    // Review 14 S3: every other factor is a literal or a name the loop never binds, and not the counter
    // (`n * count` is a window of the whole counter: the windows add up to count², not count).
    const others = e.type === 'binary_operator' ? [e.child('left'), e.child('right')].filter((x) => x !== null && !(x.startIndex === taken.startIndex && x.endIndex === taken.endIndex)) : [];
    if (others.some((o) => !(o?.type === 'integer' || (o?.type === 'identifier' && o.text !== counter.text && !body.descendants().some((d) => binds(d, o.text)))))) return false;
    const takenSites = body.descendants().filter((d) => binds(d, taken.text));
    return takenSites.length === 1 && takenSites[0].endIndex < node.startIndex;
  }
  return false;
}

/**
 * text[start:end] in a loop that moves `start` to `end` (a scanner emitting chunks): the chunks do not
 * overlap, so all of them together copy the input once.
 */
function chunked(node: SyntaxNode, slice: SyntaxNode): boolean {
  const [a, b] = slice.namedChildren;
  if (a?.type !== 'identifier' || b?.type !== 'identifier') return false;
  for (const anc of node.ancestors()) {
    if (anc.type === 'function_definition' || anc.type === 'lambda') return false;
    if (anc.type !== 'while_statement' && anc.type !== 'for_statement') continue;
    // `for pos, char in it: … text[pos:end]; consume(it, end - pos - 1)`: the loop then skips its own
    // iterator past the slice (the itertools `consume` recipe, or next() calls), so slices do not overlap.
    if (anc.type === 'for_statement') {
      const it = anc.child('right');
      const targets = [anc.child('left'), ...(anc.child('left')?.descendants() ?? [])].filter((x) => x?.type === 'identifier').map((x) => x!.text);
      if (it?.type === 'identifier' && targets.includes(a.text)) {
        const skips = [...(anc.child('body')?.descendants() ?? [])].some((c) => c.type === 'call' && (c.child('arguments')?.namedChildren ?? []).some((x) => x.text === it.text) && (c.child('arguments')?.namedChildren ?? []).some((x) => new RegExp(`\\b${b.text}\\b`).test(x.text)));
        if (skips) return true;
      }
    }
    if (anc.type === 'for_statement' && partitionsByCounter(anc, a.text, b.text)) return true;
    for (const d of anc.descendants()) {
      if (d.type !== 'assignment' || d.child('left')?.text !== a.text) continue;
      let r = d.child('right');
      while (r && r.type === 'assignment') r = r.child('left'); // start = end = end + 1
      r = r && unwrap(r);
      if (r && (r.text === b.text || (r.type === 'binary_operator' && r.child('left')?.text === b.text && r.child('operator')?.text === '+'))) return true;
    }
  }
  return false;
}

/**
 * `for i in range(k): start = base + i * size; end = base + (i + 1) * size; seq[start:end]`: slice i
 * ends where slice i + 1 starts, so the slices partition the sequence and copy it once in all
 * (issue 13 round 4: jinja2 `sync_do_slice`, judged wrong as O(n·m)).
 */
function partitionsByCounter(loop: SyntaxNode, start: string, end: string): boolean {
  const counter = loop.child('left');
  if (counter?.type !== 'identifier') return false;
  const valueOf = (name: string): string | null => {
    const found = loop.child('body')?.descendants().filter((d) => d.type === 'assignment' && d.child('left')?.text === name) ?? [];
    return found.length === 1 ? (found[0].child('right')?.text ?? '').replace(/\s+/g, '') : null;
  };
  const s = valueOf(start);
  const e = valueOf(end);
  const i = counter.text;
  return !!s && !!e && new RegExp(`\\b${i}\\b`).test(s) && e.split(`(${i}+1)`).join(i) === s;
}

function isNumber(node: SyntaxNode | null, pred: (n: number) => boolean = () => true): boolean {
  return !!node && (node.type === 'integer' || node.type === 'float') && pred(Number(node.text));
}

export const pythonAdapter: ComplexityAdapter = {
  functionTypes: FUNCTION_TYPES,
  loopTypes: new Set(['for_statement', 'while_statement', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']),
  memoizeFix,
  functionShape(node): FunctionShape | null {
    if (!FUNCTION_TYPES.has(node.type)) return null;
    if (node.type === 'lambda') {
      const parent = node.parent;
      const name = parent?.type === 'assignment' && parent.child('left')?.type === 'identifier' ? parent.child('left') : null;
      const body = node.child('body');
      return { node, name: name?.text ?? null, nameNode: name, params: paramsOf(node.child('parameters')), body: body ? [body] : [], memoized: false, className: null, selfName: null };
    }
    const nameNode = node.child('name');
    const decorated = node.parent?.type === 'decorated_definition' ? node.parent : null;
    const decorators = decorated ? decorated.namedChildren.filter((c) => c.type === 'decorator').map((d) => d.text) : [];
    const memoized = decorators.some((d) => /\b(cache|lru_cache|cached|memoize|memoized|cached_property)\b/.test(d));
    const isStatic = decorators.some((d) => /staticmethod/.test(d));
    let container: SyntaxNode | null = (decorated ?? node).parent;
    if (container?.type === 'block') container = container.parent;
    const params = paramsOf(node.child('parameters'));
    // A method analysed as its own unit has no parent in its snapshot: `self` says it is one.
    const detached = !container && !isStatic && (params[0]?.name === 'self' || params[0]?.name === 'cls');
    const className = container?.type === 'class_definition' ? container.child('name')?.text ?? null : detached ? '(class)' : null;
    const selfName = className && !isStatic && params.length > 0 ? params[0].name : null;
    return { node, name: nameNode?.text ?? null, nameNode, params, body: stmts(node.child('body')), memoized, className, selfName };
  },

  statements: stmts,

  classify(node): Construct | null {
    switch (node.type) {
      case 'function_definition':
      case 'lambda':
      case 'class_definition':
      case 'decorated_definition':
        return { kind: 'function' };
      case 'for_statement': {
        const right = node.child('right');
        if (!right) return null;
        const elseClause = node.child('alternative');
        return {
          kind: 'loop',
          node,
          header: { startIndex: node.startIndex, endIndex: right.endIndex },
          iter: right,
          targets: identifiersIn(node.child('left')),
          body: stmts(node.child('body')),
          pre: elseClause ? stmts(elseClause.child('body')) : [],
        };
      }
      case 'while_statement': {
        const cond = node.child('condition');
        return { kind: 'while', node, header: { startIndex: node.startIndex, endIndex: cond?.endIndex ?? node.startIndex + 5 }, cond, body: stmts(node.child('body')) };
      }
      case 'if_statement': {
        const cond: SyntaxNode[] = [];
        const alts: SyntaxNode[][] = [];
        const c = node.child('condition');
        if (c) cond.push(c);
        alts.push(stmts(node.child('consequence')));
        let exhaustive = false;
        for (const alt of node.childrenIn('alternative')) {
          if (alt.type === 'elif_clause') {
            const ec = alt.child('condition');
            if (ec) cond.push(ec);
            alts.push(stmts(alt.child('consequence')));
          } else if (alt.type === 'else_clause') {
            alts.push(stmts(alt.child('body')));
            exhaustive = true;
          }
        }
        return { kind: 'branch', cond, alts, exhaustive };
      }
      case 'conditional_expression': {
        const [a, c, b] = node.namedChildren;
        if (!a || !c || !b) return null;
        return { kind: 'branch', cond: [c], alts: [[a], [b]], exhaustive: true };
      }
      case 'return_statement':
      case 'raise_statement':
        return { kind: 'exit', scope: 'function', values: node.namedChildren };
      case 'break_statement':
        return { kind: 'exit', scope: 'loop', values: [] };
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression': {
        const clauses: { iter: SyntaxNode; targets: string[]; header: SyntaxNode }[] = [];
        const rest: SyntaxNode[] = [];
        for (const c of node.namedChildren) {
          if (c.type === 'for_in_clause') {
            const right = c.child('right');
            if (right) clauses.push({ iter: right, targets: identifiersIn(c.child('left')), header: c });
          } else if (c.type === 'if_clause') rest.push(...c.namedChildren);
          else if (c.type !== 'comment') rest.push(c);
        }
        if (clauses.length === 0) return null;
        return { kind: 'comprehension', node, clauses, rest };
      }
      case 'comparison_operator': {
        const ops = node.children.filter((c) => c.field === 'operators').map((c) => c.text.replace(/\s+/g, ' '));
        const operands = node.namedChildren;
        if (ops.length === 1 && (ops[0] === 'in' || ops[0] === 'not in') && operands.length === 2) return { kind: 'member', node, coll: operands[1], rest: operands };
        return null;
      }
      case 'subscript': {
        const value = node.child('value');
        const sub = node.childrenIn('subscript');
        const slice = sub.find((s) => s.type === 'slice');
        if (value && slice) {
          const w = sliceWindow(slice);
          if (w === 'small') return null;
          const label = `\`${oneLine(node.text, 30)}\` (slice copy)`;
          if (w && (steppedBy(node, w) || drainsCounter(node, w))) return null;
          if (!w && chunked(node, slice)) return null;
          if (w) return { kind: 'op', node, cost: 'linear', of: w, value: true, label, rest: [value, ...sub] };
          return { kind: 'op', node, cost: 'linear', of: value, label, rest: [value, ...sub] };
        }
        return null;
      }
      case 'binary_operator': {
        const op = node.child('operator')?.text;
        const left = node.child('left');
        const right = node.child('right');
        if (!left || !right) return null;
        if (op === '+') return { kind: 'concat', node, operands: [left, right], rest: [left, right] };
        if (op === '*' && (unwrap(left).type === 'list' || unwrap(right).type === 'list')) return { kind: 'op', node, cost: 'linear', of: node, label: `\`${node.text}\` (builds a list)`, rest: [left, right] };
        return null;
      }
      case 'call':
        return classifyCall(node);
    }
    return null;
  },

  sizeRef(node): SizeRef {
    const n = unwrap(node);
    switch (n.type) {
      case 'identifier':
        return { t: 'name', name: n.text, node: n };
      case 'string':
      case 'concatenated_string':
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
        return { t: 'const' };
      case 'list':
      case 'tuple':
      case 'set':
      case 'dictionary': {
        const splats = n.namedChildren.filter((c) => c.type === 'list_splat' || c.type === 'dictionary_splat').map((c) => c.namedChildren[0]).filter(Boolean);
        return splats.length ? { t: 'sum', nodes: splats } : { t: 'const' };
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression': {
        const clause = n.namedChildren.find((c) => c.type === 'for_in_clause');
        const right = clause?.child('right');
        return right ? { t: 'same', node: right } : { t: 'unknown', text: n.text, node: n };
      }
      case 'call': {
        const c = callName(n);
        const args = argsOf(n).filter((a) => a.name === null).map((a) => a.node);
        if (!c) return { t: 'unknown', text: n.text, node: n };
        if (!c.object) {
          // range(stop), range(start, stop): as many steps as stop; range(start, stop, -k) counts down from start.
          if (c.name === 'range') return args.length === 0 ? { t: 'const' } : { t: 'value', node: args.length === 1 ? args[0] : args.length === 3 && /^-\s*\d/.test(args[2].text) ? args[0] : args[1] };
          if (['sorted', 'list', 'set', 'tuple', 'reversed', 'enumerate', 'frozenset', 'deque', 'Counter', 'dict', 'iter', 'zip', 'OrderedDict'].includes(c.name)) return args[0] ? { t: 'same', node: args[0] } : { t: 'const' };
          if (c.name === 'map' || c.name === 'filter') return args[1] ? { t: 'same', node: args[1] } : { t: 'unknown', text: n.text, node: n };
          return { t: 'result', callee: c.name, viaSelf: false, args, text: n.text };
        }
        if (['keys', 'values', 'items', 'copy', 'split', 'splitlines', 'strip', 'lower', 'upper', 'most_common', 'elements'].includes(c.name)) return { t: 'same', node: c.object };
        if (c.name === 'join' && args[0]) return { t: 'same', node: args[0] };
        if (c.object.type === 'identifier' && c.object.text === 'self') return { t: 'result', callee: c.name, viaSelf: true, args, text: n.text };
        return { t: 'unknown', text: n.text, node: n };
      }
      case 'subscript': {
        const value = n.child('value');
        const slice = n.childrenIn('subscript').find((s) => s.type === 'slice');
        if (value && slice) {
          const w = sliceWindow(slice);
          if (!w && chunked(n, slice)) return { t: 'elem', text: n.text };
          return w === 'small' ? { t: 'const' } : w ? { t: 'value', node: w } : { t: 'same', node: value };
        }
        return { t: 'elem', text: n.text };
      }
      case 'attribute': {
        const obj = n.child('object');
        if (obj && obj.type === 'identifier' && obj.text === 'self') return { t: 'attr', text: n.text };
        return { t: 'elem', text: n.text };
      }
      case 'binary_operator': {
        const op = n.child('operator')?.text;
        const left = n.child('left');
        const right = n.child('right');
        if (!left || !right) return { t: 'unknown', text: n.text, node: n };
        if (op === '+') return { t: 'sum', nodes: [left, right] };
        if (op === '*') {
          if (unwrap(left).type === 'list' || unwrap(left).type === 'string') return { t: 'value', node: right };
          if (unwrap(right).type === 'list' || unwrap(right).type === 'string') return { t: 'value', node: left };
        }
        if (op === '|' || op === '&' || op === '-') return { t: 'same', node: left };
        return { t: 'unknown', text: n.text, node: n };
      }
      case 'conditional_expression': {
        const [a, , b] = n.namedChildren;
        return a && b ? { t: 'sum', nodes: [a, b] } : { t: 'unknown', text: n.text, node: n };
      }
      case 'boolean_operator': {
        // `xs or []`, `platforms or platform_tags()`: one of the two (a parameter's default).
        const left = n.child('left');
        const right = n.child('right');
        if (n.child('operator')?.text === 'or' && left && right) return { t: 'sum', nodes: [left, right] };
        return { t: 'unknown', text: n.text, node: n };
      }
    }
    return { t: 'unknown', text: n.text, node: n };
  },

  valueRef(node): SizeRef {
    const n = unwrap(node);
    switch (n.type) {
      case 'identifier':
        return { t: 'name', name: n.text, node: n };
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
        return { t: 'const' };
      case 'unary_operator':
        return n.namedChildren[0] ? this.valueRef(n.namedChildren[0]) : { t: 'const' };
      case 'call': {
        const c = callName(n);
        const args = argsOf(n).map((a) => a.node);
        if (c && !c.object && c.name === 'len' && args[0]) return { t: 'len', node: args[0] };
        if (c && !c.object && (c.name === 'int' || c.name === 'abs' || c.name === 'round') && args[0]) return this.valueRef(args[0]);
        // min(4, len(xs)) is at most the literal: a constant (analysis/sizeVerdict.ts minOfSmallLiteral).
        if (c && !c.object && c.name === 'min' && minOfSmallLiteral(args, 'integer')) return { t: 'const' };
        if (c && !c.object && (c.name === 'max' || c.name === 'min') && args.length >= 2) return { t: 'sum', nodes: args };
        return { t: 'unknown', text: n.text, node: n };
      }
      case 'binary_operator': {
        const op = n.child('operator')?.text;
        const left = n.child('left');
        const right = n.child('right');
        if (!left || !right) return { t: 'unknown', text: n.text, node: n };
        if (op === '+' || op === '-') return { t: 'sum', nodes: [left, right] };
        if (op === '*') return { t: 'product', nodes: [left, right] };
        if (op === '//' || op === '/' || op === '>>') return this.valueRef(left);
        if (op === '%') return this.valueRef(right);
        return { t: 'unknown', text: n.text, node: n };
      }
      case 'attribute': {
        const obj = n.child('object');
        if (obj && obj.type === 'identifier' && obj.text === 'self') return { t: 'attr', text: n.text };
        return { t: 'elem', text: n.text };
      }
      case 'subscript':
        return { t: 'elem', text: n.text };
    }
    return { t: 'unknown', text: n.text, node: n };
  },

  kindOf(node): ValueKind {
    const n = unwrap(node);
    if (COMPREHENSIONS.has(n.type)) return n.type === 'set_comprehension' ? 'set' : n.type === 'dictionary_comprehension' ? 'dict' : n.type === 'generator_expression' ? 'unknown' : 'list';
    if (n.type === 'call') {
      const c = callName(n);
      if (c?.object && (c.name === 'split' || c.name === 'splitlines')) return 'list';
      if (c && !c.object && (c.name === 'deque')) return 'deque';
      if (c && !c.object && (c.name === 'Counter' || c.name === 'defaultdict' || c.name === 'OrderedDict')) return 'dict';
    }
    return kindOfExpression(n);
  },

  facts(node): readonly Fact[] {
    switch (node.type) {
      case 'assignment': {
        const left = node.child('left');
        const right = node.child('right');
        if (!left) return [];
        if (left.type === 'identifier') {
          // x = x + y grows x by y.
          const r = right && unwrap(right);
          if (r?.type === 'binary_operator' && r.child('operator')?.text === '+' && unwrap(r.child('left') ?? r).text === left.text) return [{ t: 'grow', name: left.text, amount: r.child('right') }];
          return [{ t: 'assign', name: left.text, value: right }];
        }
        if ((left.type === 'pattern_list' || left.type === 'tuple_pattern') && right) {
          const names = left.namedChildren;
          const values = right.type === 'expression_list' || right.type === 'tuple' ? right.namedChildren : [];
          return names.filter((x) => x.type === 'identifier').map((x) => ({ t: 'assign' as const, name: x.text, value: values.length === names.length ? values[names.indexOf(x)] : null }));
        }
        if (left.type === 'subscript') {
          const v = left.child('value');
          // `a[j + 1] = a[j]`, `a[0] = x`: a write at a position computed by arithmetic moves items in
          // place (insertion sort); a key (`d[name] = v`) may add one.
          const index = left.childrenIn('subscript')[0];
          const positional = !!index && (index.type === 'integer' || (index.type === 'binary_operator' && /^[\w\s+\-*]+$/.test(index.text)));
          if (v?.type === 'identifier' && !positional) return [{ t: 'grow', name: v.text, amount: null }];
        }
        return [];
      }
      case 'named_expression': {
        const name = node.child('name');
        return name ? [{ t: 'assign', name: name.text, value: node.child('value') }] : [];
      }
      case 'augmented_assignment': {
        const left = node.child('left');
        const op = node.child('operator')?.text;
        if (left?.type === 'identifier' && op === '+=') return [{ t: 'grow', name: left.text, amount: node.child('right') }];
        if (left?.type === 'identifier' && op !== '-=' && op !== '//=' && op !== '>>=' && op !== '/=') return [{ t: 'assign', name: left.text, value: null }];
        return [];
      }
      case 'call': {
        const c = callName(node);
        if (!c) return [];
        const args = argsOf(node).map((a) => a.node);
        if (c.object?.type === 'identifier') {
          if (['append', 'add', 'appendleft', 'insert', 'setdefault', 'push'].includes(c.name)) return [{ t: 'grow', name: c.object.text, amount: null }];
          if (['extend', 'update'].includes(c.name)) return [{ t: 'grow', name: c.object.text, amount: args[0] ?? null }];
        }
        if ((c.name === 'heappush' || c.name === 'insort') && args[0]?.type === 'identifier') return [{ t: 'grow', name: args[0].text, amount: null }];
        return [];
      }
    }
    return NO_FACTS;
  },

  conjuncts(cond) {
    const n = unwrap(cond);
    if (n.type === 'boolean_operator') {
      if (n.child('operator')?.text !== 'and') return null;
      const l = n.child('left');
      const r = n.child('right');
      if (!l || !r) return null;
      const a = this.conjuncts(l);
      const b = this.conjuncts(r);
      return a && b ? [...a, ...b] : null;
    }
    if (n.type === 'not_operator') return null;
    return [n];
  },

  comparison(node) {
    const n = unwrap(node);
    if (n.type !== 'comparison_operator') return null;
    const ops = n.children.filter((c) => c.field === 'operators').map((c) => c.text);
    const operands = n.namedChildren;
    if (ops.length !== 1 || operands.length !== 2) return null;
    const op = ops[0];
    if (op === '<' || op === '<=' || op === '>' || op === '>=' || op === '!=' || op === '==') return { left: operands[0], op, right: operands[1] };
    return null;
  },

  truthyCollection(node) {
    const n = unwrap(node);
    if (n.type === 'identifier') return n;
    const lenArg = (x: SyntaxNode): SyntaxNode | null => {
      const u = unwrap(x);
      if (u.type !== 'call') return null;
      const c = callName(u);
      return c && !c.object && c.name === 'len' ? argsOf(u)[0]?.node ?? null : null;
    };
    return lenArg(n) ?? nonEmptyTest(this.comparison(n), lenArg, isNumber);
  },

  update(node) {
    if (node.type === 'augmented_assignment') {
      const left = node.child('left');
      const op = node.child('operator')?.text;
      const right = node.child('right');
      if (left?.type !== 'identifier') return null;
      const how = op === '+=' ? 'inc' : op === '-=' ? 'dec' : op === '//=' || op === '>>=' || op === '/=' ? 'halve' : op === '*=' || op === '<<=' ? 'double' : 'assign';
      if ((how === 'halve' || how === 'double') && !isNumber(right, (v) => (op === '>>=' || op === '<<=' ? v >= 1 : v >= 2))) return { name: left.text, how: 'assign', value: null };
      return { name: left.text, how, value: right };
    }
    if (node.type === 'assignment') {
      const left = node.child('left');
      const right = node.child('right');
      if (left?.type !== 'identifier' || !right) return null;
      const r = unwrap(right);
      if (r.type === 'binary_operator' && r.child('left')?.text === left.text) {
        const op = r.child('operator')?.text;
        const k = r.child('right');
        if (op === '+') return { name: left.text, how: 'inc', value: right };
        if (op === '-') return { name: left.text, how: 'dec', value: right };
        if ((op === '//' || op === '/') && isNumber(k, (v) => v >= 2)) return { name: left.text, how: 'halve', value: right };
        if (op === '>>' && isNumber(k, (v) => v >= 1)) return { name: left.text, how: 'halve', value: right };
        if (op === '*' && isNumber(k, (v) => v >= 2)) return { name: left.text, how: 'double', value: right };
      }
      return { name: left.text, how: 'assign', value: right };
    }
    return null;
  },

  pop(node) {
    if (node.type !== 'call') return null;
    const c = callName(node);
    if (!c) return null;
    if (c.object?.type === 'identifier' && (c.name === 'pop' || c.name === 'popleft' || c.name === 'popitem')) return c.object.text;
    if (c.name === 'heappop') {
      const a = argsOf(node)[0]?.node;
      return a?.type === 'identifier' ? a.text : null;
    }
    return null;
  },

  midpoint(node) {
    const n = unwrap(node);
    if (n.type !== 'binary_operator') return null;
    const op = n.child('operator')?.text;
    const left = n.child('left');
    const right = n.child('right');
    if (!left || !right) return null;
    if ((op === '//' && isNumber(right, (v) => v === 2)) || (op === '>>' && isNumber(right, (v) => v === 1))) {
      const sum = unwrap(left);
      if (sum.type === 'binary_operator' && sum.child('operator')?.text === '+') {
        const a = sum.child('left');
        const b = sum.child('right');
        if (a?.type === 'identifier' && b?.type === 'identifier') return [a.text, b.text];
      }
      // len(a) // 2: a midpoint of the whole range.
      const l = unwrap(left);
      if (l.type === 'call' && callName(l)?.name === 'len') {
        const arg = argsOf(l)[0]?.node;
        if (arg?.type === 'identifier') return ['0', arg.text];
      }
    }
    // lo + (hi - lo) // 2
    if (op === '+' && left.type === 'identifier') {
      const r = unwrap(right);
      if (r.type === 'binary_operator' && r.child('operator')?.text === '//') {
        const diff = unwrap(r.child('left')!);
        if (diff.type === 'binary_operator' && diff.child('operator')?.text === '-' && diff.child('right')?.text === left.text && diff.child('left')?.type === 'identifier') return [left.text, diff.child('left')!.text];
      }
    }
    return null;
  },

  argShape(node): ArgShape {
    const n = unwrap(node);
    if (n.type === 'identifier') return { t: 'name', name: n.text };
    if (n.type === 'binary_operator') {
      const left = unwrap(n.child('left') ?? n);
      const op = n.child('operator')?.text;
      if (left.type === 'identifier') {
        const right = n.child('right');
        if (op === '-' && isNumber(right)) return { t: 'arith', name: left.text, op: '-' };
        if (op === '+' && isNumber(right)) return { t: 'arith', name: left.text, op: '+' };
        if ((op === '//' || op === '/' || op === '>>') && isNumber(right, (v) => v >= 1)) return { t: 'arith', name: left.text, op: 'half' };
        return { t: 'arith', name: left.text, op: 'other' };
      }
      return { t: 'other' };
    }
    if (n.type === 'subscript') {
      const value = n.child('value');
      const slice = n.childrenIn('subscript').find((s) => s.type === 'slice');
      if (value?.type === 'identifier' && slice) {
        const parts = slice.namedChildren;
        const text = slice.text.replace(/\s+/g, '');
        if (/^(1:|:-1|-1:|2:|:-2)$/.test(text)) return { t: 'slice', name: value.text, cut: 'one' };
        if (parts.some((p) => /mid|\/\/|>>|half/.test(p.text))) return { t: 'slice', name: value.text, cut: 'mid' };
        return { t: 'slice', name: value.text, cut: 'other' };
      }
      const base = value && unwrap(value);
      if (base?.type === 'attribute' && base.child('object')?.type === 'identifier') return { t: 'part', name: base.child('object')!.text };
      if (base?.type === 'identifier') return { t: 'part', name: base.text };
      return { t: 'other' };
    }
    if (n.type === 'attribute') {
      const obj = n.child('object');
      if (obj?.type === 'identifier' && obj.text !== 'self') return { t: 'part', name: obj.text };
    }
    return { t: 'other' };
  },

  squareOf(node) {
    const n = unwrap(node);
    return n.type === 'binary_operator' ? squaredName(n) : null;
  },

  describe(kind, name) {
    return describeVariable(kind, name, (x) => `len(${x})`);
  },

  usesMemo(body) {
    // A table checked and filled in the body, whatever its name (a module-level dict included):
    // `if key in table: return table[key]` … `table[key] = value`.
    const checked = new Set<string>();
    const filled = new Set<string>();
    for (const stmt of body) {
      for (const d of stmt.descendants()) {
        if (d.type === 'identifier' && MEMO_NAME.test(d.text) && readInTest(d, stmt)) return true;
        if (d.type === 'comparison_operator' && /\bin\b/.test(d.children.filter((c) => !c.isNamed).map((c) => c.text).join(' '))) checked.add(d.namedChildren[1]?.text ?? '');
        if (d.type === 'call' && d.child('function')?.type === 'attribute' && d.child('function')!.child('attribute')?.text === 'get') checked.add(d.child('function')!.child('object')?.text ?? '');
        if (d.type === 'assignment' && d.child('left')?.type === 'subscript') filled.add(d.child('left')!.child('value')?.text ?? '');
      }
    }
    return [...checked].some((t) => MEMO_NAME.test(t)) || [...filled].some((t) => t !== '' && checked.has(t));
  },
};

function classifyCall(node: SyntaxNode): Construct | null {
  const c = callName(node);
  const argNodes = argsOf(node);
  const positional = argNodes.filter((a) => a.name === null).map((a) => a.node);
  const all = argNodes.map((a) => a.node);
  const fn = node.child('function');
  const rest = c?.object ? [c.object, ...all] : all;
  const label = (what: string) => `\`${oneLine(node.text, 30)}\` (${what})`;
  if (!c || !fn) return null;
  if (!c.object) {
    if (c.name === 'sorted' && positional[0]) return { kind: 'op', node, cost: 'nlogn', of: positional[0], label: label('sort'), rest: all };
    if ((c.name === 'max' || c.name === 'min') && positional.length === 1) return { kind: 'op', node, cost: 'linear', of: positional[0], label: label('scan'), rest: all };
    if ((c.name === 'max' || c.name === 'min') && positional.length > 1) return { kind: 'cheap', rest: all };
    if (LINEAR_BUILTINS.has(c.name)) return positional[0] ? { kind: 'op', node, cost: 'linear', of: positional[0], label: label(c.name === 'list' || c.name === 'tuple' || c.name === 'copy' || c.name === 'deepcopy' ? 'copy' : 'scan'), rest: all } : { kind: 'cheap', rest: all };
    if (LOG_FUNCTIONS.has(c.name) && positional[0]) return { kind: 'op', node, cost: 'log', of: positional[0], label: label('heap/bisect'), rest: all };
    if (CHEAP_BUILTINS.has(c.name)) return { kind: 'cheap', rest: all };
    return { kind: 'call', node, callee: c.name, viaSelf: false, args: argNodes, rest: all };
  }
  const obj = c.object;
  if (obj.type === 'identifier' && obj.text === 'self') return { kind: 'call', node, callee: c.name, viaSelf: true, args: argNodes, rest: all };
  if (obj.type === 'identifier' && (obj.text === 'heapq' || obj.text === 'bisect') && positional[0]) {
    if (c.name === 'heapify' || c.name === 'nlargest' || c.name === 'nsmallest') return { kind: 'op', node, cost: 'linear', of: positional[c.name === 'heapify' ? 0 : 1] ?? positional[0], label: label('heap'), rest: all };
    return { kind: 'op', node, cost: 'log', of: positional[0], label: label('heap/bisect'), rest: all };
  }
  if (obj.type === 'identifier' && obj.text === 'copy' && positional[0]) return { kind: 'op', node, cost: 'linear', of: positional[0], label: label('copy'), rest: all };
  if (obj.type === 'identifier' && MODULES_CHEAP.has(obj.text)) return { kind: 'cheap', rest: all };
  if (c.name === 'join' && positional[0] && (obj.type === 'string' || (obj.type === 'identifier' && !['os', 'path', 'posixpath', 'ntpath'].includes(obj.text)))) return { kind: 'op', node, cost: 'linear', of: positional[0], label: label('join'), rest };
  if (c.name === 'sort') return { kind: 'op', node, cost: 'nlogn', of: obj, label: label('sort'), rest };
  if (c.name === 'pop') {
    const a = positional[0];
    // pop(0) shifts a list; pop(key) on a dict does not, and a name does not say which.
    // A list whose length an assert caps just before the loop (assertedLength.ts, as HP102 reads it) moves at most that many items.
    const loop = obj.type === 'identifier' ? [...node.ancestors()].find((x) => x.type === 'while_statement' || x.type === 'for_statement' || FUNCTION_TYPES.has(x.type)) : undefined;
    if (a && a.type === 'integer' && Number(a.text) >= 0 && !(loop && !FUNCTION_TYPES.has(loop.type) && assertedLength(obj.text, loop) !== null)) return { kind: 'op', node, cost: 'linear', of: obj, label: label('shifts the list'), rest };
    return { kind: 'cheap', rest };
  }
  // list.insert shifts the list; a method of another class named insert (a Tk Listbox, a tree)
  // does not: count it on a known list, or as the front insert `x.insert(0, …)`.
  if (c.name === 'insert') {
    const front = positional[0]?.type === 'integer' && positional[0].text === '0';
    return { kind: 'op', node, cost: 'linear', of: obj, label: label('shifts the list'), rest, ...(front ? {} : { kinds: ['list', 'deque'] as ValueKind[] }) };
  }
  if (c.name === 'extend' || c.name === 'update' || c.name === 'union' || c.name === 'intersection' || c.name === 'difference') return positional[0] ? { kind: 'op', node, cost: 'linear', of: positional[0], label: label(c.name), rest } : { kind: 'cheap', rest };
  if (c.name === 'copy' && positional.length === 0) return { kind: 'op', node, cost: 'linear', of: obj, label: label('copy'), rest, kinds: ['list', 'dict', 'set', 'deque', 'map', 'tuple'] };
  if (LINEAR_METHODS.has(c.name)) return { kind: 'op', node, cost: 'linear', of: obj, label: label(c.name === 'copy' ? 'copy' : 'scan'), rest };
  if (CHEAP_METHODS.has(c.name)) return { kind: 'cheap', rest };
  return { kind: 'call', node, callee: c.full, viaSelf: false, args: argNodes, rest };
}
