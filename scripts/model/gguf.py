"""GGUF v3 writer (and a small reader), standard library only.

Used by make_test_model.py (seeded random llama models) and by train_code_model.py (a trained
PyTorch model exported for llama.cpp / node-llama-cpp).

Format (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md), all little-endian:
    magic "GGUF", u32 version (3), u64 tensor count, u64 metadata count,
    metadata: (string key, u32 value type, value)*,
    tensor infos: (string name, u32 n_dims, u64 ne[n_dims], u32 ggml type, u64 offset)*,
    padding to `general.alignment` (default 32), tensor data (each tensor aligned).
A string is u64 length + UTF-8 bytes. ne[0] is the innermost (fastest varying) dimension, so a
row-major (numpy / PyTorch) array of shape (rows, cols) is stored with ne = [cols, rows]; this writer
takes shapes in row-major order, as gguf-py does, and reverses them.

    w = GGUFWriter("model.gguf")
    w.add("general.architecture", "llama")            # type inferred: str, bool, int (u32/i32/u64/i64), float (f32)
    w.add("llama.block_count", 4, GGUFValueType.UINT32) # or explicit
    w.add_array("tokenizer.ggml.tokens", ["a", "b"])     # item type inferred, or item_type=...
    w.add_tensor("output_norm.weight", [1.0] * 128, shape=(128,), dtype="f32")
    w.add_tensor("token_embd.weight", numpy_array)      # numpy float32/float16 array: shape and dtype from it
    w.add_tensor_chunks("big.weight", (rows, cols), "f16", lambda: iter_of_bytes)  # streamed, never held
    w.write()
"""
from __future__ import annotations

import array
import struct
import sys
from typing import Any, Callable, Iterable, Sequence

GGUF_MAGIC = b"GGUF"
GGUF_VERSION = 3
DEFAULT_ALIGNMENT = 32


class GGUFValueType:
    UINT8 = 0
    INT8 = 1
    UINT16 = 2
    INT16 = 3
    UINT32 = 4
    INT32 = 5
    FLOAT32 = 6
    BOOL = 7
    STRING = 8
    ARRAY = 9
    UINT64 = 10
    INT64 = 11
    FLOAT64 = 12


_SCALAR_FMT = {
    GGUFValueType.UINT8: "<B", GGUFValueType.INT8: "<b",
    GGUFValueType.UINT16: "<H", GGUFValueType.INT16: "<h",
    GGUFValueType.UINT32: "<I", GGUFValueType.INT32: "<i",
    GGUFValueType.FLOAT32: "<f", GGUFValueType.BOOL: "<?",
    GGUFValueType.UINT64: "<Q", GGUFValueType.INT64: "<q",
    GGUFValueType.FLOAT64: "<d",
}

# ggml tensor types this writer produces (block size 1).
GGML_TYPES = {"f32": (0, 4), "f16": (1, 2)}

# llama.cpp token types (tokenizer.ggml.token_type)
class TokenType:
    NORMAL = 1
    UNKNOWN = 2
    CONTROL = 3
    USER_DEFINED = 4
    UNUSED = 5
    BYTE = 6


def _infer_type(value: Any) -> int:
    if isinstance(value, bool):
        return GGUFValueType.BOOL
    if isinstance(value, int):
        if value < 0:
            return GGUFValueType.INT32 if value >= -(1 << 31) else GGUFValueType.INT64
        return GGUFValueType.UINT32 if value < (1 << 32) else GGUFValueType.UINT64
    if isinstance(value, float):
        return GGUFValueType.FLOAT32
    if isinstance(value, str):
        return GGUFValueType.STRING
    if isinstance(value, (list, tuple)):
        return GGUFValueType.ARRAY
    raise TypeError(f"cannot infer a GGUF type for {type(value).__name__}")


def _pack_string(s: str | bytes) -> bytes:
    b = s.encode("utf-8") if isinstance(s, str) else s
    return struct.pack("<Q", len(b)) + b


def _pack_value(value: Any, vtype: int, item_type: int | None = None) -> bytes:
    if vtype == GGUFValueType.STRING:
        return _pack_string(value)
    if vtype == GGUFValueType.ARRAY:
        items = list(value)
        if item_type is None:
            if not items:
                raise ValueError("an empty array needs an explicit item_type")
            item_type = _infer_type(items[0])
            # a mixed int array with negatives or large values: widen
            if item_type in (GGUFValueType.UINT32, GGUFValueType.INT32, GGUFValueType.UINT64, GGUFValueType.INT64):
                lo, hi = min(items), max(items)
                if lo < 0:
                    item_type = GGUFValueType.INT32 if lo >= -(1 << 31) and hi < (1 << 31) else GGUFValueType.INT64
                else:
                    item_type = GGUFValueType.UINT32 if hi < (1 << 32) else GGUFValueType.UINT64
            elif item_type == GGUFValueType.ARRAY:
                raise ValueError("nested arrays need an explicit item_type")
        out = [struct.pack("<IQ", item_type, len(items))]
        if item_type == GGUFValueType.STRING:
            out.extend(_pack_string(v) for v in items)
        elif item_type == GGUFValueType.ARRAY:
            for v in items:
                out.append(_pack_value(v, GGUFValueType.ARRAY))  # element: item type, count, values
        else:
            fmt = _SCALAR_FMT[item_type]
            out.append(struct.pack("<%d%s" % (len(items), fmt[1]), *items))
        return b"".join(out)
    return struct.pack(_SCALAR_FMT[vtype], value)


class _Tensor:
    __slots__ = ("name", "shape", "dtype", "nbytes", "source")

    def __init__(self, name: str, shape: Sequence[int], dtype: str, nbytes: int, source: Callable[[], Iterable[bytes]]):
        self.name, self.shape, self.dtype, self.nbytes, self.source = name, tuple(int(d) for d in shape), dtype, nbytes, source


class GGUFWriter:
    def __init__(self, path: str, alignment: int = DEFAULT_ALIGNMENT):
        if alignment <= 0 or alignment % 8:
            raise ValueError("alignment must be a positive multiple of 8")
        self.path = path
        self.alignment = alignment
        self.kv: dict[str, bytes] = {}
        self.tensors: list[_Tensor] = []
        if alignment != DEFAULT_ALIGNMENT:
            self.add("general.alignment", alignment, GGUFValueType.UINT32)

    # -- metadata -------------------------------------------------------------------------------
    def add(self, key: str, value: Any, vtype: int | None = None, item_type: int | None = None) -> None:
        if key in self.kv:
            raise KeyError(f"duplicate metadata key {key}")
        vtype = _infer_type(value) if vtype is None else vtype
        self.kv[key] = _pack_string(key) + struct.pack("<I", vtype) + _pack_value(value, vtype, item_type)

    def add_array(self, key: str, values: Sequence[Any], item_type: int | None = None) -> None:
        self.add(key, values, GGUFValueType.ARRAY, item_type)

    # -- tensors --------------------------------------------------------------------------------
    def add_tensor(self, name: str, data: Any, shape: Sequence[int] | None = None, dtype: str | None = None) -> None:
        """data: a numpy array (float32/float16; shape and dtype taken from it unless given), a
        PyTorch tensor (converted through .numpy()), array('f'), a list of floats, or raw bytes."""
        if hasattr(data, "detach") and hasattr(data, "cpu"):  # torch.Tensor
            data = data.detach().cpu().numpy()
        if hasattr(data, "dtype") and hasattr(data, "tobytes") and hasattr(data, "shape"):  # numpy
            np_dtype = str(data.dtype)
            if dtype is None:
                dtype = "f16" if np_dtype == "float16" else "f32"
            want = "float16" if dtype == "f16" else "float32"
            if np_dtype != want:
                data = data.astype(want)
            if shape is None:
                shape = tuple(data.shape)
            raw = data.astype(data.dtype.newbyteorder("<"), copy=False).tobytes(order="C")
        else:
            dtype = dtype or "f32"
            if shape is None:
                raise ValueError(f"tensor {name}: shape is required for non-numpy data")
            if isinstance(data, (bytes, bytearray, memoryview)):
                raw = bytes(data)
            else:
                raw = pack_floats(data, dtype)
        self._add(name, shape, dtype, lambda raw=raw: [raw], len(raw))

    def add_tensor_chunks(self, name: str, shape: Sequence[int], dtype: str, chunks: Callable[[], Iterable[bytes]]) -> None:
        """A tensor whose bytes are produced at write time by chunks() (for models larger than memory)."""
        n = 1
        for d in shape:
            n *= int(d)
        self._add(name, shape, dtype, chunks, n * GGML_TYPES[dtype][1])

    def _add(self, name: str, shape: Sequence[int], dtype: str, source: Callable[[], Iterable[bytes]], nbytes: int) -> None:
        if dtype not in GGML_TYPES:
            raise ValueError(f"tensor {name}: unsupported dtype {dtype} (f32, f16)")
        if any(t.name == name for t in self.tensors):
            raise KeyError(f"duplicate tensor {name}")
        if len(name.encode()) >= 64:
            raise ValueError(f"tensor name too long for ggml (63 bytes max): {name}")
        if not 1 <= len(shape) <= 4:
            raise ValueError(f"tensor {name}: 1 to 4 dimensions")
        n = 1
        for d in shape:
            n *= int(d)
        if n * GGML_TYPES[dtype][1] != nbytes:
            raise ValueError(f"tensor {name}: {nbytes} bytes for shape {tuple(shape)} {dtype}")
        self.tensors.append(_Tensor(name, shape, dtype, nbytes, source))

    # -- output ---------------------------------------------------------------------------------
    def _pad(self, n: int) -> int:
        return (-n) % self.alignment

    def write(self) -> None:
        header = [GGUF_MAGIC, struct.pack("<IQQ", GGUF_VERSION, len(self.tensors), len(self.kv))]
        header.extend(self.kv.values())
        offset = 0
        for t in self.tensors:
            ne = list(reversed(t.shape))
            header.append(_pack_string(t.name) + struct.pack("<I", len(ne)) + struct.pack("<%dQ" % len(ne), *ne)
                          + struct.pack("<IQ", GGML_TYPES[t.dtype][0], offset))
            offset += t.nbytes + self._pad(t.nbytes)
        head = b"".join(header)
        tmp = self.path + ".partial"
        with open(tmp, "wb") as f:
            f.write(head)
            f.write(b"\0" * self._pad(len(head)))
            for t in self.tensors:
                written = 0
                for chunk in t.source():
                    f.write(chunk)
                    written += len(chunk)
                if written != t.nbytes:
                    raise ValueError(f"tensor {t.name}: wrote {written} bytes, expected {t.nbytes}")
                f.write(b"\0" * self._pad(t.nbytes))
        import os
        os.replace(tmp, self.path)


def pack_floats(values: Iterable[float], dtype: str) -> bytes:
    if dtype == "f32":
        a = array.array("f", values)
        if sys.byteorder != "little":
            a.byteswap()
        return a.tobytes()
    vals = list(values)
    return struct.pack("<%de" % len(vals), *vals)


# -- reader (metadata and tensor table; enough for tests and inspection) ---------------------------
def read_gguf(path: str) -> dict:
    """Returns {'version', 'metadata': {key: value}, 'tensors': [{'name','shape','dtype','offset'}],
    'data_offset'}; shapes are row-major (reversed ne), as given to the writer."""
    with open(path, "rb") as f:
        buf = f.read(64 << 20)
    pos = 0

    def take(fmt: str):
        nonlocal pos
        v = struct.unpack_from(fmt, buf, pos)
        pos += struct.calcsize(fmt)
        return v[0] if len(v) == 1 else v

    def string() -> str:
        nonlocal pos
        n = take("<Q")
        s = buf[pos:pos + n].decode("utf-8", errors="replace")
        pos += n
        return s

    def value(vtype: int):
        if vtype == GGUFValueType.STRING:
            return string()
        if vtype == GGUFValueType.ARRAY:
            it, n = take("<I"), take("<Q")
            return [value(it) for _ in range(n)]
        return take(_SCALAR_FMT[vtype])

    if buf[:4] != GGUF_MAGIC:
        raise ValueError(f"{path}: not a GGUF file")
    pos = 4
    version, n_tensors, n_kv = take("<I"), take("<Q"), take("<Q")
    md = {}
    for _ in range(n_kv):
        k = string()
        md[k] = value(take("<I"))
    names = {v[0]: k for k, v in GGML_TYPES.items()}
    tensors = []
    for _ in range(n_tensors):
        name = string()
        nd = take("<I")
        ne = [take("<Q") for _ in range(nd)]
        ttype, off = take("<I"), take("<Q")
        tensors.append({"name": name, "shape": tuple(reversed(ne)), "dtype": names.get(ttype, ttype), "offset": off})
    align = md.get("general.alignment", DEFAULT_ALIGNMENT)
    return {"version": version, "metadata": md, "tensors": tensors, "data_offset": pos + (-pos) % align}
