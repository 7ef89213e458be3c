// ViettelPost order status codes (ORDER_STATUS in its webhook) and what they mean for a shipment.
// Codes and their Vietnamese names as ViettelPost's partner documentation lists them:
//   -100 new, not yet approved · -108 handed in at a post office · -109 at a collection point ·
//   -110 being handed over · 100 received from the partner · 101 ViettelPost asks to cancel ·
//   102 awaiting processing · 103 assigned to a post office · 104 assigned to a postman to pick
//   up · 105 postman has the goods · 106 partner asks to pick up again · 107 partner cancelled
//   (API) · 200 received at the origin office · 201 waybill entry cancelled · 202 waybill edited
//   · 300–303 dispatched (file, bag, mail track, truck) · 400–403 received at the next office ·
//   500 out with a delivering postman · 501 delivered · 502 sent back to the origin office ·
//   503 cancelled at the customer's request · 504 returned to the sender · 505 held, return
//   announced · 506 held, customer away · 507 held, customer collects at the office · 508
//   delivering again · 509 forwarded to another office · 510 delivery cancelled · 515 return
//   approved by the delivering office · 550 delivering office asked to deliver again.
// 503 is documented as a cancellation ("Hủy – theo yêu cầu khách hàng"), so it maps to CANCELLED,
// not RETURNED; 504 is the completed return. Held-but-still-trying codes (506, 507) stay
// IN_TRANSIT, since a rank-ordered FAILED would hide the re-delivery that usually follows.
import type { ShipmentStatus } from '../delivery-provider';

const BY_CODE = new Map<number, ShipmentStatus>([
  [-100, 'BOOKED'],
  [-108, 'BOOKED'],
  [-109, 'BOOKED'],
  [-110, 'BOOKED'],
  [100, 'BOOKED'],
  [102, 'BOOKED'],
  [103, 'BOOKED'],
  [106, 'BOOKED'],
  [104, 'COURIER_ASSIGNED'],
  [105, 'PICKED_UP'],
  [200, 'PICKED_UP'],
  [202, 'PICKED_UP'],
  [300, 'IN_TRANSIT'],
  [301, 'IN_TRANSIT'],
  [302, 'IN_TRANSIT'],
  [303, 'IN_TRANSIT'],
  [400, 'IN_TRANSIT'],
  [401, 'IN_TRANSIT'],
  [402, 'IN_TRANSIT'],
  [403, 'IN_TRANSIT'],
  [500, 'IN_TRANSIT'],
  [506, 'IN_TRANSIT'],
  [507, 'IN_TRANSIT'],
  [508, 'IN_TRANSIT'],
  [509, 'IN_TRANSIT'],
  [550, 'IN_TRANSIT'],
  [501, 'DELIVERED'],
  [502, 'FAILED'],
  [505, 'FAILED'],
  [515, 'FAILED'],
  [504, 'RETURNED'],
  [101, 'CANCELLED'],
  [107, 'CANCELLED'],
  [201, 'CANCELLED'],
  [503, 'CANCELLED'],
  [510, 'CANCELLED'],
]);

export function viettelPostShipmentStatus(code: number): ShipmentStatus | undefined {
  return BY_CODE.get(code);
}
