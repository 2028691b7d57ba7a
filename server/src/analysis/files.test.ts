// readProjectFiles: the bounded reader the execution checks' input search uses on a user's project
// (in the language server, during a request): every limit holds, across several roots together.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { readProjectFiles, type ReadLimits } from './files';

const limits: ReadLimits = { maxFiles: 100, maxFileBytes: 1000, maxDepth: 8, skipDirs: new Set(['node_modules']) };
const isPy = (name: string) => name.endsWith('.py');

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'hotpath-files-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const names = (root: string, files: { path: string }[]) => files.map((f) => relative(root, f.path));

describe('readProjectFiles', () => {
  it('reads source files in name order, leaving out hidden entries, skipped folders and other files', () => {
    const root = tree({ 'b.py': 'b', 'a.py': 'a', 'c/d.py': 'd', 'notes.txt': 'x', '.hidden/e.py': 'e', '.f.py': 'f', 'node_modules/g.py': 'g' });
    const files = readProjectFiles(root, isPy, limits);
    assert.deepEqual(names(root, files), ['a.py', 'b.py', 'c/d.py']);
    assert.deepEqual(files.map((f) => f.text), ['a', 'b', 'd']);
  });

  it('leaves out files over the size limit and folders below the depth limit', () => {
    const root = tree({ 'big.py': 'x'.repeat(1001), 'ok.py': 'x'.repeat(1000), 'a/b/deep.py': 'd', 'a/shallow.py': 's' });
    assert.deepEqual(names(root, readProjectFiles(root, isPy, { ...limits, maxDepth: 1 })), ['a/shallow.py', 'ok.py']);
  });

  it('stops at the file and byte limits, counted across roots read together', () => {
    const one = tree({ 'a.py': 'x'.repeat(400), 'b.py': 'x'.repeat(400), 'c.py': 'x'.repeat(400) });
    const two = tree({ 'd.py': 'x'.repeat(10) });
    assert.equal(readProjectFiles(one, isPy, { ...limits, maxFiles: 2 }).length, 2);
    const spent = { files: 0, bytes: 0 };
    // The byte limit is checked before each file: the file that crosses it is the last one read.
    assert.equal(readProjectFiles(one, isPy, { ...limits, maxTotalBytes: 500 }, spent).length, 2);
    assert.deepEqual(spent, { files: 2, bytes: 800 });
    assert.equal(readProjectFiles(two, isPy, { ...limits, maxTotalBytes: 500 }, spent).length, 0);
  });

  it('enters each real folder once: links back to an ancestor are cycles, a link elsewhere is followed', () => {
    const root = tree({ 'a.py': 'a', 'sub/b.py': 'b' });
    const elsewhere = tree({ 'c.py': 'c' });
    // Six links to the root: followed blindly they make 6^9 folders to read at the depth limit.
    for (let i = 1; i <= 6; i++) symlinkSync(root, join(root, `l${i}`));
    symlinkSync(join(root, 'sub'), join(root, 'sub', 'self'));
    symlinkSync(elsewhere, join(root, 'z'));
    assert.deepEqual(names(root, readProjectFiles(root, isPy, limits)), ['a.py', 'sub/b.py', 'z/c.py']);
  });

  it('reads nothing from a root that is missing', () => {
    assert.deepEqual(readProjectFiles(join(tmpdir(), 'hotpath-files-missing', 'x'), isPy, limits), []);
  });
});
