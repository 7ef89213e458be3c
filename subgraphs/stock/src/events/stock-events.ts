// What the stock subgraph publishes (topic grocery.stock, subject = SKU so one SKU's
// changes stay in order for every consumer).
import { makeEvent, topicFor, type DomainEvent } from '@grocery/platform';
import { z } from 'zod';
import { STOCK_CHANGE_REASONS, type StockChange } from '../domain/stock-change';

export const STOCK_TOPIC = topicFor('stock');
export const SOURCE = 'grocery/stock';

export const StockEventType = {
  levelChanged: 'stock.level_changed',
} as const;

/** Version 1 of stock.level_changed's data. */
export interface StockLevelChangedData {
  sku: string;
  locationId: string;
  onHand: number;
  reserved: number;
  available: number;
  /** The SKU's available units across every location after this change. */
  totalAvailable: number;
  reason: StockChange['reason'];
  /** The level's version after this change (monotonic per sku and location, in commit order). */
  version: number;
}

export function stockLevelChanged(change: StockChange): DomainEvent<StockLevelChangedData> {
  return makeEvent({
    source: SOURCE,
    type: StockEventType.levelChanged,
    subject: change.sku,
    time: change.changedAt,
    data: {
      sku: change.sku,
      locationId: change.locationId,
      onHand: change.onHand,
      reserved: change.reserved,
      available: change.available,
      totalAvailable: change.totalAvailable,
      reason: change.reason,
      version: change.version,
    },
  });
}

const levelChangedData = z.object({
  sku: z.string(),
  locationId: z.string(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  totalAvailable: z.number().int(),
  reason: z.enum(STOCK_CHANGE_REASONS),
  version: z.number().int().positive(),
});

/** Reads a stock.level_changed event back into a StockChange; null for other or malformed events. */
export function stockChangeFromEvent(event: DomainEvent): StockChange | null {
  if (event.type !== StockEventType.levelChanged) return null;
  const parsed = levelChangedData.safeParse(event.data);
  if (!parsed.success) return null;
  return { ...parsed.data, changedAt: new Date(event.time) };
}
