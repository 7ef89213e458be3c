// Orders after checkout: who may read one, cancelling, expiry of unpaid orders, picking with
// substitutions and the final capture, hand-over, reorder. Every transition is guarded by the
// rules in order-rules.ts on the locked row and written with its events (OrderStore.change).
import { randomUUID, timingSafeEqual } from 'node:crypto';
import {
  AppError,
  ErrorCode,
  badInput,
  conflict,
  hasRole,
  notFound,
  requireRole,
  type Identity,
  type Logger,
} from '@grocery/platform';
import type { OrderChange, OrderStore } from '../data/order-store';
import { orderEvents } from '../events/order-events';
import type { PaymentRef } from '../payments/payment-provider';
import type { CartRecord } from '../data/cart-store';
import type { CartService, Caller } from './cart-service';
import { orderAccessTokenHash } from './checkout-service';
import { shelfUnits, type OrderRecord } from './order';
import {
  afterPicking,
  canMoveOrder,
  cancellableBy,
  finalAmount,
  pickedLineTotal,
  type OrderStatus,
  type PaymentStatus,
} from './order-rules';
import type { PaymentProviders, PaymentService } from './payment-service';
import type { CatalogPort, StockPort } from './ports';

export type CancelOutcome = { kind: 'order'; order: OrderRecord } | { kind: 'not-cancellable'; status: OrderStatus };

export class OrderService {
  constructor(
    private readonly orders: OrderStore,
    private readonly payments: PaymentService,
    private readonly providers: PaymentProviders,
    private readonly stock: StockPort,
    private readonly catalog: CatalogPort,
    private readonly carts: CartService,
    private readonly logger: Logger,
    private readonly afterCommit: () => void,
  ) {}

  /** The order if the caller may see it: its customer, staff, or a guest holding its access token. */
  async readable(identity: Identity | undefined, id: string, accessToken?: string | null): Promise<OrderRecord | null> {
    const order = await this.orders.byId(id);
    return order && mayRead(identity, order, accessToken) ? order : null;
  }

  /** For the order's own subscription stream (access was checked when it started). */
  byIdUnchecked(id: string): Promise<OrderRecord | null> {
    return this.orders.byId(id);
  }

  /** A customer's orders (the caller is checked by the resolver). */
  ofCustomer(customerId: string, opts: Parameters<OrderStore['ofCustomer']>[1]) {
    return this.orders.ofCustomer(customerId, opts);
  }

  async cancel(
    identity: Identity | undefined,
    id: string,
    accessToken?: string | null,
    reason = 'customer_request',
  ): Promise<CancelOutcome> {
    const order = await this.readable(identity, id, accessToken);
    if (!order) throw notFound('No such order.');
    const who = hasRole(identity, 'staff') ? 'staff' : 'customer';
    let refused: OrderStatus | null = null;
    const result = await this.orders.change(id, (o) => {
      if (!cancellableBy(o.status, who)) {
        refused = o.status;
        return null;
      }
      return this.closing(o, 'CANCELLED', who === 'staff' ? `staff:${reason}` : reason);
    });
    if (refused || !result) return { kind: 'not-cancellable', status: refused ?? order.status };
    this.afterCommit();
    await this.afterClosing(order, result.order);
    return { kind: 'order', order: result.order };
  }

  /** Unpaid orders past their due time expire: stock and coupons back, any authorization voided. */
  async expireOverdue(now = new Date()): Promise<number> {
    let n = 0;
    for (const id of await this.orders.overdue(now, 50)) {
      let before: OrderRecord | null = null;
      const result = await this.orders.change(id, (o) => {
        before = o;
        return o.status === 'PENDING_PAYMENT' && o.paymentDueAt && o.paymentDueAt < now
          ? this.closing(o, 'EXPIRED', 'payment_window_passed')
          : null;
      });
      if (!result?.changed) continue;
      this.afterCommit();
      await this.afterClosing(before!, result.order);
      n++;
    }
    return n;
  }

  private closing(o: OrderRecord, to: 'CANCELLED' | 'EXPIRED', reason: string): OrderChange {
    const p = o.payment;
    // Money already held or taken goes back after commit; the payment's own status follows the provider.
    const paymentStatus: PaymentStatus | undefined =
      p && (p.status === 'PENDING' || p.status === 'AUTHORIZED') ? 'CANCELLED' : undefined;
    return {
      order: { status: to, closedAt: new Date(), paymentDueAt: null, cancelReason: reason },
      ...(paymentStatus ? { payment: { status: paymentStatus } } : {}),
      events: (next) => [
        to === 'EXPIRED' ? orderEvents.expired(next.id) : orderEvents.cancelled(next.id, reason),
        orderEvents.statusChanged({
          orderId: next.id,
          customerId: next.customerId,
          status: next.status,
          paymentStatus: next.payment?.status ?? null,
          version: next.version,
          reason: to === 'EXPIRED' ? 'order.expired' : 'order.cancelled',
        }),
      ],
    };
  }

  private async afterClosing(before: OrderRecord, after: OrderRecord): Promise<void> {
    await this.payments.releaseHolds(after.id);
    const p = before.payment;
    if (p && p.providerRef && (p.status === 'AUTHORIZED' || p.status === 'CAPTURED' || p.status === 'PENDING')) {
      const provider = this.providers.get(p.provider);
      const ref: PaymentRef = { paymentId: p.id, providerRef: p.providerRef, orderId: after.id };
      try {
        if (p.status === 'CAPTURED') await provider?.refund(ref, p.captured - p.refunded, `cancel-${p.id}`);
        else await provider?.cancel(ref);
      } catch (err) {
        this.logger.error({ err, orderId: after.id }, 'could not void or refund the payment of a closed order');
      }
    }
  }

  // ---- picking (staff) ----

  async startPicking(identity: Identity | undefined, id: string): Promise<OrderRecord> {
    requireRole(identity, 'staff');
    return this.move(id, 'PICKING', 'picking.started');
  }

  /** Records what was picked per line (weighed goods may come out heavier or lighter). */
  async recordPicked(
    identity: Identity | undefined,
    id: string,
    lines: { position: number; quantity: number }[],
  ): Promise<OrderRecord> {
    requireRole(identity, 'staff');
    if (lines.length === 0 || lines.length > 500) throw badInput('Give 1 to 500 picked lines.', 'lines');
    const result = await this.orders.change(id, (o) => {
      if (o.status !== 'PICKING') throw conflict(`The order is ${o.status}, not being picked.`);
      return {
        lines: lines.map((l) => {
          const line = o.lines.find((x) => x.position === l.position);
          if (!line) throw badInput(`The order has no line ${l.position}.`, 'lines');
          if (!Number.isInteger(l.quantity) || l.quantity < 0 || l.quantity > line.quantity * 2)
            throw badInput(`Line ${l.position}: picked quantity must be 0 to ${line.quantity * 2}.`, 'lines');
          return { position: l.position, pickedQuantity: l.quantity, pickedTotal: pickedLineTotal(line, l.quantity) };
        }),
        events: (next) => [this.statusEvent(next, 'picking.recorded')],
      };
    });
    if (!result) throw notFound('No such order.');
    this.afterCommit();
    return result.order;
  }

  /** Proposes a substitute for a short line, as the line's preference allows. */
  async proposeSubstitute(
    identity: Identity | undefined,
    id: string,
    input: { position: number; sku: string; quantity: number },
  ): Promise<OrderRecord> {
    requireRole(identity, 'staff');
    const current = await this.orders.byId(id);
    if (!current) throw notFound('No such order.');
    const product = (await this.catalog.products([input.sku], current.locale)).get(input.sku);
    if (!product?.sellable) throw badInput(`No product on sale with SKU ${input.sku}.`, 'sku');
    if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > 999)
      throw badInput('quantity: 1 to 999', 'quantity');
    const substitutionId = randomUUID();
    const result = await this.orders.change(id, (o) => {
      if (o.status !== 'PICKING') throw conflict(`The order is ${o.status}, not being picked.`);
      const line = o.lines.find((l) => l.position === input.position);
      if (!line) throw badInput(`The order has no line ${input.position}.`, 'position');
      if (line.substitution === 'NONE') throw conflict('The customer asked for no substitute on this line.');
      if (line.substitution === 'SPECIFIC' && line.substituteSku !== input.sku)
        throw conflict(`The customer accepts only ${line.substituteSku} as a substitute on this line.`);
      if (o.substitutions.some((s) => s.linePosition === input.position && s.status !== 'REJECTED'))
        throw conflict('This line already has a substitute proposed or approved.');
      if (o.substitutions.length >= 100) throw conflict('Too many substitutions on one order.');
      return {
        newSubstitution: {
          id: substitutionId,
          linePosition: input.position,
          sku: input.sku,
          names: product.names,
          quantity: input.quantity,
          unitPrice: product.price,
        },
        events: (next) => [
          orderEvents.substitutionProposed(next.id, {
            substitutionId,
            linePosition: input.position,
            sku: input.sku,
            quantity: input.quantity,
          }),
          this.statusEvent(next, 'substitution.proposed', substitutionId),
        ],
      };
    });
    if (!result) throw notFound('No such order.');
    this.afterCommit();
    return result.order;
  }

  /** The customer approves or rejects a proposed substitute. */
  async decideSubstitution(
    identity: Identity | undefined,
    id: string,
    substitutionId: string,
    approve: boolean,
    accessToken?: string | null,
  ): Promise<OrderRecord> {
    const order = await this.readable(identity, id, accessToken);
    if (!order) throw notFound('No such order.');
    const result = await this.orders.change(id, (o) => {
      const s = o.substitutions.find((x) => x.id === substitutionId);
      if (!s) throw notFound('No such substitution on this order.');
      if (s.status !== 'PROPOSED') {
        if ((s.status === 'APPROVED') === approve) return null; // said twice: nothing changes
        throw conflict(`This substitution was already ${s.status.toLowerCase()}.`);
      }
      if (o.status !== 'PICKING') throw conflict(`The order is ${o.status}: substitutions are settled.`);
      return {
        substitutionDecision: { id: substitutionId, status: approve ? 'APPROVED' : 'REJECTED' },
        events: (next) => [
          orderEvents.substitutionDecided(next.id, { substitutionId, approved: approve }),
          this.statusEvent(next, approve ? 'substitution.approved' : 'substitution.rejected', substitutionId),
        ],
      };
    });
    if (!result) throw notFound('No such order.');
    if (result.changed) this.afterCommit();
    return result.order;
  }

  /**
   * Picking ends: every line has its picked quantity; substitutes the customer has not approved
   * are left out. The picked units leave stock, the final amount is captured (never more than
   * authorized) and the rest of the hold is released, then the order is ready.
   */
  async finishPicking(identity: Identity | undefined, id: string): Promise<OrderRecord> {
    requireRole(identity, 'staff');
    const order = await this.orders.byId(id);
    if (!order) throw notFound('No such order.');
    if (order.status !== 'PICKING') throw conflict(`The order is ${order.status}, not being picked.`);
    const unpicked = order.lines.filter((l) => l.pickedQuantity === null);
    if (unpicked.length > 0)
      throw conflict(`Record the picked quantity of line ${unpicked.map((l) => l.position).join(', ')} first.`);
    const approved = order.substitutions.filter((s) => s.status === 'APPROVED');
    const pickedLinesTotal =
      order.lines.reduce((sum, l) => sum + (l.pickedTotal ?? 0), 0) +
      approved.reduce((sum, s) => sum + s.unitPrice * s.quantity, 0);
    const linesTotal = order.lines.reduce((sum, l) => sum + l.total, 0);
    const p = order.payment!;
    const final = finalAmount({
      pickedLinesTotal,
      linesTotal,
      orderDiscount: Math.max(0, linesTotal + order.deliveryFee - order.total),
      deliveryFee: order.deliveryFee,
      authorized: p.provider === 'CASH_ON_DELIVERY' ? Number.MAX_SAFE_INTEGER : p.amount,
    });
    // Stock first (idempotent per order), then the money (idempotent per payment), then the state.
    const picked = shelfUnits([
      ...order.lines.map((l) => ({ ...l, quantity: l.pickedQuantity! })),
      ...approved.map((s) => ({ sku: s.sku, quantity: s.quantity })),
    ]);
    await this.stock.pick(order.id, picked);
    const capture = p.provider !== 'CASH_ON_DELIVERY' && p.status === 'AUTHORIZED';
    if (capture) {
      const provider = this.providers.get(p.provider);
      if (!provider) throw new AppError(ErrorCode.SUBGRAPH_UNAVAILABLE, `${p.provider} is not configured here.`);
      if (final === 0) await provider.cancel({ paymentId: p.id, providerRef: p.providerRef!, orderId: order.id });
      else await provider.capture({ paymentId: p.id, providerRef: p.providerRef!, orderId: order.id }, final);
    }
    const result = await this.orders.change(id, (o) => {
      if (o.status !== 'PICKING') return null;
      return {
        order: { status: afterPicking(o.fulfilmentType), finalTotal: final },
        ...(capture
          ? {
              payment:
                final === 0 ? { status: 'CANCELLED' as const } : { status: 'CAPTURED' as const, captured: final },
            }
          : {}),
        events: (next) => [this.statusEvent(next, 'picking.finished')],
      };
    });
    this.afterCommit();
    return result!.order;
  }

  /** Handed over (picked up or delivered); cash on delivery is taken now. */
  async complete(identity: Identity | undefined, id: string): Promise<OrderRecord> {
    requireRole(identity, 'staff');
    const result = await this.orders.change(id, (o) => {
      if (!canMoveOrder(o.status, 'COMPLETED')) throw conflict(`The order is ${o.status}; it cannot be completed.`);
      return this.completion(o, 'order.completed');
    });
    if (!result) throw notFound('No such order.');
    this.afterCommit();
    return result.order;
  }

  /**
   * The courier delivered it (delivery's shipment event): completed like a hand-over, cash on
   * delivery taken. Anything but an order out for delivery is left as it is, so a redelivered
   * event changes nothing.
   */
  async deliveredByCourier(id: string): Promise<boolean> {
    const result = await this.orders.change(id, (o) =>
      o.status === 'OUT_FOR_DELIVERY' ? this.completion(o, 'shipment.delivered') : null,
    );
    if (!result?.changed) return false;
    this.afterCommit();
    return true;
  }

  private completion(o: OrderRecord, reason: string) {
    const cash = o.payment?.provider === 'CASH_ON_DELIVERY' && o.payment.status === 'PENDING';
    const amount = o.finalTotal ?? o.total;
    return {
      order: { status: 'COMPLETED' as const, closedAt: new Date() },
      ...(cash ? { payment: { status: 'CAPTURED' as const, amount, captured: amount } } : {}),
      events: (next: OrderRecord) => [this.statusEvent(next, reason)],
    };
  }

  private async move(id: string, to: OrderStatus, reason: string): Promise<OrderRecord> {
    const result = await this.orders.change(id, (o) => {
      if (o.status === to) return null;
      if (!canMoveOrder(o.status, to)) throw conflict(`The order is ${o.status}; it cannot become ${to}.`);
      return { order: { status: to }, events: (next) => [this.statusEvent(next, reason)] };
    });
    if (!result) throw notFound('No such order.');
    if (result.changed) this.afterCommit();
    return result.order;
  }

  statusEvent(o: OrderRecord, reason: string, substitutionId?: string) {
    return orderEvents.statusChanged({
      orderId: o.id,
      customerId: o.customerId,
      status: o.status,
      paymentStatus: o.payment?.status ?? null,
      version: o.version,
      reason,
      ...(substitutionId ? { substitutionId } : {}),
    });
  }

  /** Fills the caller's cart with what of an order is still sold (quantities as ordered). */
  async reorder(
    caller: Caller,
    id: string,
    accessToken?: string | null,
  ): Promise<{ cart: CartRecord; skipped: string[] }> {
    const order = await this.readable(caller.identity, id, accessToken);
    if (!order) throw notFound('No such order.');
    const skus = order.lines.filter((l) => l.sku).map((l) => l.sku!);
    const bundleIds = order.lines.filter((l) => l.bundleId).map((l) => l.bundleId!);
    const [products, bundles] = await Promise.all([
      this.catalog.products(skus, caller.locale),
      this.catalog.bundles(bundleIds, caller.locale),
    ]);
    const still = order.lines.filter((l) =>
      l.sku ? products.get(l.sku)?.sellable : bundles.get(l.bundleId!)?.sellable,
    );
    const skipped = order.lines.filter((l) => !still.includes(l)).map((l) => l.sku ?? l.bundleId!);
    if (still.length === 0) throw conflict('Nothing of this order is still sold.');
    const cart = await this.carts.addToCart(
      caller,
      null,
      still.map((l) => ({
        sku: l.sku,
        bundleId: l.bundleId,
        quantity: l.quantity,
        substitution: l.substitution,
        substituteSku: l.substitution === 'SPECIFIC' ? l.substituteSku : null,
        note: l.note,
      })),
    );
    return { cart, skipped };
  }
}

export function mayRead(identity: Identity | undefined, order: OrderRecord, accessToken?: string | null): boolean {
  if (hasRole(identity, 'staff')) return true;
  if (identity && order.customerId === identity.userId) return true;
  if (accessToken && order.accessTokenHash) {
    const given = Buffer.from(orderAccessTokenHash(accessToken), 'hex');
    const held = Buffer.from(order.accessTokenHash, 'hex');
    return given.length === held.length && timingSafeEqual(given, held);
  }
  return false;
}
