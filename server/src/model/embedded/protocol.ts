// Messages between EmbeddedEngine (language server / CLI process) and the engine worker process
// (child_process.fork, IPC channel, JSON). Every request gets exactly one response; streaming
// requests also send events with the same id before it; a cancel aborts the request's signal.
export type WorkerRequest =
  | { type: 'req'; id: number; method: 'load'; params: LoadParams }
  | { type: 'req'; id: number; method: 'tokenize'; params: { text: string; special?: boolean } }
  | { type: 'req'; id: number; method: 'detokenize'; params: { tokens: number[]; special?: boolean } }
  | { type: 'req'; id: number; method: 'openSession'; params: { kind: string; contextSize: number; options?: unknown } }
  | { type: 'req'; id: number; method: 'call'; params: { session: number; method: string; args?: unknown } }
  | { type: 'req'; id: number; method: 'closeSession'; params: { session: number } }
  | { type: 'req'; id: number; method: 'stats'; params: Record<string, never> }
  | { type: 'req'; id: number; method: 'shutdown'; params: Record<string, never> };

/** The worker process's resource use (for the benchmark's CPU-time comparison). */
export interface WorkerStats {
  /** User + system CPU time of the whole worker process (all its threads), microseconds. */
  cpuUs: number;
  rssBytes: number;
}

export type WorkerMethod = WorkerRequest['method'];

export type ParentMessage = WorkerRequest | { type: 'cancel'; id: number };

export type WorkerMessage =
  | { type: 'res'; id: number; result?: unknown; error?: { message: string; code?: string } }
  | { type: 'event'; id: number; event: unknown }
  | { type: 'count'; delta: CountDelta }
  | { type: 'log'; message: string }
  | { type: 'ready' };

export interface CountDelta {
  evaluated?: number;
  reused?: number;
  generated?: number;
  timeToFirstTokenMs?: number;
  promptMs?: number;
  generationMs?: number;
}

export interface LoadParams {
  modelPath: string;
  gpu: 'auto' | 'cuda' | 'vulkan' | 'metal' | false;
  gpuLayers: 'auto' | 'max' | number;
  threads: number;
  contextSize: number;
  batchSize?: number;
}

/** What the worker reports after loading (the engine adds FIM and backend facts). */
export interface LoadedInfo {
  name: string;
  gpu: false | 'cuda' | 'vulkan' | 'metal';
  gpuDevices: string[];
  gpuLayers: number;
  totalLayers: number;
  trainContextSize: number;
  vocabSize: number;
  parameters?: number;
  sizeBytes: number;
  threads: number;
  special: { bos?: number; eos?: number; eot?: number; fimPrefix?: number; fimSuffix?: number; fimMiddle?: number };
  fimPrefixToken: string | null;
  /** Which known FIM token strings are single special tokens of this vocabulary. */
  specialTokensPresent: string[];
  loadMs: number;
}
