// The one cache API: hot entity reads by key, namespaced, JSON values, evicted by the events
// that change them (TTL is only the safety net).
import type { Config } from '../config';
import type { RateLimiter, SlidingWindowOptions } from '../rate-limit/sliding-window';

export interface EntityCache<T> {
  /** Prefix of every key, e.g. "products:product" (keys become "products:product:<SKU>"). */
  readonly namespace: string;
  /** The cached value, or undefined on a miss. A cached `null` ("known absent") is returned as null. */
  get(key: string): Promise<T | undefined>;
  /** Values aligned with `keys` (undefined where missed), in one round trip to Redis. */
  getMany(keys: readonly string[]): Promise<(T | undefined)[]>;
  /** Caches `value` for `ttlSeconds` (default: the namespace's TTL). Throws CacheValueError for non-JSON values. */
  set(key: string, value: T, ttlSeconds?: number): Promise<void>;
  setMany(entries: ReadonlyArray<readonly [key: string, value: T]>, ttlSeconds?: number): Promise<void>;
  /**
   * Read-through, the one way to read entities through the cache: values aligned with `keys`,
   * the misses (each key once) loaded by one call to `loader` and cached for the next reader. A
   * key the loader returns nothing for comes back undefined and is not cached, so an entity
   * created later is found at once (cache null yourself to remember "known absent").
   */
  loadMany(
    keys: readonly string[],
    loader: (missing: string[]) => Promise<ReadonlyMap<string, T>>,
    ttlSeconds?: number,
  ): Promise<(T | undefined)[]>;
  /**
   * Evicts the keys on every replica. Rejects when the shared store cannot be reached, so an
   * event consumer calling it gets the event again and retries (reads and writes, in
   * contrast, degrade to misses: the cache is never the reason a read fails).
   */
  delete(keys: string | readonly string[]): Promise<void>;
}

export interface CacheFactory {
  /** "redis": LRU in front of Redis, invalidated across replicas; "memory": LRU only. */
  readonly kind: 'memory' | 'redis';
  /** A cache for one namespace; every namespace shares the factory's connections and LRU. */
  cache<T>(namespace: string, ttlSeconds?: number): EntityCache<T>;
  /**
   * A budget per key over a sliding window, in the same store: shared by every replica when it
   * is Redis (e.g. log-in attempts per email). Closed with the factory.
   */
  rateLimiter(options: SlidingWindowOptions): RateLimiter;
  /** Resolves once the cache is connected (and subscribed to invalidations); rejects if it cannot be. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export type CacheConfig = Pick<Config, 'REDIS_URL' | 'CACHE_TTL_SECONDS' | 'CACHE_LRU_ENTRIES'> &
  Partial<Pick<Config, 'REDIS_PREFIX'>>;
