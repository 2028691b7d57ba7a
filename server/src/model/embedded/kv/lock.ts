// How a KV session schedules its work: foreground syncs and completions queue behind one FIFO lock
// that counts them, and background repair rests between chunks (its duty cycle) and stops when any
// foreground work waits.

/** Wait ms, or less when the signal aborts. */
export function rest(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A FIFO lock that counts foreground work queued or running (repair stops when there is any). */
export class Lock {
  private tail: Promise<void> = Promise.resolve();
  foreground = 0;
  async run<T>(fn: () => Promise<T>, foreground: boolean): Promise<T> {
    if (foreground) this.foreground++;
    const prev = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => (release = r));
    try {
      await prev;
      return await fn();
    } finally {
      if (foreground) this.foreground--;
      release();
    }
  }
}
