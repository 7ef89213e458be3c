// Checkout pricing: cart lines and promotions in, priced lines, discounts and reasons out.
//
// How promotions combine (the same rules a shopper sees in store):
// 1. A promotion is in play when active, inside [validFrom, validUntil), under its usage limits,
//    and — for a coupon — when its code was given. Coupons then compete like any promotion.
// 2. Line level (SKU, category, near-expiry, buy-X-get-Y, bulk). Non-stackable promotions
//    compete: repeatedly, the one offer that saves the most among lines not yet discounted wins
//    and keeps the lines it uses (including the paid units that qualify a buy-2-get-1), so a line
//    gets at most one non-stackable discount and a 15% category beats a 10% SKU discount.
//    Savings are compared in đồng on the regular prices, so "BOGO vs 30% off" is simply whichever
//    saves more for that quantity. Ties: higher priority, then smaller id.
// 3. Stackable line promotions then all apply, in priority/id order, to what is left of each
//    unit's price, so percentages compound (20% then 10% = 28% off) and no unit goes below 0 đ.
// 4. Order level (minimum order value) comes after line discounts, on the discounted subtotal,
//    which is also what the minimum is compared with. Non-stackable ones compete (most savings
//    wins), stackable ones apply on top to what is left. The two levels always combine: the
//    "only if stackable" rule is about promotions of the same level.
// 5. Rounding: each discount is rounded down to whole đồng, per unit for line discounts (so a line
//    is exactly quantity × the shelf price) and per promotion for order discounts. The customer
//    may pay under 1 đ more per discount than the exact percentage; in exchange every total is an
//    integer and subtotal − lineDiscount − orderDiscount = total holds exactly.
import { byPriorityThenId, ineligibility, normalizeCouponCode } from './eligibility';
import {
  lineCandidates,
  orderDiscountAmount,
  type LineCandidate,
  type LineRule,
  type LineState,
} from './rule-discounts';
import type {
  AppliedPromotion,
  CouponRejectionReason,
  OrderThresholdRule,
  PriceCartInput,
  PricedCart,
  Promotion,
  PromotionAmount,
  RejectedCoupon,
  Vnd,
} from './types';
import { validatePromotion } from './validate-promotion';

/** Units are priced one by one; this bounds the work and is far above any grocery basket. */
export const MAX_LINE_QUANTITY = 10_000;

const sum = (xs: Vnd[]): Vnd => xs.reduce((a, b) => a + b, 0);

export function priceCart(input: PriceCartInput): PricedCart {
  assertWellFormed(input);
  const { now } = input;
  const codes = [...new Set((input.couponCodes ?? []).map(normalizeCouponCode))].filter((c) => c.length > 0);
  const given = new Set(codes);
  const live = input.promotions
    .filter((p) => p.couponCode === undefined || given.has(normalizeCouponCode(p.couponCode)))
    .filter((p) => ineligibility(p, now) === null)
    .sort(byPriorityThenId);

  const states: LineState[] = input.lines.map((line, index) => ({
    index,
    line,
    units: Array<Vnd>(line.quantity).fill(line.unitPrice),
  }));
  const perLine = states.map(() => new Map<string, PromotionAmount>());
  const applied = new Map<string, AppliedPromotion>();

  const record = (promotion: Promotion, level: 'line' | 'order', amount: Vnd) => {
    const entry = applied.get(promotion.id) ?? {
      promotionId: promotion.id,
      amount: 0,
      reason: promotion.names,
      level,
      couponCode: promotion.couponCode === undefined ? null : normalizeCouponCode(promotion.couponCode),
    };
    entry.amount += amount;
    applied.set(promotion.id, entry);
  };

  const apply = (promotion: Promotion, candidate: LineCandidate) => {
    for (const { line, perUnit } of candidate.allocations) {
      const amount = sum(perUnit);
      if (amount === 0) continue;
      perUnit.forEach((off, unit) => (states[line].units[unit] -= off));
      const entry = perLine[line].get(promotion.id) ?? {
        promotionId: promotion.id,
        amount: 0,
        reason: promotion.names,
      };
      entry.amount += amount;
      perLine[line].set(promotion.id, entry);
      record(promotion, 'line', amount);
    }
  };

  // Line level, non-stackable: the best remaining offer wins and takes its lines.
  const lineLevel = live.filter((p): p is Promotion & { rule: LineRule } => p.rule.type !== 'order_threshold');
  const competing = lineLevel.filter((p) => !p.stackable);
  const claimed = new Set<number>();
  for (;;) {
    const open = states.filter((s) => !claimed.has(s.index));
    let best: { promotion: Promotion; candidate: LineCandidate } | undefined;
    // `live` is in priority/id order and candidates in line order, so strict ">" keeps the tie-break.
    for (const promotion of competing) {
      for (const candidate of lineCandidates(promotion.rule, open, now)) {
        if (!best || candidate.savings > best.candidate.savings) best = { promotion, candidate };
      }
    }
    if (!best) break;
    apply(best.promotion, best.candidate);
    best.candidate.claims.forEach((i) => claimed.add(i));
  }
  // Line level, stackable: on top, to what is left.
  for (const promotion of lineLevel.filter((p) => p.stackable)) {
    for (const candidate of lineCandidates(promotion.rule, states, now)) apply(promotion, candidate);
  }

  const lines = states.map((s, i) => {
    const regularTotal = s.line.unitPrice * s.line.quantity;
    const total = sum(s.units);
    return {
      sku: s.line.sku,
      quantity: s.line.quantity,
      unitPrice: s.line.unitPrice,
      regularTotal,
      discount: regularTotal - total,
      total,
      appliedPromotions: [...perLine[i].values()],
    };
  });
  const subtotal = sum(lines.map((l) => l.regularTotal));
  const discountedSubtotal = sum(lines.map((l) => l.total));

  // Order level, after line discounts.
  const thresholds = live.filter(
    (p): p is Promotion & { rule: OrderThresholdRule } =>
      p.rule.type === 'order_threshold' && discountedSubtotal >= p.rule.minSubtotal,
  );
  const orderDiscounts: PromotionAmount[] = [];
  let remaining = discountedSubtotal;
  let bestOrder: { promotion: Promotion; amount: Vnd } | undefined;
  for (const promotion of thresholds.filter((p) => !p.stackable)) {
    const amount = orderDiscountAmount(promotion.rule.off, discountedSubtotal);
    if (amount > 0 && (!bestOrder || amount > bestOrder.amount)) bestOrder = { promotion, amount };
  }
  const takeOrderDiscount = (promotion: Promotion, amount: Vnd) => {
    orderDiscounts.push({ promotionId: promotion.id, amount, reason: promotion.names });
    record(promotion, 'order', amount);
    remaining -= amount;
  };
  if (bestOrder) takeOrderDiscount(bestOrder.promotion, bestOrder.amount);
  for (const promotion of thresholds.filter((p) => p.stackable)) {
    const amount = orderDiscountAmount(promotion.rule.off, remaining);
    if (amount > 0) takeOrderDiscount(promotion, amount);
  }
  const orderDiscount = discountedSubtotal - remaining;

  return {
    currency: 'VND',
    lines,
    subtotal,
    lineDiscount: subtotal - discountedSubtotal,
    discountedSubtotal,
    orderDiscounts,
    orderDiscount,
    discount: subtotal - remaining,
    total: remaining,
    appliedPromotions: [...applied.values()],
    rejectedCoupons: codes
      .map((code) => rejectCoupon(code, input, applied, discountedSubtotal))
      .filter((r): r is RejectedCoupon => r !== null),
  };
}

/** Why a given code took nothing off, or null when it did. */
function rejectCoupon(
  code: string,
  input: PriceCartInput,
  applied: Map<string, AppliedPromotion>,
  discountedSubtotal: Vnd,
): RejectedCoupon | null {
  const matches = input.promotions
    .filter((p) => p.couponCode !== undefined && normalizeCouponCode(p.couponCode) === code)
    .sort(byPriorityThenId);
  if (matches.some((p) => applied.has(p.id))) return null;
  const reject = (reason: CouponRejectionReason): RejectedCoupon => ({ code, reason });
  if (matches.length === 0) return reject('UNKNOWN');
  const live = matches.find((p) => ineligibility(p, input.now) === null);
  if (!live) {
    const why = ineligibility(matches[0], input.now)!;
    // A switched-off code is answered like one that never existed.
    return reject(why === 'INACTIVE' ? 'UNKNOWN' : why);
  }
  const rule = live.rule;
  if (rule.type === 'order_threshold') {
    if (discountedSubtotal < rule.minSubtotal) return reject('MIN_ORDER_NOT_MET');
    return reject(orderDiscountAmount(rule.off, discountedSubtotal) > 0 ? 'SUPERSEDED' : 'NOT_APPLICABLE');
  }
  // Would it have applied to the cart at regular prices had nothing else competed?
  const regular: LineState[] = input.lines.map((line, index) => ({
    index,
    line,
    units: Array<Vnd>(line.quantity).fill(line.unitPrice),
  }));
  return reject(lineCandidates(rule, regular, input.now).length > 0 ? 'SUPERSEDED' : 'NOT_APPLICABLE');
}

/** Malformed input is a bug in the caller (orders builds the lines), so it throws. */
function assertWellFormed(input: PriceCartInput): void {
  if (input.currency !== 'VND') throw new RangeError(`priceCart prices VND only, got ${String(input.currency)}`);
  if (!(input.now instanceof Date) || Number.isNaN(input.now.getTime()))
    throw new RangeError('now must be a valid Date');
  input.lines.forEach((l, i) => {
    if (typeof l.sku !== 'string' || l.sku.length === 0) throw new RangeError(`lines[${i}].sku must not be empty`);
    if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > MAX_LINE_QUANTITY)
      throw new RangeError(`lines[${i}].quantity must be an integer from 1 to ${MAX_LINE_QUANTITY}`);
    if (!Number.isSafeInteger(l.unitPrice) || l.unitPrice < 0)
      throw new RangeError(`lines[${i}].unitPrice must be a whole number of đồng ≥ 0`);
    if (l.expiresAt != null && Number.isNaN(l.expiresAt.getTime()))
      throw new RangeError(`lines[${i}].expiresAt must be a valid Date`);
  });
  for (const p of input.promotions) {
    const errors = validatePromotion(p);
    // Promotions are validated when staff save them; an invalid one here means bad data.
    if (errors.length > 0)
      throw new RangeError(`promotion ${p.id} is invalid: ${errors[0].field} ${errors[0].message}`);
  }
}
