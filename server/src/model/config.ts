// Engine configuration from the client's `hotpath.model.*` settings (and the environment). The API
// key never comes from plain settings: the client passes it from VS Code's secret storage
// (hotpath/model/setApiKey), or it is read from HOTPATH_API_KEY / OPENAI_API_KEY.
import { availableParallelism } from 'node:os';
import type { EngineConfig, FimFamily } from './engine';
import { isFimFamily } from './fim';

export interface ModelSettings {
  backend?: string;
  path?: string;
  gpu?: string;
  gpuLayers?: string | number;
  contextSize?: number;
  threads?: number;
  batchSize?: number;
  idleUnloadMinutes?: number;
  loadTimeoutSeconds?: number;
  maxMemoryMB?: number;
  fimTemplate?: string;
  remote?: { baseUrl?: string; model?: string; timeoutSeconds?: number; retries?: number; cachePrompt?: boolean };
  download?: { url?: string; sha256?: string; directory?: string };
}

export const DEFAULT_CONTEXT_SIZE = 8192;

/** Threads when the setting is 0/absent: all cores but one (the editor and the server need one). */
export function defaultThreads(): number {
  return Math.max(1, Math.min(16, availableParallelism() - 1));
}

function num(v: unknown, fallback: number, min: number, max: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.floor(n))) : fallback;
}

/** The `model` section of the hotpath settings, whatever shape the client sent. */
export function modelSettingsOf(settings: Record<string, unknown> | undefined): ModelSettings {
  const m = settings?.model;
  return m && typeof m === 'object' ? (m as ModelSettings) : {};
}

/**
 * `useCredentials: false` (an untrusted workspace): no API key at all, neither the stored one nor
 * HOTPATH_API_KEY / OPENAI_API_KEY.
 */
export function engineConfigFrom(ms: ModelSettings, env: NodeJS.ProcessEnv = process.env, apiKey?: string, opts: { useCredentials?: boolean } = {}): EngineConfig {
  const useCredentials = opts.useCredentials !== false;
  const gpuSetting = String(ms.gpu ?? 'auto');
  const gpu: EngineConfig['gpu'] =
    gpuSetting === 'cpu' || gpuSetting === 'false' || gpuSetting === 'off' ? false : gpuSetting === 'cuda' || gpuSetting === 'vulkan' || gpuSetting === 'metal' ? gpuSetting : 'auto';
  const gl = ms.gpuLayers;
  const gpuLayers: EngineConfig['gpuLayers'] = gl === 'max' ? 'max' : typeof gl === 'number' || (typeof gl === 'string' && /^\d+$/.test(gl)) ? num(gl, 0, 0, 100000) : 'auto';
  const threads = num(ms.threads, 0, 0, 256) || defaultThreads();
  const remote = ms.remote ?? {};
  const baseUrl = (remote.baseUrl ?? env.HOTPATH_REMOTE_URL ?? '').trim();
  const backend = ms.backend === 'remote' ? 'remote' : 'embedded';
  const fim = ms.fimTemplate && isFimFamily(ms.fimTemplate) ? (ms.fimTemplate as FimFamily) : 'auto';
  return {
    backend,
    modelPath: (ms.path ?? env.HOTPATH_MODEL ?? '').trim() || undefined,
    gpu,
    gpuLayers,
    contextSize: num(ms.contextSize, DEFAULT_CONTEXT_SIZE, 64, 1 << 20),
    threads,
    batchSize: ms.batchSize ? num(ms.batchSize, 512, 16, 1 << 16) : undefined,
    idleUnloadMs: num(ms.idleUnloadMinutes, 10, 0, 24 * 60) * 60_000,
    loadTimeoutMs: num(ms.loadTimeoutSeconds, 120, 5, 3600) * 1000,
    maxMemoryBytes: num(ms.maxMemoryMB, 0, 0, 1 << 24) * 1024 * 1024,
    fimTemplate: fim,
    remote: baseUrl
      ? {
          baseUrl,
          model: (remote.model ?? env.HOTPATH_REMOTE_MODEL ?? '').trim(),
          apiKey: useCredentials ? apiKey || env.HOTPATH_API_KEY || env.OPENAI_API_KEY || undefined : undefined,
          timeoutMs: num(remote.timeoutSeconds, 30, 1, 3600) * 1000,
          retries: num(remote.retries, 2, 0, 10),
          cachePrompt: remote.cachePrompt !== false,
        }
      : undefined,
  };
}
