// The in-stock projection: per-SKU, per-location available units from stock.level_changed
// (durable group products.stock-projection), which filter: { inStockAt } joins locally, and the
// earliest expiry of the SKU's live lots there, which Product.expiresAt shows when set.
//
// Why event-carried state rather than federation: the filter has to page and count inside one
// subgraph query — totalCount, facet counts and keyset cursors are all computed by products'
// SQL. With @requires, stock could only annotate products products had already chosen, so a
// page would come back short and totalCount would be wrong; a filter in stock would have to
// ship every in-stock SKU of a location to products (or own the whole catalog query) on each
// request. A local projection keeps the query one indexed join, at the price of lagging the
// stock subgraph by one event delivery.
//
// The contract is stock's (subgraphs/stock/src/events/stock-events.ts); this schema reads only
// the fields the projection needs, so stock may add fields without breaking products.
import type { Bus, DeadLetterSink, DomainEvent, Logger } from '@grocery/platform';
import { topicFor } from '@grocery/platform';
import { z } from 'zod';
import type { ProductsDb } from '../data/db';
import { recordStockLevel, type StockLevelSeen } from '../data/product-stock';
import { describeIssues, eventTime } from './event-parsing';

export const STOCK_TOPIC = topicFor('stock');
export const STOCK_LEVEL_CHANGED = 'stock.level_changed';
export const STOCK_PROJECTION_GROUP = 'products.stock-projection';

const id = z.string().trim().min(1).max(100);
const levelChangedData = z.object({
  sku: id,
  locationId: id,
  available: z.number().int(),
  version: z.number().int().positive().optional(),
  earliestExpiry: z.string().datetime({ offset: true }).nullish(),
});

/** The level a stock.level_changed event reports; null for other types, a reason when malformed. */
export function stockLevelFromEvent(event: DomainEvent): StockLevelSeen | { malformed: string } | null {
  if (event.type !== STOCK_LEVEL_CHANGED) return null;
  const changedAt = eventTime(event);
  if (!changedAt) return { malformed: 'time is not an ISO timestamp' };
  const parsed = levelChangedData.safeParse(event.data);
  if (!parsed.success) return { malformed: describeIssues(parsed.error) };
  const { earliestExpiry, ...level } = parsed.data;
  return { ...level, earliestExpiry: earliestExpiry ? new Date(earliestExpiry) : null, changedAt };
}

export async function startStockProjection(opts: {
  bus: Bus;
  db: ProductsDb;
  logger: Logger;
  deadLetters?: DeadLetterSink;
}): Promise<() => Promise<void>> {
  // "earliest": a first start catches up on the retained changes; older ones than a stored
  // row (e.g. the seed's) are ignored by the highest-version-wins upsert. No processed_event row: the
  // upsert is naturally idempotent, and stock events are the busiest on the bus.
  const sub = await opts.bus.subscribe(
    STOCK_TOPIC,
    { group: STOCK_PROJECTION_GROUP, from: 'earliest', deadLetters: opts.deadLetters },
    async (event) => {
      const level = stockLevelFromEvent(event);
      if (level === null) return;
      if ('malformed' in level) {
        opts.logger.warn(
          { id: event.id, type: event.type, reason: level.malformed },
          'skipping a malformed stock event',
        );
        return;
      }
      await recordStockLevel(opts.db, level);
    },
  );
  return () => sub.close();
}
