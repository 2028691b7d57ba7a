// Pull diagnostics (`textDocument/diagnostic`) for open documents (trial9 L18): a client that pulls
// and does not take pushed diagnostics (it declares `textDocument.diagnostic`, not
// `publishDiagnostics`) used to get `items: []` for every open document, so it showed nothing for
// the files being edited. It now gets their findings on pull and nothing pushed; a client that
// declares push (VS Code declares both) keeps getting them pushed only, never twice.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import type { Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver-protocol';
import { denseFile } from './denseFile';
import { TestServer } from './lspClient';

const TEXT = 'def dedup(xs):\n    out = []\n    for x in xs:\n        if x in out:\n            out.append(x)\n    return out\n';

async function pull(server: TestServer, uri: string): Promise<Diagnostic[]> {
  const report = (await server.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as DocumentDiagnosticReport;
  assert.equal(report.kind, 'full');
  return (report as { items: Diagnostic[] }).items;
}

async function openWithoutWaiting(server: TestServer, uri: string, text: string, version = 1): Promise<void> {
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version, text } });
}

describe('pull diagnostics for open documents', () => {
  it('a pull-only client gets the open document’s findings on pull, and none pushed', async () => {
    const server = new TestServer({ capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } } } });
    try {
      await server.initialize();
      const uri = 'file:///tmp/hotpath-pull/a.py';
      await openWithoutWaiting(server, uri, TEXT);
      const items = await pull(server, uri);
      assert.deepEqual(items.map((d) => d.code).sort(), ['HP101', 'HP301']);
      // An edit, pulled again: the answer is that of the new text.
      await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'def f(xs):\n    return xs\n' }] });
      assert.deepEqual(await pull(server, uri), []);
      // A large file is analysed in slices: the pull waits for the last one and has every finding.
      const big = 'file:///tmp/hotpath-pull/big.py';
      const text = denseFile(60_000);
      await openWithoutWaiting(server, big, text);
      const bigItems = await pull(server, big);
      // (four findings per function, over the per-file cap: the first item's notice counts them all)
      assert.match(String(bigItems[0].message), new RegExp(`of the ${4 * text.split('\ndef ').length} findings`), String(bigItems[0].message));
      // A round trip after the pulls: nothing was pushed.
      await server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
      assert.equal(server.diagnostics.size, 0, `pushed: ${[...server.diagnostics.keys()].join(', ')}`);
    } finally {
      await server.shutdown();
    }
  });

  it('a pull the client cancels while a large file is analysed in slices answers RequestCancelled; the next pull answers in full (review 10 L6)', async () => {
    const server = new TestServer({ capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } } } });
    try {
      await server.initialize();
      const uri = 'file:///tmp/hotpath-pull/cancel.py';
      const text = denseFile(400_000);
      await openWithoutWaiting(server, uri, text);
      const source = new CancellationTokenSource();
      const cancelled = server.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, source.token);
      source.cancel();
      await assert.rejects(cancelled, (err: { code?: number }) => err.code === -32800, 'RequestCancelled (LSPErrorCodes), not a full answer after the last slice');
      const items = await pull(server, uri);
      assert.match(String(items[0].message), new RegExp(`of the ${4 * text.split('\ndef ').length} findings`), String(items[0].message));
    } finally {
      await server.shutdown();
    }
  });

  it('a client that takes pushed diagnostics gets them pushed and an empty pull, not the same findings twice', async () => {
    const server = new TestServer({ capabilities: { textDocument: { publishDiagnostics: {}, diagnostic: {} } } });
    try {
      await server.initialize();
      const uri = 'file:///tmp/hotpath-pull/b.py';
      const pushed = await server.open(uri, 'python', TEXT);
      assert.deepEqual(pushed.diagnostics.map((d) => d.code).sort(), ['HP101', 'HP301']);
      assert.deepEqual(await pull(server, uri), []);
    } finally {
      await server.shutdown();
    }
  });
});
