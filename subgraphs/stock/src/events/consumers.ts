// What the stock subgraph consumes: its own stock.level_changed events, for two jobs that
// every replica must do for itself (ephemeral fan-out groups, from the live end):
//  - evict availability from its in-process LRU and the shared Redis (the writer already
//    evicted; this covers a read that raced the commit and re-cached the old figure);
//  - push the change to this replica's stockChanged subscribers.
// order.* and return.* (stock consumed by orders, returned stock) come later.
import { naturallyIdempotentHandler, type Bus, type Logger } from '@grocery/platform';
import type { AvailabilityService } from '../domain/availability-service';
import type { StockChangeFeed } from './stock-change-feed';
import { STOCK_TOPIC, stockChangeFromEvent } from './stock-events';

export async function startStockConsumers(opts: {
  bus: Bus;
  availability: AvailabilityService;
  feed: StockChangeFeed;
  logger: Logger;
}): Promise<() => Promise<void>> {
  const evictions = await opts.bus.subscribe(
    STOCK_TOPIC,
    { group: 'stock.cache-invalidation', from: 'latest', ephemeral: true },
    naturallyIdempotentHandler(async (event) => {
      const change = stockChangeFromEvent(event);
      if (change) await opts.availability.evict([change.sku]);
    }),
  );
  const fanOut = await opts.bus.subscribe(
    STOCK_TOPIC,
    { group: 'stock.subscriptions', from: 'latest', ephemeral: true },
    // A redelivered event would reach subscribers twice: remember what went out.
    naturallyIdempotentHandler(async (event) => {
      const change = stockChangeFromEvent(event);
      if (change) opts.feed.publish(change);
      else opts.logger.debug({ type: event.type, id: event.id }, 'ignoring a stock event this subgraph does not push');
    }),
  );
  return async () => {
    await fanOut.close();
    await evictions.close();
  };
}
