// EntityCache over a CacheStore: prefixes keys with the namespace and (de)serialises values.
import type { Logger } from '../logger';
import { CacheValueError, decodeCacheValue, encodeCacheValue } from './cache-value';
import { countCacheLookups } from './cache-lookups';
import type { CacheStore } from './cache-store';
import type { EntityCache } from './entity-cache';

function ttlMs(ttlSeconds: number, namespace: string): number {
  if (!(ttlSeconds > 0) || !Number.isFinite(ttlSeconds)) {
    throw new CacheValueError(`cache ${namespace}: TTL must be a positive number of seconds, got ${ttlSeconds}`);
  }
  return Math.max(1, Math.round(ttlSeconds * 1000));
}

export class NamespacedCache<T> implements EntityCache<T> {
  private readonly prefix: string;

  constructor(
    private readonly store: CacheStore,
    readonly namespace: string,
    private readonly defaultTtlSeconds: number,
    private readonly logger: Logger,
    /** The namespace as code names it (without REDIS_PREFIX): the metrics label. */
    private readonly label = namespace,
  ) {
    if (!namespace || namespace.endsWith(':')) throw new Error(`invalid cache namespace "${namespace}"`);
    this.prefix = `${namespace}:`;
    ttlMs(defaultTtlSeconds, namespace);
  }

  async get(key: string): Promise<T | undefined> {
    const [value] = await this.getMany([key]);
    return value;
  }

  async getMany(keys: readonly string[]): Promise<(T | undefined)[]> {
    if (keys.length === 0) return [];
    const fullKeys = keys.map((k) => this.prefix + k);
    const found = await this.store.getMany(fullKeys);
    const hits = found.filter((json) => json !== undefined).length;
    countCacheLookups(this.label, hits, found.length - hits);
    return found.map((json, i) => {
      if (json === undefined) return undefined;
      try {
        return decodeCacheValue<T>(json);
      } catch (err) {
        // Someone else's bytes under our key: treat as a miss; the caller's set overwrites it.
        this.logger.warn({ err, key: fullKeys[i] }, 'unreadable cache entry; treating it as a miss');
        return undefined;
      }
    });
  }

  set(key: string, value: T, ttlSeconds?: number): Promise<void> {
    return this.setMany([[key, value]], ttlSeconds);
  }

  async setMany(entries: ReadonlyArray<readonly [key: string, value: T]>, ttlSeconds?: number): Promise<void> {
    const ttl = ttlMs(ttlSeconds ?? this.defaultTtlSeconds, this.namespace);
    // Encode everything first: one bad value fails the call before anything is written.
    const encoded = entries.map(([key, value]) => {
      const fullKey = this.prefix + key;
      return [fullKey, encodeCacheValue(fullKey, value)] as const;
    });
    if (encoded.length > 0) await this.store.setMany(encoded, ttl);
  }

  async loadMany(
    keys: readonly string[],
    loader: (missing: string[]) => Promise<ReadonlyMap<string, T>>,
    ttlSeconds?: number,
  ): Promise<(T | undefined)[]> {
    const cached = await this.getMany(keys);
    const missing = [...new Set(keys.filter((_, i) => cached[i] === undefined))];
    if (missing.length === 0) return cached;
    const loaded = await loader(missing);
    // Only what was asked for: a loader's extra entries are not this read's to cache.
    const found = missing.flatMap((key) => {
      const value = loaded.get(key);
      return value === undefined ? [] : [[key, value] as const];
    });
    if (found.length > 0) await this.setMany(found, ttlSeconds);
    return keys.map((key, i) => (cached[i] !== undefined ? cached[i] : loaded.get(key)));
  }

  async delete(keys: string | readonly string[]): Promise<void> {
    const list = typeof keys === 'string' ? [keys] : keys;
    if (list.length > 0) await this.store.delete(list.map((k) => this.prefix + k));
  }
}
