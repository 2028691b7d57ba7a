// Inputs for objects used through their methods (`G.nodes()`, `G.neighbors(v)`, `len(G)`; in
// the function, or in the project's function it passes the object to: `nx.complement(G)`): a
// class of the project that has every method used (its own or inherited from a class of the
// project; the most general one) is built the way the project's doctests build it (`>>> G =
// nx.Graph()` then `>>> G.add_edges_from([(1, 2), (2, 3)])`), scaled to n by example.ts. The
// function's other parameters get the types their uses imply; an integer among them, or one
// nothing describes (passed on, as to `G.neighbors(v)`), is an element of the built object (a
// node of a graph), else a position below n.

import type { SyntaxNode } from '../../../parsing';
import type { ExampleContext, ExampleInput, ExampleSubject } from '../../../execution/language';
import type { TypeSpec } from '../../../execution/typespec';
import { ShortCache } from '../../../execution/shortCache';
import { typeFromName } from '../../../execution/typespec';
import { relative } from 'node:path';
import { projectFiles, projectRoot } from './callsites';
import { doctestLines, doctestStatements } from './doctests';
import { pythonExample } from './example';
import { params as paramsOf, topLevels } from './extract';
import { inferParams, parameterTypes } from './usage';
import { moduleName, pythonProject, type PythonProject } from './project';
import { returnedRecipe } from './returned';

interface ClassInfo {
  name: string;
  /** The file that defines it. */
  file: string;
  bases: string[];
  methods: Set<string>;
}

/** Classes of the project by name, with their methods (read from the text: `class X(B):` and its `def`s). */
const indexes = new ShortCache<string, Map<string, ClassInfo>>();
function classIndex(root: string): Map<string, ClassInfo> {
  const cached = indexes.get(root);
  if (cached) return cached;
  const classes = new Map<string, ClassInfo>();
  for (const f of projectFiles(root)) {
    if (!f.path.endsWith('.py')) continue;
    let current: ClassInfo | undefined;
    for (const line of f.text.split('\n')) {
      const c = /^class\s+(\w+)\s*(?:\(([^)]*)\))?\s*:/.exec(line);
      if (c) {
        current = { name: c[1], file: f.path, bases: (c[2] ?? '').split(',').map((b) => b.trim().split('.').pop()!).filter((b) => /^\w+$/.test(b)), methods: new Set() };
        if (!classes.has(c[1])) classes.set(c[1], current);
        continue;
      }
      if (/^\S/.test(line) && !line.startsWith('#') && !line.startsWith('@')) current = undefined;
      const m = current && /^ {4}(?:async\s+)?def\s+(\w+)\s*\(/.exec(line);
      if (m) current!.methods.add(m[1]);
    }
  }
  indexes.set(root, classes);
  return classes;
}

function allMethods(cls: ClassInfo, classes: Map<string, ClassInfo>, seen = new Set<string>()): Set<string> {
  if (seen.has(cls.name)) return new Set();
  seen.add(cls.name);
  const out = new Set(cls.methods);
  for (const b of cls.bases) {
    const base = classes.get(b);
    if (base) for (const m of allMethods(base, classes, seen)) out.add(m);
  }
  return out;
}

/** The methods a parameter's uses need (`.nodes()` → nodes, `len(G)` → __len__, `for … in G` → __iter__, `v in G` → __contains__). */
function neededMethods(evidence: string[], name: string): string[] | undefined {
  const out = new Set<string>();
  for (const e of evidence) {
    const m = /^(?:[\w.]*)\.(\w+)\(\)$/.exec(e);
    if (m) out.add(m[1]);
    else if (e === `len(${name})`) out.add('__len__');
    else if (e === `for … in ${name}`) out.add('__iter__');
    else if (new RegExp(`^\\S+ in ${name}$`).test(e)) out.add('__contains__');
    else if (e.startsWith(`${name}[`)) out.add('__getitem__');
  }
  return out.size ? [...out] : undefined;
}

/**
 * The uses of a parameter the function only passes on (`nx.complement(G)`): the uses of the
 * parameter it is passed to, in a top-level function of the project of that name (two calls deep).
 */
const passedOn = new Map<string, string[]>();
function usesWherePassed(fn: SyntaxNode, param: string, root: string, project: PythonProject, depth = 0): string[] {
  const out: string[] = [];
  for (const call of fn.descendants()) {
    if (call.type !== 'call' || out.length) continue;
    const f = call.child('function');
    const callee = f?.type === 'identifier' ? f.text : f?.type === 'attribute' ? f.child('attribute')?.text : undefined;
    if (!callee) continue;
    const args = call.child('arguments')?.namedChildren ?? [];
    const at = args.findIndex((a) => a.type === 'identifier' && a.text === param);
    const kw = args.find((a) => a.type === 'keyword_argument' && a.child('value')?.text === param)?.child('name')?.text;
    if (at < 0 && !kw) continue;
    const key = `${root}\0${callee}\0${at}\0${kw ?? ''}`;
    let found = passedOn.get(key);
    if (!found) {
      found = [];
      const def = project.definition(callee, 'function');
      const ps = def ? paramsOf(def.node) : [];
      const target = kw ? ps.find((p) => p.name === kw) : args.slice(0, at).some((a) => a.type === 'keyword_argument') ? undefined : ps[at];
      if (def && target) {
        const evidence = inferParams(def.node, def.root).get(target.name)?.evidence ?? [];
        found = evidence.length || depth >= 1 ? evidence.map((e) => e.replaceAll(target.name, param)) : usesWherePassed(def.node, target.name, root, project, depth + 1).map((e) => e.replaceAll(target.name, param));
      }
      passedOn.set(key, found);
    }
    out.push(...found);
  }
  return out;
}

/** How a doctest in the project builds an instance of `cls` at a size: the first that can be scaled. */
const recipes = new Map<string, ExampleInput | null>();
function recipeFor(info: ClassInfo, root: string, known: Set<string>, parse: (text: string) => SyntaxNode): ExampleInput | undefined {
  const cls = info.name;
  const mod = moduleName(info.file);
  if (!mod) return undefined;
  const key = `${root}\0${cls}\0${[...known].sort().join(',')}`;
  if (recipes.has(key)) return recipes.get(key) ?? undefined;
  const start = new RegExp(`^(\\w+)\\s*=\\s*(?:[\\w.]+\\.)?${cls}\\(`);
  let found: ExampleInput | undefined;
  let parsed = 0;
  for (const f of projectFiles(root)) {
    if (found || parsed > 60) break;
    if (!new RegExp(`>>> \\w+\\s*=\\s*(?:[\\w.]+\\.)?${cls}\\(`).test(f.text)) continue;
    parsed++;
    // A `.doctest` file is one run of statements; a module has one per docstring.
    const runs = f.path.endsWith('.doctest') ? [doctestLines(f.text, 0)] : [...parse(f.text).descendants()].filter((n) => n.type === 'string' && n.text.includes('>>>')).map(doctestStatements);
    for (const statements of runs) {
      for (let i = 0; i < statements.length && !found; i++) {
        const m = start.exec(statements[i].code);
        if (!m) continue;
        // The construction and the method calls on it right after (`G.add_edges_from(…)`).
        let j = i + 1;
        while (j < statements.length && statements[j].code.startsWith(`${m[1]}.`)) j++;
        // The class imported from its module by name (the doctest may reach it as `nx.Graph`, a name the function's module need not have).
        const setup = [`from ${mod} import ${cls}`, ...statements.slice(0, j).map((s, k) => (k === i ? s.code.replace(new RegExp(`(?:[\\w.]+\\.)?${cls}\\(`), `${cls}(`) : s.code))];
        found = pythonExample('__hotpath_take', [{ name: 'x', optional: false, source: 'name' }], { source: 'doctest', where: `${relative(root, f.path)}:${statements[i].line}`, setup, statement: `__hotpath_take(${m[1]})` }, known, parse);
      }
      if (found) break;
    }
  }
  recipes.set(key, found ?? null);
  return found;
}

/** A Python expression building a value of `t` with `size` elements (a string of `size` letters), or undefined when Hotpath does not build that kind here. */
function sized(t: TypeSpec, size: string): string | undefined {
  switch (t.k) {
    case 'int':
      return size === 'n' ? 'n' : 'rng.randrange(max(n, 1))';
    case 'float':
      return 'rng.random()';
    case 'bool':
      return 'True';
    case 'const':
      return JSON.stringify(t.value).replace(/^null$/, 'None').replace(/^true$/, 'True').replace(/^false$/, 'False');
    case 'str':
      return `''.join(rng.choice('abcdefgh') for _ in range(${size}))`;
    case 'list':
    case 'set': {
      const of = sized(t.of, '4');
      return of && (t.k === 'list' ? `[${of} for _ in range(${size})]` : `{${of} for _ in range(${size})}`);
    }
    case 'dict': {
      const [k, v] = [sized(t.key, '4'), sized(t.value, '4')];
      return k && v ? `{${k}: ${v} for _ in range(${size})}` : undefined;
    }
    case 'tuple': {
      const items = t.items.map((i) => sized(i, '4'));
      return items.every((i) => i) ? `(${items.join(', ')},)` : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The class built by calling its constructor with generated arguments (when no doctest shows how):
 * only when every required argument of its __init__ (or an inherited one of the project) has a
 * declared or inferred type Hotpath builds, and at least one of them grows with n (an object
 * built from nothing would not grow).
 */
function constructorRecipe(info: ClassInfo, root: string, project: PythonProject): ExampleInput | undefined {
  const mod = moduleName(info.file);
  let def = project.definition(info.name, 'class');
  if (!mod || def?.file !== info.file) return undefined;
  // The __init__ that runs: its own, else the first base of the project that has one.
  for (let i = 0; i < 4 && def; i++) {
    const body = def.node.child('body');
    if (body?.namedChildren.some((c) => (c.type === 'decorated_definition' ? c.child('definition') : c)?.child('name')?.text === '__init__')) break;
    const base: SyntaxNode | undefined = def.node.child('superclasses')?.namedChildren.find((b) => b.type === 'identifier' || b.type === 'attribute');
    def = base ? project.definition(base.text.split('.').pop()!, 'class') : undefined;
  }
  if (!def) return undefined;
  const init = def.node.child('body')?.namedChildren.map((c) => (c.type === 'decorated_definition' ? c.child('definition') : c)).find((c) => c?.type === 'function_definition' && c.child('name')?.text === '__init__');
  if (!init) return undefined;
  const all = paramsOf(init);
  if (all.some((p) => p.keywordOnly && !p.optional)) return undefined;
  const { types } = parameterTypes(def.node, def.root, project, 0);
  const args: string[] = [];
  const given: typeof all = [];
  let grows = false;
  // The required arguments, then optional ones in order while nothing grows yet (`Tree(label, children=None)`).
  for (const p of all.filter((x) => !x.keywordOnly)) {
    if (p.optional && grows) break;
    const t = types.get(p.name);
    const v = t && sized(t, 'n');
    if (!t || !v) {
      if (p.optional) break;
      return undefined;
    }
    // A tuple is built with a fixed number of items (sized() gives its items 4, not n): it does not grow.
    if (t.k === 'int' || t.k === 'str' || t.k === 'list' || t.k === 'set' || t.k === 'dict') grows = true;
    args.push(v);
    given.push(p);
  }
  if (!grows) return undefined;
  const required = given;
  const where = `${relative(root, info.file)}:${def.node.startPosition.row + 1}`;
  const text = [`def __hotpath_example(n, rng):`, `    from ${mod} import ${info.name}`, `    return (${info.name}(${args.join(', ')}),)`, ''].join('\n');
  return { source: 'class', where, call: `${info.name}(${required.map((p) => p.name).join(', ')})`, scaled: [`${info.name}(${required.map((p) => `${p.name}: ${types.get(p.name)!.k}`).join(', ')})`], minN: 1, generator: { name: '__hotpath_example', text }, keywords: [], constructed: true };
}

/** A Python expression for a simple type, given `obj` (the built object) to pick integers from. */
function valueOf(t: TypeSpec): string | undefined {
  switch (t.k) {
    case 'int':
      return '__hotpath_pick(__hotpath_objs, n, rng, True)';
    case 'list':
      return t.of.k === 'int' ? '[__hotpath_pick(__hotpath_objs, n, rng, True) for _ in range(n)]' : undefined;
    case 'float':
    case 'bool':
    case 'str':
    case 'const':
      return sized(t, 'n');
    default:
      return undefined;
  }
}

/** The methods of a file object: a parameter used only through them is a text stream (io.StringIO). */
const STREAM_METHODS = new Set(['read', 'readline', 'readlines', 'write', 'writelines', 'tell', 'seek', 'flush', 'close', '__iter__']);

/**
 * Is the file `param` one of bytes? The function opens it so (`@open_file(1, mode="wb")`, as
 * networkx's writers are decorated), or writes bytes to it (`f.write(line.encode(…))`, `f.write(b"…")`).
 */
function bytesFile(fn: SyntaxNode, param: string): boolean {
  const decorators = fn.parent?.type === 'decorated_definition' ? fn.parent.namedChildren.filter((d) => d.type === 'decorator') : [];
  if (decorators.some((d) => /\bmode\s*=\s*["'][rwax+]*b/.test(d.text))) return true;
  for (const call of fn.descendants()) {
    const f = call.type === 'call' ? call.child('function') : null;
    if (f?.type !== 'attribute' || f.child('object')?.text !== param || !['write', 'writelines'].includes(f.child('attribute')?.text ?? '')) continue;
    const arg = call.child('arguments')?.namedChildren[0];
    const inner = arg?.type === 'call' ? arg.child('function') : null;
    if (arg?.type === 'string' && /^[rR]?[bB]/.test(arg.text)) return true;
    if ((inner?.type === 'attribute' && inner.child('attribute')?.text === 'encode') || inner?.text === 'bytes') return true;
  }
  return false;
}

/** Objects used through their methods, built from a class of the project that has them; file objects are text streams (of bytes when the function writes or opens bytes). */
export function instanceExample(fn: ExampleSubject, ctx: ExampleContext): ExampleInput | undefined {
  if (!ctx.file) return undefined;
  const root = projectRoot(ctx.file);
  const project = pythonProject(ctx.file, ctx.parse);
  const inferred = inferParams(fn.node, fn.root, project);
  const known = new Set(topLevels(fn.root).flatMap((t) => t.binds));
  const classes = classIndex(root);
  const builds: string[] = [];
  const args: string[] = [];
  const built: { param: string; cls: string; recipe: ExampleInput }[] = [];
  const streams: string[] = [];
  for (const p of fn.params.filter((x) => !x.optional)) {
    const u = inferred.get(p.name);
    if (u?.type) {
      const v = valueOf(u.type);
      if (!v) return undefined;
      args.push(v);
      continue;
    }
    const evidence = u?.evidence.length ? u.evidence : usesWherePassed(fn.node, p.name, root, project);
    const needs = evidence.length ? neededMethods(evidence, p.name) : undefined;
    if (!needs) {
      if (u?.evidence.length) return undefined;
      // Nothing says what it is (it is only passed on, often to the object's methods: `G.neighbors(v)`): an element of the built object.
      const t = typeFromName(p.name);
      args.push((t && valueOf(t)) ?? '__hotpath_pick(__hotpath_objs, n, rng, False)');
      continue;
    }
    // The most general class with every method used that the project's doctests show how to build.
    const candidates = [...classes.values()]
      .map((c) => ({ c, methods: allMethods(c, classes) }))
      .filter(({ methods }) => needs.every((m) => methods.has(m)))
      .sort((a, b) => a.methods.size - b.methods.size);
    let chosen: { cls: string; recipe: ExampleInput } | undefined;
    for (const { c } of candidates.slice(0, 8)) {
      const recipe = recipeFor(c, root, known, ctx.parse);
      if (recipe) {
        chosen = { cls: c.name, recipe };
        break;
      }
    }
    // None: an object of one of them that a function of the project returns, called as the project calls it with a string (`sqlparse.parse("select …")[0]`).
    if (!chosen) {
      const fitting = new Set(candidates.map(({ c }) => c.name));
      const recipe = returnedRecipe((cls) => fitting.has(cls), root, project);
      if (recipe) chosen = { cls: recipe.call, recipe };
    }
    // None, and used only as a file (`.readline()`, `.write()`, `for line in f`): a text stream of n lines (empty when it is only written to).
    if (!chosen && needs.every((m) => STREAM_METHODS.has(m))) {
      const bytes = bytesFile(fn.node, p.name);
      streams.push(`${p.name}: a ${bytes ? 'byte' : 'text'} stream (io.${bytes ? 'BytesIO' : 'StringIO'} of n lines)`);
      args.push(needs.some((m) => m.startsWith('read') || m === '__iter__') ? `__hotpath_text_stream(n, rng, ${bytes ? 'True' : 'False'})` : `__hotpath_io.${bytes ? 'BytesIO' : 'StringIO'}()`);
      continue;
    }
    // No doctest builds any of them: the first whose constructor's arguments can be built.
    for (const { c } of chosen ? [] : candidates.slice(0, 8)) {
      const recipe = constructorRecipe(c, root, project);
      if (recipe) {
        chosen = { cls: c.name, recipe };
        break;
      }
    }
    if (!chosen) return undefined;
    const i = built.length;
    builds.push(`__hotpath_objs.append(__hotpath_build_${i}(n, rng)[0])`);
    args.push(`__hotpath_objs[${i}]`);
    built.push({ param: p.name, ...chosen });
  }
  if (!built.length && !streams.length) return undefined;
  const indent = (text: string, by: string) => text.trimEnd().split('\n').map((l) => by + l).join('\n');
  const text = [
    'def __hotpath_example(n, rng):',
    ...built.map((b) => `    # ${b.param}: a ${b.cls} (has the methods its uses need), built ${b.recipe.constructed ? 'by its constructor, defined at' : b.recipe.returned ? 'by the function called at' : 'as in the doctest at'} ${b.recipe.where}`),
    ...built.map((b, i) => indent(b.recipe.generator.text.replace(/^def __hotpath_example\(/, `def __hotpath_build_${i}(`), '    ')),
    '    def __hotpath_pick(objs, n, rng, ints):',
    '        # an element (an integer one when `ints`) of a built object (a node of a graph), else a position below n',
    '        for o in objs:',
    '            try:',
    '                elems = [e for e in o if not ints or (isinstance(e, int) and not isinstance(e, bool))]',
    '            except Exception:',
    '                elems = []',
    '            if elems:',
    '                return rng.choice(elems)',
    '        return rng.randrange(max(n, 1))',
    '    import io as __hotpath_io',
    '    def __hotpath_text_stream(n, rng, as_bytes):',
    '        # n lines of words, for a parameter used as a file (.readline(), .read(), for line in f)',
    "        words = ['the', 'of', 'and', 'alpha', 'beta', 'gamma', 'delta', 'x1', '(', ')', '.']",
    "        text = ''.join(' '.join(rng.choice(words) for _ in range(6)) + '\\n' for _ in range(n))",
    '        return __hotpath_io.BytesIO(text.encode()) if as_bytes else __hotpath_io.StringIO(text)',
    '    __hotpath_objs = []',
    ...builds.map((b) => `    ${b}`),
    `    return (${args.join(', ')},)`,
  ].join('\n');
  return {
    source: 'class',
    where: built[0]?.recipe.where ?? 'io.StringIO',
    ...(built.length && built.every((b) => b.recipe.constructed) ? { constructed: true } : {}),
    ...(built.length && built.every((b) => b.recipe.returned) ? { returned: true } : {}),
    ...(built.length ? {} : { streamed: true }),
    call: [...built.map((b) => `${b.param}: a ${b.cls}`), ...streams].join(', '),
    scaled: [...built.flatMap((b) => b.recipe.scaled), ...streams].slice(0, 4),
    minN: Math.max(1, ...built.map((b) => b.recipe.minN)),
    generator: { name: '__hotpath_example', text: text + '\n' },
    keywords: fn.params.filter((x) => !x.optional && x.keywordOnly).map((x) => x.name),
  };
}
