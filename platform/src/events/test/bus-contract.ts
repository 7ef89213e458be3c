// The Bus contract, run against every transport: what a subgraph may rely on whichever
// transport the configuration picks.
import { randomUUID } from 'node:crypto';
import type { Gauge } from 'prom-client';
import { metricsRegistry } from '../../metrics/registry';
import type { Bus, DeadLetter, EventHandler, Subscription } from '../bus';
import { makeEvent, type DomainEvent } from '../envelope';
import { settle, waitFor } from './wait';

export interface BusUnderTest {
  bus: Bus;
  /** Removes what the test left on the transport (streams, topics) after the bus closed. */
  cleanup?: (topics: string[]) => Promise<void>;
}

export function numbered(subject: string, n: number): DomainEvent<{ n: number }> {
  return makeEvent({ source: 'grocery/test', type: 'test.numbered', subject, data: { n } });
}

export function collector(): { events: DomainEvent<{ n: number }>[]; handler: EventHandler } {
  const events: DomainEvent<{ n: number }>[] = [];
  return {
    events,
    handler: async (e) => {
      events.push(e as DomainEvent<{ n: number }>);
    },
  };
}

const ids = (events: readonly DomainEvent[]) => events.map((e) => e.id);

/** The group's bus_consumer_lag_events as a scrape would read it; undefined when it has no series. */
export async function consumerLag(transport: string, topic: string, group: string): Promise<number | undefined> {
  const gauge = metricsRegistry.getSingleMetric('bus_consumer_lag_events') as Gauge | undefined;
  if (!gauge) throw new Error('bus_consumer_lag_events is not registered');
  const { values } = await gauge.get();
  return values.find((v) => v.labels.transport === transport && v.labels.topic === topic && v.labels.group === group)
    ?.value;
}

export function describeBusContract(name: string, create: () => Promise<BusUnderTest>): void {
  describe(`${name} bus contract`, () => {
    let subject: BusUnderTest;
    let topics: string[] = [];
    const suffix = () => randomUUID().slice(0, 8);
    const newTopic = () => {
      const topic = `test.bus.${suffix()}`;
      topics.push(topic);
      return topic;
    };
    const group = (name: string) => `${name}.${suffix()}`;

    beforeEach(async () => {
      subject = await create();
    });

    afterEach(async () => {
      await subject.bus.close();
      await subject.cleanup?.(topics);
      topics = [];
    });

    it('delivers published events to a subscriber with the envelope intact', async () => {
      const { bus } = subject;
      const topic = newTopic();
      const got = collector();
      await bus.subscribe(topic, { group: group('reader'), from: 'latest' }, got.handler);
      const sent = [numbered('SKU-1', 1), numbered('SKU-2', 2), numbered('SKU-1', 3)];
      await bus.publish(topic, sent);
      await waitFor(() => got.events.length >= 3, 'three events');
      // Different subjects may arrive in any order; compare in the order they were sent.
      expect(sent.map((s) => got.events.find((e) => e.id === s.id))).toEqual(sent);
      expect(got.events).toHaveLength(3);
    });

    it('gives every group every event', async () => {
      const { bus } = subject;
      const topic = newTopic();
      const search = collector();
      const notifications = collector();
      await bus.subscribe(topic, { group: group('search'), from: 'latest' }, search.handler);
      await bus.subscribe(topic, { group: group('notifications'), from: 'latest' }, notifications.handler);
      const sent = Array.from({ length: 10 }, (_, i) => numbered(`SKU-${i % 3}`, i));
      await bus.publish(topic, sent);
      await waitFor(() => search.events.length >= 10 && notifications.events.length >= 10, 'both groups to get all');
      expect(new Set(ids(search.events))).toEqual(new Set(ids(sent)));
      expect(new Set(ids(notifications.events))).toEqual(new Set(ids(sent)));
    });

    it('gives each event to exactly one member of a group', async () => {
      const { bus } = subject;
      const topic = newTopic();
      const g = group('indexer');
      const first = collector();
      const second = collector();
      await bus.subscribe(topic, { group: g, from: 'latest' }, first.handler);
      await bus.subscribe(topic, { group: g, from: 'latest' }, second.handler);
      const sent = Array.from({ length: 20 }, (_, i) => numbered(`SKU-${i}`, i));
      await bus.publish(topic, sent);
      const all = () => [...first.events, ...second.events];
      await waitFor(() => new Set(ids(all())).size >= 20, 'all 20 events across the members');
      await settle();
      expect(all()).toHaveLength(20);
      expect(new Set(ids(all()))).toEqual(new Set(ids(sent)));
    });

    it('keeps the events of each subject in publish order', async () => {
      const { bus } = subject;
      const topic = newTopic();
      const got = collector();
      // Uneven handler latency: a transport that does not serialise a subject would reorder it.
      await bus.subscribe(topic, { group: group('ordered'), from: 'latest' }, async (e) => {
        await new Promise((r) => setTimeout(r, Math.random() * 4));
        await got.handler(e);
      });
      const subjects = ['SKU-A', 'SKU-B', 'SKU-C'];
      // Interleaved subjects, over several publish calls.
      for (let batch = 0; batch < 5; batch++) {
        await bus.publish(
          topic,
          Array.from({ length: 9 }, (_, i) => numbered(subjects[i % 3]!, batch * 3 + Math.floor(i / 3))),
        );
      }
      await waitFor(() => got.events.length >= 45, '45 events');
      for (const s of subjects) {
        const sequence = got.events.filter((e) => e.subject === s).map((e) => e.data.n);
        expect(sequence).toEqual(Array.from({ length: 15 }, (_, i) => i));
      }
    });

    it('replays retained history to an "earliest" group and skips it for a "latest" one', async () => {
      const { bus } = subject;
      const topic = newTopic();
      const history = [numbered('SKU-1', 0), numbered('SKU-1', 1)];
      await bus.publish(topic, history);
      const replaying = collector();
      const live = collector();
      await bus.subscribe(topic, { group: group('replaying'), from: 'earliest' }, replaying.handler);
      await bus.subscribe(topic, { group: group('live'), from: 'latest' }, live.handler);
      const fresh = [numbered('SKU-1', 2), numbered('SKU-1', 3)];
      await bus.publish(topic, fresh);
      await waitFor(() => replaying.events.length >= 4 && live.events.length >= 2, 'both groups');
      // One subject, so order is guaranteed: had history reached "live", it would come first.
      expect(ids(replaying.events)).toEqual(ids([...history, ...fresh]));
      expect(ids(live.events)).toEqual(ids(fresh));
    });

    it('redelivers an event whose handler threw, before the next event of its subject', async () => {
      const { bus } = subject;
      const topic = newTopic();
      const attempts = new Map<number, number>();
      const handled: number[] = [];
      await bus.subscribe(topic, { group: group('flaky'), from: 'latest' }, async (e) => {
        const n = (e.data as { n: number }).n;
        attempts.set(n, (attempts.get(n) ?? 0) + 1);
        if (n === 1 && attempts.get(n)! < 3) throw new Error('database briefly unavailable');
        handled.push(n);
      });
      await bus.publish(topic, [numbered('SKU-1', 0), numbered('SKU-1', 1), numbered('SKU-1', 2)]);
      await waitFor(() => handled.length >= 3, 'all three handled');
      expect(handled).toEqual([0, 1, 2]);
      expect(attempts.get(1)).toBe(3);
      expect(attempts.get(0)).toBe(1);
      expect(attempts.get(2)).toBe(1);
    });

    it("sets an event its handler keeps failing on aside, into the consumer's dead letters, and goes on with the ones behind it", async () => {
      const { bus } = subject;
      const topic = newTopic();
      const name = group('poisoned');
      const letters: DeadLetter[] = [];
      const adopted: string[] = [];
      const handled: number[] = [];
      let attempts = 0;
      await bus.subscribe(
        topic,
        {
          group: name,
          from: 'latest',
          deadLetters: {
            add: async (letter) => void letters.push(letter),
            adopt: (consumer) => void adopted.push(consumer),
          },
        },
        async (e) => {
          const n = (e.data as { n: number }).n;
          if (n === 1) {
            attempts++;
            throw new Error('cannot apply this one');
          }
          handled.push(n);
        },
      );
      const sent = [numbered('SKU-1', 0), numbered('SKU-1', 1), numbered('SKU-1', 2)];
      await bus.publish(topic, sent);
      await waitFor(() => handled.length >= 2, 'the events around the poisoned one');
      expect(handled).toEqual([0, 2]);
      // Every transport's default: 10 attempts, then the event is set aside, once.
      expect(attempts).toBe(10);
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({ consumer: name, topic, attempts: 10, error: 'Error: cannot apply this one' });
      expect(letters[0]!.event.id).toBe(sent[1]!.id);
      expect(adopted).toEqual([name]);
      await settle();
      expect(attempts).toBe(10);
    });

    it('keeps retrying while the dead letters cannot take the event, so it is never lost', async () => {
      const { bus } = subject;
      const topic = newTopic();
      const letters: DeadLetter[] = [];
      let storeUp = false;
      let attempts = 0;
      await bus.subscribe(
        topic,
        {
          group: group('store-down'),
          from: 'latest',
          deadLetters: {
            add: async (letter) => {
              if (!storeUp) throw new Error('dead-letter database down');
              letters.push(letter);
            },
          },
        },
        async () => {
          attempts++;
          throw new Error('poison');
        },
      );
      await bus.publish(topic, [numbered('SKU-1', 0)]);
      await waitFor(() => attempts >= 12, 'attempts past the limit');
      expect(letters).toHaveLength(0);
      storeUp = true;
      await waitFor(() => letters.length === 1, 'the event stored once the store is back');
      expect(letters[0]!.attempts).toBeGreaterThan(10);
    });

    it('without dead letters, drops an event after its last attempt and goes on', async () => {
      const { bus } = subject;
      const topic = newTopic();
      const handled: number[] = [];
      let attempts = 0;
      await bus.subscribe(topic, { group: group('live'), from: 'latest', ephemeral: true }, async (e) => {
        const n = (e.data as { n: number }).n;
        if (n === 0) {
          attempts++;
          throw new Error('poison');
        }
        handled.push(n);
      });
      await bus.publish(topic, [numbered('SKU-1', 0), numbered('SKU-1', 1)]);
      await waitFor(() => handled.length >= 1, 'the event behind the dropped one');
      expect(handled).toEqual([1]);
      expect(attempts).toBe(10);
    });

    it('stops delivering to a closed subscription, and its durable group resumes where it stopped', async () => {
      const { bus } = subject;
      const topic = newTopic();
      const g = group('durable');
      const closing = collector();
      const witness = collector();
      const subscription: Subscription = await bus.subscribe(topic, { group: g, from: 'latest' }, closing.handler);
      await bus.subscribe(topic, { group: group('witness'), from: 'latest' }, witness.handler);
      const before = numbered('SKU-1', 0);
      await bus.publish(topic, [before]);
      await waitFor(() => closing.events.length >= 1 && witness.events.length >= 1, 'the first event');
      await subscription.close();

      const after = [numbered('SKU-1', 1), numbered('SKU-1', 2)];
      await bus.publish(topic, after);
      await waitFor(() => witness.events.length >= 3, 'the witness group to get the later events');
      await settle();
      expect(ids(closing.events)).toEqual([before.id]);

      const resumed = collector();
      await bus.subscribe(topic, { group: g, from: 'latest' }, resumed.handler);
      await waitFor(() => resumed.events.length >= 2, 'the group to resume');
      expect(ids(resumed.events)).toEqual(ids(after));
    });

    it('makes each ephemeral subscription a group of its own', async () => {
      const { bus } = subject;
      const topic = newTopic();
      const replicaA = collector();
      const replicaB = collector();
      const a = await bus.subscribe(
        topic,
        { group: 'gateway.fanout', from: 'latest', ephemeral: true },
        replicaA.handler,
      );
      await bus.subscribe(topic, { group: 'gateway.fanout', from: 'latest', ephemeral: true }, replicaB.handler);
      const sent = [numbered('SKU-1', 0), numbered('SKU-2', 1), numbered('SKU-3', 2)];
      await bus.publish(topic, sent);
      await waitFor(() => replicaA.events.length >= 3 && replicaB.events.length >= 3, 'both replicas');
      expect(new Set(ids(replicaA.events))).toEqual(new Set(ids(sent)));
      expect(new Set(ids(replicaB.events))).toEqual(new Set(ids(sent)));
      await a.close();
    });

    it('gauges the lag of a group whose handler is held up, back to 0 once it catches up', async () => {
      const { bus } = subject;
      const topic = newTopic();
      const g = group('slow');
      let release = () => undefined as void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let started = 0;
      const handled = collector();
      const subscription = await bus.subscribe(topic, { group: g, from: 'latest' }, async (e) => {
        started++;
        await held;
        await handled.handler(e);
      });
      try {
        await bus.publish(topic, [numbered('SKU-1', 0), numbered('SKU-1', 1)]);
        await waitFor(() => started >= 1, 'the handler to be held');
        // Both unacknowledged: the first being handled, the second behind it (one subject).
        expect(await consumerLag(bus.kind, topic, g)).toBe(2);
      } finally {
        release();
      }
      await waitFor(() => handled.events.length >= 2, 'both events handled');
      await waitFor(async () => (await consumerLag(bus.kind, topic, g)) === 0, 'the lag back to 0');
      await subscription.close();
      expect(await consumerLag(bus.kind, topic, g)).toBeUndefined();
    });

    it('reports itself healthy while open', async () => {
      expect(await subject.bus.healthy()).toBe(true);
    });
  });
}
