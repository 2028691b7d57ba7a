// `hotpath model-bench`: time to first token, prompt and generation speed at several context
// lengths, cold and with KV reuse, on the embedded engine (with node-llama-cpp used directly on the
// same model, side by side, for the engine's overhead) or on a remote OpenAI-compatible server.
import { DirectRunner, EngineRunner, formatBenchReport, processCpuUs, runBenchmark } from '../model/benchmark';
import { RemoteEngine } from '../model/remote/engine';
import { startLlamaServer, type RunningLlamaServer } from '../model/remote/llamaServer';
import { defaultThreads } from '../model/config';
import { EngineError, type EngineConfig } from '../model/engine';
import { createEngine } from '../model/index';
import { checkModelFile } from '../model/embedded/engine';
import { ensureTestModel, TEST_MODEL_SHAPES, type TestModelShape } from '../model/testModel';

export const usage = `Usage: hotpath model-bench [--model PATH | --test-model SHAPE | --remote URL] [options]

Measures time to first token, prompt tokens/s and generated tokens/s at several context lengths,
cold and with KV reuse (the same prompt with an edit at its end), on the named device.

  --model PATH          a GGUF model for the embedded engine (default: $HOTPATH_MODEL)
  --test-model SHAPE    generate Hotpath's random-weight model of this shape and use it
                        (tiny, small, deepseek-1.3b, qwen-1.5b, deepseek-6.7b; needs python3)
  --remote URL          an OpenAI-compatible server instead (API key from $HOTPATH_API_KEY or $OPENAI_API_KEY)
  --remote-model NAME   the model name to request from the server
  --contexts LIST       prompt lengths in tokens (default 512,2048,8192)
  --generate N          tokens generated per measurement (default 32)
  --repeat N            repetitions per cell, median reported (default 3)
  --threads N           evaluation threads (default: cores - 1 = ${defaultThreads()})
  --gpu auto|cuda|vulkan|metal|cpu   (default auto)
  --gpu-layers auto|max|N            (default auto)
  --no-direct           skip the direct node-llama-cpp baseline
  --llama-server        also measure llama-server (scripts/llama-server/build.sh) serving the same
                        --model file with the same threads, as a remote backend, in the same run
  --format text|json    (default text)`;

class ArgError extends Error {}

function parse(argv: string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  const flags = new Set(['no-direct', 'llama-server']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new ArgError(`unexpected argument ${a}`);
    const [k, inline] = a.slice(2).split('=', 2);
    if (flags.has(k)) out[k] = true;
    else {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new ArgError(`--${k} needs a value`);
      out[k] = v;
    }
  }
  return out;
}

function positiveInt(v: string | boolean | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new ArgError(`--${name} must be a positive integer`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  let a: Record<string, string | boolean>;
  try {
    a = parse(argv);
  } catch (err) {
    console.error(`hotpath model-bench: ${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  const known = new Set(['model', 'test-model', 'remote', 'remote-model', 'contexts', 'generate', 'repeat', 'threads', 'gpu', 'gpu-layers', 'no-direct', 'llama-server', 'format']);
  const unknown = Object.keys(a).filter((k) => !known.has(k));
  if (unknown.length) {
    console.error(`hotpath model-bench: unknown option --${unknown[0]}\n\n${usage}`);
    return 2;
  }
  try {
    const contexts = String(a.contexts ?? '512,2048,8192')
      .split(',')
      .map((s) => positiveInt(s.trim(), 'contexts', 0));
    const generate = positiveInt(a.generate, 'generate', 32);
    const repeat = positiveInt(a.repeat, 'repeat', 3);
    const threads = positiveInt(a.threads, 'threads', defaultThreads());
    const gpuArg = String(a.gpu ?? 'auto');
    if (!['auto', 'cuda', 'vulkan', 'metal', 'cpu'].includes(gpuArg)) throw new ArgError('--gpu must be auto, cuda, vulkan, metal or cpu');
    const gl = String(a['gpu-layers'] ?? 'auto');
    const gpuLayers = gl === 'auto' || gl === 'max' ? gl : positiveInt(gl, 'gpu-layers', 0);
    const format = String(a.format ?? 'text');
    if (format !== 'text' && format !== 'json') throw new ArgError('--format must be text or json');
    let modelPath = typeof a.model === 'string' ? a.model : process.env.HOTPATH_MODEL;
    if (typeof a['test-model'] === 'string') {
      const shape = a['test-model'] as TestModelShape;
      if (!TEST_MODEL_SHAPES.includes(shape)) throw new ArgError(`--test-model must be one of ${TEST_MODEL_SHAPES.join(', ')}`);
      if (format === 'text') console.error(`generating the ${shape} test model…`);
      modelPath = await ensureTestModel({ shape });
    }
    const remote = typeof a.remote === 'string' ? a.remote : undefined;
    if (!remote && !modelPath) throw new ArgError('give --model PATH, --test-model SHAPE or --remote URL (or set HOTPATH_MODEL)');
    const config: EngineConfig = {
      backend: remote ? 'remote' : 'embedded',
      modelPath,
      gpu: gpuArg === 'cpu' ? false : (gpuArg as EngineConfig['gpu']),
      gpuLayers,
      contextSize: Math.max(...contexts) + 256,
      threads,
      idleUnloadMs: 0,
      fimTemplate: 'auto',
      remote: remote
        ? { baseUrl: remote, model: String(a['remote-model'] ?? ''), apiKey: process.env.HOTPATH_API_KEY ?? process.env.OPENAI_API_KEY, timeoutMs: 600_000, retries: 1, cachePrompt: true }
        : undefined,
    };
    const engine = createEngine(config, { log: (m) => format === 'text' && console.error(m) });
    let direct: DirectRunner | undefined;
    let llamaServer: RunningLlamaServer | undefined;
    let serverRunner: EngineRunner | undefined;
    try {
      if (a['llama-server']) {
        if (remote || !modelPath) throw new ArgError('--llama-server needs --model PATH (it serves the same file)');
        llamaServer = await startLlamaServer({ model: modelPath, contextSize: config.contextSize, threads, slots: 1 });
        const served = new RemoteEngine({ baseUrl: llamaServer.url, model: '', timeoutMs: 600_000, retries: 1, cachePrompt: true }, { contextSize: config.contextSize });
        const pid = llamaServer.process.pid;
        serverRunner = new EngineRunner(served, undefined, 'server', pid ? () => processCpuUs(pid) : undefined);
      }
      if (!remote && !a["no-direct"]) {
        checkModelFile(modelPath); // a crafted header must not reach node-llama-cpp in this process
        direct = new DirectRunner(config);
        await direct.load();
      }
      const report = await runBenchmark(engine, {
        contexts,
        generate,
        repeat,
        onProgress: (m) => format === 'text' && process.stderr.isTTY && process.stderr.write(`\r\x1b[K${m}`),
      }, direct, serverRunner);
      if (format === 'text' && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      console.log(format === 'json' ? JSON.stringify(report, null, 2) : formatBenchReport(report));
      return 0;
    } finally {
      await engine.dispose();
      await llamaServer?.stop();
    }
  } catch (err) {
    if (err instanceof ArgError) {
      console.error(`hotpath model-bench: ${err.message}\n\n${usage}`);
      return 2;
    }
    const msg = err instanceof EngineError ? err.message : (err as Error).stack ?? String(err);
    console.error(`hotpath model-bench: ${msg}`);
    return 1;
  }
}
