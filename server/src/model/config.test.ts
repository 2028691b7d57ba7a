import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultThreads, engineConfigFrom, modelSettingsOf } from './config';

test('defaults: embedded, GPU auto, explicit threads, no remote', () => {
  const c = engineConfigFrom({}, {});
  assert.equal(c.backend, 'embedded');
  assert.equal(c.gpu, 'auto');
  assert.equal(c.gpuLayers, 'auto');
  assert.equal(c.threads, defaultThreads());
  assert.ok(c.threads >= 1);
  assert.equal(c.contextSize, 8192);
  assert.equal(c.idleUnloadMs, 600_000);
  assert.equal(c.fimTemplate, 'auto');
  assert.equal(c.remote, undefined);
});

test('settings as the client sends them, with bad values clamped or ignored', () => {
  const ms = modelSettingsOf({ model: { backend: 'remote', path: ' /m.gguf ', gpu: 'cpu', gpuLayers: '12', contextSize: 'lots', threads: 3, fimTemplate: 'nonsense', idleUnloadMinutes: 0, remote: { baseUrl: 'http://h:8000/v1', model: 'qwen', timeoutSeconds: 5, retries: 99 } } });
  const c = engineConfigFrom(ms, {});
  assert.equal(c.backend, 'remote');
  assert.equal(c.modelPath, '/m.gguf');
  assert.equal(c.gpu, false);
  assert.equal(c.gpuLayers, 12);
  assert.equal(c.contextSize, 8192);
  assert.equal(c.threads, 3);
  assert.equal(c.fimTemplate, 'auto');
  assert.equal(c.idleUnloadMs, 0);
  assert.deepEqual(c.remote, { baseUrl: 'http://h:8000/v1', model: 'qwen', apiKey: undefined, timeoutMs: 5000, retries: 10, cachePrompt: true });
  assert.deepEqual(modelSettingsOf({ model: 'x' }), {});
});

test('the API key comes from secret storage or the environment, never from settings', () => {
  const ms = { remote: { baseUrl: 'http://h', apiKey: 'from-settings' } } as never;
  assert.equal(engineConfigFrom(ms, {}).remote?.apiKey, undefined);
  assert.equal(engineConfigFrom(ms, { OPENAI_API_KEY: 'env' }).remote?.apiKey, 'env');
  assert.equal(engineConfigFrom(ms, { HOTPATH_API_KEY: 'hp', OPENAI_API_KEY: 'env' }).remote?.apiKey, 'hp');
  assert.equal(engineConfigFrom(ms, { OPENAI_API_KEY: 'env' }, 'secret').remote?.apiKey, 'secret');
});
