// The Kafka adapter's own logic (message mapping, offset resolution, pinning "latest") against
// a stand-in for kafkajs, so it is exercised even where no broker runs. The behaviour of a real
// broker is covered by kafka-bus.test.ts when KAFKA_BROKERS is set.
import type { EachBatchPayload } from 'kafkajs';
import { createLogger } from '../logger';
import { KafkaBus } from './kafka-bus';
import { numbered } from './test/bus-contract';
import { waitFor } from './test/wait';

interface FakeConsumer {
  groupId: string;
  subscribed?: { topics: string[]; fromBeginning: boolean };
  runConfig?: { eachBatch: (p: EachBatchPayload) => Promise<void>; eachBatchAutoResolve?: boolean };
  seeks: { topic: string; partition: number; offset: string }[];
  disconnected: boolean;
}

const fake = {
  producerConfig: undefined as Record<string, unknown> | undefined,
  sent: [] as {
    topic: string;
    acks: number;
    messages: { key: string; value: string; headers: Record<string, string> }[];
  }[],
  createdTopics: [] as { topic: string; numPartitions: number }[],
  deletedGroups: [] as string[],
  consumers: [] as FakeConsumer[],
  committedOffset: '-1',
};

jest.mock('kafkajs', () => {
  const actual = jest.requireActual('kafkajs');
  class Kafka {
    producer(config: Record<string, unknown>) {
      fake.producerConfig = config;
      return {
        connect: async () => undefined,
        send: async (record: (typeof fake.sent)[number]) => void fake.sent.push(record),
        disconnect: async () => undefined,
      };
    }
    admin() {
      return {
        connect: async () => undefined,
        disconnect: async () => undefined,
        createTopics: async ({ topics }: { topics: { topic: string; numPartitions: number }[] }) => {
          fake.createdTopics.push(...topics);
          return true;
        },
        fetchTopicOffsets: async () => [
          { partition: 0, offset: '7', high: '7', low: '0' },
          { partition: 1, offset: '3', high: '3', low: '0' },
        ],
        fetchOffsets: async ({ topics }: { topics: string[] }) => [
          {
            topic: topics[0],
            partitions: [
              { partition: 0, offset: fake.committedOffset },
              { partition: 1, offset: fake.committedOffset },
            ],
          },
        ],
        deleteGroups: async (ids: string[]) => void fake.deletedGroups.push(...ids),
        describeCluster: async () => ({ brokers: [{ nodeId: 1 }] }),
      };
    }
    consumer({ groupId }: { groupId: string }) {
      const listeners = new Map<string, (e: unknown) => void>();
      const state: FakeConsumer = { groupId, seeks: [], disconnected: false };
      fake.consumers.push(state);
      return {
        events: { GROUP_JOIN: 'consumer.group_join' },
        connect: async () => undefined,
        subscribe: async (s: FakeConsumer['subscribed']) => void (state.subscribed = s),
        on: (event: string, listener: (e: unknown) => void) => {
          listeners.set(event, listener);
          return () => listeners.delete(event);
        },
        run: async (config: FakeConsumer['runConfig']) => {
          state.runConfig = config;
          // This member is assigned partition 0 only.
          listeners.get('consumer.group_join')?.({
            payload: { memberAssignment: { [state.subscribed!.topics[0]!]: [0] } },
          });
        },
        seek: (s: FakeConsumer['seeks'][number]) => void state.seeks.push(s),
        disconnect: async () => void (state.disconnected = true),
      };
    }
  }
  return { ...actual, Kafka };
});

const logger = createLogger(process.env.LOG_LEVEL ?? 'silent', 'test');

function batchOf(events: ReturnType<typeof numbered>[], resolved: string[], running = () => true): EachBatchPayload {
  return {
    batch: {
      topic: 'grocery.stock',
      partition: 0,
      messages: events.map((e, i) => ({ offset: String(i), value: Buffer.from(JSON.stringify(e)) })),
    },
    resolveOffset: (offset: string) => void resolved.push(offset),
    heartbeat: async () => undefined,
    isRunning: running,
    isStale: () => false,
  } as unknown as EachBatchPayload;
}

describe('Kafka adapter (kafkajs stand-in, no broker)', () => {
  let bus: KafkaBus;
  beforeEach(() => {
    fake.sent = [];
    fake.createdTopics = [];
    fake.deletedGroups = [];
    fake.consumers = [];
    fake.committedOffset = '-1';
    bus = new KafkaBus({
      brokers: ['127.0.0.1:9092'],
      clientId: 'grocery-test',
      logger,
      numPartitions: 4,
      retry: { initialMs: 5, maxMs: 20 },
    });
  });
  afterEach(() => bus.close());

  it('publishes from an idempotent producer, keyed by subject, the envelope as JSON, CloudEvents headers, acks from all', async () => {
    const events = [numbered('SKU-1', 0), numbered('SKU-2', 1)];
    await bus.publish('grocery.stock', events);
    await bus.publish('grocery.stock', [numbered('SKU-1', 2)]);
    expect(fake.producerConfig).toMatchObject({ idempotent: true, maxInFlightRequests: 1 });
    expect(fake.createdTopics).toEqual([expect.objectContaining({ topic: 'grocery.stock', numPartitions: 4 })]);
    expect(fake.sent).toHaveLength(2);
    expect(fake.sent[0]!.acks).toBe(-1);
    expect(fake.sent[0]!.messages).toEqual(
      events.map((e) => ({
        key: e.subject,
        value: JSON.stringify(e),
        headers: { ce_specversion: '1.0', ce_id: e.id, ce_type: e.type, ce_source: e.source },
      })),
    );
  });

  it('resolves each offset only after its handler succeeded, retrying a failure in place', async () => {
    const handled: number[] = [];
    let failures = 0;
    await bus.subscribe('grocery.stock', { group: 'search', from: 'earliest' }, async (e) => {
      const n = (e.data as { n: number }).n;
      if (n === 1 && failures++ < 2) throw new Error('index unavailable');
      handled.push(n);
    });
    const consumer = fake.consumers[0]!;
    expect(consumer.subscribed).toEqual({ topics: ['grocery.stock'], fromBeginning: true });
    expect(consumer.runConfig!.eachBatchAutoResolve).toBe(false);
    expect(consumer.seeks).toEqual([]); // "earliest" is never pinned
    const resolved: string[] = [];
    await consumer.runConfig!.eachBatch(batchOf([numbered('A', 0), numbered('A', 1), numbered('A', 2)], resolved));
    expect(handled).toEqual([0, 1, 2]);
    expect(resolved).toEqual(['0', '1', '2']);
  });

  it('leaves the offset of an event cut short by close() unresolved, so it is redelivered', async () => {
    let attempts = 0;
    const sub = await bus.subscribe(
      'grocery.stock',
      { group: 'gateway.fanout', from: 'latest', ephemeral: true },
      async (e) => {
        if ((e.data as { n: number }).n === 1) {
          attempts++;
          throw new Error('always failing');
        }
      },
    );
    const consumer = fake.consumers[0]!;
    expect(consumer.groupId).toMatch(/^gateway\.fanout\.[0-9a-f-]{36}$/);
    const resolved: string[] = [];
    const running = consumer.runConfig!.eachBatch(
      batchOf([numbered('A', 0), numbered('A', 1), numbered('A', 2)], resolved),
    );
    await waitFor(() => attempts >= 2, 'retries');
    await sub.close();
    await running;
    expect(resolved).toEqual(['0']);
    expect(consumer.disconnected).toBe(true);
    expect(fake.deletedGroups).toEqual([consumer.groupId]);
  });

  it('pins a new "latest" group to the end offsets of the partitions it is assigned', async () => {
    await bus.subscribe(
      'grocery.stock',
      { group: 'products.cache-invalidation', from: 'latest' },
      async () => undefined,
    );
    const consumer = fake.consumers[0]!;
    expect(consumer.subscribed!.fromBeginning).toBe(false);
    expect(consumer.seeks).toEqual([{ topic: 'grocery.stock', partition: 0, offset: '7' }]);
  });

  it('lets a "latest" group that has committed offsets resume from them', async () => {
    fake.committedOffset = '42';
    await bus.subscribe(
      'grocery.stock',
      { group: 'products.cache-invalidation', from: 'latest' },
      async () => undefined,
    );
    expect(fake.consumers[0]!.seeks).toEqual([]);
  });

  it('skips a message that is not an event envelope rather than blocking its partition', async () => {
    const handled: string[] = [];
    await bus.subscribe(
      'grocery.stock',
      { group: 'search', from: 'earliest' },
      async (e) => void handled.push(e.subject),
    );
    const resolved: string[] = [];
    const payload = batchOf([numbered('A', 0), numbered('B', 1)], resolved);
    (payload.batch.messages[0] as { value: Buffer }).value = Buffer.from('not json');
    await fake.consumers[0]!.runConfig!.eachBatch(payload);
    expect(handled).toEqual(['B']);
    expect(resolved).toEqual(['0', '1']);
  });
});
