// Containment attacks: what a hostile function tries to reach outside its run (files, secrets,
// the network, processes that outlive it, the machine's resources). Each checks from outside
// whether it had an effect.

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { BenchmarkOptions, ExecutionError } from '../types';
import { bench, first, leftovers, pick, py, settle, target, token, type Attack, type AttackOutcome } from './support';


export function writeOutside(language: 'python' | 'javascript'): Attack {
  return {
    name: 'write outside the run folder',
    language,
    async run(env) {
      const files = [join(env.dir, `escaped-${token()}`), join(homedir(), `.hotpath-escaped-${token()}`), `/tmp/hotpath-escaped-${token()}`];
      const src =
        pick(language, {
          python: py(`
import os
def attack(n: int) -> int:
    for f in ${JSON.stringify(files)}:
        try:
            with open(f, 'w') as h:
                h.write(os.environ.get('OPENAI_API_KEY', 'x'))
        except OSError as e:
            print('blocked', type(e).__name__)
    return n
`),
          javascript: `const fs = require('fs');\n/** @param {number} n */\nfunction attack(n) {\n  for (const f of ${JSON.stringify(files)}) { try { fs.writeFileSync(f, process.env.OPENAI_API_KEY || 'x'); } catch (e) { console.log('blocked', e.code); } }\n  return n;\n}\n`,
        });
      const r = await bench(env, target(env, language, src, 'attack'));
      const written = files.filter((f) => existsSync(f));
      for (const f of written) rmSync(f, { force: true });
      if (written.length) return { contained: false, how: `wrote ${written.join(', ')}` };
      return { contained: true, how: r.error ? first(r.error) : `no file written (${files.length} tried: ${(r.output.match(/blocked \w+/) ?? ['blocked'])[0]})` };
    },
  };
}

export function readSecrets(language: 'python' | 'javascript'): Attack {
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
        pick(language, {
          python: py(`
def attack(n: int) -> int:
    for f in ${JSON.stringify(files)}:
        try:
            print('read', f, open(f).read()[:200])
        except OSError as e:
            print('blocked', f, type(e).__name__)
    return n
`),
          javascript: `const fs = require('fs');\n/** @param {number} n */\nfunction attack(n) {\n  for (const f of ${JSON.stringify(files)}) { try { console.log('read', f, fs.readFileSync(f, 'utf8').slice(0, 200)); } catch (e) { console.log('blocked', f, e.code); } }\n  return n;\n}\n`,
        });
      try {
        const r = await bench(env, target(env, language, src, 'attack'));
        const leaked = r.output.includes(secret) || /read \/etc\/shadow root:/.test(r.output) || /read \S+\.npmrc \S/.test(r.output);
        // Which files were read, never what they hold (this line ends up in reports).
        const read = [...new Set(r.output.split('\n').filter((l) => l.startsWith('read ')).map((l) => l.split(' ')[1]))];
        if (leaked) return { contained: false, how: `read ${read.join(', ')}` };
        const errors = [...new Set(r.output.split('\n').slice(0, -1).filter((l) => l.startsWith('blocked ')).map((l) => l.split(' ')[2]))];
        return { contained: true, how: r.error ? first(r.error) : `nothing read (${errors.join(', ')})` };
      } finally {
        rmSync(secretDir, { recursive: true, force: true });
      }
    },
  };
}

export function readEnvironment(language: 'python' | 'javascript'): Attack {
  return {
    name: 'read secrets from the environment',
    language,
    async run(env) {
      const secret = token();
      const names = ['OPENAI_API_KEY', 'HOTPATH_API_KEY', 'AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', 'SSH_AUTH_SOCK', 'NPM_TOKEN'];
      const saved = names.map((k) => [k, process.env[k]] as const);
      for (const k of names) process.env[k] = `${k}-${secret}`;
      const src =
        pick(language, {
          python: py(`
import os
def attack(n: int) -> int:
    print(sorted(os.environ.items()))
    return n
`),
          javascript: `/** @param {number} n */\nfunction attack(n) { console.log(JSON.stringify(process.env)); return n; }\n`,
        });
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

export function connectLoopback(language: 'python' | 'javascript'): Attack {
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
        pick(language, {
          python: py(`
import socket
def attack(n: int) -> int:
    try:
        socket.create_connection(('127.0.0.1', ${port}), timeout=0.5).close()
        print('connected')
    except OSError as e:
        print('blocked', type(e).__name__)
    return n
`),
          javascript: `const net = require('net');\n/** @param {number} n */\nasync function attack(n) {\n  await new Promise((resolve) => { const s = net.connect(${port}, '127.0.0.1'); s.on('connect', () => { console.log('connected'); s.destroy(); resolve(); }); s.on('error', (e) => { console.log('blocked', e.code); resolve(); }); setTimeout(resolve, 500); });\n  return n;\n}\n`,
        });
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

type Versions = { python: string; javascript: string };
type Run = { output: string; error?: ExecutionError; tookMs: number };

/**
 * An attack that only needs its run's outcome judged: the hostile function (its sources get a
 * fresh token), the benchmark options, and the judgement. Processes carrying the token must be
 * gone after the run whatever the judgement.
 */
function runAttack(name: string, sources: (tok: string) => Versions, opts: BenchmarkOptions, judge: (r: Run) => AttackOutcome): (language: 'python' | 'javascript') => Attack {
  return (language) => ({
    name,
    language,
    async run(env) {
      const tok = token();
      const started = Date.now();
      const r = await bench(env, target(env, language, pick(language, sources(tok)), 'attack'), opts);
      const left = await leftovers(tok);
      if (left) return { contained: false, how: `${left} processes left after the run` };
      return judge({ ...r, tookMs: Date.now() - started });
    },
  });
}

/** Contained when the engine stopped the run at a limit. */
const stoppedAtLimit = (r: Run): AttackOutcome => (r.error ? { contained: r.error.kind === 'limit', how: first(r.error) } : { contained: false, how: 'not stopped' });

export const detachedSurvivor = runAttack(
  'spawn a detached survivor (setsid, holding the output pipe)',
  (tok) => ({
    python: py(`
import os, subprocess
def attack(n: int) -> int:
    # Once per run (a marker in the run's own folder), so no process limit is reached.
    if not os.path.exists('spawned'):
        open('spawned', 'w').close()
        subprocess.Popen(['sh', '-c', 'sleep 60; : ${tok}'], start_new_session=True)
    return n
`),
    javascript: `const fs = require('fs');\nconst { spawn } = require('child_process');\n/** @param {number} n */\nfunction attack(n) { if (!fs.existsSync('spawned')) { fs.writeFileSync('spawned', ''); spawn('sh', ['-c', 'sleep 60; : ${tok}'], { detached: true, stdio: 'inherit' }).unref(); } return n; }\n`,
  }),
  { sizes: [1, 2] },
  (r) => ({ contained: true, how: r.error ? first(r.error) : `no process left; the run ended in ${(r.tookMs / 1000).toFixed(1)} s (the survivor would sleep 60 s)` }),
);

export const ignoreSigterm = runAttack(
  'ignore SIGTERM and loop forever',
  (tok) => ({
    python: py(`
import signal, subprocess
def attack(n: int) -> int:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    subprocess.Popen(['sh', '-c', 'trap "" TERM; sleep 60; : ${tok}'])
    while True:
        pass
`),
    javascript: `const { spawn } = require('child_process');\n/** @param {number} n */\nfunction attack(n) { process.on('SIGTERM', () => {}); spawn('sh', ['-c', 'trap "" TERM; sleep 60; : ${tok}'], { stdio: 'ignore' }); for (;;) {} }\n`,
  }),
  { sizes: [1], limits: { perCallMs: 500 } },
  (r) => ({ contained: true, how: r.error ? first(r.error) : 'cut at the per-call limit (right-censored), no process left' }),
);

export const forkLoop = runAttack(
  'a bounded fork loop (300 processes)',
  (tok) => ({
    python: py(`
import subprocess
def attack(n: int) -> int:
    for i in range(300):
        subprocess.Popen(['sh', '-c', 'sleep 60; : ${tok}'])
    return n
`),
    javascript: `const { spawn } = require('child_process');\n/** @param {number} n */\nfunction attack(n) { for (let i = 0; i < 300; i++) spawn('sh', ['-c', 'sleep 60; : ${tok}'], { stdio: 'ignore' }); return n; }\n`,
  }),
  { sizes: [1] },
  (r) => (r.error ? { contained: true, how: `${first(r.error)}; no process left` } : { contained: false, how: 'ran to the end with 300 processes' }),
);

export const outputFlood = runAttack(
  'output flood',
  () => ({
    python: py(`
import sys
def attack(n: int) -> int:
    while True:
        sys.stdout.write('x' * 65536)
`),
    javascript: `/** @param {number} n */\nfunction attack(n) { const s = 'x'.repeat(65536); for (;;) require('fs').writeSync(1, s); }\n`,
  }),
  { sizes: [1], limits: { outputBytes: 1_000_000, perCallMs: 10000 } },
  stoppedAtLimit,
);

export const memoryHog = runAttack(
  'memory hog',
  () => ({
    python: py(`
def attack(n: int) -> int:
    x = []
    while True:
        x.append(bytearray(10**7))
`),
    javascript: `/** @param {number} n */\nfunction attack(n) { const a = []; for (;;) a.push(new Array(1e6).fill(n)); }\n`,
  }),
  { sizes: [1], limits: { memoryMb: 300, perCallMs: 10000 } },
  stoppedAtLimit,
);

export function importSideEffects(language: 'python' | 'javascript'): Attack {
  return {
    name: 'import-time side effects',
    language,
    async run(env) {
      const unused = join(env.dir, `import-unused-${token()}`);
      const needed = join(env.dir, `import-needed-${token()}`);
      const src =
        pick(language, {
          python: py(`
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
`),
          javascript: `const fs = require('fs');\nfs.writeFileSync(${JSON.stringify(unused)}, 'ran');\nfunction touch(p) { try { fs.writeFileSync(p, 'ran'); } catch (e) {} return 1; }\nconst SCALE = touch(${JSON.stringify(needed)});\n/** @param {number} n */\nfunction attack(n) { return n * SCALE; }\n`,
        });
      const r = await bench(env, target(env, language, src, 'attack'));
      const ran = [unused, needed].filter((f) => existsSync(f));
      for (const f of ran) rmSync(f, { force: true });
      if (ran.length) return { contained: false, how: `module code wrote ${ran.map((f) => f.split('-')[1]).join(', ')}` };
      return { contained: true, how: r.error ? first(r.error) : 'script code not run; the needed statement ran inside the sandbox and could not write' };
    },
  };
}
