// What a custom session kind gets inside the engine worker process (next to the model), and what
// it must provide. Register a kind in sessionKinds.ts (one import line); the server then opens it
// with engine.openSession({ kind: '<name>', options }) and calls it with
// session.call(method, args, { signal, onEvent }).
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';

export interface WorkerSessionHost {
  llama: Llama;
  model: LlamaModel;
  /** A context created for this session alone (`factory.sequences` sequences, default 1), `contextSize` tokens each. */
  context: LlamaContext;
  sequence: LlamaContextSequence;
  contextSize: number;
  threads: number;
  /** Report work to the engine's counters (shown by the status bar and model-bench). */
  count(delta: { evaluated?: number; reused?: number; generated?: number; timeToFirstTokenMs?: number; promptMs?: number; generationMs?: number }): void;
  /** Tokenize text; special: parse control tokens (templates only, never user text). */
  tokenize(text: string, special?: boolean): Token[];
  detokenize(tokens: readonly Token[], special?: boolean): string;
  log(message: string): void;
}

export interface WorkerCallIO {
  /** Aborted when the server cancels the call (LSP cancellation, a newer keystroke, …). */
  signal: AbortSignal;
  /** Stream an event (JSON) to the caller's onEvent, e.g. generated text chunks. */
  emit(event: unknown): void;
}

export interface WorkerSession {
  /** Run `method` with JSON args; the JSON result goes back to the caller. Throw to report an error. */
  call(method: string, args: unknown, io: WorkerCallIO): Promise<unknown>;
  /** Tokens the sequence holds (for engine.tokens()). */
  tokens?(): Token[];
  dispose?(): Promise<void> | void;
}

export interface WorkerSessionFactory {
  /** Sequences the session's context needs (default 1). host.sequence is the first; take the
   *  others with host.context.getSequence(). */
  sequences?: number;
  create(host: WorkerSessionHost, options: unknown): Promise<WorkerSession> | WorkerSession;
}
