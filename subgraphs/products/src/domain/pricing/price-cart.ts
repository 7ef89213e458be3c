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
// 6. Cost: a line's units are runs (count × price), so no quantity makes pricing slower, and the
//    competition in (2) re-examines an offer only when a line it could use is taken. Totals must
//    stay safe integers (2^53 − 1); a cart beyond that is refused (CartTotalTooLargeError).
import { BestFirst } from './best-first';
import { byPriorityThenId, ineligibility, normalizeCouponCode } from './eligibility';
import {
  candidatesAmong,
  coveredLines,
  lineCandidates,
  lineTotal,
  orderDiscountAmount,
  regularState,
  takeOff,
  type LineCandidate,
  type LineRule,
  type LineState,
  type Slice,
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

/** A cart whose regular total (or unit count) is not a safe integer: no amount in it could be exact. */
export class CartTotalTooLargeError extends RangeError {
  readonly max = Number.MAX_SAFE_INTEGER;

  constructor() {
    super(`the cart's total must be at most ${Number.MAX_SAFE_INTEGER} đ`);
    this.name = 'CartTotalTooLargeError';
  }
}

const sum = (xs: Vnd[]): Vnd => xs.reduce((a, b) => a + b, 0);
const sliceTotal = (slices: readonly Slice[]): Vnd => slices.reduce((a, s) => a + s.count * s.off, 0);

type LinePromotion = Promotion & { rule: LineRule };

export function priceCart(input: PriceCartInput): PricedCart {
  assertWellFormed(input);
  const { now } = input;
  const codes = [...new Set((input.couponCodes ?? []).map(normalizeCouponCode))].filter((c) => c.length > 0);
  const given = new Set(codes);
  const live = input.promotions
    .filter((p) => p.couponCode === undefined || given.has(normalizeCouponCode(p.couponCode)))
    .filter((p) => ineligibility(p, now) === null)
    .sort(byPriorityThenId);

  const states: LineState[] = input.lines.map(regularState);
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
    for (const { line, slices } of candidate.allocations) {
      const amount = sliceTotal(slices);
      if (amount === 0) continue;
      takeOff(states[line], slices);
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
  const lineLevel = live.filter((p): p is LinePromotion => p.rule.type !== 'order_threshold');
  competeForLines(
    lineLevel.filter((p) => !p.stackable),
    states,
    now,
    apply,
  );
  // Line level, stackable: on top, to what is left.
  for (const promotion of lineLevel.filter((p) => p.stackable)) {
    for (const candidate of lineCandidates(promotion.rule, states, now)) apply(promotion, candidate);
  }

  const lines = states.map((s, i) => {
    const regularTotal = s.line.unitPrice * s.line.quantity;
    const total = lineTotal(s);
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

/**
 * The lines one non-stackable promotion could use together: one line (SKU, category,
 * near-expiry), one SKU's lines (buy-X-get-Y per SKU), or every line it covers (a set or bulk).
 */
interface Pool {
  promotion: LinePromotion;
  /** Position of the promotion in priority/id order. */
  rank: number;
  lines: LineState[];
  /** Bumped when one of its lines is taken: offers made before then are void. */
  version: number;
}

interface Offer {
  pool: Pool;
  version: number;
  candidate: LineCandidate;
  /**
   * Where the candidate stands among its promotion's candidates (its first open line), as the
   * per-unit implementation ordered them; such ties touch different lines, so either order prices alike.
   */
  order: number;
}

/**
 * Repeatedly, the offer that saves the most (ties: promotion priority/id order, then cart order)
 * wins and takes its lines, until no open line can be discounted. Every line still open is at its
 * regular price, so an offer changes only when one of its own lines is taken: each pool is
 * re-examined then, instead of every promotion over every open line after each win.
 */
function competeForLines(
  competing: LinePromotion[],
  states: LineState[],
  now: Date,
  take: (promotion: Promotion, candidate: LineCandidate) => void,
): void {
  const taken = states.map(() => false);
  const poolsOfLine = states.map((): Pool[] => []);
  const offers = new BestFirst<Offer>(
    (a, b) =>
      a.candidate.savings > b.candidate.savings ||
      (a.candidate.savings === b.candidate.savings &&
        (a.pool.rank < b.pool.rank || (a.pool.rank === b.pool.rank && a.order < b.order))),
  );
  const offer = (pool: Pool) => {
    const open = pool.lines.filter((s) => !taken[s.index]);
    if (open.length === 0) return;
    const [candidate] = candidatesAmong(pool.promotion.rule, open);
    if (candidate) offers.push({ pool, version: pool.version, candidate, order: open[0].index });
  };

  competing.forEach((promotion, rank) => {
    const rule = promotion.rule;
    const covered = coveredLines(rule, states, now);
    const groups =
      rule.type === 'bulk' || (rule.type === 'buy_x_get_y' && rule.mode === 'cheapest_in_set')
        ? [covered]
        : rule.type === 'buy_x_get_y'
          ? [...new Set(covered.map((s) => s.line.sku))].map((sku) => covered.filter((s) => s.line.sku === sku))
          : covered.map((s) => [s]);
    for (const lines of groups) {
      if (lines.length === 0) continue;
      const pool: Pool = { promotion, rank, lines, version: 0 };
      for (const s of lines) poolsOfLine[s.index].push(pool);
      offer(pool);
    }
  });

  for (let best = offers.pop(); best; best = offers.pop()) {
    if (best.version !== best.pool.version) continue;
    take(best.pool.promotion, best.candidate);
    const changed = new Set<Pool>();
    for (const i of best.candidate.claims) {
      taken[i] = true;
      for (const pool of poolsOfLine[i]) changed.add(pool);
    }
    for (const pool of changed) {
      pool.version++;
      offer(pool);
    }
  }
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
  const regular = input.lines.map(regularState);
  return reject(lineCandidates(rule, regular, input.now).length > 0 ? 'SUPERSEDED' : 'NOT_APPLICABLE');
}

/** Malformed input is a bug in the caller (orders builds the lines), so it throws. */
function assertWellFormed(input: PriceCartInput): void {
  if (input.currency !== 'VND') throw new RangeError(`priceCart prices VND only, got ${String(input.currency)}`);
  if (!(input.now instanceof Date) || Number.isNaN(input.now.getTime()))
    throw new RangeError('now must be a valid Date');
  input.lines.forEach((l, i) => {
    if (typeof l.sku !== 'string' || l.sku.length === 0) throw new RangeError(`lines[${i}].sku must not be empty`);
    if (!Number.isSafeInteger(l.quantity) || l.quantity < 1)
      throw new RangeError(`lines[${i}].quantity must be a whole number ≥ 1`);
    if (!Number.isSafeInteger(l.unitPrice) || l.unitPrice < 0)
      throw new RangeError(`lines[${i}].unitPrice must be a whole number of đồng ≥ 0`);
    if (l.expiresAt != null && Number.isNaN(l.expiresAt.getTime()))
      throw new RangeError(`lines[${i}].expiresAt must be a valid Date`);
  });
  const subtotal = sum(input.lines.map((l) => l.unitPrice * l.quantity));
  const units = sum(input.lines.map((l) => l.quantity));
  // Float sums of integers stay exact below 2^53 and cannot round back under it once above.
  if (!Number.isSafeInteger(subtotal) || !Number.isSafeInteger(units)) throw new CartTotalTooLargeError();
  for (const p of input.promotions) {
    const errors = validatePromotion(p);
    // Promotions are validated when staff save them; an invalid one here means bad data.
    if (errors.length > 0)
      throw new RangeError(`promotion ${p.id} is invalid: ${errors[0].field} ${errors[0].message}`);
  }
}
