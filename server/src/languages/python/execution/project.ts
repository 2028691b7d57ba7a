// Top-level functions and classes of the project a module belongs to, by name: where a parameter
// the function only passes on (`helper(x)`, `Rule(x)`, `utils.walk(x)`) gets its type from what the
// callee's parameter needs (usage.ts follows them; instances.ts reads the callee's uses). The files
// are those callsites.ts reads (kept a minute); a file is parsed only when its text defines the name.

import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { SyntaxNode } from '../../../parsing';
import { ShortCache } from '../../../execution/shortCache';
import { projectFiles, projectRoot } from './callsites';

export interface PythonDefinition {
  /** The `function_definition` or `class_definition`. */
  node: SyntaxNode;
  /** Its module. */
  root: SyntaxNode;
  file: string;
}

/** Where a module's code finds the project's other functions and classes (usage.ts asks it). */
export interface PythonProject {
  definition(name: string, kind: 'function' | 'class'): PythonDefinition | undefined;
  /** Is the module of an import (`pkg.util`, `.util`) one of the project's own (not the standard library's or a dependency's)? */
  owns(module: string): boolean;
}

/** Files parsed per name at most (a name defined in many files: the first that defines it at the top level wins). */
const MAX_PARSED = 4;

const trees = new ShortCache<string, { text: string; root: SyntaxNode }>();
const found = new ShortCache<string, PythonDefinition | null>();

/** The project of the module at `file` (the folder callsites.ts finds), parsing with `parse`. */
export function pythonProject(file: string, parse: (text: string) => SyntaxNode): PythonProject {
  const root = projectRoot(file);
  const treeOf = (path: string, text: string): SyntaxNode => {
    const t = trees.get(path);
    if (t && t.text === text) return t.root;
    const parsed = parse(text);
    trees.set(path, { text, root: parsed });
    return parsed;
  };
  return {
    owns: (module) => module.startsWith('.') || [join(root, module.split('.')[0]), join(root, `${module.split('.')[0]}.py`)].some((p) => existsSync(p)),
    definition(name, kind) {
      const key = `${root}\0${kind}\0${name}`;
      const cached = found.get(key);
      if (cached !== undefined) return cached ?? undefined;
      const line = kind === 'function' ? new RegExp(`^(?:async\\s+)?def ${name}\\s*\\(`, 'm') : new RegExp(`^class ${name}\\s*[(:]`, 'm');
      let def: PythonDefinition | undefined;
      let parsed = 0;
      for (const f of projectFiles(root)) {
        if (!f.path.endsWith('.py') || !line.test(f.text)) continue;
        if (++parsed > MAX_PARSED) break;
        const tree = treeOf(f.path, f.text);
        for (const top of tree.namedChildren) {
          const d = top.type === 'decorated_definition' ? top.child('definition') : top;
          if (d?.type === (kind === 'function' ? 'function_definition' : 'class_definition') && d.child('name')?.text === name) {
            def = { node: d, root: tree, file: f.path };
            break;
          }
        }
        if (def) break;
      }
      found.set(key, def ?? null);
      return def;
    },
  };
}

/** The dotted module name of a file inside a package (`networkx.classes.graph`), from the folder above its top package. */
export function moduleName(file: string): string | undefined {
  const parts = [basename(file, '.py')];
  let dir = dirname(file);
  while (existsSync(join(dir, '__init__.py'))) {
    parts.unshift(basename(dir));
    dir = dirname(dir);
  }
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts.length && parts.every((p) => /^[A-Za-z_]\w*$/.test(p)) ? parts.join('.') : undefined;
}
