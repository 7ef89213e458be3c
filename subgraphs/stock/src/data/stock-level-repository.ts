// Prisma access for stock levels: batched reads, staff adjustments and receipts, lots and the
// low-stock list. A change, its audit row, its lots and its outbox events commit together or not at all.
import { AppError, appendToOutbox, ErrorCode, notFound, type SqlClient } from '@grocery/platform';
import type { LotRecord } from '../domain/lot';
import type { Adjustment, Receipt } from '../domain/stock-rules';
import type { StockChange } from '../domain/stock-change';
import type { StockLevelRecord } from '../domain/stock-level';
import { levelEvents, STOCK_TOPIC } from '../events/stock-events';
import type { StockDb } from './db';
import { addLot, consumeLotsFefo } from './lot-sql';
import { lockLevels, toStockChange, UTC_NOW, withSkuTotal, type ChangedLevelRow } from './sql';

/** Adds on-hand units, creating the level on first use. */
const ADD_ON_HAND = withSkuTotal(`
  INSERT INTO stock_level AS l (sku, location_id, on_hand, reserved, updated_at)
  VALUES ($1, $2, $3, 0, ${UTC_NOW})
  ON CONFLICT (sku, location_id)
  DO UPDATE SET on_hand = l.on_hand + EXCLUDED.on_hand, updated_at = EXCLUDED.updated_at, version = l.version + 1
  RETURNING *`);

/** Removes on-hand units from a level the caller has locked and checked. */
const REMOVE_ON_HAND = withSkuTotal(`
  UPDATE stock_level SET on_hand = on_hand - $3, updated_at = ${UTC_NOW}, version = version + 1
  WHERE sku = $1 AND location_id = $2
  RETURNING *`);

export interface LowStockRow extends StockLevelRecord {
  available: number;
  threshold: number;
}

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
   * removals lock the level and refuse to go below what is reserved, so a concurrent
   * reservation can never be left without the units it holds, and take the units out of
   * its lots first-expiry-first.
   */
  async adjust(adj: Adjustment, actorId: string): Promise<StockChange> {
    return this.db.$transaction(async (tx) => {
      await this.requireLocation(tx, adj.locationId);
      const sql = tx as unknown as SqlClient;
      let row: ChangedLevelRow | undefined;
      if (adj.delta > 0) {
        [row] = await sql.$queryRawUnsafe<ChangedLevelRow[]>(ADD_ON_HAND, adj.sku, adj.locationId, adj.delta);
      } else {
        const [level] = await lockLevels(sql, [adj]);
        const onHand = level?.onHand ?? 0;
        const reserved = level?.reserved ?? 0;
        if (onHand + adj.delta < reserved)
          throw new AppError(
            ErrorCode.CONFLICT,
            `Cannot remove ${-adj.delta} of ${adj.sku} at ${adj.locationId}: ${onHand} on hand, ${reserved} reserved, ` +
              `so at most ${onHand - reserved} can be removed now.`,
            { field: 'delta', onHand, reserved },
          );
        await consumeLotsFefo(sql, adj.sku, adj.locationId, -adj.delta);
        [row] = await sql.$queryRawUnsafe<ChangedLevelRow[]>(REMOVE_ON_HAND, adj.sku, adj.locationId, -adj.delta);
      }
      await tx.stockMovement.create({
        data: { sku: adj.sku, locationId: adj.locationId, delta: adj.delta, reason: adj.reason, actorId },
      });
      const change = toStockChange(row!, 'ADJUSTED', adj.delta);
      await appendToOutbox(sql, STOCK_TOPIC, levelEvents(change));
      return change;
    });
  }

  /** Receives units (a delivery): on-hand grows and, with an expiry, the units form a new lot. */
  async receive(receipt: Receipt, actorId: string): Promise<{ change: StockChange; lotId: string | null }> {
    return this.db.$transaction(async (tx) => {
      await this.requireLocation(tx, receipt.locationId);
      const sql = tx as unknown as SqlClient;
      // The lot first: the level's event reads the lots (its earliest expiry) as the level changes.
      const lotId = receipt.expiresAt ? await addLot(sql, { ...receipt, expiresAt: receipt.expiresAt }) : null;
      const [row] = await sql.$queryRawUnsafe<ChangedLevelRow[]>(
        ADD_ON_HAND,
        receipt.sku,
        receipt.locationId,
        receipt.quantity,
      );
      await tx.stockMovement.create({
        data: {
          sku: receipt.sku,
          locationId: receipt.locationId,
          delta: receipt.quantity,
          reason: receipt.reason,
          actorId,
        },
      });
      const change = toStockChange(row!, 'RECEIVED', receipt.quantity);
      await appendToOutbox(sql, STOCK_TOPIC, levelEvents(change));
      return { change, lotId };
    });
  }

  /** Live lots (units left, not yet expired) of a SKU, earliest expiry first, at most `limit`. */
  liveLots(sku: string, locationId: string | null, limit: number): Promise<LotRecord[]> {
    return this.db.$queryRawUnsafe<LotRecord[]>(
      `SELECT id::text AS id, sku, location_id AS "locationId", quantity, expires_at AS "expiresAt", received_at AS "receivedAt"
         FROM stock_lot
        WHERE sku = $1 AND ($2::text IS NULL OR location_id = $2) AND quantity > 0 AND expires_at > ${UTC_NOW}
        ORDER BY expires_at, received_at, id
        LIMIT ${limit}`,
      sku,
      locationId,
    );
  }

  /** Levels at a location below its threshold, fewest available first, after the (available, sku) cursor. */
  lowStock(
    locationId: string,
    after: { available: number; sku: string } | null,
    limit: number,
  ): Promise<LowStockRow[]> {
    return this.db.$queryRawUnsafe<LowStockRow[]>(
      `SELECT s.sku, s.location_id AS "locationId", s.on_hand AS "onHand", s.reserved, s.updated_at AS "updatedAt",
              (s.on_hand - s.reserved)::int AS available, l.low_stock_threshold AS threshold
         FROM stock_level s JOIN location l ON l.id = s.location_id
        WHERE s.location_id = $1 AND s.on_hand - s.reserved < l.low_stock_threshold
          AND ($2::int IS NULL OR (s.on_hand - s.reserved, s.sku) > ($2::int, $3::text))
        ORDER BY s.on_hand - s.reserved, s.sku
        LIMIT ${limit}`,
      locationId,
      after?.available ?? null,
      after?.sku ?? null,
    );
  }

  /** Sets a location's low-stock threshold; false when there is no such location. */
  async setLowStockThreshold(locationId: string, threshold: number): Promise<boolean> {
    const n = await this.db.$executeRawUnsafe(
      `UPDATE location SET low_stock_threshold = $2 WHERE id = $1`,
      locationId,
      threshold,
    );
    return n > 0;
  }

  private async requireLocation(tx: Pick<StockDb, 'location'>, locationId: string): Promise<void> {
    const location = await tx.location.findUnique({ where: { id: locationId }, select: { id: true } });
    if (!location) throw notFound(`No location with id ${locationId}.`);
  }
}
