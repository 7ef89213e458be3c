// Stock of one SKU at one location, and what a shopper sees of it (availability).
export interface StockLevelRecord {
  sku: string;
  locationId: string;
  onHand: number;
  reserved: number;
  updatedAt: Date;
}

/** What can still be sold or reserved: on hand minus what checkouts are holding. */
export function availableOf(level: { onHand: number; reserved: number }): number {
  // The database keeps reserved <= on_hand; the clamp only guards hand-made records.
  return Math.max(0, level.onHand - level.reserved);
}

/** One SKU's stock across every location that carries it. */
export interface SkuAvailability {
  sku: string;
  available: number;
  inStock: boolean;
  levels: StockLevelRecord[];
}

export function summariseAvailability(sku: string, levels: StockLevelRecord[]): SkuAvailability {
  const available = levels.reduce((sum, l) => sum + availableOf(l), 0);
  return { sku, available, inStock: available > 0, levels };
}
