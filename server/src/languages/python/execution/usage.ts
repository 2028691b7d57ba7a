// What a Python function's body says about its parameters (execution/usage.ts has the solver):
// `len(xs)`, `for x in xs`, `xs[i]`, `xs.append(y)`, `d.items()`, `n - 1`, `s.upper()`,
// `order["customer"]` (a dict with that key), `user.id` (an object with that attribute). Calls to
// other top-level functions of the module pass what their parameters need back to the arguments.
// A parameter the function only passes on takes the type the callee's parameter declares or
// implies: a function or class of the project (another module's too, when a PythonProject is
// given; followed MAX_DEPTH calls deep), `isinstance(x, str)`, a compiled pattern's `.match(x)`;
// one only formatted into text (f-string, str(), %) is any value (a string is built).

import type { SyntaxNode } from '../../../parsing';
import { inferredParams, UsageFacts, type Hint } from '../../../execution/usage';
import type { InferredParam } from '../../../execution/language';
import { parseType, TypeSyntaxError, type TypeSpec } from '../../../execution/typespec';
import { params as declaredParams } from './extract';
import { pythonNamedTypes } from './named';
import type { PythonProject } from './project';
import { pythonTypes } from './types';

const STR_METHODS = new Set(['upper', 'lower', 'strip', 'lstrip', 'rstrip', 'split', 'rsplit', 'startswith', 'endswith', 'replace', 'find', 'rfind', 'isdigit', 'isalpha', 'isalnum', 'isspace', 'isupper', 'islower', 'format', 'encode', 'title', 'capitalize', 'splitlines', 'partition', 'rpartition', 'zfill', 'casefold', 'center', 'ljust', 'rjust', 'swapcase', 'translate', 'expandtabs', 'isnumeric', 'isdecimal', 'isidentifier', 'removeprefix', 'removesuffix']);
const LIST_METHODS = new Set(['append', 'extend', 'insert', 'pop', 'sort', 'reverse', 'index', 'count', 'clear', 'remove', 'popleft', 'appendleft', 'extendleft', 'rotate']);
const DICT_METHODS = new Set(['items', 'keys', 'values', 'get', 'setdefault', 'update', 'popitem']);
const SET_METHODS = new Set(['add', 'discard', 'union', 'intersection', 'difference', 'symmetric_difference', 'issubset', 'issuperset', 'isdisjoint', 'intersection_update', 'difference_update']);
/** Builtins that iterate their argument and return a collection of its elements. */
const COPIES = new Set(['list', 'tuple', 'sorted', 'reversed', 'iter', 'deque', 'set', 'frozenset']);
const ITERATES = new Set(['sum', 'max', 'min', 'any', 'all', 'next', 'Counter', 'heapify', 'OrderedDict']);
/** Calls into other modules followed for a parameter only passed on (fn → callee → its callee). */
const MAX_DEPTH = 3;
/** Methods of a compiled pattern, and functions of `re`, whose string argument is the text searched. */
const PATTERN_METHODS = new Set(['match', 'search', 'fullmatch', 'findall', 'finditer', 'split', 'sub', 'subn']);
/** What `isinstance(x, T)` builds for x (the first of a tuple of types that is one of these). */
const ISINSTANCE: Record<string, TypeSpec> = {
  str: { k: 'str' },
  int: { k: 'int' },
  float: { k: 'float' },
  bool: { k: 'bool' },
  list: { k: 'list', of: { k: 'int' } },
  dict: { k: 'dict', key: { k: 'int' }, value: { k: 'int' } },
  set: { k: 'set', of: { k: 'int' } },
};

/**
 * Each parameter's type as a callee's definition has it (a class: its __init__'s, without self):
 * declared (annotation), else implied by its uses; `names`: the positional parameters in order.
 */
const calleeTypes = new WeakMap<SyntaxNode, Map<string, Map<string, TypeSpec>>>();
export function parameterTypes(def: SyntaxNode, root: SyntaxNode, project: PythonProject | undefined, depth: number): { names: string[]; types: Map<string, TypeSpec> } {
  // A class: its __init__ (without self).
  let fn: SyntaxNode | undefined = def;
  if (def.type === 'class_definition') {
    fn = def.child('body')?.namedChildren.map((c) => (c.type === 'decorated_definition' ? c.child('definition') : c)).find((c) => c?.type === 'function_definition' && c.child('name')?.text === '__init__') ?? undefined;
    if (!fn) return { names: [], types: new Map() };
  }
  const ps = declaredParams(fn).filter((p) => !p.keywordOnly);
  const names = ps.map((p) => p.name);
  const key = `${depth}${project ? '+' : ''}`;
  let byDepth = calleeTypes.get(fn);
  if (!byDepth) calleeTypes.set(fn, (byDepth = new Map()));
  let types = byDepth.get(key);
  if (types) return { names, types };
  types = new Map();
  byDepth.set(key, types); // a cycle of calls sees it empty
  const resolver = pythonNamedTypes(root);
  const inferred = depth < MAX_DEPTH ? inferredParams(pythonUsage(fn, root, project, depth + 1)) : new Map<string, InferredParam>();
  for (const p of declaredParams(fn)) {
    let t: TypeSpec | undefined;
    if (p.annotation) {
      try {
        t = parseType(p.annotation, pythonTypes, resolver);
      } catch (e) {
        if (!(e instanceof TypeSyntaxError)) throw e;
      }
    }
    t ??= inferred.get(p.name)?.type;
    if (t) types.set(p.name, t);
  }
  return { names, types };
}

export interface UsageResult {
  facts: UsageFacts;
  /** The variable of each parameter, by name. */
  vars: Map<string, string>;
}

/**
 * Facts about the parameters of `fn`, following calls into the module's other top-level functions
 * (and, with `project`, into the project's other modules, `depth` calls deep so far).
 */
export function pythonUsage(fn: SyntaxNode, root: SyntaxNode, project?: PythonProject, depth = 0): UsageResult {
  const facts = new UsageFacts();
  const functions = new Map<string, SyntaxNode>();
  const classes = new Map<string, SyntaxNode>();
  /** Names bound by the module's imports of the project's own modules, and those bound to `re.compile(…)`. */
  const imported = new Set<string>();
  const patterns = new Set<string>();
  for (const top of root.namedChildren) {
    const def = top.type === 'decorated_definition' ? top.child('definition') : top;
    if (def?.type === 'function_definition') functions.set(def.child('name')!.text, def);
    if (def?.type === 'class_definition') classes.set(def.child('name')!.text, def);
    if (top.type === 'import_statement' || (top.type === 'import_from_statement' && project?.owns(top.child('module_name')?.text ?? ''))) {
      for (const n of top.childrenIn('name')) if (top.type === 'import_from_statement' || project?.owns(n.type === 'aliased_import' ? n.child('name')!.text : n.text)) imported.add(n.type === 'aliased_import' ? n.child('alias')!.text : top.type === 'import_statement' ? n.text.split('.')[0] : n.text);
    }
    const a = top.type === 'expression_statement' ? top.namedChildren[0] : undefined;
    const right = a?.type === 'assignment' ? a.child('right') : undefined;
    // re.compile(…), or a wrapper module's compile (regex.compile, the project's own): a pattern.
    if (right?.type === 'call' && /^(\w+\.)?compile$/.test(right.child('function')?.text ?? '') && a!.child('left')?.type === 'identifier') patterns.add(a!.child('left')!.text);
  }
  /** A function or class outside the module's own functions: the module's classes, then the project's. */
  const definitionOf = (name: string, kind: 'function' | 'class'): { node: SyntaxNode; root: SyntaxNode } | undefined => {
    if (kind === 'class' && classes.has(name)) return { node: classes.get(name)!, root };
    if (kind === 'function' && functions.has(name)) return { node: functions.get(name)!, root };
    return project?.definition(name, kind);
  };
  const done = new Set<SyntaxNode>();
  let fresh = 0;
  const tmp = () => `~${fresh++}`;

  const paramsOf = (def: SyntaxNode): string[] => {
    const out: string[] = [];
    for (const p of def.child('parameters')?.namedChildren ?? []) {
      const name = p.type === 'identifier' ? p.text : (p.child('name') ?? p.namedChildren.find((c) => c.type === 'identifier'))?.text;
      if (name) out.push(name);
    }
    return out;
  };

  const analyse = (def: SyntaxNode): void => {
    if (done.has(def) || done.size > 40) return;
    done.add(def);
    const scope = def.child('name')!.text;
    const v = (name: string) => `${scope}:${name}`;
    const lit = (h: Hint, because?: string) => {
      const t = tmp();
      facts.hint(t, h, because);
      return t;
    };
    const str = (n: SyntaxNode) => (n.type === 'string' && !n.text.startsWith('f') ? n.text.replace(/^[rbuRBU]*("""|'''|"|')/, '').replace(/("""|'''|"|')$/, '') : undefined);

    const bindTarget = (target: SyntaxNode, value: string): void => {
      if (target.type === 'identifier') facts.same(v(target.text), value);
      else if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'tuple' || target.type === 'list_pattern') {
        target.namedChildren.forEach((t, i) => bindTarget(t, facts.item(value, i)));
      } else if (target.type === 'subscript' || target.type === 'attribute') facts.same(expr(target), value);
    };

    const call = (node: SyntaxNode): string => {
      const f = node.child('function')!;
      const argNode = node.child('arguments');
      // f(x for x in xs): the generator expression is the argument list itself.
      const args = argNode?.type === 'generator_expression' ? [argNode] : (argNode?.namedChildren ?? []).filter((a) => a.type !== 'comment');
      const positional = args.filter((a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat');
      const argVars = () => positional.map((a) => expr(a));
      /** The arguments take the types the callee's parameters have (`vs`: the positional ones' variables, when already walked). */
      const given = (callee: string, sig: { names: string[]; types: Map<string, TypeSpec> }, vs?: string[], local = false): void => {
        const splat = args.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat');
        const xs = vs ?? argVars();
        xs.forEach((x, i) => {
          const t = splat ? undefined : sig.types.get(sig.names[i]);
          if (t) facts.given(x, t, `passed to ${callee}()`);
          else if (!local) facts.hint(x, 'passed');
        });
        for (const a of args) {
          const value = a.type === 'keyword_argument' ? a.child('value') : undefined;
          const t = value?.type === 'identifier' ? sig.types.get(a.child('name')!.text) : undefined;
          if (t) facts.given(expr(value!), t, `passed to ${callee}()`);
        }
      };
      for (const a of args) if (a.type === 'keyword_argument') {
        const value = a.child('value');
        // key=lambda x: …: x is an element of the first argument.
        if (value?.type === 'lambda' && a.child('name')?.text === 'key' && positional[0]) {
          const lp = value.child('parameters')?.namedChildren[0];
          const coll = expr(positional[0]);
          if (lp?.type === 'identifier') facts.same(v(lp.text), facts.elem(coll));
          expr(value.child('body')!);
        } else if (value) expr(value);
      }
      if (f.type === 'identifier') {
        const name = f.text;
        if (name === 'len' && positional[0]) {
          facts.hint(expr(positional[0]), 'sized', `len(${positional[0].text})`);
          return lit('int');
        }
        if (name === 'range') {
          for (const a of argVars()) {
            facts.hint(a, 'int', 'range()');
            facts.bound(a);
          }
          const r = lit('list');
          facts.hint(facts.elem(r), 'int');
          return r;
        }
        if (name === 'enumerate' && positional[0]) {
          const coll = expr(positional[0]);
          facts.hint(coll, 'iter', `enumerate(${positional[0].text})`);
          const r = lit('list');
          facts.hint(facts.item(facts.elem(r), 0), 'int');
          facts.same(facts.item(facts.elem(r), 1), facts.elem(coll));
          return r;
        }
        if (name === 'zip') {
          const r = lit('list');
          argVars().forEach((a, i) => {
            facts.hint(a, 'iter', 'zip()');
            facts.same(facts.item(facts.elem(r), i), facts.elem(a));
          });
          return r;
        }
        if (COPIES.has(name) && positional[0]) {
          const coll = expr(positional[0]);
          facts.hint(coll, 'iter', `${name}(${positional[0].text})`);
          const r = lit(name === 'set' || name === 'frozenset' ? 'set' : 'list');
          facts.same(facts.elem(r), facts.elem(coll));
          return r;
        }
        if (ITERATES.has(name) && positional.length === 1) {
          const coll = expr(positional[0]);
          facts.hint(coll, 'iter', `${name}(${positional[0].text})`);
          if (name === 'sum') facts.hint(facts.elem(coll), 'int');
          return facts.elem(coll);
        }
        if ((name === 'max' || name === 'min') && positional.length > 1) {
          const vs = argVars();
          for (const x of vs.slice(1)) facts.same(vs[0], x);
          return vs[0];
        }
        if (name === 'abs' || name === 'round') {
          const vs = argVars();
          if (vs[0]) facts.hint(vs[0], 'int', `${name}()`);
          return vs[0] ?? lit('int');
        }
        if (name === 'dict' && positional[0]) {
          expr(positional[0]);
          return lit('dict');
        }
        if (name === 'str' || name === 'repr' || name === 'print' || name === 'format' || name === 'ascii') {
          for (const [i, a] of argVars().entries()) facts.hint(a, 'shown', `${name}(${positional[i].text.length < 20 ? positional[i].text : '…'})`);
          return lit(name === 'print' ? 'bool' : 'str');
        }
        if (name === 'isinstance' && positional[1]) {
          const x = expr(positional[0]);
          const t = (positional[1].type === 'tuple' ? positional[1].namedChildren : [positional[1]]).map((c) => ISINSTANCE[c.text]).find((s) => s);
          if (t) facts.given(x, t, `isinstance(${positional[0].text.length < 20 ? positional[0].text : '…'}, ${positional[1].text.length < 30 ? positional[1].text : '…'})`);
          // isinstance(t, cls): a class (or a tuple of them), which Hotpath does not build.
          if (positional[1].type === 'identifier') facts.hint(expr(positional[1]), 'opaque', `isinstance(…, ${positional[1].text})`);
          return lit('bool');
        }
        if (name === 'int' || name === 'float' || name === 'str' || name === 'bool' || name === 'repr' || name === 'print' || name === 'isinstance' || name === 'hash' || name === 'id' || name === 'type') {
          argVars();
          return lit(name === 'int' ? 'int' : name === 'float' ? 'float' : name === 'str' || name === 'repr' ? 'str' : name === 'bool' || name === 'isinstance' ? 'bool' : 'int');
        }
        const target = functions.get(name);
        if (target) {
          analyse(target);
          // A top-level function: its first parameter takes the first argument, whatever its name (`cls` is no classmethod's here).
          const ps = paramsOf(target);
          const vs = argVars();
          vs.forEach((a, i) => {
            if (ps[i]) facts.same(`${name}:${ps[i]}`, a);
          });
          for (const a of args) if (a.type === 'keyword_argument' && ps.includes(a.child('name')!.text)) facts.same(`${name}:${a.child('name')!.text}`, expr(a.child('value')!));
          // What the callee declares (its uses are in these facts already).
          given(name, parameterTypes(target, root, undefined, MAX_DEPTH), vs, true);
          return `${name}:__return__`;
        }
        // A class of the module or the project, or a function of another module of the project.
        const outside = name !== fn.child('name')?.text && !fnParams.has(name) ? (/^[A-Z]/.test(name) ? definitionOf(name, 'class') : undefined) ?? (imported.has(name) ? definitionOf(name, 'function') : undefined) : undefined;
        if (outside) {
          given(name, parameterTypes(outside.node, outside.root, project, depth));
          return tmp();
        }
        // A parameter called as a function.
        const callee = v(name);
        const passed = argVars();
        if (fnParams.has(name)) {
          facts.hint(callee, 'call', `${name}()`);
          return facts.result(callee);
        }
        for (const a of passed) facts.hint(a, 'passed');
        return tmp();
      }
      if (f.type === 'attribute') {
        const method = f.child('attribute')!.text;
        const objNode = f.child('object')!;
        // heapq.heappush(h, x), bisect.bisect_left(a, x): module functions on a list.
        if (objNode.type === 'identifier' && (objNode.text === 'heapq' || objNode.text === 'bisect')) {
          const vs = argVars();
          if (vs[0]) {
            facts.hint(vs[0], 'list', `${objNode.text}.${method}()`);
            if (vs[1]) facts.same(facts.elem(vs[0]), vs[1]);
            return method.startsWith('bisect') || method.startsWith('insort') ? lit('int') : facts.elem(vs[0]);
          }
          return tmp();
        }
        if (objNode.type === 'identifier' && ((objNode.text === 're' && PATTERN_METHODS.has(method)) || (patterns.has(objNode.text) && PATTERN_METHODS.has(method)))) {
          // re.match(p, s), PATTERN.match(s): strings (sub's replacement and text too).
          const vs = argVars();
          const texts = objNode.text === 're' ? (method === 'sub' || method === 'subn' ? [0, 1, 2] : [0, 1]) : method === 'sub' || method === 'subn' ? [0, 1] : [0];
          for (const i of texts) if (vs[i]) facts.given(vs[i], { k: 'str' }, `${objNode.text}.${method}(${positional[i].text.length < 20 ? positional[i].text : '…'})`);
          return method === 'findall' || method === 'split' ? lit('list') : tmp();
        }
        // utils.walk(x), nx.complement(G), nx.utils.zipf_rv(…): a function of another module of the project.
        let base = objNode;
        while (base.type === 'attribute') base = base.child('object')!;
        if (base.type === 'identifier' && imported.has(base.text) && project && !fnParams.has(base.text)) {
          const outside = /^[A-Z]/.test(method) ? definitionOf(method, 'class') : project.definition(method, 'function');
          if (outside) {
            given(`${objNode.text}.${method}`, parameterTypes(outside.node, outside.root, project, depth));
            return tmp();
          }
        }
        if (objNode.type === 'identifier' && (objNode.text === 'math' || objNode.text === 'itertools' || objNode.text === 'functools' || objNode.text === 'collections' || objNode.text === 'copy' || objNode.text === 'random' || objNode.text === 'os' || objNode.text === 're' || objNode.text === 'operator' || objNode.text === 'string')) {
          const vs = argVars();
          if (objNode.text === 'math') for (const a of vs) facts.hint(a, 'int', `math.${method}()`);
          if (objNode.text === 'copy' && vs[0]) return vs[0];
          return tmp();
        }
        if (objNode.type === 'string') {
          // ", ".join(words): the argument is an iterable of strings.
          const vs = argVars();
          if (method === 'format') vs.forEach((a, i) => facts.hint(a, 'shown', `"…".format(${positional[i].text.length < 20 ? positional[i].text : '…'})`));
          if (method === 'join' && vs[0]) {
            facts.hint(vs[0], 'iter', 'str.join()');
            facts.hint(facts.elem(vs[0]), 'str', 'str.join()');
          }
          return lit('str');
        }
        const obj = expr(objNode);
        const vs = argVars();
        const because = `.${method}()`;
        if (STR_METHODS.has(method)) {
          facts.hint(obj, 'str', because);
          if (method === 'split' || method === 'rsplit' || method === 'splitlines') {
            const r = lit('list');
            facts.hint(facts.elem(r), 'str');
            return r;
          }
          if (method === 'join' && vs[0]) {
            facts.hint(vs[0], 'iter', because);
            facts.hint(facts.elem(vs[0]), 'str');
          }
          return method.startsWith('is') || method.endsWith('with') ? lit('bool') : method === 'find' || method === 'rfind' ? lit('int') : obj;
        }
        if (LIST_METHODS.has(method)) {
          facts.hint(obj, 'list', because);
          if ((method === 'append' || method === 'appendleft' || method === 'remove') && vs[0]) facts.same(facts.elem(obj), vs[0]);
          if (method === 'insert' && vs[1]) facts.same(facts.elem(obj), vs[1]);
          if ((method === 'extend' || method === 'extendleft') && vs[0]) {
            facts.hint(vs[0], 'iter');
            facts.same(facts.elem(obj), facts.elem(vs[0]));
          }
          if (method === 'pop' || method === 'popleft') {
            if (vs[0]) facts.hint(vs[0], 'int');
            return facts.elem(obj);
          }
          if (method === 'index' || method === 'count') return lit('int');
          return tmp();
        }
        if (DICT_METHODS.has(method)) {
          facts.hint(obj, 'dict', because);
          if (method === 'items') {
            const r = lit('list');
            facts.same(facts.item(facts.elem(r), 0), facts.key(obj));
            facts.same(facts.item(facts.elem(r), 1), facts.value(obj));
            return r;
          }
          if (method === 'keys' || method === 'values') {
            const r = lit('list');
            facts.same(facts.elem(r), method === 'keys' ? facts.key(obj) : facts.value(obj));
            return r;
          }
          if ((method === 'get' || method === 'setdefault') && vs[0]) {
            facts.same(facts.key(obj), vs[0]);
            if (vs[1]) facts.same(facts.value(obj), vs[1]);
            return facts.value(obj);
          }
          return tmp();
        }
        if (SET_METHODS.has(method)) {
          facts.hint(obj, 'set', because);
          if ((method === 'add' || method === 'discard') && vs[0]) facts.same(facts.elem(obj), vs[0]);
          return method.startsWith('is') ? lit('bool') : obj;
        }
        if (method === 'copy') return obj;
        // A method Hotpath does not know: the object is something it cannot build.
        facts.hint(obj, 'opaque', because);
        for (const a of vs) facts.hint(a, 'passed');
        return tmp();
      }
      expr(f);
      argVars();
      return tmp();
    };

    const comprehension = (node: SyntaxNode): string => {
      for (const c of node.namedChildren) {
        if (c.type === 'for_in_clause') {
          const coll = expr(c.child('right')!);
          facts.hint(coll, 'iter', `for … in ${c.child('right')!.text}`);
          bindTarget(c.child('left')!, facts.elem(coll));
        }
      }
      for (const c of node.namedChildren) if (c.type === 'if_clause') for (const x of c.namedChildren) truthy(x);
      const body = node.child('body');
      const r = lit(node.type === 'set_comprehension' ? 'set' : node.type === 'dictionary_comprehension' ? 'dict' : 'list');
      if (body?.type === 'pair') {
        facts.same(facts.key(r), expr(body.child('key')!));
        facts.same(facts.value(r), expr(body.child('value')!));
      } else if (body) facts.same(facts.elem(r), expr(body));
      return r;
    };

    const truthy = (node: SyntaxNode): void => {
      const x = expr(node);
      if (node.type === 'identifier') facts.hint(x, 'truthy');
    };

    const NUMERIC_OPS = new Set(['-', '*', '/', '//', '%', '**', '<<', '>>', '&', '|', '^']);
    const expr = (node: SyntaxNode): string => {
      switch (node.type) {
        case 'identifier':
          return v(node.text);
        case 'integer':
          return lit('int');
        case 'float':
          return lit('float');
        case 'true':
        case 'false':
          return lit('bool');
        case 'string':
        case 'concatenated_string':
          for (const c of node.descendants()) if (c.type === 'interpolation') for (const e of c.namedChildren) if (e.type !== 'format_specifier' && e.type !== 'type_conversion') facts.hint(expr(e), 'shown', e.text.length < 20 ? `f"{${e.text}}"` : undefined);
          return lit('str');
        case 'none':
          return tmp();
        case 'parenthesized_expression':
          return node.namedChildren[0] ? expr(node.namedChildren[0]) : tmp();
        case 'await':
          return node.namedChildren[0] ? expr(node.namedChildren[0]) : tmp();
        case 'attribute': {
          const obj = expr(node.child('object')!);
          return facts.field(obj, node.child('attribute')!.text, true);
        }
        case 'subscript': {
          const obj = expr(node.child('value')!);
          const index = node.child('subscript');
          if (!index) return tmp();
          if (index.type === 'slice') {
            for (const c of index.namedChildren) facts.hint(expr(c), 'int');
            facts.hint(obj, 'index', `${node.child('value')!.text}[…:…]`);
            return obj;
          }
          const key = str(index);
          if (key !== undefined) return facts.field(obj, key, false);
          const r = tmp();
          if (index.type === 'integer' || (index.type === 'unary_operator' && index.namedChildren[0]?.type === 'integer')) {
            facts.hint(obj, 'index', `${node.text}`);
            facts.same(facts.elem(obj), r);
            return r;
          }
          facts.index(obj, expr(index), r);
          return r;
        }
        case 'call':
          return call(node);
        case 'binary_operator': {
          const op = node.child('operator')?.text ?? '';
          const l = node.child('left')!;
          const r = node.child('right')!;
          const lv = expr(l);
          const rv = expr(r);
          if (op === '+') {
            const isStr = (n: SyntaxNode) => n.type === 'string' || n.type === 'concatenated_string';
            if (isStr(l) || isStr(r)) {
              facts.hint(lv, 'str', node.text.length < 40 ? node.text : undefined);
              facts.hint(rv, 'str', node.text.length < 40 ? node.text : undefined);
              return lv;
            }
            if (l.type === 'list' || r.type === 'list') {
              facts.same(lv, rv);
              return lv;
            }
            if (l.type === 'integer' || r.type === 'integer' || l.type === 'float' || r.type === 'float') {
              facts.hint(lv, 'int', node.text.length < 40 ? node.text : undefined);
              facts.hint(rv, 'int');
            }
            facts.same(lv, rv);
            return lv;
          }
          if (op === '%' && (l.type === 'string' || l.type === 'concatenated_string')) {
            for (const c of r.type === 'tuple' ? r.namedChildren : [r]) facts.hint(expr(c), 'shown', c.text.length < 20 ? `"…" % ${c.text}` : undefined);
            return lv;
          }
          if (op === '*' && (l.type === 'list' || r.type === 'list' || l.type === 'string' || r.type === 'string')) {
            facts.hint(l.type === 'list' || l.type === 'string' ? rv : lv, 'int');
            return l.type === 'list' || l.type === 'string' ? lv : rv;
          }
          if (NUMERIC_OPS.has(op)) {
            const because = node.text.length < 40 ? node.text : undefined;
            facts.hint(lv, op === '/' ? 'int' : 'int', because);
            facts.hint(rv, 'int', because);
            return op === '/' ? lit('float') : lv;
          }
          return lv;
        }
        case 'unary_operator': {
          const x = expr(node.namedChildren[0]);
          facts.hint(x, 'int');
          return x;
        }
        case 'not_operator':
          truthy(node.namedChildren[0]);
          return lit('bool');
        case 'boolean_operator': {
          const l = node.child('left')!;
          const r = node.child('right')!;
          truthy(l);
          truthy(r);
          // `x or default`: x missing is what the fallback is for.
          if (l.type === 'identifier' && node.child('operator')?.text === 'or') facts.hint(expr(l), 'fallback');
          return expr(l);
        }
        case 'comparison_operator': {
          const parts = node.namedChildren;
          const ops = node.children.filter((c) => !c.isNamed).map((c) => c.text);
          const vs = parts.map((p) => expr(p));
          for (let i = 0; i + 1 < vs.length; i++) {
            const op = ops[i] ?? '';
            const [a, b] = [parts[i], parts[i + 1]];
            if (op === 'in' || op === 'not' || op === 'not in') {
              facts.hint(vs[i + 1], 'iter', `${a.text.length < 20 ? a.text : '…'} in ${b.text.length < 20 ? b.text : '…'}`);
              facts.same(facts.elem(vs[i + 1]), vs[i]);
            } else if (op === 'is' || op === 'is not' || a.type === 'none' || b.type === 'none') {
              // identity: says nothing about the type
            } else {
              const because = node.text.length < 40 ? node.text : undefined;
              if (a.type === 'integer' || b.type === 'integer' || a.type === 'float' || b.type === 'float') {
                facts.hint(vs[i], 'int', because);
                facts.hint(vs[i + 1], 'int', because);
              }
              if (op === '<' || op === '>' || op === '<=' || op === '>=') facts.bound(vs[i]);
              facts.same(vs[i], vs[i + 1]);
            }
          }
          return lit('bool');
        }
        case 'conditional_expression': {
          const [a, c, b] = node.namedChildren;
          truthy(c);
          const av = expr(a);
          if (b) facts.same(av, expr(b));
          return av;
        }
        case 'list':
        case 'tuple':
        case 'set': {
          const r = lit(node.type === 'set' ? 'set' : node.type === 'list' ? 'list' : 'list');
          if (node.type === 'tuple') {
            // A tuple literal: items of their own.
            const t = tmp();
            node.namedChildren.forEach((c, i) => facts.same(facts.item(t, i), expr(c)));
            return t;
          }
          for (const c of node.namedChildren) {
            if (c.type === 'list_splat') {
              const inner = expr(c.namedChildren[0]);
              facts.hint(inner, 'iter');
              facts.same(facts.elem(r), facts.elem(inner));
            } else facts.same(facts.elem(r), expr(c));
          }
          return r;
        }
        case 'dictionary': {
          const r = lit('dict');
          for (const p of node.namedChildren) {
            if (p.type !== 'pair') continue;
            facts.same(facts.key(r), expr(p.child('key')!));
            facts.same(facts.value(r), expr(p.child('value')!));
          }
          return r;
        }
        case 'list_comprehension':
        case 'set_comprehension':
        case 'generator_expression':
        case 'dictionary_comprehension':
          return comprehension(node);
        case 'lambda': {
          const body = node.child('body');
          if (body) expr(body);
          return tmp();
        }
        default:
          for (const c of node.namedChildren) expr(c);
          return tmp();
      }
    };

    const statement = (node: SyntaxNode): void => {
      switch (node.type) {
        case 'expression_statement':
          for (const c of node.namedChildren) statement(c);
          return;
        case 'assignment': {
          const left = node.child('left')!;
          const right = node.child('right');
          // `x = x or other`: x is optional (a default value in all but name).
          if (left.type === 'identifier' && right?.type === 'boolean_operator' && right.child('operator')?.text === 'or' && right.child('left')?.text === left.text) facts.hint(expr(left), 'defaulted');
          if (right) bindTarget(left, expr(right));
          return;
        }
        case 'augmented_assignment': {
          const op = node.child('operator')?.text ?? '';
          const lv = expr(node.child('left')!);
          const r = node.child('right')!;
          const rv = expr(r);
          if (op === '+=') {
            if (r.type === 'string') facts.hint(lv, 'str');
            if (r.type === 'integer') facts.hint(lv, 'int');
            if (r.type === 'list') facts.same(lv, rv);
            else if (r.type !== 'string' && r.type !== 'integer') facts.same(lv, rv);
          } else {
            facts.hint(lv, 'int', node.text.length < 40 ? node.text : undefined);
            facts.hint(rv, 'int');
          }
          return;
        }
        case 'for_statement': {
          const right = node.child('right')!;
          const coll = expr(right);
          facts.hint(coll, 'iter', `for … in ${right.text.length < 30 ? right.text : '…'}`);
          bindTarget(node.child('left')!, facts.elem(coll));
          for (const c of node.namedChildren) if (c !== right && c !== node.child('left')) statement(c);
          return;
        }
        case 'while_statement':
        case 'if_statement':
        case 'elif_clause': {
          const cond = node.child('condition');
          if (cond) truthy(cond);
          for (const c of node.namedChildren) if (c !== cond) statement(c);
          return;
        }
        case 'return_statement':
          for (const c of node.namedChildren) facts.same(`${scope}:__return__`, expr(c));
          return;
        case 'function_definition':
          // A nested function: its body uses the outer names too.
          if (node.child('body')) statement(node.child('body')!);
          return;
        case 'block':
        case 'else_clause':
        case 'try_statement':
        case 'except_clause':
        case 'finally_clause':
        case 'with_statement':
        case 'decorated_definition':
          for (const c of node.namedChildren) statement(c);
          return;
        case 'with_clause':
        case 'with_item':
          for (const c of node.namedChildren) expr(c);
          return;
        case 'comment':
        case 'pass_statement':
        case 'break_statement':
        case 'continue_statement':
        case 'import_statement':
        case 'import_from_statement':
        case 'global_statement':
        case 'nonlocal_statement':
          return;
        default:
          expr(node);
      }
    };

    const fnParams = new Set(paramsOf(def));
    const body = def.child('body');
    if (body) statement(body);
  };

  analyse(fn);
  const scope = fn.child('name')!.text;
  const vars = new Map<string, string>();
  for (const p of fn.child('parameters')?.namedChildren ?? []) {
    const name = p.type === 'identifier' ? p.text : (p.child('name') ?? p.namedChildren.find((c) => c.type === 'identifier'))?.text;
    if (name) vars.set(name, `${scope}:${name}`);
  }
  return { facts, vars };
}

/** Each parameter's type from its uses, with the uses that decided it. */
export function inferParams(fn: SyntaxNode, root: SyntaxNode, project?: PythonProject): Map<string, InferredParam> {
  return inferredParams(pythonUsage(fn, root, project));
}
