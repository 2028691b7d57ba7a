// Speed (issue 18), everything measured side by side in one run, each tool as a whole process where
// a user would start one, on code nobody here wrote:
//   (a) `hotpath check` over the CPython 3.11 standard library (the 638 files of bench/ruff-parity:
//       tests excluded) and over the npm packages of the precision corpora (bench/precision/corpora.json):
//       without the cache on 1 and 2 worker threads, with an empty cache, with a warm cache (the same
//       unchanged tree again); next to native Ruff 0.17.5 (PyPI `ruff`: PERF only, and its default
//       rules) and Ruff's PERF rules compiled to WebAssembly (whole process, and warm in one process);
//   (b) start-up: `hotpath check` on an empty folder; the language server from spawn to its first
//       diagnostics for a small file;
//   (c) keystroke → diagnostics over LSP on a 10,000-line file of the standard library with code
//       lenses requested after every edit and resolved for the lines on screen, as VS Code does, at a
//       typist's cadence and back to back; where the slowest keystrokes' time went, from the
//       server's timing log (initializationOptions.timing: wait, parse, re-analysis, publish, GC);
//   (d) RSS of the server with the 20 largest standard-library files open, their lenses resolved.
// With a baseline (another build of Hotpath), every Hotpath row is measured for it too, alternating.
//
//   npm run bench -- speed                       this build; writes bench/speed.md (bench/speed.partial.md
//                                                when HOTPATH_SPEED_PARTS leaves a part out)
//   HOTPATH_BASELINE=<git ref> npm run bench -- speed      also that ref, built in a temporary worktree
//   HOTPATH_BASELINE_DIR=<checkout>              also that checkout (already built)
//   HOTPATH_SPEED_ROUNDS=3                       whole-process runs per row (the median is shown)
//   HOTPATH_SPEED_PARTS=check,startup,keystroke,rss  which parts to run
//   HOTPATH_SPEED_KEYS=200                       keystrokes per server in (c)
//
// Native Ruff is installed on first use into ~/.cache/hotpath/peers/ruff-0.17.5 (a venv; pip).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, homedir, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancellationTokenSource, type CodeLens } from 'vscode-languageserver-protocol/node';
import { collectFiles } from '../server/src/analysis/files';
import { languageForPath } from '../server/src/languages';
import { TestServer } from '../test/lsp/lspClient';
import { buildBaseline, editPoints, position, STDLIB, stdlibFiles, tenThousandLines } from './lib';
import { corpora, fetchCorpus } from './precision/fetch';

const ROOT = join(__dirname, '..');
const ROUNDS = Number(process.env.HOTPATH_SPEED_ROUNDS ?? 3);
const PARTS = new Set((process.env.HOTPATH_SPEED_PARTS ?? 'check,startup,keystroke,rss').split(','));
const KEYS = Number(process.env.HOTPATH_SPEED_KEYS ?? 200);
const RUFF_VERSION = '0.17.5';

interface Build {
  name: string;
  root: string;
}

const out: string[] = [];
function say(line = ''): void {
  console.log(line);
  out.push(line);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

// ---- material ----

function npmFiles(): { files: string[]; names: string[] } {
  const files: string[] = [];
  const names: string[] = [];
  for (const c of corpora.filter((c) => c.ecosystem === 'npm')) {
    const dir = fetchCorpus(c);
    names.push(`${c.name} ${c.version}`);
    files.push(...collectFiles(c.roots.map((r) => join(dir, r)), (p) => languageForPath(p) !== undefined, c.exclude, false));
  }
  return { files, names };
}

function megabytes(files: string[]): string {
  return (files.reduce((n, f) => n + statSync(f).size, 0) / 1024 / 1024).toFixed(1);
}

// ---- processes ----

interface Timed {
  wallS: number;
  cpuS: number;
  stdout: string;
  status: number | null;
}

/** Run a command to its end: wall and CPU (user + system) time, from /usr/bin/time. */
function timed(cmd: string, args: string[], cwd = ROOT): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', '@@time %e %U %S', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 512 << 20 });
  const m = /@@time ([\d.]+) ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  if (!m) throw new Error(`${cmd} ${args.slice(0, 4).join(' ')}: no timing (${r.error?.message ?? r.stderr?.slice(-500)})`);
  return { wallS: Number(m[1]), cpuS: Number(m[2]) + Number(m[3]), stdout: r.stdout, status: r.status };
}

function ruffBinary(): string {
  const venv = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'hotpath', 'peers', `ruff-${RUFF_VERSION}`);
  const bin = join(venv, 'bin', 'ruff');
  if (!existsSync(bin)) {
    execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(join(venv, 'bin', 'pip'), ['install', '-q', `ruff==${RUFF_VERSION}`], { stdio: 'inherit' });
  }
  return bin;
}

function baseline(): { build?: Build; cleanup: () => void } {
  const built = process.env.HOTPATH_BASELINE_DIR;
  if (built) return { build: { name: `baseline ${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: built, encoding: 'utf8' }).trim()}`, root: built }, cleanup: () => undefined };
  const ref = process.env.HOTPATH_BASELINE;
  if (!ref) return { cleanup: () => undefined };
  const { dir, cleanup } = buildBaseline(ref);
  return { build: { name: `baseline ${ref}`, root: dir }, cleanup };
}

/** Whether a build's `hotpath check` has the options of issue 18 (a cache, worker threads). */
function hasCache(b: Build): boolean {
  return readFileSync(join(b.root, 'server/src/cli/check.ts'), 'utf8').includes('--no-cache');
}

// ---- (a) check ----

interface Row {
  label: string;
  runs: Timed[];
}

function checkTable(title: string, files: string[], builds: Build[], withRuff: boolean, withGc = false): void {
  const list = join(mkdtempSync(join(tmpdir(), 'hotpath-speed-')), 'files.txt');
  writeFileSync(list, files.join('\n') + '\n');
  const rows: Row[] = [];
  // Rounds alternate between the rows: round 1 of every row, then round 2, …
  const plan: { label: string; run: () => Timed }[] = [];
  for (const b of builds) {
    const cli = join(b.root, 'bin', 'hotpath.js');
    const base = [cli, 'check', ...files, '--format', 'json', '--exit-zero', '--no-progress'];
    if (!hasCache(b)) {
      plan.push({ label: `${b.name}: hotpath check (one thread, no cache)`, run: () => timed(process.execPath, base) });
      continue;
    }
    plan.push({ label: `${b.name}: hotpath check --no-cache --jobs 1`, run: () => timed(process.execPath, [...base, '--no-cache', '--jobs', '1']) });
    plan.push({ label: `${b.name}: hotpath check --no-cache --jobs 2`, run: () => timed(process.execPath, [...base, '--no-cache', '--jobs', '2']) });
    plan.push({
      label: `${b.name}: hotpath check, empty cache (writes it)`,
      run: () => {
        const dir = mkdtempSync(join(tmpdir(), 'hotpath-speed-cache-'));
        try {
          return timed(process.execPath, [...base, '--cache-dir', dir]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    });
    const warm = mkdtempSync(join(tmpdir(), 'hotpath-speed-warm-'));
    timed(process.execPath, [...base, '--cache-dir', warm]);
    plan.push({ label: `${b.name}: hotpath check, warm cache (unchanged tree)`, run: () => timed(process.execPath, [...base, '--cache-dir', warm]) });
  }
  if (withRuff) {
    const ruff = ruffBinary();
    plan.push({ label: `ruff ${RUFF_VERSION} native, --select PERF`, run: () => timed(ruff, ['check', '--no-cache', '--exit-zero', '--output-format', 'json', '--target-version', 'py39', '--select', 'PERF', ...files]) });
    plan.push({ label: `ruff ${RUFF_VERSION} native, default rules`, run: () => timed(ruff, ['check', '--no-cache', '--exit-zero', '--output-format', 'json', ...files]) });
    plan.push({ label: 'ruff-wasm PERF (@astral-sh/ruff-wasm-nodejs), whole process', run: () => timed(process.execPath, [join(ROOT, 'bench/speed/ruffWasm.mjs'), list]) });
  }
  for (const p of plan) rows.push({ label: p.label, runs: [] });
  for (let round = 0; round < ROUNDS; round++) {
    plan.forEach((p, i) => {
      console.error(`  round ${round + 1}/${ROUNDS}: ${p.label}`);
      rows[i].runs.push(p.run());
    });
  }
  const reference = rows.find((r) => r.label.startsWith('ruff-wasm'));
  say(`### ${title}`);
  say();
  say(`| whole process | wall s (median of ${ROUNDS}) | CPU s | output | vs Ruff-WASM (wall) |`);
  say('|---|---:|---:|---|---:|');
  for (const r of rows) {
    const wall = median(r.runs.map((t) => t.wallS));
    const cpu = median(r.runs.map((t) => t.cpuS));
    say(`| ${r.label} | ${wall.toFixed(2)} | ${cpu.toFixed(2)} | ${describeOutput(r)} | ${reference ? (wall / median(reference.runs.map((t) => t.wallS))).toFixed(2) + '×' : '–'} |`);
  }
  if (withGc) gcTable(files, builds);
  if (withRuff) {
    const warm = JSON.parse(timed(process.execPath, [join(ROOT, 'bench/speed/ruffWasm.mjs'), list, '--warm']).stdout) as { warmMs: number };
    say();
    say(`Ruff-WASM warm in one process (its second pass over the same files): ${(warm.warmMs / 1000).toFixed(2)} s.`);
  }
  // Threads, the cache and the baseline must not change a byte of the findings.
  // Builds may differ in their findings (rules change between them); within a build nothing may.
  const outputs = rows.filter((r) => r.label.includes('hotpath check')).flatMap((r) => r.runs.map((t) => ({ label: r.label, build: r.label.split(':')[0], stdout: t.stdout })));
  const firstOf = new Map<string, string>();
  for (const o of outputs) if (!firstOf.has(o.build)) firstOf.set(o.build, o.stdout);
  const differing = outputs.filter((o) => o.stdout !== firstOf.get(o.build));
  const across = firstOf.size > 1 && new Set(firstOf.values()).size > 1 ? ' The two builds report different findings (their rules differ).' : '';
  say();
  say(differing.length === 0 ? `Within each build, the \`--format json\` output of every Hotpath run above (${outputs.length} runs) is byte-identical.${across}` : `**The JSON output differs from that build's first run in: ${[...new Set(differing.map((d) => d.label))].join('; ')}.**`);
  say();
}

/**
 * The garbage collector's work in a one-thread check (`node --trace-gc-nvp`, one run per build):
 * scavenges, the bytes they promoted to the old generation, and the pauses. Memory that survives
 * two scavenges is copied twice and then promoted; what keeps it alive that long shows here first.
 */
function gcTable(files: string[], builds: Build[]): void {
  say();
  say('Garbage collection in `hotpath check --no-cache --jobs 1` (one run each, `node --trace-gc-nvp`):');
  say();
  say('| build | scavenges | promoted by them, MB | mark-compacts | GC pauses, s |');
  say('|---|---:|---:|---:|---:|');
  for (const b of builds) {
    const r = spawnSync(process.execPath, ['--trace-gc-nvp', join(b.root, 'bin', 'hotpath.js'), 'check', ...files, '--format', 'json', '--exit-zero', '--no-progress', '--no-cache', '--jobs', '1'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30 });
    let scavenges = 0;
    let compacts = 0;
    let promoted = 0;
    let pause = 0;
    for (const line of r.stdout.split('\n')) {
      const gc = /\bgc=(\w+)/.exec(line)?.[1];
      if (!gc) continue;
      if (gc === 's') scavenges++;
      else compacts++;
      if (gc === 's') promoted += Number(/\bpromoted=(\d+)/.exec(line)?.[1] ?? 0);
      pause += Number(/\bpause=([\d.]+)/.exec(line)?.[1] ?? 0);
    }
    say(`| ${b.name} | ${scavenges} | ${(promoted / 1e6).toFixed(0)} | ${compacts} | ${(pause / 1000).toFixed(2)} |`);
  }
}

function describeOutput(r: Row): string {
  const s = r.runs[0].stdout;
  try {
    const j = JSON.parse(s) as unknown[] | { findings?: number };
    if (Array.isArray(j)) return `${j.length} findings`;
    if (typeof j.findings === 'number') return `${j.findings} findings`;
  } catch {
    /* not JSON */
  }
  return '';
}

// ---- (b) start-up ----

async function firstDiagnostics(serverPath: string): Promise<{ initMs: number; diagMs: number }> {
  const t0 = performance.now();
  const server = new TestServer({ serverPath });
  try {
    await server.initialize();
    const initMs = performance.now() - t0;
    await server.open('file:///bench/startup.py', 'python', 'def f(xs):\n    for x in xs:\n        if x in list(xs):\n            pass\n');
    return { initMs, diagMs: performance.now() - t0 };
  } finally {
    await server.shutdown();
  }
}

async function startup(builds: Build[]): Promise<void> {
  const empty = mkdtempSync(join(tmpdir(), 'hotpath-empty-'));
  const rows: { label: string; xs: number[] }[] = [];
  const add = (label: string, x: number) => {
    let r = rows.find((r) => r.label === label);
    if (!r) rows.push((r = { label, xs: [] }));
    r.xs.push(x);
  };
  const rounds = Math.max(ROUNDS, 5);
  for (let round = 0; round < rounds; round++) {
    add("`node -e ''` (Node's own start-up, for scale)", timed(process.execPath, ['-e', '']).wallS * 1000);
    for (const b of builds) {
      add(`${b.name}: \`hotpath check\` on an empty folder (whole process)`, timed(process.execPath, [join(b.root, 'bin', 'hotpath.js'), 'check', empty, '--no-progress']).wallS * 1000);
      const s = await firstDiagnostics(join(b.root, 'dist', 'server.js'));
      add(`${b.name}: language server, spawn → initialize answered`, s.initMs);
      add(`${b.name}: language server, spawn → first diagnostics`, s.diagMs);
    }
  }
  say(`### Start-up`);
  say();
  say(`| what | median ms (of ${rounds}) | min ms |`);
  say('|---|---:|---:|');
  for (const r of rows) say(`| ${r.label} | ${median(r.xs).toFixed(0)} | ${Math.min(...r.xs).toFixed(0)} |`);
  say();
}

// ---- (c) keystrokes with lenses, RSS ----

/** A typist's rhythm: a keystroke every 120 ms, a pause of 600 ms after every tenth. */
const KEY_GAP_MS = 120;
const PAUSE_MS = 600;
/** Lines on screen around the edit (their lenses are resolved). */
const SCREEN_LINES = 50;

interface Cadence {
  name: string;
  /** Time from one keystroke to the next (the next waits for the previous one's diagnostics when longer). */
  gapMs: number;
  pauseMs: number;
}

const TYPIST: Cadence = { name: `a key every ${KEY_GAP_MS} ms, ${PAUSE_MS} ms pause after every tenth`, gapMs: KEY_GAP_MS, pauseMs: PAUSE_MS };
const BACK_TO_BACK: Cadence = { name: 'back to back (each key as soon as the previous key\'s diagnostics arrived)', gapMs: 0, pauseMs: 0 };

/** The server's own account of one keystroke (its timing log; builds without one have none). */
interface ServerTiming {
  version: number;
  waitMs: number;
  parseMs: number;
  rulesMs: number;
  analysisMs: number;
  units: number;
  buildMs: number;
  sendMs: number;
  gcMs: number;
}

interface KeystrokeResult {
  diag: number[];
  /** Per keystroke (same order as diag), what the server said about the analysis it published. */
  timings: (ServerTiming | undefined)[];
  lens: number[];
  lensAnswered: number;
  lensCancelled: number;
}

async function keystrokes(serverPath: string, text: string, withLenses: boolean, cadence: Cadence): Promise<KeystrokeResult> {
  const server = new TestServer({ serverPath, initializationOptions: { timing: true } });
  await server.initialize();
  const uri = 'file:///bench/big.py';
  await server.open(uri, 'python', text);
  const result: KeystrokeResult = { diag: [], timings: [], lens: [], lensAnswered: 0, lensCancelled: 0 };
  const versions: number[] = [];
  let current = text;
  let pending: CancellationTokenSource | undefined;
  const inflight: Promise<void>[] = [];
  const points = editPoints(text, Math.ceil(KEYS / 2));
  let n = 0;
  try {
    for (const at of points) {
      for (const insert of [true, false]) {
        const start = position(current, at);
        const change = insert ? { range: { start, end: start }, text: 'z' } : { range: { start, end: position(current, at + 1) }, text: '' };
        current = insert ? current.slice(0, at) + 'z' + current.slice(at) : current.slice(0, at) + current.slice(at + 1);
        const t0 = performance.now();
        // VS Code cancels the lens request of the previous version when the text changes.
        pending?.cancel();
        const diagnostics = server.change(uri, [change]);
        if (withLenses) {
          const cts = (pending = new CancellationTokenSource());
          inflight.push(
            (async () => {
              const lenses = (await server.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } }, cts.token).catch(() => null)) as CodeLens[] | null;
              if (!lenses) {
                result.lensCancelled++;
                return;
              }
              const visible = lenses.filter((l) => Math.abs(l.range.start.line - start.line) <= SCREEN_LINES / 2);
              await Promise.all(visible.map((l) => (l.command ? l : server.connection.sendRequest('codeLens/resolve', l))));
              result.lensAnswered++;
              result.lens.push(performance.now() - t0);
            })(),
          );
        }
        const published = await diagnostics;
        result.diag.push(performance.now() - t0);
        versions.push(published.version ?? -1);
        n++;
        const wait = (n % 10 === 0 ? cadence.pauseMs : cadence.gapMs) - (performance.now() - t0);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }
    await Promise.all(inflight);
  } finally {
    await server.shutdown();
  }
  const logged = new Map<number, ServerTiming>();
  for (const line of server.logs) {
    const m = /timing (\{.*\})$/.exec(line);
    if (m) {
      const t = JSON.parse(m[1]) as ServerTiming;
      logged.set(t.version, t);
    }
  }
  result.timings = versions.map((v) => logged.get(v));
  return result;
}

function procRss(pid: number | undefined): number {
  if (!pid) return NaN;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function rssWithTwenty(serverPath: string): Promise<number> {
  const files = stdlibFiles()
    .map((f) => ({ f, size: statSync(f).size }))
    .sort((a, b) => b.size - a.size)
    .slice(0, 20);
  const server = new TestServer({ serverPath });
  try {
    await server.initialize();
    for (const { f } of files) {
      const uri = `file://${f}`;
      await server.open(uri, 'python', readFileSync(f, 'utf8'));
      const lenses = (await server.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[] | null;
      await Promise.all((lenses ?? []).map((l) => (l.command ? l : server.connection.sendRequest('codeLens/resolve', l))));
    }
    return procRss(server.process.pid);
  } finally {
    await server.shutdown();
  }
}

async function keystrokeTable(builds: Build[]): Promise<void> {
  const text = tenThousandLines();
  const name = 'the first 10,000 lines of the standard library (whole files in path order, as bench/spine)';
  const rows: { label: string; r: KeystrokeResult }[] = [];
  const runs: { lenses: boolean; cadence: Cadence }[] = [
    { lenses: true, cadence: TYPIST },
    { lenses: false, cadence: TYPIST },
    { lenses: true, cadence: BACK_TO_BACK },
  ];
  for (const { lenses, cadence } of runs) {
    for (const b of builds) {
      console.error(`  ${b.name}: ${KEYS} keystrokes, lenses ${lenses ? 'on' : 'off'}, ${cadence.name}`);
      const label = `${b.name}, lenses ${lenses ? 'requested after every edit' : 'never requested'}, ${cadence === TYPIST ? `${KEY_GAP_MS} ms cadence` : 'back to back'}`;
      rows.push({ label, r: await keystrokes(join(b.root, 'dist', 'server.js'), text, lenses, cadence) });
    }
  }
  say(`### Keystroke → diagnostics over LSP`);
  say();
  say(`${name}: ${text.split('\n').length - 1} lines, ${Math.round(text.length / 1024)} KB; ${KEYS} single-character edits (type a letter, delete it) at seeded places. Cadences: ${TYPIST.name} (a brisk typist; people type ~100–200 ms apart); ${BACK_TO_BACK.name}. With lenses on, \`textDocument/codeLens\` after every edit (the previous one cancelled) and \`codeLens/resolve\` for the lenses within ${SCREEN_LINES / 2} lines of the edit.`);
  say();
  say('| server | diagnostics p50 ms | p99 ms | max ms | lenses answered (of requested) | edit → lenses on screen p50 ms | p99 ms |');
  say('|---|---:|---:|---:|---:|---:|---:|');
  for (const { label, r } of rows) {
    const lens = r.lens.length ? `${quantile(r.lens, 0.5).toFixed(1)} | ${quantile(r.lens, 0.99).toFixed(1)}` : '– | –';
    say(`| ${label} | ${quantile(r.diag, 0.5).toFixed(1)} | ${quantile(r.diag, 0.99).toFixed(1)} | ${Math.max(...r.diag).toFixed(1)} | ${r.lens.length || r.lensCancelled ? `${r.lensAnswered} (of ${r.lensAnswered + r.lensCancelled})` : '–'} | ${lens} |`);
  }
  say();
  // Where the time of the slowest keystrokes went, from the server's timing log (builds that have one).
  const timed = rows.filter(({ r }) => r.timings.some(Boolean));
  if (timed.length) {
    say('Where the time went (the server\'s timing log, `initializationOptions.timing`): per keystroke, the wait from the edit\'s arrival to its analysis (spacing of analyses during bursts, or the event loop busy with something else), the incremental parse, the re-analysis of the changed units, building and sending the diagnostics, garbage collection since the previous publication; "other" is the rest of the round trip (messages, lens requests handled in between). Median over all keystrokes, then the slowest 1% (the keystrokes at or above p99) one by one.');
    say();
    say('| server | keystrokes | round trip ms | wait | parse | re-analysis | units re-analysed | build + send | GC | other |');
    say('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const { label, r } of timed) {
      const parts = r.diag.map((d, i) => ({ d, t: r.timings[i] })).filter((x): x is { d: number; t: ServerTiming } => x.t !== undefined);
      const other = (x: { d: number; t: ServerTiming }) => x.d - x.t.waitMs - x.t.analysisMs - x.t.buildMs - x.t.sendMs;
      const med = (f: (x: { d: number; t: ServerTiming }) => number) => median(parts.map(f)).toFixed(1);
      say(`| ${label} | median of ${parts.length} | ${med((x) => x.d)} | ${med((x) => x.t.waitMs)} | ${med((x) => x.t.parseMs)} | ${med((x) => x.t.rulesMs)} | ${med((x) => x.t.units)} | ${med((x) => x.t.buildMs + x.t.sendMs)} | ${med((x) => x.t.gcMs)} | ${med(other)} |`);
      const p99 = quantile(r.diag, 0.99);
      for (const x of parts.filter((x) => x.d >= p99).sort((a, b) => b.d - a.d)) {
        say(`| | v${x.t.version} | ${x.d.toFixed(1)} | ${x.t.waitMs.toFixed(1)} | ${x.t.parseMs.toFixed(1)} | ${x.t.rulesMs.toFixed(1)} | ${x.t.units} | ${(x.t.buildMs + x.t.sendMs).toFixed(1)} | ${x.t.gcMs.toFixed(1)} | ${other(x).toFixed(1)} |`);
      }
    }
    say();
  }
  if (!PARTS.has('rss')) return;
  say('RSS of the server with the 20 largest standard-library files open, every lens resolved:');
  say();
  say('| server | RSS MB |');
  say('|---|---:|');
  for (const b of builds) say(`| ${b.name} | ${(await rssWithTwenty(join(b.root, 'dist', 'server.js'))).toFixed(0)} |`);
  say();
}

async function main(): Promise<void> {
  const { build: before, cleanup } = baseline();
  const builds: Build[] = [...(before ? [before] : []), { name: 'this build', root: ROOT }];
  say(`## Speed (\`npm run bench -- speed\`)`);
  say();
  const env = [process.env.HOTPATH_BASELINE && `HOTPATH_BASELINE=${process.env.HOTPATH_BASELINE}`, before && !process.env.HOTPATH_BASELINE && `HOTPATH_BASELINE=${before.name.replace(/^baseline /, '')}`, `HOTPATH_SPEED_ROUNDS=${ROUNDS}`].filter(Boolean).join(' ');
  say(`Reproduce: \`${env} npm run bench -- speed\`.`);
  say();
  say(`Run ${new Date().toISOString().slice(0, 16)} UTC on ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the start, Node ${process.version}. Shared machine: compare rows of one run, not runs.`);
  say();
  try {
    if (PARTS.has('check')) {
      const std = stdlibFiles();
      checkTable(`\`hotpath check\` on the CPython 3.11 standard library (${std.length} files, ${megabytes(std)} MB, ${STDLIB}, tests excluded)`, std, builds, true, true);
      const npm = npmFiles();
      checkTable(`\`hotpath check\` on npm packages (${npm.files.length} files, ${megabytes(npm.files)} MB: ${npm.names.join(', ')})`, npm.files, builds, false);
    }
    if (PARTS.has('startup')) await startup(builds);
    if (PARTS.has('keystroke')) await keystrokeTable(builds);
  } finally {
    cleanup();
  }
  // bench/speed.md holds the figures of a whole run; a run of some parts only leaves it alone.
  const whole = ['check', 'startup', 'keystroke', 'rss'].every((p) => PARTS.has(p));
  writeFileSync(join(ROOT, 'bench', whole ? 'speed.md' : 'speed.partial.md'), out.join('\n') + '\n');
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
