// Limits on the engine worker: how much memory it may hold before it is stopped, and how its
// resident memory is read from outside (a worker stuck in native code cannot answer a request).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import type { GgufSummary } from '../gguf';

/** Sessions the completion provider keeps (4 documents) plus the shared one and a benchmark's. */
const SESSIONS = 6;
const OVERHEAD = 1.5 * 1024 ** 3;

/**
 * Default memory cap: the weights, a full f16 KV cache for each of a few sessions at the configured
 * context, and room for the runtime, never more than 90% of the machine. A model that needs more
 * than this is not loading normally (a crafted header, a runaway allocation).
 */
export function defaultMemoryCap(model: Pick<GgufSummary, 'fileSize' | 'layers' | 'kvHeads' | 'headSize'>, contextSize: number, machine = totalmem()): number {
  const kvPerToken = 2 * (model.layers ?? 32) * (model.kvHeads ?? 8) * (model.headSize ?? 128) * 2;
  const want = model.fileSize + kvPerToken * contextSize * SESSIONS + OVERHEAD;
  return Math.min(Math.floor(machine * 0.9), Math.max(2 * 1024 ** 3, want));
}

/** Resident set size of a process in bytes (Linux: /proc; elsewhere: ps), undefined if unknown. */
export async function residentBytes(pid: number): Promise<number | undefined> {
  if (process.platform === 'linux') {
    try {
      const statm = await readFile(`/proc/${pid}/statm`, 'utf8');
      const pages = Number(statm.split(' ')[1]);
      return Number.isFinite(pages) ? pages * 4096 : undefined;
    } catch {
      return undefined;
    }
  }
  if (process.platform === 'win32') return undefined;
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'rss=', '-p', String(pid)], (err, out) => {
      const kb = Number(String(out).trim());
      resolve(err || !Number.isFinite(kb) ? undefined : kb * 1024);
    });
  });
}
