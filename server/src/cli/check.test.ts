// checkFiles's parser choice: the backend it names and caches under is the one that parsed the files.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ResultCache } from '../analysis/cache';
import { loadParserFactory } from '../parsing';
import { checkFiles } from './check';

// The real loader, with a native backend that fails as it does when a grammar's prebuilt binding is
// missing (loadNativeBackend's own message): 'auto' then falls back to WASM.
const nativeFails = () => ({ factory: null, reason: 'a native grammar failed to load (no prebuild in this test)' });
const loadParsers: typeof loadParserFactory = (choice, grammars) => loadParserFactory(choice, grammars, nativeFails);

describe('checkFiles parser choice', () => {
  it("names and caches under the backend actually loaded when 'auto' falls back to WASM", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-check-parser-'));
    // Broken code: the code the backends may recover from differently.
    const text = 'import os\nfrom . import (a, b\ndef f(xs):\n    return [x for x in xs]\n';
    writeFileSync(join(dir, 'broken.py'), text);
    const cache = new ResultCache(mkdtempSync(join(tmpdir(), 'hotpath-check-cache-')), 'test');
    const plans: { parser: string; cached: number }[] = [];
    const check = () => checkFiles([dir], { parser: 'auto', cache, loadParsers, onPlan: (p) => plans.push(p) });

    const first = await check();
    assert.equal(first.length, 1);
    assert.deepEqual(plans.map((p) => p.parser), ['wasm']);
    const job = { language: 'python' as const, text, rules: undefined, unitBudgetMs: undefined };
    assert.ok(cache.get(cache.keyOf(job, 'wasm')), 'cached under the WASM key');
    assert.equal(cache.get(cache.keyOf(job, 'native')), undefined, 'nothing under the native key');

    const second = await check();
    assert.deepEqual(plans[1], { ...plans[1], parser: 'wasm', cached: 1 });
    assert.deepEqual(second[0].findings, first[0].findings);
    // The fix rounds are given that backend, not the choice recomputed ('auto', review 11 M4).
    assert.equal(first[0].backend, 'wasm');
    assert.equal(second[0].backend, 'wasm');
  });

  it('--parser native fails with the reason when the native backend does not load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-check-parser-'));
    writeFileSync(join(dir, 'a.py'), 'x = 1\n');
    await assert.rejects(checkFiles([dir], { parser: 'native', loadParsers }), /a native grammar failed to load/);
  });
});
