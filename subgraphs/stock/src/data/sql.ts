// SQL shared by the stock writes. Columns are TIMESTAMP (no zone) holding UTC, as Prisma
// writes them; comparing or filling them with a bare now() would apply the session's zone.
import type { SqlClient } from '@grocery/platform';
import type { StockChange, StockChangeReason } from '../domain/stock-change';

export const UTC_NOW = `(now() AT TIME ZONE 'UTC')`;

/**
 * Wraps a statement that changes one stock_level row (`... RETURNING *`) so the same round
 * trip also returns the SKU's available total across locations, the earliest expiry of its live
 * lots there and the location's low-stock threshold. The CTE's outer query sees the table as it
 * was before the change, hence "this row's new value + every other row"; stock_lot changes made
 * by earlier statements of the transaction are visible (lots change before their level does).
 */
export function withSkuTotal(changeStatement: string): string {
  return `WITH changed AS (${changeStatement})
    SELECT c.sku, c.location_id AS "locationId", c.on_hand AS "onHand", c.reserved, c.updated_at AS "updatedAt", c.version,
      (c.on_hand - c.reserved + COALESCE((
        SELECT SUM(s.on_hand - s.reserved) FROM stock_level s
        WHERE s.sku = c.sku AND s.location_id <> c.location_id), 0))::int AS "totalAvailable",
      (SELECT min(t.expires_at) FROM stock_lot t
        WHERE t.sku = c.sku AND t.location_id = c.location_id AND t.quantity > 0 AND t.expires_at > ${UTC_NOW}) AS "earliestExpiry",
      (SELECT l.low_stock_threshold FROM location l WHERE l.id = c.location_id) AS "lowStockThreshold"
    FROM changed c`;
}

/**
 * Locks the stock_level rows of these (sku, location) pairs in one fixed order (PostgreSQL's
 * own ORDER BY, so every writer agrees on it), which is what keeps multi-row writers from
 * deadlocking one another. Returns the locked rows; pairs with no row are absent.
 */
export async function lockLevels(
  sql: SqlClient,
  keys: readonly { sku: string; locationId: string }[],
): Promise<{ sku: string; locationId: string; onHand: number; reserved: number }[]> {
  if (keys.length === 0) return [];
  return sql.$queryRawUnsafe(
    `SELECT s.sku, s.location_id AS "locationId", s.on_hand AS "onHand", s.reserved
       FROM stock_level s
       JOIN unnest($1::text[], $2::text[]) AS k(sku, location_id) ON k.sku = s.sku AND k.location_id = s.location_id
      ORDER BY s.sku, s.location_id
        FOR UPDATE OF s`,
    keys.map((k) => k.sku),
    keys.map((k) => k.locationId),
  );
}

export interface ChangedLevelRow {
  sku: string;
  locationId: string;
  onHand: number;
  reserved: number;
  updatedAt: Date;
  /** BIGINT: the driver returns a bigint. */
  version: bigint | number;
  totalAvailable: number;
  earliestExpiry: Date | null;
  lowStockThreshold: number;
}

/**
 * `availableDelta` is what the statement did to this level's available units (on_hand - reserved),
 * from which the level before it follows: what a crossing of the low-stock threshold is judged by.
 */
export function toStockChange(row: ChangedLevelRow, reason: StockChangeReason, availableDelta: number): StockChange {
  return {
    sku: row.sku,
    locationId: row.locationId,
    onHand: row.onHand,
    reserved: row.reserved,
    available: row.onHand - row.reserved,
    totalAvailable: row.totalAvailable,
    reason,
    changedAt: row.updatedAt,
    version: Number(row.version),
    earliestExpiry: row.earliestExpiry,
    previousAvailable: row.onHand - row.reserved - availableDelta,
    lowStockThreshold: row.lowStockThreshold,
  };
}
