// What orders consumes from delivery (topic grocery.delivery, subject = order id): a delivery
// shipment reported DELIVERED completes its order (durable group, from the earliest; completing is
// idempotent — only an order out for delivery moves). Other delivery events are skipped.
import { topicFor, type Bus, type Logger } from '@grocery/platform';
import { z } from 'zod';
import type { OrderService } from '../domain/order-service';

export const DELIVERY_TOPIC = topicFor('delivery');
export const DELIVERIES_GROUP = 'orders.deliveries';

const shipmentChanged = z.object({
  orderId: z.string().uuid(),
  status: z.string().max(40),
  purpose: z.string().max(20).default('delivery'),
});

export async function startDeliveryConsumer(
  bus: Bus,
  orders: OrderService,
  logger: Logger,
): Promise<() => Promise<void>> {
  const sub = await bus.subscribe(DELIVERY_TOPIC, { group: DELIVERIES_GROUP, from: 'earliest' }, async (event) => {
    if (event.type !== 'delivery.shipment_status_changed') return;
    const parsed = shipmentChanged.safeParse(event.data);
    if (!parsed.success || event.subject !== parsed.data.orderId) {
      logger.warn({ id: event.id }, 'skipping a malformed delivery.shipment_status_changed');
      return;
    }
    const d = parsed.data;
    if (d.purpose !== 'delivery' || d.status !== 'DELIVERED') return;
    if (await orders.deliveredByCourier(d.orderId))
      logger.info({ orderId: d.orderId }, 'order completed: the courier delivered it');
  });
  return () => sub.close();
}
