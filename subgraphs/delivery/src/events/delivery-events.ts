// What the delivery subgraph publishes (topic grocery.delivery). Slot events have the slot id as
// subject (listings' caches are evicted by them); shipment events have the order id as subject,
// so one order's delivery events stay in order. Notifications consume shipment_status_changed.
import { makeEvent, topicFor, type DomainEvent } from '@grocery/platform';
import type { DeliveryProviderName, ShipmentStatus } from '../providers/delivery-provider';

export const DELIVERY_TOPIC = topicFor('delivery');
const SOURCE = 'grocery/delivery';

export const DeliveryEventType = {
  /** A slot's taken count, capacity or closure changed (hold, booking, release, staff change). */
  slotChanged: 'delivery.slot_changed',
  /** Templates or closures of a zone or location changed: every listing of it is stale. */
  scheduleChanged: 'delivery.schedule_changed',
  /** A slot hold was booked by an order. */
  slotBooked: 'delivery.slot_booked',
  /** A booking was given back (order cancelled or expired, checkout failed). */
  slotReleased: 'delivery.slot_released',
  /** A shipment's status (or tracking URL, ETA, courier) changed. */
  shipmentStatusChanged: 'delivery.shipment_status_changed',
  /** A courier position (simulator; real providers give a tracking URL instead). */
  shipmentPosition: 'delivery.shipment_position',
} as const;

export interface SlotChangedData {
  slotId: string;
  zoneId: string | null;
  locationId: string | null;
  /** The slot's local day (YYYY-MM-DD, Asia/Ho_Chi_Minh). */
  day: string;
  taken: number;
  capacity: number;
}

export interface ScheduleChangedData {
  zoneId: string | null;
  locationId: string | null;
}

export interface SlotBookingData {
  slotId: string;
  holdId: string;
  orderId: string;
  zoneId: string | null;
  locationId: string | null;
  startsAt: string;
  endsAt: string;
}

export interface ShipmentStatusChangedData {
  shipmentId: string;
  orderId: string;
  customerId: string | null;
  status: ShipmentStatus;
  provider: DeliveryProviderName | null;
  trackingUrl: string | null;
  eta: string | null;
  courierName: string | null;
  courierPhone: string | null;
  courierVehicle: string | null;
  /** The shipment's version after the change: a consumer keeps the highest. */
  version: number;
  /** "return" for a return pickup, else "delivery". */
  purpose: 'delivery' | 'return';
  /** Set for a return pickup. */
  returnId: string | null;
  /** What happened: "created", "booked", "courier", "reassigned", "cancelled", … */
  reason: string;
}

/** A courier's position, with the shipment as it stands (tracking streams both kinds). */
export interface ShipmentPositionData extends Omit<ShipmentStatusChangedData, 'reason'> {
  latitude: number;
  longitude: number;
  at: string;
}

export const deliveryEvent = <T>(type: string, subject: string, data: T): DomainEvent<T> =>
  makeEvent({ source: SOURCE, type, subject, data });
