// Chooses the cache store from configuration: LRU + Redis when REDIS_URL is set, else
// memory only. One store (one Redis connection pair, one LRU) serves every namespace.
import type { Logger } from '../logger';
import { SlidingWindowRateLimiter } from '../rate-limit/sliding-window';
import type { CacheStore } from './cache-store';
import type { CacheConfig, CacheFactory, EntityCache } from './entity-cache';
import { MemoryStore } from './memory-store';
import { NamespacedCache } from './namespaced-cache';
import { RedisStore } from './redis-store';

export interface CacheFactoryOptions {
  /**
   * Longest a replica serves an entry from its LRU without asking Redis. Evictions reach
   * every replica at once; this only bounds staleness when one is missed. Default 5 s.
   */
  lruTtlSeconds?: number;
  /** Pub/sub channel for evictions; replicas sharing a Redis must agree on it. */
  invalidationChannel?: string;
}

export function createCacheFactory(
  config: CacheConfig,
  logger: Logger,
  options: CacheFactoryOptions = {},
): CacheFactory {
  // REDIS_PREFIX keeps deployments (and test runs) sharing one Redis apart.
  const prefix = config.REDIS_PREFIX ?? '';
  const redis = config.REDIS_URL
    ? new RedisStore({
        url: config.REDIS_URL,
        logger,
        lruEntries: config.CACHE_LRU_ENTRIES,
        lruTtlMs: (options.lruTtlSeconds ?? 5) * 1000,
        channel: options.invalidationChannel ?? `${prefix || 'grocery:'}cache:invalidate`,
      })
    : undefined;
  const store: CacheStore = redis ?? new MemoryStore(config.CACHE_LRU_ENTRIES);
  return {
    kind: store.kind,
    cache: <T>(namespace: string, ttlSeconds?: number): EntityCache<T> =>
      new NamespacedCache<T>(store, prefix + namespace, ttlSeconds ?? config.CACHE_TTL_SECONDS, logger, namespace),
    rateLimiter: (options) => new SlidingWindowRateLimiter(store.windowCounter(), { ...options, prefix }),
    ready: () => store.ready(),
    close: () => store.close(),
  };
}
