#!/usr/bin/env python3
"""Train Hotpath's small code model (llama architecture, GQA, rotary positions, FIM) with PyTorch and
export it to GGUF with the project's writer (scripts/model/gguf.py).

    /usr/bin/python3 scripts/model/train_code_model.py train  [--config cpu-tiny] [--steps N] [--work DIR]
    /usr/bin/python3 scripts/model/train_code_model.py export [--work DIR] [--out assets/hotpath-code-tiny.gguf]
    /usr/bin/python3 scripts/model/train_code_model.py sample [--work DIR]      # greedy completions
    /usr/bin/python3 scripts/model/train_code_model.py all    ...               # train, then export

Everything is deterministic given --seed: the file list (sorted), the held-out split (a seeded hash
of each file's path), the FIM transformation and the batch order. Training is resumable: a
checkpoint is written to --work every --ckpt-every steps and at exit; rerunning `train` continues.

Model: LLM_ARCH_LLAMA as llama.cpp runs it. RMSNorm, SwiGLU, grouped-query attention, rotary position
embeddings in llama.cpp's "normal" layout (adjacent pairs (x[2i], x[2i+1]) rotated by
pos * base^(-2i/head_dim)), i.e. the layout convert_hf_to_gguf.py produces by permuting HF's Q/K
weights; the model is trained directly in that layout, so Q/K are exported unpermuted. Output
projection tied to the token embedding (llama.cpp duplicates token_embd when output.weight is absent).

Tokenizer: the vocabulary of make_test_model.py (SentencePiece-style, byte fallback, Qwen2.5-Coder FIM
tokens), tokenized in Python exactly as llama.cpp's SPM tokenizer does (llm_tokenizer_spm_session),
with tokenizer.ggml.add_space_prefix = false so text is tokenized verbatim.

Data: Python standard library sources (PSF licence) and JavaScript/TypeScript from packages under
node_modules whose package.json licence is MIT, BSD or Apache. Left-to-right and FIM (PSM:
<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>M<|endoftext|>) examples are mixed.

Needs PyTorch and numpy (Debian: apt-get install python3-torch python3-numpy; run /usr/bin/python3).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import re
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from gguf import GGUFValueType, GGUFWriter, TokenType  # noqa: E402
from make_test_model import build_vocab  # noqa: E402

# name: (n_embd, n_layer, n_head, n_kv_head, n_ff, ctx, batch, steps, lr, rope_base)
CONFIGS = {
    # CPU, one thread, ~20 minutes; exported f32 (~3.5 MB). The model shipped in assets/.
    "cpu-tiny": dict(n_embd=128, n_layer=4, n_head=4, n_kv=2, n_ff=352, ctx=256, batch=8, steps=800, lr=3e-3, rope_base=10000.0),
    # GPU: tens of millions of parameters (24 M), exported f16 (~48 MB): not committed, regenerate.
    "gpu-small": dict(n_embd=512, n_layer=8, n_head=8, n_kv=4, n_ff=1408, ctx=1024, batch=64, steps=4000, lr=1e-3, rope_base=10000.0),
}
RMS_EPS = 1e-6
FIM_RATE = 0.5
HELDOUT_PERCENT = 3

# --------------------------------------------------------------------------------------------------
# Tokenizer: llama.cpp's SPM algorithm over the test model's vocabulary.
# --------------------------------------------------------------------------------------------------


def _f32(x: float) -> float:
    return struct.unpack("<f", struct.pack("<f", x))[0]


class SpmTokenizer:
    """llm_tokenizer_spm_session (llama-vocab.cpp): split into UTF-8 characters, repeatedly merge the
    adjacent pair whose concatenation is a token with the highest score (ties: leftmost), emit
    unknown characters as <0xXX> byte tokens. Spaces are escaped to U+2581 first; no space prefix."""

    def __init__(self, tokens, scores, types, fim):
        self.tokens = tokens
        self.types = types
        self.scores = [_f32(s) for s in scores]  # GGUF stores f32: compare as llama.cpp does
        self.text_to_id = {}
        for i, t in enumerate(tokens):
            self.text_to_id[t] = i  # llama.cpp: token_to_id[text] = i, last wins
        self.byte_id = [self.text_to_id["<0x%02X>" % b] for b in range(256)]
        self.fim = fim
        self.eot = fim["eot"]
        for i, t in enumerate(tokens):
            if types[i] == TokenType.NORMAL and "\n" in t:
                raise ValueError("a NORMAL token contains a newline: line-wise tokenization would be inexact")
        self.cache: dict[str, list[int]] = {}
        # bytes each token stands for (for bits per byte)
        self.nbytes = []
        for i, t in enumerate(tokens):
            if types[i] == TokenType.BYTE:
                self.nbytes.append(1)
            elif types[i] == TokenType.NORMAL:
                self.nbytes.append(len(t.replace("\u2581", " ").encode("utf-8")))
            else:
                self.nbytes.append(0)

    def _tokenize_piece(self, text: str) -> list[int]:
        import heapq
        syms = list(text)  # UTF-8 characters (Python str is code points: same split)
        n = len(syms)
        if n == 0:
            return []
        sym_text = syms[:]  # current text of each symbol ('' once merged away)
        prev = list(range(-1, n - 1))
        nxt = list(range(1, n + 1))
        nxt[-1] = -1
        heap = []
        t2i, scores = self.text_to_id, self.scores

        def add(l, r):
            if l == -1 or r == -1:
                return
            s = sym_text[l] + sym_text[r]
            tid = t2i.get(s)
            if tid is None:
                return
            heapq.heappush(heap, (-scores[tid], l, r, len(s.encode("utf-8"))))

        for i in range(1, n):
            add(i - 1, i)
        while heap:
            _, l, r, size = heapq.heappop(heap)
            lt, rt = sym_text[l], sym_text[r]
            if not lt or not rt or len(lt.encode("utf-8")) + len(rt.encode("utf-8")) != size:
                continue
            sym_text[l] = lt + rt
            sym_text[r] = ""
            nxt[l] = nxt[r]
            if nxt[r] >= 0:
                prev[nxt[r]] = l
            add(prev[l], l)
            add(l, nxt[l])
        out = []
        i = 0
        while i != -1:
            s = sym_text[i]
            tid = t2i.get(s)
            if tid is not None:
                out.append(tid)
            else:  # every merged symbol is a token: only single unknown characters get here
                out.extend(self.byte_id[b] for b in s.encode("utf-8"))
            i = nxt[i]
        return out

    def encode(self, text: str) -> list[int]:
        """Token ids of raw text (no BOS, special-token text not parsed), as llama_tokenize does
        with add_special = false, parse_special = false on a GGUF with add_space_prefix = false."""
        out: list[int] = []
        nl = self.byte_id[10]
        lines = text.replace(" ", "\u2581").split("\n")
        for k, line in enumerate(lines):
            if k:
                out.append(nl)
            if not line:
                continue
            ids = self.cache.get(line)
            if ids is None:
                ids = self._tokenize_piece(line)
                if len(self.cache) < 2_000_000:
                    self.cache[line] = ids
            out.extend(ids)
        return out

    def decode(self, ids) -> str:
        buf = bytearray()
        for i in ids:
            t, ty = self.tokens[i], self.types[i]
            if ty == TokenType.BYTE:
                buf.append(int(t[3:5], 16))
            elif ty == TokenType.NORMAL:
                buf += t.replace("\u2581", " ").encode("utf-8")
            else:
                buf += t.encode("utf-8")
        return buf.decode("utf-8", errors="replace")


def make_tokenizer() -> SpmTokenizer:
    tokens, types, scores, fim = build_vocab("qwen", 0)
    return SpmTokenizer(tokens, scores, types, fim)


# --------------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------------
PERMISSIVE = re.compile(r"^(MIT|MIT-0|BSD-2-Clause|BSD-3-Clause|0BSD|BSD|Apache-2\.0|Apache 2\.0|Apache)$", re.I)
JS_EXT = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", ".jsx")
SKIP_DIRS = {"test", "tests", "__pycache__", "site-packages", "dist-packages", "idle_test", ".git"}


def _licence_ok(pkg: dict) -> str | None:
    lic = pkg.get("license")
    if isinstance(lic, dict):
        lic = lic.get("type")
    if lic is None and isinstance(pkg.get("licenses"), list) and pkg["licenses"]:
        first = pkg["licenses"][0]
        lic = first.get("type") if isinstance(first, dict) else first
    if not isinstance(lic, str):
        return None
    alts = [a.strip() for a in re.split(r"\s+OR\s+", lic.strip().strip("()"))]
    for a in alts:
        if PERMISSIVE.match(a):
            return a
    return None


def _good_source(text: str) -> bool:
    if not text.strip() or "\0" in text:
        return False
    lines = text.split("\n")
    if max(len(l) for l in lines) > 400:  # minified or bundled
        return False
    if len(text) / max(1, len(lines)) > 100:
        return False
    if "sourceMappingURL=data:" in text:
        return False
    return True


def collect_files(python_lib: str, node_modules: str, js_limit: int, seed: int, max_file: int = 120_000) -> list[dict]:
    """[{path, lang, licence, text}], deduplicated by content; JS/TS files in a seeded random order
    (so that --js-limit samples all packages, not the alphabetically first)."""
    files = []
    for dirpath, dirnames, filenames in os.walk(python_lib):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            if name.endswith(".py"):
                files.append((os.path.join(dirpath, name), "python", "PSF-2.0"))
    js = []

    def walk_pkg(pkg_dir: str, licence: str):
        for dirpath, dirnames, filenames in os.walk(pkg_dir):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and d != "node_modules" and not d.startswith("."))
            for name in sorted(filenames):
                if name.endswith(JS_EXT) and not name.endswith((".min.js", ".bundle.js")):
                    js.append((os.path.join(dirpath, name), "typescript" if ".ts" in name[-5:] else "javascript", licence))

    def walk_modules(nm: str):
        if not os.path.isdir(nm):
            return
        for entry in sorted(os.listdir(nm)):
            if entry.startswith("."):
                continue
            p = os.path.join(nm, entry)
            pkgs = [os.path.join(p, e) for e in sorted(os.listdir(p))] if entry.startswith("@") and os.path.isdir(p) else [p]
            for pkg_dir in pkgs:
                pj = os.path.join(pkg_dir, "package.json")
                if not os.path.isfile(pj):
                    continue
                try:
                    with open(pj, encoding="utf-8") as f:
                        pkg = json.load(f)
                except (OSError, ValueError):
                    continue
                lic = _licence_ok(pkg)
                if lic:
                    walk_pkg(pkg_dir, lic)
                walk_modules(os.path.join(pkg_dir, "node_modules"))

    walk_modules(node_modules)
    random.Random(seed).shuffle(js)
    seen = set()
    out = []
    js_bytes = 0
    for path, lang, lic in files + js:
        try:
            if os.path.getsize(path) > max_file:
                continue
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError):
            continue
        if not _good_source(text):
            continue
        h = hashlib.sha1(text.encode("utf-8")).hexdigest()
        if h in seen:
            continue
        seen.add(h)
        if lang != "python":
            if 0 < js_limit <= js_bytes:
                continue
            js_bytes += len(text)
        out.append({"path": path, "lang": lang, "licence": lic, "text": text})
    return out


def is_heldout(path: str, seed: int) -> bool:
    rel = path.split("node_modules/", 1)[-1] if "node_modules/" in path else path
    return int(hashlib.sha1(f"{seed}:{rel}".encode()).hexdigest()[:8], 16) % 100 < HELDOUT_PERCENT


def split_chunks(text: str, max_chars: int) -> list[str]:
    """Split at line boundaries into chunks of at most max_chars (a longer line is its own chunk, cut)."""
    chunks, cur, size = [], [], 0
    for line in text.splitlines(keepends=True):
        if size + len(line) > max_chars and cur:
            chunks.append("".join(cur))
            cur, size = [], 0
        while len(line) > max_chars:
            chunks.append(line[:max_chars])
            line = line[max_chars:]
        cur.append(line)
        size += len(line)
    if cur:
        chunks.append("".join(cur))
    return chunks


def fim_split(text: str, rng: random.Random) -> tuple[str, str, str]:
    """(prefix, middle, suffix): half the time a uniformly random character span (StarCoder), half the
    time the rest of a line plus 0-2 more lines (what an inline completion asks for)."""
    n = len(text)
    if rng.random() < 0.5:
        a, b = sorted((rng.randrange(n + 1), rng.randrange(n + 1)))
    else:
        starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n" and i + 1 < n]
        ls = rng.choice(starts)
        end = text.find("\n", ls)
        end = n if end < 0 else end
        a = rng.randrange(ls, end + 1)
        b = end
        for _ in range(rng.choice((0, 0, 1, 2))):
            nb = text.find("\n", b + 1)
            b = n if nb < 0 else nb
        b = min(n, b + 1) if rng.random() < 0.5 else b  # sometimes include the newline
    return text[:a], text[a:b], text[b:]


def build_stream(docs: list[dict], tok: SpmTokenizer, rng: random.Random, max_chars: int, fim_rate: float):
    """Token stream, example start offsets, and a mask of FIM-middle targets (for the FIM loss)."""
    import numpy as np
    F = tok.fim
    ids: list[int] = []
    starts: list[int] = []
    mid_mask: list[int] = []
    for d in docs:
        for k, chunk in enumerate(split_chunks(d["text"], max_chars)):
            starts.append(len(ids))
            if fim_rate > 0 and rng.random() < fim_rate and len(chunk) > 1:
                p, m, s = fim_split(chunk, rng)
                head = [F["pre"]] + tok.encode(p) + [F["suf"]] + tok.encode(s) + [F["mid"]]
                mid = tok.encode(m) + [F["eot"]]
                ids += head + mid
                mid_mask += [0] * len(head) + [1] * len(mid)
            else:
                t = tok.encode(chunk)
                ids += t
                mid_mask += [0] * len(t)
        ids.append(tok.eot)  # end of file
        mid_mask.append(0)
    return np.array(ids, dtype=np.int16), np.array(starts, dtype=np.int64), np.array(mid_mask, dtype=np.int8)


def prepare_data(args, cfg) -> dict:
    import numpy as np
    cache = os.path.join(args.work, "data.npz")
    meta_path = os.path.join(args.work, "data.json")
    # paths relative to the repository, so a work folder carried to another machine is reused there
    key = dict(seed=args.seed, python_lib=args.python_lib, node_modules=os.path.relpath(args.node_modules, ROOT), js_limit=args.js_limit,
               ctx=cfg["ctx"], fim_rate=FIM_RATE, heldout=HELDOUT_PERCENT, version=2)
    if os.path.exists(cache) and os.path.exists(meta_path):
        with open(meta_path) as f:
            meta = json.load(f)
        if meta.get("key") == key:
            z = np.load(cache)
            return {"meta": meta, **{k: z[k] for k in z.files}}
    t0 = time.time()
    files = collect_files(args.python_lib, args.node_modules, args.js_limit, args.seed)
    rng = random.Random(args.seed)
    rng.shuffle(files)
    train = [f for f in files if not is_heldout(f["path"], args.seed)]
    held = [f for f in files if is_heldout(f["path"], args.seed)]
    tok = make_tokenizer()
    max_chars = int(cfg["ctx"] * 2.4)  # about ctx tokens: a FIM example fits in one window
    tr_ids, tr_starts, _ = build_stream(train, tok, random.Random(args.seed + 1), max_chars, FIM_RATE)
    he_ids, _, _ = build_stream(held, tok, random.Random(args.seed + 2), max_chars, 0.0)
    hf_ids, hf_starts, hf_mask = build_stream(held, tok, random.Random(args.seed + 3), max_chars, 1.0)
    nbytes = np.array(tok.nbytes, dtype=np.int64)

    def stats(fs):
        out = {}
        for f in fs:
            s = out.setdefault(f["lang"], {"files": 0, "bytes": 0})
            s["files"] += 1
            s["bytes"] += len(f["text"].encode("utf-8"))
        return out

    licences = {}
    for f in files:
        licences[f["licence"]] = licences.get(f["licence"], 0) + 1
    meta = {"key": key, "train": stats(train), "heldout": stats(held), "licences": licences,
            "train_tokens": int(len(tr_ids)), "heldout_tokens": int(len(he_ids)),
            "heldout_bytes": int(nbytes[he_ids.astype(np.int64)].sum()),
            "train_bytes_per_token": float(nbytes[tr_ids.astype(np.int64)].sum() / len(tr_ids)),
            "heldout_files": sorted(f["path"] for f in held), "prep_seconds": round(time.time() - t0, 1)}
    os.makedirs(args.work, exist_ok=True)
    np.savez(cache, train=tr_ids, train_starts=tr_starts, heldout=he_ids, heldout_fim=hf_ids,
             heldout_fim_starts=hf_starts, heldout_fim_mask=hf_mask)
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=1)
    print(f"data: {len(train)} train files, {len(held)} held-out, {len(tr_ids)} train tokens, "
          f"{len(he_ids)} held-out tokens, {meta['train_bytes_per_token']:.2f} bytes/token, "
          f"{meta['prep_seconds']} s", flush=True)
    z = np.load(cache)
    return {"meta": meta, **{k: z[k] for k in z.files}}


# --------------------------------------------------------------------------------------------------
# Model: llama.cpp's LLM_ARCH_LLAMA graph
# --------------------------------------------------------------------------------------------------
def build_model(cfg: dict, n_vocab: int):
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class RMSNorm(nn.Module):
        def __init__(self, d):
            super().__init__()
            self.weight = nn.Parameter(torch.ones(d))

        def forward(self, x):
            return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + RMS_EPS) * self.weight

    def rope(x, pos, base):
        # x: (B, H, T, D). ggml rope "normal" mode: rotate (x[2i], x[2i+1]) by pos * base^(-2i/D)
        D = x.shape[-1]
        inv = base ** (-torch.arange(0, D, 2, dtype=torch.float32, device=x.device) / D)
        ang = pos.to(torch.float32)[:, None] * inv[None, :]  # (T, D/2)
        cos, sin = ang.cos().to(x.dtype), ang.sin().to(x.dtype)
        x0, x1 = x[..., 0::2], x[..., 1::2]
        return torch.stack((x0 * cos - x1 * sin, x0 * sin + x1 * cos), dim=-1).flatten(-2)

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            d, H, KV = cfg["n_embd"], cfg["n_head"], cfg["n_kv"]
            hd = d // H
            self.attn_norm = RMSNorm(d)
            self.attn_q = nn.Linear(d, H * hd, bias=False)
            self.attn_k = nn.Linear(d, KV * hd, bias=False)
            self.attn_v = nn.Linear(d, KV * hd, bias=False)
            self.attn_output = nn.Linear(H * hd, d, bias=False)
            self.ffn_norm = RMSNorm(d)
            self.ffn_gate = nn.Linear(d, cfg["n_ff"], bias=False)
            self.ffn_up = nn.Linear(d, cfg["n_ff"], bias=False)
            self.ffn_down = nn.Linear(cfg["n_ff"], d, bias=False)

        def forward(self, x, pos, mask):
            B, T, d = x.shape
            H, KV = cfg["n_head"], cfg["n_kv"]
            hd = d // H
            h = self.attn_norm(x)
            q = self.attn_q(h).view(B, T, H, hd).transpose(1, 2)
            k = self.attn_k(h).view(B, T, KV, hd).transpose(1, 2)
            v = self.attn_v(h).view(B, T, KV, hd).transpose(1, 2)
            q, k = rope(q, pos, cfg["rope_base"]), rope(k, pos, cfg["rope_base"])
            # GQA as ggml broadcasts it: query head h reads KV head h // (H / KV)
            k = k.repeat_interleave(H // KV, dim=1)
            v = v.repeat_interleave(H // KV, dim=1)
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
            att = att.masked_fill(mask[:T, :T], float("-inf")).softmax(-1)
            y = (att @ v).transpose(1, 2).reshape(B, T, H * hd)
            x = x + self.attn_output(y)
            h = self.ffn_norm(x)
            return x + self.ffn_down(F.silu(self.ffn_gate(h)) * self.ffn_up(h))

    class Llama(nn.Module):
        def __init__(self):
            super().__init__()
            self.cfg = cfg
            self.token_embd = nn.Embedding(n_vocab, cfg["n_embd"])
            self.blocks = nn.ModuleList([Block() for _ in range(cfg["n_layer"])])
            self.output_norm = RMSNorm(cfg["n_embd"])
            n = max(cfg["ctx"], 4096)
            self.register_buffer("mask", torch.triu(torch.ones(n, n, dtype=torch.bool), 1), persistent=False)
            for name, p in self.named_parameters():
                if p.dim() == 2:
                    std = 0.02
                    if name.endswith(("attn_output.weight", "ffn_down.weight")):
                        std = 0.02 / math.sqrt(2 * cfg["n_layer"])
                    nn.init.normal_(p, 0.0, std)

        def forward(self, idx, start_pos: int = 0):
            T = idx.shape[1]
            pos = torch.arange(start_pos, start_pos + T, device=idx.device)
            x = self.token_embd(idx)
            for b in self.blocks:
                x = b(x, pos, self.mask)
            return self.output_norm(x) @ self.token_embd.weight.t()  # tied output

    return Llama()


def n_params(model) -> int:
    return sum(p.numel() for p in model.parameters())


# --------------------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------------------
def lr_at(step: int, cfg: dict, steps: int) -> float:
    warm = max(1, min(100, steps // 10))
    if step < warm:
        return cfg["lr"] * (step + 1) / warm
    t = (step - warm) / max(1, steps - warm)
    return cfg["lr"] * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, t))))


def evaluate(model, data, cfg, tok, device, max_windows: int = 48) -> dict:
    """Held-out loss: left-to-right (nats/token, bits/byte) on fixed windows of the held-out stream,
    and FIM loss (nats/token) on the middle tokens of held-out FIM examples."""
    import numpy as np
    import torch
    import torch.nn.functional as F
    T = cfg["ctx"]
    model.eval()
    nbytes = torch.tensor(tok.nbytes, dtype=torch.float64)
    res = {}
    with torch.no_grad():
        ids = data["heldout"].astype(np.int64)
        n_win = min(max_windows, (len(ids) - 1) // T)
        offs = np.linspace(0, len(ids) - T - 1, n_win).astype(np.int64)
        x = torch.from_numpy(np.stack([ids[o:o + T] for o in offs])).to(device)
        y = torch.from_numpy(np.stack([ids[o + 1:o + T + 1] for o in offs])).to(device)
        nll = torch.cat([F.cross_entropy(model(x[i:i + 16]).float().flatten(0, 1), y[i:i + 16].flatten(), reduction="none")
                         for i in range(0, len(x), 16)]).double().cpu()
        res["loss"] = float(nll.mean())
        res["bits_per_byte"] = float(nll.sum() / math.log(2) / nbytes[y.flatten().cpu()].sum())
        fids = data["heldout_fim"].astype(np.int64)
        fmask = data["heldout_fim_mask"].astype(np.int64)
        starts = data["heldout_fim_starts"]
        pick = starts[np.linspace(0, len(starts) - 1, min(len(starts), 96)).astype(np.int64)]
        pick = pick[pick + T + 1 <= len(fids)]
        x = torch.from_numpy(np.stack([fids[o:o + T] for o in pick])).to(device)
        y = torch.from_numpy(np.stack([fids[o + 1:o + T + 1] for o in pick])).to(device)
        m = torch.from_numpy(np.stack([fmask[o + 1:o + T + 1] for o in pick])).to(device).bool()
        nll = torch.cat([F.cross_entropy(model(x[i:i + 16]).float().flatten(0, 1), y[i:i + 16].flatten(), reduction="none")
                         for i in range(0, len(x), 16)])
        mm = m.flatten()
        res["fim_middle_loss"] = float(nll[mm].double().mean())
        res["fim_middle_bits_per_byte"] = float(nll[mm].double().sum().cpu() / math.log(2) / nbytes[y.flatten()[mm].cpu()].sum())
    model.train()
    return res


def train(args) -> None:
    import numpy as np
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(args.threads)
    cfg = dict(CONFIGS[args.config])
    if args.steps:
        cfg["steps"] = args.steps
    device = torch.device(args.device)
    os.makedirs(args.work, exist_ok=True)
    data = prepare_data(args, cfg)
    tok = make_tokenizer()
    torch.manual_seed(args.seed)
    model = build_model(cfg, len(tok.tokens)).to(device)
    decay = [p for p in model.parameters() if p.dim() == 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=cfg["lr"], betas=(0.9, 0.95), eps=1e-8)
    ckpt = os.path.join(args.work, "checkpoint.pt")
    state = {"step": 0, "train_seconds": 0.0, "log": [], "eval_before": None}
    if os.path.exists(ckpt):
        c = torch.load(ckpt, map_location=device)
        if c["config"] != cfg or c["seed"] != args.seed:
            raise SystemExit(f"{ckpt} was made with another config/seed: use another --work or delete it")
        model.load_state_dict(c["model"])
        opt.load_state_dict(c["opt"])
        state = c["state"]
        print(f"resumed at step {state['step']} ({state['train_seconds']:.0f} s trained)", flush=True)
    print(f"config {args.config}: {json.dumps(cfg)}; {n_params(model)} parameters; device {device}; "
          f"threads {torch.get_num_threads()}", flush=True)
    if state["eval_before"] is None:
        state["eval_before"] = evaluate(model, data, cfg, tok, device)
        print(f"held-out before training: {json.dumps(state['eval_before'])}", flush=True)

    def save():
        tmp = ckpt + ".tmp"
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "state": state, "config": cfg,
                    "config_name": args.config, "seed": args.seed, "n_vocab": len(tok.tokens)}, tmp)
        os.replace(tmp, ckpt)

    train_ids = torch.from_numpy(data["train"].astype(np.int64))
    starts = data["train_starts"]
    starts = starts[starts + cfg["ctx"] + 1 <= len(train_ids)]
    T, B, steps = cfg["ctx"], cfg["batch"], cfg["steps"]
    deadline = time.time() + args.max_minutes * 60 if args.max_minutes else None
    t_last = time.time()
    loss_acc, n_acc = 0.0, 0
    while state["step"] < steps:
        step = state["step"]
        g = np.random.default_rng([args.seed, step])  # batch depends only on (seed, step): resumable
        offs = starts[g.integers(0, len(starts), B)]
        idx = torch.from_numpy(offs)[:, None] + torch.arange(T + 1)[None, :]
        batch = train_ids[idx].to(device)
        lr = lr_at(step, cfg, steps)
        for group in opt.param_groups:
            group["lr"] = lr
        if device.type == "cuda":  # bf16 matmuls on the GPU, f32 master weights
            with torch.autocast("cuda", dtype=torch.bfloat16):
                logits = model(batch[:, :-1])
        else:
            logits = model(batch[:, :-1])
        loss = F.cross_entropy(logits.float().flatten(0, 1), batch[:, 1:].flatten())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        loss_acc += float(loss)
        n_acc += 1
        state["step"] = step + 1
        now = time.time()
        state["train_seconds"] += now - t_last
        t_last = now
        if state["step"] % args.log_every == 0 or state["step"] == steps:
            entry = {"step": state["step"], "loss": round(loss_acc / n_acc, 4), "lr": round(lr, 6),
                     "seconds": round(state["train_seconds"], 1)}
            loss_acc, n_acc = 0.0, 0
            if state["step"] % args.eval_every == 0 or state["step"] == steps:
                entry["heldout"] = evaluate(model, data, cfg, tok, device)
                t_last = time.time()
            state["log"].append(entry)
            eta = state["train_seconds"] / state["step"] * (steps - state["step"])
            print(f"step {state['step']}/{steps} {json.dumps(entry)} eta {eta / 60:.1f} min", flush=True)
        if state["step"] % args.ckpt_every == 0:
            save()
        if deadline and time.time() > deadline and state["step"] < steps:
            save()
            print(f"stopped at step {state['step']} (--max-minutes); rerun to resume", flush=True)
            return
    state["eval_after"] = evaluate(model, data, cfg, tok, device)
    print(f"held-out after training: {json.dumps(state['eval_after'])}", flush=True)
    save()


def load_trained(args):
    import torch
    ckpt = torch.load(os.path.join(args.work, "checkpoint.pt"), map_location="cpu")
    cfg = ckpt["config"]
    model = build_model(cfg, ckpt["n_vocab"])
    model.load_state_dict(ckpt["model"])
    model.eval()
    return model, cfg, ckpt


# --------------------------------------------------------------------------------------------------
# Generation (greedy), used for samples and reference outputs
# --------------------------------------------------------------------------------------------------
def greedy(model, ids: list[int], n: int, stop: set[int]) -> list[int]:
    import torch
    out = []
    cur = list(ids)
    with torch.no_grad():
        for _ in range(n):
            logits = model(torch.tensor([cur[-model.cfg['ctx']:]]))[0, -1]
            t = int(torch.argmax(logits))
            if t in stop:
                break
            out.append(t)
            cur.append(t)
    return out


def fim_ids(tok: SpmTokenizer, prefix: str, suffix: str) -> list[int]:
    F = tok.fim
    return [F["pre"]] + tok.encode(prefix) + [F["suf"]] + tok.encode(suffix) + [F["mid"]]


SAMPLE_PROMPTS = [
    ("l2r", "def render_report(lines):\n    report = \"\"\n    for line in lines:\n", ""),
    ("l2r", "class Stack:\n    def __init__(self):\n        self.items = []\n\n    def push(self, item):\n", ""),
    ("l2r", "import os\n\n\ndef list_files(path):\n    ", ""),
    ("l2r", "function totalWeight(items) {\n  let total = 0;\n  for (const item of items) ", ""),
    ("l2r", "export function isEmpty(value: string): boolean {\n  return ", ""),
    ("fim", "def total_price(items):\n    total = 0\n    for item in items:\n        ", "\n    return total\n"),
    ("fim", "def find_index(items, target):\n    for i, item in enumerate(items):\n        if item == target:\n            ",
     "\n    return -1\n"),
    ("fim", "function drain(tasks) {\n  const queue = [...tasks];\n  const order = [];\n  while (queue.length > 0) {\n    ",
     "\n  }\n  return order;\n}\n"),
]


def samples(model, tok, n_tokens: int = 40) -> list[dict]:
    stop = {tok.eot, tok.fim["pre"], tok.fim["suf"], tok.fim["mid"], 2}
    out = []
    for kind, prefix, suffix in SAMPLE_PROMPTS:
        ids = tok.encode(prefix) if kind == "l2r" else fim_ids(tok, prefix, suffix)
        gen = greedy(model, ids, n_tokens, stop)
        out.append({"kind": kind, "prefix": prefix, "suffix": suffix, "completion": tok.decode(gen)})
    return out


def examples_line_completion(model, tok, examples_dir: str, prefix_chars: int = 300, suffix_chars: int = 120) -> dict:
    """For every indented line of the project's examples/: FIM with the cursor at the line's first
    non-blank character, middle = the rest of the line; greedy until a newline. Exact-match rate."""
    stop = {tok.eot, tok.fim["pre"], tok.fim["suf"], tok.fim["mid"], 2, tok.byte_id[10]}
    rows = []
    if not os.path.isdir(examples_dir):
        return {"lines": 0, "exact": 0, "rows": rows}
    for name in sorted(os.listdir(examples_dir)):
        path = os.path.join(examples_dir, name)
        if not name.endswith((".py", ".js", ".ts")) or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        pos = 0
        for line in text.splitlines(keepends=True):
            body = line.rstrip("\n")
            indent = len(body) - len(body.lstrip(" "))
            if indent and body.strip():
                a, b = pos + indent, pos + len(body)
                prefix, want, suffix = text[max(0, a - prefix_chars):a], text[a:b], text[b:b + suffix_chars]
                got = tok.decode(greedy(model, fim_ids(tok, prefix, suffix), 40, stop))
                rows.append({"file": name, "want": want, "got": got, "exact": got.rstrip() == want.rstrip()})
            pos += len(line)
    return {"lines": len(rows), "exact": sum(r["exact"] for r in rows), "rows": rows}


# --------------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------------
REF_TEXTS = [
    ("python", "import os\n\n\ndef walk(top):\n    for name in os.listdir(top):\n        path = os.path.join(top, name)\n"),
    ("javascript", "function unique(items) {\n  const seen = new Set();\n  return items.filter((x) => {\n"),
    ("fim", ("def total(values):\n    s = 0\n    for v in values:\n        ", "\n    return s\n")),
]


def export(args) -> None:
    import numpy as np
    import torch
    torch.set_num_threads(args.threads)
    model, cfg, ckpt = load_trained(args)
    tok = make_tokenizer()
    tokens, types, scores, fim = build_vocab("qwen", 0)
    dtype = args.dtype or ("f32" if cfg["n_embd"] <= 256 else "f16")
    name = os.path.splitext(os.path.basename(args.out))[0]
    st = ckpt["state"]
    w = GGUFWriter(args.out)
    w.add("general.architecture", "llama")
    w.add("general.name", name)
    w.add("general.description", f"Hotpath's tiny code model: trained by scripts/model/train_code_model.py "
          f"(config {ckpt['config_name']}, seed {ckpt['seed']}, {st['step']} steps) on Python stdlib and "
          f"permissively licensed JS/TS; left-to-right and FIM (Qwen2.5-Coder tokens)")
    w.add("general.license", "MIT")
    w.add("general.file_type", 0 if dtype == "f32" else 1, GGUFValueType.UINT32)
    w.add("llama.context_length", cfg["ctx"], GGUFValueType.UINT32)
    w.add("llama.embedding_length", cfg["n_embd"], GGUFValueType.UINT32)
    w.add("llama.block_count", cfg["n_layer"], GGUFValueType.UINT32)
    w.add("llama.feed_forward_length", cfg["n_ff"], GGUFValueType.UINT32)
    w.add("llama.rope.dimension_count", cfg["n_embd"] // cfg["n_head"], GGUFValueType.UINT32)
    w.add("llama.rope.freq_base", cfg["rope_base"], GGUFValueType.FLOAT32)
    w.add("llama.attention.head_count", cfg["n_head"], GGUFValueType.UINT32)
    w.add("llama.attention.head_count_kv", cfg["n_kv"], GGUFValueType.UINT32)
    w.add("llama.attention.layer_norm_rms_epsilon", RMS_EPS, GGUFValueType.FLOAT32)
    w.add("llama.vocab_size", len(tokens), GGUFValueType.UINT32)
    w.add("tokenizer.ggml.model", "llama")
    w.add_array("tokenizer.ggml.tokens", tokens, GGUFValueType.STRING)
    w.add_array("tokenizer.ggml.scores", scores, GGUFValueType.FLOAT32)
    w.add_array("tokenizer.ggml.token_type", types, GGUFValueType.INT32)
    w.add("tokenizer.ggml.unknown_token_id", 0, GGUFValueType.UINT32)
    w.add("tokenizer.ggml.bos_token_id", 1, GGUFValueType.UINT32)
    w.add("tokenizer.ggml.eos_token_id", 2, GGUFValueType.UINT32)
    w.add("tokenizer.ggml.add_bos_token", False)
    w.add("tokenizer.ggml.add_eos_token", False)
    w.add("tokenizer.ggml.add_space_prefix", False)  # trained on verbatim text
    for key in ("pre", "suf", "mid", "pad", "rep", "sep"):
        w.add(f"tokenizer.ggml.fim_{key}_token_id", fim[key], GGUFValueType.UINT32)
    w.add("tokenizer.ggml.eot_token_id", fim["eot"], GGUFValueType.UINT32)
    sd = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}
    mat = lambda a: a.astype(np.float16 if dtype == "f16" else np.float32)  # noqa: E731
    w.add_tensor("token_embd.weight", mat(sd["token_embd.weight"]))
    for i in range(cfg["n_layer"]):
        p = f"blk.{i}."
        for t in ("attn_norm", "ffn_norm"):
            w.add_tensor(p + t + ".weight", sd[f"blocks.{i}.{t}.weight"].astype(np.float32))
        for t in ("attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"):
            w.add_tensor(p + t + ".weight", mat(sd[f"blocks.{i}.{t}.weight"]))  # (out, in): ne = [in, out]
    w.add_tensor("output_norm.weight", sd["output_norm.weight"].astype(np.float32))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    w.write()

    # Reference logits from PyTorch for fixed token sequences, with the exported weights' precision.
    if dtype == "f16":
        with torch.no_grad():
            for k, v in model.state_dict().items():
                if v.dim() == 2:
                    v.copy_(v.half().float())
    refs = []
    for kind, text in REF_TEXTS:
        if kind == "fim":
            ids = fim_ids(tok, *text)
            parts = {"prefix": text[0], "suffix": text[1]}
        else:
            ids = tok.encode(text)
            parts = {"text": text}
        with torch.no_grad():
            logits = model(torch.tensor([ids]))[0].double()
        positions = sorted(set([0, len(ids) // 3, len(ids) // 2] + list(range(max(0, len(ids) - 4), len(ids)))))
        gen = greedy(model, ids, 12, {tok.eot, 2})
        refs.append({"kind": kind, **parts, "tokens": ids, "positions": positions,
                     "logits": [[round(float(x), 5) for x in logits[p]] for p in positions],
                     "greedy": gen, "greedy_text": tok.decode(gen)})
    base = os.path.splitext(args.out)[0]
    with open(base + ".logits.json", "w") as f:
        json.dump({"model": os.path.basename(args.out), "n_vocab": len(tokens),
                   "note": "PyTorch logits (float64 accumulation of the float32 model) for fixed token sequences; "
                           "node-llama-cpp must reproduce them within tolerance (scripts/model/trainedModel.test.ts)",
                   "sequences": refs}, f, separators=(",", ":"))
    size = os.path.getsize(args.out)
    data_meta_path = os.path.join(args.work, "data.json")
    data_meta = {}
    if os.path.exists(data_meta_path):
        with open(data_meta_path) as f:
            data_meta = {k: v for k, v in json.load(f).items() if k not in ("heldout_files", "key")}
    card = {"file": os.path.basename(args.out), "bytes": size, "dtype": dtype, "config": ckpt["config_name"],
            "hyperparameters": cfg, "parameters": n_params(model), "seed": ckpt["seed"], "steps": st["step"],
            "train_seconds": round(st["train_seconds"], 1), "threads": args.threads,
            "tokens_seen": st["step"] * cfg["batch"] * cfg["ctx"], "data": data_meta,
            "heldout_before": st.get("eval_before"), "heldout_after": st.get("eval_after"),
            "log": st["log"], "samples": samples(model, tok),
            "examples_line_completion": examples_line_completion(model, tok, os.path.join(ROOT, "examples")),
            "command": f"/usr/bin/python3 scripts/model/train_code_model.py all --config {ckpt['config_name']} "
                       f"--seed {ckpt['seed']} --steps {cfg['steps']} --out {os.path.relpath(args.out, ROOT)}"}
    with open(base + ".json", "w") as f:
        json.dump(card, f, indent=1)
    print(f"wrote {args.out} ({size / 1e6:.2f} MB, {dtype}, {card['parameters']} parameters), "
          f"{base}.logits.json, {base}.json", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=["train", "export", "sample", "all", "data"])
    ap.add_argument("--config", default="cpu-tiny", choices=sorted(CONFIGS))
    ap.add_argument("--steps", type=int, help="override the config's step count")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    ap.add_argument("--work", default=os.path.join(ROOT, ".cache", "train-code-model"), help="data cache and checkpoint")
    ap.add_argument("--out", default=os.path.join(ROOT, "assets", "hotpath-code-tiny.gguf"))
    ap.add_argument("--dtype", choices=["f32", "f16"], help="exported matrix type (default f32 up to n_embd 256, else f16)")
    ap.add_argument("--python-lib", default="/usr/lib/python3.11")
    ap.add_argument("--node-modules", default=os.path.join(ROOT, "node_modules"))
    ap.add_argument("--js-limit", type=int, default=12_000_000, help="bytes of JS/TS source at most (0: all)")
    ap.add_argument("--max-minutes", type=float, help="checkpoint and stop after this long (resume later)")
    ap.add_argument("--log-every", type=int, default=25)
    ap.add_argument("--eval-every", type=int, default=300)
    ap.add_argument("--ckpt-every", type=int, default=100)
    args = ap.parse_args(argv)
    if args.command == "data":
        cfg = dict(CONFIGS[args.config])
        prepare_data(args, cfg)
    if args.command in ("train", "all"):
        train(args)
    if args.command in ("export", "all"):
        export(args)
    if args.command == "sample":
        model, _, _ = load_trained(args)
        tok = make_tokenizer()
        for s in samples(model, tok):
            print(json.dumps(s))
        ex = examples_line_completion(model, tok, os.path.join(ROOT, "examples"))
        for r in ex["rows"]:
            print(("OK  " if r["exact"] else "    ") + f"{r['file']}: want {r['want']!r} got {r['got']!r}")
        print(f"examples/: {ex['exact']}/{ex['lines']} indented lines completed exactly (FIM, greedy)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
