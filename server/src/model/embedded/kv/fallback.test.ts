// Feature detection of edit-aware reuse (the lead's decision: macOS/Windows packages bundle
// node-llama-cpp 3.21, which lacks the sequence-state copy): the session falls back to prefix reuse
// and says why in its sync stats.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ensureTestModel } from '../../testModel';
import { editAwareUnsupported } from './llamaKv';
import { createKvContext, loadModel, modelTokenizer } from './llamaTesting';
import { KvSession } from './session';

test('3.22 sequences support edit-aware reuse; without the state copy (3.21) the session reuses the prefix and says why', async () => {
  const model = await loadModel(await ensureTestModel());
  const ctx = await createKvContext(model, 512);
  try {
    const main = ctx.getSequence();
    const scratch = ctx.getSequence();
    assert.equal(editAwareUnsupported(main), undefined);
    // node-llama-cpp 3.21's sequence: no _copyStateFromOtherSequence
    Object.defineProperty(scratch, '_copyStateFromOtherSequence', { value: undefined });
    assert.match(editAwareUnsupported(scratch) ?? '', /lacks the sequence APIs edit-aware reuse needs \(3\.22\): prefix reuse/);
    const session = new KvSession(main, scratch, modelTokenizer(model));
    const text = 'def f(xs):\n    return [x * 2 for x in xs]\n';
    const first = await session.sync([{ text }]);
    assert.match(first.fallback ?? '', /3\.22/);
    const second = await session.sync([{ text: 'x = 1\n' + text }]);
    assert.equal(second.reused, 0, 'an edit before the cached text: prefix reuse keeps nothing');
    assert.match(second.fallback ?? '', /prefix reuse/);
  } finally {
    await ctx.dispose();
    await model.dispose();
  }
});
