import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EmbeddedEngine } from './embedded/engine';
import { detectFim, familyOfPrefixToken, FIM_FAMILIES, fimPromptText, fimPromptTokens, type FimEvidence } from './fim';
import { ensureTestModel } from './testModel';

describe('FIM format choice', () => {
  test('from the prefix token as llama.cpp reports it', () => {
    assert.equal(familyOfPrefixToken('<|fim_prefix|>'), 'qwen');
    assert.equal(familyOfPrefixToken('<｜fim▁begin｜>'), 'deepseek');
    assert.equal(familyOfPrefixToken('<fim_prefix>'), 'starcoder');
    assert.equal(familyOfPrefixToken('▁<PRE>'), 'codellama');
    assert.equal(familyOfPrefixToken('<PRE>'), 'codellama');
    assert.equal(familyOfPrefixToken('<s>'), undefined);
    assert.equal(familyOfPrefixToken(null), undefined);
  });

  test('metadata first, then vocabulary; never the name; the setting overrides', () => {
    const vocab = new Set(['<fim_prefix>', '<fim_suffix>', '<fim_middle>']);
    const ev: FimEvidence = { prefixToken: '<|fim_prefix|>', hasToken: (s) => vocab.has(s) };
    assert.deepEqual([detectFim(ev)?.family, detectFim(ev)?.source], ['qwen', 'metadata']);
    assert.deepEqual([detectFim({ ...ev, prefixToken: null })?.family, detectFim({ ...ev, prefixToken: null })?.source], ['starcoder', 'vocabulary']);
    // no FIM tokens: prefix-only, whatever the model is called
    assert.equal(detectFim({ prefixToken: null, hasToken: () => false }), undefined);
    assert.equal(detectFim({}), undefined);
    assert.deepEqual([detectFim(ev, 'codellama')?.family, detectFim(ev, 'codellama')?.source], ['codellama', 'setting']);
  });

  test('prompt text per family (PSM order, CodeLlama spacing, repository markers)', () => {
    const req = { prefix: 'def f(x):\n    ', suffix: '\n' };
    assert.equal(fimPromptText({ family: 'qwen', tokens: FIM_FAMILIES.qwen, source: 'setting' }, req), '<|fim_prefix|>def f(x):\n    <|fim_suffix|>\n<|fim_middle|>');
    assert.equal(fimPromptText({ family: 'deepseek', tokens: FIM_FAMILIES.deepseek, source: 'setting' }, req), '<｜fim▁begin｜>def f(x):\n    <｜fim▁hole｜>\n<｜fim▁end｜>');
    assert.equal(fimPromptText({ family: 'starcoder', tokens: FIM_FAMILIES.starcoder, source: 'setting' }, req), '<fim_prefix>def f(x):\n    <fim_suffix>\n<fim_middle>');
    assert.equal(fimPromptText({ family: 'codellama', tokens: FIM_FAMILIES.codellama, source: 'setting' }, req), '<PRE> def f(x):\n     <SUF>\n <MID>');
    assert.equal(
      fimPromptText({ family: 'qwen', tokens: FIM_FAMILIES.qwen, source: 'setting' }, { ...req, repo: 'hotpath', path: 'a.py', files: [{ path: 'b.py', text: 'x = 1' }] }),
      '<|repo_name|>hotpath\n<|file_sep|>b.py\nx = 1\n<|file_sep|>a.py\n<|fim_prefix|>def f(x):\n    <|fim_suffix|>\n<|fim_middle|>',
    );
  });

  test('token prompts: a template token that is not one token of the model is an error', async () => {
    const fim = { family: 'qwen' as const, tokens: FIM_FAMILIES.qwen, source: 'setting' as const };
    await assert.rejects(fimPromptTokens(fim, { prefix: 'a', suffix: 'b' }, (t) => [...t].map((c) => c.charCodeAt(0))), /not a single token of this model/);
  });

  test('each family, detected from real generated models and used to build a prompt', async () => {
    for (const family of ['deepseek', 'starcoder', 'codellama'] as const) {
      const engine = new EmbeddedEngine({ backend: 'embedded', modelPath: await ensureTestModel({ fim: family }), gpu: false, gpuLayers: 0, contextSize: 256, threads: 1, idleUnloadMs: 0, fimTemplate: 'auto' });
      try {
        const info = await engine.info();
        assert.equal(info.fim?.family, family);
        assert.equal(info.fim?.source, 'metadata');
        const tokens = await fimPromptTokens(info.fim!, { prefix: 'x = ', suffix: '\n' }, (t, sp) => engine.tokenize(t, { special: sp }), info.special);
        assert.equal(tokens[0], info.special.fimPrefix, family);
        assert.equal(tokens.at(-1), info.special.fimMiddle, family);
        assert.ok(tokens.includes(info.special.fimSuffix!), family);
      } finally {
        await engine.dispose();
      }
    }
  });
});
