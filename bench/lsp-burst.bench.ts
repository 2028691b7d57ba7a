// First, a large file opened while hovers over another file go on (trial9 L11: how long the large
// file's analysis holds up other requests). Then edit storms against the real server over stdio (issue 20): 2,000 one-character edits sent as fast
// as the pipe takes them into a large file, a hover in the middle of the burst, then wait for the
// last version's diagnostics. Reported per server build and file: time to drain (first edit sent →
// last version published), the hover's latency, how many versions were published, the server's
// peak RSS (VmHWM) and its RSS after the document is closed. Then, per build: a megabyte of random
// bytes opened as a Python file (time to its diagnostics, RSS after closing it), and
// `hotpath check --format json` on a 1 MB file with ~16,000 findings (wall time).
//
//   npm run bench -- lsp-burst                         this build only
//   HOTPATH_BASELINE=<git ref> npm run bench -- lsp-burst   that ref built in a temporary worktree,
//                                                      measured side by side with this build
//   HOTPATH_BURST_ONLY=open npm run bench -- lsp-burst  only the first part: a large file opened
//                                                      while hovering over another (trial9 L11)
//
// Files: `dense.py` (generated here: 250 KB, about 4,000 findings, the stress case; our
// own material, so a regression figure) and `_pydecimal.py` from the CPython 3.11 standard library
// (229 KB of real code nobody on the team wrote).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { denseFile } from '../test/lsp/denseFile';
import { TestServer } from '../test/lsp/lspClient';
import { buildBaseline } from './lib';

const ROOT = join(__dirname, '..');
const EDITS = Number(process.env.HOTPATH_BURST_EDITS ?? 2000);
const TIMEOUT_MS = Number(process.env.HOTPATH_BURST_TIMEOUT_S ?? 150) * 1000;

function stdlibFile(name: string): string | undefined {
  const dirs = ['/root/.pyenv/versions/3.11.7/lib/python3.11', '/usr/lib/python3.11'];
  const dir = dirs.find((d) => existsSync(join(d, name)));
  return dir && readFileSync(join(dir, name), 'utf8');
}

function procStatus(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

interface Result {
  server: string;
  file: string;
  findings: number;
  drained: boolean;
  drainMs: number;
  hoverMs: number | undefined;
  published: number;
  lastPublished: number;
  peakRssMb: number;
  rssAfterCloseMb: number;
  died: boolean;
}

async function burst(serverName: string, serverPath: string, fileName: string, text: string): Promise<Result> {
  const server = new TestServer({ serverPath });
  await server.initialize();
  const uri = `file:///tmp/hotpath-burst/${fileName}`;
  const opened = await server.open(uri, 'python', text);
  const findings = opened.diagnostics.length;
  // Type on a new line in the middle of the file; hover over a finding above it.
  const lines = text.split('\n');
  const line = Math.floor(lines.length / 2);
  const hoverAt = opened.diagnostics.find((d) => d.range.start.line < line && d.severity !== undefined && d.code !== undefined)?.range.start ?? { line: 0, character: 0 };
  let published = 0;
  let lastPublished = 1;
  server.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    server.diagnostics.set(p.uri, p);
    if (p.uri === uri) {
      published++;
      lastPublished = p.version ?? lastPublished;
    }
  });
  let peak = procStatus(server.process.pid, 'VmHWM');
  const sampler = setInterval(() => (peak = Math.max(peak, procStatus(server.process.pid, 'VmHWM') || 0)), 200);
  const t0 = performance.now();
  let hover: Promise<number> | undefined;
  for (let i = 0; i < EDITS; i++) {
    const version = i + 2;
    const change = i === 0 ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '# \n' } : { range: { start: { line, character: 1 + i } , end: { line, character: 1 + i } }, text: 'abcdefghij'[i % 10] };
    void server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] }).catch(() => undefined);
    if (i === Math.floor(EDITS / 2)) {
      const h0 = performance.now();
      hover = (server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: hoverAt }) as Promise<Hover | null>).then(() => performance.now() - h0);
    }
  }
  let drained = true;
  try {
    await server.until(() => lastPublished === EDITS + 1 || !server.alive, 'the last version', TIMEOUT_MS);
    drained = lastPublished === EDITS + 1;
  } catch {
    drained = false;
  }
  const drainMs = performance.now() - t0;
  const hoverMs = await Promise.race([hover ?? Promise.resolve(undefined), new Promise<undefined>((r) => setTimeout(() => r(undefined), 10))]);
  clearInterval(sampler);
  peak = Math.max(peak, procStatus(server.process.pid, 'VmHWM') || 0);
  const died = !server.alive;
  let rssAfterCloseMb = NaN;
  if (!died && drained) {
    await server.close(uri);
    await new Promise((r) => setTimeout(r, 1500));
    rssAfterCloseMb = procStatus(server.process.pid, 'VmRSS');
  }
  if (drained) await server.shutdown();
  else {
    server.process.kill('SIGKILL');
    server.connection.dispose();
  }
  return { server: serverName, file: fileName, findings, drained, drainMs, hoverMs, published, lastPublished, peakRssMb: peak, rssAfterCloseMb, died };
}

interface OpenResult {
  server: string;
  file: string;
  diagnosticsMs: number;
  hovers: number;
  longestHoverMs: number;
}

/**
 * Open a large file while another, small one is open, and hover over the small one again and again
 * (each hover sent when the last was answered) until the large file's diagnostics arrive (trial9 L11):
 * the longest hover is how long the large file's analysis held up requests about other files.
 */
async function openWhileHovering(serverName: string, serverPath: string, fileName: string, text: string): Promise<OpenResult> {
  const server = new TestServer({ serverPath });
  await server.initialize();
  const small = 'file:///tmp/hotpath-burst/small.py';
  const opened = await server.open(small, 'python', 'def dedup(xs):\n    out = []\n    for x in xs:\n        if x in out:\n            out.append(x)\n    return out\n');
  const at = opened.diagnostics[0]?.range.start ?? { line: 3, character: 13 };
  const uri = `file:///tmp/hotpath-burst/open-${fileName}`;
  let published = false;
  server.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    server.diagnostics.set(p.uri, p);
    if (p.uri === uri) published = true;
  });
  const t0 = performance.now();
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
  let hovers = 0;
  let longest = 0;
  while (!published && performance.now() - t0 < TIMEOUT_MS) {
    const h0 = performance.now();
    await server.connection.sendRequest('textDocument/hover', { textDocument: { uri: small }, position: at });
    longest = Math.max(longest, performance.now() - h0);
    hovers++;
  }
  await server.until(() => published, 'the large file’s diagnostics', TIMEOUT_MS);
  const diagnosticsMs = performance.now() - t0;
  await server.shutdown();
  return { server: serverName, file: fileName, diagnosticsMs, hovers, longestHoverMs: longest };
}

/** A megabyte of random bytes (no NUL) decoded as UTF-8 the way an editor would, opened as Python. */
async function randomOpen(serverName: string, serverPath: string): Promise<{ server: string; ms: number; message: string; rssAfterCloseMb: number; peakRssMb: number }> {
  const server = new TestServer({ serverPath });
  await server.initialize();
  const text = Buffer.from(randomBytes(1 << 20).map((b) => b || 1)).toString('utf8');
  const uri = 'file:///tmp/hotpath-burst/random.py';
  const t0 = performance.now();
  let message = '';
  try {
    const d = await server.open(uri, 'python', text);
    message = String(d.diagnostics[0]?.message ?? `${d.diagnostics.length} diagnostics`);
  } catch {
    message = 'no diagnostics within 20 s';
  }
  const ms = performance.now() - t0;
  await server.close(uri);
  await new Promise((r) => setTimeout(r, 1500));
  const rssAfterCloseMb = procStatus(server.process.pid, 'VmRSS');
  const peakRssMb = procStatus(server.process.pid, 'VmHWM');
  await server.shutdown();
  return { server: serverName, ms, message, rssAfterCloseMb, peakRssMb };
}

/** `hotpath check --format json` on a file, wall time (median of 3) and the number of findings. */
function checkJson(serverPath: string, file: string): { ms: number; findings: number } {
  const cli = join(serverPath, '..', 'cli.js');
  const times: number[] = [];
  let findings = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, 'check', file, '--format', 'json', '--no-progress', '--exit-zero', '--max-file-size', '4096'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    times.push(performance.now() - t0);
    findings = (JSON.parse(r.stdout) as unknown[]).length;
  }
  return { ms: times.sort((a, b) => a - b)[1], findings };
}

/** Build `ref` in a temporary worktree (node_modules linked from this checkout). */
async function main(): Promise<void> {
  const files: [string, string][] = [['dense.py', denseFile()]];
  const real = stdlibFile('_pydecimal.py');
  if (real) files.push(['_pydecimal.py', real]);
  const servers: [string, string][] = [];
  let cleanup = () => undefined as void;
  const ref = process.env.HOTPATH_BASELINE;
  if (ref) {
    const b = buildBaseline(ref);
    cleanup = b.cleanup;
    servers.push([`baseline ${ref}`, join(b.dir, 'dist', 'server.js')]);
  }
  servers.push(['this build', join(ROOT, 'dist', 'server.js')]);
  const results: Result[] = [];
  const randoms: Awaited<ReturnType<typeof randomOpen>>[] = [];
  const checks: { server: string; ms: number; findings: number }[] = [];
  const bigFile = join(mkdtempSync(join(tmpdir(), 'hotpath-burst-')), 'dense1mb.py');
  writeFileSync(bigFile, denseFile(1_000_000));
  // Large real files to open (trial9 L11), where present: the precision corpora's salabim.py (1.1 MB).
  const opens: [string, string][] = [...files];
  const salabim = join(process.env.HOME ?? '/root', '.cache/hotpath/precision-corpora/salabim-26.0.9/salabim/salabim.py');
  if (existsSync(salabim)) opens.push(['salabim.py', readFileSync(salabim, 'utf8')]);
  const openResults: OpenResult[] = [];
  const only = process.env.HOTPATH_BURST_ONLY;
  try {
    for (const [fileName, text] of opens) {
      if (only && only !== 'open') break;
      for (const [name, path] of servers) {
        console.error(`${name}: open ${fileName} (${Math.round(text.length / 1024)} KB) while hovering over another file…`);
        openResults.push(await openWhileHovering(name, path, fileName, text));
      }
    }
    for (const [fileName, text] of only === 'open' ? [] : files) {
      for (const [name, path] of servers) {
        console.error(`${name}: ${EDITS} edits into ${fileName} (${Math.round(text.length / 1024)} KB)…`);
        results.push(await burst(name, path, fileName, text));
      }
    }
    for (const [name, path] of only === 'open' ? [] : servers) {
      console.error(`${name}: 1 MB of random bytes…`);
      randoms.push(await randomOpen(name, path));
      console.error(`${name}: hotpath check --format json on 1 MB…`);
      checks.push({ server: name, ...checkJson(path, bigFile) });
    }
  } finally {
    cleanup();
  }
  const f = (n: number | undefined, d = 0) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(d));
  console.log('\nA large file opened while another is open; hovers over the other one, each sent when the last was answered, until the large file is published\n');
  console.log('| server | file opened | time to its diagnostics (s) | hovers answered meanwhile | longest hover (ms) |');
  console.log('|---|---|---|---|---|');
  for (const r of openResults) console.log(`| ${r.server} | ${r.file} | ${f(r.diagnosticsMs / 1000, 1)} | ${r.hovers} | ${f(r.longestHoverMs)} |`);
  if (only === 'open') return;
  console.log(`\n${EDITS} one-character edits, sent without waiting; timeout ${TIMEOUT_MS / 1000} s\n`);
  console.log('| server | file | findings | drained | time to drain (s) | hover during burst (ms) | versions published | peak RSS (MB) | RSS after close (MB) |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const state = r.drained ? 'yes' : r.died ? `no: died (last v${r.lastPublished})` : `no: v${r.lastPublished} of v${EDITS + 1}`;
    console.log(`| ${r.server} | ${r.file} | ${r.findings} | ${state} | ${f(r.drainMs / 1000, 1)} | ${f(r.hoverMs)} | ${r.published} | ${f(r.peakRssMb)} | ${f(r.rssAfterCloseMb)} |`);
  }
  console.log('\n1 MB of random bytes (no NUL) opened as a Python file\n');
  console.log('| server | time to diagnostics (ms) | what it says | peak RSS (MB) | RSS after close (MB) |');
  console.log('|---|---|---|---|---|');
  for (const r of randoms) console.log(`| ${r.server} | ${f(r.ms)} | ${r.message.slice(0, 90)} | ${f(r.peakRssMb)} | ${f(r.rssAfterCloseMb)} |`);
  console.log('\n`hotpath check --format json` on a 1 MB generated file (median of 3, whole process)\n');
  console.log('| build | findings | wall time (s) |');
  console.log('|---|---|---|');
  for (const c of checks) console.log(`| ${c.server} | ${c.findings} | ${f(c.ms / 1000, 2)} |`);
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
