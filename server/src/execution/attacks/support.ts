// What every attack of the suite shares: its environment and outcome, the hostile function's
// file, running it through the real engine, and finding processes it left behind.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParserFactory } from '../../parsing';
import { benchmarkFunction } from '../index';
import type { LanguageResolver } from '../language';
import { ExecutionError, type BenchmarkOptions, type FunctionTarget, type IsolationSetting } from '../types';

export interface AttackEnv {
  isolation: IsolationSetting;
  parsers: ParserFactory;
  languages: LanguageResolver;
  /** A folder of the test's (the "project"): the code's file lives here. */
  dir: string;
  /** Let model-written candidates run under `none` (the bench shows what that leaves open). */
  allowUnsandboxed?: boolean;
}

export interface AttackOutcome {
  contained: boolean;
  /** What happened, in one line: the engine's message, or what was checked. */
  how: string;
}

export interface Attack {
  name: string;
  language: 'python' | 'javascript';
  run(env: AttackEnv): Promise<AttackOutcome>;
}

let counter = 0;
export function token(): string {
  return `hotpathattack${process.pid}x${++counter}x${Math.random().toString(36).slice(2, 8)}`;
}

export function target(env: AttackEnv, language: 'python' | 'javascript', source: string, functionName: string, origin: 'user' | 'model' = 'user'): FunctionTarget {
  const file = join(env.dir, `${functionName}_${++counter}.${pick(language, { python: 'py', javascript: 'js' })}`);
  writeFileSync(file, source);
  return { language, source, functionName, file, origin };
}

/** Processes whose command line contains the token (from /proc). */
export function survivors(tok: string): number[] {
  const out: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      if (cmd.includes(tok) && !/\) Z /.test(stat)) out.push(Number(e));
    } catch {
      // gone
    }
  }
  return out;
}

export async function settle(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Run a benchmark; an ExecutionError is an outcome (a rejection), anything else is a failure. */
export async function bench(env: AttackEnv, t: FunctionTarget, opts: BenchmarkOptions = {}): Promise<{ output: string; error?: ExecutionError }> {
  try {
    const r = await benchmarkFunction(t, { parsers: env.parsers, languages: env.languages, isolation: env.isolation, sizes: [1, 2, 4], ...opts });
    return { output: r.output ?? '' };
  } catch (e) {
    // No isolation is no outcome of the attack: the run did not happen.
    if (e instanceof ExecutionError && e.kind !== 'isolation') return { output: '', error: e };
    throw e;
  }
}

export function first(e: ExecutionError): string {
  return `${e.kind}: ${e.message.split('\n')[0]}`;
}

export const py = (s: string) => s.replace(/^\n/, '');

/** Each attack is written in both languages: the one run. */
export function pick<T>(language: 'python' | 'javascript', versions: { python: T; javascript: T }): T {
  return versions[language];
}

/** After a run: how many processes still carry the token (killed now, so a failed check leaves none behind). */
export async function leftovers(tok: string): Promise<number> {
  await settle(300);
  const left = survivors(tok);
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  return left.length;
}
