// GrabExpress delivery states and what they mean for a shipment. The names are Grab's (its
// state machine spells CANCELED the American way; CANCELLED is accepted too, as some webhooks
// carried it). IN_RETURN means the driver could not deliver and is bringing the goods back.
import type { ShipmentStatus } from '../delivery-provider';

const GRAB_STATUS: Record<string, ShipmentStatus> = {
  QUEUEING: 'BOOKED',
  ALLOCATING: 'BOOKED',
  PENDING_PICKUP: 'COURIER_ASSIGNED',
  PICKING_UP: 'COURIER_ASSIGNED',
  PENDING_DROP_OFF: 'PICKED_UP',
  IN_DELIVERY: 'IN_TRANSIT',
  IN_RETURN: 'FAILED',
  COMPLETED: 'DELIVERED',
  FAILED: 'FAILED',
  RETURNED: 'RETURNED',
  CANCELED: 'CANCELLED',
  CANCELLED: 'CANCELLED',
};

export function grabShipmentStatus(grabStatus: string): ShipmentStatus | undefined {
  return GRAB_STATUS[grabStatus.trim().toUpperCase()];
}

/** Grab cancels a delivery only before the driver has the goods. */
export const GRAB_CANCELLABLE = new Set(['QUEUEING', 'ALLOCATING', 'PENDING_PICKUP', 'PICKING_UP']);
