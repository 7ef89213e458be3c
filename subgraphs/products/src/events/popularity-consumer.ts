// Popularity from order.placed (durable group products.popularity): each order's units are
// added once (processed_event) to its business day in Asia/Ho_Chi_Minh, then the cached
// rankings it changes are evicted. Malformed events are logged and skipped.
import { idempotentHandler, type Bus, type DomainEvent, type Logger, type DeadLetterSink } from '@grocery/platform';
import type { ProductSales } from '../data/product-sales';
import type { ProductsDb } from '../data/db';
import { businessDayOf } from '../domain/business-day';
import type { PopularProducts } from '../domain/popular-products';
import { subscribeToPlacedOrders, type PlacedOrder } from './order-events';

export const POPULARITY_GROUP = 'products.popularity';

export async function startPopularityConsumer(opts: {
  bus: Bus;
  db: ProductsDb;
  sales: ProductSales;
  popular: PopularProducts;
  logger: Logger;
  deadLetters?: DeadLetterSink;
}): Promise<() => Promise<void>> {
  const record = idempotentHandler<DomainEvent & { order: PlacedOrder }>({
    db: opts.db,
    consumer: POPULARITY_GROUP,
    handle: (event, tx) =>
      opts.sales.recordOrder(tx, event.order.orderId, businessDayOf(event.order.placedAt), event.order.units),
  });
  const sub = await subscribeToPlacedOrders(opts, POPULARITY_GROUP, async (order, event) => {
    const withOrder: DomainEvent & { order: PlacedOrder } = { ...event, order };
    await record(withOrder);
    await opts.popular.evictForOrder(order.units.map((u) => u.sku));
  });
  return () => sub.close();
}
