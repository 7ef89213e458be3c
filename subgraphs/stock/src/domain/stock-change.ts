// The fact every stock write produces: one location's new level plus the SKU's new total.
// It becomes the stock.level_changed event, the cache eviction and the subscription payload.
export const STOCK_CHANGE_REASONS = ['ADJUSTED', 'RESERVED', 'RELEASED', 'EXPIRED'] as const;
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
}
