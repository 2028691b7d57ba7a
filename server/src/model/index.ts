// Entry point of the model layer: build the engine the settings ask for.
import { EmbeddedEngine, type EmbeddedEngineOptions } from './embedded/engine';
import { EngineError, type EngineConfig, type ModelEngine } from './engine';
import { RemoteEngine } from './remote/engine';

export * from './engine';
export { EmbeddedEngine } from './embedded/engine';
export { RemoteEngine } from './remote/engine';
export { engineConfigFrom, modelSettingsOf, defaultThreads } from './config';
export { detectFim, fimPromptText, fimPromptTokens, fimSegments, FIM_FAMILIES } from './fim';

export function createEngine(config: EngineConfig, options: EmbeddedEngineOptions = {}): ModelEngine {
  if (config.backend === 'remote') {
    if (!config.remote) throw new EngineError('hotpath.model.backend is "remote" but hotpath.model.remote.baseUrl is not set', 'noModel');
    return new RemoteEngine(config.remote, { fimTemplate: config.fimTemplate, contextSize: config.contextSize, log: options.log });
  }
  return new EmbeddedEngine(config, options);
}

/** A stable key of the parts of a config that need a new engine when they change. */
export function engineKey(c: EngineConfig): string {
  return JSON.stringify([c.backend, c.modelPath, c.gpu, c.gpuLayers, c.contextSize, c.threads, c.batchSize, c.fimTemplate, c.remote, c.loadTimeoutMs, c.maxMemoryBytes]);
}
