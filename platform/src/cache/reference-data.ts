// Small, rarely changing tables read on every request (categories, locations): one query
// loads them all, kept in process for a short time. Concurrent callers share one load; a
// failed refresh keeps serving the previous copy until the next try.
export class ReferenceData<K, V> {
  private value?: Map<K, V>;
  private loadedAt = 0;
  private loading?: Promise<Map<K, V>>;

  constructor(
    private readonly loadAll: () => Promise<V[]>,
    private readonly keyOf: (v: V) => K,
    private readonly ttlMs = 30_000,
  ) {}

  async get(maxAgeMs = this.ttlMs): Promise<Map<K, V>> {
    if (this.value && Date.now() - this.loadedAt < maxAgeMs) return this.value;
    this.loading ??= this.loadAll()
      .then((rows) => {
        this.value = new Map(rows.map((r) => [this.keyOf(r), r]));
        this.loadedAt = Date.now();
        return this.value;
      })
      .catch((err) => {
        if (this.value) return this.value;
        throw err;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  /**
   * Values aligned with `keys` (null where absent). A key not in the copy triggers a reload
   * when the copy is over a second old, so a row added elsewhere shows up at once while
   * unknown keys cannot cause more than one query a second.
   */
  async many(keys: readonly K[]): Promise<(V | null)[]> {
    let all = await this.get();
    if (keys.some((k) => !all.has(k))) all = await this.get(1_000);
    return keys.map((k) => all.get(k) ?? null);
  }

  /** Forget the copy (after a write to the table in this process). */
  invalidate(): void {
    this.value = undefined;
  }
}
