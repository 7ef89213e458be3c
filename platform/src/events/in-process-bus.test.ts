import { createLogger } from '../logger';
import { InProcessBus } from './in-process-bus';
import { collector, describeBusContract, numbered } from './test/bus-contract';
import { settle, waitFor } from './test/wait';

const logger = createLogger(process.env.LOG_LEVEL ?? 'silent', 'test');
const fastRetry = { initialMs: 10, maxMs: 100 };

describeBusContract('in-process', async () => ({ bus: new InProcessBus({ logger, retry: fastRetry }) }));

describe('in-process bus', () => {
  let bus: InProcessBus;
  afterEach(() => bus.close());

  it('keeps a subject in order even when the group has several members', async () => {
    bus = new InProcessBus({ logger, retry: fastRetry });
    const handled: { member: string; subject: string; n: number }[] = [];
    const member = (name: string) => async (e: { subject: string; data: unknown }) => {
      // Uneven latency, so that members really overlap and would reorder an unserialised subject.
      await new Promise((r) => setTimeout(r, Math.random() * 4));
      handled.push({ member: name, subject: e.subject, n: (e.data as { n: number }).n });
    };
    await bus.subscribe('grocery.stock', { group: 'search' }, member('a'));
    await bus.subscribe('grocery.stock', { group: 'search' }, member('b'));
    await bus.subscribe('grocery.stock', { group: 'search' }, member('c'));
    const events = Array.from({ length: 60 }, (_, i) => numbered(`SKU-${i % 4}`, Math.floor(i / 4)));
    await bus.publish('grocery.stock', events);
    await waitFor(() => handled.length >= 60, '60 events');
    for (let s = 0; s < 4; s++) {
      expect(handled.filter((h) => h.subject === `SKU-${s}`).map((h) => h.n)).toEqual(
        Array.from({ length: 15 }, (_, i) => i),
      );
    }
    // Work is shared: every member handled some.
    expect(new Set(handled.map((h) => h.member))).toEqual(new Set(['a', 'b', 'c']));
  });

  it('gives an event to another member when the one retrying it closes', async () => {
    bus = new InProcessBus({ logger, retry: fastRetry });
    let failingAttempts = 0;
    const healthy = collector();
    const failing = await bus.subscribe('grocery.orders', { group: 'loyalty' }, async () => {
      failingAttempts++;
      throw new Error('this replica lost its database');
    });
    const event = numbered('ORDER-1', 1);
    await bus.publish('grocery.orders', [event]);
    await waitFor(() => failingAttempts >= 2, 'the failing member to retry');
    await bus.subscribe('grocery.orders', { group: 'loyalty' }, healthy.handler);
    await failing.close();
    await waitFor(() => healthy.events.length >= 1, 'the healthy member to get the event');
    expect(healthy.events.map((e) => e.id)).toEqual([event.id]);
  });

  it('drops events beyond its retention, oldest first', async () => {
    bus = new InProcessBus({ logger, retainPerTopic: 10 });
    await bus.publish(
      'grocery.products',
      Array.from({ length: 30 }, (_, i) => numbered('SKU-1', i)),
    );
    const replay = collector();
    await bus.subscribe('grocery.products', { group: 'late', from: 'earliest' }, replay.handler);
    await waitFor(() => replay.events.length >= 10, 'the retained events');
    await settle(100);
    expect(replay.events.map((e) => e.data.n)).toEqual(Array.from({ length: 10 }, (_, i) => 20 + i));
  });

  it('delivers copies, so one handler cannot change what another group sees', async () => {
    bus = new InProcessBus({ logger });
    const seen: unknown[] = [];
    await bus.subscribe('grocery.products', { group: 'vandal' }, async (e) => {
      (e.data as { n: number }).n = -1;
    });
    await bus.subscribe('grocery.products', { group: 'reader' }, async (e) => {
      await new Promise((r) => setImmediate(r));
      seen.push(e.data);
    });
    await bus.publish('grocery.products', [numbered('SKU-1', 7)]);
    await waitFor(() => seen.length >= 1, 'the reader');
    expect(seen).toEqual([{ n: 7 }]);
  });

  it('refuses events JSON cannot carry, at publish', async () => {
    bus = new InProcessBus({ logger });
    const bad = { ...numbered('SKU-1', 1), data: { quantity: 5n } };
    await expect(bus.publish('grocery.stock', [bad])).rejects.toThrow(/BigInt/);
  });

  it('refuses to publish after close', async () => {
    bus = new InProcessBus({ logger });
    await bus.close();
    await expect(bus.publish('grocery.stock', [numbered('SKU-1', 1)])).rejects.toThrow(/closed/);
    expect(await bus.healthy()).toBe(false);
  });
});
