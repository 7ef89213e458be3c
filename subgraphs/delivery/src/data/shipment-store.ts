// Shipments in SQL. Every change is one transaction with its outbox event; a courier's update is
// applied under the shipment's row lock after its (provider, event id) row is written, so a
// replayed notification finds that row and changes nothing, and two updates of one shipment never
// interleave. An update older than what we hold (lower rank, or same rank and earlier) is kept as
// STALE and changes nothing; one from a courier the shipment has left is FOREIGN.
import { appendToOutbox, type DomainEvent, type SqlClient, isUuid } from '@grocery/platform';
import { randomUUID } from 'node:crypto';
import {
  SHIPMENT_STATUS_RANK,
  type BookRequest,
  type Booking,
  type DeliveryProviderName,
  type ServiceLevel,
  type ShipmentStatus,
  type ShipmentUpdate,
} from '../providers/delivery-provider';
import {
  DELIVERY_TOPIC,
  deliveryEvent,
  DeliveryEventType,
  type ShipmentPositionData,
  type ShipmentStatusChangedData,
} from '../events/delivery-events';
import type { DeliveryDb } from './db';

export type ShipmentPurpose = 'delivery' | 'return';
/** The courier request without the shipment id, as stored (dates as ISO strings). */
export type ShipmentRequest = Omit<BookRequest, 'shipmentId' | 'window'> & {
  window?: { startsAt: string; endsAt: string };
};

export interface ShipmentRecord {
  id: string;
  key: string;
  orderId: string;
  purpose: ShipmentPurpose;
  returnId: string | null;
  customerId: string | null;
  zoneId: string | null;
  locationId: string;
  windowStartsAt: Date | null;
  windowEndsAt: Date | null;
  service: ServiceLevel;
  status: ShipmentStatus;
  statusAt: Date;
  provider: DeliveryProviderName | null;
  providerRef: string | null;
  /** Couriers it was moved away from: not asked again. */
  leftProviders: DeliveryProviderName[];
  trackingUrl: string | null;
  eta: Date | null;
  courierName: string | null;
  courierPhone: string | null;
  courierVehicle: string | null;
  fee: number | null;
  request: ShipmentRequest;
  readyAt: Date | null;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  reason: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface PositionRecord {
  latitude: number;
  longitude: number;
  at: Date;
}

export interface NewShipment {
  key: string;
  orderId: string;
  purpose: ShipmentPurpose;
  returnId: string | null;
  customerId: string | null;
  zoneId: string | null;
  locationId: string;
  window: { startsAt: Date; endsAt: Date } | null;
  service: ServiceLevel;
  request: ShipmentRequest;
  /** Ready for a courier now (a return pickup), else when the order is out for delivery. */
  ready: boolean;
}

export type ApplyOutcome =
  | { kind: 'applied'; shipment: ShipmentRecord }
  | { kind: 'stale'; shipment: ShipmentRecord }
  | { kind: 'foreign'; shipment: ShipmentRecord }
  | { kind: 'duplicate' }
  | { kind: 'unknown' };

/** Positions kept per shipment (the newest). */
export const POSITIONS_KEPT = 50;
const FINAL: ReadonlySet<ShipmentStatus> = new Set(['DELIVERED', 'FAILED', 'RETURNED', 'CANCELLED']);
export const isFinal = (s: ShipmentStatus) => FINAL.has(s);

interface ShipmentRow {
  id: string;
  key: string;
  order_id: string;
  purpose: ShipmentPurpose;
  return_id: string | null;
  customer_id: string | null;
  zone_id: string | null;
  location_id: string;
  window_starts_at: Date | null;
  window_ends_at: Date | null;
  service: ServiceLevel;
  status: ShipmentStatus;
  status_at: Date;
  provider: DeliveryProviderName | null;
  provider_ref: string | null;
  left_providers: DeliveryProviderName[] | null;
  tracking_url: string | null;
  eta: Date | null;
  courier_name: string | null;
  courier_phone: string | null;
  courier_vehicle: string | null;
  fee: number | null;
  request: ShipmentRequest;
  ready_at: Date | null;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  reason: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

function recordOf(r: ShipmentRow): ShipmentRecord {
  return {
    id: r.id,
    key: r.key,
    orderId: r.order_id,
    purpose: r.purpose,
    returnId: r.return_id,
    customerId: r.customer_id,
    zoneId: r.zone_id,
    locationId: r.location_id,
    windowStartsAt: r.window_starts_at,
    windowEndsAt: r.window_ends_at,
    service: r.service,
    status: r.status,
    statusAt: r.status_at,
    provider: r.provider,
    providerRef: r.provider_ref,
    leftProviders: r.left_providers ?? [],
    trackingUrl: r.tracking_url,
    eta: r.eta,
    courierName: r.courier_name,
    courierPhone: r.courier_phone,
    courierVehicle: r.courier_vehicle,
    fee: r.fee,
    request: r.request,
    readyAt: r.ready_at,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    reason: r.reason,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The event data every shipment event carries: the shipment as it now stands. */
export function snapshotOf(s: ShipmentRecord): Omit<ShipmentStatusChangedData, 'reason'> {
  return {
    shipmentId: s.id,
    orderId: s.orderId,
    customerId: s.customerId,
    status: s.status,
    provider: s.provider,
    trackingUrl: s.trackingUrl,
    eta: s.eta?.toISOString() ?? null,
    courierName: s.courierName,
    courierPhone: s.courierPhone,
    courierVehicle: s.courierVehicle,
    version: s.version,
    purpose: s.purpose,
    returnId: s.returnId,
  };
}

const statusEvent = (s: ShipmentRecord, reason: string) =>
  deliveryEvent<ShipmentStatusChangedData>(DeliveryEventType.shipmentStatusChanged, s.orderId, {
    ...snapshotOf(s),
    reason,
  });

const positionEvent = (s: ShipmentRecord, p: PositionRecord) =>
  deliveryEvent<ShipmentPositionData>(DeliveryEventType.shipmentPosition, s.orderId, {
    ...snapshotOf(s),
    latitude: p.latitude,
    longitude: p.longitude,
    at: p.at.toISOString(),
  });

type Tx = SqlClient;

/** What a courier's booking sets on the shipment. */
const bookingColumns = (booking: Booking) => ({
  status: booking.status,
  status_rank: SHIPMENT_STATUS_RANK[booking.status],
  status_at: new Date(),
  provider: booking.provider,
  provider_ref: booking.providerRef,
  fee: booking.fee,
  tracking_url: booking.trackingUrl ?? null,
  eta: booking.eta ?? null,
});
type Changes = Record<string, unknown>;

export class ShipmentStore {
  constructor(private readonly db: DeliveryDb) {}

  private tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.$transaction((tx) => fn(tx as unknown as Tx));
  }

  private get sql(): Tx {
    return this.db as unknown as Tx;
  }

  private async one(tx: Tx, where: string, ...values: unknown[]): Promise<ShipmentRecord | null> {
    const rows = await tx.$queryRawUnsafe<ShipmentRow[]>(`SELECT * FROM shipment WHERE ${where}`, ...values);
    return rows[0] ? recordOf(rows[0]) : null;
  }

  /** Sets columns (and bumps the version) of a locked row; answers the row after. */
  private async set(tx: Tx, id: string, changes: Changes): Promise<ShipmentRecord> {
    const cols = Object.keys(changes);
    const assigns = cols.map((c, i) => `${c} = $${i + 2}`);
    const rows = await tx.$queryRawUnsafe<ShipmentRow[]>(
      `UPDATE shipment SET ${[...assigns, 'version = version + 1', 'updated_at = now()'].join(', ')}
       WHERE id = $1::uuid RETURNING *`,
      id,
      ...cols.map((c) => changes[c]),
    );
    return recordOf(rows[0]!);
  }

  async byId(id: string): Promise<ShipmentRecord | null> {
    return this.one(this.sql, 'id = $1::uuid', id);
  }

  async byKey(key: string): Promise<ShipmentRecord | null> {
    return this.one(this.sql, 'key = $1', key);
  }

  async byProviderRef(provider: DeliveryProviderName, ref: string): Promise<ShipmentRecord | null> {
    return this.one(this.sql, 'provider = $1 AND provider_ref = $2', provider, ref);
  }

  async ofOrder(orderId: string): Promise<ShipmentRecord[]> {
    const rows = await this.sql.$queryRawUnsafe<ShipmentRow[]>(
      `SELECT * FROM shipment WHERE order_id = $1::uuid ORDER BY created_at, id LIMIT 20`,
      orderId,
    );
    return rows.map(recordOf);
  }

  /** Staff's list: newest first, optionally by status. */
  async list(filter: { statuses?: ShipmentStatus[]; first: number }): Promise<ShipmentRecord[]> {
    const rows = filter.statuses?.length
      ? await this.sql.$queryRawUnsafe<ShipmentRow[]>(
          `SELECT * FROM shipment WHERE status = ANY($1::text[]) ORDER BY created_at DESC, id LIMIT $2`,
          filter.statuses,
          filter.first,
        )
      : await this.sql.$queryRawUnsafe<ShipmentRow[]>(
          `SELECT * FROM shipment ORDER BY created_at DESC, id LIMIT $1`,
          filter.first,
        );
    return rows.map(recordOf);
  }

  async positions(id: string, last: number): Promise<PositionRecord[]> {
    const rows = await this.sql.$queryRawUnsafe<PositionRecord[]>(
      `SELECT latitude, longitude, at FROM (
         SELECT latitude, longitude, at, id FROM shipment_position WHERE shipment_id = $1::uuid
         ORDER BY at DESC, id DESC LIMIT $2) p ORDER BY at, id`,
      id,
      last,
    );
    return rows;
  }

  /** Creates the shipment for a key once; asking again answers the one there is. */
  async create(input: NewShipment): Promise<{ shipment: ShipmentRecord; created: boolean }> {
    return this.tx(async (tx) => {
      const id = randomUUID();
      const rows = await tx.$queryRawUnsafe<ShipmentRow[]>(
        `INSERT INTO shipment (id, key, order_id, purpose, return_id, customer_id, zone_id, location_id,
           window_starts_at, window_ends_at, service, status, status_rank, request, ready_at, next_attempt_at, updated_at)
         VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6, $7, $8, $9, $10, $11, 'PENDING', 0, $12::jsonb,
           CASE WHEN $13 THEN now() END, CASE WHEN $13 THEN now() END, now())
         ON CONFLICT (key) DO NOTHING RETURNING *`,
        id,
        input.key,
        input.orderId,
        input.purpose,
        input.returnId,
        input.customerId,
        input.zoneId,
        input.locationId,
        input.window?.startsAt ?? null,
        input.window?.endsAt ?? null,
        input.service,
        JSON.stringify(input.request),
        input.ready,
      );
      if (!rows[0]) return { shipment: (await this.one(tx, 'key = $1', input.key))!, created: false };
      const shipment = recordOf(rows[0]);
      await appendToOutbox(tx, DELIVERY_TOPIC, [statusEvent(shipment, 'created')]);
      return { shipment, created: true };
    });
  }

  /** The order is out for delivery: its pending shipment is due for a courier now. */
  async markReady(key: string): Promise<ShipmentRecord | null> {
    const rows = await this.sql.$queryRawUnsafe<ShipmentRow[]>(
      `UPDATE shipment SET ready_at = now(), next_attempt_at = now(), updated_at = now()
       WHERE key = $1 AND status = 'PENDING' AND ready_at IS NULL RETURNING *`,
      key,
    );
    return rows[0] ? recordOf(rows[0]) : null;
  }

  /**
   * Takes up to `limit` due pending shipments for this replica: their next attempt moves `leaseMs`
   * ahead in the same statement, so another replica's sweep does not take them too.
   */
  async claimDue(now: Date, leaseMs: number, limit: number): Promise<ShipmentRecord[]> {
    const rows = await this.sql.$queryRawUnsafe<ShipmentRow[]>(
      `UPDATE shipment SET next_attempt_at = $2::timestamptz + ($3::int * interval '1 millisecond')
       WHERE id IN (
         SELECT id FROM shipment
         WHERE status = 'PENDING' AND ready_at IS NOT NULL AND next_attempt_at <= $1::timestamptz
         ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      now,
      now,
      leaseMs,
      limit,
    );
    return rows.map(recordOf);
  }

  /** Due again now (staff's "try again"): attempts start over. */
  async retryNow(id: string): Promise<ShipmentRecord | null> {
    const rows = await this.sql.$queryRawUnsafe<ShipmentRow[]>(
      `UPDATE shipment SET attempts = 0, next_attempt_at = now(), ready_at = COALESCE(ready_at, now()), updated_at = now()
       WHERE id = $1::uuid AND status = 'PENDING' RETURNING *`,
      id,
    );
    return rows[0] ? recordOf(rows[0]) : null;
  }

  /**
   * A courier took it. When the shipment is no longer pending: "same" if a concurrent attempt
   * recorded this very booking (bookings are idempotent per shipment id), else "gone" (cancelled,
   * or booked elsewhere meanwhile) — the caller gives this booking back.
   */
  async booked(
    id: string,
    booking: Booking,
    note: string | null,
  ): Promise<{ kind: 'booked' | 'same'; shipment: ShipmentRecord } | { kind: 'gone' }> {
    return this.tx(async (tx) => {
      const current = await this.one(tx, 'id = $1::uuid FOR UPDATE', id);
      if (!current) return { kind: 'gone' as const };
      if (current.status !== 'PENDING')
        return current.provider === booking.provider && current.providerRef === booking.providerRef
          ? { kind: 'same' as const, shipment: current }
          : { kind: 'gone' as const };
      const shipment = await this.set(tx, id, {
        ...bookingColumns(booking),
        attempts: current.attempts + 1,
        next_attempt_at: null,
        last_error: note,
      });
      await appendToOutbox(tx, DELIVERY_TOPIC, [statusEvent(shipment, 'booked')]);
      return { kind: 'booked' as const, shipment };
    });
  }

  /** No courier took it this time: when to try again (null: wait for staff). */
  async attemptFailed(id: string, error: string, nextAttemptAt: Date | null): Promise<void> {
    await this.sql.$executeRawUnsafe(
      `UPDATE shipment SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, updated_at = now()
       WHERE id = $1::uuid AND status = 'PENDING'`,
      id,
      error.slice(0, 1000),
      nextAttemptAt,
    );
  }

  /**
   * Moved to another courier (its old booking cancelled): booked again, courier details cleared.
   * Null when it is no longer with `from` (a concurrent move got there first).
   */
  async reassigned(id: string, from: { provider: string; providerRef: string }, booking: Booking) {
    return this.tx(async (tx) => {
      const current = await this.one(tx, 'id = $1::uuid FOR UPDATE', id);
      if (!current || current.provider !== from.provider || current.providerRef !== from.providerRef) return null;
      const shipment = await this.set(tx, id, {
        left_providers: [...new Set([...current.leftProviders, from.provider])],
        ...bookingColumns(booking),
        courier_name: null,
        courier_phone: null,
        courier_vehicle: null,
        last_error: null,
      });
      await appendToOutbox(tx, DELIVERY_TOPIC, [statusEvent(shipment, 'reassigned')]);
      return shipment;
    });
  }

  /**
   * No courier any more (cancelled at `from`, refused by the next): booked again, not with the
   * one it left. Null when it is no longer with `from`.
   */
  async backToPending(id: string, from: { provider: string; providerRef: string }, error: string) {
    return this.tx(async (tx) => {
      const current = await this.one(tx, 'id = $1::uuid FOR UPDATE', id);
      if (!current || current.provider !== from.provider || current.providerRef !== from.providerRef) return null;
      const shipment = await this.set(tx, id, {
        left_providers: [...new Set([...current.leftProviders, from.provider])],
        status: 'PENDING',
        status_rank: SHIPMENT_STATUS_RANK.PENDING,
        status_at: new Date(),
        provider: null,
        provider_ref: null,
        tracking_url: null,
        eta: null,
        courier_name: null,
        courier_phone: null,
        courier_vehicle: null,
        attempts: 0,
        next_attempt_at: new Date(),
        ready_at: new Date(),
        last_error: error.slice(0, 1000),
      });
      await appendToOutbox(tx, DELIVERY_TOPIC, [statusEvent(shipment, 'unassigned')]);
      return shipment;
    });
  }

  /** Cancelled on our side (the order was cancelled). Null when it had already ended. */
  async cancel(id: string, reason: string): Promise<ShipmentRecord | null> {
    return this.tx(async (tx) => {
      const current = await this.one(tx, 'id = $1::uuid FOR UPDATE', id);
      if (!current || isFinal(current.status)) return null;
      const shipment = await this.set(tx, id, {
        status: 'CANCELLED',
        status_rank: SHIPMENT_STATUS_RANK.CANCELLED,
        status_at: new Date(),
        next_attempt_at: null,
        reason,
      });
      await appendToOutbox(tx, DELIVERY_TOPIC, [statusEvent(shipment, 'cancelled')]);
      return shipment;
    });
  }

  /** Applies a courier's update once, unless it is older than what we hold. */
  async apply(update: ShipmentUpdate): Promise<ApplyOutcome> {
    return this.tx(async (tx) => {
      let current = await this.one(
        tx,
        'provider = $1 AND provider_ref = $2 FOR UPDATE',
        update.provider,
        update.providerRef,
      );
      // A courier we have left still reports on its cancelled delivery: found by our id, foreign.
      if (!current && update.shipmentId && isUuid(update.shipmentId))
        current = await this.one(tx, 'id = $1::uuid FOR UPDATE', update.shipmentId);
      if (!current) return { kind: 'unknown' };
      const foreign = current.provider !== update.provider || current.providerRef !== update.providerRef;
      const rank = SHIPMENT_STATUS_RANK[update.status];
      const held = SHIPMENT_STATUS_RANK[current.status];
      const stale =
        !foreign &&
        (rank < held ||
          (rank === held && update.occurredAt.getTime() < current.statusAt.getTime()) ||
          (isFinal(current.status) && update.status !== current.status && rank === held));
      const outcome = foreign ? 'FOREIGN' : stale ? 'STALE' : 'APPLIED';
      const inserted = await tx.$queryRawUnsafe<{ id: bigint }[]>(
        `INSERT INTO shipment_event (shipment_id, provider, event_id, status, provider_status, occurred_at, outcome)
         VALUES ($1::uuid, $2, $3, $4, $5, $6, $7) ON CONFLICT (provider, event_id) DO NOTHING RETURNING id`,
        current.id,
        update.provider,
        update.eventId.slice(0, 300),
        update.status,
        update.providerStatus?.slice(0, 100) ?? null,
        update.occurredAt,
        outcome,
      );
      if (inserted.length === 0) return { kind: 'duplicate' };
      if (foreign) return { kind: 'foreign', shipment: current };
      if (stale) return { kind: 'stale', shipment: current };

      const changes: Changes = {};
      if (update.status !== current.status) {
        changes.status = update.status;
        changes.status_rank = rank;
      }
      if (update.occurredAt.getTime() > current.statusAt.getTime()) changes.status_at = update.occurredAt;
      if (update.trackingUrl && update.trackingUrl !== current.trackingUrl) changes.tracking_url = update.trackingUrl;
      if (update.eta && update.eta.getTime() !== current.eta?.getTime()) changes.eta = update.eta;
      const c = update.courier;
      if (c?.name && c.name !== current.courierName) changes.courier_name = c.name;
      if (c?.phone && c.phone !== current.courierPhone) changes.courier_phone = c.phone;
      if (c?.vehicle && c.vehicle !== current.courierVehicle) changes.courier_vehicle = c.vehicle;
      if (update.reason && isFinal(update.status)) changes.reason = update.reason.slice(0, 500);
      const told = Object.keys(changes).some((k) => k !== 'status_at');
      const p = update.position;
      if (!told && !p) return { kind: 'applied', shipment: current };
      const shipment = await this.set(tx, current.id, changes);
      const events: DomainEvent[] = told ? [statusEvent(shipment, 'courier')] : [];
      if (p) {
        await tx.$executeRawUnsafe(
          `INSERT INTO shipment_position (shipment_id, latitude, longitude, at) VALUES ($1::uuid, $2, $3, $4)`,
          shipment.id,
          p.latitude,
          p.longitude,
          p.at,
        );
        await tx.$executeRawUnsafe(
          `DELETE FROM shipment_position WHERE shipment_id = $1::uuid AND id NOT IN (
             SELECT id FROM shipment_position WHERE shipment_id = $1::uuid ORDER BY at DESC, id DESC LIMIT $2)`,
          shipment.id,
          POSITIONS_KEPT,
        );
        events.push(positionEvent(shipment, p));
      }
      await appendToOutbox(tx, DELIVERY_TOPIC, events);
      return { kind: 'applied', shipment };
    });
  }

  /** Where couriers collect from a location. */
  async dispatchPoint(locationId: string): Promise<DispatchPoint | null> {
    const rows = await this.sql.$queryRawUnsafe<DispatchPoint[]>(
      `SELECT location_id AS "locationId", name, phone, address, ward, province, latitude, longitude
       FROM dispatch_point WHERE location_id = $1`,
      locationId,
    );
    return rows[0] ?? null;
  }
}

export interface DispatchPoint {
  locationId: string;
  name: string;
  phone: string;
  address: string;
  ward: string;
  province: string;
  latitude: number;
  longitude: number;
}
