// Prisma access for writing off expired lots. Each (sku, location) is one transaction under its
// stock_level row lock: the lots' quantities, the level, the audit row and the events together.
import { appendToOutbox, type DomainEvent, type SqlClient } from '@grocery/platform';
import type { StockChange } from '../domain/stock-change';
import { levelEvents, lotExpired, STOCK_TOPIC } from '../events/stock-events';
import type { StockDb } from './db';
import { lockLevels, toStockChange, UTC_NOW, withSkuTotal, type ChangedLevelRow } from './sql';

const WRITE_OFF = withSkuTotal(`
  UPDATE stock_level SET on_hand = on_hand - $3, updated_at = ${UTC_NOW}, version = version + 1
  WHERE sku = $1 AND location_id = $2
  RETURNING *`);

export interface WriteOff {
  change: StockChange;
  /** Units the expired lots still held. */
  expired: number;
  /** Units that left on-hand: fewer than `expired` when reserved units kept the rest on hand. */
  writtenOff: number;
}

export class LotRepository {
  constructor(private readonly db: StockDb) {}

  /** Levels with at least one lot past its expiry and units left (at most `limit`). */
  dueLevels(limit: number): Promise<{ sku: string; locationId: string }[]> {
    return this.db.$queryRawUnsafe(
      `SELECT DISTINCT sku, location_id AS "locationId" FROM (
         SELECT sku, location_id FROM stock_lot
          WHERE quantity > 0 AND expires_at <= ${UTC_NOW}
          ORDER BY expires_at LIMIT ${limit}) due`,
    );
  }

  /**
   * Writes off the level's expired lots: on-hand loses their units, but never below what is
   * reserved (those units stay on hand, untracked, and the orders holding them come up short at
   * picking). Null when another replica got there first. Idempotent: a lot written off has 0 left.
   */
  async writeOffExpired(sku: string, locationId: string): Promise<WriteOff | null> {
    return this.db.$transaction(async (tx) => {
      const sql = tx as unknown as SqlClient;
      const [level] = await lockLevels(sql, [{ sku, locationId }]);
      const lots = await sql.$queryRawUnsafe<{ id: string; quantity: number; expiresAt: Date }[]>(
        `SELECT id::text AS id, quantity, expires_at AS "expiresAt" FROM stock_lot
          WHERE sku = $1 AND location_id = $2 AND quantity > 0 AND expires_at <= ${UTC_NOW}
          ORDER BY expires_at, received_at, id`,
        sku,
        locationId,
      );
      if (lots.length === 0) return null;
      const expired = lots.reduce((n, l) => n + l.quantity, 0);
      const writtenOff = level ? Math.min(expired, level.onHand - level.reserved) : 0;
      await sql.$executeRawUnsafe(
        `UPDATE stock_lot SET quantity = 0 WHERE id = ANY($1::uuid[])`,
        lots.map((l) => l.id),
      );
      if (!level) return null; // lots without a level: nothing on hand to write off
      const [row] = await sql.$queryRawUnsafe<ChangedLevelRow[]>(WRITE_OFF, sku, locationId, writtenOff);
      if (writtenOff > 0)
        await sql.$executeRawUnsafe(
          `INSERT INTO stock_movement (sku, location_id, delta, reason, actor_id, created_at)
           VALUES ($1, $2, $3, 'expired', NULL, ${UTC_NOW})`,
          sku,
          locationId,
          -writtenOff,
        );
      const change = toStockChange(row!, 'WRITTEN_OFF', -writtenOff);
      // Each lot's share of what left, earliest first.
      let left = writtenOff;
      const events: DomainEvent[] = lots.map((lot) => {
        const quantity = Math.min(lot.quantity, left);
        left -= quantity;
        return lotExpired(
          { sku, locationId, lotId: lot.id, quantity, expiredAt: lot.expiresAt.toISOString() },
          change.changedAt,
        );
      });
      await appendToOutbox(sql, STOCK_TOPIC, [...events, ...levelEvents(change)]);
      return { change, expired, writtenOff };
    });
  }
}
