// The outbox under outages, against real PostgreSQL: nothing written while the bus is down
// is lost, reordered within a subject, or applied twice by an idempotent consumer.
import { randomUUID } from 'node:crypto';
import { createLogger } from '../logger';
import { createTestDatabase, type TestDatabase } from '../testing/database';
import type { Bus } from './bus';
import { makeEvent, type DomainEvent } from './envelope';
import { idempotentHandler } from './idempotent-handler';
import { InProcessBus } from './in-process-bus';
import { KafkaBus } from './kafka-bus';
import { appendToOutbox } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { RedisStreamsBus } from './redis-streams-bus';
import { PgSqlClient } from './test/pg-sql-client';
import { hasRedisServer, RedisServer } from './test/redis-server';
import { SwitchableBus } from './test/switchable-bus';
import { waitFor } from './test/wait';

const logger = createLogger(process.env.LOG_LEVEL ?? 'silent', 'test');
const fastRetry = { initialMs: 10, maxMs: 100 };
const SUBJECTS = ['SKU-A', 'SKU-B', 'SKU-C', 'SKU-D'];

let database: TestDatabase;
let db: PgSqlClient;

beforeAll(async () => {
  database = await createTestDatabase(['products']);
  db = PgSqlClient.connect(database.url, 'products');
  // What the consumer's effect writes: one row per effect, no uniqueness, so a duplicate shows.
  await db.$executeRawUnsafe(
    `CREATE TABLE stock_movement_test (id bigserial PRIMARY KEY, event_id text, subject text, n int)`,
  );
});

afterAll(async () => {
  await db?.end();
  await database?.drop();
});

beforeEach(async () => {
  await db.$executeRawUnsafe(`TRUNCATE outbox_event, processed_event, stock_movement_test RESTART IDENTITY`);
});

const count = async (sql: string): Promise<number> => {
  const [row] = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${sql}`);
  return row!.n;
};

/** Writes events the way a domain service does: each transaction appends its events. */
async function writeEvents(
  topic: string,
  from: number,
  total: number,
  perTransaction: number,
  relay: OutboxRelay,
): Promise<DomainEvent[]> {
  const written: DomainEvent[] = [];
  for (let i = from; i < from + total; i += perTransaction) {
    const events = Array.from({ length: Math.min(perTransaction, from + total - i) }, (_, k) =>
      makeEvent({
        source: 'grocery/test',
        type: 'stock.level_changed',
        subject: SUBJECTS[(i + k) % SUBJECTS.length]!,
        data: { n: i + k },
      }),
    );
    await db.$transaction(async (tx) => appendToOutbox(tx, topic, events));
    relay.wake();
    written.push(...events);
  }
  return written;
}

/** An idempotent consumer whose effect is a row per event; counts raw deliveries too. */
async function subscribeConsumer(bus: Bus, topic: string): Promise<{ deliveries: () => number }> {
  let deliveries = 0;
  const handle = idempotentHandler({
    db,
    consumer: 'stock.movements',
    handle: async (event, tx) => {
      await tx.$executeRawUnsafe(
        `INSERT INTO stock_movement_test (event_id, subject, n) VALUES ($1, $2, $3)`,
        event.id,
        event.subject,
        (event.data as { n: number }).n,
      );
    },
  });
  await bus.subscribe(topic, { group: 'stock.movements', from: 'earliest' }, async (event) => {
    deliveries++;
    await handle(event);
  });
  return { deliveries: () => deliveries };
}

async function expectEachAppliedOnceInOrder(written: readonly DomainEvent[]): Promise<void> {
  const rows = await db.$queryRawUnsafe<{ event_id: string; subject: string; n: number }[]>(
    `SELECT event_id, subject, n FROM stock_movement_test ORDER BY id`,
  );
  expect(rows).toHaveLength(written.length);
  expect(new Set(rows.map((r) => r.event_id))).toEqual(new Set(written.map((e) => e.id)));
  for (const subject of SUBJECTS) {
    const applied = rows.filter((r) => r.subject === subject).map((r) => r.n);
    const expected = written.filter((e) => e.subject === subject).map((e) => (e.data as { n: number }).n);
    expect(applied).toEqual(expected);
  }
  expect(await count(`processed_event WHERE consumer = 'stock.movements'`)).toBe(written.length);
}

/**
 * The bus goes down while 40 events are written; when it comes back, the relay crashes right
 * after its first publish (before marking the rows), so that batch goes out twice.
 */
async function outageThenCrashedRelay(inner: Bus): Promise<void> {
  const topic = `grocery.test.${randomUUID().slice(0, 8)}`;
  const bus = new SwitchableBus(inner);
  const consumer = await subscribeConsumer(bus, topic);
  const relay = new OutboxRelay({
    db,
    bus,
    logger,
    pollMs: 20,
    batchSize: 7,
    backoff: { initialMs: 10, maxMs: 100 },
  });
  relay.start();
  try {
    bus.down = true;
    const written = await writeEvents(topic, 0, 40, 4, relay);
    await waitFor(() => bus.rejectedPublishes >= 2, 'the relay to try and fail');
    expect(await count('outbox_event WHERE published_at IS NULL')).toBe(40);
    expect(consumer.deliveries()).toBe(0);

    bus.crashAfterNextPublish = true;
    bus.down = false;
    await waitFor(
      async () => (await count('outbox_event WHERE published_at IS NULL')) === 0,
      'every row marked published',
    );
    await waitFor(async () => (await count('stock_movement_test')) >= 40, 'every effect applied');

    // The crashed batch went out twice; the consumer saw the duplicates and ignored them.
    expect(bus.crashedBatchSize).toBe(7);
    await waitFor(() => consumer.deliveries() >= 47, 'the duplicates to arrive');
    expect(consumer.deliveries()).toBe(47);
    await expectEachAppliedOnceInOrder(written);
  } finally {
    await relay.stop();
    await bus.close();
  }
}

const kafkaBrokers = (process.env.KAFKA_BROKERS ?? '')
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean);

describe('outbox relay', () => {
  it('publishes everything written while the bus was down, in subject order, applied once despite a resent batch', () =>
    outageThenCrashedRelay(new InProcessBus({ logger, retry: fastRetry })));

  (kafkaBrokers.length > 0 ? it : it.skip)(
    `does the same through a real Kafka broker${kafkaBrokers.length > 0 ? '' : ' (skipped: KAFKA_BROKERS not set)'}`,
    () =>
      outageThenCrashedRelay(
        new KafkaBus({ brokers: kafkaBrokers, clientId: 'grocery-test', logger, numPartitions: 3, retry: fastRetry }),
      ),
  );

  (hasRedisServer ? it : it.skip)(
    `survives a real Redis outage and restart${hasRedisServer ? '' : ' (skipped: no redis-server binary)'}`,
    async () => {
      const server = await RedisServer.start();
      const topic = `grocery.test.${randomUUID().slice(0, 8)}`;
      const bus = new SwitchableBus(
        new RedisStreamsBus({ url: server.url, logger, retry: fastRetry, connectTimeoutMs: 200 }),
      );
      const relay = new OutboxRelay({
        db,
        bus,
        logger,
        pollMs: 20,
        batchSize: 10,
        backoff: { initialMs: 20, maxMs: 200 },
      });
      try {
        const consumer = await subscribeConsumer(bus, topic);
        relay.start();
        const beforeOutage = await writeEvents(topic, 0, 8, 2, relay);
        await waitFor(async () => (await count('stock_movement_test')) >= 8, 'events before the outage');

        await server.down();
        const rejectedBefore = await bus.healthy();
        expect(rejectedBefore).toBe(false);
        const duringOutage = await writeEvents(topic, 8, 32, 4, relay);
        // The relay keeps failing: every row written during the outage stays in the outbox.
        await waitFor(
          async () => (await count('outbox_event WHERE published_at IS NULL')) === 32,
          'the outage rows to pile up',
        );
        await server.up();
        bus.crashAfterNextPublish = true;

        await waitFor(
          async () => (await count('outbox_event WHERE published_at IS NULL')) === 0,
          'every row marked published',
        );
        await waitFor(async () => (await count('stock_movement_test')) >= 40, 'every effect applied');
        expect(bus.crashedBatchSize).toBeGreaterThan(0);
        await waitFor(() => consumer.deliveries() >= 40 + bus.crashedBatchSize, 'the resent batch to arrive');
        await expectEachAppliedOnceInOrder([...beforeOutage, ...duringOutage]);
      } finally {
        await relay.stop();
        await bus.close();
        await server.down();
      }
    },
  );

  it('lets only one relay per schema publish at a time', async () => {
    const topic = `grocery.test.${randomUUID().slice(0, 8)}`;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const published: string[] = [];
    const slowBus: Bus = {
      kind: 'in-process',
      publish: async (_t, events) => {
        await gate;
        published.push(...events.map((e) => e.id));
      },
      subscribe: () => Promise.reject(new Error('unused')),
      healthy: async () => true,
      close: async () => {},
    };
    const replicaA = new OutboxRelay({ db, bus: slowBus, logger });
    const replicaB = new OutboxRelay({ db, bus: slowBus, logger });
    const written = await writeEvents(topic, 0, 6, 3, replicaA);

    const first = replicaA.publishBatch();
    await waitFor(
      async () =>
        (await count(
          `pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        )) > 0,
      'replica A to hold the relay lock',
    );
    expect(await replicaB.publishBatch()).toBe(0);
    release();
    expect(await first).toBe(6);
    expect(await replicaB.publishBatch()).toBe(0);
    expect(published).toEqual(written.map((e) => e.id));
  });

  it('deletes rows published longer ago than the retention, and nothing else', async () => {
    const topic = `grocery.test.${randomUUID().slice(0, 8)}`;
    const bus = new InProcessBus({ logger });
    const relay = new OutboxRelay({ db, bus, logger, keepPublishedHours: 24 });
    await writeEvents(topic, 0, 6, 6, relay);
    expect(await relay.publishBatch()).toBe(6);
    await writeEvents(topic, 6, 2, 2, relay); // not yet published
    await db.$executeRawUnsafe(
      `UPDATE outbox_event SET published_at = now() - interval '25 hours' WHERE seq IN (SELECT seq FROM outbox_event WHERE published_at IS NOT NULL ORDER BY seq LIMIT 4)`,
    );
    expect(await relay.deletePublished()).toBe(4);
    expect(await count('outbox_event WHERE published_at IS NOT NULL')).toBe(2);
    expect(await count('outbox_event WHERE published_at IS NULL')).toBe(2);
    await bus.close();
  });
});

describe('idempotentHandler', () => {
  it('rolls back the "processed" mark with a failed effect, so the redelivery applies it once', async () => {
    let fail = true;
    const handler = idempotentHandler({
      db,
      consumer: 'users.loyalty',
      handle: async (event, tx) => {
        await tx.$executeRawUnsafe(
          `INSERT INTO stock_movement_test (event_id, subject, n) VALUES ($1, $2, 1)`,
          event.id,
          event.subject,
        );
        if (fail) throw new Error('points service timed out');
      },
    });
    const event = makeEvent({ source: 'grocery/test', type: 'order.placed', subject: 'ORDER-1', data: {} });
    await expect(handler(event)).rejects.toThrow(/timed out/);
    expect(await count('stock_movement_test')).toBe(0);
    expect(await count('processed_event')).toBe(0);
    fail = false;
    await handler(event);
    await handler(event);
    await Promise.all([handler(event), handler(event)]);
    expect(await count('stock_movement_test')).toBe(1);
    expect(await count(`processed_event WHERE consumer = 'users.loyalty'`)).toBe(1);
  });

  it('keeps consumers apart: the same event is applied once per consumer', async () => {
    const applied: string[] = [];
    const forConsumer = (consumer: string) =>
      idempotentHandler({ db, consumer, handle: async () => void applied.push(consumer) });
    const event = makeEvent({ source: 'grocery/test', type: 'order.placed', subject: 'ORDER-2', data: {} });
    await forConsumer('search')(event);
    await forConsumer('search')(event);
    await forConsumer('notifications')(event);
    expect(applied).toEqual(['search', 'notifications']);
  });
});
