// Whether a token decoded alone gets the cells a per-row ('vec') batch would give it: Layout.oneThread,
// decided from what the engine is instead of assumed. When it holds, a prompt's last token (decoded
// alone) is kept when the user types on, as prefix reuse keeps it, instead of being decoded again in a
// vec batch (the last 0.002x of the anchored layout's work over prefix reuse, bench/kv.md round 6).
//
// What a lone token's cells depend on, in the llama.cpp that node-llama-cpp 3.22.1 bundles (de3ff81,
// ggml/src/ggml-cpu), with flash attention on (every layout in layout.ts presumes it):
//  - attention: a lone token with at least 512 cells before it takes the split-KV kernel, one KV chunk
//    per thread (ops.cpp ggml_compute_forward_flash_attn_ext_f16): with one thread one chunk, the
//    per-row kernel's computation (round 5 measured it bit for bit on SmolLM2); with more, another sum.
//  - matrix products of the layers' weights: a batch of one token takes the per-row dot products
//    (ggml_vec_dot) whatever the weights' type, but a batch of two tokens or more may take another
//    kernel, which sums in another order: llamafile's sgemm (`n < 2` returns false), the repack
//    kernels, AMX, KleidiAI, each for some weight types and only where the CPU backend has it (the
//    features llama.cpp reports: `LLAMAFILE = 1`, ...), and on Arm with int8 matrix multiply the dot
//    products of some types take two rows at once.
// The token embeddings are read by row (the same for any batch) and the output layer computes only the
// logits read, for the last token alone in every layout, so only the blocks' weights count.

/** Kernels for batches of >= 2 tokens, by the CPU feature llama.cpp reports for them, and the weight
 *  types each takes (llamafile/sgemm.cpp llamafile_sgemm; repack.cpp ggml_repack_get_optimal_repack_type;
 *  amx/common.h qtype_has_amx_kernels; kleidiai/kleidiai.cpp; ggml-cpu.c type_traits_cpu nrows = 2). */
const BATCH_KERNELS: Readonly<Record<string, readonly string[]>> = {
  LLAMAFILE: ['F32', 'F16', 'BF16', 'Q8_0', 'Q4_0', 'Q5_0', 'IQ4_NL'],
  REPACK: ['Q1_0', 'Q4_0', 'Q4_K', 'Q5_K', 'Q6_K', 'Q2_K', 'IQ4_NL', 'MXFP4', 'Q8_0'],
  AMX_INT8: ['Q4_0', 'Q4_1', 'Q8_0', 'Q4_K', 'Q5_K', 'Q6_K', 'IQ4_XS'],
  KLEIDIAI: ['Q4_0', 'Q8_0'],
  MATMUL_INT8: ['Q4_0', 'Q4_1', 'Q8_0', 'Q4_K'],
};

/** The weight types whose product for a lone token and for a batch was checked in that source to be
 *  the same per-row dot product when no kernel of BATCH_KERNELS takes them; any other type is not
 *  assumed to be (the flag then stays off, which costs a token decoded again, never a wrong cell). */
const CHECKED_TYPES: readonly string[] = ['Q4_1', 'Q5_1'];

/** Architectures whose kernels were read: x86 (SSE3) and Arm (NEON). On others (POWER10's MMA sgemm
 *  takes single tokens too) the flag stays off. */
const CHECKED_ARCHITECTURES = ['SSE3', 'NEON'];

export interface EngineFacts {
  /** The most threads the context decodes with (node-llama-cpp LlamaContext.idealThreads). */
  threads: number;
  /** The types of the blocks' weight matrices (GGUF tensor types by name: 'Q4_1', ...). */
  weightTypes: readonly string[];
  /** llama.cpp's system info (node-llama-cpp Llama.systemInfo): "CPU : SSE3 = 1 | AVX = 1 | ... |". */
  systemInfo: string;
}

/** The CPU features llama.cpp reports as on. */
export function cpuFeatures(systemInfo: string): Set<string> {
  return new Set([...systemInfo.matchAll(/([A-Z0-9_]+) = 1\b/g)].map((m) => m[1]));
}

/** Whether a lone token's cells are a vec batch's (Layout.oneThread), and why. */
export function loneTokenIsVec(f: EngineFacts): { oneThread: boolean; why: string } {
  if (f.threads !== 1) return { oneThread: false, why: `${f.threads} threads: a lone token's attention is split between them` };
  const features = cpuFeatures(f.systemInfo);
  if (!CHECKED_ARCHITECTURES.some((a) => features.has(a))) return { oneThread: false, why: 'a CPU whose kernels were not checked' };
  const types = [...new Set(f.weightTypes)].sort();
  if (types.length === 0) return { oneThread: false, why: 'no weight types known' };
  for (const t of types) {
    if (!CHECKED_TYPES.includes(t)) return { oneThread: false, why: `${t} weights: not checked` };
    const kernel = Object.keys(BATCH_KERNELS).find((k) => features.has(k) && BATCH_KERNELS[k].includes(t));
    if (kernel) return { oneThread: false, why: `${t} weights: batches of two tokens or more take the ${kernel} kernel` };
  }
  return { oneThread: true, why: `one thread, ${types.join('/')} weights, no batch kernel for them on this CPU` };
}
