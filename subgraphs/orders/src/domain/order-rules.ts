// The order's and the payment's life cycles as rules, nothing else (no I/O): which transitions
// exist, which payment notification may move a payment, and what an order then becomes.
//
// Order:   PENDING_PAYMENT → CONFIRMED → PICKING → READY_FOR_PICKUP | OUT_FOR_DELIVERY → COMPLETED,
//          plus CANCELLED (from PENDING_PAYMENT, CONFIRMED; PICKING by staff) and EXPIRED (PENDING_PAYMENT only).
// Payment: PENDING → AUTHORIZED → CAPTURED → PARTIALLY_REFUNDED → REFUNDED, plus FAILED and
//          CANCELLED (from PENDING or AUTHORIZED). Provider notifications may arrive late, twice or
//          out of order: one that would move a payment backwards, or out of a final state, is ignored.
import type { ProviderPaymentStatus } from '../payments/payment-provider';

export type OrderStatus =
  | 'PENDING_PAYMENT'
  | 'CONFIRMED'
  | 'PICKING'
  | 'READY_FOR_PICKUP'
  | 'OUT_FOR_DELIVERY'
  | 'COMPLETED'
  | 'CANCELLED'
  | 'EXPIRED';

export type PaymentStatus =
  'PENDING' | 'AUTHORIZED' | 'CAPTURED' | 'PARTIALLY_REFUNDED' | 'REFUNDED' | 'FAILED' | 'CANCELLED';

export type FulfilmentType = 'PICKUP' | 'DELIVERY';

const ORDER_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING_PAYMENT: ['CONFIRMED', 'CANCELLED', 'EXPIRED'],
  CONFIRMED: ['PICKING', 'CANCELLED'],
  PICKING: ['READY_FOR_PICKUP', 'OUT_FOR_DELIVERY', 'CANCELLED'],
  READY_FOR_PICKUP: ['COMPLETED'],
  OUT_FOR_DELIVERY: ['COMPLETED'],
  COMPLETED: [],
  CANCELLED: [],
  EXPIRED: [],
};

export function canMoveOrder(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** Where picking leads, by how the order is fulfilled. */
export function afterPicking(fulfilment: FulfilmentType): OrderStatus {
  return fulfilment === 'PICKUP' ? 'READY_FOR_PICKUP' : 'OUT_FOR_DELIVERY';
}

/** A customer may cancel until picking starts; staff until it leaves picking. */
export function cancellableBy(status: OrderStatus, who: 'customer' | 'staff'): boolean {
  if (status === 'PENDING_PAYMENT' || status === 'CONFIRMED') return true;
  return who === 'staff' && status === 'PICKING';
}

const PAYMENT_TRANSITIONS: Record<PaymentStatus, readonly PaymentStatus[]> = {
  PENDING: ['AUTHORIZED', 'CAPTURED', 'FAILED', 'CANCELLED'],
  AUTHORIZED: ['CAPTURED', 'CANCELLED'],
  CAPTURED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  PARTIALLY_REFUNDED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  REFUNDED: [],
  FAILED: [],
  CANCELLED: [],
};

export function canMovePayment(from: PaymentStatus, to: PaymentStatus): boolean {
  return PAYMENT_TRANSITIONS[from].includes(to);
}

/** What a provider's report means for our payment status (REQUIRES_ACTION is still PENDING for us). */
export function paymentStatusOf(reported: ProviderPaymentStatus): PaymentStatus {
  return reported === 'REQUIRES_ACTION' ? 'PENDING' : reported;
}

/**
 * What an applied payment status does to its order:
 * - authorized (or captured at once) while the order waits → CONFIRMED;
 * - failed or cancelled while it waits → CANCELLED (its stock and coupons go back);
 * - authorized or captured after the order expired or was cancelled → the money goes back
 *   (void the authorization, refund a capture) — a late success never keeps a customer's money.
 */
export type PaymentConsequence = 'confirm' | 'cancel-order' | 'give-money-back' | 'none';

export function consequenceOf(order: OrderStatus, payment: PaymentStatus): PaymentConsequence {
  const money = payment === 'AUTHORIZED' || payment === 'CAPTURED';
  if (order === 'PENDING_PAYMENT') {
    if (money) return 'confirm';
    if (payment === 'FAILED' || payment === 'CANCELLED') return 'cancel-order';
    return 'none';
  }
  if ((order === 'CANCELLED' || order === 'EXPIRED') && money) return 'give-money-back';
  return 'none';
}

/**
 * What picked units of a line come to: the line's own price per unit (after its discounts), so
 * a weighed item that comes out lighter or heavier costs in proportion. Rounded to the đồng.
 */
export function pickedLineTotal(line: { quantity: number; total: number }, pickedQuantity: number): number {
  if (pickedQuantity === line.quantity) return line.total;
  return Math.round((line.total * pickedQuantity) / line.quantity);
}

/**
 * The amount captured after picking: what was picked and approved, plus the fee, minus the
 * order-level discount kept in proportion; never more than was authorized (a heavier weighed
 * item beyond the authorized margin is the shop's loss, not an unauthorized charge).
 */
export function finalAmount(opts: {
  pickedLinesTotal: number;
  linesTotal: number;
  orderDiscount: number;
  deliveryFee: number;
  authorized: number;
}): number {
  const discount =
    opts.linesTotal > 0
      ? Math.min(opts.pickedLinesTotal, Math.round((opts.orderDiscount * opts.pickedLinesTotal) / opts.linesTotal))
      : 0;
  return Math.min(opts.authorized, Math.max(0, opts.pickedLinesTotal - discount) + opts.deliveryFee);
}
