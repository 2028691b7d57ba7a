// The macOS and Windows packages ship node-llama-cpp 3.21.1 (the registry has no 3.22.1 binaries for
// them; see scripts/package.mjs). The same engine version runs here on Linux, side by side with this
// checkout's 3.22.1: `package.mjs --stage-only --target linux-x64 --engine 3.21.1` stages a package
// with 3.21.1 and its Linux binaries, and its bundled server is driven over LSP like an editor would:
// the model loads, completions are generated, and after an edit in the middle of the file (where
// 3.22.1 shifts the cached keys instead of re-evaluating: the edit-aware KV cache, which needs 3.22's
// sequence-state copy) the engine still answers, by prefix reuse.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TestServer } from '../test/lsp/lspClient';
import { ensureTestModel } from '../server/src/model/testModel';
import { CompletionStatusNotification, ModelLoadRequest, ModelStatusRequest, type CompletionStats } from '../server/src/protocol';

const ROOT = join(__dirname, '..');

describe('the model engine on node-llama-cpp 3.21.1 (the macOS/Windows engine), staged like a package', { timeout: 15 * 60_000 }, () => {
  const staging = mkdtempSync(join(tmpdir(), 'hotpath-engine-3.21-'));
  let server: TestServer;
  const statuses: CompletionStats[] = [];
  before(async () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'package.mjs'), '--stage-only', '--no-build', '--target', 'linux-x64', '--engine', '3.21.1', '--staging', staging], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const model = await ensureTestModel();
    server = new TestServer({
      serverPath: join(staging, 'linux-x64', 'dist', 'server.js'),
      trusted: true, // hotpath.model.path is a restricted setting: ignored in an untrusted workspace
      settings: { model: { path: model, threads: 1, contextSize: 1024 }, completion: { candidates: 1, maxTokens: 8, debounceMinMs: 0, debounceMaxMs: 0, repairAfterMs: 0 } },
    });
    server.connection.onNotification(CompletionStatusNotification, (s) => void statuses.push(s));
    await server.initialize();
  });
  after(async () => {
    await server?.shutdown();
    rmSync(staging, { recursive: true, force: true });
  });

  test('the staged package holds 3.21.1 and its Linux binaries', () => {
    const version = (p: string) => (JSON.parse(readFileSync(join(staging, 'linux-x64', 'node_modules', p, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(version('node-llama-cpp'), '3.21.1');
    assert.equal(version('@node-llama-cpp/linux-x64'), '3.21.1');
  });

  test('loads the model and completes; after an edit in the middle it answers by prefix reuse', async () => {
    const info = await server.connection.sendRequest(ModelLoadRequest);
    assert.equal(info.name, 'hotpath-test-tiny');
    assert.equal((await server.connection.sendRequest(ModelStatusRequest)).state, 'ready');
    const uri = 'file:///tmp/hotpath-engine-321/a.py';
    const text = Array.from({ length: 20 }, (_, i) => `def f${i}(xs):\n    return [x + ${i} for x in xs]\n`).join('') + 'def g(xs):\n    return \n';
    await server.open(uri, 'python', text);
    const line = text.split('\n').length - 2;
    const ask = (character: number) =>
      server.connection.sendRequest<{ insertText: string }[] | null>('textDocument/inlineCompletion', { textDocument: { uri }, position: { line, character }, context: { triggerKind: 1 } });
    await ask(11);
    await server.until(() => statuses.find((s) => s.source === 'model'), 'a completion status');
    const first = statuses.find((s) => s.source === 'model')!;
    assert.ok(first.promptTokens > 100 && first.evaluated >= first.promptTokens - 8, `first request evaluates the prompt: ${JSON.stringify(first)}`);
    // An edit on line 13 of 42: what follows it is evaluated again (no edit-aware shift on 3.21.1),
    // what precedes it is reused (back to the aligned layout's batch boundary below the edit, a
    // multiple of 64 tokens: an edit in the first 64 tokens would reuse nothing).
    await server.change(uri, [{ range: { start: { line: 12, character: 4 }, end: { line: 12, character: 4 } }, text: '# edited\n    ' }]);
    const before = statuses.length;
    await ask(11);
    await server.until(() => statuses.length > before && statuses[statuses.length - 1], 'a second status');
    const second = statuses[statuses.length - 1];
    assert.equal(second.source, 'model', JSON.stringify(second));
    assert.ok(second.reused > 0 && second.reused < second.promptTokens / 2, `prefix reuse: ${second.reused} of ${second.promptTokens} reused`);
    assert.ok(second.evaluated > second.promptTokens / 2, `the text after the edit is evaluated again: ${second.evaluated}`);
    assert.ok(!server.stderr.includes('internals changed'), server.stderr);
  });
});
