// What the stock subgraph publishes (topic grocery.stock, subject = SKU so one SKU's
// changes stay in order for every consumer).
import { makeEvent, topicFor, type DomainEvent } from '@grocery/platform';
import { z } from 'zod';
import { crossedLowStock, STOCK_CHANGE_REASONS, type StockChange } from '../domain/stock-change';

export const STOCK_TOPIC = topicFor('stock');
export const SOURCE = 'grocery/stock';

export const StockEventType = {
  levelChanged: 'stock.level_changed',
  /** A level's available units fell below its location's low-stock threshold. */
  low: 'stock.low',
  /** An expired lot was written off (its units left on-hand). */
  lotExpired: 'stock.lot_expired',
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
  /**
   * The earliest expiry (ISO) of the SKU's live lots at this location after this change, null
   * when it has none. Per location, so it is ordered by `version` like the rest of the level;
   * the SKU's earliest is the least over its locations. Added in place: absent on older events.
   */
  earliestExpiry: string | null;
}

/** Version 1 of stock.low's data. */
export interface StockLowData {
  sku: string;
  locationId: string;
  available: number;
  threshold: number;
}

/** Version 1 of stock.lot_expired's data. */
export interface StockLotExpiredData {
  sku: string;
  locationId: string;
  lotId: string;
  /** Units written off from the lot (less than it held when reserved units kept some on hand). */
  quantity: number;
  /** ISO: the lot's expiry. */
  expiredAt: string;
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
      earliestExpiry: change.earliestExpiry?.toISOString() ?? null,
    },
  });
}

/** The events of one level change: stock.level_changed, and stock.low when it crossed the threshold. */
export function levelEvents(change: StockChange): DomainEvent[] {
  const events: DomainEvent[] = [stockLevelChanged(change)];
  if (crossedLowStock(change))
    events.push(
      makeEvent<StockLowData>({
        source: SOURCE,
        type: StockEventType.low,
        subject: change.sku,
        time: change.changedAt,
        data: {
          sku: change.sku,
          locationId: change.locationId,
          available: change.available,
          threshold: change.lowStockThreshold,
        },
      }),
    );
  return events;
}

export function lotExpired(data: StockLotExpiredData, time: Date): DomainEvent<StockLotExpiredData> {
  return makeEvent({ source: SOURCE, type: StockEventType.lotExpired, subject: data.sku, time, data });
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
  earliestExpiry: z.string().datetime({ offset: true }).nullish(),
});

/** A level change as its event tells it (what the threshold was is not part of the event). */
export type StockChangeSeen = Omit<StockChange, 'previousAvailable' | 'lowStockThreshold'>;

/** Reads a stock.level_changed event back into a StockChange; null for other or malformed events. */
export function stockChangeFromEvent(event: DomainEvent): StockChangeSeen | null {
  if (event.type !== StockEventType.levelChanged) return null;
  const parsed = levelChangedData.safeParse(event.data);
  if (!parsed.success) return null;
  const { earliestExpiry, ...rest } = parsed.data;
  return { ...rest, earliestExpiry: earliestExpiry ? new Date(earliestExpiry) : null, changedAt: new Date(event.time) };
}
