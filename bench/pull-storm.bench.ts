// Pulls during an edit storm (review 10 L6), for a client that pulls the open documents' diagnostics
// and takes none pushed (it declares `textDocument.diagnostic`, not `publishDiagnostics`). A large
// real file is opened; then EDITS pastes (each a copy of one of its own functions, appended: new
// units, so the analysis goes on in slices) are sent PACE_MS apart, each followed by a pull, the
// previous pull cancelled when it is still open, as vscode-languageclient does. Reported per server:
// the most pulls open at once, how many cancelled pulls the server still answered in full (each a
// diagnostics list built and sent for nothing) and how many it answered cancelled, the JSON it sent
// in answers, the server's CPU time (/proc utime+stime) from the first edit to the last pull's answer,
// that wall time, and the last pull's time from its request to its answer.
//
//   npm run bench -- pull-storm                              this build only
//   HOTPATH_BASELINE=<git ref> npm run bench -- pull-storm   that ref built in a temporary worktree, side by side
//   HOTPATH_BASELINE_SERVER=/path/dist/server.js …           a server already built, side by side
//
// File: salabim.py of salabim 26.0.9 from the precision corpora (1.1 MB, real code nobody here
// wrote) when present, else CPython 3.11's `_pydecimal.py`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import { TestServer } from '../test/lsp/lspClient';
import { buildBaseline, STDLIB } from './lib';

const ROOT = join(__dirname, '..');
const EDITS = Number(process.env.HOTPATH_PULL_EDITS ?? 60);
const PACE_MS = Number(process.env.HOTPATH_PULL_PACE_MS ?? 30);

function cpuMs(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
}

interface Row {
  server: string;
  maxOpen: number;
  pulls: number;
  cancelled: number;
  supersededFull: number;
  answerKb: number;
  lastPullMs: number;
  cpuMs: number;
  wallMs: number;
  lastItems: number;
}

async function storm(name: string, serverPath: string, text: string): Promise<Row> {
  const server = new TestServer({ serverPath, capabilities: { textDocument: { diagnostic: {} } } });
  try {
    await server.initialize();
    const uri = 'file:///tmp/hotpath-pull-storm/file.py';
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
    const params = { textDocument: { uri } };
    const pull = (source?: CancellationTokenSource) => (source ? server.connection.sendRequest('textDocument/diagnostic', params, source.token) : server.connection.sendRequest('textDocument/diagnostic', params)) as Promise<{ items: unknown[] }>;
    await pull();
    // The file's own functions, pasted at its end one after another.
    const blocks = text.split(/\n(?=def )/).filter((b) => b.startsWith('def ') && b.length < 4000);
    let lines = text.split('\n').length - 1;
    let open = 0;
    let maxOpen = 0;
    let cancelled = 0;
    let supersededFull = 0;
    let answerBytes = 0;
    let lastSent = 0;
    let lastAnswered = 0;
    let previous: CancellationTokenSource | undefined;
    let last: Promise<{ items: unknown[] }> | undefined;
    const cpu0 = cpuMs(server.process.pid);
    const t0 = performance.now();
    for (let i = 0; i < EDITS; i++) {
      const paste = `\n${blocks[i % blocks.length].replace(/^def (\w+)/, `def $1_pasted${i}`)}\n`;
      await server.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: i + 2 },
        contentChanges: [{ range: { start: { line: lines, character: 0 }, end: { line: lines, character: 0 } }, text: paste }],
      });
      lines += paste.split('\n').length - 1;
      previous?.cancel();
      const source = (previous = new CancellationTokenSource());
      open++;
      maxOpen = Math.max(maxOpen, open);
      const isLast = i === EDITS - 1;
      if (isLast) lastSent = performance.now();
      last = pull(source).then(
        (r) => {
          open--;
          answerBytes += JSON.stringify(r).length;
          if (source.token.isCancellationRequested) supersededFull++;
          if (isLast) lastAnswered = performance.now();
          return r;
        },
        (err: { code?: number }) => {
          open--;
          if (err.code === -32800) cancelled++;
          else console.error(`${name}: pull failed: ${String(err)}`);
          return { items: [] };
        },
      );
      await new Promise((resolve) => setTimeout(resolve, PACE_MS));
    }
    const final = await last!;
    while (open > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    return { server: name, maxOpen, pulls: EDITS, cancelled, supersededFull, answerKb: answerBytes / 1024, lastPullMs: lastAnswered - lastSent, cpuMs: cpuMs(server.process.pid) - cpu0, wallMs: performance.now() - t0, lastItems: final.items.length };
  } finally {
    await server.shutdown();
  }
}

async function main(): Promise<void> {
  const salabim = join(process.env.HOME ?? '/root', '.cache/hotpath/precision-corpora/salabim-26.0.9/salabim/salabim.py');
  const file = existsSync(salabim) ? salabim : join(STDLIB ?? '/usr/lib/python3.11', '_pydecimal.py');
  const text = readFileSync(file, 'utf8');
  const servers: [string, string][] = [];
  let cleanup = () => undefined as void;
  if (process.env.HOTPATH_BASELINE_SERVER) servers.push([`baseline ${process.env.HOTPATH_BASELINE_SERVER}`, process.env.HOTPATH_BASELINE_SERVER]);
  else if (process.env.HOTPATH_BASELINE) {
    const b = buildBaseline(process.env.HOTPATH_BASELINE);
    cleanup = b.cleanup;
    servers.push([`baseline ${process.env.HOTPATH_BASELINE}`, join(b.dir, 'dist', 'server.js')]);
  }
  servers.push(['this build', join(ROOT, 'dist', 'server.js')]);
  const rows: Row[] = [];
  try {
    for (const [name, path] of servers) {
      console.error(`${name}: ${EDITS} pastes into ${file} (${Math.round(text.length / 1024)} KB), ${PACE_MS} ms apart, a pull after each…`);
      rows.push(await storm(name, path, text));
    }
  } finally {
    cleanup();
  }
  console.log(`\nFile: ${file}; ${EDITS} pastes ${PACE_MS} ms apart, a pull after each (the open one cancelled).\n`);
  console.log('| server | pulls | most open at once | cancelled, answered in full | answered cancelled | answers (KB) | last pull (ms) | server CPU (ms) | wall (ms) | items in the last pull |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.server} | ${r.pulls} | ${r.maxOpen} | ${r.supersededFull} | ${r.cancelled} | ${Math.round(r.answerKb)} | ${Math.round(r.lastPullMs)} | ${Math.round(r.cpuMs)} | ${Math.round(r.wallMs)} | ${r.lastItems} |`);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
