import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createLogger } from '../logger';
import { makeEvent } from './envelope';
import { RedisStreamsBus } from './redis-streams-bus';
import { collector, consumerLag, describeBusContract, numbered } from './test/bus-contract';
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

    it("trims only what every group has acknowledged: a stopped consumer's unread events stay", async () => {
      // Retention 0: anything every group is done with may go at once.
      bus = new RedisStreamsBus({ url, logger, retry: fastRetry, retentionMs: 0, trimEveryMs: 0 });
      const fast = collector();
      await bus.subscribe(topic, { group: 'fast', from: 'latest' }, fast.handler);
      // A durable group that is not running (its service is down): nothing read yet.
      await redis.xgroup('CREATE', topic, 'stopped', '$', 'MKSTREAM');
      const events = Array.from({ length: 300 }, (_, i) => numbered(`SKU-${i % 7}`, i));
      for (let i = 0; i < events.length; i += 50) await bus.publish(topic, events.slice(i, i + 50));
      await waitFor(() => fast.events.length >= 300, 'the fast group to read everything');
      await bus.trimAcknowledged(topic);
      expect(await redis.xlen(topic)).toBe(300);

      // The stopped group comes back, reads and acknowledges everything: now it may all go.
      const late = collector();
      await bus.subscribe(topic, { group: 'stopped' }, late.handler);
      await waitFor(() => late.events.length >= 300, 'the returning group to catch up');
      expect(late.events.map((e) => e.data.n)).toEqual(events.map((e) => e.data.n));
      await waitFor(async () => {
        await bus.trimAcknowledged(topic);
        return (await redis.xlen(topic)) < 300;
      }, 'the acknowledged entries to be trimmed');
    });

    it('keeps events a group holds pending (handed out, not acknowledged) when trimming', async () => {
      bus = new RedisStreamsBus({ url, logger, retry: fastRetry, retentionMs: 0, trimEveryMs: 0 });
      await redis.xgroup('CREATE', topic, 'crashed', '$', 'MKSTREAM');
      await bus.publish(topic, [numbered('A', 1), numbered('A', 2), numbered('A', 3)]);
      // Read by a consumer that then dies: pending, last-delivered at the end of the stream.
      await redis.xreadgroup('GROUP', 'crashed', 'replica-1', 'COUNT', 10, 'STREAMS', topic, '>');
      await bus.trimAcknowledged(topic);
      expect(await redis.xlen(topic)).toBe(3);
    });

    it('names a group that lost unread events to the length cap', async () => {
      const lines: string[] = [];
      const recording = pino({ level: 'error' }, { write: (line: string) => void lines.push(line) });
      bus = new RedisStreamsBus({ url, logger: recording, retry: fastRetry, maxLen: 10, trimEveryMs: 0 });
      await redis.xgroup('CREATE', topic, 'asleep', '$', 'MKSTREAM');
      // XADD's MAXLEN ~ trims whole radix-tree nodes (100 entries by default): publish past one.
      for (let i = 0; i < 5; i++)
        await bus.publish(
          topic,
          Array.from({ length: 100 }, (_, j) => numbered('B', i * 100 + j)),
        );
      await waitFor(async () => {
        await bus.trimAcknowledged(topic);
        return lines.some((l) => l.includes('"group":"asleep"') && l.includes('before this consumer group read them'));
      }, 'the loss to be reported');
    });

    it('counts the lag itself where Redis cannot (an entry deleted among the unread ones)', async () => {
      // One entry per read, so the entries behind the held one stay undelivered.
      bus = new RedisStreamsBus({ url, logger, retry: fastRetry, batchSize: 1 });
      let release = () => undefined as void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const handled = collector();
      await bus.subscribe(topic, { group: 'slow' }, async (e) => {
        await held;
        await handled.handler(e);
      });
      try {
        await bus.publish(topic, [numbered('A', 0), numbered('A', 1), numbered('A', 2), numbered('A', 3)]);
        await waitFor(async () => ((await redis.xpending(topic, 'slow')) as [number])[0] === 1, 'the first handed out');
        const [, third] = (await redis.xrange(topic, '-', '+')).slice(1, 3).map(([id]) => id);
        await redis.xdel(topic, third!);
        // Redis 7 answers `lag` null here; before 7 there is no such field.
        const [info] = (await redis.xinfo('GROUPS', topic)) as unknown[][];
        if (info!.includes('lag')) expect(info![info!.indexOf('lag') + 1]).toBeNull();
        // One pending, two undelivered (the deleted one is not an event any more).
        expect(await consumerLag('redis', topic, 'slow')).toBe(3);
      } finally {
        release();
      }
      await waitFor(() => handled.events.length >= 3, 'the three left handled');
      await waitFor(async () => (await consumerLag('redis', topic, 'slow')) === 0, 'no lag');
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
