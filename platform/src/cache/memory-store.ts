// Memory-only cache store (embedded mode: one process, so nothing to invalidate elsewhere).
import { LRUCache } from 'lru-cache';
import { MemoryWindowCounter, type WindowCounter } from '../rate-limit/sliding-window';
import type { CacheStore } from './cache-store';

export class MemoryStore implements CacheStore {
  readonly kind = 'memory' as const;
  private readonly lru: LRUCache<string, string>;
  private readonly counter = new MemoryWindowCounter();

  constructor(maxEntries: number) {
    this.lru = new LRUCache<string, string>({ max: maxEntries });
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    return keys.map((k) => this.lru.get(k));
  }

  async setMany(entries: ReadonlyArray<readonly [string, string]>, ttlMs: number): Promise<void> {
    for (const [key, json] of entries) this.lru.set(key, json, { ttl: ttlMs });
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.lru.delete(key);
  }

  async ready(): Promise<void> {}

  async close(): Promise<void> {
    this.lru.clear();
    await this.counter.close();
  }

  windowCounter(): WindowCounter {
    return this.counter;
  }
}
