import type { RequestInfo } from '@grocery/platform';
import type { ScheduleService } from './domain/schedule-service';
import type { ShipmentService } from './domain/shipment-service';
import type { Caller, SlotService } from './domain/slot-service';
import type { ZoneDirectory } from './domain/zone-directory';
import type { TrackingFeed } from './events/tracking-feed';

export interface DeliveryServices {
  zones: ZoneDirectory;
  slots: SlotService;
  schedule: ScheduleService;
  shipments: ShipmentService;
  tracking: TrackingFeed;
}

export interface DeliveryContext extends DeliveryServices {
  request: RequestInfo;
}

export function createDeliveryContext(request: RequestInfo, services: DeliveryServices): DeliveryContext {
  return { ...services, request };
}

/** Who is calling, as the domain services take it. */
export function callerOf(ctx: DeliveryContext): Caller {
  return { identity: ctx.request.identity, clientKey: ctx.request.clientKey ?? 'ip:unknown' };
}
