// What the delivery subgraph consumes:
//  - its own slot and schedule events, on every replica (ephemeral group, from the live end):
//    evict the listings they change from this replica's LRU and the shared cache (the writer
//    evicted already; this covers a read that raced the commit and cached the old figures);
//  - order.cancelled / order.expired (durable group, from the earliest): the order's booked slot
//    is given back. Releasing is idempotent; events it keeps failing on become dead letters;
//  - order.status_changed, order.cancelled / expired and return.requested (durable group
//    delivery.shipments): shipments are created, booked with a courier, cancelled, and return
//    pickups booked (domain/shipment-service.ts). Every step is idempotent, so a redelivered
//    event changes nothing twice.
import { naturallyIdempotentHandler, type Bus, type DeadLetterSink, type Logger } from '@grocery/platform';
import { z } from 'zod';
import type { ShipmentService } from '../domain/shipment-service';
import type { SlotService } from '../domain/slot-service';
import { DELIVERY_TOPIC, DeliveryEventType } from './delivery-events';
import { ORDERS_TOPIC, parseOrderEvent, SHIPMENTS_GROUP, SLOT_RELEASES_GROUP } from './order-events';

const slotChanged = z.object({ zoneId: z.string().nullable(), locationId: z.string().nullable(), day: z.string() });
const scheduleChanged = z.object({ zoneId: z.string().nullable(), locationId: z.string().nullable() });

export async function startDeliveryConsumers(opts: {
  bus: Bus;
  slots: SlotService;
  shipments: ShipmentService;
  logger: Logger;
  deadLetters: DeadLetterSink;
}): Promise<() => Promise<void>> {
  const evictions = await opts.bus.subscribe(
    DELIVERY_TOPIC,
    { group: 'delivery.cache-invalidation', from: 'latest', ephemeral: true },
    naturallyIdempotentHandler(async (event) => {
      if (event.type === DeliveryEventType.slotChanged) {
        const c = slotChanged.safeParse(event.data);
        if (c.success) await opts.slots.evict([c.data]);
      } else if (event.type === DeliveryEventType.scheduleChanged) {
        const c = scheduleChanged.safeParse(event.data);
        if (c.success) await opts.slots.evictSchedule(c.data.zoneId, c.data.locationId);
      }
    }),
  );
  const releases = await opts.bus.subscribe(
    ORDERS_TOPIC,
    { group: SLOT_RELEASES_GROUP, from: 'earliest', deadLetters: opts.deadLetters },
    async (event) => {
      const parsed = parseOrderEvent(event);
      if (parsed.kind === 'malformed')
        opts.logger.warn({ id: event.id, type: event.type, reason: parsed.reason }, 'skipping a malformed order event');
      else if (parsed.kind === 'release') await opts.slots.releaseOrder(parsed.orderId);
    },
  );
  const shipments = await opts.bus.subscribe(
    ORDERS_TOPIC,
    { group: SHIPMENTS_GROUP, from: 'earliest', deadLetters: opts.deadLetters },
    async (event) => {
      const parsed = parseOrderEvent(event);
      switch (parsed.kind) {
        case 'confirmed':
          await opts.shipments.createForOrder(parsed.orderId);
          break;
        case 'ready':
          await opts.shipments.orderReady(parsed.orderId);
          break;
        case 'release':
          await opts.shipments.orderClosed(parsed.orderId, parsed.reason);
          break;
        case 'return':
          await opts.shipments.returnRequested(parsed.orderId, parsed.returnId);
          break;
      }
    },
  );
  return async () => {
    await shipments.close();
    await releases.close();
    await evictions.close();
  };
}
