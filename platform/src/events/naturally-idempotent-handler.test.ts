import { naturallyIdempotentHandler } from './idempotent-handler';
import { numbered } from './test/bus-contract';

describe('naturallyIdempotentHandler', () => {
  it('runs the handler, skips a quick redelivery of a handled event, and retries a failed one', async () => {
    const evicted: number[] = [];
    let failNext = false;
    const handler = naturallyIdempotentHandler(async (e) => {
      if (failNext) {
        failNext = false;
        throw new Error('redis briefly unreachable');
      }
      evicted.push((e.data as { n: number }).n);
    });
    const first = numbered('SKU-1', 1);
    const second = numbered('SKU-1', 2);
    await handler(first);
    await handler(first); // the relay resent its batch
    failNext = true;
    await expect(handler(second)).rejects.toThrow(/unreachable/);
    await handler(second); // the bus redelivers: a failure was not remembered as handled
    expect(evicted).toEqual([1, 2]);
  });
});
