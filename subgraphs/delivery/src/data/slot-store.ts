// Slots, holds and bookings in SQL. Capacity is taken and given back only by single UPDATE
// statements that check it (`taken < capacity`) in the same statement, inside the transaction that
// writes the hold and its outbox event: under any concurrency a slot is never overbooked (and a
// CHECK constraint refuses it should a statement here ever be wrong).
import { appendToOutbox, type SqlClient } from '@grocery/platform';
import { randomUUID } from 'node:crypto';
import type { BookingDetails } from '../domain/booking-details';
import { localDay } from '../domain/local-time';
import type { Slot, SlotKind, SlotTemplateRule, SlotWindow } from '../domain/slot-rules';
import { DELIVERY_TOPIC, deliveryEvent, DeliveryEventType, type SlotChangedData } from '../events/delivery-events';
import type { DeliveryDb } from './db';

export type Scope = { zoneId: string; locationId?: undefined } | { locationId: string; zoneId?: undefined };

export type HoldStatus = 'HELD' | 'BOOKED' | 'RELEASED' | 'EXPIRED';

export interface Hold {
  id: string;
  slotId: string;
  customerId: string | null;
  clientKey: string;
  items: number;
  status: HoldStatus;
  orderId: string | null;
  details: BookingDetails | null;
  expiresAt: Date;
  createdAt: Date;
}

interface SlotSqlRow {
  id: string;
  template_id: string;
  kind: SlotKind;
  zone_id: string | null;
  location_id: string | null;
  starts_at: Date;
  ends_at: Date;
  cutoff_at: Date;
  capacity: number;
  item_capacity: number | null;
  taken: number;
  taken_items: number;
  express: boolean;
  reason_en: string | null;
  reason_vi: string | null;
}

interface HoldSqlRow {
  id: string;
  slot_id: string;
  customer_id: string | null;
  client_key: string;
  items: number;
  status: HoldStatus;
  order_id: string | null;
  details: BookingDetails | null;
  expires_at: Date;
  created_at: Date;
}

const CLOSURE_OF = (s: string) => `(
  SELECT c.reason_en, c.reason_vi FROM closure c
  WHERE c.starts_at < ${s}.ends_at AND c.ends_at > ${s}.starts_at
    AND ((c.zone_id IS NULL AND c.location_id IS NULL) OR c.zone_id = ${s}.zone_id OR c.location_id = ${s}.location_id)
  ORDER BY c.starts_at LIMIT 1)`;

const SLOT_COLUMNS = `s.id, s.template_id, s.kind::text AS kind, s.zone_id, s.location_id, s.starts_at, s.ends_at,
  s.cutoff_at, s.capacity, s.item_capacity, s.taken, s.taken_items, s.express, c.reason_en, c.reason_vi`;

const SELECT_SLOTS = `SELECT ${SLOT_COLUMNS}
  FROM slot s JOIN slot_template t ON t.id = s.template_id AND t.active
  LEFT JOIN LATERAL ${CLOSURE_OF('s')} c ON true`;

const HOLD_COLUMNS = `id, slot_id, customer_id, client_key, items, status::text AS status, order_id, details, expires_at, created_at`;

function slotOf(r: SlotSqlRow): Slot {
  return {
    id: r.id,
    templateId: r.template_id,
    kind: r.kind,
    zoneId: r.zone_id,
    locationId: r.location_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    cutoffAt: r.cutoff_at,
    capacity: r.capacity,
    itemCapacity: r.item_capacity,
    taken: r.taken,
    takenItems: r.taken_items,
    express: r.express,
    closure: r.reason_en !== null ? { reasonEn: r.reason_en, reasonVi: r.reason_vi ?? r.reason_en } : null,
  };
}

function holdOf(r: HoldSqlRow): Hold {
  return {
    id: r.id,
    slotId: r.slot_id,
    customerId: r.customer_id,
    clientKey: r.client_key,
    items: r.items,
    status: r.status,
    orderId: r.order_id,
    details: r.details,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
  };
}

type Tx = SqlClient;

/** The slot_changed event of a slot as it is after a change. */
function slotChanged(s: {
  id: string;
  zone_id: string | null;
  location_id: string | null;
  starts_at: Date;
  taken: number;
  capacity: number;
}) {
  const data: SlotChangedData = {
    slotId: s.id,
    zoneId: s.zone_id,
    locationId: s.location_id,
    day: localDay(s.starts_at),
    taken: s.taken,
    capacity: s.capacity,
  };
  return deliveryEvent(DeliveryEventType.slotChanged, s.id, data);
}

const RETURNING_SLOT = 'RETURNING id, zone_id, location_id, starts_at, taken, capacity';
type ChangedSlot = {
  id: string;
  zone_id: string | null;
  location_id: string | null;
  starts_at: Date;
  taken: number;
  capacity: number;
};

export type HoldOutcome =
  { kind: 'held'; hold: Hold; slot: ChangedSlot } | { kind: 'unavailable' } | { kind: 'limit'; live: number };

export type BookOutcome =
  | { kind: 'booked'; hold: Hold }
  | { kind: 'not-found' }
  | { kind: 'expired'; hold: Hold }
  | { kind: 'taken'; hold: Hold }
  | { kind: 'items-full'; hold: Hold };

export class SlotStore {
  constructor(private readonly db: DeliveryDb) {}

  private tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.$transaction((tx) => fn(tx as unknown as Tx));
  }

  private get sql(): Tx {
    return this.db as unknown as Tx;
  }

  async templatesFor(scope: Scope): Promise<SlotTemplateRule[]> {
    const rows = await this.db.slotTemplate.findMany({
      where: { active: true, ...(scope.zoneId ? { zoneId: scope.zoneId } : { locationId: scope.locationId }) },
      orderBy: [{ startMinute: 'asc' }],
    });
    return rows.map((t) => ({ ...t, kind: t.kind as SlotKind }));
  }

  /** Makes the slots the templates give (existing ones are left as they are). */
  async insertSlots(rows: { template: SlotTemplateRule; window: SlotWindow }[]): Promise<void> {
    if (rows.length === 0) return;
    const values: unknown[] = [];
    const tuples = rows.map(({ template: t, window: w }, i) => {
      values.push(
        randomUUID(),
        t.id,
        t.kind,
        t.zoneId,
        t.locationId,
        w.startsAt,
        w.endsAt,
        w.cutoffAt,
        t.capacity,
        t.itemCapacity,
        t.express,
      );
      const b = i * 11;
      return `($${b + 1}::uuid, $${b + 2}::uuid, $${b + 3}::"SlotKind", $${b + 4}, $${b + 5}, $${b + 6}::timestamptz, $${b + 7}::timestamptz, $${b + 8}::timestamptz, $${b + 9}::int, $${b + 10}::int, $${b + 11}::boolean)`;
    });
    await this.sql.$executeRawUnsafe(
      `INSERT INTO slot (id, template_id, kind, zone_id, location_id, starts_at, ends_at, cutoff_at, capacity, item_capacity, express)
       VALUES ${tuples.join(', ')} ON CONFLICT (template_id, starts_at) DO NOTHING`,
      ...values,
    );
  }

  /** The slots of a zone or location starting in [from, to), earliest first, each with its closure. */
  async list(scope: Scope, from: Date, to: Date): Promise<Slot[]> {
    const column = scope.zoneId ? 's.zone_id' : 's.location_id';
    const rows = await this.sql.$queryRawUnsafe<SlotSqlRow[]>(
      `${SELECT_SLOTS} WHERE ${column} = $1 AND s.starts_at >= $2 AND s.starts_at < $3 ORDER BY s.starts_at, s.express, s.id`,
      scope.zoneId ?? scope.locationId,
      from,
      to,
    );
    return rows.map(slotOf);
  }

  /** Locations with pickup templates (a holiday evicts their listings too). */
  async pickupLocationIds(): Promise<string[]> {
    const rows = await this.db.slotTemplate.findMany({
      where: { kind: 'PICKUP', locationId: { not: null } },
      select: { locationId: true },
      distinct: ['locationId'],
    });
    return rows.map((r) => r.locationId!);
  }

  async get(slotId: string): Promise<Slot | null> {
    const rows = await this.sql.$queryRawUnsafe<SlotSqlRow[]>(`${SELECT_SLOTS} WHERE s.id = $1::uuid`, slotId);
    return rows[0] ? slotOf(rows[0]) : null;
  }

  async hold(input: {
    slotId: string;
    customerId: string | null;
    clientKey: string;
    items: number;
    expiresAt: Date;
    now: Date;
    maxLivePerClient: number;
  }): Promise<HoldOutcome> {
    return this.tx(async (tx) => {
      // One client's holds are counted and taken one at a time, so concurrent holds cannot all
      // slip under its limit.
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', `slot-holds:${input.clientKey}`);
      const [{ live }] = await tx.$queryRawUnsafe<{ live: number }[]>(
        `SELECT count(*)::int AS live FROM slot_hold WHERE client_key = $1 AND status = 'HELD' AND expires_at > $2`,
        input.clientKey,
        input.now,
      );
      if (live >= input.maxLivePerClient) return { kind: 'limit', live };
      const taken = await tx.$queryRawUnsafe<ChangedSlot[]>(
        `UPDATE slot s SET taken = s.taken + 1, taken_items = s.taken_items + $2
         FROM slot_template t
         WHERE s.id = $1::uuid AND t.id = s.template_id AND t.active
           AND s.taken < s.capacity
           AND (s.item_capacity IS NULL OR s.taken_items + $2 <= s.item_capacity)
           AND s.cutoff_at > $3 AND s.starts_at > $3
           AND NOT EXISTS ${CLOSURE_OF('s')}
         RETURNING s.id, s.zone_id, s.location_id, s.starts_at, s.taken, s.capacity`,
        input.slotId,
        input.items,
        input.now,
      );
      if (taken.length === 0) return { kind: 'unavailable' };
      const [row] = await tx.$queryRawUnsafe<HoldSqlRow[]>(
        `INSERT INTO slot_hold (id, slot_id, customer_id, client_key, items, status, expires_at, updated_at)
         VALUES ($1::uuid, $2::uuid, $3, $4, $5, 'HELD', $6, now()) RETURNING ${HOLD_COLUMNS}`,
        randomUUID(),
        input.slotId,
        input.customerId,
        input.clientKey,
        input.items,
        input.expiresAt,
      );
      await appendToOutbox(tx, DELIVERY_TOPIC, [slotChanged(taken[0])]);
      return { kind: 'held', hold: holdOf(row), slot: taken[0] };
    });
  }

  async getHold(holdId: string): Promise<Hold | null> {
    const rows = await this.sql.$queryRawUnsafe<HoldSqlRow[]>(
      `SELECT ${HOLD_COLUMNS} FROM slot_hold WHERE id = $1::uuid`,
      holdId,
    );
    return rows[0] ? holdOf(rows[0]) : null;
  }

  async holdOfOrder(orderId: string): Promise<Hold | null> {
    const rows = await this.sql.$queryRawUnsafe<HoldSqlRow[]>(
      `SELECT ${HOLD_COLUMNS} FROM slot_hold WHERE order_id = $1::uuid`,
      orderId,
    );
    return rows[0] ? holdOf(rows[0]) : null;
  }

  /** Ends the holds matching `where` (at most `limit`), giving their capacity back; returns them and the slots changed. */
  private async end(
    tx: Tx,
    to: 'RELEASED' | 'EXPIRED',
    where: string,
    params: unknown[],
    limit = 1_000,
  ): Promise<{ holds: Hold[]; slots: ChangedSlot[] }> {
    const holds = await tx.$queryRawUnsafe<HoldSqlRow[]>(
      `UPDATE slot_hold SET status = '${to}', updated_at = now()
       WHERE id IN (SELECT id FROM slot_hold WHERE ${where} ORDER BY id LIMIT ${Math.trunc(limit)} FOR UPDATE SKIP LOCKED)
       RETURNING ${HOLD_COLUMNS}`,
      ...params,
    );
    if (holds.length === 0) return { holds: [], slots: [] };
    const bySlot = new Map<string, { n: number; items: number }>();
    for (const h of holds) {
      const c = bySlot.get(h.slot_id) ?? { n: 0, items: 0 };
      c.n += 1;
      c.items += h.items;
      bySlot.set(h.slot_id, c);
    }
    const ids = [...bySlot.keys()].sort();
    const slots = await tx.$queryRawUnsafe<ChangedSlot[]>(
      `UPDATE slot s SET taken = s.taken - g.n, taken_items = s.taken_items - g.items
       FROM (SELECT unnest($1::uuid[]) AS id, unnest($2::int[]) AS n, unnest($3::int[]) AS items) g
       WHERE s.id = g.id RETURNING s.id, s.zone_id, s.location_id, s.starts_at, s.taken, s.capacity`,
      ids,
      ids.map((id) => bySlot.get(id)!.n),
      ids.map((id) => bySlot.get(id)!.items),
    );
    await appendToOutbox(tx, DELIVERY_TOPIC, slots.map(slotChanged));
    return { holds: holds.map(holdOf), slots };
  }

  /** A live hold given back by its holder. Null when it is not HELD (booked, released, expired). */
  async release(holdId: string): Promise<{ hold: Hold; slots: ChangedSlot[] } | null> {
    return this.tx(async (tx) => {
      const { holds, slots } = await this.end(tx, 'RELEASED', `id = $1::uuid AND status = 'HELD'`, [holdId]);
      return holds[0] ? { hold: holds[0], slots } : null;
    });
  }

  /** Holds past their time, at most `limit`, give their capacity back. */
  async expire(now: Date, limit: number): Promise<{ holds: Hold[]; slots: ChangedSlot[] }> {
    return this.tx((tx) => this.end(tx, 'EXPIRED', `status = 'HELD' AND expires_at <= $1`, [now], limit));
  }

  /** An order's booking given back (cancelled, expired, checkout failed). Idempotent: null when none is booked. */
  async releaseBooking(orderId: string): Promise<{ hold: Hold; slots: ChangedSlot[] } | null> {
    return this.tx(async (tx) => {
      const { holds, slots } = await this.end(tx, 'RELEASED', `order_id = $1::uuid AND status = 'BOOKED'`, [orderId]);
      if (holds[0]) {
        const h = holds[0];
        await appendToOutbox(tx, DELIVERY_TOPIC, [
          deliveryEvent(DeliveryEventType.slotReleased, h.orderId!, {
            slotId: h.slotId,
            holdId: h.id,
            orderId: h.orderId,
          }),
        ]);
      }
      return holds[0] ? { hold: holds[0], slots } : null;
    });
  }

  /**
   * Books a live hold for an order: the hold's unit of capacity becomes the order's. Idempotent per
   * order (booking the same hold for the same order again answers the booking).
   */
  async book(holdId: string, orderId: string, details: BookingDetails, now: Date): Promise<BookOutcome> {
    return this.tx(async (tx) => {
      const rows = await tx.$queryRawUnsafe<HoldSqlRow[]>(
        `SELECT ${HOLD_COLUMNS} FROM slot_hold WHERE id = $1::uuid FOR UPDATE`,
        holdId,
      );
      if (!rows[0]) return { kind: 'not-found' };
      const hold = holdOf(rows[0]);
      if (hold.status === 'BOOKED')
        return hold.orderId === orderId ? { kind: 'booked', hold } : { kind: 'taken', hold };
      if (hold.status !== 'HELD' || hold.expiresAt.getTime() <= now.getTime()) return { kind: 'expired', hold };
      // The hold declared its items; the order has what it has. More than held takes the rest of
      // the slot's item capacity in the same checked statement, or the booking is refused.
      const extra = Math.max(0, details.itemCount - hold.items);
      if (extra > 0) {
        const took = await tx.$executeRawUnsafe(
          `UPDATE slot SET taken_items = taken_items + $2
           WHERE id = $1::uuid AND (item_capacity IS NULL OR taken_items + $2 <= item_capacity)`,
          hold.slotId,
          extra,
        );
        if (took === 0) return { kind: 'items-full', hold };
      }
      const [row] = await tx.$queryRawUnsafe<HoldSqlRow[]>(
        `UPDATE slot_hold SET status = 'BOOKED', order_id = $2::uuid, details = $3::jsonb, items = items + $4,
           updated_at = now()
         WHERE id = $1::uuid RETURNING ${HOLD_COLUMNS}`,
        holdId,
        orderId,
        JSON.stringify(details),
        extra,
      );
      const [slot] = await tx.$queryRawUnsafe<
        { zone_id: string | null; location_id: string | null; starts_at: Date; ends_at: Date }[]
      >('SELECT zone_id, location_id, starts_at, ends_at FROM slot WHERE id = $1::uuid', hold.slotId);
      await appendToOutbox(tx, DELIVERY_TOPIC, [
        deliveryEvent(DeliveryEventType.slotBooked, orderId, {
          slotId: hold.slotId,
          holdId,
          orderId,
          zoneId: slot.zone_id,
          locationId: slot.location_id,
          startsAt: slot.starts_at.toISOString(),
          endsAt: slot.ends_at.toISOString(),
        }),
      ]);
      return { kind: 'booked', hold: holdOf(row) };
    });
  }

  /** Sets a slot's capacity unless fewer than already taken: null when refused, undefined when no such slot. */
  async setCapacity(slotId: string, capacity: number): Promise<ChangedSlot | null | undefined> {
    return this.tx(async (tx) => {
      const rows = await tx.$queryRawUnsafe<ChangedSlot[]>(
        `UPDATE slot SET capacity = $2 WHERE id = $1::uuid AND taken <= $2 ${RETURNING_SLOT}`,
        slotId,
        capacity,
      );
      if (rows[0]) {
        await appendToOutbox(tx, DELIVERY_TOPIC, [slotChanged(rows[0])]);
        return rows[0];
      }
      const exists = await tx.$queryRawUnsafe<unknown[]>('SELECT 1 FROM slot WHERE id = $1::uuid', slotId);
      return exists.length > 0 ? null : undefined;
    });
  }
}
