// The order events delivery consumes (topic grocery.orders, subject = order id). Only the fields
// needed are read; other types are skipped.
//  - order.cancelled / order.expired: the order's booked slot is given back (the safety net for
//    when orders' own releaseSlotBooking call failed) and its shipment is cancelled;
//  - order.status_changed to CONFIRMED: a delivery order becomes a pending shipment; to
//    OUT_FOR_DELIVERY: a courier is booked;
//  - return.requested: a delivered order's return gets a courier pickup.
import { topicFor, type DomainEvent } from '@grocery/platform';
import { z } from 'zod';

export const ORDERS_TOPIC = topicFor('orders');
export const SLOT_RELEASES_GROUP = 'delivery.slot-releases';
export const SHIPMENTS_GROUP = 'delivery.shipments';

const RELEASING = new Set(['order.cancelled', 'order.expired']);
const orderId = z.string().trim().min(1).max(100);
const orderClosedData = z.object({ orderId });
const statusChangedData = z.object({ orderId, status: z.string().max(40) });
const returnRequestedData = z.object({ orderId, returnId: z.string().trim().min(1).max(100) });

export type ParsedOrderEvent =
  | { kind: 'release'; orderId: string; reason: string }
  | { kind: 'confirmed'; orderId: string }
  | { kind: 'ready'; orderId: string }
  | { kind: 'return'; orderId: string; returnId: string }
  | { kind: 'ignored' }
  | { kind: 'malformed'; reason: string };

export function parseOrderEvent(event: DomainEvent): ParsedOrderEvent {
  const schema = RELEASING.has(event.type)
    ? orderClosedData
    : event.type === 'order.status_changed'
      ? statusChangedData
      : event.type === 'return.requested'
        ? returnRequestedData
        : null;
  if (!schema) return { kind: 'ignored' };
  const parsed = schema.safeParse(event.data);
  if (!parsed.success) return { kind: 'malformed', reason: parsed.error.issues.map((i) => i.message).join('; ') };
  const data = parsed.data as { orderId: string; status?: string; returnId?: string };
  if (event.subject !== data.orderId) return { kind: 'malformed', reason: 'subject is not data.orderId' };
  if (RELEASING.has(event.type)) return { kind: 'release', orderId: data.orderId, reason: event.type };
  if (data.returnId) return { kind: 'return', orderId: data.orderId, returnId: data.returnId };
  if (data.status === 'CONFIRMED') return { kind: 'confirmed', orderId: data.orderId };
  if (data.status === 'OUT_FOR_DELIVERY') return { kind: 'ready', orderId: data.orderId };
  return { kind: 'ignored' };
}
