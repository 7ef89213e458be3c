// The per-location availability projection (product_stock) that filter: { inStockAt } joins.
import type { ProductsDb } from './db';

export interface StockLevelSeen {
  sku: string;
  locationId: string;
  available: number;
  changedAt: Date;
  /**
   * stock_level.version after the change: monotonic per (sku, location) in commit order.
   * Absent only on events published before stock versioned its levels.
   */
  version?: number;
  /**
   * The earliest expiry of the SKU's live lots at this location after the change (null: none).
   * Absent on events published before stock had lots: read as none.
   */
  earliestExpiry?: Date | null;
}

/**
 * Stores the level unless the stored one is as new or newer. Newer means a higher version:
 * versions follow commit order, while event times are transaction starts (a change that began
 * first may commit, and arrive, last). An event without a version (published before versions
 * existed) applies only over a row that has never seen a versioned one, newest time winning.
 * Naturally idempotent: applying the same event twice leaves the same row.
 */
export async function recordStockLevel(db: ProductsDb, level: StockLevelSeen): Promise<void> {
  await db.$executeRawUnsafe(
    `INSERT INTO products.product_stock AS s (sku, location_id, available, changed_at, version, earliest_expiry)
     VALUES ($1, $2, $3::int, ($4::timestamptz AT TIME ZONE 'UTC'), $5::bigint, ($6::timestamptz AT TIME ZONE 'UTC'))
     ON CONFLICT (sku, location_id) DO UPDATE
        SET available = excluded.available, changed_at = excluded.changed_at, version = excluded.version,
            earliest_expiry = excluded.earliest_expiry
      WHERE CASE WHEN excluded.version > 0 THEN excluded.version > s.version
                 ELSE s.version = 0 AND excluded.changed_at >= s.changed_at END`,
    level.sku,
    level.locationId,
    level.available,
    level.changedAt.toISOString(),
    level.version ?? 0,
    level.earliestExpiry?.toISOString() ?? null,
  );
}

/**
 * The earliest expiry of each SKU's live lots over its locations (what Product.expiresAt shows
 * when the SKU has lots); SKUs without live lots are absent. One query for a batch.
 */
export async function earliestLotExpiries(db: ProductsDb, skus: readonly string[]): Promise<Map<string, Date>> {
  const rows = await db.$queryRawUnsafe<{ sku: string; at: Date }[]>(
    `SELECT sku, min(earliest_expiry) AS at FROM products.product_stock
      WHERE sku = ANY($1::text[]) AND earliest_expiry > (now() AT TIME ZONE 'UTC')
      GROUP BY sku`,
    [...skus],
  );
  return new Map(rows.map((r) => [r.sku, r.at]));
}
