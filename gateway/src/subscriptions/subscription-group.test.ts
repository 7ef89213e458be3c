import type { ExecutionResult } from 'graphql';
import { SubscriptionGroup, type GroupSource } from './subscription-group';

/** An upstream the test feeds by hand, counting opens, resolutions and closes. */
function upstream(opts: { refuse?: ExecutionResult } = {}) {
  const waiting: ((step: IteratorResult<number>) => void)[] = [];
  const buffered: number[] = [];
  const counts = { opened: 0, resolved: 0, closed: 0, returned: 0 };
  const iterator: AsyncIterator<number> = {
    next: () =>
      buffered.length > 0
        ? Promise.resolve({ done: false, value: buffered.shift()! })
        : new Promise((resolve) => waiting.push(resolve)),
    return: async () => {
      counts.returned++;
      waiting.splice(0).forEach((resolve) => resolve({ done: true, value: undefined }));
      return { done: true, value: undefined };
    },
  };
  const source: GroupSource<number> = {
    open: async () => {
      counts.opened++;
      return opts.refuse ?? iterator;
    },
    resolve: async (n) => {
      counts.resolved++;
      return { data: { n } };
    },
    close: async () => {
      counts.closed++;
    },
  };
  const emit = (n: number) => {
    const resolve = waiting.shift();
    if (resolve) resolve({ done: false, value: n });
    else buffered.push(n);
  };
  return { source, counts, emit };
}

const settle = () => new Promise((r) => setImmediate(r));

function group(source: GroupSource<number>, maxQueuedEvents = 10) {
  const closed: unknown[] = [];
  const g = new SubscriptionGroup(source, { maxQueuedEvents, onClosed: (x) => closed.push(x) });
  return { g, closed };
}

describe('SubscriptionGroup', () => {
  it('opens one upstream and resolves each event once for every member', async () => {
    const u = upstream();
    const { g } = group(u.source);
    const members = (await Promise.all(
      Array.from({ length: 100 }, () => g.join()),
    )) as AsyncIterator<ExecutionResult>[];
    await settle();
    const next = members.map((m) => m.next());
    u.emit(1);
    const steps = await Promise.all(next);
    expect(steps.every((s) => !s.done && (s.value.data as { n: number }).n === 1)).toBe(true);
    expect(u.counts).toMatchObject({ opened: 1, resolved: 1 });
  });

  it('closes the upstream when the last member leaves, not before', async () => {
    const u = upstream();
    const { g, closed } = group(u.source);
    const [a, b] = (await Promise.all([g.join(), g.join()])) as AsyncIterator<ExecutionResult>[];
    await a!.return!();
    expect(u.counts.returned).toBe(0);
    expect(g.open).toBe(true);
    await b!.return!();
    await settle();
    expect(u.counts).toMatchObject({ returned: 1, closed: 1 });
    expect(closed).toEqual([g]);
    expect(g.open).toBe(false);
  });

  it('ends a member that leaves events unread with SLOW_SUBSCRIBER; the others go on', async () => {
    const u = upstream();
    const { g } = group(u.source, 3);
    const [slow, reader] = (await Promise.all([g.join(), g.join()])) as AsyncIterator<ExecutionResult>[];
    await settle();
    for (let n = 1; n <= 5; n++) {
      const next = reader!.next();
      u.emit(n);
      expect(((await next).value.data as { n: number }).n).toBe(n);
    }
    const last = await slow!.next();
    expect(last.value.errors[0].extensions).toMatchObject({ code: 'SLOW_SUBSCRIBER', max: 3 });
    expect((await slow!.next()).done).toBe(true);
    expect(g.size).toBe(1);
  });

  it('gives every member the upstream refusal and closes', async () => {
    const refusal = { errors: [{ message: 'skus may name at most 100 SKUs.' }] } as unknown as ExecutionResult;
    const u = upstream({ refuse: refusal });
    const { g, closed } = group(u.source);
    expect(await Promise.all([g.join(), g.join()])).toEqual([refusal, refusal]);
    expect(closed).toEqual([g]);
    expect(u.counts.closed).toBe(1);
  });

  it('completes every member when the upstream ends', async () => {
    const u = upstream();
    const { g } = group(u.source);
    const [a] = (await Promise.all([g.join()])) as AsyncIterator<ExecutionResult>[];
    await settle();
    const next = a!.next();
    await (u.source.open() as Promise<AsyncIterator<number>>).then((it) => it.return!());
    expect((await next).done).toBe(true);
  });
});
