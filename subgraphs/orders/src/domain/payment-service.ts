// Payments after checkout: every provider notification (verified webhook, poll, or a provider's
// synchronous answer) goes through apply(): recorded once by its provider event id, checked
// against our payment (amount), applied only if it moves the payment forward, and its
// consequence for the order written in the same transaction (confirm / cancel / give the money
// back). Calls to the outside world (stock, products, the provider) happen after commit; each is
// idempotent, and stock and products also release on order.cancelled / order.expired events.
import type { DomainEvent, Logger } from '@grocery/platform';
import type { OrderChange, OrderStore } from '../data/order-store';
import { orderEvents } from '../events/order-events';
import type { PaymentProviderName, PaymentProvider, PaymentRef, PaymentUpdate } from '../payments/payment-provider';
import { shelfUnits, type OrderRecord } from './order';
import {
  canMovePayment,
  consequenceOf,
  paymentStatusOf,
  type OrderStatus,
  type PaymentConsequence,
  type PaymentStatus,
} from './order-rules';
import type { CatalogPort, DeliveryPort, StockPort } from './ports';

export interface PaymentProviders {
  get(name: PaymentProviderName): PaymentProvider | undefined;
}

export type ApplyResult = 'applied' | 'duplicate' | 'ignored' | 'unknown-payment' | 'amount-mismatch';

export class PaymentService {
  constructor(
    private readonly orders: OrderStore,
    private readonly providers: PaymentProviders,
    private readonly stock: StockPort,
    private readonly catalog: CatalogPort,
    private readonly logger: Logger,
    private readonly afterCommit: () => void,
    private readonly delivery?: DeliveryPort,
  ) {}

  async apply(update: PaymentUpdate): Promise<ApplyResult> {
    const orderId = await this.orders.orderIdOfPayment(update.paymentId);
    const status = paymentStatusOf(update.status);
    let outcome = 'ignored' as ApplyResult;
    let consequence = 'none' as PaymentConsequence;
    let before: PaymentStatus = 'PENDING';
    const notification = { provider: update.provider, eventId: update.eventId, paymentId: update.paymentId, status };
    const result = orderId
      ? await this.orders.change(
          orderId,
          (o) => {
            const p = o.payment;
            if (!p || p.id !== update.paymentId || p.provider !== update.provider) {
              outcome = 'unknown-payment';
              return null;
            }
            // What the provider says it holds must be what we asked for (MoMo's IPN: amount, order id).
            if (
              (status === 'AUTHORIZED' && update.amount !== p.amount) ||
              (status === 'CAPTURED' && update.amount > p.amount)
            ) {
              outcome = 'amount-mismatch';
              return null;
            }
            before = p.status;
            // A success for an order that is already closed (expired, cancelled, the checkout gave up
            // on a timeout): whatever we recorded, the money goes back.
            const weHoldNothing = p.status === 'PENDING' || p.status === 'FAILED' || p.status === 'CANCELLED';
            if (
              (o.status === 'CANCELLED' || o.status === 'EXPIRED') &&
              weHoldNothing &&
              (status === 'AUTHORIZED' || status === 'CAPTURED')
            ) {
              consequence = 'give-money-back';
              return {
                payment: { providerRef: update.providerRef, failureReason: 'late_success_given_back' },
                events: (next) => [
                  orderEvents.paymentChanged(next.id, {
                    paymentId: p.id,
                    provider: p.provider,
                    status: p.status,
                    amount: p.amount,
                  }),
                ],
              };
            }
            if (!canMovePayment(p.status, status)) return null;
            consequence = consequenceOf(o.status, status);
            const amounts = paymentAmounts(status, update.amount, p);
            return this.changeFor(
              o,
              consequence,
              { status, ...amounts, failureReason: update.reason ?? p.failureReason },
              `payment.${status.toLowerCase()}`,
            );
          },
          notification,
        )
      : null;
    if (!result || outcome === 'unknown-payment') {
      this.logger.warn({ provider: update.provider, eventId: update.eventId }, 'payment update for no payment of ours');
      return 'unknown-payment';
    }
    if (result.duplicate) return 'duplicate';
    if (outcome === 'amount-mismatch') {
      this.logger.error(
        { orderId, paymentId: update.paymentId, reported: update.amount },
        'payment update with an amount that is not ours: not applied',
      );
      return outcome;
    }
    if (!result.changed) return 'ignored';
    this.afterCommit();
    if (consequence === 'give-money-back') await this.giveBack(result.order, status, update.amount);
    else await this.follow(result.order, consequence, before);
    return 'applied';
  }

  /** Cash on delivery: confirmed at once, the payment stays PENDING until the cash is taken. */
  async acceptCashOnDelivery(orderId: string): Promise<OrderRecord | null> {
    const result = await this.orders.change(orderId, (o) =>
      o.status === 'PENDING_PAYMENT' ? this.changeFor(o, 'confirm', {}, 'cash_on_delivery.accepted') : null,
    );
    if (!result?.changed) return result?.order ?? null;
    this.afterCommit();
    await this.follow(result.order, 'confirm', 'PENDING');
    return result.order;
  }

  /** The order's change for a consequence; `payment` is what changes on the payment row. */
  changeFor(
    o: OrderRecord,
    consequence: PaymentConsequence,
    payment: OrderChange['payment'],
    reason: string,
  ): OrderChange {
    const now = new Date();
    const status: OrderStatus =
      consequence === 'confirm' ? 'CONFIRMED' : consequence === 'cancel-order' ? 'CANCELLED' : o.status;
    const order: OrderChange['order'] =
      consequence === 'confirm'
        ? { status, confirmedAt: now, paymentDueAt: null }
        : consequence === 'cancel-order'
          ? { status, closedAt: now, paymentDueAt: null, cancelReason: 'payment_failed' }
          : {};
    return {
      order,
      payment,
      events: (next) => {
        const p = next.payment!;
        const events: DomainEvent[] = [
          orderEvents.statusChanged({
            orderId: next.id,
            customerId: next.customerId,
            status: next.status,
            paymentStatus: p.status,
            version: next.version,
            reason,
          }),
        ];
        if (payment?.status)
          events.unshift(
            orderEvents.paymentChanged(next.id, {
              paymentId: p.id,
              provider: p.provider,
              status: p.status,
              amount: p.amount,
            }),
          );
        if (consequence === 'confirm')
          events.unshift(
            orderEvents.placed({
              orderId: next.id,
              placedAt: (next.confirmedAt ?? now).toISOString(),
              lines: shelfUnits(next.lines),
              ...(next.customerId ? { customerId: next.customerId } : {}),
              ...(next.couponCodes.length ? { couponCodes: next.couponCodes } : {}),
            }),
          );
        if (consequence === 'cancel-order') events.unshift(orderEvents.cancelled(next.id, 'payment_failed'));
        return events;
      },
    };
  }

  /** After commit: what the consequence asks of stock, products and the provider. */
  async follow(order: OrderRecord, consequence: PaymentConsequence, paymentBefore: PaymentStatus): Promise<void> {
    try {
      if (consequence === 'confirm') await this.stock.allocate(order.id);
      else if (consequence === 'cancel-order') await this.releaseHolds(order.id);
      else if (consequence === 'give-money-back' && order.payment)
        await this.giveBack(order, order.payment.status, order.payment.captured - order.payment.refunded);
    } catch (err) {
      this.logger.error(
        { err, orderId: order.id, consequence, paymentBefore },
        'payment follow-up failed (stock and products also follow order events; the sweeper retries money back)',
      );
    }
  }

  /** Stock, coupon uses and the booked delivery or pickup slot the order holds go back (each call idempotent). */
  async releaseHolds(orderId: string): Promise<void> {
    const results = await Promise.allSettled([
      this.stock.release(orderId),
      this.catalog.releaseCoupons(orderId),
      ...(this.delivery ? [this.delivery.release(orderId)] : []),
    ]);
    for (const r of results)
      if (r.status === 'rejected')
        this.logger.warn({ err: r.reason, orderId }, 'release failed; the order event will release it');
  }

  /**
   * An authorization is voided, a capture refunded in full: a customer keeps nothing paid for an
   * order that does not go ahead. `status` is what the provider holds (AUTHORIZED or CAPTURED).
   */
  async giveBack(order: OrderRecord, status: PaymentStatus, amount: number): Promise<void> {
    const p = order.payment;
    if (!p?.providerRef) return;
    const provider = this.providers.get(p.provider);
    if (!provider) return;
    const ref: PaymentRef = { paymentId: p.id, providerRef: p.providerRef, orderId: order.id };
    try {
      if (status === 'AUTHORIZED') await provider.cancel(ref);
      else if ((status === 'CAPTURED' || status === 'PARTIALLY_REFUNDED') && amount > 0)
        await provider.refund(ref, amount, `giveback-${p.id}`);
      this.logger.info(
        { orderId: order.id, paymentId: p.id, status },
        'gave back a payment for an order that did not go ahead',
      );
    } catch (err) {
      this.logger.error(
        { err, orderId: order.id, paymentId: p.id },
        'could not give a payment back; it stays for staff',
      );
    }
  }

  /** Asks providers about payments still pending (non-final results are polled). */
  async pollPending(olderThan: Date, limit = 20): Promise<number> {
    let applied = 0;
    for (const { orderId } of await this.orders.stalePendingPayments(olderThan, limit)) {
      const order = await this.orders.byId(orderId);
      const p = order?.payment;
      if (!order || !p?.providerRef) continue;
      const provider = this.providers.get(p.provider);
      try {
        const update = await provider?.query({ paymentId: p.id, providerRef: p.providerRef, orderId });
        if (update && update.status !== 'PENDING' && update.status !== 'REQUIRES_ACTION')
          applied += Number((await this.apply(update)) === 'applied');
      } catch (err) {
        this.logger.warn({ err, orderId }, 'could not ask the provider about a pending payment');
      }
    }
    return applied;
  }
}

function paymentAmounts(
  status: PaymentStatus,
  amount: number,
  p: { captured: number; refunded: number },
): { captured?: number; refunded?: number } {
  if (status === 'CAPTURED') return { captured: amount };
  if (status === 'REFUNDED' || status === 'PARTIALLY_REFUNDED') return { refunded: Math.min(amount, p.captured) };
  return {};
}
