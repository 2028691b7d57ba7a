// makeDirs: the bounded replacement for mkdirSync(dir, { recursive: true }), which never returns under
// /proc (that case is tested through the CLI, in a child process with a timeout: test/cli/check.test.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { makeDirs } from './makeDirs';

describe('makeDirs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-makedirs-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('makes the missing folders, and accepts an existing one', () => {
    makeDirs(join(dir, 'a', 'b', 'c'));
    assert.ok(statSync(join(dir, 'a', 'b', 'c')).isDirectory());
    makeDirs(join(dir, 'a', 'b', 'c'));
  });

  it('names a file in the way', () => {
    writeFileSync(join(dir, 'file'), '');
    assert.throws(() => makeDirs(join(dir, 'file', 'x', 'y')), { message: `cannot create ${join(dir, 'file', 'x', 'y')}: ${join(dir, 'file')} is not a folder` });
  });

  it('fails with the cause where the folder cannot be made (/proc)', { skip: process.platform !== 'linux' }, () => {
    assert.throws(() => makeDirs('/proc/hotpath-nope/x'), /cannot create \/proc\/hotpath-nope/);
  });
});
