import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger } from '../logger';
import { createCacheFactory } from './create-cache-factory';
import type { CacheFactory } from './entity-cache';
import { MemorySlidingWindow, type SlidingWindow } from './sliding-window';

const logger = createLogger(process.env.LOG_LEVEL ?? 'silent', 'test');
const MINUTE = 60_000;

describe('in-process sliding window', () => {
  let now = 1_000_000;
  const window = () => new MemorySlidingWindow({ max: 3, windowSeconds: 60 }, () => now);

  it('takes up to max events per key within the window, then refuses with when to retry', async () => {
    const w = window();
    expect((await w.take('a', 2)).taken).toBe(true);
    now += 10_000;
    expect(await w.take('a', 1)).toMatchObject({ taken: true, count: 3 });
    now += 5_000;
    // Refused: nothing added, and one event must leave (the first two, at +0) for one more.
    expect(await w.take('a', 1)).toEqual({ taken: false, ids: [], count: 3, retryAfterMs: 45_000 });
    // Two more fit when both events of +0 s have left too; three more need the one at +10 s gone.
    expect((await w.take('a', 2)).retryAfterMs).toBe(45_000);
    expect((await w.take('a', 3)).retryAfterMs).toBe(55_000);
    expect((await w.take('b', 3)).taken).toBe(true);
    now += 45_000;
    expect(await w.take('a', 1)).toMatchObject({ taken: true, count: 2 });
  });

  it('forgets events given back', async () => {
    const w = window();
    const first = await w.take('a', 3);
    expect((await w.take('a', 1)).taken).toBe(false);
    await w.giveBack('a', first.ids.slice(0, 2));
    expect(await w.take('a', 2)).toMatchObject({ taken: true, count: 3 });
  });

  it('never takes more than max at once', async () => {
    expect(await window().take('a', 4)).toMatchObject({ taken: false, retryAfterMs: MINUTE });
  });
});

const url = process.env.REDIS_URL;
if (url) {
  describe('Redis sliding window', () => {
    const factories: CacheFactory[] = [];
    let namespace: string;
    /** A replica's window: its own connection, the shared Redis. */
    const replica = (max = 10, windowSeconds = 60): SlidingWindow => {
      const f = createCacheFactory({ REDIS_URL: url, CACHE_TTL_SECONDS: 60, CACHE_LRU_ENTRIES: 100 }, logger);
      factories.push(f);
      return f.slidingWindow(namespace, { max, windowSeconds });
    };

    beforeEach(() => {
      namespace = `test:${randomUUID().slice(0, 8)}:window`;
    });
    afterEach(async () => {
      await Promise.all(factories.splice(0).map((f) => f.close()));
      const redis = new Redis(url);
      const keys = await redis.keys(`${namespace}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });

    it('counts one budget across replicas, exactly under concurrency', async () => {
      const [a, b] = [replica(), replica()];
      const takes = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).take('client', 1)));
      expect(takes.filter((t) => t.taken)).toHaveLength(10);
      const refused = takes.find((t) => !t.taken)!;
      expect(refused.retryAfterMs).toBeGreaterThan(55_000);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
      expect((await a.take('another client', 10)).taken).toBe(true);
    });

    it('gives back events across replicas and lets them expire with the window', async () => {
      const [a, b] = [replica(2, 1), replica(2, 1)];
      const t = await a.take('client', 2);
      expect((await b.take('client', 1)).taken).toBe(false);
      await b.giveBack('client', t.ids.slice(0, 1));
      expect((await b.take('client', 1)).taken).toBe(true);
      expect((await a.take('client', 1)).taken).toBe(false);
      await new Promise((r) => setTimeout(r, 1_100));
      expect(await a.take('client', 2)).toMatchObject({ taken: true, count: 2 });
    });

    it('lets requests through, uncounted, when Redis cannot be reached', async () => {
      const f = createCacheFactory(
        { REDIS_URL: 'redis://127.0.0.1:1', CACHE_TTL_SECONDS: 60, CACHE_LRU_ENTRIES: 100 },
        logger,
      );
      try {
        const w = f.slidingWindow(namespace, { max: 1, windowSeconds: 60 });
        expect((await w.take('client', 1)).taken).toBe(true);
        expect((await w.take('client', 1)).taken).toBe(true);
      } finally {
        await f.close();
      }
    });
  });
}
