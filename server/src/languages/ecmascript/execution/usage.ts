// What a JavaScript/TypeScript function's body says about its parameters (execution/usage.ts has
// the solver): `for (const x of xs)`, `xs.length`, `xs[i]`, `xs.push(y)`, `items.map(i => i.id)`,
// `n - 1`, `s.toUpperCase()`, `order.customer` (an object with that field), `m.get(k)` (a Map),
// callbacks (`load(id)`: a function). Calls to the module's other top-level functions pass what
// their parameters need back to the arguments.

import type { SyntaxNode } from '../../../parsing';
import type { ExampleContext, InferredParam } from '../../../execution/language';
import { ecmascriptProject, fileParser, topFunction, type EcmascriptProject } from './project';
import { inferredParams, UsageFacts, type Hint } from '../../../execution/usage';
import { parseType, type TypeSpec } from '../../../execution/typespec';
import { params } from './extract';
import { ecmascriptNamedTypes } from './named';
import { ecmascriptTypes } from './types';
import { isPlainFunctionExpression } from '../syntax';

const STR_METHODS = new Set(['toUpperCase', 'toLowerCase', 'trim', 'trimStart', 'trimEnd', 'split', 'startsWith', 'endsWith', 'charAt', 'charCodeAt', 'codePointAt', 'substring', 'substr', 'padStart', 'padEnd', 'repeat', 'replace', 'replaceAll', 'match', 'matchAll', 'search', 'localeCompare', 'normalize', 'toLocaleLowerCase', 'toLocaleUpperCase']);
/** Array methods whose callback's first parameter is an element. */
const CALLBACK_METHODS = new Set(['map', 'filter', 'forEach', 'find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'every', 'flatMap']);
const ARRAY_METHODS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'join', 'concat', 'flat', 'fill', 'reduce', 'reduceRight', 'toSorted', 'toReversed', 'at', 'lastIndexOf', 'entries', ...CALLBACK_METHODS]);
/** Work on arrays and strings alike: say only that the value is indexed/iterated. */
const SEQUENCE_METHODS = new Set(['includes', 'indexOf', 'slice', 'at']);
const MAP_METHODS = new Set(['get', 'set']);
const SET_METHODS = new Set(['add']);

interface Scope {
  vars: Map<string, string>;
  parent?: Scope;
}

/** What `typeof x === '…'` and `x instanceof …` build for x. */
const TYPEOF: Record<string, TypeSpec> = { string: { k: 'str' }, number: { k: 'int' }, boolean: { k: 'bool' }, function: { k: 'fn', returns: { k: 'int' } } };
const INSTANCEOF: Record<string, TypeSpec> = { Array: { k: 'list', of: { k: 'int' } }, Map: { k: 'map', key: { k: 'int' }, value: { k: 'int' } }, Set: { k: 'set', of: { k: 'int' } } };

/** Imported functions followed for a parameter only passed on (fn → callee → its callee). */
const MAX_DEPTH = 3;
const calleeTypes = new WeakMap<SyntaxNode, Map<string, Map<string, InferredParam>>>();

/**
 * Facts about the parameters of `fn`, following calls into the module's other top-level functions
 * and, with `project` (and the module's `file`), into functions it imports by relative path.
 */
export function ecmascriptUsage(fn: SyntaxNode, root: SyntaxNode, project?: EcmascriptProject, file?: string, depth = 0): { facts: UsageFacts; vars: Map<string, string> } {
  const facts = new UsageFacts();
  facts.recordsTakeBoth = true;
  const functions = new Map<string, SyntaxNode>();
  /** `import { a as b } from './m.js'`: b → (./m.js, a). */
  const imports = new Map<string, { spec: string; name: string }>();
  /** What an imported function's parameters need (inferred there, `depth` + 1), cached per definition. */
  const importedTypes = (local: string): { def: SyntaxNode; types: Map<string, InferredParam> } | undefined => {
    const imp = imports.get(local);
    if (!imp || !project || !file || depth >= MAX_DEPTH) return undefined;
    const m = project.module(imp.spec, file);
    const def = m && topFunction(m.root, imp.name);
    if (!m || !def) return undefined;
    let byDepth = calleeTypes.get(def);
    if (!byDepth) calleeTypes.set(def, (byDepth = new Map()));
    let types = byDepth.get(String(depth));
    if (!types) {
      byDepth.set(String(depth), new Map()); // a cycle of imports sees it empty
      types = inferredParams(ecmascriptUsage(def, m.root, project, m.file, depth + 1));
      // A parameter the callee declares a type for (TypeScript) needs that type, whatever its uses say.
      for (const p of params(def, [])) {
        if (!p.annotation) continue;
        try {
          types.set(p.name, { type: parseType(p.annotation, ecmascriptTypes, ecmascriptNamedTypes(m.root)), evidence: [`${p.name}: ${p.annotation}`] });
        } catch {
          // a type Hotpath does not build: the uses decide
        }
      }
      byDepth.set(String(depth), types);
    }
    return { def, types };
  };
  for (const top of root.namedChildren) {
    if (top.type === 'import_statement') {
      const spec = top.child('source')?.text.slice(1, -1);
      for (const s of top.descendants()) if (spec && s.type === 'import_specifier') imports.set((s.child('alias') ?? s.child('name'))!.text, { spec, name: s.child('name')!.text });
    }
    const d = top.type === 'export_statement' ? top.child('declaration') : top;
    if (d?.type === 'function_declaration' || d?.type === 'generator_function_declaration') functions.set(d.child('name')!.text, d);
    if (d?.type === 'lexical_declaration' || d?.type === 'variable_declaration') {
      for (const decl of d.namedChildren) {
        const value = decl.child('value');
        if (decl.type === 'variable_declarator' && decl.child('name')?.type === 'identifier' && isPlainFunctionExpression(value)) functions.set(decl.child('name')!.text, value);
      }
    }
  }
  let fresh = 0;
  const tmp = () => `~${fresh++}`;
  const lit = (h: Hint, because?: string) => {
    const t = tmp();
    facts.hint(t, h, because);
    return t;
  };
  const short = (n: SyntaxNode, max = 30) => (n.text.length <= max ? n.text : '…');
  const paramNodes = (f: SyntaxNode): SyntaxNode[] => {
    const single = f.child('parameter');
    if (single) return [single];
    return f.child('parameters')?.namedChildren.filter((p) => p.type !== 'comment') ?? [];
  };
  /** The name a parameter node binds (its pattern's identifier, defaults and types aside). */
  const paramName = (p: SyntaxNode): string | undefined => {
    const n = p.type === 'required_parameter' || p.type === 'optional_parameter' ? p.child('pattern') : p.type === 'assignment_pattern' ? p.child('left') : p;
    return n?.type === 'identifier' ? n.text : undefined;
  };
  const done = new Map<SyntaxNode, string>();

  /** Analyse a top-level function once; its parameters are `name:param`, its result `name:__return__`. */
  const analyseTop = (name: string, def: SyntaxNode): void => {
    if (done.has(def) || done.size > 40) return;
    done.set(def, name);
    const scope: Scope = { vars: new Map() };
    for (const p of paramNodes(def)) {
      const pn = paramName(p);
      if (pn) scope.vars.set(pn, `${name}:${pn}`);
    }
    body(def, scope, `${name}:__return__`, name);
  };

  const body = (f: SyntaxNode, scope: Scope, ret: string, top: string): void => {
    const lookup = (id: string): string => {
      for (let s: Scope | undefined = scope; s; s = s.parent) {
        const x = s.vars.get(id);
        if (x) return x;
      }
      return `${top}:${id}`;
    };
    const params = new Set<string>();
    for (let s: Scope | undefined = scope; s; s = s.parent) for (const [, v] of s.vars) params.add(v);

    /** A nested function: a callback whose parameters are given (elements, accumulators). */
    const nested = (g: SyntaxNode, args: string[]): string => {
      const inner: Scope = { vars: new Map(), parent: scope };
      paramNodes(g).forEach((p, i) => {
        const pn = paramName(p);
        const x = `${top}#${fresh++}:${pn ?? '?'}`;
        if (pn) inner.vars.set(pn, x);
        if (args[i]) facts.same(x, args[i]);
        else if (!pn) bind(p, x, inner);
      });
      const r = tmp();
      const b = g.child('body');
      if (b && b.type !== 'statement_block') facts.same(r, exprIn(b, inner));
      else if (b) body(g, inner, r, top);
      return r;
    };
    const exprIn = (n: SyntaxNode, s: Scope): string => {
      let out = '';
      const saved = scope;
      scope = s;
      try {
        out = expr(n);
      } finally {
        scope = saved;
      }
      return out;
    };

    /** Bind a declaration's pattern to a value: `{ a, b }` fields, `[a, b]` items. */
    const bind = (pattern: SyntaxNode, value: string, into: Scope): void => {
      if (pattern.type === 'identifier') {
        const existing = into.vars.get(pattern.text);
        if (existing) facts.same(existing, value);
        else into.vars.set(pattern.text, value);
      } else if (pattern.type === 'object_pattern') {
        for (const c of pattern.namedChildren) {
          if (c.type === 'shorthand_property_identifier_pattern') bind({ type: 'identifier', text: c.text } as SyntaxNode, facts.field(value, c.text, true), into);
          else if (c.type === 'pair_pattern' && c.child('key') && c.child('value')) bind(c.child('value')!, facts.field(value, c.child('key')!.text, true), into);
        }
      } else if (pattern.type === 'array_pattern') {
        pattern.namedChildren.forEach((c, i) => bind(c, facts.item(value, i), into));
      } else if (pattern.type === 'assignment_pattern' && pattern.child('left')) bind(pattern.child('left')!, value, into);
    };

    const isFunction = (n: SyntaxNode | undefined): boolean => isPlainFunctionExpression(n);
    /** Lodash's collection functions: `_.map(xs, (x) => …)` is `xs.map(…)`; `_.keys(o)` reads o as a dictionary. */
    const lodash = (method: string, argNodes: SyntaxNode[]): string | undefined => {
      const because = `_.${method}()`;
      if (method === 'range' || method === 'times') {
        for (const a of argNodes) if (!isFunction(a)) facts.hint(expr(a), 'int', because);
        const r = lit('list');
        facts.hint(facts.elem(r), 'int');
        return r;
      }
      if (method === 'keys' || method === 'values' || method === 'has' || method === 'mapValues' || method === 'pick' || method === 'omit' || method === 'toPairs' || method === 'forIn' || method === 'forOwn') {
        const o = expr(argNodes[0]);
        facts.hint(o, 'dict', because);
        if (method === 'has' && argNodes[1]) facts.same(facts.key(o), expr(argNodes[1]));
        if ((method === 'mapValues' || method === 'forIn' || method === 'forOwn') && isFunction(argNodes[1])) nested(argNodes[1], [facts.value(o), facts.key(o)]);
        const r = lit(method === 'has' ? 'bool' : method === 'keys' || method === 'values' || method === 'toPairs' ? 'list' : 'dict');
        if (method === 'keys') facts.same(facts.elem(r), facts.key(o));
        if (method === 'values') facts.same(facts.elem(r), facts.value(o));
        return r;
      }
      const SEQ = ['map', 'forEach', 'each', 'filter', 'find', 'some', 'every', 'reduce', 'sortBy', 'groupBy', 'keyBy', 'flatMap', 'uniqBy', 'minBy', 'maxBy', 'sumBy', 'countBy', 'partition', 'reject', 'findIndex', 'includes', 'size', 'head', 'first', 'last', 'flatten', 'uniq', 'sum', 'min', 'max', 'sortedIndex', 'zip', 'forEachRight', 'isEmpty', 'clone', 'cloneDeep', 'reverse', 'take', 'drop', 'chunk', 'union', 'intersection', 'difference', 'without', 'indexOf'];
      if (!SEQ.includes(method)) return undefined;
      const coll = expr(argNodes[0]);
      const elem = facts.elem(coll);
      facts.hint(coll, 'iter', because);
      const cb = argNodes[1];
      let res = tmp();
      if (method === 'reduce') {
        const acc = argNodes[2] ? expr(argNodes[2]) : elem;
        if (isFunction(cb)) facts.same(acc, nested(cb!, [acc, elem, lit('int'), coll]));
        return acc;
      }
      if (isFunction(cb)) res = nested(cb!, [elem, lit('int'), coll]);
      else if (cb) {
        const x = expr(cb);
        if (method === 'includes' || method === 'indexOf' || method === 'without' || method === 'sortedIndex') facts.same(elem, x);
        // _.sortBy(xs, 'field'), _.map(xs, 'field'): a property of the elements.
        if (cb.type === 'string' && cb.namedChildren.length === 1) res = facts.field(elem, cb.namedChildren[0].text, true);
      }
      if (method === 'sum' || method === 'min' || method === 'max') facts.hint(elem, 'int', because);
      if (method === 'map' || method === 'flatMap') {
        const r = lit('list');
        facts.same(facts.elem(r), res);
        return r;
      }
      if (method === 'find' || method === 'head' || method === 'first' || method === 'last' || method === 'minBy' || method === 'maxBy' || method === 'min' || method === 'max') return elem;
      if (method === 'filter' || method === 'sortBy' || method === 'uniqBy' || method === 'reject' || method === 'uniq' || method === 'clone' || method === 'cloneDeep' || method === 'reverse' || method === 'take' || method === 'drop' || method === 'without') return coll;
      if (method === 'size' || method === 'sumBy' || method === 'findIndex' || method === 'indexOf' || method === 'sum') return lit('int');
      if (method === 'some' || method === 'every' || method === 'includes' || method === 'isEmpty') return lit('bool');
      return tmp();
    };

    const call = (node: SyntaxNode): string => {
      const f = node.child('function')!;
      const argNodes = (node.child('arguments')?.namedChildren ?? []).filter((a) => a.type !== 'comment');
      if (f.type === 'member_expression') {
        const objNode = f.child('object')!;
        const method = f.child('property')!.text;
        if (objNode.type === 'identifier' && (objNode.text === 'Math' || objNode.text === 'Number')) {
          for (const a of argNodes) {
            if (a.type === 'spread_element') {
              const xs = expr(a.namedChildren[0]);
              facts.hint(xs, 'iter', `Math.${method}(...)`);
              facts.hint(facts.elem(xs), 'int');
            } else facts.hint(expr(a), 'int', `Math.${method}()`);
          }
          return lit('int');
        }
        if (objNode.type === 'identifier' && (objNode.text === '_' || objNode.text === 'lodash') && argNodes[0]) {
          const r = lodash(method, argNodes);
          if (r) return r;
        }
        if (objNode.type === 'identifier' && objNode.text === 'Object' && argNodes[0]) {
          const o = expr(argNodes[0]);
          for (const a of argNodes.slice(1)) expr(a);
          if (method === 'keys' || method === 'values' || method === 'entries') {
            facts.hint(o, 'dict', `Object.${method}()`);
            const r = lit('list');
            if (method === 'keys') facts.same(facts.elem(r), facts.key(o));
            if (method === 'values') facts.same(facts.elem(r), facts.value(o));
            if (method === 'entries') {
              facts.same(facts.item(facts.elem(r), 0), facts.key(o));
              facts.same(facts.item(facts.elem(r), 1), facts.value(o));
            }
            return r;
          }
          return tmp();
        }
        if (objNode.type === 'identifier' && (objNode.text === 'Array' || objNode.text === 'JSON' || objNode.text === 'console' || objNode.text === 'String' || objNode.text === 'Promise')) {
          const vs = argNodes.map((a) => expr(a));
          if (objNode.text === 'Array' && method === 'from' && vs[0]) {
            facts.hint(vs[0], 'iter', 'Array.from()');
            const r = lit('list');
            facts.same(facts.elem(r), facts.elem(vs[0]));
            return r;
          }
          return tmp();
        }
        const obj = expr(objNode);
        const because = `.${method}()`;
        if (STR_METHODS.has(method)) {
          facts.hint(obj, 'str', because);
          for (const a of argNodes) expr(a);
          if (method === 'split') {
            const r = lit('list');
            facts.hint(facts.elem(r), 'str');
            return r;
          }
          return method === 'startsWith' || method === 'endsWith' ? lit('bool') : method === 'charCodeAt' || method === 'codePointAt' || method === 'localeCompare' ? lit('int') : obj;
        }
        if (SEQUENCE_METHODS.has(method)) {
          const vs = argNodes.map((a) => expr(a));
          facts.hint(obj, 'iter', because);
          if ((method === 'includes' || method === 'indexOf') && vs[0]) facts.same(facts.elem(obj), vs[0]);
          if (method === 'slice') for (const a of vs) facts.hint(a, 'int');
          return method === 'includes' ? lit('bool') : method === 'indexOf' ? lit('int') : method === 'at' ? facts.elem(obj) : obj;
        }
        if (ARRAY_METHODS.has(method)) {
          facts.hint(obj, 'list', because);
          const elem = facts.elem(obj);
          if (CALLBACK_METHODS.has(method)) {
            const cb = argNodes[0];
            const res = isPlainFunctionExpression(cb) ? nested(cb, [elem, lit('int'), obj]) : cb ? expr(cb) : tmp();
            if (method === 'map' || method === 'flatMap') {
              const r = lit('list');
              facts.same(facts.elem(r), res);
              return r;
            }
            if (method === 'filter') return obj;
            if (method === 'find' || method === 'findLast') return elem;
            return lit(method === 'some' || method === 'every' ? 'bool' : 'int');
          }
          if (method === 'reduce' || method === 'reduceRight') {
            const acc = argNodes[1] ? expr(argNodes[1]) : elem;
            const cb = argNodes[0];
            if (isPlainFunctionExpression(cb)) facts.same(acc, nested(cb, [acc, elem, lit('int'), obj]));
            return acc;
          }
          const vs = argNodes.map((a) => (a.type === 'spread_element' ? expr(a.namedChildren[0]) : expr(a)));
          argNodes.forEach((a, i) => {
            if (a.type === 'spread_element') {
              facts.hint(vs[i], 'iter');
              facts.same(facts.elem(vs[i]), elem);
            }
          });
          if (method === 'push' || method === 'unshift') argNodes.forEach((a, i) => a.type !== 'spread_element' && facts.same(elem, vs[i]));
          if (method === 'concat') vs.forEach((x) => facts.same(x, obj));
          if (method === 'pop' || method === 'shift') return elem;
          if (method === 'join') {
            return lit('str');
          }
          if (method === 'sort' || method === 'reverse' || method === 'concat' || method === 'toSorted' || method === 'toReversed' || method === 'fill') return obj;
          return tmp();
        }
        const vs = argNodes.map((a) => expr(a));
        if (MAP_METHODS.has(method)) {
          facts.hint(obj, 'map', because);
          if (vs[0]) facts.same(facts.key(obj), vs[0]);
          if (method === 'set' && vs[1]) facts.same(facts.value(obj), vs[1]);
          return method === 'get' ? facts.value(obj) : obj;
        }
        if (SET_METHODS.has(method)) {
          facts.hint(obj, 'set', because);
          if (vs[0]) facts.same(facts.elem(obj), vs[0]);
          return obj;
        }
        if (method === 'has' || method === 'delete') {
          // Map or Set: a Set unless get/set say otherwise.
          if (vs[0]) facts.same(facts.elem(obj), vs[0]);
          facts.hint(obj, 'iter', because);
          return lit('bool');
        }
        if (method === 'toString' || method === 'toFixed') return lit('str');
        if (method === 'then' || method === 'call' || method === 'apply' || method === 'bind') return tmp();
        // A method Hotpath does not know: the object is something it cannot build.
        facts.hint(obj, 'opaque', because);
        return tmp();
      }
      const vs = argNodes.map((a) => (a.type === 'spread_element' ? expr(a.namedChildren[0]) : expr(a)));
      if (f.type === 'identifier') {
        const name = f.text;
        if (name === 'parseInt' || name === 'parseFloat' || name === 'Number' || name === 'isNaN') return lit('int');
        if (name === 'String') return lit('str');
        if (name === 'Boolean') return lit('bool');
        const own = lookup(name);
        if (params.has(own)) {
          facts.hint(own, 'call', `${name}()`);
          return facts.result(own);
        }
        const target = functions.get(name);
        if (target && !scope.vars.has(name)) {
          analyseTop(name, target);
          const ps = paramNodes(target).map(paramName);
          vs.forEach((a, i) => {
            const pn = ps[i];
            if (pn && argNodes[i].type !== 'spread_element') facts.same(`${name}:${pn}`, a);
          });
          return `${name}:__return__`;
        }
        // A function imported from another module of the project: what its parameters need.
        const imported = !scope.vars.has(name) ? importedTypes(name) : undefined;
        if (imported) {
          const ps = paramNodes(imported.def).map(paramName);
          vs.forEach((a, i) => {
            const t = ps[i] && argNodes[i].type !== 'spread_element' ? imported.types.get(ps[i]!)?.type : undefined;
            if (t) facts.given(a, t, `passed to ${name}()`);
          });
        }
        return tmp();
      }
      expr(f);
      return tmp();
    };

    const NUMERIC_OPS = new Set(['-', '*', '/', '%', '**', '<<', '>>', '>>>', '&', '|', '^']);
    const ORDER_OPS = new Set(['<', '>', '<=', '>=']);
    const isNum = (n: SyntaxNode) => n.type === 'number' || (n.type === 'unary_expression' && n.namedChildren[0]?.type === 'number');
    const isStr = (n: SyntaxNode) => n.type === 'string' || n.type === 'template_string';

    const expr = (node: SyntaxNode): string => {
      switch (node.type) {
        case 'identifier':
          return node.text === 'undefined' ? tmp() : lookup(node.text);
        case 'number':
          return lit('int');
        case 'string':
          return lit('str');
        case 'template_string':
          for (const c of node.namedChildren) if (c.type === 'template_substitution') for (const e of c.namedChildren) expr(e);
          return lit('str');
        case 'true':
        case 'false':
          return lit('bool');
        case 'null':
        case 'undefined':
          return tmp();
        case 'parenthesized_expression':
        case 'await_expression':
        case 'non_null_expression':
        case 'as_expression':
        case 'satisfies_expression':
          return node.namedChildren[0] ? expr(node.namedChildren[0]) : tmp();
        case 'member_expression': {
          const objNode = node.child('object')!;
          const prop = node.child('property')!.text;
          const obj = expr(objNode);
          if (prop === 'length') {
            facts.hint(obj, 'sized', `${short(objNode, 20)}.length`);
            return lit('int');
          }
          if (prop === 'size') {
            facts.hint(obj, 'iter', `${short(objNode, 20)}.size`);
            return lit('int');
          }
          return facts.field(obj, prop, true);
        }
        case 'subscript_expression': {
          const obj = expr(node.child('object')!);
          const index = node.child('index');
          if (!index) return tmp();
          if (index.type === 'string' && index.namedChildren.length <= 1) return facts.field(obj, index.namedChildren[0]?.text ?? '', false);
          const r = tmp();
          if (isNum(index)) {
            facts.hint(obj, 'index', short(node));
            facts.same(facts.elem(obj), r);
            return r;
          }
          facts.index(obj, expr(index), r);
          return r;
        }
        case 'call_expression':
          return call(node);
        case 'new_expression': {
          const ctor = node.child('constructor')?.text;
          const args = node.child('arguments')?.namedChildren ?? [];
          const vs = args.map((a) => expr(a));
          if ((ctor === 'Set' || ctor === 'Map') && vs[0]) {
            facts.hint(vs[0], 'iter', `new ${ctor}()`);
            const r = lit(ctor === 'Set' ? 'set' : 'map');
            if (ctor === 'Set') facts.same(facts.elem(r), facts.elem(vs[0]));
            return r;
          }
          return ctor === 'Set' ? lit('set') : ctor === 'Map' ? lit('map') : tmp();
        }
        case 'binary_expression': {
          const op = node.child('operator')?.text ?? '';
          const l = node.child('left')!;
          const r = node.child('right')!;
          const lv = expr(l);
          const rv = expr(r);
          const because = node.text.length < 40 ? node.text : undefined;
          if (op === '+') {
            if (isStr(l) || isStr(r)) {
              facts.hint(lv, 'str', because);
              facts.hint(rv, 'str', because);
              return lit('str');
            }
            if (isNum(l) || isNum(r)) {
              facts.hint(lv, 'int', because);
              facts.hint(rv, 'int', because);
            }
            facts.same(lv, rv);
            return lv;
          }
          if (NUMERIC_OPS.has(op)) {
            facts.hint(lv, 'int', because);
            facts.hint(rv, 'int', because);
            return lit('int');
          }
          if (ORDER_OPS.has(op)) facts.bound(lv);
          // typeof x === 'string': x is one (a type test: what else it is used as decides first).
          const tested = [l, r].find((n) => n.type === 'unary_expression' && n.child('operator')?.text === 'typeof');
          const named = tested && (tested === l ? r : l);
          if (tested && named?.type === 'string' && (op === '===' || op === '==' || op === '!==' || op === '!=')) {
            const t = TYPEOF[named.text.slice(1, -1)];
            if (t) facts.given(expr(tested.namedChildren[0]), t, node.text.length < 40 ? node.text : `typeof … === ${named.text}`);
            return lit('bool');
          }
          if (op === 'instanceof' && INSTANCEOF[r.text]) {
            facts.given(lv, INSTANCEOF[r.text], node.text.length < 40 ? node.text : `… instanceof ${r.text}`);
            return lit('bool');
          }
          if (ORDER_OPS.has(op) || op === '===' || op === '==' || op === '!==' || op === '!=') {
            if (isNum(l) || isNum(r)) {
              facts.hint(lv, 'int', because);
              facts.hint(rv, 'int', because);
            }
            if (l.type !== 'null' && r.type !== 'null' && l.type !== 'undefined' && r.type !== 'undefined' && !(l.type === 'identifier' && l.text === 'undefined') && !(r.type === 'identifier' && r.text === 'undefined')) facts.same(lv, rv);
            return lit('bool');
          }
          if (op === 'in') {
            facts.hint(rv, 'dict', because);
            facts.same(facts.key(rv), lv);
            return lit('bool');
          }
          if (op === '&&' || op === '||' || op === '??') {
            if (l.type === 'identifier') facts.hint(lv, 'truthy');
            if (l.type === 'identifier' && op !== '&&') facts.hint(lv, 'fallback');
            return rv;
          }
          return tmp();
        }
        case 'unary_expression': {
          const op = node.child('operator')?.text;
          const x = expr(node.namedChildren[0]);
          if (op === '-' || op === '+' || op === '~') facts.hint(x, 'int');
          if (op === '!' && node.namedChildren[0].type === 'identifier') facts.hint(x, 'truthy');
          return op === '!' ? lit('bool') : op === 'typeof' ? lit('str') : x;
        }
        case 'update_expression': {
          const x = expr(node.namedChildren[0]);
          facts.hint(x, 'int', short(node));
          return x;
        }
        case 'ternary_expression': {
          const [c, a, b] = [node.child('condition'), node.child('consequence'), node.child('alternative')];
          if (c) expr(c);
          const av = a ? expr(a) : tmp();
          if (b) facts.same(av, expr(b));
          return av;
        }
        case 'assignment_expression': {
          const left = node.child('left')!;
          const right = node.child('right')!;
          // `x = x || other`: x is optional (the ES5 default value).
          if (left.type === 'identifier' && right.type === 'binary_expression' && ['||', '??'].includes(right.child('operator')?.text ?? '') && right.child('left')?.text === left.text) facts.hint(lookup(left.text), 'defaulted');
          const rv = expr(right);
          if (left.type === 'identifier') facts.same(lookup(left.text), rv);
          else if (left.type === 'member_expression' || left.type === 'subscript_expression') facts.same(expr(left), rv);
          return rv;
        }
        case 'augmented_assignment_expression': {
          const op = node.child('operator')?.text ?? '';
          const l = node.child('left')!;
          const r = node.child('right')!;
          const lv = expr(l);
          const rv = expr(r);
          const because = node.text.length < 40 ? node.text : undefined;
          if (op === '+=') {
            if (isStr(r)) facts.hint(lv, 'str', because);
            else if (isNum(r)) facts.hint(lv, 'int', because);
            else facts.same(lv, rv);
          } else if (op !== '||=' && op !== '&&=' && op !== '??=') {
            facts.hint(lv, 'int', because);
            facts.hint(rv, 'int');
          }
          return lv;
        }
        case 'array': {
          const r = lit('list');
          for (const c of node.namedChildren) {
            if (c.type === 'spread_element') {
              const inner = expr(c.namedChildren[0]);
              facts.hint(inner, 'iter', `[...${short(c.namedChildren[0], 20)}]`);
              facts.same(facts.elem(r), facts.elem(inner));
            } else facts.same(facts.elem(r), expr(c));
          }
          return r;
        }
        case 'object': {
          const r = tmp();
          for (const c of node.namedChildren) {
            if (c.type === 'pair') {
              const key = c.child('key')!;
              const value = expr(c.child('value')!);
              if (key.type === 'computed_property_name') {
                // { [k]: v }: a dictionary keyed by k.
                facts.same(facts.key(r), expr(key.namedChildren[0]));
                facts.same(facts.value(r), value);
              } else facts.same(facts.field(r, key.text.replace(/^['"]|['"]$/g, ''), true), value);
            } else if (c.type === 'spread_element') facts.same(r, expr(c.namedChildren[0]));
            else if (c.type === 'shorthand_property_identifier') facts.same(facts.field(r, c.text, true), lookup(c.text));
          }
          return r;
        }
        case 'arrow_function':
        case 'function_expression':
        case 'function':
          return nested(node, []);
        case 'spread_element':
          return expr(node.namedChildren[0]);
        default:
          for (const c of node.namedChildren) expr(c);
          return tmp();
      }
    };

    const statement = (node: SyntaxNode): void => {
      switch (node.type) {
        case 'lexical_declaration':
        case 'variable_declaration':
          for (const d of node.namedChildren) {
            if (d.type !== 'variable_declarator') continue;
            const name = d.child('name')!;
            const value = d.child('value');
            const v = value ? expr(value) : tmp();
            if (name.type === 'identifier') scope.vars.set(name.text, v);
            else bind(name, v, scope);
          }
          return;
        case 'for_in_statement': {
          const right = node.child('right')!;
          const coll = expr(right);
          const of = node.child('operator')?.text === 'of';
          const left = node.child('left')!;
          if (of) facts.hint(coll, 'iter', `for … of ${short(right)}`);
          else facts.hint(coll, 'dict', `for … in ${short(right)}`);
          const item = of ? facts.elem(coll) : facts.key(coll);
          if (left.type === 'identifier' && !left.parent?.children.some((c) => c.text === 'const' || c.text === 'let' || c.text === 'var')) facts.same(lookup(left.text), item);
          else bind(left, item, scope);
          const b = node.child('body');
          if (b) statement(b);
          return;
        }
        case 'return_statement':
          for (const c of node.namedChildren) facts.same(ret, expr(c));
          return;
        case 'if_statement':
        case 'while_statement':
        case 'do_statement': {
          const cond = node.child('condition');
          if (cond) {
            const inner = cond.type === 'parenthesized_expression' ? cond.namedChildren[0] : cond;
            const x = inner ? expr(inner) : tmp();
            if (inner?.type === 'identifier') facts.hint(x, 'truthy');
          }
          for (const c of node.namedChildren) if (c !== cond) statement(c);
          return;
        }
        case 'function_declaration':
          nested(node, []);
          return;
        case 'statement_block':
        case 'else_clause':
        case 'try_statement':
        case 'catch_clause':
        case 'finally_clause':
        case 'for_statement':
        case 'labeled_statement':
        case 'switch_statement':
        case 'switch_body':
        case 'switch_case':
        case 'switch_default':
          for (const c of node.namedChildren) statement(c);
          return;
        case 'expression_statement':
          for (const c of node.namedChildren) expr(c);
          return;
        case 'comment':
        case 'break_statement':
        case 'continue_statement':
        case 'empty_statement':
          return;
        default:
          expr(node);
      }
    };

    const b = f.child('body');
    if (!b) return;
    if (b.type === 'statement_block') statement(b);
    else facts.same(ret, expr(b));
  };

  const name = fn.child('name')?.text ?? fn.parent?.child('name')?.text ?? '__target__';
  analyseTop(name, fn);
  const vars = new Map<string, string>();
  for (const p of paramNodes(fn)) {
    const pn = paramName(p);
    if (pn) vars.set(pn, `${name}:${pn}`);
  }
  return { facts, vars };
}

/** Each parameter's type from its uses, with the uses that decided it. */
export function inferParams(fn: SyntaxNode, root: SyntaxNode, ctx?: ExampleContext): Map<string, InferredParam> {
  return inferredParams(ctx?.file ? ecmascriptUsage(fn, root, ecmascriptProject(fileParser(ctx)), ctx.file) : ecmascriptUsage(fn, root));
}
