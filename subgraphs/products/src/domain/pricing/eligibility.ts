// Whether a promotion may apply at all right now, independent of the cart's contents.
import type { Promotion } from './types';

export type IneligibleReason = 'INACTIVE' | 'NOT_YET_VALID' | 'EXPIRED' | 'USAGE_LIMIT_REACHED';

/**
 * Null when the promotion is live at `now`. Compares instants (getTime), never calendar fields,
 * so the answer is the same on a server in UTC and one in Asia/Ho_Chi_Minh.
 */
export function ineligibility(promotion: Promotion, now: Date): IneligibleReason | null {
  if (!promotion.active) return 'INACTIVE';
  const t = now.getTime();
  if (t < promotion.validFrom.getTime()) return 'NOT_YET_VALID';
  if (t >= promotion.validUntil.getTime()) return 'EXPIRED';
  if (promotion.usageLimit !== undefined && (promotion.usedCount ?? 0) >= promotion.usageLimit)
    return 'USAGE_LIMIT_REACHED';
  if (promotion.perCustomerLimit !== undefined && (promotion.customerUsedCount ?? 0) >= promotion.perCustomerLimit)
    return 'USAGE_LIMIT_REACHED';
  return null;
}

/** Customers type codes in any case and with stray spaces; codes are stored upper case. */
export const normalizeCouponCode = (code: string): string => code.trim().toUpperCase();

/** Deterministic order among equals: higher priority first, then id. */
export function byPriorityThenId(a: Promotion, b: Promotion): number {
  return b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
