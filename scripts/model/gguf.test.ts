// The Python GGUF writer checked against an independent reader (node-llama-cpp's GGUF parser) and
// the generated test models checked for determinism and their FIM metadata.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const here = join(__dirname);
const importEsm = new Function('s', 'return import(s)') as (s: string) => Promise<typeof import('node-llama-cpp')>;

function py(code: string): string {
  return execFileSync('python3', ['-c', code], { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('scripts/model/gguf.py', () => {
  test('metadata of every type, arrays, f32/f16 tensors and alignment read back by node-llama-cpp', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-gguf-'));
    const out = join(dir, 'all.gguf');
    py(`
import array
from gguf import GGUFWriter, GGUFValueType as T
w = GGUFWriter(${JSON.stringify(out)}, alignment=64)
w.add("general.architecture", "llama")
w.add("t.u8", 200, T.UINT8); w.add("t.i8", -5, T.INT8); w.add("t.u16", 60000, T.UINT16); w.add("t.i16", -30000, T.INT16)
w.add("t.u32", 4000000000); w.add("t.i32", -7); w.add("t.u64", 1 << 40); w.add("t.i64", -(1 << 40))
w.add("t.f32", 0.5); w.add("t.f64", 0.1, T.FLOAT64); w.add("t.bool", True); w.add("t.str", "héllo ▁ <|fim_prefix|>")
w.add_array("t.arr_str", ["a", "", "ünï"]); w.add_array("t.arr_i32", [1, -2, 3]); w.add_array("t.arr_f32", [0.25, -1.5], T.FLOAT32)
w.add_array("t.arr_nested", [[1, 2], [3]], T.ARRAY)
w.add_tensor("a.weight", [float(i) for i in range(6)], shape=(2, 3), dtype="f32")
w.add_tensor("b.weight", [0.5, -2.0, 1.0], shape=(3,), dtype="f16")
w.add_tensor_chunks("c.weight", (4, 5), "f32", lambda: [array.array("f", [1.0] * 8).tobytes(), array.array("f", [2.0] * 12).tobytes()])
w.write()
`);
    const { readGgufFileInfo } = await importEsm('node-llama-cpp');
    const info = await readGgufFileInfo(out, { logWarnings: false });
    assert.equal(info.version, 3);
    const t = (info.metadata as unknown as { t: Record<string, unknown> }).t;
    assert.equal(t.u8, 200);
    assert.equal(t.i8, -5);
    assert.equal(t.u16, 60000);
    assert.equal(t.i16, -30000);
    assert.equal(t.u32, 4000000000);
    assert.equal(t.i32, -7);
    assert.equal(BigInt(t.u64 as number), 1n << 40n);
    assert.equal(BigInt(t.i64 as number), -(1n << 40n));
    assert.equal(t.f32, 0.5);
    assert.equal(t.f64, 0.1);
    assert.equal(t.bool, true);
    assert.equal(t.str, 'héllo ▁ <|fim_prefix|>');
    assert.deepEqual(t.arr_str, ['a', '', 'ünï']);
    assert.deepEqual(t.arr_i32, [1, -2, 3]);
    assert.deepEqual(t.arr_f32, [0.25, -1.5]);
    assert.deepEqual(t.arr_nested, [[1, 2], [3]]);
    const tensors = info.fullTensorInfo!;
    assert.deepEqual(tensors.map((x) => [x.name, x.dimensions.map(Number), x.ggmlType]), [
      ['a.weight', [3, 2], 0],
      ['b.weight', [3], 1],
      ['c.weight', [5, 4], 0],
    ]);
    // data offsets are aligned to 64 and the bytes are where the table says
    const buf = readFileSync(out);
    const dataStart = info.tensorInfoSize! + info.metadataSize! + 24; // header: magic, version, counts
    const base = Math.ceil(dataStart / 64) * 64;
    for (const x of tensors) assert.equal(Number(x.offset) % 64, 0);
    const a = tensors[0];
    assert.deepEqual([...new Float32Array(buf.buffer.slice(buf.byteOffset + base + Number(a.offset), buf.byteOffset + base + Number(a.offset) + 24))], [0, 1, 2, 3, 4, 5]);
    const b = tensors[1];
    const half = buf.subarray(base + Number(b.offset), base + Number(b.offset) + 6);
    assert.deepEqual([half.readUInt16LE(0), half.readUInt16LE(2), half.readUInt16LE(4)], [0x3800, 0xc000, 0x3c00]);
    // and the Python reader agrees
    const back = JSON.parse(py(`import json; from gguf import read_gguf; r = read_gguf(${JSON.stringify(out)}); print(json.dumps({"n": len(r["tensors"]), "s": r["metadata"]["t.str"], "align": r["metadata"]["general.alignment"], "shape": r["tensors"][2]["shape"]}))`));
    assert.deepEqual(back, { n: 3, s: 'héllo ▁ <|fim_prefix|>', align: 64, shape: [4, 5] });
  });

  test('bad input is refused with a message', () => {
    assert.throws(() => py(`from gguf import GGUFWriter; w = GGUFWriter("/dev/null"); w.add_tensor("x", [1.0, 2.0], shape=(3,))`), /2 \* 4|8 bytes for shape \(3,\)/);
    assert.throws(() => py(`from gguf import GGUFWriter; w = GGUFWriter("/dev/null"); w.add("k", 1); w.add("k", 2)`), /duplicate metadata key k/);
    assert.throws(() => py(`from gguf import GGUFWriter; w = GGUFWriter("/dev/null"); w.add_array("k", [])`), /empty array needs an explicit item_type/);
  });
});

describe('scripts/model/make_test_model.py', () => {
  const make = (out: string, ...args: string[]) => execFileSync('python3', [join(here, 'make_test_model.py'), '--out', out, ...args], { stdio: 'pipe' });
  const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

  test('same seed, same bytes; another seed, other weights', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-tm-'));
    make(join(dir, 'a.gguf'), '--seed', '7');
    make(join(dir, 'b.gguf'), '--seed', '7');
    make(join(dir, 'c.gguf'), '--seed', '8');
    assert.equal(sha(join(dir, 'a.gguf')), sha(join(dir, 'b.gguf')));
    assert.notEqual(sha(join(dir, 'a.gguf')), sha(join(dir, 'c.gguf')));
    assert.ok(readFileSync(join(dir, 'a.gguf')).length < 8e6, 'a few MB at most');
  });

  test('llama metadata, GQA, and each family FIM tokens under the keys llama.cpp reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-tm-'));
    const { readGgufFileInfo } = await importEsm('node-llama-cpp');
    const expected = { qwen: '<|fim_prefix|>', deepseek: '<｜fim▁begin｜>', starcoder: '<fim_prefix>', codellama: '▁<PRE>' };
    for (const [fim, prefix] of Object.entries(expected)) {
      const out = join(dir, `${fim}.gguf`);
      make(out, '--fim', fim);
      const info = await readGgufFileInfo(out, { logWarnings: false });
      const md = info.metadata as unknown as { general: { architecture: string }; llama: Record<string, unknown>; tokenizer: { ggml: Record<string, unknown> } };
      assert.equal(md.general.architecture, 'llama');
      assert.equal(md.llama.embedding_length, 128);
      assert.equal(md.llama.block_count, 4);
      const attention = md.llama.attention as { head_count: number; head_count_kv: number };
      assert.equal(attention.head_count, 4);
      assert.equal(attention.head_count_kv, 2, 'grouped-query attention');
      const g = md.tokenizer.ggml;
      assert.equal(g.model, 'llama');
      const tokens = g.tokens as string[];
      assert.equal(tokens[g.fim_pre_token_id as number], prefix);
      assert.ok(typeof g.fim_suf_token_id === 'number' && typeof g.fim_mid_token_id === 'number');
      assert.equal(tokens[3], '<0x00>');
      assert.equal((g.token_type as number[])[g.fim_pre_token_id as number], 3, 'a control token');
    }
  });
});
