// The state every model engine reports (idle/loading/ready/failed), its last error, and listeners.
import type { Disposable, EngineState } from './engine';

export class EngineStateTracker {
  private current: EngineState = 'idle';
  private error: string | undefined;
  private readonly listeners = new Set<(s: EngineState) => void>();

  get state(): EngineState {
    return this.current;
  }

  get lastError(): string | undefined {
    return this.error;
  }

  onChange(listener: (s: EngineState) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The error is kept on 'failed', cleared on 'ready', left as it was otherwise. */
  set(s: EngineState, error?: string): void {
    this.error = s === 'failed' ? error : s === 'ready' ? undefined : this.error;
    if (s === this.current) return;
    this.current = s;
    for (const l of this.listeners) l(s);
  }

  clearListeners(): void {
    this.listeners.clear();
  }
}
