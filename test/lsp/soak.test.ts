// Soak: an edit storm on a large file with thousands of findings, through the real server, bounded
// to tens of seconds. The burst must end with the last version published, showing what a fresh
// analysis of the final text shows; the server's peak RSS stays under 1 GB; a hover sent in the
// middle of the burst is answered; opening and closing a large document again and again does not
// grow the server's memory.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { denseFile } from './denseFile';
import { TestServer } from './lspClient';

const EDITS = 2000;

function rssMb(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const shown = (d: Diagnostic[]) => d.map((x) => `${x.range.start.line}:${x.range.start.character} ${x.code ?? ''} ${x.message}`);

describe('edit storms', () => {
  it(`${EDITS} one-character edits into 250 KB with ~4,000 findings: last version published, as a fresh analysis shows it, under 1 GB`, async () => {
    const server = new TestServer();
    try {
      await server.initialize();
      let text = denseFile();
      const uri = 'file:///tmp/hotpath-soak/dense.py';
      const opened = await server.open(uri, 'python', text);
      assert.match(String(opened.diagnostics[0].message), /shows 500 of the \d{4} findings/, 'findings capped with a summary');
      const lines = text.split('\n');
      const line = Math.floor(lines.length / 2);
      let versions = 0;
      server.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
        server.diagnostics.set(p.uri, p);
        if (p.uri === uri) versions++;
      });
      let hover: Promise<unknown> | undefined;
      const offset = lines.slice(0, line).join('\n').length + 1;
      for (let i = 0; i < EDITS; i++) {
        // A new line in the middle, then typing on it; now and then a deletion.
        const change =
          i === 0
            ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: 'x = 1\n' }
            : i % 7 === 0
              ? { range: { start: { line, character: 4 }, end: { line, character: 5 } }, text: '' }
              : { range: { start: { line, character: 4 }, end: { line, character: 4 } }, text: String(i % 10) };
        const at = offset + change.range.start.character;
        const end = offset + change.range.end.character;
        text = text.slice(0, at) + change.text + text.slice(end);
        void server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [change] });
        if (i === EDITS / 2) hover = server.request('textDocument/hover', { textDocument: { uri }, position: opened.diagnostics[1].range.start });
      }
      const last = await server.diagnosticsFor(uri, EDITS + 1);
      assert.equal(last.version, EDITS + 1);
      assert.ok(await hover, 'the hover sent during the burst is answered, with the finding under it');
      assert.ok(versions < EDITS / 4, `intermediate versions are skipped (${versions} published)`);
      const peak = rssMb(server.process.pid, 'VmHWM');
      assert.ok(peak < 1024, `peak RSS ${peak.toFixed(0)} MB`);
      // The same text opened fresh shows the same diagnostics.
      const fresh = await server.open('file:///tmp/hotpath-soak/fresh.py', 'python', text);
      assert.deepEqual(shown(last.diagnostics), shown(fresh.diagnostics));
    } finally {
      await server.shutdown();
    }
  });

  it('returns memory when documents close: eight open/close rounds of a large file do not raise the server\'s RSS floor', async () => {
    const server = new TestServer();
    try {
      await server.initialize();
      const code = denseFile(600_000);
      const rss: number[] = [];
      for (let n = 0; n < 8; n++) {
        const uri = `file:///tmp/hotpath-soak/big${n}.py`;
        await server.open(uri, 'python', code);
        await server.close(uri);
        await server.until(() => (server.diagnostics.get(uri)?.diagnostics.length === 0 ? true : undefined), 'diagnostics cleared on close');
        rss.push(rssMb(server.process.pid, 'VmRSS'));
      }
      // Each round parses 600 KB (a tree of tens of MB in WASM memory); kept trees would add that much per round
      // (checked: with closed documents kept, RSS grew by about 39 MB a round). RSS after a round saw-tooths by
      // up to ~90 MB with the garbage collector's timing, so compare floors: the least RSS of rounds 3–5 and of
      // rounds 6–8 (kept trees would raise it by ~117 MB).
      const early = Math.min(...rss.slice(2, 5));
      const late = Math.min(...rss.slice(5, 8));
      assert.ok(late < early + 60, `RSS after each round: ${rss.map((x) => x.toFixed(0)).join(', ')} MB`);
    } finally {
      await server.shutdown();
    }
  });
});
