// The remote backend's suite (server/src/model/remote/suite.ts) against the real llama-server built
// from node-llama-cpp's llama.cpp: SmolLM2-135M-Instruct (no FIM tokens; chat markers) and the
// generated test model with Qwen FIM tokens served as "model.gguf".
import { remoteSuite } from '../../server/src/model/remote/suite';
import { startLlamaServer } from '../../server/src/model/remote/llamaServer';
import { fimTestModel, requireLlamaServer, serve, smollm2 } from './fixtures';

remoteSuite({
  name: 'the real llama-server',
  fimModel: async (o) => serve(await fimTestModel(), { ...o, slots: 2 }),
  prefixModel: async (o) => serve(await smollm2(), o),
  loadingModel: async () => {
    requireLlamaServer();
    const model = await smollm2();
    const s = await startLlamaServer({ model, contextSize: 2048, waitReady: false });
    return { url: s.url, id: model, alias: '', slotContext: 2048, stop: s.stop };
  },
  prefixModelMarkers: ['<|im_start|>', '<|im_end|>', '<repo_name>', '<file_sep>', '<filename>', '<gh_stars>', '<jupyter_code>'],
});
