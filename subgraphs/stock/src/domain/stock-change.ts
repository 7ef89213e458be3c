// The fact every stock write produces: one location's new level plus the SKU's new total.
// It becomes the stock.level_changed event, the cache eviction and the subscription payload.
// RECEIVED: staff received units (receiveStock); PICKED: an order's units left at picking;
// RETURNED: a return went back on the shelf; WRITTEN_OFF: expired lots left on-hand.
export const STOCK_CHANGE_REASONS = [
  'ADJUSTED',
  'RESERVED',
  'RELEASED',
  'EXPIRED',
  'RECEIVED',
  'PICKED',
  'RETURNED',
  'WRITTEN_OFF',
] as const;
export type StockChangeReason = (typeof STOCK_CHANGE_REASONS)[number];

export interface StockChange {
  sku: string;
  locationId: string;
  onHand: number;
  reserved: number;
  /** Available at this location after the change. */
  available: number;
  /** Available for the SKU across every location after the change. */
  totalAvailable: number;
  reason: StockChangeReason;
  changedAt: Date;
  /**
   * The level's version after the change: raised by one per change of this (sku, location),
   * in commit order. Times do not order changes (a transaction that started first may commit
   * last); versions do, so consumers keep the highest version they saw.
   */
  version: number;
  /** The earliest expiry of the SKU's live lots at this location after the change; null without lots. */
  earliestExpiry: Date | null;
  /** Available at this location before the change, and the location's low-stock threshold (stock.low). */
  previousAvailable: number;
  lowStockThreshold: number;
}

/** The change took the level from at or above its location's low-stock threshold to below it. */
export function crossedLowStock(change: Pick<StockChange, 'previousAvailable' | 'available' | 'lowStockThreshold'>) {
  return change.previousAvailable >= change.lowStockThreshold && change.available < change.lowStockThreshold;
}
