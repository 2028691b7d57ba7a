// Session kinds the engine worker can host (engine.openSession({ kind })). A kind is a factory run
// inside the worker process, next to the model. Add one with an import line and an entry here.
import { KV_SESSION_KIND, kvSessionFactory } from './kv/workerKind';
import { plainSessionFactory } from './plainSession';
import type { WorkerSessionFactory } from './workerApi';

export const SESSION_KINDS: Record<string, WorkerSessionFactory> = {
  plain: plainSessionFactory,
  /** The edit-aware KV cache (server/src/model/embedded/kv/, next to the model it runs on): sync, complete, repair, status. */
  [KV_SESSION_KIND]: kvSessionFactory,
};
