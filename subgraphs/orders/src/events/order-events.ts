// What the orders subgraph publishes (topic grocery.orders, subject = order id, so one order's
// events stay in order). order.placed keeps the contract products already consumes
// (subgraphs/products/src/events/order-events.ts): published when the order is confirmed.
import { makeEvent, topicFor, type DomainEvent } from '@grocery/platform';
import type { OrderStatus, PaymentStatus } from '../domain/order-rules';

export const ORDERS_TOPIC = topicFor('orders');
const SOURCE = 'grocery/orders';

export const OrderEventType = {
  placed: 'order.placed',
  statusChanged: 'order.status_changed',
  cancelled: 'order.cancelled',
  expired: 'order.expired',
  paymentChanged: 'payment.status_changed',
  substitutionProposed: 'order.substitution_proposed',
  substitutionDecided: 'order.substitution_decided',
  returnRequested: 'return.requested',
  returnReceived: 'return.received',
  returnRefunded: 'return.refunded',
} as const;

export interface OrderPlacedData {
  orderId: string;
  placedAt: string;
  lines: { sku: string; quantity: number }[];
  customerId?: string;
  couponCodes?: string[];
}

/** Every change of an order's statuses (orderStatusChanged streams these). */
export interface OrderStatusChangedData {
  orderId: string;
  customerId: string | null;
  status: OrderStatus;
  paymentStatus: PaymentStatus | null;
  /** The order's version after the change: a consumer keeps the highest. */
  version: number;
  /** What happened, e.g. "payment.authorized", "substitution.proposed". */
  reason: string;
  /** Set when the change is about a substitution proposal or decision. */
  substitutionId?: string;
}

const event = <T>(type: string, orderId: string, data: T): DomainEvent<T> =>
  makeEvent({ source: SOURCE, type, subject: orderId, data });

export const orderEvents = {
  placed: (d: OrderPlacedData) => event(OrderEventType.placed, d.orderId, d),
  statusChanged: (d: OrderStatusChangedData) => event(OrderEventType.statusChanged, d.orderId, d),
  cancelled: (orderId: string, reason: string) => event(OrderEventType.cancelled, orderId, { orderId, reason }),
  expired: (orderId: string) => event(OrderEventType.expired, orderId, { orderId }),
  paymentChanged: (
    orderId: string,
    d: { paymentId: string; provider: string; status: PaymentStatus; amount: number },
  ) => event(OrderEventType.paymentChanged, orderId, { orderId, ...d }),
  substitutionProposed: (
    orderId: string,
    d: { substitutionId: string; linePosition: number; sku: string; quantity: number },
  ) => event(OrderEventType.substitutionProposed, orderId, { orderId, ...d }),
  substitutionDecided: (orderId: string, d: { substitutionId: string; approved: boolean }) =>
    event(OrderEventType.substitutionDecided, orderId, { orderId, ...d }),
  returnRequested: (
    orderId: string,
    d: { returnId: string; lines: { position: number; quantity: number; reason: string }[] },
  ) => event(OrderEventType.returnRequested, orderId, { orderId, ...d }),
  returnReceived: (
    orderId: string,
    d: { returnId: string; lines: { position: number; received: number; damaged: number; restock: boolean }[] },
  ) => event(OrderEventType.returnReceived, orderId, { orderId, ...d }),
  returnRefunded: (orderId: string, d: { returnId: string; amount: number }) =>
    event(OrderEventType.returnRefunded, orderId, { orderId, ...d }),
};
