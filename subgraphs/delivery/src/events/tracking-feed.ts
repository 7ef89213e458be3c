// Live delivery tracking inside one process: a bus consumer (one per replica, ephemeral) publishes
// every shipment status change and courier position of a delivery here, and each deliveryTracking
// subscription reads its one order's. Who may subscribe is checked when the subscription starts
// (the order's customer or staff); the feed never carries another order's events to it.
import { createPubSub, filter, pipe } from '@graphql-yoga/subscription';
import type { Bus, Logger } from '@grocery/platform';
import { z } from 'zod';
import { DELIVERY_TOPIC, DeliveryEventType } from './delivery-events';

const TOPIC = 'delivery:tracking';

const shipment = z.object({
  shipmentId: z.string().uuid(),
  orderId: z.string().uuid(),
  status: z.string(),
  provider: z.string().nullable(),
  trackingUrl: z.string().nullable(),
  eta: z.string().nullable(),
  courierName: z.string().nullable(),
  courierPhone: z.string().nullable().default(null),
  courierVehicle: z.string().nullable().default(null),
  version: z.number().int(),
  purpose: z.string(),
});
const position = shipment.extend({ latitude: z.number(), longitude: z.number(), at: z.string() });

export type TrackingChange = z.infer<typeof shipment> & {
  changedAt: string;
  position: { latitude: number; longitude: number; at: string } | null;
};

export class TrackingFeed {
  readonly pubSub = createPubSub<{ [TOPIC]: [TrackingChange] }>();

  publish(change: TrackingChange): void {
    this.pubSub.publish(TOPIC, change);
  }

  watch(orderId: string): AsyncIterable<TrackingChange> {
    return pipe(
      this.pubSub.subscribe(TOPIC),
      filter((c: TrackingChange) => c.orderId === orderId),
    );
  }

  async start(bus: Bus, logger: Logger): Promise<() => Promise<void>> {
    const sub = await bus.subscribe(
      DELIVERY_TOPIC,
      { group: 'delivery.tracking-feed', from: 'latest', ephemeral: true },
      async (event) => {
        const isPosition = event.type === DeliveryEventType.shipmentPosition;
        if (event.type !== DeliveryEventType.shipmentStatusChanged && !isPosition) return;
        const parsed = (isPosition ? position : shipment).safeParse(event.data);
        if (!parsed.success) {
          logger.warn({ id: event.id, type: event.type }, 'skipping a malformed shipment event');
          return;
        }
        if (parsed.data.purpose !== 'delivery') return; // return pickups are not tracked by customers
        const d = parsed.data as z.infer<typeof position>;
        this.publish({
          ...parsed.data,
          changedAt: event.time,
          position: isPosition ? { latitude: d.latitude, longitude: d.longitude, at: d.at } : null,
        });
      },
    );
    return () => sub.close();
  }
}
