import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isEnabled, isExcluded, loadProjectConfig } from './config';
import { isSuppressed } from './suppressions';

describe('rule selection', () => {
  it('selects by code or prefix; later layers refine earlier ones', () => {
    assert.equal(isEnabled('HP101'), true);
    assert.equal(isEnabled('HP101', { select: ['HP2'], ignore: [], exclude: [] }), false);
    assert.equal(isEnabled('HP201', { select: ['HP2'], ignore: ['HP201'], exclude: [] }), false);
    assert.equal(isEnabled('HP101', { select: [], ignore: ['HP1'], exclude: [] }, { select: ['HP101'], ignore: [], exclude: [] }), true);
    assert.equal(isEnabled('HP101', { select: ['ALL'], ignore: [], exclude: [] }), true);
  });

  it('finds the nearest project file: hotpath.toml, pyproject [tool.hotpath], package.json "hotpath"', () => {
    const root = mkdtempSync(join(tmpdir(), 'hotpath-config-'));
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    writeFileSync(join(root, 'pyproject.toml'), '[tool.hotpath]\nselect = ["HP1"]\n');
    writeFileSync(join(root, 'a', 'package.json'), JSON.stringify({ name: 'x', hotpath: { ignore: ['HP201'] } }));
    writeFileSync(join(root, 'a', 'b', 'hotpath.toml'), 'ignore = ["HP102"]\n');
    assert.deepEqual(loadProjectConfig(join(root, 'x.py'))?.select, ['HP1']);
    assert.deepEqual(loadProjectConfig(join(root, 'a', 'x.js'))?.ignore, ['HP201']);
    assert.deepEqual(loadProjectConfig(join(root, 'a', 'b', 'x.py'))?.ignore, ['HP102']);
    writeFileSync(join(root, 'a', 'b', 'hotpath.toml'), 'ignore = [');
    assert.throws(() => loadProjectConfig(join(root, 'a', 'b', 'x.py')), /hotpath\.toml/);
  });
});

describe('project exclude', () => {
  it('corrects values of the wrong type and names what it ignored (they used to be dropped silently)', () => {
    const root = mkdtempSync(join(tmpdir(), 'hotpath-config-types-'));
    writeFileSync(join(root, 'pyproject.toml'), '[tool.hotpath]\nselect = "HP101"\nignore = 5\nexclude = {x = 1}\n');
    const py = loadProjectConfig(join(root, 'a.py'))!;
    assert.deepEqual([py.select, py.ignore, py.exclude], [['HP101'], [], []]);
    const src = join(root, 'pyproject.toml');
    assert.deepEqual(py.problems, [
      `select in ${src} is a string; read as the list ["HP101"]`,
      `ignore in ${src} is ignored: it should be a list of codes, not number 5`,
      `exclude in ${src} is ignored: it should be a list of paths, not an object`,
    ]);
    const nope = mkdtempSync(join(tmpdir(), 'hotpath-config-nope-'));
    writeFileSync(join(nope, 'hotpath.toml'), 'select = ["NOPE"]\nunknown_key = true\n');
    const n = loadProjectConfig(join(nope, 'a.py'))!;
    assert.deepEqual(n.select, []);
    assert.equal(isEnabled('HP101', n), true);
    assert.deepEqual(n.problems, [
      `select in ${join(nope, 'hotpath.toml')}: "NOPE" is ignored (not a rule code or prefix such as HP101, HP1 or ALL)`,
      `${join(nope, 'hotpath.toml')}: unknown key "unknown_key" is ignored (Hotpath reads select, ignore and exclude)`,
    ]);
    assert.equal(loadProjectConfig(join(root, 'a.py'))!.problems?.length, 3);
  });

  it("uses .gitignore syntax relative to the configuration file's directory", () => {
    const sel = { select: [], ignore: [], exclude: ['build/', '*_pb2.py', 'vendor/**'], source: '/p/hotpath.toml' };
    assert.equal(isExcluded('/p/build/x.py', sel), true);
    assert.equal(isExcluded('/p/src/build/x.py', sel), true, 'a directory pattern matches at any depth, like .gitignore');
    assert.equal(isExcluded('/p/src/api_pb2.py', sel), true);
    assert.equal(isExcluded('/p/vendor/a/b.js', sel), true);
    assert.equal(isExcluded('/p/src/x.py', sel), false);
    assert.equal(isExcluded('/elsewhere/build/x.py', sel), false, 'outside the project');
    assert.equal(isExcluded('/p/build/x.py', { ...sel, source: undefined }), false);
  });
});

describe('suppression comments', () => {
  const src = 'a = 1\nif x in seen:  # hotpath: ignore[HP101, HP103]\nb = 2  # hotpath: ignore\nc = 3\n';
  it('applies to the listed codes on that line, or to every code when none is listed', () => {
    const line2 = src.indexOf('if x');
    assert.equal(isSuppressed(src, '#', line2 + 3, 'HP101'), true);
    assert.equal(isSuppressed(src, '#', line2 + 3, 'hp103'), true);
    assert.equal(isSuppressed(src, '#', line2 + 3, 'HP102'), false);
    assert.equal(isSuppressed(src, '#', src.indexOf('b = 2'), 'HP999'), true);
    assert.equal(isSuppressed(src, '#', src.indexOf('c = 3'), 'HP101'), false);
    assert.equal(isSuppressed('x.includes(y) // hotpath: ignore[HP201]', '//', 0, 'HP201'), true);
  });
});
