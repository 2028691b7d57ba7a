// Input types: parse a parameter's annotation (Python type hints, TypeScript types, JSDoc types)
// into a small TypeSpec that both harnesses know how to generate at a size n.
//
// Generation rules (docs/execution.md): a top-level number is n itself; a top-level collection
// or string has n elements; collections and strings nested inside a collection have 8 elements
// (so the input size stays proportional to n); elements are seeded random values.

export type TypeSpec =
  /** `position`: used to index a sequence, so at the top level a random index below n, not n itself. */
  | { k: 'int'; position?: boolean }
  | { k: 'float' }
  | { k: 'str' }
  | { k: 'bool' }
  | { k: 'bytes' }
  | { k: 'none' }
  | { k: 'list'; of: TypeSpec }
  | { k: 'tuple'; items: TypeSpec[] }
  /** tuple[T, ...]: a tuple of n elements. */
  | { k: 'vtuple'; of: TypeSpec }
  | { k: 'set'; of: TypeSpec }
  | { k: 'frozenset'; of: TypeSpec }
  | { k: 'dict'; key: TypeSpec; value: TypeSpec }
  | { k: 'map'; key: TypeSpec; value: TypeSpec }
  /**
   * A record with named fields: an object in JavaScript; in Python a dict (fields read as
   * `x["id"]`), or an object with attributes (`x.id`: a types.SimpleNamespace) when `attrs`.
   */
  | { k: 'record'; fields: Field[]; attrs?: boolean }
  /**
   * An instance of a class of the module (a dataclass, NamedTuple, TypeScript class, …): built by
   * calling it with `args` (`new cls(...args)` in JavaScript), then `fields` assigned.
   */
  | { k: 'instance'; cls: string; args: TypeSpec[]; fields?: Field[] }
  /** A function argument (a callback): deterministic, it returns a value of `returns` made from its arguments. */
  | { k: 'fn'; returns: TypeSpec; async?: boolean }
  /** A fixed value (an example call's scalar, kept as it was: `count_eq(xs, 5)`). */
  | { k: 'const'; value: number | string | boolean | null };

export interface Field {
  name: string;
  type: TypeSpec;
}

export class TypeSyntaxError extends Error {}

/**
 * Named types the annotation refers to that are not built in: TypeScript interfaces, type aliases
 * and classes, Python dataclasses, NamedTuples, TypedDicts and classes (the language plug-in
 * finds them in the file or the files it imports). Undefined: unknown.
 */
export type TypeResolver = (name: string, params: TypeSpec[]) => TypeSpec | undefined;

/**
 * A resolver from a language's lookup of one declared name (given the resolver itself, for the
 * types its fields name): a type that refers to itself, or names something unbuildable, is unknown.
 */
export function typeResolver(lookup: (name: string, resolve: TypeResolver) => TypeSpec | undefined): TypeResolver {
  const busy = new Set<string>();
  const resolve: TypeResolver = (name) => {
    if (busy.has(name)) return undefined;
    busy.add(name);
    try {
      return lookup(name, resolve);
    } catch (e) {
      if (e instanceof TypeSyntaxError) return undefined;
      throw e;
    } finally {
      busy.delete(name);
    }
  };
  return resolve;
}

/** How a language writes types, where the parser's result depends on it (languages/<lang>/execution/types.ts). */
export interface TypeSyntax {
  /** `tuple[T, ...]` or a bare `tuple`: Python's variable-length tuple, or an array. */
  variadicTuple: 'vtuple' | 'list';
  /** `Map<K, V>`: a dict (Python has no Map) or a Map. */
  map: 'dict' | 'map';
  /** The type written the language's way (`list[int]`, `number[]`); `inner` writes the parts. */
  show(t: TypeSpec, inner: (t: TypeSpec) => string): string;
}

const INT = { k: 'int' } as const;
const STR = { k: 'str' } as const;

function tokenize(text: string): string[] {
  const out: string[] = [];
  const re = /\s*(\.\.\.|=>|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*|\d+|[\[\]<>(),|{}:?;=*]|'[^']*'|"[^"]*")/y;
  let i = 0;
  text = text.trim();
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) throw new TypeSyntaxError(`unexpected '${text.slice(i, i + 10)}' in type '${text}'`);
    out.push(m[1]);
    i = re.lastIndex;
    while (i < text.length && /\s/.test(text[i])) i++;
  }
  return out;
}

/** Parse a type written in Python, TypeScript or JSDoc syntax. */
export function parseType(text: string, syntax: TypeSyntax, resolve?: TypeResolver): TypeSpec {
  // JSDoc's old generic syntax Array.<number>.
  let src = text.trim().replace(/\.</g, '<');
  // Quoted (forward-reference) Python annotations.
  if (/^(['"]).*\1$/.test(src)) src = src.slice(1, -1);
  const toks = tokenize(src);
  let pos = 0;
  const peek = () => toks[pos];
  const eat = (t?: string) => {
    const v = toks[pos];
    if (t !== undefined && v !== t) throw new TypeSyntaxError(`expected '${t}' but found '${v ?? 'end'}' in type '${text}'`);
    pos++;
    return v;
  };

  /** Skips a parenthesised parameter list (their types do not matter for a generated callback). */
  const skipParens = () => {
    eat('(');
    let depth = 1;
    while (pos < toks.length && depth > 0) {
      const x = eat();
      if (x === '(' || x === '[' || x === '{' || x === '<') depth++;
      else if (x === ')' || x === ']' || x === '}' || x === '>') depth--;
    }
  };
  const union = (): TypeSpec => {
    if (peek() === '|') eat();
    const options = [postfix()];
    while (peek() === '|') {
      eat();
      options.push(postfix());
    }
    // Optional[X], X | None, X | undefined: generate X.
    return options.find((o) => o.k !== 'none') ?? options[0];
  };
  const postfix = (): TypeSpec => {
    let t = primary();
    for (;;) {
      if (peek() === '[' && toks[pos + 1] === ']') {
        eat('[');
        eat(']');
        t = { k: 'list', of: t };
      } else if (peek() === '?' || peek() === '=') eat(); // JSDoc nullable / optional markers
      else return t;
    }
  };
  const args = (close: string): TypeSpec[] => {
    const out: TypeSpec[] = [];
    while (peek() !== close) {
      if (peek() === '...') {
        eat();
        out.push({ k: 'none' }); // variadic marker, handled by the caller
      } else out.push(union());
      if (peek() === ',') eat();
      else break;
    }
    eat(close);
    return out;
  };
  const primary = (): TypeSpec => {
    const t = peek();
    if (t === undefined) throw new TypeSyntaxError(`empty type '${text}'`);
    if (t === '?' || t === '!') {
      eat();
      return primary();
    }
    if (t === '(') {
      // A function type `(a: T, b?: U) => R`, or a parenthesised type.
      if (toks[pos + 1] === ')' || (toks[pos + 2] === ':' || toks[pos + 2] === '?' || toks[pos + 2] === ',') || toks[pos + 1] === '...') {
        skipParens();
        eat('=>');
        return fnType(union());
      }
      eat();
      const inner = union();
      eat(')');
      if (peek() === '=>') {
        eat();
        return fnType(union());
      }
      return inner;
    }
    if (t === '[') {
      // TypeScript tuple [A, B]
      eat();
      const items = args(']').filter((x) => x.k !== 'none');
      return { k: 'tuple', items };
    }
    if (t === '{') {
      // { [key: string]: V }  or  { a: number } (not generated)
      eat();
      if (peek() === '[') {
        eat();
        eat();
        eat(':');
        const key = union();
        eat(']');
        eat(':');
        const value = union();
        if (peek() === ';' || peek() === ',') eat();
        eat('}');
        return { k: 'dict', key, value };
      }
      // { a: number; b?: string; f(x: number): string }: a record (methods are callbacks).
      const fields: Field[] = [];
      while (peek() !== '}') {
        if (peek() === undefined) throw new TypeSyntaxError(`unclosed object type in '${text}'`);
        if (peek() === 'readonly' && toks[pos + 1] !== ':' && toks[pos + 1] !== '?') eat();
        const name = eat().replace(/^['"]|['"]$/g, '');
        if (peek() === '?') eat();
        if (peek() === '(') {
          skipParens();
          eat(':');
          fields.push({ name, type: fnType(union()) });
        } else {
          eat(':');
          fields.push({ name, type: union() });
        }
        if (peek() === ';' || peek() === ',') eat();
      }
      eat('}');
      return { k: 'record', fields };
    }
    eat();
    const name = t.split('.').pop()!;
    let params: TypeSpec[] = [];
    let variadic = false;
    if (peek() === '[' && toks[pos + 1] !== ']') {
      eat();
      params = args(']');
    } else if (peek() === '<') {
      eat();
      params = args('>');
    }
    if (params.some((p) => p.k === 'none') && params.length === 2 && params[1].k === 'none' && toks.includes('...')) {
      variadic = true;
      params = [params[0]];
    }
    return named(name, params, variadic, syntax, text, resolve);
  };
  /** A method signature's parameters were skipped by primary(): `(…): R` or `(…) => R`. */
  const fnType = (returns: TypeSpec): TypeSpec => ({ k: 'fn', returns: promised(returns), ...(isPromise(returns) ? { async: true } : {}) });
  const result = union();
  if (pos !== toks.length) throw new TypeSyntaxError(`unexpected '${toks[pos]}' in type '${text}'`);
  return result;
}

/** Promise<T> is parsed as this marker around T, unwrapped by the function type that returns it. */
const PROMISE = Symbol('promise');
function isPromise(t: TypeSpec): boolean {
  return (t as { [PROMISE]?: boolean })[PROMISE] === true;
}
function promised(t: TypeSpec): TypeSpec {
  if (!isPromise(t)) return t;
  const copy = { ...t } as TypeSpec & { [PROMISE]?: boolean };
  delete copy[PROMISE];
  return copy;
}

function named(name: string, p: TypeSpec[], variadic: boolean, syntax: TypeSyntax, text: string, resolve?: TypeResolver): TypeSpec {
  const lower = name.toLowerCase();
  const one = () => p[0] ?? INT;
  switch (lower) {
    case 'int':
    case 'integer':
    case 'number':
    case 'bigint':
    case 'sizedint':
      return INT;
    case 'float':
    case 'double':
      return { k: 'float' };
    case 'str':
    case 'string':
      return STR;
    case 'bool':
    case 'boolean':
      return { k: 'bool' };
    case 'bytes':
    case 'bytearray':
      return { k: 'bytes' };
    case 'none':
    case 'null':
    case 'undefined':
    case 'void':
      return { k: 'none' };
    case 'list':
    case 'sequence':
    case 'mutablesequence':
    case 'iterable':
    case 'collection':
    case 'array':
    case 'readonlyarray':
    case 'deque':
      return { k: 'list', of: one() };
    case 'tuple':
      if (variadic || p.length === 0) return { k: syntax.variadicTuple, of: one() };
      return { k: 'tuple', items: p };
    case 'set':
    case 'mutableset':
    case 'abstractset':
    case 'readonlyset':
      return { k: 'set', of: one() };
    case 'frozenset':
      return { k: 'frozenset', of: one() };
    case 'dict':
    case 'mapping':
    case 'mutablemapping':
    case 'defaultdict':
    case 'ordereddict':
    case 'record':
    case 'object':
      return { k: 'dict', key: p[0] ?? STR, value: p[1] ?? INT };
    case 'counter':
      return { k: 'dict', key: p[0] ?? STR, value: INT };
    case 'map':
    case 'readonlymap':
      return { k: syntax.map, key: p[0] ?? STR, value: p[1] ?? INT };
    case 'optional':
      return one();
    case 'union':
      return p.find((x) => x.k !== 'none') ?? INT;
    case 'promise':
    case 'awaitable':
      return Object.assign({ ...one() }, { [PROMISE]: true });
    case 'function':
    case 'callable':
      return { k: 'fn', returns: p.length ? p[p.length - 1] : INT };
    case 'any':
    case 'unknown':
      return INT;
    default: {
      const found = resolve?.(name, p);
      if (found) return found;
      throw new TypeSyntaxError(`no input generator for type '${name}' (in '${text}'): write a generator (see docs/execution.md)`);
    }
  }
}

/** Readable form, written the language's way. */
export function showType(t: TypeSpec, syntax: TypeSyntax): string {
  return syntax.show(t, (x) => showType(x, syntax));
}

const NAME_HINTS: [RegExp, TypeSpec][] = [
  [/^(n|m|k|size|count|num|length|limit|depth|steps|times|target)$/i, INT],
  [/^(xs|ys|arr|array|nums|numbers|values|items|lst|list|data|seq|sequence|elements|a|b)$/i, { k: 'list', of: INT }],
  [/^(s|text|string|word|line|pattern|t|name|prefix|suffix|sql|src|source|query|sentence|doc|document|html|regexp|regex|str|char|token_text)$/i, STR],
  [/^(words|strings|lines|names)$/i, { k: 'list', of: STR }],
];

/** A type guessed from a parameter's name when it has no annotation (documented heuristics). */
export function typeFromName(name: string): TypeSpec | undefined {
  return NAME_HINTS.find(([re]) => re.test(name))?.[1];
}
