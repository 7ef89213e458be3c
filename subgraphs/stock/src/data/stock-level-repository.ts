// Prisma access for stock levels: batched reads and staff adjustments. An adjustment, its
// audit row and its outbox event commit together or not at all.
import { AppError, appendToOutbox, ErrorCode, notFound, type SqlClient } from '@grocery/platform';
import type { Adjustment } from '../domain/stock-rules';
import type { StockChange } from '../domain/stock-change';
import type { StockLevelRecord } from '../domain/stock-level';
import { STOCK_TOPIC, stockLevelChanged } from '../events/stock-events';
import type { StockDb } from './db';
import { toStockChange, UTC_NOW, withSkuTotal, type ChangedLevelRow } from './sql';

export class StockLevelRepository {
  constructor(private readonly db: StockDb) {}

  /** Every level of the given SKUs in one query (the availability batch for `_entities`). */
  levelsForSkus(skus: readonly string[]): Promise<StockLevelRecord[]> {
    return this.db.stockLevel.findMany({
      where: { sku: { in: [...skus] } },
      select: { sku: true, locationId: true, onHand: true, reserved: true, updatedAt: true },
      orderBy: [{ sku: 'asc' }, { locationId: 'asc' }],
    });
  }

  /**
   * Adds (or removes, delta < 0) on-hand units. Additions create the row on first use;
   * removals are one conditional UPDATE that refuses to go below what is reserved, so a
   * concurrent reservation can never be left without the units it holds.
   */
  async adjust(adj: Adjustment, actorId: string): Promise<StockChange> {
    return this.db.$transaction(async (tx) => {
      const location = await tx.location.findUnique({ where: { id: adj.locationId }, select: { id: true } });
      if (!location) throw notFound(`No location with id ${adj.locationId}.`);
      const sql = tx as unknown as SqlClient;
      const rows =
        adj.delta > 0
          ? await sql.$queryRawUnsafe<ChangedLevelRow[]>(
              withSkuTotal(`
                INSERT INTO stock_level AS l (sku, location_id, on_hand, reserved, updated_at)
                VALUES ($1, $2, $3, 0, ${UTC_NOW})
                ON CONFLICT (sku, location_id)
                DO UPDATE SET on_hand = l.on_hand + EXCLUDED.on_hand, updated_at = EXCLUDED.updated_at, version = l.version + 1
                RETURNING *`),
              adj.sku,
              adj.locationId,
              adj.delta,
            )
          : await sql.$queryRawUnsafe<ChangedLevelRow[]>(
              withSkuTotal(`
                UPDATE stock_level SET on_hand = on_hand + $3, updated_at = ${UTC_NOW}, version = version + 1
                WHERE sku = $1 AND location_id = $2 AND on_hand + $3 >= reserved
                RETURNING *`),
              adj.sku,
              adj.locationId,
              adj.delta,
            );
      const row = rows[0];
      if (!row) {
        const level = await tx.stockLevel.findUnique({
          where: { sku_locationId: { sku: adj.sku, locationId: adj.locationId } },
          select: { onHand: true, reserved: true },
        });
        const onHand = level?.onHand ?? 0;
        const reserved = level?.reserved ?? 0;
        throw new AppError(
          ErrorCode.CONFLICT,
          `Cannot remove ${-adj.delta} of ${adj.sku} at ${adj.locationId}: ${onHand} on hand, ${reserved} reserved, ` +
            `so at most ${onHand - reserved} can be removed now.`,
          { field: 'delta', onHand, reserved },
        );
      }
      await tx.stockMovement.create({
        data: { sku: adj.sku, locationId: adj.locationId, delta: adj.delta, reason: adj.reason, actorId },
      });
      const change = toStockChange(row, 'ADJUSTED');
      await appendToOutbox(sql, STOCK_TOPIC, [stockLevelChanged(change)]);
      return change;
    });
  }
}
