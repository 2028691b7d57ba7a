// Opening a large file must not hold up requests about other files (trial9 L11: a 250 KB file held
// a hover on another file for 3.9 s). The big file's units are analysed in slices between other
// messages and its diagnostics published after the last, so a hover sent right after the big file's
// didOpen is answered before those diagnostics arrive. An ordering, not a timing: on the old server
// the whole analysis ran inside didOpen and its diagnostics went out before the hover was read.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { denseFile } from './denseFile';
import { TestServer } from './lspClient';

const SMALL = 'file:///tmp/hotpath-responsive/small.py';
const BIG = 'file:///tmp/hotpath-responsive/big.py';
const SMALL_TEXT = 'def dedup(xs):\n    out = []\n    for x in xs:\n        if x in out:\n            out.append(x)\n    return out\n';

describe('a large file being analysed does not block requests about other files', () => {
  let server: TestServer;
  before(async () => {
    server = new TestServer();
    await server.initialize();
  });
  after(() => server.shutdown());

  it('answers a hover on another file before the large file is published, and publishes every finding of it', async () => {
    const small = await server.open(SMALL, 'python', SMALL_TEXT);
    const membership = small.diagnostics.find((d) => d.code === 'HP101');
    assert.ok(membership, 'the small file has its HP101');

    const big = denseFile(250_000);
    const functions = big.split('\ndef ').length;
    const events: string[] = [];
    let bigDiagnostics: PublishDiagnosticsParams | undefined;
    server.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      server.diagnostics.set(p.uri, p);
      if (p.uri === BIG) {
        events.push('big diagnostics');
        bigDiagnostics = p;
      }
    });
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: BIG, languageId: 'python', version: 1, text: big } });
    const hover = server.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: SMALL }, position: membership.range.start }).then((h) => {
      events.push('hover');
      return h;
    });
    const answer = await hover;
    assert.match(JSON.stringify(answer?.contents), /HP101/, 'the hover is the real one');
    await server.until(() => bigDiagnostics, 'the large file’s diagnostics', 120_000);
    assert.deepEqual(events, ['hover', 'big diagnostics'], 'the hover was answered while the large file was being analysed');
    // Nothing was lost by analysing in slices: four findings per function (HP101, HP102, HP103,
    // HP301), all counted in the notice of the capped list.
    const notice = String(bigDiagnostics!.diagnostics[0].message);
    assert.match(notice, new RegExp(`of the ${4 * functions} findings`), notice);
  });
});
