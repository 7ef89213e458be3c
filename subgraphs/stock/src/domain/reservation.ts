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

/** The expected business outcomes of a reservation attempt (typed results, not errors). */
export type ReserveOutcome =
  | { kind: 'reserved'; reservation: ReservationRecord }
  | { kind: 'out_of_stock'; sku: string; locationId: string; requested: number; available: number };
