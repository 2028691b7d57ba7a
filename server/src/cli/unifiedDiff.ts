// A unified diff of two texts (`hotpath check --diff`), as `diff -u` prints it: `--- a/`/`+++ b/` headers,
// hunks with 3 lines of context, "\ No newline at end of file" where a side lacks its last line end.
// Lines are compared with Myers' O((N+M)·D) algorithm: a fix changes few lines of a long file.
import { isAbsolute, parse, relative, resolve, sep } from 'node:path';

export type Op = { kind: ' ' | '-' | '+'; line: string; a: number; b: number };

/** The lines of a text, each with its line end (the last one may have none). */
export function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * Myers' shortest edit script between two line arrays. Each step keeps only the diagonals live at
 * the step before it (d of them), not the whole frontier: memory O(D²) rather than O(D·(N+M)), so
 * a 40k-line file with a thousand fixes no longer takes a gigabyte (review 10 L1).
 */
export function editScript(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  // trace[d][i]: the furthest x on diagonal k = -(d - 1) + 2i after step d - 1.
  const trace: Int32Array[] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    const live = new Int32Array(d);
    for (let i = 0; i < d; i++) live[i] = v[max - (d - 1) + 2 * i];
    trace.push(live);
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1] < v[max + k + 1]) ? v[max + k + 1] : v[max + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
  }
  // Walk back through the saved frontiers.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const w = trace[d];
    const at = (k: number) => w[(k + d - 1) / 2];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ kind: ' ', line: a[--x], a: x, b: --y });
    if (d === 0) break;
    if (x === prevX) ops.push({ kind: '+', line: b[--y], a: x, b: y });
    else ops.push({ kind: '-', line: a[--x], a: x, b: y });
  }
  return ops.reverse();
}

function shown(op: Op): string {
  return op.line.endsWith('\n') ? `${op.kind}${op.line}` : `${op.kind}${op.line}\n\\ No newline at end of file\n`;
}

/** `diff -u`'s output for `before` → `after` under the name `path`, with git's `a/` and `b/` prefixes ('' when they are equal). */
export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  return before === after ? '' : `${header(path)}${hunks(before, after, context)}`;
}

/**
 * The same over bytes (`--diff`): lines end at LF as `patch` and `git apply` read them, and every
 * line is shown in the file's own bytes (encoding, CR or CRLF line ends), so that the diff applies
 * to the file on disk and gives the bytes `--fix` writes (review 10 L3). The header's path is UTF-8.
 */
export function unifiedDiffOfBytes(path: string, before: Uint8Array, after: Uint8Array, context = 3): Buffer {
  const a = Buffer.from(before);
  const b = Buffer.from(after);
  if (a.equals(b)) return Buffer.alloc(0);
  return Buffer.concat([Buffer.from(header(path), 'utf8'), Buffer.from(hunks(a.toString('latin1'), b.toString('latin1'), context), 'latin1')]);
}

const header = (path: string) => `--- a/${path}\n+++ b/${path}\n`;

/**
 * The name a file has in `--diff` (review 11 M1): relative to the working directory when it lies
 * inside it, so that `git apply` and `patch -p1` take the diff there; else its absolute path from the
 * file system's root (`a/tmp/x.py`, applied from `/`: `git apply` takes no absolute or `../` name).
 * Separators are `/`.
 */
export function diffPathOf(path: string, cwd = process.cwd()): string {
  const full = resolve(cwd, path);
  const rel = relative(cwd, full);
  const inside = rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  const shown = inside ? rel : full.slice(parse(full).root.length);
  return shown.split(sep).join('/');
}

function hunks(before: string, after: string, context: number): string {
  const ops = editScript(linesOf(before), linesOf(after));
  const changed = ops.map((o, i) => (o.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  let out = '';
  for (let h = 0; h < changed.length; ) {
    // A hunk: changes closer than 2·context lines apart share one.
    let last = h;
    while (last + 1 < changed.length && changed[last + 1] - changed[last] <= 2 * context) last++;
    const from = Math.max(0, changed[h] - context);
    const to = Math.min(ops.length, changed[last] + context + 1);
    const part = ops.slice(from, to);
    const aLen = part.filter((o) => o.kind !== '+').length;
    const bLen = part.filter((o) => o.kind !== '-').length;
    const aStart = part[0].a + (aLen ? 1 : 0);
    const bStart = part[0].b + (bLen ? 1 : 0);
    out += `@@ -${aStart},${aLen} +${bStart},${bLen} @@\n${part.map(shown).join('')}`;
    h = last + 1;
  }
  return out;
}
