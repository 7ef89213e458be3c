import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger } from '../logger';
import { makeEvent } from './envelope';
import { RedisStreamsBus } from './redis-streams-bus';
import { collector, describeBusContract, numbered } from './test/bus-contract';
import { waitFor } from './test/wait';

const logger = createLogger(process.env.LOG_LEVEL ?? 'silent', 'test');
const url = process.env.REDIS_URL;
const fastRetry = { initialMs: 10, maxMs: 100 };

async function deleteStreams(topics: string[]): Promise<void> {
  if (!url || topics.length === 0) return;
  const redis = new Redis(url);
  try {
    await redis.del(...topics);
  } finally {
    redis.disconnect();
  }
}

if (url) {
  describeBusContract('Redis Streams', async () => ({
    bus: new RedisStreamsBus({ url, logger, retry: fastRetry }),
    cleanup: deleteStreams,
  }));

  describe('Redis Streams bus', () => {
    let bus: RedisStreamsBus;
    let redis: Redis;
    let topic: string;

    beforeEach(() => {
      redis = new Redis(url);
      topic = `test.bus.${randomUUID().slice(0, 8)}`;
    });

    afterEach(async () => {
      await bus.close();
      await redis.del(topic);
      redis.disconnect();
    });

    it('takes over the events a crashed consumer left pending, oldest first', async () => {
      bus = new RedisStreamsBus({ url, logger, retry: fastRetry, claimIdleMs: 200 });
      const group = 'loyalty';
      await redis.xgroup('CREATE', topic, group, '$', 'MKSTREAM');
      const events = [numbered('ORDER-1', 0), numbered('ORDER-1', 1), numbered('ORDER-2', 2)];
      await bus.publish(topic, events);
      // A consumer reads the events and dies before acknowledging them.
      const taken = (await redis.xreadgroup('GROUP', group, 'crashed-replica', 'COUNT', 10, 'STREAMS', topic, '>')) as [
        string,
        unknown[],
      ][];
      expect(taken[0]![1]).toHaveLength(3);

      const survivor = collector();
      await bus.subscribe(topic, { group }, survivor.handler);
      await waitFor(() => survivor.events.length >= 3, 'the pending events to be taken over');
      expect(survivor.events.map((e) => e.id)).toEqual(events.map((e) => e.id));
      await waitFor(
        async () => ((await redis.xpending(topic, group)) as [number])[0] === 0,
        'every entry acknowledged',
      );
    });

    it('destroys an ephemeral group when its subscription closes', async () => {
      bus = new RedisStreamsBus({ url, logger, retry: fastRetry });
      const sub = await bus.subscribe(topic, { group: 'gateway.fanout', ephemeral: true }, async () => {});
      await bus.subscribe(topic, { group: 'search' }, async () => {});
      const groupNames = async () =>
        ((await redis.xinfo('GROUPS', topic)) as unknown[][]).map((fields) =>
          String(fields[fields.indexOf('name') + 1]),
        );
      const before = await groupNames();
      expect(before).toContain('search');
      expect(before.filter((g) => g.startsWith('gateway.fanout.'))).toHaveLength(1);
      await sub.close();
      expect(await groupNames()).toEqual(['search']);
    });

    it('keeps an entry unacknowledged while its handler fails, and acknowledges it once handled', async () => {
      bus = new RedisStreamsBus({ url, logger, retry: { initialMs: 50, maxMs: 50 } });
      let attempts = 0;
      await bus.subscribe(topic, { group: 'flaky' }, async () => {
        attempts++;
        if (attempts < 4) throw new Error('not yet');
      });
      await bus.publish(topic, [makeEvent({ source: 'grocery/test', type: 'test.once', subject: 'X', data: {} })]);
      await waitFor(() => attempts >= 2, 'a retry');
      expect(((await redis.xpending(topic, 'flaky')) as [number])[0]).toBe(1);
      await waitFor(() => attempts >= 4, 'success');
      await waitFor(async () => ((await redis.xpending(topic, 'flaky')) as [number])[0] === 0, 'the acknowledgement');
    });

    it('rejects publish promptly when Redis is unreachable', async () => {
      bus = new RedisStreamsBus({ url: 'redis://127.0.0.1:1', logger, connectTimeoutMs: 200 });
      await expect(bus.publish(topic, [numbered('SKU-1', 1)])).rejects.toThrow(/not reachable/);
      expect(await bus.healthy()).toBe(false);
    });
  });
} else {
  describe.skip('Redis Streams bus (skipped: REDIS_URL not set)', () => {
    it('needs REDIS_URL', () => undefined);
  });
}
