// One harness process with limits. It runs in a fresh temporary directory, in its own process
// group (detached spawn), so that everything it starts (forks, subprocesses) is killed with it:
// `process.kill(-pid, 'SIGKILL')`. Limits: a wall-clock watchdog on every wait, a memory limit on
// the resident set of the whole group (polled from /proc; Python also gets RLIMIT_AS), and a cap
// on what the user code writes to stdout/stderr. Cancellation (AbortSignal) kills the group.
//
// Protocol: JSON lines both ways over fd 3 (a socket pair); fds 1 and 2 belong to the user code.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import type { Limits } from './types';

export type HarnessMessage =
  | { ev: 'ready' }
  | { ev: 'generated' }
  | { ev: 'probe'; t: number; mutates: boolean }
  | { ev: 'sample'; t: number }
  | { ev: 'done'; samples?: number[]; batch?: number; callDump?: number; noopDump?: number }
  | { ev: 'equiv'; equal: boolean; what?: string; expected?: string; actual?: string; input?: string }
  | { ev: 'error'; where: 'load' | 'call' | 'generate' | 'harness'; target: number; n?: number; type: string; message: string; traceback: string; input?: string };

/** How a wait ended without a message. */
export type Terminal =
  | { ev: 'timeout' }
  | { ev: 'exit'; code: number | null; signal: string | null; reason?: 'memory' | 'output' | 'cancelled'; stderr: string };

export const OUTPUT_KEPT = 16 * 1024;

export interface SpawnSpec {
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
  limits: Limits;
  signal?: AbortSignal;
  /** Called with a fresh temp dir before spawning: write the harness and spec files there. */
  prepare(dir: string): void;
}

/** Resident set (bytes) of every process in a process group, from /proc. */
export function groupRss(pgid: number): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      // Fields after the command name (which may contain spaces, in parentheses).
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[2]) !== pgid) continue;
      total += Number(rest[21]) * 4096;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

export class HarnessProcess {
  readonly dir: string;
  private readonly child: ChildProcess;
  private readonly queue: (HarnessMessage | Terminal)[] = [];
  private waiter: ((m: HarnessMessage | Terminal) => void) | undefined;
  private buffer = '';
  private outputBytes = 0;
  private kept = '';
  private stderrTail = '';
  private exited: Terminal | undefined;
  private killReason: 'memory' | 'output' | 'cancelled' | undefined;
  /** Set as soon as the group is killed (the exit event comes later). */
  private killed = false;
  private readonly monitor: NodeJS.Timeout;
  private readonly onAbort = () => this.kill('cancelled');
  private disposed = false;

  constructor(private readonly spec: SpawnSpec) {
    this.dir = mkdtempSync(join(tmpdir(), 'hotpath-exec-'));
    spec.prepare(this.dir);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...spec.env })) if (v !== undefined) env[k] = v;
    delete env.NODE_OPTIONS;
    this.child = spawn(spec.command, spec.args, {
      cwd: this.dir,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    const channel = this.child.stdio[3] as Socket;
    channel.setEncoding('utf8');
    channel.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let i = this.buffer.indexOf('\n'); i >= 0; i = this.buffer.indexOf('\n')) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 1);
        try {
          this.push(JSON.parse(line) as HarnessMessage);
        } catch {
          // not ours: ignore
        }
      }
    });
    channel.on('error', () => undefined);
    const onOutput = (isErr: boolean) => (chunk: Buffer) => {
      this.outputBytes += chunk.length;
      if (this.kept.length < OUTPUT_KEPT) this.kept += chunk.toString('utf8').slice(0, OUTPUT_KEPT - this.kept.length);
      if (isErr) this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4000);
      if (this.outputBytes > spec.limits.outputBytes) this.kill('output');
    };
    this.child.stdout!.on('data', onOutput(false));
    this.child.stderr!.on('data', onOutput(true));
    this.child.on('error', (err) => {
      this.stderrTail += `\n${err.message}`;
      this.finish(null, null);
    });
    this.child.on('exit', (code, signal) => this.finish(code, signal));
    const memLimit = spec.limits.memoryMb * 1024 * 1024;
    this.monitor = setInterval(() => {
      if (this.child.pid && groupRss(this.child.pid) > memLimit) this.kill('memory');
    }, 100);
    this.monitor.unref?.();
    if (spec.signal?.aborted) this.kill('cancelled');
    spec.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The user code's output so far (first 16 KiB). */
  get output(): string {
    return this.kept;
  }

  /** False once the process was killed or ended: a new one is needed for more work. */
  get alive(): boolean {
    return !this.exited && !this.killed;
  }

  send(command: object): void {
    if (this.exited) return;
    const channel = this.child.stdio[3] as Socket;
    channel.write(JSON.stringify(command) + '\n');
  }

  /** The next message, or how the process ended, or a timeout (which kills the group). */
  next(timeoutMs: number): Promise<HarnessMessage | Terminal> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.exited) return Promise.resolve(this.exited);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        this.kill();
        resolve({ ev: 'timeout' });
      }, Math.max(1, timeoutMs));
      this.waiter = (m) => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(m);
      };
    });
  }

  /** Kill the whole process group (the harness and anything it started). */
  kill(reason?: 'memory' | 'output' | 'cancelled'): void {
    if (reason && !this.killReason) this.killReason = reason;
    this.killed = true;
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** Stop the process (politely if it is idle), kill its group, remove the temp dir. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.spec.signal?.removeEventListener('abort', this.onAbort);
    if (!this.exited) {
      this.send({ op: 'exit' });
      const ended = await Promise.race([
        new Promise<boolean>((r) => this.child.once('exit', () => r(true))),
        new Promise<boolean>((r) => setTimeout(() => r(false), 500).unref?.()),
      ]);
      void ended;
    }
    // Children the function started (forks, subprocesses) share the group: kill them too.
    this.kill();
    clearInterval(this.monitor);
    try {
      rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }

  private push(m: HarnessMessage | Terminal): void {
    if (this.waiter) this.waiter(m);
    else this.queue.push(m);
  }

  private finish(code: number | null, signal: string | null): void {
    if (this.exited) return;
    clearInterval(this.monitor);
    // Kill stragglers in the group as soon as the harness itself is gone.
    this.kill();
    this.exited = { ev: 'exit', code, signal, reason: this.killReason, stderr: this.stderrTail };
    // Deliver after pending channel data (the exit event may precede the last 'data').
    setImmediate(() => this.push(this.exited!));
  }
}
