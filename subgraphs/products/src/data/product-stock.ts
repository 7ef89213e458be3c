// The per-location availability projection (product_stock) that filter: { inStockAt } joins.
import type { ProductsDb } from './db';

export interface StockLevelSeen {
  sku: string;
  locationId: string;
  available: number;
  changedAt: Date;
}

/**
 * Stores the level unless a newer one is already there. A tie goes to the later delivery: the
 * bus keeps one SKU's events in order, so at equal timestamps it is the later change. Naturally
 * idempotent: applying the same event twice leaves the same row.
 */
export async function recordStockLevel(db: ProductsDb, level: StockLevelSeen): Promise<void> {
  await db.$executeRawUnsafe(
    `INSERT INTO products.product_stock AS s (sku, location_id, available, changed_at)
     VALUES ($1, $2, $3::int, ($4::timestamptz AT TIME ZONE 'UTC'))
     ON CONFLICT (sku, location_id) DO UPDATE
        SET available = excluded.available, changed_at = excluded.changed_at
      WHERE excluded.changed_at >= s.changed_at`,
    level.sku,
    level.locationId,
    level.available,
    level.changedAt.toISOString(),
  );
}
