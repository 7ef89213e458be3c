// Orders, their lines, payments and substitutions in PostgreSQL. Every change to an order goes
// through `change()`: the order row is locked, the domain decides on the locked state, and the
// rows and the outbox events are written in that one transaction — a transition is guarded and
// published together, or not at all.
import { appendToOutbox, type DomainEvent, type SqlClient } from '@grocery/platform';
import type { OrdersDb } from './db';
import type { Prisma } from './generated/client';
import type {
  Address,
  OrderLineRecord,
  OrderRecord,
  PaymentRecord,
  SubstitutionPreference,
  SubstitutionRecord,
} from '../domain/order';
import type { FulfilmentType, OrderStatus, PaymentStatus } from '../domain/order-rules';
import type { PaymentProviderName } from '../payments/payment-provider';
import { ORDERS_TOPIC } from '../events/order-events';

type Tx = Prisma.TransactionClient;

const INCLUDE = {
  lines: { orderBy: { position: 'asc' } },
  payments: { orderBy: { createdAt: 'desc' }, take: 1 },
  substitutions: { orderBy: { proposedAt: 'asc' } },
} as const;

type OrderRow = Prisma.OrderGetPayload<{ include: typeof INCLUDE }>;

function toRecord(o: OrderRow): OrderRecord {
  const p = o.payments[0];
  return {
    id: o.id,
    number: String(o.number),
    customerId: o.customerId,
    email: o.email,
    accessTokenHash: o.accessTokenHash,
    locale: o.locale === 'en' ? 'en' : 'vi',
    status: o.status as OrderStatus,
    fulfilmentType: o.fulfilmentType as FulfilmentType,
    locationId: o.locationId,
    address: (o.address as Address | null) ?? null,
    couponCodes: o.couponCodes,
    subtotal: o.subtotal,
    discount: o.discount,
    deliveryFee: o.deliveryFee,
    total: o.total,
    finalTotal: o.finalTotal,
    paymentDueAt: o.paymentDueAt,
    placedAt: o.placedAt,
    confirmedAt: o.confirmedAt,
    closedAt: o.closedAt,
    cancelReason: o.cancelReason,
    version: o.version,
    updatedAt: o.updatedAt,
    lines: o.lines.map((l): OrderLineRecord => ({
      id: l.id,
      position: l.position,
      sku: l.sku,
      bundleId: l.bundleId,
      components: (l.components as { sku: string; quantity: number }[] | null) ?? null,
      names: { en: l.nameEn, vi: l.nameVi },
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      total: l.total,
      substitution: l.substitution as SubstitutionPreference,
      substituteSku: l.substituteSku,
      note: l.note,
      pickedQuantity: l.pickedQuantity,
      pickedTotal: l.pickedTotal,
      returnedQuantity: l.returnedQuantity,
    })),
    payment: p
      ? {
          id: p.id,
          provider: p.provider as PaymentProviderName,
          status: p.status as PaymentStatus,
          amount: p.amount,
          captured: p.captured,
          refunded: p.refunded,
          providerRef: p.providerRef,
          clientSecret: p.clientSecret,
          redirectUrl: p.redirectUrl,
          failureReason: p.failureReason,
          updatedAt: p.updatedAt,
        }
      : null,
    substitutions: o.substitutions.map((s): SubstitutionRecord => ({
      id: s.id,
      linePosition: s.linePosition,
      sku: s.sku,
      names: { en: s.nameEn, vi: s.nameVi },
      quantity: s.quantity,
      unitPrice: s.unitPrice,
      status: s.status,
      proposedAt: s.proposedAt,
      decidedAt: s.decidedAt,
    })),
  };
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
    const row = await this.db.order.findUnique({ where: { id }, include: INCLUDE });
    return row ? toRecord(row) : null;
  }

  async byIds(ids: readonly string[]): Promise<Map<string, OrderRecord>> {
    const rows = await this.db.order.findMany({ where: { id: { in: ids.filter(isUuid) } }, include: INCLUDE });
    return new Map(rows.map((r) => [r.id, toRecord(r)]));
  }

  async byPaymentId(paymentId: string): Promise<OrderRecord | null> {
    if (!isUuid(paymentId)) return null;
    const p = await this.db.payment.findUnique({ where: { id: paymentId }, select: { orderId: true } });
    return p ? this.byId(p.orderId) : null;
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
        include: INCLUDE,
        orderBy: [{ placedAt: 'desc' }, { id: 'desc' }],
        take: opts.first + 1,
      }),
      this.db.order.count({ where }),
    ]);
    return { orders: rows.slice(0, opts.first).map(toRecord), totalCount, hasNextPage: rows.length > opts.first };
  }

  /** Orders of a customer that still wait for payment (a per-customer bound). */
  pendingCount(customerId: string): Promise<number> {
    return this.db.order.count({ where: { customerId, status: 'PENDING_PAYMENT' } });
  }

  /** Writes a new order with its lines and payment, the checkout's outcome and the events, in one transaction. */
  async create(order: NewOrder, checkout: { scope: string; key: string }, events: (o: OrderRecord) => DomainEvent[]) {
    return this.db.$transaction(async (tx) => {
      await tx.order.create({
        data: {
          id: order.id,
          customerId: order.customerId,
          email: order.email,
          accessTokenHash: order.accessTokenHash,
          locale: order.locale,
          status: 'PENDING_PAYMENT',
          fulfilmentType: order.fulfilmentType,
          locationId: order.locationId,
          address: (order.address ?? undefined) as Prisma.InputJsonValue | undefined,
          couponCodes: order.couponCodes,
          subtotal: order.subtotal,
          discount: order.discount,
          deliveryFee: order.deliveryFee,
          total: order.total,
          paymentDueAt: order.paymentDueAt,
          lines: {
            create: order.lines.map((l) => ({
              id: crypto.randomUUID(),
              position: l.position,
              sku: l.sku,
              bundleId: l.bundleId,
              components: (l.components ?? undefined) as Prisma.InputJsonValue | undefined,
              nameEn: l.names.en,
              nameVi: l.names.vi,
              quantity: l.quantity,
              unitPrice: l.unitPrice,
              discount: l.discount,
              total: l.total,
              substitution: l.substitution,
              substituteSku: l.substituteSku,
              note: l.note,
            })),
          },
          payments: {
            create: {
              id: order.payment.id,
              provider: order.payment.provider,
              status: 'PENDING',
              amount: order.payment.amount,
            },
          },
        },
      });
      // Only while this attempt still holds its key: one the sweeper gave up on (and released) stays given up.
      const held = await tx.checkout.updateMany({
        where: { scope: checkout.scope, idempotencyKey: checkout.key, state: 'IN_PROGRESS' },
        data: { state: 'PLACED' },
      });
      if (held.count !== 1) throw new CheckoutAbandoned();
      const created = toRecord(await tx.order.findUniqueOrThrow({ where: { id: order.id }, include: INCLUDE }));
      await appendToOutbox(tx as unknown as SqlClient, ORDERS_TOPIC, events(created));
      return created;
    });
  }

  /**
   * Locks the order, lets `decide` choose a change on what is really there now, and writes it
   * with its events. Returns the order after the change, and whether anything changed.
   */
  async change(
    orderId: string,
    decide: (order: OrderRecord) => OrderChange | null,
  ): Promise<{ order: OrderRecord; changed: boolean } | null> {
    if (!isUuid(orderId)) return null;
    return this.db.$transaction(async (tx) => {
      const locked = await tx.$queryRawUnsafe<{ id: string }[]>(
        `SELECT id::text FROM customer_order WHERE id = $1::uuid FOR UPDATE`,
        orderId,
      );
      if (locked.length === 0) return null;
      const current = toRecord(await tx.order.findUniqueOrThrow({ where: { id: orderId }, include: INCLUDE }));
      const change = decide(current);
      if (!change) return { order: current, changed: false };
      await this.write(tx, current, change);
      const next = toRecord(await tx.order.findUniqueOrThrow({ where: { id: orderId }, include: INCLUDE }));
      await appendToOutbox(tx as unknown as SqlClient, ORDERS_TOPIC, change.events(next));
      return { order: next, changed: true };
    });
  }

  private async write(tx: Tx, current: OrderRecord, change: OrderChange): Promise<void> {
    await tx.order.update({
      where: { id: current.id },
      data: { ...change.order, version: { increment: 1 } },
    });
    if (change.payment && current.payment)
      await tx.payment.update({ where: { id: current.payment.id }, data: change.payment });
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

  /** Records a provider notification once: false when this (provider, event id) was seen before. */
  async firstSighting(
    provider: PaymentProviderName,
    eventId: string,
    paymentId: string,
    status: PaymentStatus | null,
  ): Promise<boolean> {
    const n = await this.db.$executeRawUnsafe(
      `INSERT INTO payment_event (provider, event_id, payment_id, status, applied)
       VALUES ($1::"PaymentProviderName", $2, $3::uuid, $4::"PaymentStatus", false) ON CONFLICT DO NOTHING`,
      provider,
      eventId,
      paymentId,
      status,
    );
    return n === 1;
  }

  async markApplied(provider: PaymentProviderName, eventId: string): Promise<void> {
    await this.db.paymentEvent.updateMany({ where: { provider, eventId }, data: { applied: true } });
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
    await this.db.payment.update({
      where: { id: paymentId },
      data: {
        providerRef: start.providerRef,
        clientSecret: start.clientSecret ?? null,
        redirectUrl: start.redirectUrl ?? null,
      },
    });
  }
}

/** The checkout outlived its time and was compensated: nothing of it may be written. */
export class CheckoutAbandoned extends Error {
  constructor() {
    super('the checkout was abandoned and compensated before the order could be written');
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);
