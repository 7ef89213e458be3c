// The order events delivery consumes (topic grocery.orders, subject = order id): order.cancelled
// and order.expired give the order's booked slot back, the safety net for when orders' own
// releaseSlotBooking call failed. Only the fields needed are read; other types are skipped.
import { topicFor, type DomainEvent } from '@grocery/platform';
import { z } from 'zod';

export const ORDERS_TOPIC = topicFor('orders');
export const SLOT_RELEASES_GROUP = 'delivery.slot-releases';

const RELEASING = new Set(['order.cancelled', 'order.expired']);
const orderClosedData = z.object({ orderId: z.string().trim().min(1).max(100) });

export type ParsedOrderEvent =
  { kind: 'release'; orderId: string } | { kind: 'ignored' } | { kind: 'malformed'; reason: string };

export function parseOrderEvent(event: DomainEvent): ParsedOrderEvent {
  if (!RELEASING.has(event.type)) return { kind: 'ignored' };
  const parsed = orderClosedData.safeParse(event.data);
  if (!parsed.success) return { kind: 'malformed', reason: parsed.error.issues.map((i) => i.message).join('; ') };
  if (event.subject !== parsed.data.orderId) return { kind: 'malformed', reason: 'subject is not data.orderId' };
  return { kind: 'release', orderId: parsed.data.orderId };
}
