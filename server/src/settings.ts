// The client's `hotpath.*` settings, fetched through workspace/configuration and cached until
// the client says they changed.
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

export class SettingsStore {
  private cached: Promise<HotpathSettings> | undefined;
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly connection: Connection | undefined, private supportsConfiguration = false) {}

  enableConfiguration(supported: boolean): void {
    this.supportsConfiguration = supported;
  }

  get(): Promise<HotpathSettings> {
    this.cached ??= this.fetch();
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
