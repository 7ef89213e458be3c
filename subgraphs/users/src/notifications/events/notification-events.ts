// Which order, payment, return and delivery events become notifications, read with zod from
// only the fields they need (contracts: subgraphs/orders/src/events/order-events.ts and
// subgraphs/delivery/src/events/delivery-events.ts). Anything else — other types, statuses
// nobody is told about, return pickups — is no notification (null); a malformed event says why.
import { topicFor, type DomainEvent } from '@grocery/platform';
import { z } from 'zod';
import type { NotificationIntent } from '../domain/intent';
import type { NotificationKind } from '../domain/templates';

export const ORDERS_TOPIC = topicFor('orders');
export const DELIVERY_TOPIC = topicFor('delivery');

const id = z.string().min(1).max(100);
const customerId = z.string().max(100).nullish();

const statusChanged = z.object({
  orderId: id,
  customerId,
  status: z.string(),
  reason: z.string().max(200).default(''),
});
const paymentChanged = z.object({ orderId: id, paymentId: id, status: z.string() });
const substitutionProposed = z.object({
  orderId: id,
  substitutionId: id,
  sku: z.string().max(100),
  quantity: z.number().int(),
});
const returnEvent = z.object({ orderId: id, returnId: id });
const returnRefunded = returnEvent.extend({ amount: z.number().int().nonnegative() });
const shipmentChanged = z.object({
  shipmentId: id,
  orderId: id,
  customerId,
  status: z.string(),
  trackingUrl: z.string().url().max(2000).nullish(),
  courierName: z.string().max(200).nullish(),
  purpose: z.string().default('delivery'),
});

/** Order statuses the customer is told about. */
const ORDER_STATUS_KINDS: Record<string, NotificationKind> = {
  CONFIRMED: 'ORDER_CONFIRMED',
  READY_FOR_PICKUP: 'ORDER_READY_FOR_PICKUP',
  OUT_FOR_DELIVERY: 'ORDER_OUT_FOR_DELIVERY',
  COMPLETED: 'ORDER_COMPLETED',
  CANCELLED: 'ORDER_CANCELLED',
  EXPIRED: 'ORDER_EXPIRED',
};

const SHIPMENT_STATUS_KINDS: Record<string, NotificationKind> = {
  COURIER_ASSIGNED: 'SHIPMENT_COURIER_ASSIGNED',
  DELIVERED: 'SHIPMENT_DELIVERED',
  FAILED: 'SHIPMENT_FAILED',
};

export type ParsedEvent =
  { kind: 'notify'; intent: NotificationIntent } | { kind: 'ignore' } | { kind: 'malformed'; reason: string };

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, data: unknown): T | string {
  const r = schema.safeParse(data);
  return r.success
    ? r.data
    : r.error.issues.map((i) => `data${i.path.map((p) => `.${p}`).join('')}: ${i.message}`).join('; ');
}

export function notificationIntentOf(event: DomainEvent): ParsedEvent {
  const notify = (intent: NotificationIntent): ParsedEvent => ({ kind: 'notify', intent });
  switch (event.type) {
    case 'order.status_changed': {
      const d = parse(statusChanged, event.data);
      if (typeof d === 'string') return { kind: 'malformed', reason: d };
      const kind = ORDER_STATUS_KINDS[d.status];
      if (!kind) return { kind: 'ignore' };
      // An order stays CONFIRMED through several changes (payment captured, …): each status is
      // announced once per order, whichever event reaches it first.
      return notify({
        kind,
        orderId: d.orderId,
        customerId: d.customerId ?? null,
        dedupeKey: `${d.orderId}:${kind}`,
        values: { reason: d.reason },
      });
    }
    case 'payment.status_changed': {
      const d = parse(paymentChanged, event.data);
      if (typeof d === 'string') return { kind: 'malformed', reason: d };
      if (d.status === 'FAILED')
        return notify({
          kind: 'PAYMENT_FAILED',
          orderId: d.orderId,
          customerId: null,
          dedupeKey: `${d.paymentId}:FAILED`,
          values: {},
        });
      if (d.status === 'REFUNDED' || d.status === 'PARTIALLY_REFUNDED')
        return notify({
          kind: 'PAYMENT_REFUNDED',
          orderId: d.orderId,
          customerId: null,
          // Each (partial) refund is its own event and its own message.
          dedupeKey: event.id,
          values: { partial: d.status === 'PARTIALLY_REFUNDED' },
        });
      return { kind: 'ignore' };
    }
    case 'order.substitution_proposed': {
      const d = parse(substitutionProposed, event.data);
      if (typeof d === 'string') return { kind: 'malformed', reason: d };
      return notify({
        kind: 'SUBSTITUTION_PROPOSED',
        orderId: d.orderId,
        customerId: null,
        dedupeKey: `${d.substitutionId}:PROPOSED`,
        values: { sku: d.sku, quantity: d.quantity },
      });
    }
    case 'return.requested':
    case 'return.received': {
      const d = parse(returnEvent, event.data);
      if (typeof d === 'string') return { kind: 'malformed', reason: d };
      const kind = event.type === 'return.requested' ? 'RETURN_REQUESTED' : 'RETURN_RECEIVED';
      return notify({ kind, orderId: d.orderId, customerId: null, dedupeKey: `${d.returnId}:${kind}`, values: {} });
    }
    case 'return.refunded': {
      const d = parse(returnRefunded, event.data);
      if (typeof d === 'string') return { kind: 'malformed', reason: d };
      return notify({
        kind: 'RETURN_REFUNDED',
        orderId: d.orderId,
        customerId: null,
        dedupeKey: `${d.returnId}:RETURN_REFUNDED`,
        values: { amount: d.amount },
      });
    }
    case 'delivery.shipment_status_changed': {
      const d = parse(shipmentChanged, event.data);
      if (typeof d === 'string') return { kind: 'malformed', reason: d };
      const kind = SHIPMENT_STATUS_KINDS[d.status];
      // Return pickups are arranged with the customer by staff; only deliveries are announced.
      if (!kind || d.purpose !== 'delivery') return { kind: 'ignore' };
      return notify({
        kind,
        orderId: d.orderId,
        customerId: d.customerId ?? null,
        dedupeKey: `${d.shipmentId}:${kind}`,
        values: { trackingUrl: d.trackingUrl ?? null, courierName: d.courierName ?? null },
      });
    }
    default:
      return { kind: 'ignore' };
  }
}
