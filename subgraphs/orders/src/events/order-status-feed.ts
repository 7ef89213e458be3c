// Live order changes inside one process: a bus consumer (one per replica) publishes every
// order.status_changed here, and each orderStatusChanged subscription reads its one order's.
// Who may subscribe is checked when the subscription starts (the order's customer, staff, or a
// guest with the order's access token); the feed never carries another order's events to it.
import { createPubSub, filter, pipe } from '@graphql-yoga/subscription';
import type { Bus, Logger } from '@grocery/platform';
import { z } from 'zod';
import { ORDERS_TOPIC, OrderEventType, type OrderStatusChangedData } from './order-events';

const TOPIC = 'orders:status';

const statusChanged = z.object({
  orderId: z.string().uuid(),
  customerId: z.string().nullable(),
  status: z.string(),
  paymentStatus: z.string().nullable(),
  version: z.number().int(),
  reason: z.string(),
  substitutionId: z.string().optional(),
});

export class OrderStatusFeed {
  readonly pubSub = createPubSub<{ [TOPIC]: [OrderStatusChangedData & { changedAt: string }] }>();

  publish(change: OrderStatusChangedData & { changedAt: string }): void {
    this.pubSub.publish(TOPIC, change);
  }

  watch(orderId: string): AsyncIterable<OrderStatusChangedData & { changedAt: string }> {
    return pipe(
      this.pubSub.subscribe(TOPIC),
      filter((c: OrderStatusChangedData & { changedAt: string }) => c.orderId === orderId),
    );
  }

  /** Every replica hears every change (an ephemeral group), from now on. */
  async start(bus: Bus, logger: Logger): Promise<() => Promise<void>> {
    const sub = await bus.subscribe(
      ORDERS_TOPIC,
      { group: 'orders.status-feed', from: 'latest', ephemeral: true },
      async (event) => {
        if (event.type !== OrderEventType.statusChanged) return;
        const parsed = statusChanged.safeParse(event.data);
        if (!parsed.success) {
          logger.warn({ id: event.id }, 'skipping a malformed order.status_changed');
          return;
        }
        this.publish({ ...(parsed.data as OrderStatusChangedData), changedAt: event.time });
      },
    );
    return () => sub.close();
  }
}
