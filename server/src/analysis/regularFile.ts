// Reading a user's file without trusting what its name says: a path ending in `.py` can be a FIFO
// (opening or reading it blocks until someone writes), a device or a link to one (`/dev/zero` never
// ends), or a file that grows while it is read. Every path that reads user files for analysis goes
// through here: the target is stat'ed (following links) first, only a regular file is opened (with
// O_NONBLOCK, so that a file swapped for a FIFO after the stat cannot block the open; fstat checks the
// opened file again), the size limit is applied from the stat, and the read itself is bounded: it never
// reads more than `maxBytes + 1` bytes, whatever the file turns out to hold.
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';

export type FileBytes = { bytes: Buffer; skipped?: undefined } | { bytes?: undefined; skipped: string };

const CHUNK = 64 * 1024;

/** `size` bytes in whole KB, for messages. */
export function kb(size: number): string {
  return `${Math.round(size / 1024)} KB`;
}

/** The bytes of the regular file at `path` if it holds at most `maxBytes`, or why it is not read. Never throws, never blocks on a FIFO. */
export function readRegularFile(path: string, maxBytes: number): FileBytes {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return { skipped: 'not a regular file' };
    size = st.size;
  } catch (err) {
    return { skipped: (err as Error).message };
  }
  if (size > maxBytes) return { skipped: `${kb(size)} is over the size limit` };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    return { skipped: (err as Error).message };
  }
  try {
    if (!fstatSync(fd).isFile()) return { skipped: 'not a regular file' };
    const chunks: Buffer[] = [];
    let total = 0;
    // Read until the end or one byte past the limit (the file may have grown since the stat).
    while (total <= maxBytes) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
    }
    if (total > maxBytes) return { skipped: `over ${kb(maxBytes)}, the size limit` };
    return { bytes: Buffer.concat(chunks, total) };
  } catch (err) {
    return { skipped: (err as Error).message };
  } finally {
    closeSync(fd);
  }
}

/** The text (UTF-8, invalid bytes replaced) of a regular file of at most `maxBytes`; throws an Error naming why not. For configuration and for files a command names (bench, optimize). */
export function readRegularText(path: string, maxBytes: number): string {
  const r = readRegularFile(path, maxBytes);
  if (r.skipped !== undefined) throw new Error(r.skipped);
  return r.bytes.toString('utf8');
}

/** Files named for a benchmark or a rewrite (one function's source file): generous, but bounded. */
export const MAX_NAMED_SOURCE_BYTES = 16 * 1024 * 1024;
/** Configuration files (.gitignore, pyproject.toml, package.json, hotpath.toml). */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
