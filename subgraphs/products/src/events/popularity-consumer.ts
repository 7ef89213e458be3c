// Popularity from order.placed (durable group products.popularity): each order's units are
// added once (processed_event) to its business day in Asia/Ho_Chi_Minh, then the cached
// rankings it changes are evicted. Malformed events are logged and skipped.
import { idempotentHandler, type Bus, type DomainEvent, type Logger } from '@grocery/platform';
import type { ProductSales } from '../data/product-sales';
import type { ProductsDb } from '../data/db';
import { businessDayOf } from '../domain/business-day';
import type { PopularProducts } from '../domain/popular-products';
import { ORDERS_TOPIC, parseOrderEvent, type PlacedOrder } from './order-events';

export const POPULARITY_GROUP = 'products.popularity';

export async function startPopularityConsumer(opts: {
  bus: Bus;
  db: ProductsDb;
  sales: ProductSales;
  popular: PopularProducts;
  logger: Logger;
}): Promise<() => Promise<void>> {
  const record = idempotentHandler<DomainEvent & { order: PlacedOrder }>({
    db: opts.db,
    consumer: POPULARITY_GROUP,
    handle: (event, tx) => opts.sales.recordOrder(tx, businessDayOf(event.order.placedAt), event.order.units),
  });
  // "earliest": a first start counts the orders still retained on the bus.
  const sub = await opts.bus.subscribe(ORDERS_TOPIC, { group: POPULARITY_GROUP, from: 'earliest' }, async (event) => {
    const parsed = parseOrderEvent(event);
    if (parsed.kind === 'malformed') {
      opts.logger.warn({ id: event.id, type: event.type, reason: parsed.reason }, 'skipping a malformed order event');
      return;
    }
    if (parsed.kind === 'ignored') return;
    const withOrder: DomainEvent & { order: PlacedOrder } = { ...event, order: parsed };
    await record(withOrder);
    await opts.popular.evictForOrder(parsed.units.map((u) => u.sku));
  });
  return () => sub.close();
}
