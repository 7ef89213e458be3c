// Stock's levels as they are now, a page at a time: the source of truth other domains rebuild
// their projections of stock from (products' in-stock projection, `pnpm ops rebuild in-stock`).
import type { SqlClient } from '@grocery/platform';
import { createStockDb } from './db';

export interface StockLevelSnapshot {
  sku: string;
  locationId: string;
  available: number;
  changedAt: Date;
  /** stock_level.version: what the level's events carry, so a rebuild and live events agree. */
  version: number;
  /** The earliest expiry of the level's live lots (stock.level_changed's earliestExpiry), or null. */
  earliestExpiry: Date | null;
}

/** Every level after `after` (by sku, location), at most `limit`, in that order. */
export async function readStockLevels(
  db: SqlClient,
  after: { sku: string; locationId: string } | null,
  limit: number,
): Promise<StockLevelSnapshot[]> {
  const rows = await db.$queryRawUnsafe<(Omit<StockLevelSnapshot, 'version'> & { version: bigint })[]>(
    `SELECT s.sku, s.location_id AS "locationId", (s.on_hand - s.reserved)::int AS available, s.updated_at AS "changedAt",
            s.version,
            (SELECT min(t.expires_at) FROM stock.stock_lot t
              WHERE t.sku = s.sku AND t.location_id = s.location_id AND t.quantity > 0
                AND t.expires_at > (now() AT TIME ZONE 'UTC')) AS "earliestExpiry"
       FROM stock.stock_level s
      WHERE ($1::text IS NULL OR (s.sku, s.location_id) > ($1::text, $2::text))
      ORDER BY s.sku, s.location_id
      LIMIT ${Math.max(1, Math.min(limit, 10_000))}`,
    after?.sku ?? null,
    after?.locationId ?? null,
  );
  return rows.map((r) => ({ ...r, version: Number(r.version) }));
}

/** Every stock level, page by page (for a rebuild run from the ops CLI). */
export async function* allStockLevels(databaseUrl: string, pageSize = 5_000): AsyncGenerator<StockLevelSnapshot[]> {
  const db = createStockDb(databaseUrl);
  try {
    let after: { sku: string; locationId: string } | null = null;
    for (;;) {
      const page = await readStockLevels(db as unknown as SqlClient, after, pageSize);
      if (page.length === 0) return;
      yield page;
      const last = page[page.length - 1]!;
      after = { sku: last.sku, locationId: last.locationId };
    }
  } finally {
    await db.$disconnect();
  }
}
