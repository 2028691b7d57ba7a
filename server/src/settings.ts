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
//
// The values are checked where they arrive (normalizeSettings): `"hotpath.ignore": "HP301"` (a string
// where a list is meant, an easy settings.json mistake; VS Code only underlines it and still sends it)
// is read as ["HP301"], items that are not rule codes are dropped, a size limit that is not a positive
// number takes its default, and the user is told once which setting was corrected and why.
import { MessageType, ShowMessageNotification, type Connection } from 'vscode-languageserver/node';
import { codeList } from './analysis/codeList';

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

/** The client's raw `hotpath` section with `select`, `ignore`, `maxFileSizeKB` and `enable` checked; `problems` names each correction. */
export function normalizeSettings(value: unknown): { settings: HotpathSettings; problems: string[] } {
  const raw = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const select = codeList(raw.select, 'hotpath.select');
  const ignored = codeList(raw.ignore, 'hotpath.ignore');
  const problems = [...select.problems, ...ignored.problems];
  let maxFileSizeKB = DEFAULT_SETTINGS.maxFileSizeKB;
  if (raw.maxFileSizeKB !== undefined && raw.maxFileSizeKB !== null) {
    if (typeof raw.maxFileSizeKB === 'number' && Number.isFinite(raw.maxFileSizeKB) && raw.maxFileSizeKB >= 1) maxFileSizeKB = raw.maxFileSizeKB;
    else problems.push(`hotpath.maxFileSizeKB is ignored: ${JSON.stringify(raw.maxFileSizeKB)} is not a number of KB of at least 1; using ${DEFAULT_SETTINGS.maxFileSizeKB}`);
  }
  const enable = typeof raw.enable === 'boolean' ? raw.enable : DEFAULT_SETTINGS.enable;
  if (raw.enable !== undefined && raw.enable !== null && typeof raw.enable !== 'boolean') problems.push(`hotpath.enable is ignored: ${JSON.stringify(raw.enable)} is not true or false`);
  return { settings: { ...DEFAULT_SETTINGS, ...raw, enable, select: select.codes, ignore: ignored.codes, maxFileSizeKB }, problems };
}

export class SettingsStore {
  private cached: Promise<HotpathSettings> | undefined;
  private readonly listeners: (() => void)[] = [];
  private trust = false;
  /** Problems already told to the user (each once per server). */
  private readonly told = new Set<string>();

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
      const { settings, problems } = normalizeSettings(await this.connection.workspace.getConfiguration('hotpath'));
      this.tell(problems);
      return settings;
    } catch {
      return { ...DEFAULT_SETTINGS };
    }
  }

  /** Settings problems the user has not been told about: a warning message (once each) and a log line. */
  private tell(problems: string[]): void {
    const fresh = problems.filter((p) => !this.told.has(p));
    if (!fresh.length || !this.connection) return;
    for (const p of fresh) this.told.add(p);
    const text = `Hotpath settings: ${fresh.join('; ')}.`;
    this.connection.console.warn(`[hotpath] ${text}`);
    void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: text }).catch(() => undefined);
  }
}
