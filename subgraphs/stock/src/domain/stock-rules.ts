// Input rules for stock writes and watches; each throws BAD_USER_INPUT naming the field.
import { badInput, isUuid } from '@grocery/platform';

/** Largest single adjustment: a pallet-scale recount, far below GraphQL's 32-bit Int. */
export const MAX_ADJUSTMENT = 100_000;
/** Largest single reservation: more than any basket line, small enough to stop hoarding. */
export const MAX_RESERVATION_QUANTITY = 1_000;
/** SKUs one stockChanged subscription may watch (a product list page's worth). */
export const MAX_WATCHED_SKUS = 100;
const MAX_SKU_LENGTH = 64;
const MAX_LOCATION_ID_LENGTH = 64;
const MAX_REASON_LENGTH = 500;

export function validSku(value: string, field = 'sku'): string {
  const sku = value.trim();
  if (sku.length === 0) throw badInput(`${field} must not be empty.`, field);
  if (sku.length > MAX_SKU_LENGTH || /\s/.test(sku))
    throw badInput(`${field} must be at most ${MAX_SKU_LENGTH} characters with no spaces.`, field);
  return sku;
}

export function validLocationId(value: string, field = 'locationId'): string {
  const id = value.trim();
  if (id.length === 0 || id.length > MAX_LOCATION_ID_LENGTH)
    throw badInput(`${field} must be a location id of 1 to ${MAX_LOCATION_ID_LENGTH} characters.`, field);
  return id;
}

export interface Adjustment {
  sku: string;
  locationId: string;
  delta: number;
  reason: string;
}

export function validateAdjustment(input: Adjustment): Adjustment {
  const { delta } = input;
  if (!Number.isInteger(delta) || delta === 0)
    throw badInput('delta must be a non-zero whole number of units (negative to remove stock).', 'delta');
  if (Math.abs(delta) > MAX_ADJUSTMENT)
    throw badInput(`delta must be between -${MAX_ADJUSTMENT} and ${MAX_ADJUSTMENT}.`, 'delta');
  const reason = input.reason.trim();
  if (reason.length === 0) throw badInput('reason is required: say why the stock changed (e.g. "recount").', 'reason');
  if (reason.length > MAX_REASON_LENGTH)
    throw badInput(`reason must be at most ${MAX_REASON_LENGTH} characters.`, 'reason');
  return { sku: validSku(input.sku), locationId: validLocationId(input.locationId), delta, reason };
}

export interface ReservationRequest {
  sku: string;
  locationId: string;
  quantity: number;
}

export function validateReservation(input: ReservationRequest): ReservationRequest {
  const { quantity } = input;
  if (!Number.isInteger(quantity) || quantity <= 0)
    throw badInput('quantity must be a positive whole number of units.', 'quantity');
  if (quantity > MAX_RESERVATION_QUANTITY)
    throw badInput(`quantity must be at most ${MAX_RESERVATION_QUANTITY}.`, 'quantity');
  return { sku: validSku(input.sku), locationId: validLocationId(input.locationId), quantity };
}

export function validReservationId(value: string): string {
  const id = value.trim();
  if (!isUuid(id)) throw badInput('reservationId must be the id returned by reserveStock.', 'reservationId');
  return id.toLowerCase();
}

/** The SKUs a stockChanged subscription watches: 1..MAX_WATCHED_SKUS, duplicates folded. */
export function validateWatchedSkus(skus: readonly string[]): string[] {
  if (skus.length === 0) throw badInput('skus must name at least one SKU.', 'skus');
  if (skus.length > MAX_WATCHED_SKUS) throw badInput(`skus may name at most ${MAX_WATCHED_SKUS} SKUs.`, 'skus');
  return [...new Set(skus.map((s) => validSku(s, 'skus')))];
}

export interface Receipt {
  sku: string;
  locationId: string;
  quantity: number;
  /** Perishables: the batch's expiry (the units form a lot); absent for untracked stock. */
  expiresAt?: Date | null;
  reason: string;
}

export function validateReceipt(input: Receipt, now = new Date()): Receipt {
  const { quantity, expiresAt } = input;
  if (!Number.isInteger(quantity) || quantity <= 0 || quantity > MAX_ADJUSTMENT)
    throw badInput(`quantity must be a whole number of units from 1 to ${MAX_ADJUSTMENT}.`, 'quantity');
  if (expiresAt != null && (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= now.getTime()))
    throw badInput('expiresAt must be a date-time in the future (expired goods are not received).', 'expiresAt');
  const { reason } = validateAdjustment({ ...input, delta: 1 });
  return {
    sku: validSku(input.sku),
    locationId: validLocationId(input.locationId),
    quantity,
    expiresAt: expiresAt ?? null,
    reason,
  };
}

/** Lots one stockLots answer lists at most. */
export const MAX_LOTS_LISTED = 200;

/** Thresholds a location may set for low stock. */
export const MAX_LOW_STOCK_THRESHOLD = 100_000;

export function validLowStockThreshold(threshold: number): number {
  if (!Number.isInteger(threshold) || threshold < 0 || threshold > MAX_LOW_STOCK_THRESHOLD)
    throw badInput(`threshold must be a whole number from 0 to ${MAX_LOW_STOCK_THRESHOLD}.`, 'threshold');
  return threshold;
}

/** A page size for lowStock: 1..200. */
export function validLowStockPageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > 200) throw badInput('first must be from 1 to 200.', 'first');
  return first;
}
