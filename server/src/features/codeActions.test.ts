// "Fix all" (source.fixAll.hotpath) through the real bundled server: only fixes of rules marked
// safeFix, all of them (round after round, so a shared import is added once), only when asked for by
// kind, and only findings the settings leave visible.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionRequest, type CodeAction, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-protocol/node';
import { TestServer } from '../../../test/lsp/lspClient';
import { allRules } from '../languages';
import { FIX_ALL_KIND, wantsFixAll } from './codeActions';

const SRC = `def drain(jobs):
    queue = list(jobs)
    out = []
    while queue:
        out.append(queue.pop(0))
    return out


def drain2(jobs):
    queue = list(jobs)
    total = 0
    while queue:
        total += queue.pop(0)
    return total


def first_seen(items):
    seen = set()
    out = []
    for x in items:
        if x not in out:
            out.append(x)
    seen.add(len(out))
    return out
`;

const URI = 'file:///tmp/hotpath-fixall/jobs.py';

function fixAll(server: TestServer, only: string[]): Promise<CodeAction[]> {
  return server.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: URI },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only },
  }) as Promise<CodeAction[]>;
}

function applied(action: CodeAction, text: string): string {
  const change = action.edit?.documentChanges?.[0] as TextDocumentEdit;
  return TextDocument.applyEdits(TextDocument.create(URI, 'python', 1, text), change.edits as TextEdit[]);
}

describe('fix all (source.fixAll.hotpath)', () => {
  let server: TestServer;
  before(async () => {
    server = new TestServer();
    await server.initialize();
  });
  after(() => server.shutdown());

  it('is announced, and only some rules are marked safe', async () => {
    assert.equal(FIX_ALL_KIND, 'source.fixAll.hotpath');
    assert.deepEqual(
      allRules().filter((r) => r.safeFix).map((r) => r.code),
      ['HP102', 'HP105', 'HP111', 'HP212'],
    );
    assert.equal(wantsFixAll(['source']), true);
    assert.equal(wantsFixAll(['source.fixAll']), true);
    assert.equal(wantsFixAll(['source.fixAll.hotpath']), true);
    assert.equal(wantsFixAll(['quickfix']), false);
    assert.equal(wantsFixAll(['source.organizeImports']), false);
    assert.equal(wantsFixAll(undefined), false);
  });

  it('applies every safe fix (one shared import), leaves the others, and keeps what the code prints', async () => {
    const published = await server.open(URI, 'python', SRC);
    assert.deepEqual(published.diagnostics.map((d) => d.code).filter((c) => c !== 'HP301').sort(), ['HP101', 'HP102', 'HP102']);
    assert.deepEqual(await fixAll(server, ['quickfix']).then((a) => a.filter((x) => x.kind === FIX_ALL_KIND)), []);
    const [action] = await fixAll(server, ['source.fixAll']);
    assert.equal(action.kind, FIX_ALL_KIND);
    assert.equal(action.title, 'Fix all safe Hotpath findings (2)');
    const fixed = applied(action, SRC);
    assert.equal(fixed.match(/from collections import deque/g)?.length, 1);
    assert.equal(fixed.match(/popleft\(\)/g)?.length, 2);
    assert.match(fixed, /if x not in out:/, 'the HP101 rewrite (list → set) is not safe: left to the user');
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-fixall-'));
    const run = (code: string) => {
      writeFileSync(join(dir, 'm.py'), `${code}\nprint(drain([3, 1, 2]), drain2(range(5)), first_seen([1, 2, 1]))\n`);
      return spawnSync('python3', [join(dir, 'm.py')], { encoding: 'utf8' }).stdout;
    };
    assert.equal(run(fixed), run(SRC));
    assert.equal(run(SRC).trim(), '[3, 1, 2] 10 [1, 2]');
  });

  it('leaves findings the settings hide, and offers nothing when nothing is left', async () => {
    await server.setSettings({ ignore: ['HP102'] });
    assert.deepEqual(await fixAll(server, ['source.fixAll.hotpath']), []);
    await server.setSettings({});
    assert.equal((await fixAll(server, ['source'])).length, 1);
    await server.close(URI);
  });
});

describe('"Suppress … on this line"', () => {
  let server: TestServer;
  before(async () => {
    server = new TestServer();
    await server.initialize();
  });
  after(() => server.shutdown());

  it("is offered for the server's own findings only: a diagnostic the client made up (a line past the end, a line without that finding) gets none", async () => {
    const uri = 'file:///tmp/hotpath-suppress/jobs.py';
    const published = await server.open(uri, 'python', SRC);
    const real = published.diagnostics.find((d) => d.code === 'HP101')!;
    const ask = (diagnostic: typeof real) =>
      server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } }) as Promise<CodeAction[]>;
    const titles = async (diagnostic: typeof real) => (await ask(diagnostic)).map((a) => a.title).filter((t) => t.startsWith('Suppress'));
    assert.deepEqual(await titles(real), ['Suppress HP101 on this line']);
    const at = (line: number) => ({ start: { line, character: 4 }, end: { line, character: 10 } });
    assert.deepEqual(await titles({ ...real, range: at(40) }), [], 'past the end of a 25-line document');
    assert.deepEqual(await titles({ ...real, range: at(0) }), [], 'a line with no HP101');
    // The server's finding re-anchors a diagnostic whose columns went stale on its line.
    const line = real.range.start.line;
    const stale = await ask({ ...real, range: { start: { line, character: 0 }, end: { line, character: 1 } } });
    const suppress = stale.find((a) => a.title === 'Suppress HP101 on this line');
    assert.equal(suppress?.edit?.changes?.[uri]?.[0].range.start.line, line);
  });
});
