// The real bundled server over stdio: open, edit incrementally, receive diagnostics, request and
// apply code actions, hover, suppressions, settings. Driven by the rule fixtures, so every
// fixable rule's quick fix is also checked through the protocol.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CodeAction, CodeLens, Diagnostic, Hover, TextEdit } from 'vscode-languageserver-protocol';
import type { Fixture, Rule } from '../../server/src/analysis/rule';
import { allRules } from '../../server/src/languages';
import { TestServer } from './lspClient';

const LSP_LANGUAGE: Record<Fixture['language'], string> = { python: 'python', javascript: 'javascript', typescript: 'typescript', tsx: 'typescriptreact' };
const EXT: Record<Fixture['language'], string> = { python: 'py', javascript: 'js', typescript: 'ts', tsx: 'tsx' };

function offsetAt(text: string, pos: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) offset = text.indexOf('\n', offset) + 1;
  return offset + pos.character;
}

function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => offsetAt(text, b.range.start) - offsetAt(text, a.range.start));
  for (const e of sorted) text = text.slice(0, offsetAt(text, e.range.start)) + e.newText + text.slice(offsetAt(text, e.range.end));
  return text;
}

/** One positive fixture per rule, and for rules with fixes, the fixture that has one. */
function fixturesUnderTest(): { rule: Rule; fx: Fixture }[] {
  return allRules().flatMap((rule) => {
    const fx = rule.fixtures.find((f) => f.fixed !== undefined) ?? rule.fixtures.find((f) => f.lines.length > 0);
    return fx ? [{ rule, fx }] : [];
  });
}

let uriCounter = 0;
const uriFor = (fx: Fixture) => `file:///tmp/hotpath-lsp-test/doc${++uriCounter}.${EXT[fx.language]}`;

describe('language server over stdio', () => {
  let server: TestServer;
  before(async () => {
    server = new TestServer();
    await server.initialize();
  });
  after(async () => {
    await server.shutdown();
  });

  it('announces incremental sync, code actions and hover', async () => {
    const probe = new TestServer();
    const result = (await probe.initialize()) as { capabilities: Record<string, unknown> };
    await probe.shutdown();
    assert.deepEqual((result.capabilities.textDocumentSync as { change: number }).change, 2);
    assert.ok(result.capabilities.codeActionProvider);
    assert.equal(result.capabilities.hoverProvider, true);
  });

  for (const { rule, fx } of fixturesUnderTest()) {
    it(`${rule.code}: diagnostics${fx.fixed !== undefined ? ', quick fix' : ''} and hover (${fx.name})`, async () => {
      const uri = uriFor(fx);
      const published = await server.open(uri, LSP_LANGUAGE[fx.language], fx.code);
      const mine = published.diagnostics.filter((d) => d.code === rule.code);
      assert.deepEqual(mine.map((d) => d.range.start.line + 1), fx.lines);
      for (const d of mine) {
        assert.equal(d.source, 'hotpath');
        assert.ok(typeof d.message === 'string' && d.message.length > 0 && !d.message.includes('\n'), 'one-line message');
        // The code links to the rule's page, generated from the rule file and shipped in dist/rules/.
        const page = readFileSync(fileURLToPath(d.codeDescription?.href ?? 'file:///missing'), 'utf8');
        assert.ok(page.startsWith(`# ${rule.code} \`${rule.name}\``), 'the code links to the rule page');
        // Related information only for the other places of the chain, never the finding itself.
        for (const r of d.relatedInformation ?? []) assert.notDeepEqual(r.location.range, d.range, `related "${r.message}" repeats the finding`);
      }
      const hover = (await server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: mine[0].range.start })) as Hover | null;
      const shown = hover ? (hover.contents as { value: string }).value : '';
      assert.ok(shown.includes(rule.name) && shown.includes('**Why:**'), 'hover says why');
      assert.ok(!shown.includes(String(mine[0].message)), 'hover does not repeat the message (the editor shows it)');
      assert.equal(shown.split('**Why:**').length, 2, 'why once');

      if (fx.fixed !== undefined) {
        const edits: TextEdit[] = [];
        for (const d of mine) {
          const actions = (await server.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
          const fix = actions.find((a) => a.isPreferred);
          assert.ok(fix?.edit?.changes?.[uri], `a quick fix for the finding at line ${d.range.start.line + 1}`);
          assert.ok(actions.some((a) => a.title.startsWith(`Suppress ${rule.code}`)), 'a suppress action');
          edits.push(...fix.edit.changes[uri]);
        }
        const fixed = applyEdits(fx.code, edits);
        assert.equal(fixed, fx.fixed);
        // Send the fix as an incremental edit, as the editor does: the finding goes away.
        const after = await server.change(uri, edits.sort((a, b) => offsetAt(fx.code, b.range.start) - offsetAt(fx.code, a.range.start)).map((e) => ({ range: e.range, text: e.newText })));
        assert.deepEqual(after.diagnostics.filter((d) => d.code === rule.code), []);
      }
      await server.close(uri);
    });
  }

  it('updates diagnostics as text is typed and deleted incrementally', async () => {
    const { rule, fx } = fixturesUnderTest().find(({ fx }) => fx.language === 'python')!;
    const uri = 'file:///tmp/hotpath-lsp-test/typing.py';
    const start = await server.open(uri, 'python', 'import os\n');
    assert.deepEqual(start.diagnostics, []);
    // Type the fixture in, a few characters per notification.
    let text = 'import os\n';
    let last = start;
    for (let i = 0; i < fx.code.length; i += 7) {
      const chunk = fx.code.slice(i, i + 7);
      const lines = text.split('\n');
      const pos = { line: lines.length - 1, character: lines[lines.length - 1].length };
      last = await server.change(uri, [{ range: { start: pos, end: pos }, text: chunk }]);
      text += chunk;
    }
    assert.deepEqual(last.diagnostics.filter((d) => d.code === rule.code).map((d) => d.range.start.line), fx.lines, 'the fixture\'s findings, one line lower (after the import)');
    // Delete it again in one edit.
    const lines = text.split('\n');
    const cleared = await server.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } }, text: '' }]);
    assert.deepEqual(cleared.diagnostics, []);
    await server.close(uri);
  });

  it('answers textDocument/codeLens without titles and writes a title on codeLens/resolve', async () => {
    const probe = new TestServer();
    const result = (await probe.initialize()) as { capabilities: { codeLensProvider?: { resolveProvider?: boolean } } };
    await probe.shutdown();
    assert.equal(result.capabilities.codeLensProvider?.resolveProvider, true);
    const uri = 'file:///tmp/hotpath-lsp-test/lens.py';
    await server.open(uri, 'python', 'def const(x):\n    return x\n\ndef pairs(xs):\n    return [(a, b) for a in xs for b in xs]\n');
    const lenses = (await server.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command]), [[3, undefined]], 'pairs only (linear or more), no title yet');
    const resolved = (await server.connection.sendRequest('codeLens/resolve', lenses[0])) as CodeLens;
    assert.equal(resolved.command?.title, 'O(n²) · n = len(xs)');
    assert.equal(resolved.command?.command, 'hotpath.benchmarkFunction');
    // After an edit the old lens is not resolved against the new text; the new request is.
    await server.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
    assert.equal(((await server.connection.sendRequest('codeLens/resolve', lenses[0])) as CodeLens).command?.title, '…');
    const moved = (await server.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
    assert.deepEqual(moved.map((l) => l.range.start.line), [4]);
    assert.equal(((await server.connection.sendRequest('codeLens/resolve', moved[0])) as CodeLens).command?.title, 'O(n²) · n = len(xs)');
    // A resolve the server never issued (a hostile or confused client) gets a placeholder, not an error.
    assert.equal(((await server.connection.sendRequest('codeLens/resolve', { range: moved[0].range, data: { uri: 42, start: 'x' } })) as CodeLens).command?.title, '…');
    await server.close(uri);
  });

  it('honours `hotpath: ignore[CODE]` comments', async () => {
    const { rule, fx } = fixturesUnderTest()[0];
    const comment = fx.language === 'python' ? '#' : '//';
    const lines = fx.code.split('\n');
    for (const l of fx.lines) lines[l - 1] += `  ${comment} hotpath: ignore[${rule.code}]`;
    const published = await server.open(uriFor(fx), LSP_LANGUAGE[fx.language], lines.join('\n'));
    assert.deepEqual(published.diagnostics.filter((d: Diagnostic) => d.code === rule.code), []);
  });
});

describe('settings and bad input', () => {
  it('reads the project configuration once, and again when the client reports it changed', async () => {
    const { rule, fx } = fixturesUnderTest().find(({ fx }) => fx.language === 'python')!;
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-lsp-config-'));
    const config = join(dir, 'hotpath.toml');
    writeFileSync(config, `ignore = ["${rule.code}"]\n`);
    const file = join(dir, 'slow.py');
    writeFileSync(file, fx.code);
    const server = new TestServer();
    await server.initialize();
    const uri = pathToFileURL(file).href;
    const first = await server.open(uri, 'python', fx.code);
    assert.deepEqual(first.diagnostics.filter((d) => d.code === rule.code), []);
    writeFileSync(config, 'ignore = []\n');
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(config).href, type: 2 }] });
    const again = await server.until(() => {
      const d = server.diagnostics.get(uri);
      return d && d.diagnostics.some((x) => x.code === rule.code) ? d : undefined;
    }, 'diagnostics after the configuration changed');
    assert.deepEqual(again.diagnostics.filter((d) => d.code === rule.code).map((d) => d.range.start.line + 1), fx.lines);
    await server.shutdown();
  });

  it('drops rules disabled in settings', async () => {
    const { rule, fx } = fixturesUnderTest()[0];
    const server = new TestServer({ settings: { ignore: [rule.code] } });
    await server.initialize();
    const published = await server.open(uriFor(fx), LSP_LANGUAGE[fx.language], fx.code);
    assert.deepEqual(published.diagnostics.filter((d) => d.code === rule.code), []);
    await server.shutdown();
  });

  it('reads a string where a list is meant, drops what is not a code, and tells the user once (it used to turn every diagnostic off)', async () => {
    const code = 'def f(xs, ys):\n    out = list(ys)\n    for x in xs:\n        if x in out:\n            out.append(x)\n    return out\n';
    const server = new TestServer({ settings: { ignore: 'HP301', select: ['HP1', 'HP3', 5, null], maxFileSizeKB: -1 } });
    const shown: string[] = [];
    server.connection.onNotification('window/showMessage', (p: { message: string }) => void shown.push(p.message));
    try {
      await server.initialize();
      const published = await server.open('file:///tmp/t/wrong-types.py', 'python', code);
      assert.deepEqual(published.diagnostics.map((d) => d.code), ['HP101'], 'HP101 shown, HP301 ignored as the string asked');
      await server.until(() => shown.length > 0, 'a message naming the settings');
      assert.match(shown[0], /hotpath\.ignore is a string; read as the list \["HP301"\]/);
      assert.match(shown[0], /hotpath\.select: number 5 is ignored/);
      assert.match(shown[0], /hotpath\.maxFileSizeKB is ignored: -1/);
      assert.doesNotMatch(server.logs.join('\n'), /TypeError|failed/);
      await server.setSettings({ ignore: 'HP301', select: ['HP1', 'HP3', 5, null], maxFileSizeKB: -1 });
      const again = await server.change('file:///tmp/t/wrong-types.py', [{ text: code + '\n' }]);
      assert.deepEqual(again.diagnostics.map((d) => d.code), ['HP101']);
      assert.equal(shown.length, 1, 'told once');
    } finally {
      await server.shutdown();
    }
  });

  it('survives syntax errors, huge, binary and deeply nested files, unknown documents and malformed messages', async () => {
    const server = new TestServer({ settings: { maxFileSizeKB: 64 } });
    await server.initialize();
    const { rule, fx } = fixturesUnderTest().find(({ fx }) => fx.language === 'python')!;

    // Syntax errors elsewhere in the file: what parses is still analysed.
    const broken = await server.open('file:///tmp/t/broken.py', 'python', `def broken(:\n    return ((\n\n${fx.code}`);
    assert.ok(broken.diagnostics.some((d) => d.code === rule.code), 'finding survives a syntax error above it');
    const syntax = broken.diagnostics.filter((d) => d.code === 'invalid-syntax');
    assert.ok(syntax.length > 0 && syntax.every((d) => d.severity === 1 && d.source === 'hotpath' && d.range.start.line <= 1), 'the unparsed region is an error diagnostic, as Ruff reports invalid syntax');

    // Huge: skipped with a clear message.
    const huge = await server.open('file:///tmp/t/huge.py', 'python', 'x = 1\n'.repeat(20_000));
    assert.match(String(huge.diagnostics[0]?.message), /skipped.*KB.*limit/);

    // Minified (a bundle on one line).
    const minified = await server.open('file:///tmp/t/bundle.js', 'javascript', 'var a=[1,2,3];function f(x){return a.includes(x)}'.repeat(1000));
    assert.match(String(minified.diagnostics[0]?.message), /minified/);

    // Binary.
    const binary = await server.open('file:///tmp/t/bin.py', 'python', 'abc\u0000\u0001\u0002def');
    assert.match(String(binary.diagnostics[0]?.message), /binary/);

    // Deeply nested code.
    const deep = await server.open('file:///tmp/t/deep.py', 'python', `x = ${'['.repeat(5000)}${']'.repeat(5000)}\n` + 'if a:\n'.concat(Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 1)}if a:\n`).join(''), ' '.repeat(302) + 'pass\n'));
    assert.ok(Array.isArray(deep.diagnostics));

    // Requests and changes for documents the server never saw.
    assert.equal(await server.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///nowhere.py' }, position: { line: 0, character: 0 } }), null);
    assert.deepEqual(await server.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: 'file:///nowhere.py' }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }), []);
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///nowhere.py', version: 2 }, contentChanges: [{ text: 'x' }] });

    // A malformed message and invalid UTF-8 on the wire.
    server.process.stdin.write('Content-Length: 12\r\n\r\n{"broken": }');
    const body = Buffer.concat([Buffer.from('{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///tmp/t/utf8.py","languageId":"python","version":1,"text":"s = \\"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('\\"\\n"}}}')]);
    server.process.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    server.process.stdin.write(body);

    // Still alive and still analysing.
    const after = await server.open('file:///tmp/t/after.py', 'python', fx.code);
    assert.ok(after.diagnostics.some((d) => d.code === rule.code));
    assert.ok(server.alive);
    await server.shutdown();
  });
});
