// The attack suite: hostile functions, in Python and JavaScript, each run through the real
// engine under a given isolation, and what each one reached checked from outside. Used by the
// tests (attacks.test.ts: every attack contained or rejected under every isolation the machine
// offers) and by `npm run bench -- sandbox` (the table in docs/execution.md, with `none` too,
// to show what an unsandboxed run leaves open).
//
// An attack is contained when nothing it tried had an effect outside the run (no file written
// outside, no secret in what it could print, no connection received, no process left) or when
// the engine rejected it with a message saying why (a limit, a replaced clock, a memo seen in
// the module's state, a result that changes between calls).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ParserFactory } from '../parsing';
import { benchmarkFunction, compareFunctions } from './index';
import { ExecutionError, type BenchmarkOptions, type CompareResult, type FunctionTarget, type IsolationSetting } from './types';

export interface AttackEnv {
  isolation: IsolationSetting;
  parsers: ParserFactory;
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
function token(): string {
  return `hotpathattack${process.pid}x${++counter}x${Math.random().toString(36).slice(2, 8)}`;
}

function target(env: AttackEnv, language: 'python' | 'javascript', source: string, functionName: string, origin: 'user' | 'model' = 'user'): FunctionTarget {
  const file = join(env.dir, `${functionName}_${++counter}.${language === 'python' ? 'py' : 'js'}`);
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

async function settle(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Run a benchmark; an ExecutionError is an outcome (a rejection), anything else is a failure. */
async function bench(env: AttackEnv, t: FunctionTarget, opts: BenchmarkOptions = {}): Promise<{ output: string; error?: ExecutionError }> {
  try {
    const r = await benchmarkFunction(t, { parsers: env.parsers, isolation: env.isolation, sizes: [1, 2, 4], ...opts });
    return { output: r.output ?? '' };
  } catch (e) {
    // No isolation is no outcome of the attack: the run did not happen.
    if (e instanceof ExecutionError && e.kind !== 'isolation') return { output: '', error: e };
    throw e;
  }
}

function first(e: ExecutionError): string {
  return `${e.kind}: ${e.message.split('\n')[0]}`;
}

const py = (s: string) => s.replace(/^\n/, '');

// ---------------------------------------------------------------- containment

function writeOutside(language: 'python' | 'javascript'): Attack {
  return {
    name: 'write outside the run folder',
    language,
    async run(env) {
      const files = [join(env.dir, `escaped-${token()}`), join(homedir(), `.hotpath-escaped-${token()}`), `/tmp/hotpath-escaped-${token()}`];
      const src =
        language === 'python'
          ? py(`
import os
def attack(n: int) -> int:
    for f in ${JSON.stringify(files)}:
        try:
            with open(f, 'w') as h:
                h.write(os.environ.get('OPENAI_API_KEY', 'x'))
        except OSError as e:
            print('blocked', type(e).__name__)
    return n
`)
          : `const fs = require('fs');\n/** @param {number} n */\nfunction attack(n) {\n  for (const f of ${JSON.stringify(files)}) { try { fs.writeFileSync(f, process.env.OPENAI_API_KEY || 'x'); } catch (e) { console.log('blocked', e.code); } }\n  return n;\n}\n`;
      const r = await bench(env, target(env, language, src, 'attack'));
      const written = files.filter((f) => existsSync(f));
      for (const f of written) rmSync(f, { force: true });
      if (written.length) return { contained: false, how: `wrote ${written.join(', ')}` };
      return { contained: true, how: r.error ? first(r.error) : `no file written (${files.length} tried: ${(r.output.match(/blocked \w+/) ?? ['blocked'])[0]})` };
    },
  };
}

function readSecrets(language: 'python' | 'javascript'): Attack {
  return {
    name: 'read secrets from files (/etc/shadow, ~/.ssh)',
    language,
    async run(env) {
      const secretDir = mkdtempSync(join(homedir(), '.hotpath-secret-'));
      const secretFile = join(secretDir, 'id_ed25519');
      const secret = token();
      writeFileSync(secretFile, secret);
      const files = ['/etc/shadow', secretFile, join(homedir(), '.ssh', 'id_rsa'), join(homedir(), '.npmrc')];
      const src =
        language === 'python'
          ? py(`
def attack(n: int) -> int:
    for f in ${JSON.stringify(files)}:
        try:
            print('read', f, open(f).read()[:200])
        except OSError as e:
            print('blocked', f, type(e).__name__)
    return n
`)
          : `const fs = require('fs');\n/** @param {number} n */\nfunction attack(n) {\n  for (const f of ${JSON.stringify(files)}) { try { console.log('read', f, fs.readFileSync(f, 'utf8').slice(0, 200)); } catch (e) { console.log('blocked', f, e.code); } }\n  return n;\n}\n`;
      try {
        const r = await bench(env, target(env, language, src, 'attack'));
        const leaked = r.output.includes(secret) || /read \/etc\/shadow root:/.test(r.output) || /read \S+\.npmrc \S/.test(r.output);
        // Which files were read, never what they hold (this line ends up in reports).
        const read = [...new Set(r.output.split('\n').filter((l) => l.startsWith('read ')).map((l) => l.split(' ')[1]))];
        if (leaked) return { contained: false, how: `read ${read.join(', ')}` };
        const errors = [...new Set(r.output.split('\n').filter((l) => l.startsWith('blocked ')).map((l) => l.split(' ')[2]))];
        return { contained: true, how: r.error ? first(r.error) : `nothing read (${errors.join(', ')})` };
      } finally {
        rmSync(secretDir, { recursive: true, force: true });
      }
    },
  };
}

function readEnvironment(language: 'python' | 'javascript'): Attack {
  return {
    name: 'read secrets from the environment',
    language,
    async run(env) {
      const secret = token();
      const names = ['OPENAI_API_KEY', 'HOTPATH_API_KEY', 'AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', 'SSH_AUTH_SOCK', 'NPM_TOKEN'];
      const saved = names.map((k) => [k, process.env[k]] as const);
      for (const k of names) process.env[k] = `${k}-${secret}`;
      const src =
        language === 'python'
          ? py(`
import os
def attack(n: int) -> int:
    print(sorted(os.environ.items()))
    return n
`)
          : `/** @param {number} n */\nfunction attack(n) { console.log(JSON.stringify(process.env)); return n; }\n`;
      try {
        const r = await bench(env, target(env, language, src, 'attack'));
        if (r.error) return { contained: true, how: first(r.error) };
        if (r.output.includes(secret)) return { contained: false, how: `saw ${names.filter((k) => r.output.includes(`${k}-${secret}`)).join(', ')}` };
        const seen = (r.output.match(/'([A-Z_]+)'|"([A-Z_]+)":/g) ?? []).map((x) => x.replace(/['":]/g, ''));
        return { contained: true, how: `environment: ${[...new Set(seen)].sort().join(' ')}` };
      } finally {
        for (const [k, v] of saved) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
    },
  };
}

function connectLoopback(language: 'python' | 'javascript'): Attack {
  return {
    name: 'connect to a loopback listener',
    language,
    async run(env) {
      let connections = 0;
      const server = createServer((s) => {
        connections++;
        s.destroy();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const port = (server.address() as { port: number }).port;
      const src =
        language === 'python'
          ? py(`
import socket
def attack(n: int) -> int:
    try:
        socket.create_connection(('127.0.0.1', ${port}), timeout=0.5).close()
        print('connected')
    except OSError as e:
        print('blocked', type(e).__name__)
    return n
`)
          : `const net = require('net');\n/** @param {number} n */\nasync function attack(n) {\n  await new Promise((resolve) => { const s = net.connect(${port}, '127.0.0.1'); s.on('connect', () => { console.log('connected'); s.destroy(); resolve(); }); s.on('error', (e) => { console.log('blocked', e.code); resolve(); }); setTimeout(resolve, 500); });\n  return n;\n}\n`;
      try {
        const r = await bench(env, target(env, language, src, 'attack'));
        await settle(100);
        if (connections > 0) return { contained: false, how: `${connections} connections received` };
        return { contained: true, how: r.error ? first(r.error) : `0 connections received (${(r.output.match(/blocked \w+/) ?? ['blocked'])[0]})` };
      } finally {
        server.close();
      }
    },
  };
}

function detachedSurvivor(language: 'python' | 'javascript'): Attack {
  return {
    name: 'spawn a detached survivor (setsid, holding the output pipe)',
    language,
    async run(env) {
      const tok = token();
      const src =
        language === 'python'
          ? py(`
import os, subprocess
def attack(n: int) -> int:
    # Once per run (a marker in the run's own folder), so no process limit is reached.
    if not os.path.exists('spawned'):
        open('spawned', 'w').close()
        subprocess.Popen(['sh', '-c', 'sleep 60; : ${tok}'], start_new_session=True)
    return n
`)
          : `const fs = require('fs');\nconst { spawn } = require('child_process');\n/** @param {number} n */\nfunction attack(n) { if (!fs.existsSync('spawned')) { fs.writeFileSync('spawned', ''); spawn('sh', ['-c', 'sleep 60; : ${tok}'], { detached: true, stdio: 'inherit' }).unref(); } return n; }\n`;
      const started = Date.now();
      const r = await bench(env, target(env, language, src, 'attack'), { sizes: [1, 2] });
      const tookMs = Date.now() - started;
      await settle(300);
      const left = survivors(tok);
      for (const pid of left) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      if (left.length) return { contained: false, how: `${left.length} processes left after the run` };
      return { contained: true, how: r.error ? first(r.error) : `no process left; the run ended in ${(tookMs / 1000).toFixed(1)} s (the survivor would sleep 60 s)` };
    },
  };
}

function ignoreSigterm(language: 'python' | 'javascript'): Attack {
  return {
    name: 'ignore SIGTERM and loop forever',
    language,
    async run(env) {
      const tok = token();
      const src =
        language === 'python'
          ? py(`
import signal, subprocess
def attack(n: int) -> int:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    subprocess.Popen(['sh', '-c', 'trap "" TERM; sleep 60; : ${tok}'])
    while True:
        pass
`)
          : `const { spawn } = require('child_process');\n/** @param {number} n */\nfunction attack(n) { process.on('SIGTERM', () => {}); spawn('sh', ['-c', 'trap "" TERM; sleep 60; : ${tok}'], { stdio: 'ignore' }); for (;;) {} }\n`;
      const r = await bench(env, target(env, language, src, 'attack'), { sizes: [1], limits: { perCallMs: 500 } });
      await settle(300);
      const left = survivors(tok);
      if (left.length) return { contained: false, how: `${left.length} processes left` };
      return { contained: true, how: r.error ? first(r.error) : 'cut at the per-call limit (right-censored), no process left' };
    },
  };
}

function forkLoop(language: 'python' | 'javascript'): Attack {
  return {
    name: 'a bounded fork loop (300 processes)',
    language,
    async run(env) {
      const tok = token();
      const src =
        language === 'python'
          ? py(`
import subprocess
def attack(n: int) -> int:
    for i in range(300):
        subprocess.Popen(['sh', '-c', 'sleep 60; : ${tok}'])
    return n
`)
          : `const { spawn } = require('child_process');\n/** @param {number} n */\nfunction attack(n) { for (let i = 0; i < 300; i++) spawn('sh', ['-c', 'sleep 60; : ${tok}'], { stdio: 'ignore' }); return n; }\n`;
      const r = await bench(env, target(env, language, src, 'attack'), { sizes: [1] });
      await settle(300);
      const left = survivors(tok);
      for (const pid of left) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      if (left.length) return { contained: false, how: `${left.length} processes left` };
      if (!r.error) return { contained: false, how: 'ran to the end with 300 processes' };
      return { contained: true, how: `${first(r.error)}; no process left` };
    },
  };
}

function outputFlood(language: 'python' | 'javascript'): Attack {
  return {
    name: 'output flood',
    language,
    async run(env) {
      const src =
        language === 'python'
          ? py(`
import sys
def attack(n: int) -> int:
    while True:
        sys.stdout.write('x' * 65536)
`)
          : `/** @param {number} n */\nfunction attack(n) { const s = 'x'.repeat(65536); for (;;) require('fs').writeSync(1, s); }\n`;
      const r = await bench(env, target(env, language, src, 'attack'), { sizes: [1], limits: { outputBytes: 1_000_000, perCallMs: 10000 } });
      return r.error ? { contained: r.error.kind === 'limit', how: first(r.error) } : { contained: false, how: 'not stopped' };
    },
  };
}

function memoryHog(language: 'python' | 'javascript'): Attack {
  return {
    name: 'memory hog',
    language,
    async run(env) {
      const src =
        language === 'python'
          ? py(`
def attack(n: int) -> int:
    x = []
    while True:
        x.append(bytearray(10**7))
`)
          : `/** @param {number} n */\nfunction attack(n) { const a = []; for (;;) a.push(new Array(1e6).fill(n)); }\n`;
      const r = await bench(env, target(env, language, src, 'attack'), { sizes: [1], limits: { memoryMb: 300, perCallMs: 10000 } });
      return r.error ? { contained: r.error.kind === 'limit', how: first(r.error) } : { contained: false, how: 'not stopped' };
    },
  };
}

function importSideEffects(language: 'python' | 'javascript'): Attack {
  return {
    name: 'import-time side effects',
    language,
    async run(env) {
      const unused = join(env.dir, `import-unused-${token()}`);
      const needed = join(env.dir, `import-needed-${token()}`);
      const src =
        language === 'python'
          ? py(`
import os
open(${JSON.stringify(unused)}, 'w').write('ran')
def _touch(p):
    try:
        open(p, 'w').write('ran')
    except OSError:
        pass
    return 1
SCALE = _touch(${JSON.stringify(needed)})
def attack(n: int) -> int:
    return n * SCALE
`)
          : `const fs = require('fs');\nfs.writeFileSync(${JSON.stringify(unused)}, 'ran');\nfunction touch(p) { try { fs.writeFileSync(p, 'ran'); } catch (e) {} return 1; }\nconst SCALE = touch(${JSON.stringify(needed)});\n/** @param {number} n */\nfunction attack(n) { return n * SCALE; }\n`;
      const r = await bench(env, target(env, language, src, 'attack'));
      const ran = [unused, needed].filter((f) => existsSync(f));
      for (const f of ran) rmSync(f, { force: true });
      if (ran.length) return { contained: false, how: `module code wrote ${ran.map((f) => f.split('-')[1]).join(', ')}` };
      return { contained: true, how: r.error ? first(r.error) : 'script code not run; the needed statement ran inside the sandbox and could not write' };
    },
  };
}

// ---------------------------------------------------------------- measurement integrity

async function compare(env: AttackEnv, language: 'python' | 'javascript', baseline: string, candidate: string, name: string, opts: BenchmarkOptions = {}): Promise<CompareResult | ExecutionError> {
  try {
    return await compareFunctions(target(env, language, baseline, name), target(env, language, candidate, name, 'model'), { parsers: env.parsers, isolation: env.isolation, allowUnsandboxed: env.allowUnsandboxed, budgetMs: 1500, ...opts });
  } catch (e) {
    if (e instanceof ExecutionError && e.kind !== 'isolation') return e;
    throw e;
  }
}

/**
 * A measurement attack is contained when the candidate is not reported faster: rejected with a
 * reason matching `expect` (when given), flagged, or measured honestly (same or slower).
 */
function verdictOutcome(c: CompareResult | ExecutionError, expect?: RegExp): AttackOutcome {
  if (c instanceof ExecutionError) return { contained: !!expect?.test(c.message), how: first(c) };
  const why = c.rejection ?? (c.equivalence.difference ? `${c.equivalence.difference.what}: expected ${c.equivalence.difference.expected}, got ${c.equivalence.difference.actual}` : c.candidate.integrity.flags.join('; '));
  const speed = c.summary ? ` (${c.summary.speedup.toFixed(2)}× at n=${c.summary.n})` : '';
  const contained = expect ? c.verdict === 'rejected' && expect.test(why) : c.verdict !== 'faster';
  return { contained, how: `${c.verdict}${speed}${why ? `: ${why.slice(0, 160)}` : ': measured with fresh inputs, no speedup'}` };
}

const SUM_PY = py(`
def total(xs: list[int]) -> int:
    s = 0
    for x in xs:
        s += x
    return s
`);
const SUM_JS = '/** @param {number[]} xs */\nfunction total(xs) { let s = 0; for (const x of xs) s += x; return s; }\n';

function clockPatching(language: 'python' | 'javascript'): Attack {
  return {
    name: 'clock patching',
    language,
    async run(env) {
      // Inside the function, as a model's rewrite would have it (a module-level patch is script
      // code the extraction never runs).
      const cand =
        language === 'python'
          ? py(`
import time
def total(xs: list[int]) -> int:
    time.perf_counter = lambda: 0.0
    time.perf_counter_ns = lambda: 0
    time.process_time = lambda: 0.0
    time.process_time_ns = lambda: 0
    s = 0
    for x in xs:
        s += x
    return s
`)
          : `/** @param {number[]} xs */\nfunction total(xs) { process.hrtime.bigint = () => 0n; process.cpuUsage = () => ({ user: 0, system: 0 }); let s = 0; for (const x of xs) s += x; return s; }\n`;
      return verdictOutcome(await compare(env, language, language === 'python' ? SUM_PY : SUM_JS, cand, 'total'), /replaced .*(perf_counter|process_time|hrtime|cpuUsage)/);
    },
  };
}

function memoisation(language: 'python' | 'javascript'): Attack {
  return {
    name: 'cross-call memoisation (module-level dict)',
    language,
    async run(env) {
      const cand =
        language === 'python'
          ? py(`
_memo = {}
def total(xs: list[int]) -> int:
    key = tuple(xs)
    if key not in _memo:
        s = 0
        for x in xs:
            s += x
        _memo[key] = s
    return _memo[key]
`)
          : `const memo = new Map();\n/** @param {number[]} xs */\nfunction total(xs) { const k = xs.join(','); if (!memo.has(k)) { let s = 0; for (const x of xs) s += x; memo.set(k, s); } return memo.get(k); }\n`;
      return verdictOutcome(await compare(env, language, language === 'python' ? SUM_PY : SUM_JS, cand, 'total'), /global `_?memo`/);
    },
  };
}

function hiddenMemo(language: 'python' | 'javascript'): Attack {
  return {
    name: 'memoisation hidden from the state check (keyed on the middle element, stored outside the module)',
    language,
    async run(env) {
      const cand =
        language === 'python'
          ? py(`
import os
def total(xs: list[int]) -> int:
    memo = os.__dict__.setdefault('_hp_memo', {})
    key = (len(xs), xs[len(xs) // 2] if xs else None)
    if key not in memo:
        s = 0
        for x in xs:
            s += x
        memo[key] = s
    return memo[key]
`)
          : `/** @param {number[]} xs */\nfunction total(xs) { const memo = Math._hpMemo || (Math._hpMemo = new Map()); const k = xs.length + ':' + xs[xs.length >> 1]; if (!memo.has(k)) { let s = 0; for (const x of xs) s += x; memo.set(k, s); } return memo.get(k); }\n`;
      return verdictOutcome(await compare(env, language, language === 'python' ? SUM_PY : SUM_JS, cand, 'total'));
    },
  };
}

function nonDeterminism(language: 'python' | 'javascript'): Attack {
  return {
    name: 'non-determinism',
    language,
    async run(env) {
      const cand =
        language === 'python'
          ? py(`
import random
def total(xs: list[int]) -> int:
    s = sum(xs)
    return s + (1 if random.random() < 0.3 else 0)
`)
          : `/** @param {number[]} xs */\nfunction total(xs) { let s = 0; for (const x of xs) s += x; return s + (Math.random() < 0.3 ? 1 : 0); }\n`;
      return verdictOutcome(await compare(env, language, language === 'python' ? SUM_PY : SUM_JS, cand, 'total'), /second call|return value/);
    },
  };
}

function globalMutation(language: 'python' | 'javascript'): Attack {
  return {
    name: 'global-state mutation',
    language,
    async run(env) {
      const base = language === 'python' ? `SEEN = []\n${SUM_PY}` : `let seen = [];\n${SUM_JS}`;
      const cand =
        language === 'python'
          ? py(`
SEEN = []
def total(xs: list[int]) -> int:
    SEEN.append(len(xs))
    return sum(xs)
`)
          : `let seen = [];\n/** @param {number[]} xs */\nfunction total(xs) { seen.push(xs.length); let s = 0; for (const x of xs) s += x; return s; }\n`;
      return verdictOutcome(await compare(env, language, base, cand, 'total'), /global `(SEEN|seen)`/);
    },
  };
}

export const ATTACKS: Attack[] = (['python', 'javascript'] as const).flatMap((l) => [
  writeOutside(l),
  readSecrets(l),
  readEnvironment(l),
  connectLoopback(l),
  detachedSurvivor(l),
  ignoreSigterm(l),
  forkLoop(l),
  outputFlood(l),
  memoryHog(l),
  importSideEffects(l),
  clockPatching(l),
  memoisation(l),
  hiddenMemo(l),
  nonDeterminism(l),
  globalMutation(l),
]);

/** Whether `sh` and `sleep` exist (the process attacks start them). */
export function hasShell(): boolean {
  return spawnSync('sh', ['-c', 'command -v sleep'], { stdio: 'ignore' }).status === 0;
}
