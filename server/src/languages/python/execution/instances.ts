// Inputs for objects used through their methods (`G.nodes()`, `G.neighbors(v)`, `len(G)`): a
// class of the project that has every method used (its own or inherited from a class of the
// project; the most general one) is built the way the project's doctests build it (`>>> G =
// nx.Graph()` then `>>> G.add_edges_from([(1, 2), (2, 3)])`), scaled to n by example.ts. The
// function's other parameters get the types their uses imply; an integer among them, or one
// nothing describes (passed on, as to `G.neighbors(v)`), is an element of the built object (a
// node of a graph), else a position below n.

import type { SyntaxNode } from '../../../parsing';
import type { ExampleContext, ExampleInput, ExampleSubject } from '../../../execution/language';
import type { TypeSpec } from '../../../execution/typespec';
import { typeFromName } from '../../../execution/typespec';
import { relative } from 'node:path';
import { projectFiles, projectRoot } from './callsites';
import { doctestStatements } from './doctests';
import { pythonExample } from './example';
import { topLevels } from './extract';
import { inferParams } from './usage';

interface ClassInfo {
  name: string;
  bases: string[];
  methods: Set<string>;
}

/** Classes of the project by name, with their methods (read from the text: `class X(B):` and its `def`s). */
const indexes = new Map<string, { at: number; classes: Map<string, ClassInfo> }>();
function classIndex(root: string): Map<string, ClassInfo> {
  const cached = indexes.get(root);
  if (cached && Date.now() - cached.at < 60_000) return cached.classes;
  const classes = new Map<string, ClassInfo>();
  for (const f of projectFiles(root)) {
    let current: ClassInfo | undefined;
    for (const line of f.text.split('\n')) {
      const c = /^class\s+(\w+)\s*(?:\(([^)]*)\))?\s*:/.exec(line);
      if (c) {
        current = { name: c[1], bases: (c[2] ?? '').split(',').map((b) => b.trim().split('.').pop()!).filter((b) => /^\w+$/.test(b)), methods: new Set() };
        if (!classes.has(c[1])) classes.set(c[1], current);
        continue;
      }
      if (/^\S/.test(line) && !line.startsWith('#') && !line.startsWith('@')) current = undefined;
      const m = current && /^ {4}(?:async\s+)?def\s+(\w+)\s*\(/.exec(line);
      if (m) current!.methods.add(m[1]);
    }
  }
  indexes.set(root, { at: Date.now(), classes });
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

/** How a doctest in the project builds an instance of `cls` at a size: the first that can be scaled. */
const recipes = new Map<string, ExampleInput | null>();
function recipeFor(cls: string, root: string, known: Set<string>, parse: (text: string) => SyntaxNode): ExampleInput | undefined {
  const key = `${root}\0${cls}\0${[...known].sort().join(',')}`;
  if (recipes.has(key)) return recipes.get(key) ?? undefined;
  const start = new RegExp(`^(\\w+)\\s*=\\s*(?:[\\w.]+\\.)?${cls}\\(`);
  let found: ExampleInput | undefined;
  let parsed = 0;
  for (const f of projectFiles(root)) {
    if (found || parsed > 60) break;
    if (!new RegExp(`>>> \\w+\\s*=\\s*(?:[\\w.]+\\.)?${cls}\\(`).test(f.text)) continue;
    parsed++;
    for (const doc of [...parse(f.text).descendants()].filter((n) => n.type === 'string' && n.text.includes('>>>'))) {
      const statements = doctestStatements(doc);
      for (let i = 0; i < statements.length && !found; i++) {
        const m = start.exec(statements[i].code);
        if (!m) continue;
        // The construction and the method calls on it right after (`G.add_edges_from(…)`).
        let j = i + 1;
        while (j < statements.length && statements[j].code.startsWith(`${m[1]}.`)) j++;
        const setup = statements.slice(0, j).map((s) => s.code);
        found = pythonExample('__hotpath_take', [{ name: 'x', optional: false, source: 'name' }], { source: 'doctest', where: `${relative(root, f.path)}:${statements[i].line}`, setup, statement: `__hotpath_take(${m[1]})` }, known, parse);
      }
      if (found) break;
    }
  }
  recipes.set(key, found ?? null);
  return found;
}

/** A Python expression for a simple type, given `obj` (the built object) to pick integers from. */
function valueOf(t: TypeSpec): string | undefined {
  switch (t.k) {
    case 'int':
      return '__hotpath_pick(__hotpath_objs, n, rng, True)';
    case 'float':
      return 'rng.random()';
    case 'bool':
      return 'True';
    case 'str':
      return "''.join(rng.choice('abcdefgh') for _ in range(n))";
    case 'const':
      return JSON.stringify(t.value).replace(/^null$/, 'None').replace(/^true$/, 'True').replace(/^false$/, 'False');
    case 'list':
      return t.of.k === 'int' ? '[__hotpath_pick(__hotpath_objs, n, rng, True) for _ in range(n)]' : undefined;
    default:
      return undefined;
  }
}

/** Objects used through their methods, built from a class of the project that has them. */
export function instanceExample(fn: ExampleSubject, ctx: ExampleContext): ExampleInput | undefined {
  if (!ctx.file) return undefined;
  const root = projectRoot(ctx.file);
  const inferred = inferParams(fn.node, fn.root);
  const known = new Set(topLevels(fn.root).flatMap((t) => t.binds));
  const classes = classIndex(root);
  const builds: string[] = [];
  const args: string[] = [];
  const built: { param: string; cls: string; recipe: ExampleInput }[] = [];
  for (const p of fn.params.filter((x) => !x.optional)) {
    const u = inferred.get(p.name);
    if (u?.type) {
      const v = valueOf(u.type);
      if (!v) return undefined;
      args.push(v);
      continue;
    }
    const needs = u?.evidence.length ? neededMethods(u.evidence, p.name) : undefined;
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
      const recipe = recipeFor(c.name, root, known, ctx.parse);
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
  if (!built.length) return undefined;
  const indent = (text: string, by: string) => text.trimEnd().split('\n').map((l) => by + l).join('\n');
  const text = [
    'def __hotpath_example(n, rng):',
    ...built.map((b) => `    # ${b.param}: a ${b.cls} (has the methods its uses need), built as in the doctest at ${b.recipe.where}`),
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
    '    __hotpath_objs = []',
    ...builds.map((b) => `    ${b}`),
    `    return (${args.join(', ')},)`,
  ].join('\n');
  return {
    source: 'class',
    where: built[0].recipe.where,
    call: built.map((b) => `${b.param}: a ${b.cls}`).join(', '),
    scaled: built.flatMap((b) => b.recipe.scaled).slice(0, 4),
    minN: Math.max(...built.map((b) => b.recipe.minN)),
    generator: { name: '__hotpath_example', text: text + '\n' },
  };
}
