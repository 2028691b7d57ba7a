import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EngineError, type EngineConfig, type GenerationChunk } from '../engine';
import { fimPromptTokens } from '../fim';
import { ensureTestModel } from '../testModel';
import { EmbeddedEngine } from './engine';

const base = (modelPath: string, extra: Partial<EngineConfig> = {}): EngineConfig => ({
  backend: 'embedded',
  modelPath,
  gpu: 'auto',
  gpuLayers: 'auto',
  contextSize: 1024,
  threads: 1,
  idleUnloadMs: 0,
  fimTemplate: 'auto',
  ...extra,
});

describe('embedded engine on the generated test model', () => {
  let model: string;
  let engine: EmbeddedEngine;
  before(async () => {
    model = await ensureTestModel();
    engine = new EmbeddedEngine(base(model));
  });
  after(() => engine.dispose());

  test('loads lazily and describes the model, device and FIM format', async () => {
    assert.equal(engine.state, 'idle');
    assert.equal(engine.workerPid, undefined);
    const info = await engine.info();
    assert.equal(engine.state, 'ready');
    assert.ok(engine.workerPid && engine.workerPid !== process.pid, 'runs in its own process');
    assert.equal(info.backend, 'embedded');
    assert.equal(info.name, 'hotpath-test-tiny');
    assert.equal(info.totalLayers, 4);
    assert.equal(info.threads, 1);
    assert.match(info.device, info.gpu ? /^(CUDA|VULKAN|METAL): / : /^CPU \(1 thread\)$/);
    assert.equal(info.trainContextSize, 32768);
    assert.equal(info.fim?.family, 'qwen');
    assert.equal(info.fim?.source, 'metadata');
    assert.equal(typeof info.special.fimPrefix, 'number');
  });

  test('tokenize / detokenize round-trip code, and special tokens only when asked', async () => {
    const code = 'def total(items):\n    return sum(x * 2 for x in items)  # ünïcode\n';
    const tokens = await engine.tokenize(code);
    assert.ok(tokens.length > 5);
    assert.equal(await engine.detokenize(tokens), code);
    const special = await engine.tokenize('<|fim_prefix|>', { special: true });
    assert.equal(special.length, 1);
    const plain = await engine.tokenize('<|fim_prefix|>');
    assert.ok(plain.length > 1, 'user text cannot produce a control token');
    assert.ok(!plain.includes(special[0]));
  });

  test('greedy generation is deterministic, streams its text and honours maxTokens', async () => {
    const chunks: GenerationChunk[] = [];
    const s1 = await engine.openSession();
    const r1 = await s1.generate({ prompt: 'def foo(self):\n    return', maxTokens: 12 }, undefined, (c) => chunks.push(c));
    const s2 = await engine.openSession();
    const r2 = await s2.generate({ prompt: 'def foo(self):\n    return', maxTokens: 12 });
    assert.deepEqual(r2.tokens, r1.tokens);
    assert.equal(r2.text, r1.text);
    assert.ok(r1.tokens.length <= 12);
    if (r1.stopReason === 'maxTokens') assert.equal(r1.tokens.length, 12);
    assert.equal(chunks.map((c) => c.text).join(''), r1.text);
    assert.equal(r1.reusedTokens, 0);
    assert.equal(r1.evaluatedTokens, r1.promptTokens);
    await s1.close();
    await s2.close();
  });

  test('a session reuses the common prefix, with the same output as a fresh evaluation', async () => {
    const prompt = await engine.tokenize('import os\nfor item in items:\n    total += item\n');
    const longer = [...prompt, ...(await engine.tokenize('print(total)\n'))];
    const s = await engine.openSession();
    await s.generate({ prompt, maxTokens: 4 });
    const reused = await s.generate({ prompt: longer, maxTokens: 8 });
    assert.equal(reused.reusedTokens, prompt.length);
    assert.equal(reused.evaluatedTokens, longer.length - prompt.length);
    const fresh = await (await engine.openSession()).generate({ prompt: longer, maxTokens: 8 });
    assert.equal(fresh.reusedTokens, 0);
    assert.deepEqual(reused.tokens, fresh.tokens);
    // evaluate(): the cache then holds exactly these tokens
    const ev = await s.evaluate(prompt.slice(0, 5));
    assert.equal(ev.reusedTokens, 5);
    assert.equal(ev.evaluatedTokens, 0);
    assert.deepEqual(await s.tokens(), prompt.slice(0, 5));
    const before = engine.counters();
    assert.ok(before.tokensReused >= prompt.length);
    assert.ok(before.tokensGenerated > 0);
  });

  test('concurrent generations on one session run one after the other, each correct', async () => {
    const s = await engine.openSession();
    const [a, b] = await Promise.all([s.generate({ prompt: 'def a():', maxTokens: 8 }), s.generate({ prompt: 'class B:', maxTokens: 8 })]);
    const fresh = await engine.openSession();
    assert.deepEqual(a.tokens, (await fresh.generate({ prompt: 'def a():', maxTokens: 8 })).tokens);
    assert.deepEqual(b.tokens, (await fresh.generate({ prompt: 'class B:', maxTokens: 8 })).tokens);
  });

  test('stop strings end generation and are not returned', async () => {
    const s = await engine.openSession();
    const free = await s.generate({ prompt: 'x = 1\n', maxTokens: 24 });
    assert.ok(free.text.length >= 4, 'the model generates some text');
    const stop = free.text.slice(2, 4);
    const r = await s.generate({ prompt: 'x = 1\n', maxTokens: 24, stop: [stop] });
    assert.equal(r.stopReason, 'stop');
    assert.equal(r.text, free.text.slice(0, free.text.indexOf(stop)));
  });

  test('cancellation mid-stream stops generation and keeps what was streamed', async () => {
    const ac = new AbortController();
    let streamed = '';
    const r = await engine.generate({ prompt: 'class A:\n', maxTokens: 400 }, ac.signal, (c) => {
      streamed += c.text;
      if (streamed.length > 3) ac.abort();
    });
    assert.equal(r.stopReason, 'aborted');
    assert.ok(r.tokens.length < 400);
    assert.equal(r.text, streamed);
    // the engine still works afterwards
    const again = await engine.generate({ prompt: 'class A:\n', maxTokens: 3 });
    assert.notEqual(again.stopReason, 'aborted');
  });

  test('FIM prompts use the model special tokens, user text never does', async () => {
    const info = await engine.info();
    const tokens = await fimPromptTokens(info.fim!, { prefix: 'def f(<|fim_suffix|>):\n    ', suffix: '\n' }, (t, sp) => engine.tokenize(t, { special: sp }), info.special);
    assert.equal(tokens[0], info.special.fimPrefix);
    assert.equal(tokens[tokens.length - 1], info.special.fimMiddle);
    assert.equal(tokens.filter((t) => t === info.special.fimSuffix).length, 1, 'only the template suffix token');
    const r = await engine.generate({ prompt: tokens, maxTokens: 5 });
    assert.ok(r.promptTokens === tokens.length);
  });

  test('hosts the edit-aware KV session kind (two sequences) next to the model', async () => {
    const kv = await engine.openSession({ kind: 'hotpath-kv', contextSize: 512 });
    // longer than one batch of the aligned layout (64 tokens), which is what a cut keeps at least
    const head = ['count', 'first', 'last', 'pairs'].map((f) => `def ${f}(items):\n    return [item for item in items if item]\n\n\n`).join('');
    const sync = await kv.call<{ tokens: number; evaluated: number }>('sync', { segments: [{ text: head + 'def total(items):\n    return ' }] });
    assert.ok(sync.tokens > 64, `${sync.tokens} tokens`);
    assert.equal(sync.evaluated, sync.tokens);
    const again = await kv.call<{ reused: number; evaluated: number }>('sync', { segments: [{ text: head + 'def total(items):\n    return s' }] });
    assert.ok(again.reused > 0);
    const done = await kv.call<{ text: string; tokens: number[] }>('complete', { maxTokens: 4 });
    assert.equal(typeof done.text, 'string');
    assert.ok(done.tokens.length <= 4);
    const status = await kv.call<{ tokens: number }>('status', {});
    assert.equal(status.tokens, (await kv.tokens()).length);
    await kv.close();
  });

  test('a custom session kind that does not exist is a clear error', async () => {
    await assert.rejects(engine.openSession({ kind: 'nope' }), /unknown session kind "nope"/);
  });

  test('a killed engine process is reported, and the next request restarts it', async () => {
    const s = await engine.openSession();
    await s.generate({ prompt: 'a = 1', maxTokens: 2 });
    const pid = engine.workerPid!;
    const states: string[] = [];
    const sub = engine.onStateChange((st) => states.push(st));
    const pending = s.generate({ prompt: 'while True:\n', maxTokens: 100000 }, undefined, () => {
      if (engine.workerPid === pid) process.kill(pid, 'SIGKILL');
    });
    await assert.rejects(pending, (err: EngineError) => err.code === 'engineDied' && /SIGKILL/.test(err.message) && /restarts on the next request/.test(err.message));
    assert.equal(engine.state, 'failed');
    assert.match(engine.lastError ?? '', /stopped/);
    const r = await s.generate({ prompt: 'a = 1', maxTokens: 2 });
    assert.equal(r.tokens.length > 0 || r.stopReason === 'eog', true);
    assert.notEqual(engine.workerPid, pid);
    assert.equal(engine.state, 'ready');
    assert.ok(engine.counters().restarts >= 1);
    assert.deepEqual(states.slice(0, 3), ['failed', 'loading', 'ready']);
    sub.dispose();
  });
});

describe('embedded engine failures', () => {
  test('no model configured, a missing file, a non-GGUF file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-model-'));
    const none = new EmbeddedEngine(base(''));
    await assert.rejects(none.info(), (e: EngineError) => e.code === 'noModel' && /Select Model/.test(e.message));
    const missing = new EmbeddedEngine(base(join(dir, 'nope.gguf')));
    await assert.rejects(missing.info(), (e: EngineError) => e.code === 'modelNotFound' && e.message.includes('nope.gguf'));
    const text = join(dir, 'text.gguf');
    writeFileSync(text, 'this is not a model');
    const notGguf = new EmbeddedEngine(base(text));
    await assert.rejects(notGguf.generate({ prompt: 'x', maxTokens: 1 }), (e: EngineError) => e.code === 'badModel' && /bad magic/.test(e.message));
  });

  test('a package without the engine (linux-armhf, universal): loading says so and names the remote backend', async () => {
    // The real bundled worker, copied where no node_modules can be found above it.
    const bundled = join(__dirname, '..', '..', '..', '..', 'dist', 'engineWorker.js');
    assert.ok(existsSync(bundled), 'npm test builds dist/ first');
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-noengine-'));
    copyFileSync(bundled, join(dir, 'engineWorker.js'));
    const engine = new EmbeddedEngine(base(await ensureTestModel()), { workerPath: join(dir, 'engineWorker.js') });
    await assert.rejects(engine.info(), (e: EngineError) => e.code === 'loadFailed' && new RegExp(`no embedded model engine for ${process.platform}-${process.arch}`).test(e.message) && /hotpath\.model\.backend to "remote"/.test(e.message));
    await engine.dispose();
  });

  test('a corrupt GGUF (truncated tensors) fails to load with a message; the worker does not linger', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-model-'));
    const good = readFileSync(await ensureTestModel());
    const corrupt = join(dir, 'corrupt.gguf');
    writeFileSync(corrupt, good.subarray(0, Math.floor(good.length / 2)));
    const engine = new EmbeddedEngine(base(corrupt));
    // caught by the header check before any worker starts
    await assert.rejects(engine.info(), (e: EngineError) => e.code === 'badModel' && /lies past the end of the file/.test(e.message) && e.message.includes('corrupt.gguf'));
    assert.equal(engine.state, 'failed');
    assert.equal(engine.workerPid, undefined);
    // header garbage after a valid magic
    const garbage = join(dir, 'garbage.gguf');
    writeFileSync(garbage, Buffer.concat([Buffer.from('GGUF'), Buffer.from([3, 0, 0, 0]), Buffer.alloc(64, 0xff)]));
    const e2 = new EmbeddedEngine(base(garbage));
    await assert.rejects(e2.info(), (e: EngineError) => e.code === 'badModel' && /more than the file can hold/.test(e.message));
    assert.equal(e2.workerPid, undefined);
    await engine.dispose();
    await e2.dispose();
  });

  test('unloads after the idle period and loads again on the next request', async () => {
    const engine = new EmbeddedEngine(base(await ensureTestModel(), { idleUnloadMs: 150 }));
    await engine.generate({ prompt: 'x', maxTokens: 1 });
    assert.ok(engine.workerPid);
    await new Promise<void>((resolve) => {
      const sub = engine.onStateChange((s) => {
        if (s === 'idle') {
          sub.dispose();
          resolve();
        }
      });
    });
    assert.equal(engine.workerPid, undefined);
    const r = await engine.generate({ prompt: 'x', maxTokens: 1 });
    assert.equal(r.promptTokens, 1);
    assert.equal(engine.state, 'ready');
    await engine.dispose();
  });

  test('the crafted GGUF of issue 20 (32 bytes, counts of 2^62) fails within 10 s with a clear status; requests end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-model-'));
    const crafted = join(dir, 'crafted.gguf');
    const b = Buffer.alloc(32);
    b.write('GGUF', 0, 'latin1');
    b.writeUInt32LE(3, 4);
    b.writeBigUInt64LE(2n ** 62n, 8);
    b.writeBigUInt64LE(2n ** 62n, 16);
    writeFileSync(crafted, b);
    const engine = new EmbeddedEngine(base(crafted));
    const t0 = Date.now();
    await assert.rejects(engine.generate({ prompt: 'def f():', maxTokens: 4 }), (e: EngineError) => e.code === 'badModel' && /tensor count is 4611686018427387904/.test(e.message));
    await assert.rejects(engine.openSession(), (e: EngineError) => e.code === 'badModel');
    assert.ok(Date.now() - t0 < 10_000);
    assert.equal(engine.state, 'failed');
    assert.match(engine.lastError ?? '', /not a usable GGUF model: the tensor count .*crafted\.gguf/);
    assert.equal(engine.workerPid, undefined, 'no worker was started for it');
    await engine.dispose();
  });

  // The next two use a stand-in worker (testWorkers/stuck.js) that behaves like one stuck in native
  // code: the engine's supervision is what is tested, not a model.
  test('a load that makes no progress is stopped after the load timeout, with a status that says so', async () => {
    process.env.HOTPATH_TEST_WORKER_MODE = 'hang';
    const engine = new EmbeddedEngine(base(await ensureTestModel(), { loadTimeoutMs: 800 }), { workerPath: join(__dirname, 'testWorkers', 'stuck.js') });
    const t0 = Date.now();
    await assert.rejects(engine.info(), (e: EngineError) => /made no progress for 1 s; it was stopped \(hotpath\.model\.loadTimeoutSeconds\)/.test(e.message));
    assert.ok(Date.now() - t0 < 10_000);
    assert.equal(engine.state, 'failed');
    assert.match(engine.lastError ?? '', /no progress/);
    assert.equal(engine.workerPid, undefined);
    await engine.dispose();
  });

  test('a worker over its memory cap is killed, and the request ends with the reason', async () => {
    process.env.HOTPATH_TEST_WORKER_MODE = 'grow';
    const engine = new EmbeddedEngine(base(await ensureTestModel(), { loadTimeoutMs: 60_000, maxMemoryBytes: 256 * 1024 * 1024 }), { workerPath: join(__dirname, 'testWorkers', 'stuck.js') });
    await assert.rejects(engine.info(), (e: EngineError) => /used \d+ MB of memory, over its limit of 256 MB \(hotpath\.model\.maxMemoryMB\)/.test(e.message));
    assert.equal(engine.state, 'failed');
    assert.equal(engine.workerPid, undefined);
    await engine.dispose();
  });
});
