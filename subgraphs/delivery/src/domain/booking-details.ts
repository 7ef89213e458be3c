// What a booked hold records about its order (slot_hold.details): everything delivery needs later
// to book a courier and to tell the customer, so shipments never call back into orders.
export interface BookingAddress {
  recipient: string;
  phone: string;
  line1: string;
  /** As the customer wrote it; `wardCode` is the ward it was matched to. */
  ward: string;
  wardCode: string | null;
  province: string;
}

export interface BookingDetails {
  orderNumber: string;
  customerId: string | null;
  /** The fulfilment location the goods leave from (stock's Location id). */
  locationId: string;
  /** DELIVERY: where to; PICKUP: null. */
  address: BookingAddress | null;
  /** Order value (integer VND), declared to the courier. */
  value: number;
  /** Cash to collect on delivery (integer VND), 0 when prepaid. */
  codAmount: number;
  itemCount: number;
  /** The delivery fee charged to the customer (integer VND). */
  fee: number;
  locale: 'en' | 'vi';
}
