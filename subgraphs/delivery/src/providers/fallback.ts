// Choosing a courier when the preferred one cannot take a shipment, and moving a shipment from
// one courier to another.
//  - bookWithFallback tries the couriers in preference order and moves on only when one is
//    unavailable (down, timed out, circuit open) or answers that it does not serve this shipment
//    (service level not offered, outside its area, address it cannot route). Any other refusal
//    stops the search: e.g. DUPLICATE_UNRESOLVED means a courier already holds this shipment,
//    and booking it elsewhere would send two drivers.
//  - rebook cancels at the old courier first (idempotent: cancelling a cancelled delivery
//    succeeds) and books at the new one only once that cancel succeeded. A cancel refused
//    (the driver already has the goods) refuses the switch; a cancel that cannot be confirmed
//    (old courier unavailable) leaves the shipment where it is, to be retried.
import {
  DeliveryOperationRefused,
  DeliveryProviderUnavailable,
  type BookRequest,
  type Booking,
  type DeliveryProvider,
  type DeliveryProviderName,
  type ShipmentRef,
} from './delivery-provider';

/** Refusal codes that mean "not this courier" rather than "not this shipment". */
export const NOT_SERVED_HERE: ReadonlySet<string> = new Set([
  'SERVICE_NOT_OFFERED',
  'OUTSIDE_SERVICE_AREA',
  'ADDRESS_NOT_SUPPORTED',
]);

export interface CourierAttempt {
  provider: DeliveryProviderName;
  error: DeliveryProviderUnavailable | DeliveryOperationRefused;
}

export interface FallbackBooking {
  booking: Booking;
  /** The couriers tried before the one that booked, and why each was passed over. */
  tried: CourierAttempt[];
}

/** No courier in the list took the shipment. */
export class NoCourierAvailable extends Error {
  constructor(readonly tried: CourierAttempt[]) {
    super(
      tried.length === 0
        ? 'no delivery provider is configured'
        : `no courier booked the shipment: ${tried.map((t) => `${t.provider} (${reasonOf(t.error)})`).join(', ')}`,
    );
  }
}

/** The old courier refused the cancel, so the shipment stays with it. */
export class RebookRefused extends Error {
  constructor(
    readonly from: DeliveryProviderName,
    readonly refusal: DeliveryOperationRefused,
  ) {
    super(`cannot move the shipment from ${from}: ${refusal.code} (${refusal.message})`);
  }
}

export function movesOn(err: unknown): err is DeliveryProviderUnavailable | DeliveryOperationRefused {
  return (
    err instanceof DeliveryProviderUnavailable ||
    (err instanceof DeliveryOperationRefused && NOT_SERVED_HERE.has(err.code))
  );
}

export async function bookWithFallback(
  providers: readonly DeliveryProvider[],
  request: BookRequest,
  opts: { as?: 'delivery' | 'return' } = {},
): Promise<FallbackBooking> {
  const tried: CourierAttempt[] = [];
  for (const provider of providers) {
    try {
      const booking = opts.as === 'return' ? await provider.bookReturn(request) : await provider.book(request);
      return { booking, tried };
    } catch (err) {
      if (!movesOn(err)) throw err;
      tried.push({ provider: provider.name, error: err });
    }
  }
  throw new NoCourierAvailable(tried);
}

export async function rebook(
  from: DeliveryProvider,
  to: DeliveryProvider,
  ref: ShipmentRef,
  request: BookRequest,
): Promise<Booking> {
  if (request.shipmentId !== ref.shipmentId)
    throw new Error(`rebook: the request is for ${request.shipmentId}, the booking for ${ref.shipmentId}`);
  try {
    await from.cancel(ref);
  } catch (err) {
    if (err instanceof DeliveryOperationRefused) throw new RebookRefused(from.name, err);
    throw err;
  }
  return to.book(request);
}

function reasonOf(err: DeliveryProviderUnavailable | DeliveryOperationRefused): string {
  return err instanceof DeliveryOperationRefused ? err.code : 'unavailable';
}
