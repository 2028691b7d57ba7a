// Hostile input against the real server over stdio, byte for byte: broken framing, requests with
// invalid ids or positions, malformed document notifications, stale versions, non-code content.
// Every request gets an answer, the server keeps answering afterwards, and the document text is
// never corrupted (checked through where the findings land).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { frame, RawServer } from './rawClient';

const SLOW = 'def f(items, known_ids):\n    known = list(known_ids)\n    out = []\n    for x in items:\n        if x in known:\n            out.append(x)\n    return out\n';

function hover(server: RawServer, uri: string, position: unknown): number {
  return server.request('textDocument/hover', { textDocument: { uri }, position });
}

describe('hostile input over stdio', () => {
  let server: RawServer;
  before(async () => {
    server = new RawServer();
    await server.initialize();
  });
  after(() => server.kill());

  /** The server still answers a well-formed request. */
  async function stillAnswers(): Promise<void> {
    const id = hover(server, 'file:///nowhere.py', { line: 0, character: 0 });
    assert.equal((await server.response(id)).result, null);
  }

  it('recovers from a Content-Length larger than the body, and answers the request it framed', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 'framed-too-long', method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x.py' }, position: { line: 0, character: 0 } } });
    server.write(`Content-Length: ${body.length + 5000}\r\n\r\n${body}`);
    await stillAnswers();
    const reply = await server.response('framed-too-long');
    assert.equal(reply.error?.code, -32600);
  });

  it('recovers from a Content-Length smaller than the body, non-numeric, huge or missing, and from garbage', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 'short', method: 'shutdown' });
    server.write(`Content-Length: ${body.length - 7}\r\n\r\n${body}`);
    await stillAnswers();
    assert.ok(server.received.some((m) => m.id === null && m.error?.code === -32700), 'a Parse error reply for the cut body');
    server.write('Content-Length: twelve\r\n\r\n{"jsonrpc":"2.0"}');
    await stillAnswers();
    server.write('Content-Length: 999999999999\r\n\r\n{}');
    await stillAnswers();
    server.write('X-Nothing: 1\r\n\r\n{"jsonrpc":"2.0","id":5,"method":"shutdown"}');
    await stillAnswers();
    server.write(randomBytes(3000).toString('latin1').replace(/content-length/gi, ''));
    server.write('\r\n\r\n');
    await stillAnswers();
    assert.ok(server.alive);
  });

  it('answers a request whose id is not a string or a number, and a batch', async () => {
    const before = server.received.length;
    server.write(frame({ jsonrpc: '2.0', id: { evil: true }, method: 'textDocument/hover', params: {} }));
    const reply = await server.until(() => server.received.slice(before).find((m) => m.id === null && m.error?.code === -32600), 'the Invalid Request reply');
    assert.match(reply.error!.message, /id must be a string or a number/);
    const mark = server.received.length;
    server.write(frame([{ jsonrpc: '2.0', id: 1, method: 'shutdown' }]));
    await server.until(() => server.received.slice(mark).find((m) => m.id === null && m.error?.code === -32600), 'the reply to a batch');
    await stillAnswers();
  });

  it('answers requests with non-integer, negative or missing positions with Invalid params', async () => {
    const uri = 'file:///tmp/hostile/positions.py';
    server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: SLOW } });
    await server.diagnostics(uri, 1);
    for (const position of [{ line: 0.5, character: 0 }, { line: -1, character: 0 }, { line: 0, character: 'x' }, null, { line: 1e300, character: 0 }]) {
      const reply = await server.response(hover(server, uri, position));
      assert.equal(reply.error?.code, -32602, `position ${JSON.stringify(position)}`);
    }
    const range = await server.response(server.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 2, character: 0 }, end: { line: NaN, character: 0 } }, context: { diagnostics: [] } }));
    assert.equal(range.error?.code, -32602);
    // A line past the end is a valid position (LSP clamps it).
    assert.equal((await server.response(hover(server, uri, { line: 99, character: 99 }))).error, undefined);
  });

  it('refuses a didOpen whose text is not a string without breaking that URI', async () => {
    const uri = 'file:///tmp/hostile/open.py';
    server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: 42 } });
    assert.equal((await server.response(hover(server, uri, { line: 0, character: 0 }))).result, null);
    server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: SLOW } });
    const published = await server.diagnostics(uri, 1);
    assert.deepEqual(published.diagnostics.filter((d) => d.code === 'HP101').map((d) => d.range.start.line), [4]);
  });

  it('refuses non-integer positions, normalises reversed ranges and ignores stale versions', async () => {
    const uri = 'file:///tmp/hostile/edits.py';
    server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: SLOW } });
    await server.diagnostics(uri, 1);
    const change = (version: number, range: unknown, text: string) => server.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    // Refused: the document stays as the client holds it after its valid edits.
    change(2, { start: { line: 0.5, character: 0 }, end: { line: 0, character: 0 } }, '# bad\n');
    change(3, { start: { line: 0, character: NaN }, end: { line: 0, character: 0 } }, '# bad\n');
    change(4, { start: { line: 0, character: -3 }, end: { line: 0, character: 0 } }, '# bad\n');
    // Two lines inserted at the top, then one removed with a reversed range: one line net.
    change(5, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# one\n# two\n');
    change(6, { start: { line: 1, character: 0 }, end: { line: 0, character: 0 } }, '');
    // Stale: an older version arriving late is not applied.
    change(3, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# stale\n# stale\n# stale\n');
    change(7, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '');
    const published = await server.diagnostics(uri, 7);
    assert.equal(published.version, 7);
    assert.deepEqual(published.diagnostics.filter((d) => d.code === 'HP101').map((d) => d.range.start.line), [5], 'the finding moved down one line, no more');
    await server.until(() => (/refused a didChange .* v2: change 0 has an invalid range/.test(server.stderr) || server.received.some((m) => m.method === 'window/logMessage' && /refused a didChange .* v2/.test(String((m.params as { message?: string })?.message))) ? true : undefined), 'a log line for the refused change');
  });

  it('does not analyse a megabyte of random bytes as code, and keeps answering', async () => {
    const uri = 'file:///tmp/hostile/random.py';
    const bytes = Buffer.from(randomBytes(1 << 20).map((b) => b || 1)); // no NUL: the binary check alone would catch those
    server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: bytes.toString('utf8') } });
    const published = await server.diagnostics(uri, 1);
    assert.equal(published.diagnostics.length, 1);
    assert.match(published.diagnostics[0].message, /does not look like source code \(\d+% of its characters are control characters or bytes that are not UTF-8\)/);
    await stillAnswers();
  });
});

describe('after shutdown', () => {
  it('answers requests with Invalid Request and exits with 0 on exit (trial9 L19: a hover was still served)', async () => {
    const server = new RawServer();
    try {
      await server.initialize();
      const down = server.request('shutdown', null);
      assert.equal((await server.response(down)).result, null);
      const late = hover(server, 'file:///nowhere.py', { line: 0, character: 0 });
      const reply = await server.response(late);
      assert.equal(reply.error?.code, -32600, JSON.stringify(reply));
      assert.match(reply.error!.message, /after shutdown/);
      const exited = new Promise<number | null>((resolve) => server.process.on('exit', (code) => resolve(code)));
      server.notify('exit', null);
      assert.equal(await exited, 0);
    } finally {
      server.kill();
    }
  });
});
