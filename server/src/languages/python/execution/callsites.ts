// Inputs from the project's tests and other call sites: a call of the function somewhere in the
// project (the folder above its top package, or the nearest folder with pyproject.toml / setup.py
// / .git) whose arguments the statements before it build (`G = nx.path_graph(4)` then
// `assert nx.max_clique(G) …`), scaled to n by example.ts. A call in a test file or a `test_…`
// function is a test; any other, a call site. Only calls that name this function are used: the
// function's own module, an import of its name, or `module.name(…)` on an imported module.

import { existsSync } from 'node:fs';
import { readProjectFiles, type ProjectFile, type ReadLimits } from '../../../analysis/files';
import { dirname, join, relative } from 'node:path';
import type { SyntaxNode } from '../../../parsing';
import type { ExampleContext, ExampleInput, ExampleSource, ExampleSubject } from '../../../execution/language';
import { ShortCache } from '../../../execution/shortCache';
import { pythonExample } from './example';
import { topLevels } from './extract';

const LIMITS: ReadLimits = {
  maxFiles: 5000,
  maxFileBytes: 400_000,
  maxDepth: 8,
  skipDirs: new Set(['node_modules', '__pycache__', 'venv', 'site-packages', 'build', 'dist']),
};
/** Files parsed per function at most (the text search comes first). */
const MAX_PARSED = 40;

/** The project folder a module belongs to. */
export function projectRoot(file: string): string {
  let dir = dirname(file);
  for (let up = dir, i = 0; i < 6; i++, up = dirname(up)) {
    if (['pyproject.toml', 'setup.py', 'setup.cfg', '.git'].some((m) => existsSync(join(up, m)))) return up;
    if (dirname(up) === up) break;
  }
  while (existsSync(join(dir, '__init__.py')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The project's Python sources and `.doctest` files (path and text), read once per project and kept a minute. */
const projects = new ShortCache<string, ProjectFile[]>();
export function projectFiles(root: string): ProjectFile[] {
  const cached = projects.get(root);
  if (cached) return cached;
  const files = readProjectFiles(root, (name) => name.endsWith('.py') || name.endsWith('.doctest'), LIMITS);
  projects.set(root, files);
  return files;
}

const isTestFile = (path: string) => /(^|[\\/])(tests?|testing)[\\/]|(^|[\\/])test_[^\\/]*\.py$|_test\.py$|(^|[\\/])conftest\.py$/.test(path);

/** Statements of the blocks around `node`, before it, outermost first (the function's body up to the call). */
function precedingStatements(statement: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[][] = [];
  let s: SyntaxNode | null = statement;
  while (s?.parent) {
    const block: SyntaxNode = s.parent;
    // At the top level of a file only its imports count (added by the caller), not every definition above.
    if (block.type === 'block') out.unshift(block.namedChildren.filter((c) => c.startIndex < s!.startIndex && c.type !== 'comment'));
    if (block.type === 'module' || block.type === 'function_definition' || block.type === 'class_definition') break;
    s = block;
  }
  return out.flat();
}

/** A statement's text with its continuation lines dedented by its own column. */
function dedented(node: SyntaxNode): string {
  const col = node.startPosition.column;
  return node.text
    .split('\n')
    .map((l, i) => (i === 0 ? l : l.slice(Math.min(col, l.length - l.trimStart().length))))
    .join('\n');
}

function enclosing(node: SyntaxNode, type: string): SyntaxNode | undefined {
  for (const a of node.ancestors()) if (a.type === type) return a;
  return undefined;
}

/** Does the call (in a file other than the function's own) name this function: an import of it, or `module.name(…)` on an imported module? */
function namesFunction(call: SyntaxNode, name: string, imported: Set<string>, sameFile: boolean): boolean {
  const f = call.child('function');
  if (f?.type === 'identifier') return sameFile || imported.has(name);
  const obj = f?.type === 'attribute' ? f.child('object') : undefined;
  let base = obj;
  while (base?.type === 'attribute') base = base.child('object');
  return base?.type === 'identifier' && imported.has(base.text);
}

function findCall(fn: ExampleSubject, ctx: ExampleContext, wanted: ExampleSource): ExampleInput | undefined {
  if (!ctx.file) return undefined;
  const root = projectRoot(ctx.file);
  const known = new Set(topLevels(fn.root).flatMap((t) => t.binds));
  const pattern = new RegExp(`(^|[^\\w])${fn.name}\\s*\\(`);
  let parsed = 0;
  for (const file of projectFiles(root)) {
    if (!file.path.endsWith('.py') || !pattern.test(file.text) || isTestFile(relative(root, file.path)) !== (wanted === 'test')) continue;
    if (++parsed > MAX_PARSED) break;
    const sameFile = file.path === ctx.file;
    const tree = ctx.parse(file.text);
    // Absolute imports of the file run first in the generator (a relative one would not resolve from the function's module).
    const imports = tree.namedChildren.filter((c) => (c.type === 'import_statement' || (c.type === 'import_from_statement' && !c.child('module_name')?.text.startsWith('.'))));
    const imported = new Set<string>();
    for (const i of imports) for (const n of i.childrenIn('name')) imported.add(n.type === 'aliased_import' ? n.child('alias')!.text : i.type === 'import_statement' ? n.namedChildren[0].text : n.text);
    for (const call of tree.descendants()) {
      if (call.type !== 'call' || !namesFunction(call, fn.name, imported, sameFile)) continue;
      const f = call.child('function')!;
      if ((f.type === 'identifier' ? f.text : f.child('attribute')?.text) !== fn.name) continue;
      // Not the function calling itself, nor a call inside its own body.
      if (sameFile && fn.node.startIndex <= call.startIndex && call.endIndex <= fn.node.endIndex) continue;
      let statement: SyntaxNode = call;
      while (statement.parent && statement.parent.type !== 'block' && statement.parent.type !== 'module') statement = statement.parent;
      const def = enclosing(call, 'function_definition');
      const source: ExampleSource = isTestFile(relative(root, file.path)) || /^test/.test(def?.child('name')?.text ?? '') ? 'test' : 'call site';
      if (source !== wanted) continue;
      const setup = [...(sameFile ? [] : imports), ...precedingStatements(statement)].map(dedented);
      const found = pythonExample(fn.name, fn.params, { source, where: `${relative(root, file.path)}:${call.startPosition.row + 1}`, setup, statement: dedented(statement) }, known, ctx.parse);
      if (found) return found;
    }
  }
  return undefined;
}

/** The first call of the function in the project's tests that can be rebuilt at size n. */
export const testExample = (fn: ExampleSubject, ctx: ExampleContext) => findCall(fn, ctx, 'test');

/** The first call of the function elsewhere in the project (not a test) that can be rebuilt at size n. */
export const callSiteExample = (fn: ExampleSubject, ctx: ExampleContext) => findCall(fn, ctx, 'call site');
