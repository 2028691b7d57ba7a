import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { GgufError, inspectGguf, readGgufHeader } from './gguf';
import { ensureTestModel } from './testModel';

const dir = mkdtempSync(join(tmpdir(), 'hotpath-gguf-'));
let n = 0;
function file(bytes: Buffer): string {
  const p = join(dir, `f${n++}.gguf`);
  writeFileSync(p, bytes);
  return p;
}
const u32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
};
const u64 = (v: bigint | number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(v));
  return b;
};
const str = (s: string) => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);
const header = (tensors: bigint | number, kvs: bigint | number) => Buffer.concat([Buffer.from('GGUF'), u32(3), u64(tensors), u64(kvs)]);

describe('GGUF header checks (crafted files fail fast, with the reason)', () => {
  test('the 32-byte file of issue 20: counts of 2^62', () => {
    const p = file(Buffer.concat([header(2n ** 62n, 2n ** 62n), Buffer.alloc(8)]));
    const t0 = performance.now();
    assert.throws(() => readGgufHeader(p), (e: Error) => e instanceof GgufError && /tensor count is 4611686018427387904, more than the file can hold/.test(e.message));
    assert.ok(performance.now() - t0 < 1000);
  });

  test('a metadata count the file cannot hold', () => {
    assert.throws(() => readGgufHeader(file(Buffer.concat([header(0, 2n ** 40n), Buffer.alloc(64)]))), /metadata count is 1099511627776/);
  });

  test('a string longer than the file', () => {
    const p = file(Buffer.concat([header(0, 1), u64(2n ** 60n), Buffer.from('general.name')]));
    assert.throws(() => readGgufHeader(p), /length of metadata key 0 is 1152921504606846976/);
  });

  test('an array longer than the file, and arrays nested without end', () => {
    const arr = Buffer.concat([header(0, 1), str('tokenizer.ggml.tokens'), u32(9), u32(8), u64(2n ** 50n)]);
    assert.throws(() => readGgufHeader(file(arr), { vocabulary: true }), /length of tokenizer\.ggml\.tokens is 1125899906842624/);
    const nested = [header(0, 1), str('x'), u32(9)];
    for (let i = 0; i < 10; i++) nested.push(u32(9), u64(1));
    nested.push(u32(4), u64(1), u32(7));
    assert.throws(() => readGgufHeader(file(Buffer.concat(nested))), /nests arrays deeper than 4/);
  });

  test('bad magic, bad version, unknown value type, too small', () => {
    assert.throws(() => readGgufHeader(file(Buffer.concat([Buffer.from('GGML'), u32(3), u64(0), u64(0)]))), /bad magic/);
    assert.throws(() => readGgufHeader(file(Buffer.concat([Buffer.from('GGUF'), u32(99), u64(0), u64(0)]))), /unsupported GGUF version 99/);
    assert.throws(() => readGgufHeader(file(Buffer.concat([header(0, 1), str('a'), u32(77), u32(0)]))), /unknown value type 77/);
    assert.throws(() => readGgufHeader(file(Buffer.from('GGUF'))), /too small/);
    assert.throws(() => readGgufHeader(file(Buffer.from('GG'))), /bad magic/);
  });

  test('a tensor whose data lies past the end of the file (a truncated download)', () => {
    const t = Buffer.concat([header(1, 0), str('w'), u32(2), u64(64), u64(64), u32(0 /* f32 */), u64(4096)]);
    assert.throws(() => readGgufHeader(file(Buffer.concat([t, Buffer.alloc(16_400)]))), /tensor w \(16384 bytes at 4096\) lies past the end of the file/);
    assert.throws(() => readGgufHeader(file(Buffer.concat([t, Buffer.alloc(100)]))), /tensor w needs 16384 bytes, more than the whole file/);
    // five dimensions, an unknown type
    assert.throws(() => readGgufHeader(file(Buffer.concat([header(1, 0), str('w'), u32(5), Buffer.alloc(64)]))), /5 dimensions/);
    assert.throws(() => readGgufHeader(file(Buffer.concat([header(1, 0), str('w'), u32(1), u64(32), u32(999), u64(0), Buffer.alloc(64)]))), /unknown type 999/);
  });

  test('the generated test model passes and describes itself; cut short, it fails', async () => {
    const model = await ensureTestModel();
    const s = inspectGguf(model);
    assert.equal(s.architecture, 'llama');
    assert.equal(s.trainContextSize, 32768);
    assert.equal(s.layers, 4);
    assert.ok(s.specialTokens.has('<|fim_prefix|>'));
    assert.equal(typeof s.fimIds.prefix, 'number');
    const bytes = readFileSync(model);
    assert.throws(() => readGgufHeader(file(bytes.subarray(0, bytes.length - 4096))), /lies past the end of the file/);
  });
});
