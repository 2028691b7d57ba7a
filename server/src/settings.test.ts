import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { engineConfigFrom } from './model/config';
import { isEnabled } from './analysis/config';
import { DEFAULT_SETTINGS, effectiveSettings, normalizeSettings, RESTRICTED_SETTINGS, type HotpathSettings } from './settings';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));

describe('settings in untrusted workspaces', () => {
  it('package.json restricts exactly the settings the server ignores, and each is a real setting', () => {
    const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    assert.deepEqual([...restricted].sort(), RESTRICTED_SETTINGS.map((s) => `hotpath.${s}`).sort());
    // contributes.configuration is one object or a list of categories.
    const categories: { properties: Record<string, unknown> }[] = [manifest.contributes.configuration].flat();
    const properties = Object.assign({}, ...categories.map((c) => c.properties));
    for (const key of restricted) assert.ok(properties[key], `${key} is contributed`);
  });

  it('drops the restricted settings when untrusted and keeps everything else', () => {
    const raw: HotpathSettings = {
      ...DEFAULT_SETTINGS,
      select: ['HP1'],
      model: { backend: 'remote', fimTemplate: 'qwen', path: '/w/evil.gguf', threads: 2, remote: { baseUrl: 'http://attacker.invalid', model: 'm', retries: 1 }, download: { url: 'http://attacker.invalid/m', directory: '/w', sha256: 'ab' } },
      execution: { python: "/w/python", node: "/w/node", isolation: "none", allowUnsandboxed: true, budgetMs: 500 },
      completion: { enable: true },
    };
    const untrusted = effectiveSettings(raw, false);
    assert.deepEqual(untrusted, {
      ...DEFAULT_SETTINGS,
      select: ['HP1'],
      model: { threads: 2, remote: { model: 'm', retries: 1 }, download: { sha256: 'ab' } },
      execution: { budgetMs: 500 },
      completion: { enable: true },
    });
    assert.equal((raw.model as { backend: string }).backend, 'remote', 'the raw settings are not modified');
    assert.equal(effectiveSettings(raw, true), raw);
  });

  it('tolerates settings of any shape', () => {
    for (const model of [null, 'remote', 42, [], { remote: null }, { remote: 'x' }]) {
      assert.doesNotThrow(() => effectiveSettings({ ...DEFAULT_SETTINGS, model }, false));
    }
  });

  it('uses no API key when untrusted, neither the stored one nor the environment\'s', () => {
    const remote = { backend: 'remote', remote: { baseUrl: 'http://127.0.0.1:1' } };
    for (const env of [{ HOTPATH_API_KEY: 'sk-1' }, { OPENAI_API_KEY: 'sk-2' }, {}]) {
      assert.equal(engineConfigFrom(remote, env, 'sk-stored', { useCredentials: false }).remote?.apiKey, undefined);
    }
    assert.equal(engineConfigFrom(remote, { OPENAI_API_KEY: 'sk-2' }, undefined).remote?.apiKey, 'sk-2');
    assert.equal(engineConfigFrom(remote, {}, 'sk-stored').remote?.apiKey, 'sk-stored');
  });
});

describe('settings of the wrong type', () => {
  // These used to reach isEnabled as they came ("HP301".some is not a function): no diagnostic for any file.
  it('reads a string as a one-item list, drops items that are not codes, and says so', () => {
    const { settings, problems } = normalizeSettings({ ignore: 'HP301', select: ['HP1', 5, null, 'NOPE'] });
    assert.deepEqual(settings.ignore, ['HP301']);
    assert.deepEqual(settings.select, ['HP1']);
    assert.equal(isEnabled('HP101', { ...settings, exclude: [] }), true);
    assert.equal(isEnabled('HP301', { ...settings, exclude: [] }), false);
    assert.deepEqual(problems, [
      'hotpath.select: number 5 is ignored (not a rule code or prefix such as HP101, HP1 or ALL)',
      'hotpath.select: null is ignored (not a rule code or prefix such as HP101, HP1 or ALL)',
      'hotpath.select: "NOPE" is ignored (not a rule code or prefix such as HP101, HP1 or ALL)',
      'hotpath.ignore is a string; read as the list ["HP301"]',
    ]);
  });

  it('ignores a select that is not a list, and a size limit that is not a positive number', () => {
    const { settings, problems } = normalizeSettings({ select: 5, maxFileSizeKB: -1, enable: 'no', execution: { budgetMs: 1 } });
    assert.deepEqual([settings.select, settings.maxFileSizeKB, settings.enable, settings.execution], [[], 2048, true, { budgetMs: 1 }]);
    assert.equal(isEnabled('HP101', { ...settings, exclude: [] }), true);
    assert.equal(problems.length, 3);
    assert.match(problems.join('\n'), /hotpath\.select is ignored: it should be a list of codes, not number 5/);
    assert.match(problems.join('\n'), /hotpath\.maxFileSizeKB is ignored: -1 is not a number of KB of at least 1; using 2048/);
  });

  it('leaves good settings alone and says nothing', () => {
    assert.deepEqual(normalizeSettings({ select: ['HP1'], ignore: [], maxFileSizeKB: 64 }), { settings: { ...DEFAULT_SETTINGS, select: ['HP1'], maxFileSizeKB: 64 }, problems: [] });
    assert.deepEqual(normalizeSettings(null), { settings: DEFAULT_SETTINGS, problems: [] });
  });
});
