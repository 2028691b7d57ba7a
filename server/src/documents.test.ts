import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { looksMinified } from './analysis/sourceFile';
import { skipReason } from './documents';

describe('documents that are not analysed', () => {
  it('says why: too large, binary, minified', () => {
    assert.match(skipReason('x = 1\n'.repeat(1000), 1024) ?? '', /over the 1 KB limit/);
    assert.match(skipReason('abc\u0000def', 1 << 20) ?? '', /binary/);
    assert.match(skipReason('var a=1;function f(){return a}'.repeat(2000), 1 << 20) ?? '', /minified/);
  });

  it('does not take ordinary source, even with some long lines, for minified code', () => {
    const ordinary = readFileSync(join(__dirname, 'analysis', 'document.ts'), 'utf8').repeat(4);
    assert.equal(looksMinified(ordinary), false);
    assert.equal(skipReason(ordinary, 1 << 20), undefined);
    assert.equal(looksMinified(`${'x'.repeat(5000)}\n${'y = 1\n'.repeat(20_000)}`), false);
  });
});
