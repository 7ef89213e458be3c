// Prisma access for reservations. Each write is one transaction holding the reservation
// row, the stock_level change and the outbox event, so none exists without the others.
import { randomUUID } from 'node:crypto';
import { appendToOutbox, type SqlClient } from '@grocery/platform';
import {
  brokenLimit,
  type CustomerReservationLimits,
  type HeldByCustomer,
  type ReservationLimit,
  type ReservationRecord,
} from '../domain/reservation';
import type { StockChange } from '../domain/stock-change';
import type { ReservationRequest } from '../domain/stock-rules';
import { levelEvents, STOCK_TOPIC } from '../events/stock-events';
import type { StockDb } from './db';
import { lockLevels, toStockChange, UTC_NOW, withSkuTotal, type ChangedLevelRow } from './sql';

/**
 * Checkouts for one SKU queue on its stock_level row lock; give them room to wait for a
 * pooled connection and for the row rather than failing a burst (Prisma's defaults are 2 s / 5 s).
 */
const TX_OPTIONS = { maxWait: 15_000, timeout: 15_000 };

const RESERVATION_COLUMNS = `id::text AS id, sku, location_id AS "locationId", quantity, status::text AS status,
  owner_id AS "ownerId", expires_at AS "expiresAt", created_at AS "createdAt", closed_at AS "closedAt"`;

export interface PlacedReservation {
  reservation: ReservationRecord;
  change: StockChange;
}

/** The reservation was refused because its owner holds too much already; nothing was written. */
export interface OverLimit {
  overLimit: { limit: ReservationLimit; max: number; held: HeldByCustomer };
}

export interface ClosedReservation {
  reservation: ReservationRecord;
  change: StockChange;
}

/** Gives a closed reservation's units back to its stock_level row (reserved -= quantity). */
export const RETURN_UNITS = withSkuTotal(`
  UPDATE stock_level SET reserved = reserved - $3, updated_at = ${UTC_NOW}, version = version + 1
  WHERE sku = $1 AND location_id = $2
  RETURNING *`);

export class ReservationRepository {
  constructor(private readonly db: StockDb) {}

  /**
   * Holds `quantity` units, or returns null (writing nothing) when fewer are available.
   * The hold is one conditional UPDATE: the row lock serialises concurrent checkouts and the
   * condition is re-checked on the locked row, so stock is never oversold.
   * With `limits`, the owner's reservations are counted under a per-owner advisory lock held to
   * commit, so concurrent requests of one customer cannot together pass a cap.
   */
  async reserve(
    req: ReservationRequest,
    ownerId: string,
    ttlSeconds: number,
    limits?: CustomerReservationLimits,
  ): Promise<PlacedReservation | OverLimit | null> {
    return this.db.$transaction(async (tx) => {
      const sql = tx as unknown as SqlClient;
      if (limits) {
        await sql.$executeRawUnsafe(
          `SELECT pg_advisory_xact_lock(hashtextextended('stock.reservation-owner:' || $1, 0))`,
          ownerId,
        );
        const [held] = await sql.$queryRawUnsafe<HeldByCustomer[]>(
          `SELECT count(*)::int AS reservations, coalesce(sum(quantity), 0)::int AS units
             FROM reservation
            WHERE owner_id = $1 AND status = 'ACTIVE' AND expires_at > ${UTC_NOW}`,
          ownerId,
        );
        const broken = brokenLimit(held!, req.quantity, limits);
        if (broken) return { overLimit: { ...broken, held: held! } };
      }
      const [level] = await sql.$queryRawUnsafe<ChangedLevelRow[]>(
        withSkuTotal(`
          UPDATE stock_level SET reserved = reserved + $3, updated_at = ${UTC_NOW}, version = version + 1
          WHERE sku = $1 AND location_id = $2 AND on_hand - reserved >= $3
          RETURNING *`),
        req.sku,
        req.locationId,
        req.quantity,
      );
      if (!level) return null;
      const [reservation] = await sql.$queryRawUnsafe<ReservationRecord[]>(
        `INSERT INTO reservation (id, sku, location_id, quantity, status, owner_id, expires_at, created_at)
         VALUES ($1::uuid, $2, $3, $4, 'ACTIVE', $5, ${UTC_NOW} + make_interval(secs => $6), ${UTC_NOW})
         RETURNING ${RESERVATION_COLUMNS}`,
        randomUUID(),
        req.sku,
        req.locationId,
        req.quantity,
        ownerId,
        ttlSeconds,
      );
      const change = toStockChange(level, 'RESERVED', -req.quantity);
      await appendToOutbox(sql, STOCK_TOPIC, levelEvents(change));
      return { reservation: reservation!, change };
    }, TX_OPTIONS);
  }

  /** Units available for a SKU at a location, or null when the location does not exist. */
  async availableAt(sku: string, locationId: string): Promise<number | null> {
    const rows = await this.db.$queryRawUnsafe<{ available: number }[]>(
      `SELECT COALESCE(s.on_hand - s.reserved, 0)::int AS available
       FROM location l LEFT JOIN stock_level s ON s.location_id = l.id AND s.sku = $1
       WHERE l.id = $2`,
      sku,
      locationId,
    );
    return rows[0]?.available ?? null;
  }

  async findById(id: string): Promise<ReservationRecord | null> {
    const rows = await this.db.$queryRawUnsafe<ReservationRecord[]>(
      `SELECT ${RESERVATION_COLUMNS} FROM reservation WHERE id = $1::uuid`,
      id,
    );
    return rows[0] ?? null;
  }

  /**
   * Releases an ACTIVE reservation and returns its units. Returns null when it was no longer
   * active: another release or the sweeper got there first, and the status condition makes
   * sure the units are returned exactly once.
   */
  async release(id: string): Promise<ClosedReservation | null> {
    return this.db.$transaction(async (tx) => {
      const sql = tx as unknown as SqlClient;
      const [reservation] = await sql.$queryRawUnsafe<ReservationRecord[]>(
        `UPDATE reservation SET status = 'RELEASED', closed_at = ${UTC_NOW}
         WHERE id = $1::uuid AND status = 'ACTIVE'
         RETURNING ${RESERVATION_COLUMNS}`,
        id,
      );
      if (!reservation) return null;
      const [level] = await sql.$queryRawUnsafe<ChangedLevelRow[]>(
        RETURN_UNITS,
        reservation.sku,
        reservation.locationId,
        reservation.quantity,
      );
      const change = toStockChange(level!, 'RELEASED', reservation.quantity);
      await appendToOutbox(sql, STOCK_TOPIC, levelEvents(change));
      return { reservation, change };
    }, TX_OPTIONS);
  }

  /**
   * Expires up to `limit` overdue reservations and returns their units, one event per
   * (SKU, location) touched. SKIP LOCKED lets several replicas sweep side by side, and
   * skips a reservation whose owner is releasing it right now.
   */
  async expireDue(limit: number): Promise<{ expired: number; changes: StockChange[] }> {
    return this.db.$transaction(async (tx) => {
      const sql = tx as unknown as SqlClient;
      const expired = await sql.$queryRawUnsafe<{ sku: string; locationId: string; quantity: number }[]>(
        `UPDATE reservation SET status = 'EXPIRED', closed_at = ${UTC_NOW}
         WHERE id IN (
           SELECT id FROM reservation
           WHERE status = 'ACTIVE' AND expires_at <= ${UTC_NOW}
           ORDER BY expires_at LIMIT $1
           FOR UPDATE SKIP LOCKED)
         RETURNING sku, location_id AS "locationId", quantity`,
        limit,
      );
      const totals = new Map<string, { sku: string; locationId: string; quantity: number }>();
      for (const r of expired) {
        const key = JSON.stringify([r.sku, r.locationId]);
        const t = totals.get(key);
        if (t) t.quantity += r.quantity;
        else totals.set(key, { ...r });
      }
      // A fixed order of row locks (the one every multi-row writer takes), so two sweepers, or a
      // sweeper and an order's writes, can never deadlock on stock_level.
      const ordered = [...totals.values()];
      await lockLevels(sql, ordered);
      const changes: StockChange[] = [];
      for (const t of ordered) {
        const [level] = await sql.$queryRawUnsafe<ChangedLevelRow[]>(RETURN_UNITS, t.sku, t.locationId, t.quantity);
        changes.push(toStockChange(level!, 'EXPIRED', t.quantity));
      }
      await appendToOutbox(sql, STOCK_TOPIC, changes.flatMap(levelEvents));
      return { expired: expired.length, changes };
    }, TX_OPTIONS);
  }
}
