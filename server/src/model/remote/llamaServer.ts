// The real llama.cpp server, for tests, benchmarks and evals: the `llama-server` binary that
// scripts/llama-server/build.sh builds from the llama.cpp source node-llama-cpp ships (the same
// llama.cpp as the embedded engine), cached by commit under the Hotpath cache, and a helper that
// starts it on a free loopback port and stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cacheDir } from '../fetch';
import { repoRoot } from '../testModel';

/** The llama.cpp commit node-llama-cpp ships (the HEAD of its git bundle). */
export function llamaCppCommit(root = repoRoot()): string {
  const bundle = join(root, 'node_modules', 'node-llama-cpp', 'llama', 'gitRelease.bundle');
  const fd = openSync(bundle, 'r');
  try {
    const head = Buffer.alloc(1024);
    const n = readSync(fd, head, 0, head.length, 0);
    const m = /^([0-9a-f]{40}) HEAD$/m.exec(head.toString('latin1', 0, n));
    if (!m) throw new Error(`no HEAD in ${bundle}`);
    return m[1];
  } finally {
    closeSync(fd);
  }
}

/** Where build.sh puts the binary ($HOTPATH_LLAMA_SERVER overrides). */
export function llamaServerPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOTPATH_LLAMA_SERVER || join(cacheDir(env), 'llama-server', llamaCppCommit(), 'llama-server');
}

export function llamaServerBuilt(env: NodeJS.ProcessEnv = process.env): boolean {
  return existsSync(llamaServerPath(env));
}

export interface LlamaServerOptions {
  model: string;
  /** Total context (`-c`); each of `slots` slots gets contextSize / slots. Default: the model's. */
  contextSize?: number;
  slots?: number;
  threads?: number;
  alias?: string;
  apiKey?: string;
  /** Allow /slots actions (erase). */
  slotActions?: boolean;
  extraArgs?: string[];
  /** Wait until /health answers 200 (default true). */
  waitReady?: boolean;
  binary?: string;
}

export interface RunningLlamaServer {
  url: string;
  process: ChildProcess;
  /** The server's log (last 64 KB). */
  log(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startLlamaServer(o: LlamaServerOptions): Promise<RunningLlamaServer> {
  const binary = o.binary ?? llamaServerPath();
  if (!existsSync(binary)) throw new Error(`llama-server is not built: run scripts/llama-server/build.sh (expected ${binary})`);
  const port = await freePort();
  const args = ['-m', o.model, '--host', '127.0.0.1', '--port', String(port), '-t', String(o.threads ?? 1), '-np', String(o.slots ?? 1), '--no-webui'];
  if (o.contextSize) args.push('-c', String(o.contextSize));
  if (o.alias) args.push('--alias', o.alias);
  if (o.apiKey) args.push('--api-key', o.apiKey);
  if (o.slotActions) args.push('--slots');
  args.push(...(o.extraArgs ?? []));
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (d: Buffer) => {
    log = (log + d.toString()).slice(-65536);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
  };
  if (o.waitReady !== false) {
    const t0 = Date.now();
    for (;;) {
      if (child.exitCode !== null) throw new Error(`llama-server exited with code ${child.exitCode}:\n${log.slice(-2000)}`);
      const ok = await fetch(`${url}/health`).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (Date.now() - t0 > 120_000) {
        await stop();
        throw new Error(`llama-server did not become ready in 120 s:\n${log.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { url, process: child, log: () => log, stop };
}
