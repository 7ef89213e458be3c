// SQL for perishable lots. Callers hold the (sku, location)'s stock_level row lock (lockLevels)
// before touching its lots, so the level's lock serialises its lots too: no lot locks needed.
import { randomUUID } from 'node:crypto';
import type { SqlClient } from '@grocery/platform';
import { UTC_NOW } from './sql';

/**
 * Takes `units` out of the level's lots, earliest expiry first (FEFO; an expired lot not yet
 * written off is the earliest, so it goes first). Units beyond what the lots hold are
 * untracked stock and need nothing here. Returns the units taken from lots.
 */
export async function consumeLotsFefo(sql: SqlClient, sku: string, locationId: string, units: number): Promise<number> {
  if (units <= 0) return 0;
  const rows = await sql.$queryRawUnsafe<{ taken: number }[]>(
    `WITH ordered AS (
       SELECT id, quantity,
              sum(quantity) OVER (ORDER BY expires_at, received_at, id) - quantity AS before
         FROM stock_lot WHERE sku = $1 AND location_id = $2 AND quantity > 0),
     taken AS (
       UPDATE stock_lot t SET quantity = t.quantity - LEAST(o.quantity, $3 - o.before)
         FROM ordered o
        WHERE t.id = o.id AND o.before < $3
       RETURNING LEAST(o.quantity, $3 - o.before) AS n)
     SELECT COALESCE(sum(n), 0)::int AS taken FROM taken`,
    sku,
    locationId,
    units,
  );
  return rows[0]?.taken ?? 0;
}

export async function addLot(
  sql: SqlClient,
  lot: { sku: string; locationId: string; quantity: number; expiresAt: Date },
): Promise<string> {
  const id = randomUUID();
  await sql.$executeRawUnsafe(
    `INSERT INTO stock_lot (id, sku, location_id, quantity, expires_at, received_at)
     VALUES ($1::uuid, $2, $3, $4, $5::timestamptz AT TIME ZONE 'UTC', ${UTC_NOW})`,
    id,
    lot.sku,
    lot.locationId,
    lot.quantity,
    lot.expiresAt.toISOString(),
  );
  return id;
}

/** The earliest expiry of the level's live lots (some left, not yet expired), or null. */
export async function earliestLiveExpiry(sql: SqlClient, sku: string, locationId: string): Promise<Date | null> {
  const rows = await sql.$queryRawUnsafe<{ at: Date | null }[]>(
    `SELECT min(expires_at) AS at FROM stock_lot
      WHERE sku = $1 AND location_id = $2 AND quantity > 0 AND expires_at > ${UTC_NOW}`,
    sku,
    locationId,
  );
  return rows[0]?.at ?? null;
}
