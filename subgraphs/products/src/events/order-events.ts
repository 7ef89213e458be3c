// The order.placed contract the products subgraph consumes for popularity. The orders subgraph
// comes later and will publish exactly this (topic grocery.orders, subject = order id).
import {
  topicFor,
  type Bus,
  type DeadLetterSink,
  type DomainEvent,
  type Logger,
  type Subscription,
} from '@grocery/platform';
import { z } from 'zod';
import type { OrderedUnits } from '../domain/popular-products';
import { describeIssues } from './event-parsing';

export const ORDERS_TOPIC = topicFor('orders');

export const OrderEventType = {
  placed: 'order.placed',
  cancelled: 'order.cancelled',
  expired: 'order.expired',
} as const;

const id = z.string().trim().min(1).max(100);

/** order.cancelled and order.expired: what was held for the order (coupon uses) goes back. */
const orderClosedData = z.object({ orderId: id });

/** Version 1 of order.placed's data. */
export const orderPlacedData = z.object({
  orderId: id,
  placedAt: z.string().datetime({ offset: true }),
  lines: z
    .array(z.object({ sku: id, quantity: z.number().int().min(1).max(10_000) }))
    .min(1)
    .max(500),
  /** The customer who placed it (absent for a guest checkout). */
  customerId: id.optional(),
  /** Coupon codes the order was priced with and charged for (counted as redemptions). */
  couponCodes: z.array(z.string().trim().min(1).max(64)).max(10).optional(),
});

export interface PlacedOrder {
  kind: 'placed';
  orderId: string;
  placedAt: Date;
  units: OrderedUnits[];
  customerId: string | null;
  couponCodes: string[];
}

export type ParsedOrderEvent =
  | PlacedOrder
  /** Cancelled or expired: nothing it held stays held. */
  | { kind: 'closed'; orderId: string }
  /** Another order.* type this consumer has no use for. */
  | { kind: 'ignored' }
  | { kind: 'malformed'; reason: string };

/** Reads order.placed into units per SKU (an order listing a SKU twice counts once per order). */
export function parseOrderEvent(event: DomainEvent): ParsedOrderEvent {
  if (event.type === OrderEventType.cancelled || event.type === OrderEventType.expired) {
    const closed = orderClosedData.safeParse(event.data);
    if (!closed.success) return { kind: 'malformed', reason: describeIssues(closed.error) };
    if (event.subject !== closed.data.orderId) return { kind: 'malformed', reason: 'subject is not data.orderId' };
    return { kind: 'closed', orderId: closed.data.orderId };
  }
  if (event.type !== OrderEventType.placed) return { kind: 'ignored' };
  const parsed = orderPlacedData.safeParse(event.data);
  if (!parsed.success) return { kind: 'malformed', reason: describeIssues(parsed.error) };
  const { orderId, placedAt, lines, customerId, couponCodes } = parsed.data;
  if (event.subject !== orderId) return { kind: 'malformed', reason: 'subject is not data.orderId' };
  const bySku = new Map<string, number>();
  for (const line of lines) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.quantity);
  return {
    kind: 'placed',
    orderId,
    placedAt: new Date(placedAt),
    units: [...bySku].map(([sku, quantity]) => ({ sku, quantity })),
    customerId: customerId ?? null,
    couponCodes: [...new Set(couponCodes ?? [])],
  };
}

/**
 * Subscribes a durable group to placed orders, from the earliest retained (a first start catches
 * up on history). Other order.* types are skipped; malformed events are logged and skipped.
 */
export function subscribeToPlacedOrders(
  opts: { bus: Bus; logger: Logger; deadLetters?: DeadLetterSink },
  group: string,
  handle: (order: PlacedOrder, event: DomainEvent) => Promise<void>,
  /** Also told of cancelled and expired orders, when given. */
  closed?: (orderId: string, event: DomainEvent) => Promise<void>,
): Promise<Subscription> {
  return opts.bus.subscribe(ORDERS_TOPIC, { group, from: 'earliest', deadLetters: opts.deadLetters }, async (event) => {
    const parsed = parseOrderEvent(event);
    if (parsed.kind === 'malformed')
      opts.logger.warn({ id: event.id, type: event.type, reason: parsed.reason }, 'skipping a malformed order event');
    else if (parsed.kind === 'placed') await handle(parsed, event);
    else if (parsed.kind === 'closed') await closed?.(parsed.orderId, event);
  });
}
