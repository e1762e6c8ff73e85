/**
 * Copies of values that cost a round trip (a Durable Object call, a D1 read), kept in this
 * isolate's memory for a short while. Concurrent misses share one load; a failed load is
 * forgotten at once; when the memo is full its oldest entry goes, so a flood of keys (guessed
 * ids, tokens) can not grow it without end.
 */
export class IsolateMemo<T> {
  private readonly entries = new Map<string, { until: number; value: Promise<T> }>();

  constructor(private readonly maxEntries = 10_000) {}

  /**
   * The copy for `key` while it is fresh; otherwise `load()`'s result, which everyone asking
   * meanwhile shares and which is then kept `keepMs(value)` milliseconds (0 or less: not kept).
   */
  get(
    key: string,
    load: () => Promise<T>,
    keepMs: (value: T) => number,
    now = Date.now(),
  ): Promise<T> {
    const known = this.entries.get(key);
    if (known && known.until > now) return known.value;
    const entry = { until: Number.POSITIVE_INFINITY, value: load() };
    this.put(key, entry);
    entry.value.then(
      (value) => {
        const keep = keepMs(value);
        if (keep > 0) entry.until = now + keep;
        else this.drop(key, entry);
      },
      () => this.drop(key, entry),
    );
    return entry.value;
  }

  /** Keeps a value learned some other way (e.g. from a write's answer) for `keepMs`. */
  set(key: string, value: T, keepMs: number, now = Date.now()): void {
    this.put(key, { until: now + keepMs, value: Promise.resolve(value) });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  private put(key: string, entry: { until: number; value: Promise<T> }): void {
    this.entries.delete(key); // re-inserted last: the map's order is oldest first
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value ?? '');
    }
  }

  /** Removes `entry` unless a newer one has taken its key meanwhile. */
  private drop(key: string, entry: { until: number; value: Promise<T> }): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }
}
