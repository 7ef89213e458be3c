// GHN order statuses (the `status` of an order's detail) and what they mean for a shipment.
// A delivery_fail is one failed attempt: GHN tries again (delivering) or starts the return
// (waiting_to_return), so only the return marks the shipment FAILED — a rank-ordered FAILED on
// the first miss would hide the re-delivery that usually follows.
import type { ShipmentStatus } from '../delivery-provider';

const GHN_STATUS: Record<string, ShipmentStatus> = {
  ready_to_pick: 'BOOKED',
  picking: 'COURIER_ASSIGNED',
  money_collect_picking: 'COURIER_ASSIGNED',
  picked: 'PICKED_UP',
  storing: 'IN_TRANSIT',
  transporting: 'IN_TRANSIT',
  sorting: 'IN_TRANSIT',
  delivering: 'IN_TRANSIT',
  money_collect_delivering: 'IN_TRANSIT',
  delivery_fail: 'IN_TRANSIT',
  delivered: 'DELIVERED',
  waiting_to_return: 'FAILED',
  return: 'FAILED',
  return_transporting: 'FAILED',
  return_sorting: 'FAILED',
  returning: 'FAILED',
  return_fail: 'FAILED',
  exception: 'FAILED',
  damage: 'FAILED',
  lost: 'FAILED',
  returned: 'RETURNED',
  cancel: 'CANCELLED',
};

export function ghnShipmentStatus(ghnStatus: string): ShipmentStatus | undefined {
  return GHN_STATUS[ghnStatus.trim().toLowerCase()];
}
