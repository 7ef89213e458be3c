// What delivery counts for /metrics: slot holds and checkout's bookings of them, by outcome.
import { counter } from '@grocery/platform';

const holds = counter({
  name: 'delivery_slot_holds_total',
  help: 'holdSlot answers, by result (held, full, unavailable).',
  labelNames: ['result'],
});
const bookings = counter({
  name: 'delivery_slot_bookings_total',
  help: "Checkout's bookings of a held slot, by result (booked, or the refusal reason).",
  labelNames: ['result'],
});

export function countHold(result: string): void {
  holds.inc({ result });
}

export function countBooking(result: string): void {
  bookings.inc({ result });
}
