// Objects a function of the project returns (sqlparse's token lists: the project's README writes
// `statement = sqlparse.parse("select id, name from users where active = 1")[0]`): a parameter used
// through methods that a class of the project has is built by calling a project function whose
// declared return type is that class (or a tuple, list or iterator of it) the way the project's
// documentation, doctests, tests or other code call it with a string literal, the string grown to n
// characters (repeated, as example.ts grows strings); an indexed call (`[0]`) keeps its index, an
// iterator gives its first item. Only a declared return type counts: a guess from the function's
// body could build an object without the methods, which raises instead of measuring.

import type { SyntaxNode } from '../../../parsing';
import type { ExampleInput } from '../../../execution/language';
import { ShortCache } from '../../../execution/shortCache';
import { readdirSync } from 'node:fs';
import { readRegularText } from '../../../analysis/regularFile';
import { join, relative } from 'node:path';
import { projectFiles } from './callsites';
import { GROW_HELPER } from './example';
import { moduleName, type PythonProject } from './project';

/** A call with one string literal argument, as written somewhere in the project. */
interface LiteralCall {
  /** The function's name (`parse` of `sqlparse.parse`). */
  callee: string;
  /** The module it is called through, as written (`sqlparse` of `sqlparse.parse`), if any. */
  qualifier?: string;
  /** The Python string literal as written. */
  literal: string;
  /** `[0]` after the call, if any. */
  index?: number;
  /** The call as written, and where (`README.md:112`). */
  text: string;
  where: string;
}

const MAX_DOC_BYTES = 400_000;

/** The project's documentation beside its code: README files, and the long description a wheel or sdist ships (`*.dist-info/METADATA`, `PKG-INFO`). */
function documentation(root: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const read = (p: string) => {
    try {
      out.push({ path: p, text: readRegularText(p, MAX_DOC_BYTES) });
    } catch {
      // unreadable: skipped
    }
  };
  let entries: string[] = [];
  try {
    entries = readdirSync(root);
  } catch {
    return out;
  }
  for (const e of entries.sort()) {
    if (/^README(\.(md|rst|txt))?$/i.test(e) || e === 'PKG-INFO') read(join(root, e));
    else if (e.endsWith('.dist-info')) read(join(root, e, 'METADATA'));
    else if (e.endsWith('.egg-info')) read(join(root, e, 'PKG-INFO'));
  }
  return out;
}

// `name("…")` or `mod.name('…')`, optionally indexed: `sqlparse.parse("select 1")[0]`.
const CALL = /(?<![\w.])((?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*))\(\s*("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')\s*\)(?:\s*\[\s*(\d+)\s*\])?/g;

/**
 * Calls with one string literal argument, in the project's code and documentation, of the
 * project's functions that declare a return type (kept a minute: both depend on the root alone,
 * so one cache entry holds them).
 */
const calls = new ShortCache<string, LiteralCall[]>();
function literalCalls(root: string): LiteralCall[] {
  const cached = calls.get(root);
  if (cached) return cached;
  const declared = annotatedReturns(root);
  const out: LiteralCall[] = [];
  for (const f of [...documentation(root), ...projectFiles(root)]) {
    if (!f.text.includes('("') && !f.text.includes("('")) continue;
    // Line numbers counted as the matches go (they come in order), not from the start each time.
    let line = 1;
    let at = 0;
    for (const m of f.text.matchAll(CALL)) {
      // Empty or one-character strings have nothing to repeat that means anything.
      if (m[3].length < 5 || !declared.has(m[2])) continue;
      for (let i = f.text.indexOf('\n', at); i !== -1 && i < m.index; i = f.text.indexOf('\n', i + 1)) line++;
      at = m.index;
      const qualifier = m[1].length > m[2].length ? m[1].slice(0, -m[2].length - 1) : undefined;
      out.push({ callee: m[2], ...(qualifier ? { qualifier } : {}), literal: m[3], index: m[4] === undefined ? undefined : Number(m[4]), text: m[0].length > 80 ? `${m[0].slice(0, 77)}…` : m[0], where: `${relative(root, f.path)}:${line}` });
    }
  }
  calls.set(root, out);
  return out;
}

/** Names of the project's top-level functions that declare a return type (`def parse(…) -> tuple[Statement, ...]:`), read from the text. */
function annotatedReturns(root: string): Set<string> {
  const out = new Set<string>();
  for (const f of projectFiles(root)) {
    if (!f.path.endsWith('.py') || !f.text.includes('->')) continue;
    for (const m of f.text.matchAll(/^(?:async\s+)?def\s+(\w+)\s*\(/gm)) {
      // The signature: up to the first line that ends with `:` (a few lines at most).
      const rest = f.text.slice(m.index, m.index + 2000);
      const end = /:\s*(?:#.*)?$/m.exec(rest);
      if (end && rest.slice(0, end.index).includes('->')) out.add(m[1]);
    }
  }
  return out;
}

/** A call written through a module (`json.loads(…)`) is the project's function only when that module is one of the project's: its last name is a package or module on the function's path (`sqlparse.parse` → sqlparse/__init__.py, `lexer.tokenize` → sqlparse/lexer.py). */
function sameModule(qualifier: string | undefined, module: string): boolean {
  return qualifier === undefined || module.split('.').includes(qualifier.split('.').pop()!);
}

/** What a callee of the project returns, by its declared return type (kept a minute). */
const resolved = new ShortCache<string, { cls: string; container: boolean; module: string; required: number } | null>();

const CONTAINERS = /^(?:typing\.|collections\.abc\.)?(?:tuple|list|set|frozenset|Tuple|List|Set|FrozenSet|Sequence|Iterable|Iterator|Generator|Collection)\[\s*([\w.]+)/;

/** What a function's declared return type says it returns: a class by name, directly or as the items of a container. */
function returnedClass(def: SyntaxNode): { cls: string; container: boolean } | undefined {
  const t = def.child('return_type')?.text.replace(/\s+/g, ' ').trim();
  if (!t) return undefined;
  const optional = /^(?:typing\.)?Optional\[\s*([\w.]+)\s*\]$/.exec(t) ?? /^([\w.]+)\s*\|\s*None$/.exec(t) ?? /^([\w.]+)$/.exec(t);
  if (optional) return { cls: optional[1].split('.').pop()!, container: false };
  const c = CONTAINERS.exec(t);
  return c ? { cls: c[1].split('.').pop()!, container: true } : undefined;
}

/**
 * A generator of an object of a class `fits` accepts, returned by a project function called as the
 * project calls it with a string literal (grown to n), or undefined when no such call is written.
 */
export function returnedRecipe(fits: (cls: string) => boolean, root: string, project: PythonProject): ExampleInput | undefined {
  for (const c of literalCalls(root)) {
    const key = `${root}\0${c.callee}`;
    let f = resolved.get(key);
    if (f === undefined) {
      const def = project.definition(c.callee, 'function');
      const ret = def && returnedClass(def.node);
      const module = def && moduleName(def.file);
      // One required parameter: the string the call passes.
      const params = def?.node.child('parameters')?.namedChildren ?? [];
      const required = params.filter((p) => p.type === 'identifier' || p.type === 'typed_parameter').length;
      f = ret && module ? { ...ret, module, required } : null;
      resolved.set(key, f);
    }
    if (!f || f.required !== 1 || !fits(f.cls) || !sameModule(c.qualifier, f.module)) continue;
    // A container's item: the one the call indexes, else the first.
    const value = !f.container ? 'v' : c.index !== undefined ? `v[${c.index}]` : 'next(iter(v))';
    const text = [
      'def __hotpath_example(n, rng):',
      `    # returned by ${c.callee}() as called at ${c.where}, its string grown to n characters`,
      `    from ${f.module} import ${c.callee} as __hotpath_made_by`,
      ...GROW_HELPER.map((l) => `    ${l}`),
      `    v = __hotpath_made_by(__hotpath_grow(${c.literal}, n))`,
      `    return (${value},)`,
      '',
    ].join('\n');
    return {
      source: 'class',
      where: c.where,
      call: `${f.cls}`,
      scaled: [c.text],
      // The string as written is the example's size (its characters).
      minN: Math.max(1, Math.min(1024, c.literal.length - 2)),
      generator: { name: '__hotpath_example', text },
      keywords: [],
      returned: true,
    };
  }
  return undefined;
}
