// The client's `hotpath.*` settings, fetched through workspace/configuration and cached until
// the client says they changed, and the workspace trust that decides which of them count.
//
// In an untrusted workspace the settings are the workspace's, and a workspace must not be able to
// send the user's code or credentials anywhere, or run anything, by its settings alone. The
// settings in RESTRICTED_SETTINGS are ignored by the server while the workspace is untrusted (they
// take their defaults), whatever the client sends; package.json lists the same settings in
// `restrictedConfigurations`, so VS Code itself ignores their workspace values too (a test keeps
// the two lists equal). No API key is used either: the model service passes the trust state to
// engineConfigFrom (model/config.ts), which then ignores the stored key and the environment's.
import type { Connection } from 'vscode-languageserver/node';

export interface HotpathSettings {
  enable: boolean;
  select: string[];
  ignore: string[];
  maxFileSizeKB: number;
  /** Every other `hotpath.*` section (execution, model, completion, …), as the client sends it. */
  [section: string]: unknown;
}

export const DEFAULT_SETTINGS: HotpathSettings = { enable: true, select: [], ignore: [], maxFileSizeKB: 2048 };

/**
 * Settings (under `hotpath.`) that send code or credentials somewhere, load a file the workspace
 * names, or run a program: ignored while the workspace is untrusted.
 */
export const RESTRICTED_SETTINGS = [
  'model.backend', // 'remote' sends the code to a server
  'model.remote.baseUrl', // which server (with the API key)
  'model.fimTemplate', // the prompt format sent to it
  'model.path', // a model file the workspace names (loaded and run by the inference engine)
  'model.download.url', // fetched from the network
  'model.download.directory', // written to
  'execution.python', // programs that run the user's code
  'execution.node',
  'execution.isolation', // how that code is isolated ('none' turns the sandbox off)
  'execution.allowUnsandboxed', // model-written code run without a sandbox
] as const;

/** The settings that count for this trust state: untrusted, the restricted ones take their defaults. */
export function effectiveSettings(raw: HotpathSettings, trusted: boolean): HotpathSettings {
  if (trusted) return raw;
  const out = structuredClone(raw);
  for (const path of RESTRICTED_SETTINGS) {
    const keys = path.split('.');
    let obj: unknown = out;
    for (const k of keys.slice(0, -1)) obj = obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[k] : undefined;
    if (obj && typeof obj === 'object') delete (obj as Record<string, unknown>)[keys[keys.length - 1]];
  }
  return out;
}


export class SettingsStore {
  private cached: Promise<HotpathSettings> | undefined;
  private readonly listeners: (() => void)[] = [];
  private trust = false;

  constructor(private readonly connection: Connection | undefined, private supportsConfiguration = false) {}

  enableConfiguration(supported: boolean): void {
    this.supportsConfiguration = supported;
  }

  /** VS Code workspace trust, as the client reports it: user code runs only when true. */
  get trusted(): boolean {
    return this.trust;
  }

  /** Trust changed: the effective settings change with it. */
  setTrusted(trusted: boolean): void {
    if (trusted === this.trust) return;
    this.trust = trusted;
    this.invalidate();
  }

  /** The effective settings for the current trust state. */
  get(): Promise<HotpathSettings> {
    this.cached ??= this.fetch().then((raw) => effectiveSettings(raw, this.trust));
    return this.cached;
  }

  invalidate(): void {
    this.cached = undefined;
    for (const l of this.listeners) l();
  }

  onDidChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private async fetch(): Promise<HotpathSettings> {
    if (!this.connection || !this.supportsConfiguration) return { ...DEFAULT_SETTINGS };
    try {
      const value = (await this.connection.workspace.getConfiguration('hotpath')) as Partial<HotpathSettings> | null;
      return { ...DEFAULT_SETTINGS, ...(value ?? {}) };
    } catch {
      return { ...DEFAULT_SETTINGS };
    }
  }
}
