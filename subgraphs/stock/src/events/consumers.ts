// What the stock subgraph consumes:
//  - its own stock.level_changed events, for two jobs that every replica must do for itself
//    (ephemeral fan-out groups, from the live end): evict availability from its in-process LRU
//    and the shared Redis (the writer already evicted; this covers a read that raced the commit
//    and re-cached the old figure), and push the change to this replica's stockChanged subscribers;
//  - order.cancelled / order.expired (durable group stock.order-releases, from the earliest):
//    the order's stock is released. Releasing is idempotent, so no processed_event row is needed;
//    events it keeps failing on go to stock.dead_letter_event.
// return.* come later (returns are restocked through restockReturn for now).
import { naturallyIdempotentHandler, type Bus, type DeadLetterSink, type Logger } from '@grocery/platform';
import type { AvailabilityService } from '../domain/availability-service';
import type { OrderStockService } from '../domain/order-stock-service';
import { ORDER_RELEASES_GROUP, ORDERS_TOPIC, parseOrderEvent } from './order-events';
import type { StockChangeFeed } from './stock-change-feed';
import { STOCK_TOPIC, stockChangeFromEvent } from './stock-events';

export async function startStockConsumers(opts: {
  bus: Bus;
  availability: AvailabilityService;
  orderStock: OrderStockService;
  feed: StockChangeFeed;
  logger: Logger;
  deadLetters: DeadLetterSink;
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
  const releases = await opts.bus.subscribe(
    ORDERS_TOPIC,
    { group: ORDER_RELEASES_GROUP, from: 'earliest', deadLetters: opts.deadLetters },
    async (event) => {
      const parsed = parseOrderEvent(event);
      if (parsed.kind === 'malformed')
        opts.logger.warn({ id: event.id, type: event.type, reason: parsed.reason }, 'skipping a malformed order event');
      else if (parsed.kind === 'release') await opts.orderStock.releaseForOrder(parsed.orderId);
    },
  );
  return async () => {
    await releases.close();
    await fanOut.close();
    await evictions.close();
  };
}
