// Loading node-llama-cpp and the generated test model in tests, the CLI and the benchmark
// (the engine worker loads them its own way).
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import type { Tokenizer } from './chunks';
import { layoutBatches, type Layout } from './layout';
import { generateGreedy, logitsAfter } from './llamaKv';

type NodeLlamaCpp = typeof import('node-llama-cpp');
// A real dynamic import() in CommonJS (node-llama-cpp is ESM-only); esbuild leaves it alone.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<NodeLlamaCpp>;

let llamaPromise: Promise<{ lib: NodeLlamaCpp; llama: Llama }> | undefined;

export function loadLlama(): Promise<{ lib: NodeLlamaCpp; llama: Llama }> {
  llamaPromise ??= (async () => {
    const lib = await importEsm('node-llama-cpp');
    const llama = await lib.getLlama({ gpu: false, build: 'never', logLevel: lib.LlamaLogLevel.error });
    return { lib, llama };
  })();
  return llamaPromise;
}

export async function loadModel(modelPath: string): Promise<LlamaModel> {
  const { llama } = await loadLlama();
  return llama.loadModel({ modelPath, gpuLayers: 0 });
}

/** A context for one edit-aware session: two sequences (main and repair scratch). */
export function createKvContext(model: LlamaModel, contextSize: number, threads = 1, sequences = 2, kvCacheType: 'F16' | 'F32' = 'F16'): Promise<LlamaContext> {
  return model.createContext({ contextSize, sequences, threads, batchSize: 512, experimentalKvCacheKeyType: kvCacheType, experimentalKvCacheValueType: kvCacheType });
}

/** Plain-text tokenizer of a model, the way prompt segments are tokenized (no leading space added). */
export function modelTokenizer(model: LlamaModel): Tokenizer & { special(text: string): number } {
  return {
    tokenize: (text: string) => (text ? Array.from(model.tokenize(text, false, 'trimLeadingSpace')) : []),
    special(text: string): number {
      const t = model.tokenize(text, true);
      if (t.length !== 1) throw new Error(`${text} is not a single token of this model`);
      return t[0] as Token;
    },
  };
}

/** A full recomputation of `tokens` in a batch-invariant layout (layout.ts) on `seq` (cleared first
 *  and after): the next-token logits after the last token and `greedy` tokens of greedy continuation,
 *  the reference a session in that layout equals bit for bit (an 'anchored' one: with its anchor). */
export async function fullInLayout(seq: LlamaContextSequence, tokens: readonly number[], layout: Layout, greedy = 0): Promise<{ logits: Float64Array; greedy: number[] }> {
  const n = tokens.length;
  await seq.clearHistory();
  try {
    for (const b of layoutBatches(layout, 0, n - 1, n)) await seq.evaluateWithoutGeneratingNewTokens(tokens.slice(b.start, b.end) as Token[]);
    const logits = await logitsAfter(seq, tokens[n - 1] as Token);
    return { logits, greedy: greedy > 0 ? await generateGreedy(seq, tokens[n - 1] as Token, greedy) : [] };
  } finally {
    await seq.clearHistory();
  }
}
