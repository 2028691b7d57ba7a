// Reading a GGUF file's header and metadata without trusting it: every count and length is checked
// against the bytes the file has left before anything is allocated or looped over, so a crafted
// header (tensor and metadata counts of 2^62, a string "of" 2^60 bytes, arrays nested without end)
// is rejected in microseconds instead of sending llama.cpp's loader into a loop that holds gigabytes.
// The same pass gives what Hotpath needs to know about a model before loading it: architecture,
// training context, name, licence, chat template, and the special tokens (FIM, chat markers).
// Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md (v2 and v3; little-endian).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export class GgufError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GgufError';
  }
}

export type GgufValue = number | bigint | boolean | string | GgufValue[];

export interface GgufHeader {
  version: number;
  tensorCount: number;
  /** Metadata, except large arrays that are kept only by length (see `keepArray`). */
  metadata: Map<string, GgufValue>;
  /** Lengths of the arrays that were skipped. */
  arrayLengths: Map<string, number>;
  fileSize: number;
  /** Byte offset where the tensor data starts (after the aligned tensor infos). */
  dataOffset: number;
  /** Bytes the tensors need according to their infos (≤ the data region: checked). */
  tensorBytes: number;
}

// Value types (gguf.md "gguf_metadata_value_type").
const T = { u8: 0, i8: 1, u16: 2, i16: 3, u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9, u64: 10, i64: 11, f64: 12 } as const;
const SCALAR_SIZE: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

// ggml tensor types: [block size in elements, bytes per block] (ggml.c type_traits; removed types absent).
const GGML_TYPES: Record<number, [number, number]> = {
  0: [1, 4], 1: [1, 2], 2: [32, 18], 3: [32, 20], 6: [32, 22], 7: [32, 24], 8: [32, 34], 9: [32, 36],
  10: [256, 84], 11: [256, 110], 12: [256, 144], 13: [256, 176], 14: [256, 210], 15: [256, 292],
  16: [256, 66], 17: [256, 74], 18: [256, 98], 19: [256, 50], 20: [32, 18], 21: [256, 110], 22: [256, 56],
  23: [256, 136], 24: [1, 1], 25: [1, 2], 26: [1, 4], 27: [1, 8], 28: [1, 8], 29: [256, 56], 30: [1, 2],
  34: [256, 54], 35: [256, 66], 39: [32, 17], 40: [32, 17], 41: [32, 17],
};

const MAX_DEPTH = 4;
const MAX_DIMS = 4;
const MAX_KEY = 65_535;

/** Arrays kept in `metadata` (others only by length): small ones, and the tokenizer's vocabulary when asked. */
export interface ReadOptions {
  /** Keep tokenizer.ggml.tokens and token_type (the vocabulary: needed to find FIM and chat tokens). */
  vocabulary?: boolean;
  /** Also walk and check the tensor infos (default true). */
  tensors?: boolean;
}

class Reader {
  private buf = Buffer.alloc(0);
  private bufStart = 0;
  pos = 0;
  constructor(private readonly fd: number, readonly size: number) {}

  left(): number {
    return this.size - this.pos;
  }

  /** Ensure `n` bytes at pos are buffered; fail (without allocating) if the file has fewer. */
  private need(n: number, what: string): Buffer {
    if (n > this.left()) throw new GgufError(`${what} runs past the end of the file (needs ${n} bytes at offset ${this.pos}, the file has ${this.left()} left)`);
    const rel = this.pos - this.bufStart;
    if (rel >= 0 && rel + n <= this.buf.length) return this.buf;
    const len = Math.min(Math.max(n, 1 << 20), this.left());
    this.buf = Buffer.alloc(len);
    this.bufStart = this.pos;
    let got = 0;
    while (got < len) {
      const r = readSync(this.fd, this.buf, got, len - got, this.pos + got);
      if (r <= 0) throw new GgufError(`could not read ${what} at offset ${this.pos + got}`);
      got += r;
    }
    return this.buf;
  }

  u32(what: string): number {
    const b = this.need(4, what);
    const v = b.readUInt32LE(this.pos - this.bufStart);
    this.pos += 4;
    return v;
  }

  u64(what: string): bigint {
    const b = this.need(8, what);
    const v = b.readBigUInt64LE(this.pos - this.bufStart);
    this.pos += 8;
    return v;
  }

  /** A u64 count or length that must be ≤ limit (checked before it is used for anything). */
  count(what: string, limit: number): number {
    const v = this.u64(what);
    if (v > BigInt(limit)) throw new GgufError(`${what} is ${v}, more than the file can hold (at most ${limit})`);
    return Number(v);
  }

  string(what: string, limit = Number.MAX_SAFE_INTEGER): string {
    const n = this.count(`the length of ${what}`, Math.min(limit, Math.max(0, this.left() - 8)));
    const b = this.need(n, what);
    const s = b.toString('utf8', this.pos - this.bufStart, this.pos - this.bufStart + n);
    this.pos += n;
    return s;
  }

  scalar(type: number, what: string): number | bigint | boolean {
    const size = SCALAR_SIZE[type];
    const b = this.need(size, what);
    const o = this.pos - this.bufStart;
    this.pos += size;
    switch (type) {
      case T.u8: return b.readUInt8(o);
      case T.i8: return b.readInt8(o);
      case T.u16: return b.readUInt16LE(o);
      case T.i16: return b.readInt16LE(o);
      case T.u32: return b.readUInt32LE(o);
      case T.i32: return b.readInt32LE(o);
      case T.f32: return b.readFloatLE(o);
      case T.bool: return b.readUInt8(o) !== 0;
      case T.u64: return b.readBigUInt64LE(o);
      case T.i64: return b.readBigInt64LE(o);
      default: return b.readDoubleLE(o);
    }
  }

  skip(n: number, what: string): void {
    if (n > this.left()) throw new GgufError(`${what} runs past the end of the file`);
    this.pos += n;
  }
}

function value(r: Reader, type: number, key: string, depth: number, keep: boolean): GgufValue | undefined {
  if (type === T.string) return r.string(`the value of ${key}`);
  if (type in SCALAR_SIZE) {
    const v = r.scalar(type, `the value of ${key}`);
    return typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  if (type !== T.array) throw new GgufError(`${key} has an unknown value type ${type}`);
  if (depth >= MAX_DEPTH) throw new GgufError(`${key} nests arrays deeper than ${MAX_DEPTH}`);
  const itemType = r.u32(`the item type of ${key}`);
  const minItem = itemType === T.string ? 8 : itemType === T.array ? 12 : SCALAR_SIZE[itemType];
  if (minItem === undefined) throw new GgufError(`${key} is an array of unknown type ${itemType}`);
  const n = r.count(`the length of ${key}`, Math.floor(Math.max(0, r.left() - 8) / minItem));
  if (!keep && itemType in SCALAR_SIZE) {
    r.skip(n * minItem, `the array ${key}`);
    return undefined;
  }
  const out: GgufValue[] = keep ? new Array(n) : [];
  for (let i = 0; i < n; i++) {
    const v = value(r, itemType, key, depth + 1, keep);
    if (keep) out[i] = v as GgufValue;
  }
  return keep ? out : undefined;
}

function elements(dims: bigint[]): bigint {
  return dims.reduce((a, b) => a * b, 1n);
}

/** Read and check a GGUF file's header, metadata and (by default) tensor infos. Throws GgufError. */
export function readGgufHeader(path: string, options: ReadOptions = {}): GgufHeader {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const r = new Reader(fd, size);
    const magic = size >= 4 ? r.u32('the magic') : 0;
    if (magic !== 0x46554747) throw new GgufError('not a GGUF model file (bad magic)');
    if (size < 24) throw new GgufError(`the file is too small to be a GGUF model (${size} bytes)`);
    const version = r.u32('the version');
    if (version < 2 || version > 3) throw new GgufError(`unsupported GGUF version ${version}`);
    // A tensor info is at least 8 (name length) + 4 (dims) + 8 (one dim) + 4 (type) + 8 (offset) bytes,
    // a metadata entry at least 8 (key length) + 1 (key) + 4 (type) + 1 (value) bytes.
    const tensorCount = r.count('the tensor count', Math.floor((size - 24) / 32));
    const kvCount = r.count('the metadata count', Math.floor((size - 24) / 14));
    const metadata = new Map<string, GgufValue>();
    const arrayLengths = new Map<string, number>();
    for (let i = 0; i < kvCount; i++) {
      const key = r.string(`metadata key ${i}`, MAX_KEY);
      const type = r.u32(`the type of ${key}`);
      const big = key === 'tokenizer.ggml.tokens' || key === 'tokenizer.ggml.token_type';
      const keep = type !== T.array || (big && options.vocabulary === true) || (!big && !key.startsWith('tokenizer.ggml.'));
      const start = r.pos;
      const v = value(r, type, key, 0, keep);
      if (v !== undefined) metadata.set(key, v);
      else if (type === T.array) {
        // the length sits after the item type
        arrayLengths.set(key, Number(readLengthAt(fd, start + 4)));
      }
    }
    let tensorBytes = 0;
    const alignment = Number(metadata.get('general.alignment') ?? 32);
    if (!Number.isInteger(alignment) || alignment <= 0 || alignment > 1 << 20 || (alignment & (alignment - 1)) !== 0) throw new GgufError(`general.alignment ${alignment} is not a power of two`);
    let dataOffset = 0;
    if (options.tensors !== false) {
      const infos: { name: string; offset: bigint; bytes: bigint }[] = [];
      for (let i = 0; i < tensorCount; i++) {
        const name = r.string(`the name of tensor ${i}`);
        const nDims = r.u32(`the dimensions of ${name}`);
        if (nDims < 1 || nDims > MAX_DIMS) throw new GgufError(`tensor ${name} has ${nDims} dimensions (1 to ${MAX_DIMS} allowed)`);
        const dims: bigint[] = [];
        for (let d = 0; d < nDims; d++) {
          const n = r.u64(`dimension ${d} of ${name}`);
          if (n === 0n || n > BigInt(size) * 256n) throw new GgufError(`tensor ${name} has an impossible dimension ${n}`);
          dims.push(n);
        }
        const type = r.u32(`the type of ${name}`);
        const traits = GGML_TYPES[type];
        if (!traits) throw new GgufError(`tensor ${name} has an unknown type ${type}`);
        const offset = r.u64(`the offset of ${name}`);
        const n = elements(dims);
        const [block, bytesPerBlock] = traits;
        if (dims[0] % BigInt(block) !== 0n) throw new GgufError(`tensor ${name}: ${dims[0]} values per row is not a multiple of its block size ${block}`);
        const bytes = (n / BigInt(block)) * BigInt(bytesPerBlock);
        if (bytes > BigInt(size)) throw new GgufError(`tensor ${name} needs ${bytes} bytes, more than the whole file (${size})`);
        infos.push({ name, offset, bytes });
      }
      dataOffset = Math.ceil(r.pos / alignment) * alignment;
      const dataBytes = BigInt(size - dataOffset);
      let total = 0n;
      for (const t of infos) {
        if (t.offset % BigInt(alignment) !== 0n) throw new GgufError(`tensor ${t.name} is not aligned to ${alignment} bytes`);
        if (t.offset + t.bytes > dataBytes) {
          throw new GgufError(`tensor ${t.name} (${t.bytes} bytes at ${t.offset}) lies past the end of the file: the file is truncated or corrupt (${size} bytes)`);
        }
        total += t.bytes;
      }
      tensorBytes = Number(total);
    }
    return { version, tensorCount, metadata, arrayLengths, fileSize: size, dataOffset, tensorBytes };
  } finally {
    closeSync(fd);
  }
}

function readLengthAt(fd: number, at: number): bigint {
  const b = Buffer.alloc(8);
  readSync(fd, b, 0, 8, at);
  return b.readBigUInt64LE(0);
}

/** What Hotpath reads from a model's own metadata. */
export interface GgufSummary {
  architecture: string;
  name: string | undefined;
  license: string | undefined;
  /** {arch}.context_length: the context the model was trained for. */
  trainContextSize: number | undefined;
  /** Layers ({arch}.block_count), embedding size, KV heads, head size: for memory estimates. */
  layers: number | undefined;
  embedding: number | undefined;
  kvHeads: number | undefined;
  headSize: number | undefined;
  slidingWindow: number | undefined;
  vocabSize: number | undefined;
  tokenizer: string | undefined;
  chatTemplate: string | undefined;
  /** Special (control or user-defined) token strings of the vocabulary, with their ids. */
  specialTokens: Map<string, number>;
  /** tokenizer.ggml.fim_{pre,suf,mid}_token_id when present. */
  fimIds: { prefix?: number; suffix?: number; middle?: number };
  tensorBytes: number;
  fileSize: number;
}

const num = (v: GgufValue | undefined): number | undefined => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined);
const str = (v: GgufValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

export function summarizeGguf(h: GgufHeader): GgufSummary {
  const m = h.metadata;
  const arch = str(m.get('general.architecture')) ?? 'unknown';
  const a = (k: string) => m.get(`${arch}.${k}`);
  const tokens = m.get('tokenizer.ggml.tokens');
  const types = m.get('tokenizer.ggml.token_type');
  const specialTokens = new Map<string, number>();
  if (Array.isArray(tokens) && Array.isArray(types)) {
    for (let i = 0; i < tokens.length; i++) {
      const t = types[i];
      // 3: control, 4: user-defined (llama_token_type)
      if ((t === 3 || t === 4) && typeof tokens[i] === 'string') specialTokens.set(tokens[i] as string, i);
    }
  }
  const heads = num(a('attention.head_count'));
  const embedding = num(a('embedding_length'));
  return {
    architecture: arch,
    name: str(m.get('general.name')),
    license: str(m.get('general.license')),
    trainContextSize: num(a('context_length')),
    layers: num(a('block_count')),
    embedding,
    kvHeads: num(a('attention.head_count_kv')) ?? heads,
    headSize: num(a('attention.key_length')) ?? (heads && embedding ? embedding / heads : undefined),
    slidingWindow: num(a('attention.sliding_window')),
    vocabSize: num(a('vocab_size')) ?? (Array.isArray(tokens) ? tokens.length : h.arrayLengths.get('tokenizer.ggml.tokens')),
    tokenizer: str(m.get('tokenizer.ggml.model')),
    chatTemplate: str(m.get('tokenizer.chat_template')),
    specialTokens,
    fimIds: { prefix: num(m.get('tokenizer.ggml.fim_pre_token_id')), suffix: num(m.get('tokenizer.ggml.fim_suf_token_id')), middle: num(m.get('tokenizer.ggml.fim_mid_token_id')) },
    tensorBytes: h.tensorBytes,
    fileSize: h.fileSize,
  };
}

/** Header, metadata and vocabulary of a model file, checked. */
export function inspectGguf(path: string): GgufSummary {
  return summarizeGguf(readGgufHeader(path, { vocabulary: true }));
}
