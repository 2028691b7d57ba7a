#!/usr/bin/env python3
"""Write a llama-architecture GGUF with seeded random weights: Hotpath's own model for tests and
speed measurements (random weights cost the same to run as trained ones).

    python3 scripts/model/make_test_model.py --out .cache/models/tiny.gguf [--shape tiny] [--seed 0]
        [--fim qwen|deepseek|starcoder|codellama|none] [--dtype f32|f16] [--context N]

Shapes (--shape): tiny (n_embd 128, 4 layers, 4 heads, 2 KV heads: ~1 M parameters, ~3 MB, seconds),
small (512/8 layers/8 heads/4 KV, ~30 M, f16), deepseek-1.3b (DeepSeek-Coder-1.3B: 2048/24/16/16,
ffn 5504, vocab 32256), qwen-1.5b (Qwen2.5-Coder-1.5B's sizes on the llama graph: 1536/28/12/2,
ffn 8960, vocab 151936), deepseek-6.7b (4096/32/32/32, ffn 11008). Big shapes default to f16.

Tokenizer: SentencePiece-style (tokenizer.ggml.model = "llama"): <unk> <s> </s>, the 256 byte tokens
<0x00>..<0xFF> (byte fallback: any text tokenizes), the FIM special tokens of one real family (default
Qwen2.5-Coder: <|fim_prefix|> <|fim_suffix|> <|fim_middle|> <|fim_pad|> <|repo_name|> <|file_sep|>,
with tokenizer.ggml.fim_{pre,suf,mid,pad,rep,sep}_token_id as llama.cpp reads them), printable ASCII
and "▁"-prefixed pieces of common code words (every prefix present, so SPM merges reach them), then
<unused_N> filler up to the shape's vocabulary size. Same seed and options -> same bytes.
"""
from __future__ import annotations

import argparse
import os
import random
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gguf import GGUFValueType, GGUFWriter, TokenType, pack_floats  # noqa: E402

SHAPES = {
    #                 n_embd layers heads kv   ffn    vocab   ctx    rope_base dtype
    "tiny":          (128,   4,     4,    2,   352,   0,      32768, 10000.0,  "f32"),
    "small":         (512,   8,     8,    4,   1408,  8192,   32768, 10000.0,  "f16"),
    "deepseek-1.3b": (2048,  24,    16,   16,  5504,  32256,  16384, 100000.0, "f16"),
    "qwen-1.5b":     (1536,  28,    12,   2,   8960,  151936, 32768, 1000000.0, "f16"),
    "deepseek-6.7b": (4096,  32,    32,   32,  11008, 32256,  16384, 100000.0, "f16"),
}

FIM_FAMILIES = {
    # family: (prefix, suffix, middle, pad, repo, file_sep, extra end-of-text-like token or None)
    "qwen": ("<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>", "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>", "<|endoftext|>"),
    "deepseek": ("<｜fim▁begin｜>", "<｜fim▁hole｜>", "<｜fim▁end｜>", None, None, None, "<｜end▁of▁sentence｜>"),
    "starcoder": ("<fim_prefix>", "<fim_suffix>", "<fim_middle>", "<fim_pad>", "<repo_name>", "<file_sep>", "<|endoftext|>"),
    "codellama": ("▁<PRE>", "▁<SUF>", "▁<MID>", None, None, None, "▁<EOT>"),
    "none": (None, None, None, None, None, None, None),
}

CODE_WORDS = (
    "def return self for in if else elif while import from class None True False and or not "
    "is lambda yield with as try except finally raise pass break continue print range len list dict "
    "set append items keys values function const let var new this null undefined typeof async await "
    "export default interface type string number boolean console log push map filter reduce length "
    "int float str result value index item data name key node count total sum min max sorted join"
).split()


def build_vocab(family: str, target: int):
    tokens, types, scores = [], [], []

    def add(tok: str, ttype: int, score: float = 0.0) -> int:
        tokens.append(tok)
        types.append(ttype)
        scores.append(score)
        return len(tokens) - 1

    add("<unk>", TokenType.UNKNOWN)
    add("<s>", TokenType.CONTROL)
    add("</s>", TokenType.CONTROL)
    for b in range(256):
        add("<0x%02X>" % b, TokenType.BYTE)
    fim = {}
    pre, suf, mid, pad, rep, sep, eot = FIM_FAMILIES[family]
    for key, tok in (("pre", pre), ("suf", suf), ("mid", mid), ("pad", pad), ("rep", rep), ("sep", sep), ("eot", eot)):
        if tok is not None:
            fim[key] = add(tok, TokenType.CONTROL)
    seen = set(tokens)
    pieces = ["▁"] + [chr(c) for c in range(0x21, 0x7F)]
    for w in CODE_WORDS:
        for word in (w, "▁" + w):
            for i in range(2, len(word) + 1):
                pieces.append(word[:i])
    pieces += ["▁▁", "▁▁▁", "▁▁▁▁", "▁▁▁▁▁▁▁▁", "()", "):", "[]", "{}", "==", "!=", "<=", ">=", "+=", "->", "=>", "'))"[:2]]
    for p in pieces:
        if p not in seen:
            seen.add(p)
            # SPM merges the highest-scoring bigram first: longer pieces score higher.
            add(p, TokenType.NORMAL, float(len(p)) - len(tokens) * 1e-4)
    n = len(tokens)
    while len(tokens) < target:
        add("<unused_%d>" % (len(tokens) - n), TokenType.UNUSED, -1e9)
    return tokens, types, scores, fim


class Weights:
    """Seeded uniform weights with a given standard deviation. Tensors up to POOL values are drawn
    value by value; larger ones are assembled from seeded offsets into a drawn pool (same cost to
    run, seconds to write gigabytes)."""
    POOL = 1 << 21
    CHUNK = 1 << 16

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.pools: dict[tuple, bytes] = {}

    def _draw(self, n: int, std: float, dtype: str) -> bytes:
        a = std * 3 ** 0.5
        r = self.rng.random
        return pack_floats([(2.0 * r() - 1.0) * a for _ in range(n)], dtype)

    def chunks(self, n: int, std: float, dtype: str):
        if n <= self.POOL:
            data = self._draw(n, std, dtype)
            return lambda: [data]
        key = (std, dtype)
        if key not in self.pools:
            self.pools[key] = self._draw(self.POOL, std, dtype)
        pool = self.pools[key]
        es = 4 if dtype == "f32" else 2
        offsets = []
        left = n
        while left > 0:
            c = min(self.CHUNK, left)
            offsets.append((self.rng.randrange(self.POOL - c + 1), c))
            left -= c

        def gen():
            for off, c in offsets:
                yield pool[off * es:(off + c) * es]
        return gen


def make_model(out: str, shape: str = "tiny", seed: int = 0, fim: str = "qwen", dtype: str | None = None,
               context: int | None = None) -> dict:
    n_embd, n_layer, n_head, n_kv, n_ff, vocab_target, ctx, rope_base, default_dtype = SHAPES[shape]
    dtype = dtype or default_dtype
    ctx = context or ctx
    head_dim = n_embd // n_head
    tokens, types, scores, fim_ids = build_vocab(fim, vocab_target)
    n_vocab = len(tokens)

    w = GGUFWriter(out)
    w.add("general.architecture", "llama")
    w.add("general.name", f"hotpath-test-{shape}")
    w.add("general.description", f"Hotpath test model: random weights, seed {seed}, FIM tokens of {fim}")
    w.add("general.file_type", 0 if dtype == "f32" else 1, GGUFValueType.UINT32)
    w.add("llama.context_length", ctx, GGUFValueType.UINT32)
    w.add("llama.embedding_length", n_embd, GGUFValueType.UINT32)
    w.add("llama.block_count", n_layer, GGUFValueType.UINT32)
    w.add("llama.feed_forward_length", n_ff, GGUFValueType.UINT32)
    w.add("llama.rope.dimension_count", head_dim, GGUFValueType.UINT32)
    w.add("llama.rope.freq_base", rope_base, GGUFValueType.FLOAT32)
    w.add("llama.attention.head_count", n_head, GGUFValueType.UINT32)
    w.add("llama.attention.head_count_kv", n_kv, GGUFValueType.UINT32)
    w.add("llama.attention.layer_norm_rms_epsilon", 1e-6, GGUFValueType.FLOAT32)
    w.add("llama.vocab_size", n_vocab, GGUFValueType.UINT32)
    w.add("tokenizer.ggml.model", "llama")
    w.add_array("tokenizer.ggml.tokens", tokens, GGUFValueType.STRING)
    w.add_array("tokenizer.ggml.scores", scores, GGUFValueType.FLOAT32)
    w.add_array("tokenizer.ggml.token_type", types, GGUFValueType.INT32)
    w.add("tokenizer.ggml.unknown_token_id", 0, GGUFValueType.UINT32)
    w.add("tokenizer.ggml.bos_token_id", 1, GGUFValueType.UINT32)
    w.add("tokenizer.ggml.eos_token_id", 2, GGUFValueType.UINT32)
    w.add("tokenizer.ggml.add_bos_token", False)
    w.add("tokenizer.ggml.add_eos_token", False)
    for key in ("pre", "suf", "mid", "pad", "rep", "sep"):
        if key in fim_ids:
            w.add(f"tokenizer.ggml.fim_{key}_token_id", fim_ids[key], GGUFValueType.UINT32)
    if "eot" in fim_ids:
        w.add("tokenizer.ggml.eot_token_id", fim_ids["eot"], GGUFValueType.UINT32)

    rnd = Weights(seed)
    norm = pack_floats([1.0] * n_embd, "f32")  # norms stay f32, as llama.cpp's converters write them

    def mat(name: str, rows: int, cols: int, std: float | None = None):
        std = std if std is not None else cols ** -0.5
        w.add_tensor_chunks(name, (rows, cols), dtype, rnd.chunks(rows * cols, std, dtype))

    mat("token_embd.weight", n_vocab, n_embd, 1.0)
    for i in range(n_layer):
        p = f"blk.{i}."
        w.add_tensor(p + "attn_norm.weight", norm, shape=(n_embd,), dtype="f32")
        mat(p + "attn_q.weight", n_head * head_dim, n_embd)
        mat(p + "attn_k.weight", n_kv * head_dim, n_embd)
        mat(p + "attn_v.weight", n_kv * head_dim, n_embd)
        mat(p + "attn_output.weight", n_embd, n_head * head_dim)
        w.add_tensor(p + "ffn_norm.weight", norm, shape=(n_embd,), dtype="f32")
        mat(p + "ffn_gate.weight", n_ff, n_embd)
        mat(p + "ffn_up.weight", n_ff, n_embd)
        mat(p + "ffn_down.weight", n_embd, n_ff)
    w.add_tensor("output_norm.weight", norm, shape=(n_embd,), dtype="f32")
    mat("output.weight", n_vocab, n_embd)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    w.write()
    params = n_vocab * n_embd * 2 + n_layer * (2 * n_embd * n_head * head_dim + 2 * n_embd * n_kv * head_dim + 3 * n_embd * n_ff + 2 * n_embd) + n_embd
    return {"path": out, "shape": shape, "params": params, "vocab": n_vocab, "fim": fim_ids, "dtype": dtype}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output .gguf path")
    ap.add_argument("--shape", default="tiny", choices=sorted(SHAPES))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--fim", default="qwen", choices=sorted(FIM_FAMILIES))
    ap.add_argument("--dtype", choices=["f32", "f16"], help="matrix weights type (default: the shape's)")
    ap.add_argument("--context", type=int, help="llama.context_length (training context) to record")
    a = ap.parse_args(argv)
    t0 = time.time()
    info = make_model(a.out, a.shape, a.seed, a.fim, a.dtype, a.context)
    size = os.path.getsize(a.out)
    print(f"wrote {a.out}: {a.shape}, {info['params'] / 1e6:.1f} M parameters, vocab {info['vocab']}, "
          f"{info['dtype']}, {size / 1e6:.1f} MB in {time.time() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
