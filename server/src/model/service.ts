// The model engine of a running language server, shared by every feature that needs a model
// (completion, KV cache, rewrites, the model commands): ctx.models.engine() returns the
// engine for the current `hotpath.model.*` settings, created on first use and replaced when those
// settings change. The status (backend, state, model, device, last error, counters) is pushed to
// the client as `hotpath/model/status` notifications for the status bar.
import { engineConfigFrom, modelSettingsOf } from './config';
import { EngineError, type EngineConfig, type EngineCounters, type EngineState, type ModelEngine } from './engine';
import { EmbeddedEngine } from './embedded/engine';
import { createEngine, engineKey } from './index';

export interface ModelStatus {
  backend: 'embedded' | 'remote';
  state: EngineState | 'unconfigured';
  /** The model's name when loaded, else the configured file name / remote model. */
  model: string | undefined;
  device: string | undefined;
  error: string | undefined;
  /** The FIM family, or 'none (prefix-only completion)' for a loaded model without FIM tokens. */
  fim: string | undefined;
  /** How completions are made: from the text before and after the cursor (FIM), or before it only. */
  completion: 'fim' | 'prefix-only' | undefined;
  counters: EngineCounters | undefined;
}

const PREFIX_ONLY = 'none (prefix-only completion: the model has no fill-in-the-middle tokens)';

export class ModelService {
  private current: { key: string; engine: ModelEngine; config: EngineConfig } | undefined;
  private apiKey: string | undefined;
  private readonly listeners = new Set<(s: ModelStatus) => void>();
  private lastInfo: { name: string; device: string; fim?: string; loaded: boolean } | undefined;

  constructor(
    /** The effective settings (restricted ones already dropped when the workspace is untrusted). */
    private readonly settings: () => Promise<Record<string, unknown>>,
    private readonly log: (m: string) => void = () => undefined,
    /** Workspace trust: untrusted, no API key is used (neither the stored one nor the environment's). */
    private readonly trusted: () => boolean = () => true,
  ) {}

  /** The API key for remote servers, from VS Code's secret storage (never from settings). */
  setApiKey(key: string | undefined): void {
    this.apiKey = key || undefined;
    void this.refresh();
  }

  async config(): Promise<EngineConfig> {
    const settings = await this.settings();
    const trusted = this.trusted();
    return engineConfigFrom(modelSettingsOf(settings), process.env, this.apiKey, { useCredentials: trusted });
  }

  /** The engine for the current settings (a new one when they changed; the old one is disposed). */
  async engine(): Promise<ModelEngine> {
    const config = await this.config();
    const key = engineKey(config);
    if (this.current?.key === key) return this.current.engine;
    const old = this.current;
    const engine = createEngine(config, { log: this.log });
    this.current = { key, engine, config };
    this.lastInfo = undefined;
    engine.onStateChange(() => {
      if (this.current?.engine !== engine) return;
      if (engine.state === 'ready') {
        void engine
          .info()
          .then((i) => {
            this.lastInfo = { name: i.name, device: i.device, fim: i.fim?.family, loaded: true };
            this.emit();
          })
          .catch(() => undefined);
      }
      this.emit();
    });
    if (old) void old.engine.dispose().catch(() => undefined);
    this.emit();
    return engine;
  }

  /** Re-read the settings (after a change): replace the engine only if its configuration changed. */
  async refresh(): Promise<void> {
    if (!this.current) {
      this.emit();
      return;
    }
    await this.engine().catch((err: Error) => this.log(`model configuration: ${err.message}`));
  }

  status(): ModelStatus {
    const c = this.current;
    if (!c) return { backend: 'embedded', state: 'idle', model: undefined, device: undefined, error: undefined, fim: undefined, completion: undefined, counters: undefined };
    const cfg = c.config;
    const configured = cfg.backend === 'remote' ? cfg.remote?.model || cfg.remote?.baseUrl : cfg.modelPath?.split(/[\\/]/).pop();
    const loaded = c.engine instanceof EmbeddedEngine ? c.engine.currentInfo() : undefined;
    return {
      backend: cfg.backend,
      state: configured ? c.engine.state : 'unconfigured',
      model: loaded?.name ?? this.lastInfo?.name ?? configured,
      device: loaded?.device ?? this.lastInfo?.device,
      error: c.engine.lastError,
      fim: loaded ? (loaded.fim?.family ?? PREFIX_ONLY) : this.lastInfo?.loaded ? (this.lastInfo.fim ?? PREFIX_ONLY) : undefined,
      completion: loaded || this.lastInfo?.loaded ? ((loaded?.fim ?? this.lastInfo?.fim) ? 'fim' : 'prefix-only') : undefined,
      counters: c.engine.counters(),
    };
  }

  onStatus(listener: (s: ModelStatus) => void): void {
    this.listeners.add(listener);
  }

  private emit(): void {
    const s = this.status();
    for (const l of this.listeners) l(s);
  }

  async dispose(): Promise<void> {
    await this.current?.engine.dispose();
    this.current = undefined;
  }
}

/** What the model service needs from its host (the language server's context satisfies it; the
 *  model layer does not depend on the server's types). */
export interface ModelServiceHost {
  /** `get()` gives the effective settings; `trusted` is the workspace trust (untrusted: no API key). */
  settings: { get(): Promise<unknown>; onDidChange(listener: () => void): unknown; readonly trusted: boolean };
  log(message: string): void;
}

/** The server's model service, following the host's settings (server.ts creates one, on the context). */
export function createModelService(host: ModelServiceHost): ModelService {
  const service = new ModelService(() => host.settings.get() as Promise<Record<string, unknown>>, host.log, () => host.settings.trusted);
  host.settings.onDidChange(() => void service.refresh());
  return service;
}

export { EngineError };
