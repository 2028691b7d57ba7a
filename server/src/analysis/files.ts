// Walk source files: directories recursively, honouring .gitignore files (at every level, like git)
// and skipping VCS and dependency folders; files given explicitly are always taken. Used by
// `hotpath check` and by the editor's workspace diagnostics, which pass what a source file is
// (`isSource`: a language's extension).
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { MAX_CONFIG_BYTES, readRegularFile } from './regularFile';

const ALWAYS_SKIPPED = new Set(['.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', '.tox', '.mypy_cache']);

interface IgnoreLayer {
  dir: string;
  rules: Ignore;
}

/**
 * `parentIgnoreFiles`: also honour the .gitignore files above each path, up to the repository root,
 * as git does (the CLI). The editor's workspace check does not (like VS Code's default
 * `search.useParentIgnoreFiles: false`): a folder the user opened is checked even when the repository
 * around it ignores it.
 */
export function collectFiles(paths: string[], isSource: (path: string) => boolean, exclude: string[] = [], parentIgnoreFiles = true): string[] {
  const out: string[] = [];
  const excluded = ignore().add(exclude);
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) throw new Error(`${p}: no such file or directory`);
    if (statSync(abs).isDirectory()) walk(abs, parentIgnoreFiles ? ancestorsLayers(abs) : [], out, excluded, abs, isSource);
    else out.push(abs);
  }
  return [...new Set(out)];
}

/** .gitignore files above the starting directory, up to the repository root. */
function ancestorsLayers(dir: string): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  let current = dir;
  for (;;) {
    const parent = resolve(current, '..');
    if (parent === current) break;
    current = parent;
    const layer = readLayer(current);
    if (layer) layers.unshift(layer);
    if (existsSync(join(current, '.git'))) break;
  }
  return layers;
}

function readLayer(dir: string): IgnoreLayer | undefined {
  const read = readRegularFile(join(dir, '.gitignore'), MAX_CONFIG_BYTES); // absent, a FIFO or a huge one: no layer
  return read.bytes ? { dir, rules: ignore().add(read.bytes.toString('utf8')) } : undefined;
}

function ignored(path: string, isDir: boolean, layers: IgnoreLayer[]): boolean {
  return layers.some((l) => {
    const rel = relative(l.dir, path).split(sep).join('/');
    return rel !== '' && !rel.startsWith('..') && l.rules.ignores(isDir ? `${rel}/` : rel);
  });
}

function walk(dir: string, layers: IgnoreLayer[], out: string[], excluded: Ignore, root: string, isSource: (path: string) => boolean): void {
  const own = readLayer(dir);
  const here = own ? [...layers, own] : layers;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // unreadable directory: skip it, like git
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const path = join(dir, e.name);
    const rel = relative(root, path).split(sep).join('/');
    if (e.isDirectory()) {
      if (ALWAYS_SKIPPED.has(e.name) || ignored(path, true, here) || excluded.ignores(`${rel}/`)) continue;
      walk(path, here, out, excluded, root, isSource);
    } else if (e.isFile() && isSource(e.name) && !ignored(path, false, here) && !excluded.ignores(rel)) {
      out.push(path);
    }
  }
}

/**
 * Would walking `root` reach `path`? (A file created inside the workspace: not in a skipped folder,
 * not ignored by a .gitignore between the repository root and it, not excluded.)
 */
export function isWalked(root: string, path: string, isSource: (path: string) => boolean, exclude: string[] = [], parentIgnoreFiles = true): boolean {
  const abs = resolve(path);
  const rel = relative(root, abs).split(sep).join('/');
  if (!rel || rel.startsWith('..') || !isSource(abs)) return false;
  const parts = rel.split('/');
  if (parts.slice(0, -1).some((p) => ALWAYS_SKIPPED.has(p))) return false;
  if (ignore().add(exclude).ignores(rel)) return false;
  let layers = parentIgnoreFiles ? ancestorsLayers(root) : [];
  let dir = root;
  for (let i = 0; i < parts.length; i++) {
    const own = readLayer(dir);
    if (own) layers = [...layers, own];
    const here = join(dir, parts[i]);
    if (ignored(here, i < parts.length - 1, layers)) return false;
    dir = here;
  }
  return true;
}

/** Limits on what `readProjectFiles` reads: it stops at whichever comes first. */
export interface ReadLimits {
  /** Files read at most. */
  maxFiles: number;
  /** Larger files are left out. */
  maxFileBytes: number;
  /** No more files once this much text is read (default: no limit). */
  maxTotalBytes?: number;
  /** Folders this deep below the root are not entered. */
  maxDepth: number;
  /** Folder names never entered (besides hidden ones). */
  skipDirs: ReadonlySet<string>;
}

export interface ProjectFile {
  path: string;
  text: string;
}

/**
 * The text of the source files under `root` (`isSource` gets the file's name), in name order,
 * hidden entries and `limits.skipDirs` left out, symbolic links followed but each real folder entered
 * once (a link back to an ancestor is a cycle: it would multiply the walk by the links' count at every
 * level), unreadable entries skipped. `spent` carries the counts across several roots (a project and its
 * dependencies) so that the limits hold for them together. For the execution checks' input search,
 * which reads a project's tests and classes during an editor request: unlike `collectFiles` it reads
 * the files, ignores .gitignore and is bounded.
 */
export function readProjectFiles(root: string, isSource: (name: string) => boolean, limits: ReadLimits, spent = { files: 0, bytes: 0 }): ProjectFile[] {
  const out: ProjectFile[] = [];
  const full = () => spent.files >= limits.maxFiles || spent.bytes >= (limits.maxTotalBytes ?? Infinity);
  const entered = new Set<string>();
  const visit = (dir: string, depth: number): void => {
    if (depth > limits.maxDepth || full()) return;
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return;
    }
    if (entered.has(real)) return;
    entered.add(real);
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries.sort()) {
      if (full()) return;
      if (name.startsWith('.') || limits.skipDirs.has(name)) continue;
      const path = join(dir, name);
      let st;
      try {
        st = statSync(path);
      } catch {
        continue;
      }
      if (st.isDirectory()) visit(path, depth + 1);
      else if (st.isFile() && isSource(name) && st.size <= limits.maxFileBytes) {
        const read = readRegularFile(path, limits.maxFileBytes); // bounded even if the file grew since the stat
        if (read.bytes) {
          out.push({ path, text: read.bytes.toString('utf8') });
          spent.files++;
          spent.bytes += read.bytes.length;
        } // else unreadable: left out
      }
    }
  };
  visit(root, 0);
  return out;
}
