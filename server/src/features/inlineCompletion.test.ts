// textDocument/inlineCompletion against the real bundled server and its engine worker, on the
// generated test model (random weights: the suggestions are noise; the protocol, the status
// notifications and the KV reuse after an incremental edit are what is checked).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestServer } from '../../../test/lsp/lspClient';
import { CompletionStatusNotification, type CompletionStats } from '../protocol';
import { ensureTestModel } from '../model/testModel';
import { EDIT_AWARE } from '../model/embedded/kv/workerKind';

describe('inline completion over LSP', () => {
  let server: TestServer;
  const statuses: CompletionStats[] = [];
  before(async () => {
    const model = await ensureTestModel();
    server = new TestServer({
      trusted: true, // the model file is a workspace setting: ignored in an untrusted workspace
      settings: { model: { path: model, threads: 1, contextSize: 1024 }, completion: { candidates: 1, maxTokens: 8, debounceMinMs: 0, debounceMaxMs: 0, repairAfterMs: 0 } },
    });
    server.connection.onNotification(CompletionStatusNotification, (s) => {
      statuses.push(s);
    });
    const init = await server.initialize();
    assert.equal((init.capabilities as { inlineCompletionProvider?: boolean }).inlineCompletionProvider, true);
  });
  after(() => server.shutdown());

  test('answers an invoked request, then reuses the KV cache after an incremental edit', async () => {
    const uri = 'file:///tmp/hotpath-completion-test/a.py';
    const text = Array.from({ length: 20 }, (_, i) => `def f${i}(xs):\n    return [x + ${i} for x in xs]\n`).join('') + 'def g(xs):\n    return \n';
    await server.open(uri, 'python', text);
    const line = text.split('\n').length - 2;
    const ask = (character: number) =>
      server.connection.sendRequest<{ insertText: string }[] | null>('textDocument/inlineCompletion', {
        textDocument: { uri },
        position: { line, character },
        context: { triggerKind: 1 },
      });
    const r1 = await ask(11);
    assert.ok(r1 === null || Array.isArray(r1));
    await server.until(() => statuses.find((s) => s.source === 'model'), 'a completion status');
    const s1 = statuses.find((s) => s.source === 'model')!;
    assert.equal(s1.backend, 'embedded');
    assert.ok(s1.promptTokens > 100);
    assert.equal(s1.reencoded, true);
    await server.change(uri, [{ range: { start: { line, character: 11 }, end: { line, character: 11 } }, text: 's' }]);
    const before = statuses.length;
    await ask(12);
    await server.until(() => statuses.length > before && statuses[statuses.length - 1], 'a second status');
    const s2 = statuses[statuses.length - 1];
    assert.equal(s2.source, 'model');
    assert.equal(s2.reencoded, false);
    // reused up to the aligned layout's batch boundary at or below the typed character (EDIT_AWARE.align)
    assert.ok(s2.reused > s1.promptTokens - 10 - EDIT_AWARE.align!, `reused ${s2.reused} of ${s2.promptTokens}`);
    // the few cells after the typed character (the suffix and the FIM marker) are recomputed exactly
    // (EDIT_AWARE), then the last prompt token and the generated ones are evaluated
    assert.ok(s2.evaluated <= s2.promptTokens - s2.reused + 8, `evaluated ${s2.evaluated}, reused ${s2.reused} of ${s2.promptTokens}`);
  });
});
