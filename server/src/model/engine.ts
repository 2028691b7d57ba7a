// The one interface in the server for everything that needs a model (completion, the edit-aware KV
// cache, verified rewrites, the model benchmark). Two backends implement it:
//   - EmbeddedEngine (embedded/engine.ts): node-llama-cpp on a GGUF file, in a child process
//     (embedded/worker.ts) so that loading, a native crash or running out of memory never freezes or
//     kills the language server; the next request restarts it.
//   - RemoteEngine (remote/engine.ts): an OpenAI-compatible /v1/completions server (vLLM, SGLang,
//     llama.cpp server, Ollama), prefix reuse through `cache_prompt`.
// createEngine(config) in model/index.ts picks one from the settings.
//
// Sessions. A session holds one token sequence and its KV cache. The built-in kind 'plain' offers
// evaluate / generate with longest-common-prefix reuse. Other kinds run INSIDE the engine worker,
// next to the model, created by a WorkerSessionFactory (see below) registered in
// embedded/sessionKinds.ts; the server talks to them with session.call(method, args), which carries
// JSON-serialisable arguments/results and streams events back. The remote backend only has 'plain'
// (no cache editing: it re-sends the prompt with cache_prompt: true and the server reuses the prefix).

export type BackendKind = 'embedded' | 'remote';

/** idle: nothing loaded yet / unloaded after the idle period; loading; ready; failed: the last load
 *  or the worker failed (message in lastError; the next request tries again). */
export type EngineState = 'idle' | 'loading' | 'ready' | 'failed';

export type FimFamily = 'qwen' | 'deepseek' | 'starcoder' | 'codellama';

export interface FimTokens {
  prefix: string;
  suffix: string;
  middle: string;
  /** Token strings that end a completion besides the model's EOS/EOT (pad, file separator, …). */
  stop: string[];
  /** Repository/file markers some families have (Qwen2.5-Coder, StarCoder2). */
  repoName?: string;
  fileSep?: string;
}

export interface FimInfo {
  family: FimFamily;
  tokens: FimTokens;
  /** Where the choice came from: the model's FIM token metadata, its vocabulary (the GGUF's special
   *  tokens, or a server's tokenizer with special parsing), or the setting. */
  source: 'metadata' | 'vocabulary' | 'setting';
}

export interface ModelInfo {
  backend: BackendKind;
  /** The GGUF path, or the remote model name. */
  model: string;
  /** general.name, or the file name, or the remote model name. */
  name: string;
  /** Human-readable device: "CPU (1 thread)", "CUDA: NVIDIA H200", "remote: http://127.0.0.1:8080". */
  device: string;
  /** The GPU backend node-llama-cpp picked (false: CPU), or 'remote'. */
  gpu: false | 'cuda' | 'vulkan' | 'metal' | 'remote';
  gpuDevices: string[];
  gpuLayers: number;
  totalLayers: number;
  /** Context size of sessions opened without an explicit one. */
  contextSize: number;
  trainContextSize: number;
  /** general.architecture ('llama', 'gemma3', 'qwen2', …); the remote backend: what /props says, if anything. */
  architecture?: string;
  /** The model has a chat template (an instruction model). */
  chatTemplate?: boolean;
  threads: number;
  vocabSize: number;
  parameters?: number;
  sizeBytes?: number;
  fim: FimInfo | undefined;
  /** Special token ids (embedded: from the model; remote: the FIM markers, from the server's tokenizer). */
  special: { bos?: number; eos?: number; eot?: number; fimPrefix?: number; fimSuffix?: number; fimMiddle?: number };
  loadMs?: number;
  /** What a remote server offers (remote backend only). */
  server?: RemoteServerInfo;
}

export interface RemoteServerInfo {
  /** A llama.cpp server (it answered /props): cache_prompt, return_progress, /infill, /slots. */
  llamaCpp: boolean;
  /** /tokenize works: prompts go as token ids tokenized without special-token parsing. */
  tokenizer: boolean;
  /** /infill will be used for FIM completions (the model has FIM tokens and the server has the route). */
  infill: boolean;
  /** Parallel slots; the context is per slot. */
  slots?: number;
  /** The model's names on the server (id and aliases). */
  names: string[];
}

/** The server's own figures for one request (llama.cpp `timings`). */
export interface ServerTimings {
  cacheTokens?: number;
  promptTokens?: number;
  promptMs?: number;
  promptTokensPerSecond?: number;
  generatedTokens?: number;
  generationMs?: number;
  generationTokensPerSecond?: number;
}

export interface EngineCounters {
  /** Prompt tokens run through the model (not counting reused ones). */
  tokensEvaluated: number;
  /** Prompt tokens served from a session's cache instead. */
  tokensReused: number;
  tokensGenerated: number;
  requests: number;
  /** Engine (re)starts: loads after the first, restarts after a crash. */
  restarts: number;
  last?: {
    timeToFirstTokenMs: number;
    promptTokens: number;
    reusedTokens: number;
    promptTokensPerSecond: number;
    generatedTokens: number;
    generationTokensPerSecond: number;
  };
}

export interface GenerateOptions {
  /** Token ids (what the session caches), or text: tokenized WITH special tokens parsed when
   *  `special` is true (templates), without otherwise (user text must not inject control tokens). */
  prompt: number[] | string;
  special?: boolean;
  maxTokens: number;
  /** 0 (default): greedy. */
  temperature?: number;
  topK?: number;
  topP?: number;
  seed?: number;
  /** Stop when the generated text contains one of these; the stop text is not returned. */
  stop?: string[];
  /** Also stop on these token ids (the model's end-of-generation tokens always stop). */
  stopTokens?: number[];
}

export interface GenerationChunk {
  text: string;
  tokens: number[];
}

export type StopReason = 'maxTokens' | 'eog' | 'stop' | 'aborted' | 'contextFull';

export interface GenerationResult {
  text: string;
  tokens: number[];
  stopReason: StopReason;
  promptTokens: number;
  /** Prompt tokens taken from the cache / evaluated now. */
  reusedTokens: number;
  evaluatedTokens: number;
  /** From the call to the first generated token (prompt evaluation included). */
  timeToFirstTokenMs: number;
  promptMs: number;
  generationMs: number;
  /** What the server measured itself (remote llama.cpp servers), beside the client-side figures above. */
  serverTimings?: ServerTimings;
}

/** A fill-in-the-middle request for engines that build the prompt themselves (llama-server's /infill). */
export interface InfillRequest {
  prefix: string;
  suffix: string;
  /** Other files as context. */
  files?: { path: string; text: string }[];
}

export interface EvaluateResult {
  reusedTokens: number;
  evaluatedTokens: number;
  ms: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Streamed events of a session call (generation chunks, progress). */
  onEvent?: (event: unknown) => void;
}

export interface EngineSession {
  readonly id: string;
  readonly kind: string;
  readonly contextSize: number;
  /** Make the cache hold exactly `tokens`: keep the longest common prefix, evaluate the rest. */
  evaluate(tokens: number[], signal?: AbortSignal): Promise<EvaluateResult>;
  /** Generate after `prompt` (reusing the cached prefix); chunks stream through onChunk. Aborting the
   *  signal stops generation and resolves with stopReason 'aborted' and what was generated so far. */
  generate(options: GenerateOptions, signal?: AbortSignal, onChunk?: (chunk: GenerationChunk) => void): Promise<GenerationResult>;
  /** Tokens the cache holds now (remote: the last prompt sent). */
  tokens(): Promise<number[]>;
  /** A method of a custom session kind (embedded backend only), run in the worker. */
  call<T = unknown>(method: string, args?: unknown, options?: CallOptions): Promise<T>;
  close(): Promise<void>;
}

export interface OpenSessionOptions {
  /** 'plain' (default) or a kind registered in embedded/sessionKinds.ts (e.g. the edit-aware KV cache). */
  kind?: string;
  /** Tokens of context for this session (default: the engine's contextSize). */
  contextSize?: number;
  /** Passed to the session kind's factory (JSON). */
  options?: unknown;
}

export interface Disposable {
  dispose(): void;
}

export interface ModelEngine {
  readonly backend: BackendKind;
  readonly state: EngineState;
  readonly lastError: string | undefined;
  onStateChange(listener: (state: EngineState) => void): Disposable;
  /** Loads the model (lazily, once) and describes it. */
  info(signal?: AbortSignal): Promise<ModelInfo>;
  tokenize(text: string, options?: { special?: boolean }): Promise<number[]>;
  detokenize(tokens: number[], options?: { special?: boolean }): Promise<string>;
  openSession(options?: OpenSessionOptions): Promise<EngineSession>;
  /** One-shot generation on a shared session (consecutive prompts with a common prefix reuse it). */
  generate(options: GenerateOptions, signal?: AbortSignal, onChunk?: (chunk: GenerationChunk) => void): Promise<GenerationResult>;
  /** Fill in the middle with the server's own FIM endpoint (only when info().server?.infill). The
   *  prefix and suffix go as separate fields: user text never becomes control tokens. */
  infill?(request: InfillRequest, options: Omit<GenerateOptions, 'prompt' | 'special'>, signal?: AbortSignal, onChunk?: (chunk: GenerationChunk) => void): Promise<GenerationResult>;
  counters(): EngineCounters;
  /** Free the model (the next request loads it again). */
  unload(): Promise<void>;
  dispose(): Promise<void>;
}

export interface RemoteConfig {
  /** e.g. http://127.0.0.1:8080 or http://host:8000/v1 (a trailing /v1 is optional). */
  baseUrl: string;
  /** Model name sent in requests (vLLM/SGLang need it; llama.cpp server ignores it). */
  model: string;
  /** From HOTPATH_API_KEY / OPENAI_API_KEY or VS Code secret storage, never from plain settings. */
  apiKey?: string;
  timeoutMs: number;
  retries: number;
  /** Send cache_prompt: true (llama.cpp server; ignored by others, which cache prefixes themselves). */
  cachePrompt: boolean;
}

export interface EngineConfig {
  backend: BackendKind;
  /** GGUF file for the embedded backend. */
  modelPath?: string;
  /** node-llama-cpp `gpu`: 'auto' picks CUDA, Vulkan or Metal when present, else CPU. */
  gpu: 'auto' | 'cuda' | 'vulkan' | 'metal' | false;
  /** Layers offloaded to the GPU: 'auto' (as many as fit), 'max', or a number. */
  gpuLayers: 'auto' | 'max' | number;
  contextSize: number;
  /** Threads for evaluation (always explicit: the library's default is hundreds of times slower on small machines). */
  threads: number;
  batchSize?: number;
  /** Unload the model after this many ms without requests (0: never). */
  idleUnloadMs: number;
  /** Give up loading after this many ms without load progress (default 120 000): the worker is killed. */
  loadTimeoutMs?: number;
  /** Kill the worker when its resident memory exceeds this (default: estimated from the model's
   *  size and KV cache, see embedded/limits.ts; 0 or absent: the estimate). */
  maxMemoryBytes?: number;
  /** 'auto' (from the model's metadata and tokens) or a family. */
  fimTemplate: 'auto' | FimFamily;
  remote?: RemoteConfig;
}

/** Errors the engine reports to users carry a stable code. */
export class EngineError extends Error {
  /** For 'contextFull': the context the prompt must fit (tokens per slot), when the server said. */
  contextSize?: number;
  constructor(
    message: string,
    readonly code:
      | 'noModel'
      | 'modelNotFound'
      | 'badModel'
      | 'loadFailed'
      | 'engineDied'
      | 'aborted'
      | 'connectionRefused'
      | 'timeout'
      | 'badResponse'
      | 'http'
      | 'unsupported'
      | 'contextFull'
      | 'internal',
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export function abortError(): EngineError {
  return new EngineError('cancelled', 'aborted');
}
