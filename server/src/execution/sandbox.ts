// One harness process, isolated and limited. It runs in a fresh temporary folder (the only
// writable place; HOME and TMPDIR point inside it) under the machine's isolation mechanism
// (isolation/: bubblewrap or unshare namespaces on Linux, sandbox-exec on macOS, an AppContainer
// and a job object on Windows) with an allowlisted environment. Limits: a wall-clock watchdog on
// every wait, memory (the resident set of every process the run started, polled from /proc; the
// harnesses add their own backstops), the number of processes, and what the user code writes to
// stdout/stderr. Cancellation (AbortSignal) kills the run.
//
// Nothing survives a run: the whole process tree is killed (its process group, every descendant
// seen while it ran, and under a PID namespace the kernel kills the namespace with its first
// process). The run's end is the harness's exit, never the end of its output pipes, which a
// daemonised child may hold open.
//
// Protocol: JSON lines both ways over fd 3 (a socket pair); fds 1 and 2 belong to the user code.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { runEnvironment, type Isolation } from './isolation';
import type { Limits } from './types';

export type HarnessMessage =
  | { ev: 'ready'; pid: number }
  | { ev: 'generated'; input: string }
  | { ev: 'probe'; t: number; mutates?: boolean }
  | { ev: 'sample'; t: number }
  | { ev: 'done'; samples?: number[]; batch?: number; prep?: number; callDump?: number; noopDump?: number; cpu?: number; wall?: number; checks?: Record<string, string>; tampered?: string[] }
  | { ev: 'ran'; input: string; inputRepr: string; result: Outcome; args: unknown; changed: Record<string, unknown>; deterministic: boolean; second: Outcome | null; tampered: string[] }
  | { ev: 'error'; where: 'load' | 'call' | 'generate' | 'harness'; n?: number; type: string; message: string; traceback: string; input?: string };

/** A call's outcome as the harness encodes it: a returned value, or an exception's type and message. */
export type Outcome = ['r', unknown] | ['x', string, string];

export type KillReason = 'memory' | 'output' | 'processes' | 'cancelled';

/** How a wait ended without a message. */
export type Terminal = { ev: 'timeout' } | { ev: 'exit'; code: number | null; signal: string | null; reason?: KillReason; stderr: string };

export const OUTPUT_KEPT = 16 * 1024;

export interface SpawnSpec {
  /** Absolute path of the program (the interpreter, or valgrind) and its arguments. */
  command: string;
  args: string[];
  /** The harness's own variables; everything else comes from the environment allowlist. */
  env: Record<string, string>;
  limits: Limits;
  isolation: Isolation;
  /** Paths the program may read (system, interpreter, the user's project). */
  readOnly: string[];
  signal?: AbortSignal;
  /** Called with the fresh run folder before spawning: write the harness and spec files there. */
  prepare(dir: string): void;
}

interface ProcInfo {
  pid: number;
  ppid: number;
  /** Start time in clock ticks since boot: with the pid, identifies a process across reuse. */
  start: string;
  rssBytes: number;
  /** User + system CPU time, in clock ticks. */
  cpuTicks: number;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces, in parentheses).
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(rest[1]), start: rest[19], rssBytes: Number(rest[21]) * 4096, cpuTicks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return undefined;
  }
}

/** Every process under `root` (itself included), from /proc; empty where there is no /proc. */
export function processTree(root: number): ProcInfo[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const children = new Map<number, ProcInfo[]>();
  let rootInfo: ProcInfo | undefined;
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const info = readProc(Number(e));
    if (!info) continue;
    if (info.pid === root) rootInfo = info;
    const list = children.get(info.ppid);
    if (list) list.push(info);
    else children.set(info.ppid, [info]);
  }
  if (!rootInfo) return [];
  const out: ProcInfo[] = [];
  const stack = [rootInfo];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p.pid) ?? []));
  }
  return out;
}

/** The pid (in this namespace) of a process whose pid in its own PID namespace is `inner`, among `tree`. */
function outerPid(tree: ProcInfo[], inner: number): number | undefined {
  for (const p of tree) {
    try {
      const m = /^NSpid:\s*([\d\s]+)$/m.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'));
      const ids = m?.[1].trim().split(/\s+/).map(Number) ?? [p.pid];
      if (ids[ids.length - 1] === inner) return p.pid;
    } catch {
      // gone
    }
  }
  return undefined;
}

const CLOCK_TICKS = 100;

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
  private killReason: KillReason | undefined;
  /** Set as soon as the run is killed (the exit event comes later). */
  private killed = false;
  /** Every process of the run seen so far (pid → start time), killed with it. */
  private readonly seen = new Map<number, string>();
  private readonly monitor: NodeJS.Timeout;
  private readonly onAbort = () => this.kill('cancelled');
  private disposed = false;
  private harnessPid: number | undefined;

  constructor(private readonly spec: SpawnSpec) {
    this.dir = mkdtempSync(join(tmpdir(), 'hotpath-exec-'));
    mkdirSync(join(this.dir, 'home'));
    mkdirSync(join(this.dir, 'tmp'));
    spec.prepare(this.dir);
    const launch = spec.isolation.wrap({
      runDir: this.dir,
      command: spec.command,
      args: spec.args,
      env: runEnvironment(this.dir, spec.command, spec.env),
      readOnly: spec.readOnly,
    });
    this.child = spawn(launch.command, launch.args, {
      cwd: this.dir,
      env: launch.env,
      // Its own process group (POSIX): one kill reaches everything that did not leave the group.
      // On Windows the job object of the isolation (or libuv's, without it) holds the tree.
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
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
    this.child.stdout!.on('error', () => undefined);
    this.child.stderr!.on('error', () => undefined);
    this.child.on('error', (err) => {
      this.stderrTail += `\n${err.message}`;
      this.finish(null, null);
    });
    this.child.on('exit', (code, signal) => this.finish(code, signal));
    const memLimit = spec.limits.memoryMb * 1024 * 1024;
    this.monitor = setInterval(() => this.check(memLimit), 100);
    this.monitor.unref?.();
    if (spec.signal?.aborted) this.kill('cancelled');
    spec.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  private check(memLimit: number): void {
    const pid = this.child.pid;
    if (!pid || this.killed) return;
    const tree = processTree(pid);
    for (const p of tree) this.seen.set(p.pid, p.start);
    // The isolation's own processes (bwrap, unshare, sh) are part of the tree: a few extra.
    if (tree.length > this.spec.limits.maxProcesses + 4) this.kill('processes');
    else if (tree.reduce((s, p) => s + p.rssBytes, 0) > memLimit) this.kill('memory');
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

  /**
   * CPU seconds (user + system) the kernel has accounted to the harness process: read from
   * outside, so nothing the user code does in the process can change it. Undefined without /proc.
   */
  kernelCpuSeconds(): number | undefined {
    const pid = this.child.pid;
    if (!pid || this.harnessPid === undefined) return undefined;
    const tree = processTree(pid);
    const outer = outerPid(tree, this.harnessPid);
    const info = outer === undefined ? undefined : tree.find((p) => p.pid === outer);
    return info ? info.cpuTicks / CLOCK_TICKS : undefined;
  }

  send(command: object): void {
    if (this.exited) return;
    const channel = this.child.stdio[3] as Socket;
    channel.write(JSON.stringify(command) + '\n');
  }

  /** The next message, or how the process ended, or a timeout (which kills the run). */
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

  /** Kill the run: the process group, every process of the tree seen so far or now. */
  kill(reason?: KillReason): void {
    if (reason && !this.killReason) this.killReason = reason;
    this.killed = true;
    const pid = this.child.pid;
    if (pid === undefined) return;
    for (const p of processTree(pid)) this.seen.set(p.pid, p.start);
    if (process.platform === 'win32') this.child.kill('SIGKILL');
    else {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const [p, start] of this.seen) {
      // Only the same process (a pid may have been reused since).
      if (readProc(p)?.start !== start) continue;
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }

  /** Stop the process (politely if it is idle), kill the run, remove the folder. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.spec.signal?.removeEventListener('abort', this.onAbort);
    if (!this.exited) {
      this.send({ op: 'exit' });
      await Promise.race([new Promise<void>((r) => this.child.once('exit', () => r())), new Promise<void>((r) => setTimeout(r, 500).unref?.())]);
    }
    // Whatever the code started (forks, daemons) dies with the run.
    this.kill();
    clearInterval(this.monitor);
    // A survivor holding the output pipes must not keep this process waiting.
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    (this.child.stdio[3] as Socket | null)?.destroy();
    try {
      rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }

  private push(m: HarnessMessage | Terminal): void {
    if (m.ev === 'ready' && this.harnessPid === undefined) this.harnessPid = m.pid;
    if (this.waiter) this.waiter(m);
    else this.queue.push(m);
  }

  private finish(code: number | null, signal: string | null): void {
    if (this.exited) return;
    clearInterval(this.monitor);
    // Kill stragglers as soon as the harness itself is gone.
    this.kill();
    this.exited = { ev: 'exit', code, signal, reason: this.killReason, stderr: this.stderrTail };
    // Deliver after pending channel data (the exit event may precede the last 'data').
    setImmediate(() => this.push(this.exited!));
  }
}
