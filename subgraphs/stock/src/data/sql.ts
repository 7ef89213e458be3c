// SQL shared by the stock writes. Columns are TIMESTAMP (no zone) holding UTC, as Prisma
// writes them; comparing or filling them with a bare now() would apply the session's zone.
import type { StockChange, StockChangeReason } from '../domain/stock-change';

export const UTC_NOW = `(now() AT TIME ZONE 'UTC')`;

/**
 * Wraps a statement that changes one stock_level row (`... RETURNING *`) so the same round
 * trip also returns the SKU's available total across locations. The CTE's outer query sees
 * the table as it was before the change, hence "this row's new value + every other row".
 */
export function withSkuTotal(changeStatement: string): string {
  return `WITH changed AS (${changeStatement})
    SELECT c.sku, c.location_id AS "locationId", c.on_hand AS "onHand", c.reserved, c.updated_at AS "updatedAt", c.version,
      (c.on_hand - c.reserved + COALESCE((
        SELECT SUM(s.on_hand - s.reserved) FROM stock_level s
        WHERE s.sku = c.sku AND s.location_id <> c.location_id), 0))::int AS "totalAvailable"
    FROM changed c`;
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
}

export function toStockChange(row: ChangedLevelRow, reason: StockChangeReason): StockChange {
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
  };
}
