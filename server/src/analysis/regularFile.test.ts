// readRegularFile / readSourceText on what is not a regular file (a device, a folder) and on a /proc
// file (stat size 0, yet it has content: the read itself must be bounded, not just the stat's size).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readRegularFile } from './regularFile';
import { readSourceText } from './sourceFile';

const posix = process.platform !== 'win32';

describe('reading user files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-regular-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a regular file, and refuses one over the limit from its stat', () => {
    const ok = join(dir, 'ok.py');
    writeFileSync(ok, 'x = 1\n');
    assert.deepEqual(readSourceText(ok, 1024), { text: 'x = 1\n' });
    assert.equal(readRegularFile(ok, 6).bytes?.toString(), 'x = 1\n');
    assert.deepEqual(readRegularFile(ok, 5), { skipped: '0 KB is over the size limit' });
  });

  // A FIFO and a link to /dev/zero are tested through the CLI (test/cli/check.test.ts), in a child
  // process with a timeout: the old code blocked this thread or read gigabytes.
  it('skips what is not a regular file', { skip: !posix }, () => {
    assert.deepEqual(readSourceText('/dev/null', 1024 * 1024), { skipped: 'not a regular file' });
    assert.deepEqual(readSourceText(dir, 1024 * 1024), { skipped: 'not a regular file' });
  });

  it('never reads more than the limit + 1 bytes, whatever the stat said (a /proc file has size 0)', { skip: process.platform !== 'linux' }, () => {
    const r = readRegularFile('/proc/self/maps', 16);
    assert.equal(r.bytes, undefined);
    assert.match(r.skipped ?? '', /size limit/);
  });

  it('names a missing file', () => {
    assert.match(readSourceText(join(dir, 'missing.py'), 1024).skipped ?? '', /no such file or directory/);
  });
});
