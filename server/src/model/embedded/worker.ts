// The engine worker: a child process (forked by EmbeddedEngine) that owns node-llama-cpp, the model
// and every session's context. If it crashes or runs out of memory, only this process dies; the
// server reports it and forks a new one on the next request.
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import { FIM_FAMILIES } from '../fim';
import type { CountDelta, LoadedInfo, LoadParams, ParentMessage, WorkerMessage, WorkerRequest } from './protocol';
import { SESSION_KINDS } from './sessionKinds';
import type { WorkerSession, WorkerSessionHost } from './workerApi';

type NodeLlamaCpp = typeof import('node-llama-cpp');

// A real dynamic import() in the CommonJS bundle (node-llama-cpp is ESM-only); esbuild leaves a
// Function-made import alone.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<NodeLlamaCpp>;

/**
 * node-llama-cpp, or an error that says what to do: the packages for platforms the registry has no
 * engine binaries for (linux-armhf, the universal package) ship without it.
 */
async function importEngine(): Promise<NodeLlamaCpp> {
  try {
    return await importEsm('node-llama-cpp');
  } catch (err) {
    if ((err as { code?: string })?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    throw Object.assign(new Error(`this Hotpath package has no embedded model engine for ${process.platform}-${process.arch} (node-llama-cpp is not installed); use a model server instead: set hotpath.model.backend to "remote" and hotpath.model.remote.baseUrl`), { code: 'noEngine' });
  }
}

function send(msg: WorkerMessage): void {
  process.send?.(msg);
}

const log = (message: string) => send({ type: 'log', message });
const count = (delta: CountDelta) => send({ type: 'count', delta });

let lib: NodeLlamaCpp | undefined;
let llama: Llama | undefined;
let model: LlamaModel | undefined;
let params: LoadParams | undefined;
const sessions = new Map<number, { session: WorkerSession; context: LlamaContext; sequence: LlamaContextSequence }>();
let nextSession = 1;
const running = new Map<number, AbortController>();

function requireModel(): LlamaModel {
  if (!model) throw Object.assign(new Error('no model loaded'), { code: 'noModel' });
  return model;
}

function tokenize(text: string, special = false): Token[] {
  const m = requireModel();
  // Segments of a prompt are tokenized separately: never add SentencePiece's leading space.
  return special ? m.tokenize(text, true) : m.tokenize(text, false, 'trimLeadingSpace');
}

async function load(p: LoadParams, progress: (fraction: number) => void): Promise<LoadedInfo> {
  const t0 = performance.now();
  if (model && params && JSON.stringify(params) !== JSON.stringify(p)) await unloadAll();
  params = p;
  lib ??= await importEngine();
  if (!llama) {
    llama = await lib.getLlama({
      gpu: p.gpu === false ? false : p.gpu,
      maxThreads: p.threads,
      build: 'never',
      logLevel: lib.LlamaLogLevel.error,
      logger: (level, message) => {
        if (level === lib!.LlamaLogLevel.error || level === lib!.LlamaLogLevel.fatal) log(`llama.cpp: ${message.trim()}`);
      },
    });
  }
  model ??= await llama.loadModel({ modelPath: p.modelPath, gpuLayers: p.gpuLayers, onLoadProgress: progress });
  const m = model;
  const gpuDevices = llama.gpu ? await llama.getGpuDeviceNames().catch(() => []) : [];
  const present = new Set<string>();
  for (const fam of Object.values(FIM_FAMILIES)) {
    for (const s of [fam.prefix, fam.suffix, fam.middle, ...fam.stop, '▁' + fam.prefix]) {
      try {
        const t = m.tokenize(s, true);
        if (t.length === 1 && m.isSpecialToken(t[0])) present.add(s);
      } catch {
        /* not in this vocabulary */
      }
    }
  }
  const md = m.fileInfo.metadata as unknown as { general?: { name?: string } };
  const arch = m.fileInfo.architectureMetadata as unknown as { block_count?: number };
  const infill = m.tokens.infill;
  return {
    name: md.general?.name ?? p.modelPath.split(/[\\/]/).pop() ?? p.modelPath,
    gpu: llama.gpu,
    gpuDevices,
    gpuLayers: m.gpuLayers,
    totalLayers: Number(arch?.block_count ?? 0),
    trainContextSize: m.trainContextSize,
    vocabSize: vocabSize(m),
    parameters: m.fileInsights.totalParameters ?? undefined,
    sizeBytes: m.size,
    threads: p.threads,
    special: {
      bos: m.tokens.bos ?? undefined,
      eos: m.tokens.eos ?? undefined,
      eot: m.tokens.eot ?? undefined,
      fimPrefix: infill.prefix ?? undefined,
      fimSuffix: infill.suffix ?? undefined,
      fimMiddle: infill.middle ?? undefined,
    },
    fimPrefixToken: infill.prefixString ?? null,
    specialTokensPresent: [...present],
    loadMs: performance.now() - t0,
  };
}

function vocabSize(m: LlamaModel): number {
  const md = m.fileInfo.metadata as unknown as { tokenizer?: { ggml?: { tokens?: unknown[] } } };
  const arch = m.fileInfo.architectureMetadata as unknown as { vocab_size?: number };
  return Number(arch?.vocab_size ?? md.tokenizer?.ggml?.tokens?.length ?? 0);
}

async function unloadAll(): Promise<void> {
  for (const [id, s] of sessions) await closeSession(id, s);
  await model?.dispose();
  model = undefined;
}

async function closeSession(id: number, s = sessions.get(id)): Promise<void> {
  if (!s) return;
  sessions.delete(id);
  try {
    await s.session.dispose?.();
  } finally {
    await s.context.dispose();
  }
}

async function openSession(kind: string, contextSize: number, options: unknown): Promise<{ id: number; contextSize: number }> {
  const m = requireModel();
  const factory = SESSION_KINDS[kind];
  if (!factory) throw Object.assign(new Error(`unknown session kind "${kind}" (known: ${Object.keys(SESSION_KINDS).join(', ')})`), { code: 'unsupported' });
  const context = await m.createContext({
    contextSize,
    sequences: Math.max(1, factory.sequences ?? 1),
    threads: params!.threads,
    batchSize: params!.batchSize,
  });
  const sequence = context.getSequence();
  const host: WorkerSessionHost = {
    llama: llama!,
    model: m,
    context,
    sequence,
    contextSize: context.contextSize,
    threads: params!.threads,
    count,
    tokenize,
    detokenize: (tokens, special) => m.detokenize(tokens, special ?? false),
    log,
  };
  try {
    const session = await factory.create(host, options);
    const id = nextSession++;
    sessions.set(id, { session, context, sequence });
    return { id, contextSize: context.contextSize };
  } catch (err) {
    await context.dispose();
    throw err;
  }
}

async function handle(req: WorkerRequest, signal: AbortSignal, id: number): Promise<unknown> {
  switch (req.method) {
    case 'load':
      // progress events keep the engine's load timeout from firing while a large model loads
      return load(req.params, (fraction) => send({ type: 'event', id, event: { loadProgress: fraction } }));
    case 'tokenize':
      return tokenize(req.params.text, req.params.special);
    case 'detokenize':
      return requireModel().detokenize(req.params.tokens as Token[], req.params.special ?? false);
    case 'openSession':
      return openSession(req.params.kind, req.params.contextSize, req.params.options);
    case 'closeSession':
      await closeSession(req.params.session);
      return null;
    case 'call': {
      const s = sessions.get(req.params.session);
      if (!s) throw Object.assign(new Error(`session ${req.params.session} is closed`), { code: 'unsupported' });
      if (req.params.method === '__tokens') return s.session.tokens?.() ?? [...s.sequence.contextTokens];
      return s.session.call(req.params.method, req.params.args, { signal, emit: (event) => send({ type: 'event', id, event }) });
    }
    case 'stats': {
      const u = process.cpuUsage();
      return { cpuUs: u.user + u.system, rssBytes: process.memoryUsage().rss };
    }
    case 'shutdown':
      await unloadAll();
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on('message', (raw: ParentMessage) => {
  if (raw.type === 'cancel') {
    running.get(raw.id)?.abort();
    return;
  }
  if (raw.type !== 'req') return;
  const ac = new AbortController();
  running.set(raw.id, ac);
  handle(raw, ac.signal, raw.id).then(
    (result) => send({ type: 'res', id: raw.id, result }),
    (err: Error & { code?: string }) =>
      send({ type: 'res', id: raw.id, error: { message: err?.message ?? String(err), code: ac.signal.aborted ? 'aborted' : err?.code } }),
  ).finally(() => running.delete(raw.id));
});

// The parent went away: nothing left to serve.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
