import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EmbeddedEngine } from './embedded/engine';
import { RemoteEngine } from './remote/engine';
import { ModelService, type ModelStatus } from './service';

test('one engine per configuration: kept while the settings match, replaced (and the old one disposed) when they change', async () => {
  let settings: Record<string, unknown> = { model: { path: '/models/a.gguf', threads: 1 } };
  const service = new ModelService(async () => settings);
  const statuses: ModelStatus[] = [];
  service.onStatus((s) => statuses.push(s));
  const a = await service.engine();
  assert.ok(a instanceof EmbeddedEngine);
  assert.equal(await service.engine(), a);
  assert.equal(service.status().model, 'a.gguf');
  assert.equal(service.status().state, 'idle');
  settings = { model: { path: '/models/a.gguf', threads: 1, enable: true } }; // nothing the engine uses
  await service.refresh();
  assert.equal(await service.engine(), a);
  settings = { model: { path: '/models/b.gguf', threads: 1 } };
  await service.refresh();
  const b = await service.engine();
  assert.notEqual(b, a);
  assert.equal(service.status().model, 'b.gguf');
  await assert.rejects(a.info(), /disposed/);
  // a failure is shown in the status
  await assert.rejects(b.info(), /model file not found: \/models\/b\.gguf/);
  assert.equal(service.status().state, 'failed');
  assert.match(service.status().error ?? '', /not found/);
  assert.ok(statuses.some((s) => s.state === 'failed'));
  settings = {};
  await service.refresh();
  assert.equal(service.status().state, 'unconfigured');
  await service.dispose();
});

test('the API key from secret storage reaches the remote engine (a new engine, same settings)', async () => {
  const settings = { model: { backend: 'remote', remote: { baseUrl: 'http://127.0.0.1:1234', model: 'm' } } };
  const service = new ModelService(async () => settings);
  const first = (await service.engine()) as RemoteEngine;
  assert.ok(first instanceof RemoteEngine);
  assert.equal(first.config.apiKey, process.env.HOTPATH_API_KEY ?? process.env.OPENAI_API_KEY);
  service.setApiKey('sk-secret');
  const second = (await service.engine()) as RemoteEngine;
  assert.notEqual(second, first);
  assert.equal(second.config.apiKey, 'sk-secret');
  assert.equal(service.status().backend, 'remote');
  assert.equal(service.status().model, 'm');
  await service.dispose();
});
