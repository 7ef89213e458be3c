import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger } from '../logger';
import { settle, waitFor } from '../events/test/wait';
import { createCacheFactory } from './create-cache-factory';
import type { CacheFactory } from './entity-cache';

const logger = createLogger(process.env.LOG_LEVEL ?? 'silent', 'test');
const url = process.env.REDIS_URL;

interface Product {
  sku: string;
  priceVnd: number;
}

if (url) {
  describe('LRU + Redis cache', () => {
    let redis: Redis;
    let namespace: string;
    let channel: string;
    const factories: CacheFactory[] = [];
    /** A replica's cache: its own connections and LRU, the shared Redis and channel. */
    const replica = async (lruTtlSeconds = 60) => {
      const f = createCacheFactory({ REDIS_URL: url, CACHE_TTL_SECONDS: 60, CACHE_LRU_ENTRIES: 1_000 }, logger, {
        lruTtlSeconds,
        invalidationChannel: channel,
      });
      factories.push(f);
      await f.ready();
      return f;
    };

    beforeEach(() => {
      redis = new Redis(url);
      // Unique per test: keys and invalidations of other tests (or processes) cannot interfere.
      namespace = `test:${randomUUID().slice(0, 8)}:product`;
      channel = `test:cache:${randomUUID().slice(0, 8)}`;
    });

    afterEach(async () => {
      await Promise.all(factories.splice(0).map((f) => f.close()));
      const keys = await redis.keys(`${namespace}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });

    it('stores namespaced JSON in Redis with the TTL, readable by another replica', async () => {
      const a = (await replica()).cache<Product>(namespace, 30);
      const b = (await replica()).cache<Product>(namespace, 30);
      expect((await replica()).kind).toBe('redis');
      await a.setMany([
        ['MILK-1L', { sku: 'MILK-1L', priceVnd: 32_000 }],
        ['EGG-10', { sku: 'EGG-10', priceVnd: 45_000 }],
      ]);
      expect(JSON.parse((await redis.get(`${namespace}:MILK-1L`))!)).toEqual({ sku: 'MILK-1L', priceVnd: 32_000 });
      const pttl = await redis.pttl(`${namespace}:MILK-1L`);
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(30_000);
      expect((await b.getMany(['EGG-10', 'NOPE', 'MILK-1L'])).map((p) => p?.priceVnd)).toEqual([
        45_000,
        undefined,
        32_000,
      ]);
      expect(await b.get('MILK-1L')).toEqual({ sku: 'MILK-1L', priceVnd: 32_000 });
    });

    it('serves repeat reads from the in-process LRU', async () => {
      const a = (await replica()).cache<Product>(namespace);
      await a.set('MILK-1L', { sku: 'MILK-1L', priceVnd: 32_000 });
      // Changed behind the cache's back: the LRU still answers, so reads did not go to Redis.
      await redis.set(`${namespace}:MILK-1L`, JSON.stringify({ sku: 'MILK-1L', priceVnd: 1 }));
      expect((await a.get('MILK-1L'))!.priceVnd).toBe(32_000);
    });

    it("evicts a deleted entry from every replica's LRU, not only from Redis", async () => {
      const writer = (await replica()).cache<Product>(namespace);
      const reader = (await replica()).cache<Product>(namespace);
      await writer.set('MILK-1L', { sku: 'MILK-1L', priceVnd: 32_000 });
      expect((await reader.get('MILK-1L'))!.priceVnd).toBe(32_000); // now in the reader's LRU
      // Prove the reader answers from its LRU: Redis says otherwise, the reader does not notice.
      await redis.set(`${namespace}:MILK-1L`, JSON.stringify({ sku: 'MILK-1L', priceVnd: 1 }));
      expect((await reader.get('MILK-1L'))!.priceVnd).toBe(32_000);

      await writer.delete(['MILK-1L']);
      expect(await redis.exists(`${namespace}:MILK-1L`)).toBe(0);
      expect(await writer.get('MILK-1L')).toBeUndefined();
      await waitFor(async () => (await reader.get('MILK-1L')) === undefined, "the eviction to reach the reader's LRU");

      // After eviction the reader sees the next value the writer caches.
      await writer.set('MILK-1L', { sku: 'MILK-1L', priceVnd: 29_000 });
      expect((await reader.get('MILK-1L'))!.priceVnd).toBe(29_000);
    });

    it('expires entries in Redis and in the LRU after their TTL', async () => {
      const a = (await replica()).cache<string>(namespace, 0.2);
      await a.set('SHORT', 'gone soon');
      await a.set('LONG', 'stays', 60);
      expect(await a.get('SHORT')).toBe('gone soon');
      await settle(500);
      expect(await a.get('SHORT')).toBeUndefined();
      expect(await redis.exists(`${namespace}:SHORT`)).toBe(0);
      expect(await a.get('LONG')).toBe('stays');
    });

    it('bounds LRU staleness by its own short TTL when an eviction is missed', async () => {
      const a = (await replica(0.2)).cache<Product>(namespace);
      await a.set('MILK-1L', { sku: 'MILK-1L', priceVnd: 32_000 });
      // A change that bypasses delete() (so no broadcast): the LRU copy lives only 0.2 s.
      await redis.set(`${namespace}:MILK-1L`, JSON.stringify({ sku: 'MILK-1L', priceVnd: 29_000 }));
      await settle(400);
      expect((await a.get('MILK-1L'))!.priceVnd).toBe(29_000);
    });

    it('degrades to misses when Redis is unreachable, and refuses to pretend an eviction happened', async () => {
      const down = createCacheFactory(
        { REDIS_URL: 'redis://127.0.0.1:1', CACHE_TTL_SECONDS: 60, CACHE_LRU_ENTRIES: 100 },
        logger,
      );
      factories.push(down);
      const c = down.cache<string>(namespace);
      await expect(c.set('K', 'v')).resolves.toBeUndefined();
      expect(await c.getMany(['K'])).toEqual([undefined]); // without the invalidation feed the LRU is not trusted
      await expect(c.delete(['K'])).rejects.toThrow(/not reachable/);
    });
  });
} else {
  describe.skip('LRU + Redis cache (skipped: REDIS_URL not set)', () => {
    it('needs REDIS_URL', () => undefined);
  });
}
