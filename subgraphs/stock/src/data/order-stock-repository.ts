// Prisma access for stock held for orders. Each write is one transaction holding the order's
// reservation row, its lines, the stock_level changes and their outbox events. Lock order, the
// same in every writer: the order_reservation row, then stock_level rows in lockLevels' order,
// then (under a level's lock) that level's lots.
import { AppError, appendToOutbox, conflict, ErrorCode, notFound, type SqlClient } from '@grocery/platform';
import {
  HOLDING,
  sameLines,
  type OrderStockLine,
  type OrderStockRecord,
  type OrderStockRequest,
  type ReserveOrderOutcome,
  type ShortLine,
} from '../domain/order-stock';
import type { StockChange } from '../domain/stock-change';
import { levelEvents, STOCK_TOPIC } from '../events/stock-events';
import type { StockDb } from './db';
import { addLot, consumeLotsFefo, earliestLiveExpiry } from './lot-sql';
import { RETURN_UNITS } from './reservation-repository';
import { lockLevels, toStockChange, UTC_NOW, withSkuTotal, type ChangedLevelRow } from './sql';

/** Order writes queue on hot SKUs' row locks like checkouts do: room to wait (Prisma's defaults are 2 s / 5 s). */
const TX_OPTIONS = { maxWait: 20_000, timeout: 20_000 };

const HOLD_UNITS = withSkuTotal(`
  UPDATE stock_level SET reserved = reserved + $3, updated_at = ${UTC_NOW}, version = version + 1
  WHERE sku = $1 AND location_id = $2
  RETURNING *`);

/** Picking: the picked units leave on-hand and the order's held units stop being reserved. */
const PICK_UNITS = withSkuTotal(`
  UPDATE stock_level SET on_hand = on_hand - $3, reserved = reserved - $4, updated_at = ${UTC_NOW}, version = version + 1
  WHERE sku = $1 AND location_id = $2
  RETURNING *`);

const ADD_ON_HAND = withSkuTotal(`
  INSERT INTO stock_level AS l (sku, location_id, on_hand, reserved, updated_at)
  VALUES ($1, $2, $3, 0, ${UTC_NOW})
  ON CONFLICT (sku, location_id)
  DO UPDATE SET on_hand = l.on_hand + EXCLUDED.on_hand, updated_at = EXCLUDED.updated_at, version = l.version + 1
  RETURNING *`);

const ORDER_COLUMNS = `r.order_id AS "orderId", r.location_id AS "locationId", r.status::text AS status, r.expires_at AS "expiresAt",
  COALESCE((SELECT json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity) ORDER BY l.sku)
              FROM order_reservation_line l WHERE l.order_id = r.order_id), '[]'::json) AS lines`;

/** Thrown inside a transaction to roll it back when a line is short. */
class Shortage extends Error {
  constructor(readonly lines: ShortLine[]) {
    super('short');
  }
}

export interface OrderStockWrite {
  reservation: OrderStockRecord;
  changes: StockChange[];
}

export class OrderStockRepository {
  constructor(private readonly db: StockDb) {}

  async find(orderId: string): Promise<OrderStockRecord | null> {
    return readOrder(this.db as unknown as SqlClient, orderId, false);
  }

  /**
   * Holds every line's units at the location, or none (a Shortage listing the short lines).
   * The order id is the primary key: a concurrent duplicate waits on the first one's insert and
   * then finds its reservation, so one order never holds twice.
   */
  async reserve(req: OrderStockRequest): Promise<ReserveOrderOutcome & { changes: StockChange[] }> {
    try {
      return await this.db.$transaction(async (tx) => {
        const sql = tx as unknown as SqlClient;
        const location = await tx.location.findUnique({ where: { id: req.locationId }, select: { id: true } });
        if (!location) throw notFound(`No location with id ${req.locationId}.`);
        const inserted = await sql.$queryRawUnsafe<unknown[]>(
          `INSERT INTO order_reservation (order_id, location_id, status, expires_at, created_at, updated_at)
           VALUES ($1, $2, 'RESERVED', ${UTC_NOW} + make_interval(secs => $3), ${UTC_NOW}, ${UTC_NOW})
           ON CONFLICT (order_id) DO NOTHING
           RETURNING order_id`,
          req.orderId,
          req.locationId,
          req.holdSeconds,
        );
        if (inserted.length === 0) {
          const existing = (await readOrder(sql, req.orderId, true))!;
          if (HOLDING.includes(existing.status)) {
            if (existing.locationId === req.locationId && sameLines(existing.lines, req.lines))
              return { kind: 'reserved' as const, reservation: existing, changes: [] };
            throw conflict(
              `Order ${req.orderId} already holds different stock; release it before reserving other lines.`,
            );
          }
          if (existing.status === 'CONSUMED')
            throw conflict(`Order ${req.orderId} has been picked; its stock can no longer be reserved.`);
          // RELEASED or EXPIRED: the order tries again, as a new reservation.
          await sql.$executeRawUnsafe(
            `UPDATE order_reservation
                SET location_id = $2, status = 'RESERVED', expires_at = ${UTC_NOW} + make_interval(secs => $3),
                    updated_at = ${UTC_NOW}, closed_at = NULL
              WHERE order_id = $1`,
            req.orderId,
            req.locationId,
            req.holdSeconds,
          );
          await sql.$executeRawUnsafe(`DELETE FROM order_reservation_line WHERE order_id = $1`, req.orderId);
        }
        const locked = await lockLevels(
          sql,
          req.lines.map((l) => ({ sku: l.sku, locationId: req.locationId })),
        );
        const bySku = new Map(locked.map((l) => [l.sku, l]));
        const short = req.lines
          .map((l) => {
            const level = bySku.get(l.sku);
            return { sku: l.sku, requested: l.quantity, available: level ? level.onHand - level.reserved : 0 };
          })
          .filter((l) => l.available < l.requested);
        if (short.length > 0) throw new Shortage(short);
        await insertLines(sql, req.orderId, req.lines);
        const changes: StockChange[] = [];
        for (const line of req.lines) {
          const [row] = await sql.$queryRawUnsafe<ChangedLevelRow[]>(
            HOLD_UNITS,
            line.sku,
            req.locationId,
            line.quantity,
          );
          changes.push(toStockChange(row!, 'RESERVED', -line.quantity));
        }
        await appendToOutbox(sql, STOCK_TOPIC, changes.flatMap(levelEvents));
        return { kind: 'reserved' as const, reservation: (await readOrder(sql, req.orderId, false))!, changes };
      }, TX_OPTIONS);
    } catch (err) {
      if (err instanceof Shortage) return { kind: 'short', lines: err.lines, changes: [] };
      throw err;
    }
  }

  /** RESERVED (and not yet past its expiry) becomes ALLOCATED, with no expiry. Idempotent. */
  async allocate(orderId: string): Promise<OrderStockRecord> {
    return this.db.$transaction(async (tx) => {
      const sql = tx as unknown as SqlClient;
      await sql.$executeRawUnsafe(
        `UPDATE order_reservation SET status = 'ALLOCATED', expires_at = NULL, updated_at = ${UTC_NOW}
          WHERE order_id = $1 AND status = 'RESERVED' AND expires_at > ${UTC_NOW}`,
        orderId,
      );
      const now = await readOrder(sql, orderId, false);
      if (now?.status === 'ALLOCATED') return now;
      throw new AppError(
        ErrorCode.CONFLICT,
        now
          ? `Order ${orderId}'s stock is ${now.status === 'RESERVED' ? 'past its hold' : now.status.toLowerCase()}; it cannot be allocated.`
          : `Order ${orderId} holds no stock; it cannot be allocated.`,
        { status: now?.status ?? null },
      );
    }, TX_OPTIONS);
  }

  /**
   * Gives a RESERVED or ALLOCATED order's units back (RELEASED). Any other state is answered as
   * it is (null when the order has none): the status condition returns the units exactly once.
   */
  async release(orderId: string): Promise<OrderStockWrite | null> {
    return this.db.$transaction(async (tx) => {
      const sql = tx as unknown as SqlClient;
      const released = await sql.$queryRawUnsafe<{ locationId: string }[]>(
        `UPDATE order_reservation SET status = 'RELEASED', expires_at = NULL, updated_at = ${UTC_NOW}, closed_at = ${UTC_NOW}
          WHERE order_id = $1 AND status IN ('RESERVED', 'ALLOCATED')
          RETURNING location_id AS "locationId"`,
        orderId,
      );
      const reservation = await readOrder(sql, orderId, false);
      if (!reservation) return null;
      if (released.length === 0) return { reservation, changes: [] };
      const changes = await returnUnits(
        sql,
        reservation.lines.map((l) => ({ ...l, locationId: reservation.locationId })),
        'RELEASED',
      );
      return { reservation, changes };
    }, TX_OPTIONS);
  }

  /**
   * Picking: `picked` units leave on-hand (lots first-expiry-first), the order's held units are
   * no longer reserved, and the reservation becomes CONSUMED with the picked lines. A SKU picked
   * beyond what the order held takes the rest from its available units, else CONFLICT and
   * nothing changes. A CONSUMED order is answered unchanged.
   */
  async pick(orderId: string, picked: OrderStockLine[]): Promise<OrderStockWrite> {
    return this.db.$transaction(async (tx) => {
      const sql = tx as unknown as SqlClient;
      const order = await readOrder(sql, orderId, true);
      if (order?.status === 'CONSUMED') return { reservation: order, changes: [] };
      if (!order || !HOLDING.includes(order.status))
        throw new AppError(
          ErrorCode.CONFLICT,
          order
            ? `Order ${orderId}'s stock is ${order.status.toLowerCase()}; reserve it again before picking.`
            : `Order ${orderId} holds no stock to pick.`,
          { status: order?.status ?? null },
        );
      const held = new Map(order.lines.map((l) => [l.sku, l.quantity]));
      const took = new Map(picked.map((l) => [l.sku, l.quantity]));
      const skus = [...new Set([...held.keys(), ...took.keys()])];
      const locked = await lockLevels(
        sql,
        skus.map((sku) => ({ sku, locationId: order.locationId })),
      );
      const bySku = new Map(locked.map((l) => [l.sku, l]));
      const short = skus
        .map((sku) => {
          const level = bySku.get(sku);
          const extra = (took.get(sku) ?? 0) - (held.get(sku) ?? 0);
          return { sku, extra, available: level ? level.onHand - level.reserved : 0 };
        })
        .filter((s) => s.extra > s.available);
      if (short.length > 0)
        throw new AppError(
          ErrorCode.CONFLICT,
          `Not enough stock at ${order.locationId} to pick beyond the order's reservation: ` +
            short.map((s) => `${s.sku} needs ${s.extra} more, ${s.available} available`).join('; ') +
            '. Nothing was picked.',
          { short: short.map((s) => ({ sku: s.sku, needed: s.extra, available: s.available })) },
        );
      const changes: StockChange[] = [];
      for (const level of locked) {
        const k = took.get(level.sku) ?? 0;
        const r = held.get(level.sku) ?? 0;
        await consumeLotsFefo(sql, level.sku, level.locationId, k);
        const [row] = await sql.$queryRawUnsafe<ChangedLevelRow[]>(PICK_UNITS, level.sku, level.locationId, k, r);
        changes.push(toStockChange(row!, 'PICKED', r - k));
        if (k > 0)
          await sql.$executeRawUnsafe(
            `INSERT INTO stock_movement (sku, location_id, delta, reason, actor_id, created_at)
             VALUES ($1, $2, $3, 'picked', $4, ${UTC_NOW})`,
            level.sku,
            level.locationId,
            -k,
            `order:${orderId}`,
          );
      }
      await sql.$executeRawUnsafe(
        `UPDATE order_reservation SET status = 'CONSUMED', expires_at = NULL, updated_at = ${UTC_NOW}, closed_at = ${UTC_NOW}
          WHERE order_id = $1`,
        orderId,
      );
      await sql.$executeRawUnsafe(`DELETE FROM order_reservation_line WHERE order_id = $1`, orderId);
      await insertLines(sql, orderId, picked);
      await appendToOutbox(sql, STOCK_TOPIC, changes.flatMap(levelEvents));
      return { reservation: (await readOrder(sql, orderId, false))!, changes };
    }, TX_OPTIONS);
  }

  /**
   * Puts a return's units back on-hand (once per return id: a repeat answers the units of the
   * first). For a SKU with live lots at the location the units form a lot expiring with the
   * earliest of them (the returned goods are assumed no fresher than the shelf's oldest).
   */
  async restockReturn(
    returnId: string,
    locationId: string,
    lines: OrderStockLine[],
  ): Promise<{ units: number; changes: StockChange[] }> {
    return this.db.$transaction(async (tx) => {
      const sql = tx as unknown as SqlClient;
      const location = await tx.location.findUnique({ where: { id: locationId }, select: { id: true } });
      if (!location) throw notFound(`No location with id ${locationId}.`);
      const units = lines.reduce((n, l) => n + l.quantity, 0);
      const recorded = await sql.$queryRawUnsafe<unknown[]>(
        `INSERT INTO stock_return (return_id, location_id, units, created_at) VALUES ($1, $2, $3, ${UTC_NOW})
         ON CONFLICT (return_id) DO NOTHING RETURNING return_id`,
        returnId,
        locationId,
        units,
      );
      if (recorded.length === 0) {
        const [earlier] = await sql.$queryRawUnsafe<{ units: number }[]>(
          `SELECT units FROM stock_return WHERE return_id = $1`,
          returnId,
        );
        return { units: earlier!.units, changes: [] };
      }
      await lockLevels(
        sql,
        lines.map((l) => ({ sku: l.sku, locationId })),
      );
      const changes: StockChange[] = [];
      for (const line of lines) {
        const expiresAt = await earliestLiveExpiry(sql, line.sku, locationId);
        if (expiresAt) await addLot(sql, { sku: line.sku, locationId, quantity: line.quantity, expiresAt });
        const [row] = await sql.$queryRawUnsafe<ChangedLevelRow[]>(ADD_ON_HAND, line.sku, locationId, line.quantity);
        changes.push(toStockChange(row!, 'RETURNED', line.quantity));
        await sql.$executeRawUnsafe(
          `INSERT INTO stock_movement (sku, location_id, delta, reason, actor_id, created_at)
           VALUES ($1, $2, $3, 'returned', $4, ${UTC_NOW})`,
          line.sku,
          locationId,
          line.quantity,
          `return:${returnId}`,
        );
      }
      await appendToOutbox(sql, STOCK_TOPIC, changes.flatMap(levelEvents));
      return { units, changes };
    }, TX_OPTIONS);
  }

  /**
   * Expires up to `limit` RESERVED holds past their expiry and returns their units, one event
   * per (SKU, location). SKIP LOCKED: replicas sweep side by side and skip an order being
   * allocated or released right now (its status condition decides after).
   */
  async expireDue(limit: number): Promise<{ expired: number; changes: StockChange[] }> {
    return this.db.$transaction(async (tx) => {
      const sql = tx as unknown as SqlClient;
      const expired = await sql.$queryRawUnsafe<{ orderId: string }[]>(
        `UPDATE order_reservation SET status = 'EXPIRED', updated_at = ${UTC_NOW}, closed_at = ${UTC_NOW}
          WHERE order_id IN (
            SELECT order_id FROM order_reservation
             WHERE status = 'RESERVED' AND expires_at <= ${UTC_NOW}
             ORDER BY expires_at LIMIT $1
             FOR UPDATE SKIP LOCKED)
          RETURNING order_id AS "orderId"`,
        limit,
      );
      if (expired.length === 0) return { expired: 0, changes: [] };
      const lines = await sql.$queryRawUnsafe<{ sku: string; locationId: string; quantity: number }[]>(
        `SELECT l.sku, r.location_id AS "locationId", sum(l.quantity)::int AS quantity
           FROM order_reservation_line l JOIN order_reservation r ON r.order_id = l.order_id
          WHERE l.order_id = ANY($1::text[])
          GROUP BY l.sku, r.location_id`,
        expired.map((e) => e.orderId),
      );
      return { expired: expired.length, changes: await returnUnits(sql, lines, 'EXPIRED') };
    }, TX_OPTIONS);
  }
}

async function readOrder(sql: SqlClient, orderId: string, forUpdate: boolean): Promise<OrderStockRecord | null> {
  const rows = await sql.$queryRawUnsafe<OrderStockRecord[]>(
    `SELECT ${ORDER_COLUMNS} FROM order_reservation r WHERE r.order_id = $1${forUpdate ? ' FOR UPDATE OF r' : ''}`,
    orderId,
  );
  return rows[0] ?? null;
}

async function insertLines(sql: SqlClient, orderId: string, lines: readonly OrderStockLine[]): Promise<void> {
  if (lines.length === 0) return;
  await sql.$executeRawUnsafe(
    `INSERT INTO order_reservation_line (order_id, sku, quantity)
     SELECT $1, sku, quantity FROM unnest($2::text[], $3::int[]) AS l(sku, quantity)`,
    orderId,
    lines.map((l) => l.sku),
    lines.map((l) => l.quantity),
  );
}

/** Gives held units back to their levels (locked in the common order first) and appends the events. */
async function returnUnits(
  sql: SqlClient,
  lines: readonly { sku: string; locationId: string; quantity: number }[],
  reason: 'RELEASED' | 'EXPIRED',
): Promise<StockChange[]> {
  await lockLevels(sql, lines);
  const changes: StockChange[] = [];
  for (const line of lines) {
    const [row] = await sql.$queryRawUnsafe<ChangedLevelRow[]>(RETURN_UNITS, line.sku, line.locationId, line.quantity);
    changes.push(toStockChange(row!, reason, line.quantity));
  }
  await appendToOutbox(sql, STOCK_TOPIC, changes.flatMap(levelEvents));
  return changes;
}
