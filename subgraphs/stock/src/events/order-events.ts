// The order events stock consumes (topic grocery.orders, subject = order id): order.cancelled
// and order.expired release the order's stock, the safety net for when the orders subgraph's own
// releaseOrderStock call failed. Only the fields needed are read; other types are skipped.
import { topicFor, type DomainEvent } from '@grocery/platform';
import { z } from 'zod';

export const ORDERS_TOPIC = topicFor('orders');
export const ORDER_RELEASES_GROUP = 'stock.order-releases';

export const OrderEventType = {
  cancelled: 'order.cancelled',
  expired: 'order.expired',
} as const;

/** Version 1 of order.cancelled's and order.expired's data (the fields stock reads). */
const orderClosedData = z.object({ orderId: z.string().trim().min(1).max(100) });

export type ParsedOrderEvent =
  { kind: 'release'; orderId: string } | { kind: 'ignored' } | { kind: 'malformed'; reason: string };

export function parseOrderEvent(event: DomainEvent): ParsedOrderEvent {
  if (event.type !== OrderEventType.cancelled && event.type !== OrderEventType.expired) return { kind: 'ignored' };
  const parsed = orderClosedData.safeParse(event.data);
  if (!parsed.success)
    return {
      kind: 'malformed',
      reason: parsed.error.issues.map((i) => `data${i.path.map((p) => `.${p}`).join('')}: ${i.message}`).join('; '),
    };
  if (event.subject !== parsed.data.orderId) return { kind: 'malformed', reason: 'subject is not data.orderId' };
  return { kind: 'release', orderId: parsed.data.orderId };
}
