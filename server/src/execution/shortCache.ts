// What the input sources read from a project (its files, class index, parsed modules) is kept a
// minute, so that a benchmark of every function of a file reads the project once, and then read
// again, so that edits are seen. Stale entries are dropped, not only ignored: the language server
// runs for days, and a cache that only replaced entries asked for again would keep every parsed file
// it ever touched.

/** A map whose entries live `ttlMs` after they were set; expired ones are removed on every set. */
export class ShortCache<K, V> {
  private readonly entries = new Map<K, { at: number; value: V }>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The value set for `key` less than `ttlMs` ago, else undefined. */
  get(key: K): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.now() - e.at < this.ttlMs) return e.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: K, value: V): void {
    const t = this.now();
    // Entries are in the order they were set (a key set again moves to the end), so the expired
    // ones are at the front.
    for (const [k, e] of this.entries) {
      if (t - e.at < this.ttlMs) break;
      this.entries.delete(k);
    }
    this.entries.delete(key);
    this.entries.set(key, { at: t, value });
  }

  get size(): number {
    return this.entries.size;
  }
}
