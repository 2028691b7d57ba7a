// Model benchmark, measured side by side in one run: the embedded engine (node-llama-cpp in its
// worker process, through Hotpath's IPC protocol) next to node-llama-cpp used directly in this
// process on the same GGUF file, same threads and context: time to first token, prompt tokens/s and
// generated tokens/s at 512 / 2048 / 8192 tokens of context, cold and with KV reuse (an edit at the
// end of the prompt). The models are Hotpath's random-weight test models (same cost to run as
// trained ones): `tiny` (1 M parameters) at every length, `small` (32 M, f16) at 512 and 2048.
// Also the remote backend through the loopback OpenAI-compatible server (backed by the same tiny model).
// Environment: HOTPATH_BENCH_SHAPES=tiny,small  HOTPATH_BENCH_REPEAT=3  HOTPATH_BENCH_THREADS=N
import { DirectRunner, formatBenchReport, runBenchmark } from '../server/src/model/benchmark';
import { defaultThreads } from '../server/src/model/config';
import { EmbeddedEngine } from '../server/src/model/embedded/engine';
import type { EngineConfig } from '../server/src/model/engine';
import { RemoteEngine } from '../server/src/model/remote/engine';
import { TestCompletionServer } from '../server/src/model/remote/testServer';
import { ensureTestModel } from '../server/src/model/testModel';

const PLAN: Record<string, number[]> = { tiny: [512, 2048, 8192], small: [512, 2048] };

async function main(): Promise<void> {
  const shapes = (process.env.HOTPATH_BENCH_SHAPES ?? 'tiny,small').split(',').filter((s) => s in PLAN);
  const repeat = Number(process.env.HOTPATH_BENCH_REPEAT ?? 3);
  const threads = Number(process.env.HOTPATH_BENCH_THREADS ?? defaultThreads());
  for (const shape of shapes) {
    const modelPath = await ensureTestModel({ shape: shape as 'tiny' | 'small' });
    const contexts = PLAN[shape];
    const config: EngineConfig = {
      backend: 'embedded',
      modelPath,
      gpu: 'auto',
      gpuLayers: 'auto',
      contextSize: Math.max(...contexts) + 256,
      threads,
      idleUnloadMs: 0,
      fimTemplate: 'auto',
    };
    const engine = new EmbeddedEngine(config);
    const direct = new DirectRunner(config);
    await direct.load();
    const t0 = performance.now();
    const report = await runBenchmark(engine, { contexts, generate: 32, repeat }, direct);
    console.log(`\n[${shape}: ${((performance.now() - t0) / 1000).toFixed(0)} s]`);
    console.log(formatBenchReport(report));
    await engine.dispose();
  }

  // The remote backend over loopback HTTP (SSE streaming, cache_prompt), on the tiny model.
  const local = new EmbeddedEngine({ backend: 'embedded', modelPath: await ensureTestModel(), gpu: 'auto', gpuLayers: 'auto', contextSize: 2304, threads, idleUnloadMs: 0, fimTemplate: 'auto' });
  const server = new TestCompletionServer({ engine: local });
  const url = await server.start();
  const remote = new RemoteEngine({ baseUrl: url, model: 'hotpath-test', timeoutMs: 120_000, retries: 0, cachePrompt: true }, { contextSize: 2304 });
  const report = await runBenchmark(remote, { contexts: [512, 2048], generate: 32, repeat });
  console.log('\n[remote backend: loopback OpenAI-compatible server backed by the tiny model]');
  console.log(formatBenchReport(report));
  await server.stop();
  await local.dispose();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
