// Inputs for objects used through their methods (`g.nodes()`, `g.edge(e)`): a class of the
// project, or of a package the project depends on (installed under node_modules), that has every
// method used (the most general such class) is built as the workspace builds it and grown
// through its own mutating methods, as the workspace calls them:
// - the construction: the `x = new C(…)` in the project (literal arguments only) after which the
//   most distinct methods of C are called on x in the same function (`new Graph({ multigraph:
//   true, compound: true })`, then `g.setGraph`, `g.setNode`, `g.setEdge`);
// - the growth: those of C's methods that assign to `this` (its mutators), with the arguments
//   the workspace's calls of them pass, by majority over the calls of each: `g.setNode(v, {…})`
//   is a key and a label, `g.setEdge(v, w, {…})` two keys and a label. A mutator with one key is
//   called for n keys ("0" … "n-1"); the most called one with two keys links them, each key to
//   an earlier one and n more forward links (a connected acyclic structure, about 2n links); one
//   with no key and a label is called once. Labels are objects with the fields the calls' object
//   literals write and those the function reads back through the matching getter (`setNode` ↔
//   `g.node(v).width`): the literal's number or boolean, else a number (a string or an array where
//   the function calls a string's or an array's method on it).
// The function's other parameters get the types their uses imply; one nothing describes (only
// passed on, as to `g.node(v)`) is one of the keys. The report says where the construction came
// from and which mutators grew it.

import { existsSync } from 'node:fs';
import { MAX_CONFIG_BYTES, readRegularText } from '../../../analysis/regularFile';
import { readProjectFiles, type ReadLimits } from '../../../analysis/files';
import { dirname, join, relative } from 'node:path';
import type { SyntaxNode } from '../../../parsing';
import type { ExampleContext, ExampleInput, ExampleSubject } from '../../../execution/language';
import type { TypeSpec } from '../../../execution/typespec';
import { ShortCache } from '../../../execution/shortCache';
import { calledFunction, ecmascriptProject, fileParser, type EcmascriptProject } from './project';
import { expression } from './stub';
import { isPlainFunctionExpression } from '../syntax';
import { inferParams } from './usage';

/** What one project and its dependencies may cost to read (in the language server, during a request). */
const LIMITS: ReadLimits = {
  maxFiles: 3000,
  maxFileBytes: 400_000,
  maxTotalBytes: 20_000_000,
  maxDepth: 8,
  skipDirs: new Set(['node_modules', 'dist', 'build', 'coverage', 'out']),
};
const isJsSource = (name: string) => /\.(m|c)?js$|\.tsx?$/.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.min.js');

/** The nearest folder above `file` with a package.json (the project), else the file's folder. */
export function packageRoot(file: string): string {
  for (let up = dirname(file), i = 0; i < 8; i++, up = dirname(up)) {
    if (existsSync(join(up, 'package.json'))) return up;
    if (dirname(up) === up) break;
  }
  return dirname(file);
}

interface SourceFile {
  path: string;
  text: string;
  /** The package it belongs to when it is a dependency (`graphlib`), else undefined. */
  pkg?: string;
}

/**
 * The project's sources, then those of the packages its package.json depends on that are
 * installed (read once, kept a minute), within LIMITS for all of them together.
 */
const sources = new ShortCache<string, SourceFile[]>();
function projectSources(root: string): SourceFile[] {
  const cached = sources.get(root);
  if (cached) return cached;
  const spent = { files: 0, bytes: 0 };
  const out: SourceFile[] = readProjectFiles(root, isJsSource, LIMITS, spent);
  let deps: string[] = [];
  try {
    deps = Object.keys(JSON.parse(readRegularText(join(root, 'package.json'), MAX_CONFIG_BYTES)).dependencies ?? {});
  } catch {
    // no package.json, or not JSON: the project's own files only
  }
  for (const d of deps) {
    const dir = join(root, 'node_modules', d);
    if (/^(@[\w.-]+\/)?[\w.-]+$/.test(d) && existsSync(dir)) for (const f of readProjectFiles(dir, isJsSource, LIMITS, spent)) out.push({ ...f, pkg: d });
  }
  sources.set(root, out);
  return out;
}

interface ClassInfo {
  name: string;
  file: SourceFile;
  methods: Set<string>;
  /** Methods that assign to `this` (`this._nodes[v] = …`, `++this._count`). */
  mutators: Set<string>;
  /** Each method's declared parameters: `key` when the body indexes with it (`this._nodes[v]`). */
  params: Map<string, { name: string; key: boolean }[]>;
  /** How the generator reaches it: `require(spec)` and then `.member` when set. */
  spec: string;
  member?: string;
}

/** A method body that changes its object. */
function mutates(body: SyntaxNode): boolean {
  for (const d of body.descendants()) {
    const target = d.type === 'assignment_expression' || d.type === 'augmented_assignment_expression' ? d.child('left') : d.type === 'update_expression' ? d.child('argument') : null;
    if (target && /^this\b/.test(target.text)) return true;
  }
  return false;
}

/** How the file exports `name`, as a `require()` of it reads it: the module itself, a member, or not at all. */
function exportOf(text: string, name: string): { member?: string } | undefined {
  if (new RegExp(`module\\.exports\\s*=\\s*${name}\\s*;?\\s*$`, 'm').test(text)) return {};
  if (new RegExp(`(?:module\\.)?exports\\.${name}\\s*=|export\\s+(?:class|function)\\s+${name}\\b|export\\s*\\{[^}]*\\b${name}\\b[^}]*\\}`).test(text)) return { member: name };
  if (new RegExp(`export\\s+default\\s+(?:class|function)\\s+${name}\\b`).test(text)) return { member: 'default' };
  return undefined;
}

/**
 * Classes (ES classes and constructor functions with prototype methods) of the project and its
 * dependencies that have the `needs` methods. Only files whose text names every one of them are
 * parsed (a class's methods are in its file).
 */
const classIndexes = new ShortCache<string, ClassInfo[]>();
function classIndex(root: string, parse: (text: string, file: string) => SyntaxNode, needs: string[]): ClassInfo[] {
  const key = `${root}\0${[...needs].sort().join(',')}`;
  const cached = classIndexes.get(key);
  if (cached) return cached;
  const out: ClassInfo[] = [];
  for (const f of projectSources(root)) {
    if (!needs.every((m) => f.text.includes(m)) || !/\.prototype\.\w+\s*=\s*function|\bclass\s+\w+/.test(f.text)) continue;
    const byName = new Map<string, { methods: Set<string>; mutators: Set<string>; params: ClassInfo['params'] }>();
    const add = (cls: string, method: string, fn: SyntaxNode) => {
      let c = byName.get(cls);
      if (!c) byName.set(cls, (c = { methods: new Set(), mutators: new Set(), params: new Map() }));
      c.methods.add(method);
      const body = fn.child('body');
      if (!body || !mutates(body)) return;
      c.mutators.add(method);
      const indexes = new Set(body.descendants().filter((d) => d.type === 'subscript_expression').map((d) => d.child('index')?.text));
      const names = (fn.child('parameters')?.namedChildren ?? []).filter((p) => p.type === 'identifier').map((p) => p.text);
      c.params.set(method, names.map((name) => ({ name, key: indexes.has(name) })));
    };
    let root_: SyntaxNode;
    try {
      root_ = parse(f.text, f.path);
    } catch {
      continue;
    }
    for (const d of root_.descendants()) {
      if (d.type === 'assignment_expression') {
        // C.prototype.m = function (…) { … }
        const m = /^(\w+)\.prototype\.(\w+)$/.exec(d.child('left')?.text ?? '');
        const right = d.child('right');
        if (m && isPlainFunctionExpression(right)) add(m[1], m[2], right);
      } else if (d.type === 'class_declaration' || d.type === 'class') {
        const cls = d.child('name')?.text;
        if (!cls) continue;
        for (const m of d.child('body')?.namedChildren ?? []) {
          if (m.type !== 'method_definition') continue;
          const name = m.child('name')?.text;
          if (name && name !== 'constructor' && !m.children.some((c) => c.type === 'static')) add(cls, name, m);
        }
      }
    }
    for (const [name, c] of byName) {
      const how = exportOf(f.text, name);
      if (!how) continue;
      const spec = f.pkg ? `${f.pkg}/${relative(join(root, 'node_modules', f.pkg), f.path).split('\\').join('/')}` : f.path;
      if (needs.every((m) => c.methods.has(m))) out.push({ name, file: f, ...c, spec, ...how });
    }
  }
  classIndexes.set(key, out);
  return out;
}

/**
 * The uses of a parameter the function only passes on (`dfs(g, vs, 'pre')`, `topsort(g)`): those
 * of the parameter it is passed to, in the function of the module or of a module it imports or
 * requires by relative path that the call reaches (two calls deep).
 */
function usesWherePassed(fn: SyntaxNode, root: SyntaxNode, file: string, param: string, ctx: ExampleContext, project: EcmascriptProject, depth = 0): string[] | 'missing' {
  for (const call of fn.descendants()) {
    if (call.type !== 'call_expression' || call.child('function')?.type !== 'identifier') continue;
    const at = (call.child('arguments')?.namedChildren ?? []).findIndex((a) => a.type === 'identifier' && a.text === param);
    if (at < 0) continue;
    const callee = calledFunction(call.child('function')!.text, root, file, project);
    const target = callee && (callee.def.child('parameters')?.namedChildren ?? []).filter((p) => p.type !== 'comment')[at];
    if (!callee || callee.def === fn || target?.type !== 'identifier') continue;
    const there = inferParams(callee.def, callee.root, { ...ctx, file: callee.file }).get(target.text);
    // One left to its fallback there (`weightFn || DEFAULT_WEIGHT_FUNC`) is missing here too.
    if (there?.type?.k === 'const' && there.type.value === null) return 'missing';
    // Only an object used through methods there counts; a value with a type (`vs`, a string there) stays one nothing describes.
    if (there?.type) continue;
    const evidence = there?.evidence ?? [];
    const found = evidence.length || depth >= 1 ? evidence : usesWherePassed(callee.def, callee.root, callee.file, target.text, ctx, project, depth + 1);
    if (found.length) return found;
  }
  return [];
}

/** The methods a parameter's uses need (`.nodes()` → nodes). */
function neededMethods(evidence: string[]): string[] | undefined {
  const out = new Set<string>();
  for (const e of evidence) {
    const m = /^[\w.]*\.(\w+)\(\)$/.exec(e);
    if (m) out.add(m[1]);
  }
  return out.size ? [...out] : undefined;
}

type Role = 'key' | 'label' | 'value';
interface Label {
  /** Field → a literal JavaScript value, or undefined (a number is generated). */
  fields: Map<string, string | undefined>;
}
interface Mutator {
  name: string;
  roles: Role[];
  labels: Map<number, Label>;
  calls: number;
}
interface Recipe {
  cls: ClassInfo;
  /** `file:line` of the construction. */
  where: string;
  /** The constructor's literal arguments, as written. */
  args: string;
  mutators: Mutator[];
}

const LITERAL = new Set(['number', 'string', 'true', 'false', 'null', 'undefined']);
function isLiteral(n: SyntaxNode): boolean {
  if (LITERAL.has(n.type)) return true;
  if (n.type === 'object') return n.namedChildren.every((p) => p.type === 'pair' && isLiteral(p.child('value')!));
  if (n.type === 'array') return n.namedChildren.every(isLiteral);
  return n.type === 'unary_expression' && n.namedChildren.length === 1 && n.namedChildren[0].type === 'number';
}

function roleOf(arg: SyntaxNode): Role {
  if (arg.type === 'object') return 'label';
  if (arg.type === 'identifier' || arg.type === 'member_expression' || arg.type === 'string' || arg.type === 'subscript_expression' || arg.type === 'template_string') return 'key';
  return 'value';
}

function enclosingFunction(n: SyntaxNode): SyntaxNode | undefined {
  for (let p = n.parent; p; p = p.parent) if (/function|arrow_function|method_definition/.test(p.type)) return p;
  return undefined;
}

/** How the workspace builds and grows an instance of `cls` (undefined when it never does with literal arguments). */
const recipes = new ShortCache<string, Recipe | null>();
function recipeFor(cls: ClassInfo, root: string, parse: (text: string, file: string) => SyntaxNode): Recipe | undefined {
  const key = `${root}\0${cls.file.path}\0${cls.name}`;
  const cached = recipes.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const newCall = new RegExp(`new\\s+(?:[\\w$.]+\\.)?${cls.name}\\s*\\(`);
  const files = projectSources(root).filter((f) => !f.pkg || f.pkg === cls.file.pkg);
  // The construction after which the most of the class's methods are called on the new object.
  let best: { where: string; args: string; used: Set<string>; score: number } | undefined;
  // Every call of each mutator, wherever it is (the method names belong to this class in practice).
  const calls = new Map<string, SyntaxNode[][]>();
  const methodCall = new RegExp(`\\.(${[...cls.mutators].join('|') || '(?!)'})\\s*\\(`);
  for (const f of files) {
    const hasNew = newCall.test(f.text);
    if (!hasNew && !methodCall.test(f.text)) continue;
    let tree: SyntaxNode;
    try {
      tree = parse(f.text, f.path);
    } catch {
      continue;
    }
    for (const d of tree.descendants()) {
      if (d.type === 'call_expression') {
        const callee = d.child('function');
        const m = callee?.type === 'member_expression' ? callee.child('property')?.text : undefined;
        if (m && cls.mutators.has(m) && !/^this\b/.test(callee!.child('object')?.text ?? '')) {
          const args = d.child('arguments')?.namedChildren.filter((a) => a.type !== 'comment') ?? [];
          if (!args.some((a) => a.type === 'spread_element')) calls.set(m, [...(calls.get(m) ?? []), [...args]]);
        }
      }
      if (!hasNew || d.type !== 'new_expression' || !newCall.test(d.text.slice(0, d.text.indexOf('(') + 1))) continue;
      const args = d.child('arguments')?.namedChildren ?? [];
      if (!args.every(isLiteral)) continue;
      const decl = d.parent?.type === 'variable_declarator' ? d.parent.child('name') : d.parent?.type === 'assignment_expression' ? d.parent.child('left') : null;
      const scope = enclosingFunction(d);
      if (decl?.type !== 'identifier' || !scope) continue;
      const used = new Set<string>();
      for (const c of scope.descendants()) {
        if (c.type !== 'call_expression') continue;
        const callee = c.child('function');
        if (callee?.type === 'member_expression' && callee.child('object')?.text === decl.text) {
          const m = callee.child('property')?.text;
          if (m && cls.methods.has(m)) used.add(m);
        }
      }
      const score = [...used].filter((m) => cls.mutators.has(m)).length * 100 + used.size;
      if (!best || score > best.score) best = { where: `${relative(root, f.path)}:${d.startPosition.row + 1}`, args: args.map((a) => a.text).join(', '), used, score };
    }
  }
  let recipe: Recipe | undefined;
  if (best) {
    const mutators: Mutator[] = [];
    for (const name of [...best.used].filter((m) => cls.mutators.has(m))) {
      const sites = calls.get(name) ?? [];
      if (!sites.length) continue;
      // The arity most calls with an object literal use (then the most calls).
      const byArity = new Map<number, SyntaxNode[][]>();
      for (const s of sites) byArity.set(s.length, [...(byArity.get(s.length) ?? []), s]);
      const score = (xs: SyntaxNode[][]) => xs.filter((s) => s.some((a) => a.type === 'object')).length * 1000 + xs.length;
      const [arity, chosen] = [...byArity].sort((a, b) => score(b[1]) - score(a[1]) || a[0] - b[0])[0];
      if (arity === 0) continue;
      const roles: Role[] = [];
      const labels = new Map<number, Label>();
      const declared = cls.params.get(name) ?? [];
      for (let i = 0; i < arity; i++) {
        // What the method does with it (indexes with it: a key), else what the calls pass (by majority).
        const votes = new Map<Role, number>();
        for (const s of chosen) votes.set(roleOf(s[i]), (votes.get(roleOf(s[i])) ?? 0) + 1);
        const voted = [...votes].sort((a, b) => b[1] - a[1])[0][0];
        const role: Role = i < declared.length ? (declared[i].key ? 'key' : voted === 'label' ? 'label' : 'value') : voted;
        roles.push(role);
        if (role !== 'label') continue;
        const fields = new Map<string, string | undefined>();
        for (const s of chosen) {
          if (s[i].type !== 'object') continue;
          for (const p of s[i].namedChildren) {
            const k = p.type === 'pair' ? p.child('key')?.text.replace(/^["']|["']$/g, '') : undefined;
            const v = p.child('value');
            if (k && /^[A-Za-z_$][\w$]*$/.test(k) && !fields.has(k)) fields.set(k, v && (v.type === 'number' || v.type === 'true' || v.type === 'false') ? v.text : undefined);
          }
        }
        labels.set(i, { fields });
      }
      mutators.push({ name, roles, labels, calls: sites.length });
    }
    if (mutators.some((m) => m.roles.filter((r) => r === 'key').length === 1)) recipe = { cls, where: best.where, args: best.args, mutators };
  }
  recipes.set(key, recipe ?? null);
  return recipe;
}

const STRING_METHODS = new Set(['toLowerCase', 'toUpperCase', 'split', 'trim', 'charAt', 'charCodeAt', 'startsWith', 'endsWith', 'replace', 'substring', 'substr']);
const ARRAY_METHODS = new Set(['push', 'pop', 'shift', 'unshift', 'forEach', 'map', 'filter', 'reduce', 'concat', 'slice', 'splice', 'indexOf', 'join', 'length', 'sort', 'reverse', 'some', 'every']);

/** A value for a field from what is done with it (`.toLowerCase()`: a string, `.push()`: an array), else a number. */
function fieldValue(use: SyntaxNode): string {
  const parent = use.parent;
  const p = parent?.type === 'member_expression' && parent.child('object') === use ? parent.child('property')?.text : undefined;
  if (p && STRING_METHODS.has(p)) return "rng.pick(['tb', 'lr', 'bt', 'rl'])";
  if (p && ARRAY_METHODS.has(p)) return '[]';
  return 'rng.int(0, n)';
}

/** Fields the function reads back from `obj.getter(…)` (`g.node(v).width`, `var n = g.node(v); n.rank`), with a value for each. */
function fieldsRead(fn: SyntaxNode, obj: string, getter: string): Map<string, string> {
  const out = new Map<string, string>();
  const vars = new Set<string>();
  const isGet = (n: SyntaxNode | null) => n?.type === 'call_expression' && n.child('function')?.text === `${obj}.${getter}`;
  for (const d of fn.descendants()) {
    if (d.type === 'variable_declarator' && isGet(d.child('value')) && d.child('name')?.type === 'identifier') vars.add(d.child('name')!.text);
  }
  for (const d of fn.descendants()) {
    if (d.type !== 'member_expression') continue;
    const o = d.child('object');
    const p = d.child('property')?.text;
    if (p && /^[A-Za-z_$][\w$]*$/.test(p) && (isGet(o) || (o?.type === 'identifier' && vars.has(o.text))) && !out.has(p)) out.set(p, fieldValue(d));
  }
  return out;
}

/** `setNode` → `node`, `addEdge` → `edge`. */
function getterOf(mutator: string): string {
  const rest = mutator.replace(/^(set|add|put|insert)/, '');
  return rest.charAt(0).toLowerCase() + rest.slice(1);
}

/** The statements that build and grow one instance into `v`. */
function buildCode(r: Recipe, v: string, fn: SyntaxNode, param: string): string[] {
  const label = (m: Mutator, i: number) => {
    const fields = new Map(m.labels.get(i)?.fields ?? []);
    for (const [f, v] of fieldsRead(fn, param, getterOf(m.name))) if (fields.get(f) === undefined) fields.set(f, v);
    return `{ ${[...fields].map(([k, lit]) => `${k}: ${lit ?? 'rng.int(0, n)'}`).join(', ')} }`;
  };
  // A mutator without keys (`setGraph(label)`) is given labels: what it sets is read back whole.
  const args = (m: Mutator, keys: string[]) => {
    let k = 0;
    const keyless = !m.roles.includes('key');
    return m.roles.map((role, i) => (role === 'key' ? keys[k++] : role === 'label' || keyless ? label(m, i) : 'rng.int(0, n)')).join(', ');
  };
  const lines = [`const ${v} = new ${v}_class(${r.args});`];
  const keyCount = (m: Mutator) => m.roles.filter((x) => x === 'key').length;
  for (const m of r.mutators.filter((x) => keyCount(x) === 0)) lines.push(`${v}.${m.name}(${args(m, [])});`);
  for (const m of r.mutators.filter((x) => keyCount(x) === 1)) lines.push(`for (let i = 0; i < n; i++) ${v}.${m.name}(${args(m, ['String(i)'])});`);
  const link = r.mutators.filter((x) => keyCount(x) === 2).sort((a, b) => b.calls - a.calls)[0];
  if (link) {
    lines.push(`for (let i = 1; i < n; i++) ${v}.${link.name}(${args(link, ['String(rng.int(0, i - 1))', 'String(i)'])});`);
    lines.push(`for (let k = 0; k < n && n > 2; k++) { const a = rng.int(0, n - 2), b = rng.int(a + 1, n - 1); ${v}.${link.name}(${args(link, ['String(a)', 'String(b)'])}); }`);
  }
  return lines;
}

/** What the report says was scaled: the construction and the mutators that grew it. */
function grownBy(r: Recipe): string {
  const keyCount = (m: Mutator) => m.roles.filter((x) => x === 'key').length;
  const link = r.mutators.filter((x) => keyCount(x) === 2).sort((a, b) => b.calls - a.calls)[0];
  const used = r.mutators.filter((m) => keyCount(m) <= 1 || m === link);
  return `new ${r.cls.name}(${r.args}) grown by ${used.map((m) => `.${m.name}(${m.roles.join(', ')})`).join(', ')}`;
}

/** Objects used through their methods, built from a class of the project or its dependencies and grown through its mutators. */
export function instanceExample(fn: ExampleSubject, ctx: ExampleContext): ExampleInput | undefined {
  if (!ctx.file) return undefined;
  const inferred = inferParams(fn.node, fn.root, ctx);
  const required = fn.params.filter((p) => !p.optional);
  const parse = fileParser(ctx);
  const project = ecmascriptProject(parse);
  // A parameter only passed on has the uses of the one it is passed to (`topsort(g)`).
  const missing = new Set<string>();
  const uses = new Map(required.map((p) => {
    const u = inferred.get(p.name);
    const there = u?.evidence.length || u?.type ? u.evidence : usesWherePassed(fn.node, fn.root, ctx.file!, p.name, ctx, project);
    if (there === 'missing') missing.add(p.name);
    return [p.name, there === 'missing' ? [] : there];
  }));
  // Only when some parameter is an object used through methods nothing else builds.
  if (!required.some((p) => !inferred.get(p.name)?.type && neededMethods(uses.get(p.name)!))) return undefined;
  const root = packageRoot(ctx.file);
  const lines: string[] = [];
  const built: { param: string; recipe: Recipe }[] = [];
  const args: string[] = [];
  for (const p of required) {
    const u = inferred.get(p.name);
    if (u?.type) {
      args.push(expression(u.type, true));
      continue;
    }
    if (missing.has(p.name)) {
      args.push('null');
      continue;
    }
    const needs = neededMethods(uses.get(p.name)!);
    if (!needs) {
      if (uses.get(p.name)!.length) return undefined;
      // Nothing says what it is (only passed on, often to the object's own methods: `g.node(v)`): one of the keys.
      args.push(`String(rng.int(0, Math.max(n - 1, 0)))`);
      continue;
    }
    const candidates = classIndex(root, parse, needs).slice().sort((a, b) => a.methods.size - b.methods.size || (a.file.pkg ? 1 : 0) - (b.file.pkg ? 1 : 0));
    let recipe: Recipe | undefined;
    for (const c of candidates.slice(0, 6)) if ((recipe = recipeFor(c, root, parse))) break;
    if (!recipe) return undefined;
    const v = `__hotpath_obj${built.length}`;
    const spec = recipe.cls.file.pkg ? recipe.cls.spec : `./${relative(dirname(ctx.file), recipe.cls.file.path).split('\\').join('/')}`.replace(/^\.\/\.\.\//, '../');
    lines.push(`  // ${p.name}: a ${recipe.cls.name} (has the methods its uses need), built as at ${recipe.where} and grown through its own methods`);
    lines.push(`  const ${v}_class = require(${JSON.stringify(spec)})${recipe.cls.member ? `.${recipe.cls.member}` : ''};`);
    for (const l of buildCode(recipe, v, fn.node, p.name)) lines.push(`  ${l}`);
    args.push(v);
    built.push({ param: p.name, recipe });
  }
  if (!built.length) return undefined;
  const text = ['function __hotpath_example(n, rng) {', ...lines, `  return [${args.join(', ')}];`, '}', ''].join('\n');
  return {
    source: 'class',
    where: built[0].recipe.where,
    call: built.map((b) => `${b.param}: a ${b.recipe.cls.name}${b.recipe.cls.file.pkg ? ` (package ${b.recipe.cls.file.pkg})` : ''}`).join(', '),
    scaled: [...built.map((b) => grownBy(b.recipe)).slice(0, 4), ...[...missing].map((m) => `${m}: null (where it is passed, its fallback is used)`)],
    minN: 1,
    generator: { name: '__hotpath_example', text },
    keywords: [],
    grown: true,
  };
}
