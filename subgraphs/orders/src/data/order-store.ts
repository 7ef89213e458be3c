// Orders, their lines, payments and substitutions in PostgreSQL. Every change to an order goes
// through `change()`: the order row is locked, the domain decides on the locked state, and the
// rows and the outbox events are written in that one transaction — a transition is guarded and
// published together, or not at all.
import { appendToOutbox, isUuid, type DomainEvent, type SqlClient } from '@grocery/platform';
import type { OrdersDb } from './db';
import type { Prisma } from './generated/client';
import type { Address, OrderLineRecord, OrderRecord, PaymentRecord, SubstitutionRecord } from '../domain/order';
import type { FulfilmentType, OrderStatus, PaymentStatus } from '../domain/order-rules';
import type { PaymentProviderName } from '../payments/payment-provider';
import { ORDERS_TOPIC } from '../events/order-events';

type Tx = Prisma.TransactionClient;

const ts = (col: string) => `${col} AT TIME ZONE 'UTC'`;

/**
 * One order as one JSON document (lines, latest payment, substitutions): one statement and no
 * ORM work per read — checkout and every payment notification read orders on their hot path.
 */
const ORDER_DOCUMENT = `
  SELECT json_build_object(
    'id', o.id, 'number', o.number::text, 'customerId', o.customer_id, 'email', o.email,
    'accessTokenHash', o.access_token_hash, 'locale', o.locale, 'status', o.status,
    'fulfilmentType', o.fulfilment_type, 'locationId', o.location_id, 'address', o.address,
    'couponCodes', o.coupon_codes, 'subtotal', o.subtotal, 'discount', o.discount,
    'deliveryFee', o.delivery_fee, 'total', o.total, 'finalTotal', o.final_total,
    'paymentDueAt', ${ts('o.payment_due_at')}, 'placedAt', ${ts('o.placed_at')},
    'confirmedAt', ${ts('o.confirmed_at')}, 'closedAt', ${ts('o.closed_at')},
    'cancelReason', o.cancel_reason, 'version', o.version, 'updatedAt', ${ts('o.updated_at')},
    'lines', coalesce((SELECT json_agg(json_build_object(
        'id', l.id, 'position', l.position, 'sku', l.sku, 'bundleId', l.bundle_id, 'components', l.components,
        'nameEn', l.name_en, 'nameVi', l.name_vi, 'quantity', l.quantity, 'unitPrice', l.unit_price,
        'discount', l.discount, 'total', l.total, 'substitution', l.substitution,
        'substituteSku', l.substitute_sku, 'note', l.note, 'pickedQuantity', l.picked_quantity,
        'pickedTotal', l.picked_total, 'returnedQuantity', l.returned_quantity) ORDER BY l.position)
      FROM order_line l WHERE l.order_id = o.id), '[]'::json),
    'payment', (SELECT json_build_object(
        'id', p.id, 'provider', p.provider, 'status', p.status, 'amount', p.amount, 'captured', p.captured,
        'refunded', p.refunded, 'providerRef', p.provider_ref, 'clientSecret', p.client_secret,
        'redirectUrl', p.redirect_url, 'failureReason', p.failure_reason, 'updatedAt', ${ts('p.updated_at')})
      FROM payment p WHERE p.order_id = o.id ORDER BY p.created_at DESC LIMIT 1),
    'substitutions', coalesce((SELECT json_agg(json_build_object(
        'id', x.id, 'linePosition', x.line_position, 'sku', x.sku, 'nameEn', x.name_en, 'nameVi', x.name_vi,
        'quantity', x.quantity, 'unitPrice', x.unit_price, 'status', x.status,
        'proposedAt', ${ts('x.proposed_at')}, 'decidedAt', ${ts('x.decided_at')}) ORDER BY x.proposed_at, x.id)
      FROM substitution x WHERE x.order_id = o.id), '[]'::json)
  )::text AS doc
  FROM customer_order o`;

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const date = (v: string | null): Date | null => (v ? new Date(v) : null);

function fromDocument(d: Doc): OrderRecord {
  const p = d.payment as Doc | null;
  return {
    id: d.id,
    number: d.number,
    customerId: d.customerId,
    email: d.email,
    accessTokenHash: d.accessTokenHash,
    locale: d.locale === 'en' ? 'en' : 'vi',
    status: d.status,
    fulfilmentType: d.fulfilmentType,
    locationId: d.locationId,
    address: d.address ?? null,
    couponCodes: d.couponCodes ?? [],
    subtotal: d.subtotal,
    discount: d.discount,
    deliveryFee: d.deliveryFee,
    total: d.total,
    finalTotal: d.finalTotal,
    paymentDueAt: date(d.paymentDueAt),
    placedAt: date(d.placedAt)!,
    confirmedAt: date(d.confirmedAt),
    closedAt: date(d.closedAt),
    cancelReason: d.cancelReason,
    version: d.version,
    updatedAt: date(d.updatedAt)!,
    lines: (d.lines as Doc[]).map((l) => ({
      id: l.id,
      position: l.position,
      sku: l.sku,
      bundleId: l.bundleId,
      components: l.components ?? null,
      names: { en: l.nameEn, vi: l.nameVi },
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      total: l.total,
      substitution: l.substitution,
      substituteSku: l.substituteSku,
      note: l.note,
      pickedQuantity: l.pickedQuantity,
      pickedTotal: l.pickedTotal,
      returnedQuantity: l.returnedQuantity,
    })),
    payment: p
      ? {
          id: p.id,
          provider: p.provider,
          status: p.status,
          amount: p.amount,
          captured: p.captured,
          refunded: p.refunded,
          providerRef: p.providerRef,
          clientSecret: p.clientSecret,
          redirectUrl: p.redirectUrl,
          failureReason: p.failureReason,
          updatedAt: date(p.updatedAt)!,
        }
      : null,
    substitutions: (d.substitutions as Doc[]).map((x) => ({
      id: x.id,
      linePosition: x.linePosition,
      sku: x.sku,
      names: { en: x.nameEn, vi: x.nameVi },
      quantity: x.quantity,
      unitPrice: x.unitPrice,
      status: x.status,
      proposedAt: date(x.proposedAt)!,
      decidedAt: date(x.decidedAt),
    })),
  };
}

type RawRunner = { $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> };

async function loadDocuments(db: RawRunner, ids: readonly string[]): Promise<OrderRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.$queryRawUnsafe<{ doc: string }[]>(`${ORDER_DOCUMENT} WHERE o.id = ANY($1::uuid[])`, ids);
  return rows.map((r) => fromDocument(JSON.parse(r.doc) as Doc));
}

/** Column of each field an OrderChange may set (order row, payment row). */
const ORDER_COLUMNS: Record<string, string> = {
  status: 'status',
  finalTotal: 'final_total',
  paymentDueAt: 'payment_due_at',
  confirmedAt: 'confirmed_at',
  closedAt: 'closed_at',
  cancelReason: 'cancel_reason',
};
const PAYMENT_COLUMNS: Record<string, string> = {
  status: 'status',
  amount: 'amount',
  captured: 'captured',
  refunded: 'refunded',
  providerRef: 'provider_ref',
  clientSecret: 'client_secret',
  redirectUrl: 'redirect_url',
  failureReason: 'failure_reason',
};
const CASTS: Record<string, string> = {
  status: '',
  payment_due_at: "::timestamptz AT TIME ZONE 'UTC'",
  confirmed_at: "::timestamptz AT TIME ZONE 'UTC'",
  closed_at: "::timestamptz AT TIME ZONE 'UTC'",
};

/** `col = $n, …` for the defined fields of a patch, and their values (Dates as ISO strings). */
function assignments(
  patch: Record<string, unknown>,
  columns: Record<string, string>,
  enumType: string,
  first: number,
): { sql: string[]; values: unknown[] } {
  const sql: string[] = [];
  const values: unknown[] = [];
  for (const [field, value] of Object.entries(patch)) {
    const col = columns[field];
    if (!col || value === undefined) continue;
    values.push(value instanceof Date ? value.toISOString() : value);
    const n = first + values.length - 1;
    sql.push(col === 'status' ? `status = $${n}::"${enumType}"` : `${col} = $${n}${CASTS[col] ?? ''}`);
  }
  return { sql, values };
}

/** A provider's report about a payment, recorded once with the change it causes. */
export interface PaymentNotification {
  provider: PaymentProviderName;
  eventId: string;
  paymentId: string;
  status: PaymentStatus | null;
}

export interface NewOrder {
  id: string;
  customerId: string | null;
  email: string | null;
  accessTokenHash: string | null;
  locale: 'en' | 'vi';
  fulfilmentType: FulfilmentType;
  locationId: string;
  address: Address | null;
  couponCodes: string[];
  subtotal: number;
  discount: number;
  deliveryFee: number;
  total: number;
  paymentDueAt: Date;
  /** Taken beforehand (nextNumber) when something else needs it first (a slot booking); else assigned here. */
  number?: string;
  lines: Omit<OrderLineRecord, 'id' | 'pickedQuantity' | 'pickedTotal' | 'returnedQuantity'>[];
  payment: { id: string; provider: PaymentProviderName; amount: number };
}

/** What the domain decided to write for a locked order; null writes nothing. */
export interface OrderChange {
  order?: Partial<
    Pick<OrderRecord, 'status' | 'finalTotal' | 'paymentDueAt' | 'confirmedAt' | 'closedAt' | 'cancelReason'>
  >;
  payment?: Partial<Omit<PaymentRecord, 'id' | 'provider' | 'updatedAt'>>;
  lines?: { position: number; pickedQuantity?: number; pickedTotal?: number; returnedQuantityDelta?: number }[];
  newSubstitution?: Omit<SubstitutionRecord, 'proposedAt' | 'decidedAt' | 'status'>;
  substitutionDecision?: { id: string; status: 'APPROVED' | 'REJECTED' };
  /** Built from the order as it will be (version already raised). */
  events: (next: OrderRecord) => DomainEvent[];
}

export class OrderStore {
  constructor(private readonly db: OrdersDb) {}

  async byId(id: string): Promise<OrderRecord | null> {
    if (!isUuid(id)) return null;
    return (await loadDocuments(this.db, [id]))[0] ?? null;
  }

  async byIds(ids: readonly string[]): Promise<Map<string, OrderRecord>> {
    const orders = await loadDocuments(this.db, ids.filter(isUuid));
    return new Map(orders.map((o) => [o.id, o]));
  }

  async byPaymentId(paymentId: string): Promise<OrderRecord | null> {
    if (!isUuid(paymentId)) return null;
    const rows = await this.db.$queryRawUnsafe<{ doc: string }[]>(
      `${ORDER_DOCUMENT} WHERE o.id = (SELECT order_id FROM payment WHERE id = $1::uuid)`,
      paymentId,
    );
    return rows[0] ? fromDocument(JSON.parse(rows[0].doc) as Doc) : null;
  }

  /** A customer's orders, newest first, keyset-paginated by (placedAt, id). */
  async ofCustomer(
    customerId: string,
    opts: {
      statuses?: OrderStatus[];
      placedFrom?: Date;
      placedTo?: Date;
      first: number;
      after?: { placedAt: Date; id: string };
    },
  ): Promise<{ orders: OrderRecord[]; totalCount: number; hasNextPage: boolean }> {
    const where: Prisma.OrderWhereInput = {
      customerId,
      ...(opts.statuses?.length ? { status: { in: opts.statuses } } : {}),
      ...(opts.placedFrom || opts.placedTo
        ? {
            placedAt: {
              ...(opts.placedFrom ? { gte: opts.placedFrom } : {}),
              ...(opts.placedTo ? { lt: opts.placedTo } : {}),
            },
          }
        : {}),
    };
    const page: Prisma.OrderWhereInput = opts.after
      ? {
          OR: [{ placedAt: { lt: opts.after.placedAt } }, { placedAt: opts.after.placedAt, id: { lt: opts.after.id } }],
        }
      : {};
    const [rows, totalCount] = await Promise.all([
      this.db.order.findMany({
        where: { AND: [where, page] },
        select: { id: true },
        orderBy: [{ placedAt: 'desc' }, { id: 'desc' }],
        take: opts.first + 1,
      }),
      this.db.order.count({ where }),
    ]);
    const ids = rows.slice(0, opts.first).map((r) => r.id);
    const byId = await this.byIds(ids);
    return { orders: ids.map((id) => byId.get(id)!), totalCount, hasNextPage: rows.length > opts.first };
  }

  /** Orders of a customer that still wait for payment (a per-customer bound). */
  pendingCount(customerId: string): Promise<number> {
    return this.db.order.count({ where: { customerId, status: 'PENDING_PAYMENT' } });
  }

  /** The next order number, taken now for an order written later. */
  async nextNumber(): Promise<string> {
    const [row] = await this.db.$queryRawUnsafe<{ n: string }[]>(
      `SELECT nextval(pg_get_serial_sequence('customer_order', 'number'))::text AS n`,
    );
    return row.n;
  }

  /** Writes a new order with its lines and payment, the checkout's outcome and the events, in one transaction. */
  async create(order: NewOrder, checkout: { scope: string; key: string }, events: (o: OrderRecord) => DomainEvent[]) {
    return this.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(
        `INSERT INTO customer_order (id, number, customer_id, email, access_token_hash, locale, status, fulfilment_type,
           location_id, address, coupon_codes, subtotal, discount, delivery_fee, total, payment_due_at, updated_at)
         VALUES ($1::uuid, COALESCE($15::bigint, nextval(pg_get_serial_sequence('customer_order', 'number'))),
           $2, $3, $4, $5, 'PENDING_PAYMENT', $6::"FulfilmentType", $7, $8::jsonb, $9::text[],
           $10, $11, $12, $13, $14::timestamptz AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')`,
        order.id,
        order.customerId,
        order.email,
        order.accessTokenHash,
        order.locale,
        order.fulfilmentType,
        order.locationId,
        order.address ? JSON.stringify(order.address) : null,
        order.couponCodes,
        order.subtotal,
        order.discount,
        order.deliveryFee,
        order.total,
        order.paymentDueAt.toISOString(),
        order.number ?? null,
      );
      await tx.$executeRawUnsafe(
        `INSERT INTO order_line (id, order_id, position, sku, bundle_id, components, name_en, name_vi, quantity,
           unit_price, total, discount, substitution, substitute_sku, note)
         SELECT gen_random_uuid(), $1::uuid, x.position, x.sku, x.bundle_id, x.components, x.name_en, x.name_vi,
           x.quantity, x.unit_price, x.total, x.discount, x.substitution::"SubstitutionPreference", x.substitute_sku, x.note
           FROM jsonb_to_recordset($2::jsonb) AS x(position int, sku text, bundle_id text, components jsonb,
             name_en text, name_vi text, quantity int, unit_price int, total int, discount int, substitution text,
             substitute_sku text, note text)`,
        order.id,
        JSON.stringify(
          order.lines.map((l) => ({
            position: l.position,
            sku: l.sku,
            bundle_id: l.bundleId,
            components: l.components,
            name_en: l.names.en,
            name_vi: l.names.vi,
            quantity: l.quantity,
            unit_price: l.unitPrice,
            total: l.total,
            discount: l.discount,
            substitution: l.substitution,
            substitute_sku: l.substituteSku,
            note: l.note,
          })),
        ),
      );
      await tx.$executeRawUnsafe(
        `INSERT INTO payment (id, order_id, provider, status, amount, updated_at)
         VALUES ($1::uuid, $2::uuid, $3::"PaymentProviderName", 'PENDING', $4, now() AT TIME ZONE 'UTC')`,
        order.payment.id,
        order.id,
        order.payment.provider,
        order.payment.amount,
      );
      // Only while this attempt still holds its key: one the sweeper gave up on (and released) stays given up.
      const held = await tx.$executeRawUnsafe(
        `UPDATE checkout SET state = 'PLACED', updated_at = now() AT TIME ZONE 'UTC'
          WHERE scope = $1 AND idempotency_key = $2 AND state = 'IN_PROGRESS'`,
        checkout.scope,
        checkout.key,
      );
      if (held !== 1) throw new CheckoutAbandoned();
      const [created] = await loadDocuments(tx, [order.id]);
      await appendToOutbox(tx as unknown as SqlClient, ORDERS_TOPIC, events(created!));
      return created!;
    });
  }

  /**
   * Locks the order, lets `decide` choose a change on what is really there now, and writes it
   * with its events. Returns the order after the change, and whether anything changed.
   *
   * With `notification` (a provider's report about the order's payment), the report is recorded
   * in the same transaction, once per (provider, event id): a report seen before changes nothing
   * (`duplicate`), and one whose change fails is not recorded, so the provider's retry applies it.
   */
  async change(
    orderId: string,
    decide: (order: OrderRecord) => OrderChange | null,
    notification?: PaymentNotification,
  ): Promise<{ order: OrderRecord; changed: boolean; duplicate?: true } | null> {
    if (!isUuid(orderId)) return null;
    return this.db.$transaction(async (tx) => {
      const locked = await tx.$queryRawUnsafe<{ id: string }[]>(
        `SELECT id::text FROM customer_order WHERE id = $1::uuid FOR UPDATE`,
        orderId,
      );
      if (locked.length === 0) return null;
      const firstSighting =
        !notification ||
        (await tx.$executeRawUnsafe(
          `INSERT INTO payment_event (provider, event_id, payment_id, status, applied)
           VALUES ($1::"PaymentProviderName", $2, $3::uuid, $4::"PaymentStatus", false) ON CONFLICT DO NOTHING`,
          notification.provider,
          notification.eventId,
          notification.paymentId,
          notification.status,
        )) === 1;
      const [current] = await loadDocuments(tx, [orderId]);
      if (!firstSighting) return { order: current!, changed: false, duplicate: true as const };
      const change = decide(current!);
      if (!change) return { order: current!, changed: false };
      await this.write(tx, current!, change);
      if (notification)
        await tx.$executeRawUnsafe(
          `UPDATE payment_event SET applied = true WHERE provider = $1::"PaymentProviderName" AND event_id = $2`,
          notification.provider,
          notification.eventId,
        );
      const [next] = await loadDocuments(tx, [orderId]);
      await appendToOutbox(tx as unknown as SqlClient, ORDERS_TOPIC, change.events(next!));
      return { order: next!, changed: true };
    });
  }

  /** The order a payment belongs to. */
  async orderIdOfPayment(paymentId: string): Promise<string | null> {
    if (!isUuid(paymentId)) return null;
    const rows = await this.db.$queryRawUnsafe<{ order_id: string }[]>(
      `SELECT order_id::text FROM payment WHERE id = $1::uuid`,
      paymentId,
    );
    return rows[0]?.order_id ?? null;
  }

  private async write(tx: Tx, current: OrderRecord, change: OrderChange): Promise<void> {
    const order = assignments(change.order ?? {}, ORDER_COLUMNS, 'OrderStatus', 2);
    await tx.$executeRawUnsafe(
      `UPDATE customer_order SET ${[...order.sql, 'version = version + 1', `updated_at = now() AT TIME ZONE 'UTC'`].join(', ')}
        WHERE id = $1::uuid`,
      current.id,
      ...order.values,
    );
    if (change.payment && current.payment) {
      const payment = assignments(change.payment, PAYMENT_COLUMNS, 'PaymentStatus', 2);
      if (payment.sql.length > 0)
        await tx.$executeRawUnsafe(
          `UPDATE payment SET ${[...payment.sql, `updated_at = now() AT TIME ZONE 'UTC'`].join(', ')} WHERE id = $1::uuid`,
          current.payment.id,
          ...payment.values,
        );
    }
    for (const l of change.lines ?? [])
      await tx.orderLine.update({
        where: { orderId_position: { orderId: current.id, position: l.position } },
        data: {
          ...(l.pickedQuantity !== undefined ? { pickedQuantity: l.pickedQuantity } : {}),
          ...(l.pickedTotal !== undefined ? { pickedTotal: l.pickedTotal } : {}),
          ...(l.returnedQuantityDelta ? { returnedQuantity: { increment: l.returnedQuantityDelta } } : {}),
        },
      });
    if (change.newSubstitution) {
      const s = change.newSubstitution;
      await tx.substitution.create({
        data: {
          id: s.id,
          orderId: current.id,
          linePosition: s.linePosition,
          sku: s.sku,
          nameEn: s.names.en,
          nameVi: s.names.vi,
          quantity: s.quantity,
          unitPrice: s.unitPrice,
        },
      });
    }
    if (change.substitutionDecision)
      await tx.substitution.update({
        where: { id: change.substitutionDecision.id },
        data: { status: change.substitutionDecision.status, decidedAt: new Date() },
      });
  }

  /** Orders waiting for payment past their due time (at most `limit`). */
  async overdue(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db.order.findMany({
      where: { status: 'PENDING_PAYMENT', paymentDueAt: { lt: now } },
      select: { id: true },
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  /** Payments still PENDING at a provider that can be asked (not cash), older than `before`. */
  async stalePendingPayments(before: Date, limit: number): Promise<{ orderId: string; paymentId: string }[]> {
    const rows = await this.db.payment.findMany({
      where: {
        status: 'PENDING',
        provider: { in: ['STRIPE', 'MOMO', 'SIMULATOR'] },
        updatedAt: { lt: before },
        providerRef: { not: null },
        order: { status: 'PENDING_PAYMENT' },
      },
      select: { id: true, orderId: true },
      take: limit,
    });
    return rows.map((r) => ({ orderId: r.orderId, paymentId: r.id }));
  }

  async setPaymentStart(
    paymentId: string,
    start: { providerRef: string | null; clientSecret?: string; redirectUrl?: string },
  ) {
    await this.db.$executeRawUnsafe(
      `UPDATE payment SET provider_ref = $2, client_secret = $3, redirect_url = $4, updated_at = now() AT TIME ZONE 'UTC'
        WHERE id = $1::uuid`,
      paymentId,
      start.providerRef,
      start.clientSecret ?? null,
      start.redirectUrl ?? null,
    );
  }
}

/** The checkout outlived its time and was compensated: nothing of it may be written. */
export class CheckoutAbandoned extends Error {
  constructor() {
    super('the checkout was abandoned and compensated before the order could be written');
  }
}
