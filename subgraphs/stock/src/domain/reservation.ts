// A hold on stock during checkout. ACTIVE holds count in stock_level.reserved; every other
// status has given its quantity back (RELEASED, EXPIRED) or turned it into a sale (CONSUMED).
export const RESERVATION_STATUSES = ['ACTIVE', 'RELEASED', 'EXPIRED', 'CONSUMED'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export interface ReservationRecord {
  id: string;
  sku: string;
  locationId: string;
  quantity: number;
  status: ReservationStatus;
  ownerId: string | null;
  expiresAt: Date;
  createdAt: Date;
  closedAt: Date | null;
}

/**
 * How much one customer may hold at once. Sign-up is free, so without it one account (or a
 * few) could hold a whole location's stock for RESERVATION_TTL_SECONDS at a time, again and again.
 */
export interface CustomerReservationLimits {
  /** ACTIVE reservations per customer. */
  maxActive: number;
  /** Units across a customer's ACTIVE reservations. */
  maxUnits: number;
}

/** What a customer holds now (ACTIVE, not yet past expiry). */
export interface HeldByCustomer {
  reservations: number;
  units: number;
}

export type ReservationLimit = 'count' | 'units';

/** The expected business outcomes of a reservation attempt (typed results, not errors). */
export type ReserveOutcome =
  | { kind: 'reserved'; reservation: ReservationRecord }
  | { kind: 'out_of_stock'; sku: string; locationId: string; requested: number; available: number }
  | { kind: 'limit_reached'; limit: ReservationLimit; max: number; held: HeldByCustomer; requested: number };

/** Which cap a new reservation of `quantity` units would break, if any. */
export function brokenLimit(
  held: HeldByCustomer,
  quantity: number,
  limits: CustomerReservationLimits,
): { limit: ReservationLimit; max: number } | null {
  if (held.reservations + 1 > limits.maxActive) return { limit: 'count', max: limits.maxActive };
  if (held.units + quantity > limits.maxUnits) return { limit: 'units', max: limits.maxUnits };
  return null;
}
