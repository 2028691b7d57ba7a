// What several benchmarks share: the standard library's files, the 10,000-line file of the keystroke
// benchmarks, seeded keystroke positions, and a baseline build of another commit.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** The CPython 3.11 standard library of this machine. */
export const STDLIB = ['/usr/lib/python3.11', '/root/.pyenv/versions/3.11.7/lib/python3.11'].find((d) => {
  try {
    return statSync(d).isDirectory();
  } catch {
    return false;
  }
})!;

/** The .py files under `dir` smaller than `maxBytes`, not descending into directories `skipDir`
 *  names; with `sorted`, each directory's entries in name order (else in the file system's). */
function walkPython(dir: string, o: { skipDir: (name: string) => boolean; maxBytes: number; sorted: boolean }, out: string[] = []): string[] {
  const names = readdirSync(dir);
  for (const name of o.sorted ? names.sort() : names) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) {
      if (!o.skipDir(name)) walkPython(path, o, out);
    } else if (name.endsWith('.py') && st.size < o.maxBytes) out.push(path);
  }
  return out;
}

const NOT_STDLIB = ['site-packages', 'dist-packages', '__pycache__', 'test', 'tests'];

/** The standard library's Python files without tests, idlelib and lib2to3 (unsorted). */
export function pythonFiles(dir: string = STDLIB): string[] {
  return walkPython(dir, { skipDir: (name) => [...NOT_STDLIB, 'idlelib', 'lib2to3'].includes(name), maxBytes: Infinity, sorted: false });
}

/** The files of the speed benchmarks (638 on this machine): every .py under 1 MB but tests, in path order. */
export function stdlibFiles(dir = STDLIB): string[] {
  return walkPython(dir, { skipDir: (name) => [...NOT_STDLIB, 'idle_test'].includes(name) || name.startsWith('.'), maxBytes: 1_000_000, sorted: true });
}

/** The first 10,000 lines of the standard library's files in path order, cut after a whole top-level statement. */
export function tenThousandLines(): string {
  const lines: string[] = [];
  for (const f of pythonFiles(STDLIB).sort()) {
    lines.push(...readFileSync(f, 'utf8').split('\n'));
    if (lines.length >= 10_000) break;
  }
  // Keep whole top-level statements: cut at the last unindented line before 10,000.
  let cut = 10_000;
  while (cut > 0 && /^\s/.test(lines[cut] ?? '')) cut--;
  return lines.slice(0, cut).join('\n') + '\n';
}

/** The LSP position of an offset. */
export function position(text: string, index: number): { line: number; character: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length - 1;
  return { line, character: index - (before.lastIndexOf('\n') + 1) };
}

/** Deterministic edit positions inside identifiers, so every edit is a realistic keystroke. */
export function editPoints(text: string, count: number): number[] {
  const points: number[] = [];
  let seed = 42;
  while (points.length < count) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const i = seed % text.length;
    if (/[a-z]/.test(text[i])) points.push(i);
  }
  return points;
}

/** A git ref of this repository checked out in a temporary worktree and built; `cleanup` removes it. */
export function buildBaseline(ref: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-baseline-'));
  execFileSync('git', ['worktree', 'add', '--detach', dir, ref], { cwd: ROOT, stdio: 'ignore' });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const r = spawnSync(process.execPath, [join(dir, 'scripts', 'build.mjs')], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`building ${ref} failed`);
  return {
    dir,
    cleanup: () => {
      // The folder may already be gone (a temp-folder sweep): remove what is left, then forget it.
      spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: ROOT, stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
      execFileSync('git', ['worktree', 'prune'], { cwd: ROOT, stdio: 'ignore' });
    },
  };
}
