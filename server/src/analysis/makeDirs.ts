// Creating a folder and its missing parents, bounded. Node's own `mkdirSync(dir, { recursive: true })`
// never returns on some paths: under /proc (`--cache-dir /proc/nope`) it loops forever between
// mkdir("/proc/nope") = ENOENT and mkdir("/proc") = EEXIST at 100% CPU. Here the nearest existing
// ancestor must be a writable folder, then each missing folder is made once, top down: at most one
// mkdir per missing path component, and a failure is an Error that names the folder and the cause.
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Make `dir` and its missing parents; throws an Error naming why not. */
export function makeDirs(dir: string): void {
  const target = resolve(dir);
  const missing: string[] = [];
  let current = target;
  for (;;) {
    let st;
    try {
      st = statSync(current);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new Error(`cannot create ${target}: ${current}: ${(err as Error).message}`);
      const parent = dirname(current);
      if (parent === current) throw new Error(`cannot create ${target}: no existing folder above it`);
      missing.unshift(current);
      current = parent;
      continue;
    }
    if (!st.isDirectory()) throw new Error(`cannot create ${target}: ${current} is not a folder`);
    break;
  }
  if (missing.length === 0) return;
  try {
    accessSync(current, constants.W_OK);
  } catch {
    throw new Error(`cannot create ${target}: ${current} is not writable`);
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && statSync(d).isDirectory()) continue; // made by a concurrent run
      throw new Error(`cannot create ${d}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
}
