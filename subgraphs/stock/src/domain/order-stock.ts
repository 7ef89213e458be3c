// Stock held for orders (the orders subgraph calls these service-to-service). One hold per order
// id at one location, all its lines or none:
//   RESERVED  units held until expiresAt (the sweeper then expires it: EXPIRED, units back)
//   ALLOCATED units held with no expiry (the order is paid)
//   RELEASED / EXPIRED units given back; CONSUMED the order was picked (units left on-hand).
// A new reservation for an order whose previous one was RELEASED or EXPIRED starts afresh (the
// order retries checkout); one for a CONSUMED order is a CONFLICT.
import { badInput } from '@grocery/platform';
import { validLocationId, validSku } from './stock-rules';

export const ORDER_STOCK_STATUSES = ['RESERVED', 'ALLOCATED', 'RELEASED', 'EXPIRED', 'CONSUMED'] as const;
export type OrderStockStatus = (typeof ORDER_STOCK_STATUSES)[number];
/** Statuses whose lines' units count in stock_level.reserved. */
export const HOLDING: readonly OrderStockStatus[] = ['RESERVED', 'ALLOCATED'];

export interface OrderStockLine {
  sku: string;
  quantity: number;
}

export interface OrderStockRecord {
  orderId: string;
  locationId: string;
  status: OrderStockStatus;
  expiresAt: Date | null;
  /** By SKU. */
  lines: OrderStockLine[];
}

export interface ShortLine {
  sku: string;
  requested: number;
  available: number;
}

export type ReserveOrderOutcome =
  { kind: 'reserved'; reservation: OrderStockRecord } | { kind: 'short'; lines: ShortLine[] };

export interface OrderStockRequest {
  orderId: string;
  locationId: string;
  lines: OrderStockLine[];
  holdSeconds: number;
}

export const MAX_LINE_QUANTITY = 10_000;
export const MAX_ORDER_LINES = 100;
export const MIN_HOLD_SECONDS = 30;
export const MAX_HOLD_SECONDS = 86_400;
const MAX_ID_LENGTH = 100;

export function validOrderId(value: string, field = 'orderId'): string {
  const id = value.trim();
  if (id.length === 0 || id.length > MAX_ID_LENGTH)
    throw badInput(`${field} must be 1 to ${MAX_ID_LENGTH} characters.`, field);
  return id;
}

/**
 * Lines checked and folded by SKU (the same SKU twice is summed), in SKU order. `allowEmpty`
 * for picking, where an order may come up with nothing at all.
 */
export function validLines(lines: readonly OrderStockLine[], allowEmpty = false): OrderStockLine[] {
  if ((!allowEmpty && lines.length === 0) || lines.length > MAX_ORDER_LINES)
    throw badInput(`lines must hold ${allowEmpty ? 0 : 1} to ${MAX_ORDER_LINES} lines.`, 'lines');
  const bySku = new Map<string, number>();
  for (const line of lines) {
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_LINE_QUANTITY)
      throw badInput(`Each line's quantity must be from 1 to ${MAX_LINE_QUANTITY}.`, 'lines');
    const sku = validSku(line.sku, 'lines');
    bySku.set(sku, (bySku.get(sku) ?? 0) + line.quantity);
  }
  for (const [sku, quantity] of bySku)
    if (quantity > MAX_LINE_QUANTITY * MAX_ORDER_LINES) throw badInput(`Too many units of ${sku}.`, 'lines');
  return [...bySku]
    .map(([sku, quantity]) => ({ sku, quantity }))
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

export function validateOrderStockRequest(input: OrderStockRequest): OrderStockRequest {
  const { holdSeconds } = input;
  if (!Number.isInteger(holdSeconds) || holdSeconds < MIN_HOLD_SECONDS || holdSeconds > MAX_HOLD_SECONDS)
    throw badInput(`holdSeconds must be from ${MIN_HOLD_SECONDS} to ${MAX_HOLD_SECONDS}.`, 'holdSeconds');
  return {
    orderId: validOrderId(input.orderId),
    locationId: validLocationId(input.locationId),
    lines: validLines(input.lines),
    holdSeconds,
  };
}

/** Same SKUs with the same quantities (both folded by SKU). */
export function sameLines(a: readonly OrderStockLine[], b: readonly OrderStockLine[]): boolean {
  if (a.length !== b.length) return false;
  const byA = new Map(a.map((l) => [l.sku, l.quantity]));
  return b.every((l) => byA.get(l.sku) === l.quantity);
}
