// Test-only oracle: priceCart as it was before lines were priced as runs (commit e4421f1), one
// array entry per unit. Obviously right and slow (time grows with quantities and with lines²):
// the property test (price-cart.oracle.test.ts) holds the run-based priceCart to its answers.
import { byPriorityThenId, ineligibility, normalizeCouponCode } from '../eligibility';
import type {
  AppliedPromotion,
  BulkRule,
  BuyXGetYRule,
  CartLine,
  CouponRejectionReason,
  OrderDiscountRule,
  OrderThresholdRule,
  PriceCartInput,
  PricedCart,
  Promotion,
  PromotionAmount,
  PromotionRule,
  RejectedCoupon,
  UnitDiscount,
  Vnd,
} from '../types';
import { validatePromotion } from '../validate-promotion';

const DAY_MS = 24 * 60 * 60 * 1000;

type LineRule = Exclude<PromotionRule, { type: 'order_threshold' }>;

/** One cart line while it is being priced: the current price of each of its units. */
interface LineState {
  index: number;
  line: CartLine;
  units: Vnd[];
}

/**
 * One way a promotion can apply. `claims` are the lines it uses, including lines that only
 * qualify it (the paid units of a buy-2-get-1), so a non-stackable winner keeps them to itself.
 */
interface LineCandidate {
  claims: number[];
  allocations: { line: number; perUnit: Vnd[] }[];
  savings: Vnd;
}

/** Rounded down to whole đồng: a "30%" discount never exceeds 30%, and stays an integer. */
const percentOf = (amount: Vnd, percent: number): Vnd => Math.floor((amount * percent) / 100);

const unitOff = (off: UnitDiscount, price: Vnd): Vnd =>
  off.kind === 'percent' ? percentOf(price, off.percent) : Math.min(off.amountPerUnit, price);

const sum = (xs: Vnd[]): Vnd => xs.reduce((a, b) => a + b, 0);

function single(state: LineState, perUnit: Vnd[]): LineCandidate[] {
  const savings = sum(perUnit);
  return savings > 0 ? [{ claims: [state.index], allocations: [{ line: state.index, perUnit }], savings }] : [];
}

function isNearExpiry(line: Pick<CartLine, 'isPerishable' | 'expiresAt'>, withinDays: number, now: Date) {
  if (!line.isPerishable || !line.expiresAt) return false;
  const left = line.expiresAt.getTime() - now.getTime();
  // Already expired goods are not for sale; discounting them is not pricing's call.
  return left > 0 && left <= withinDays * DAY_MS;
}

/** Candidates of a line-level rule over `lines` (the lines still open to it). */
function lineCandidates(rule: LineRule, lines: LineState[], now: Date): LineCandidate[] {
  switch (rule.type) {
    case 'sku_discount':
      return lines
        .filter((s) => rule.skus.includes(s.line.sku))
        .flatMap((s) =>
          single(
            s,
            s.units.map((p) => unitOff(rule.off, p)),
          ),
        );
    case 'category_discount':
      return lines
        .filter((s) => s.line.categoryPath.some((id) => rule.categoryIds.includes(id)))
        .flatMap((s) =>
          single(
            s,
            s.units.map((p) => unitOff(rule.off, p)),
          ),
        );
    case 'near_expiry':
      return lines
        .filter((s) => isNearExpiry(s.line, rule.withinDays, now))
        .flatMap((s) =>
          single(
            s,
            s.units.map((p) => percentOf(p, rule.percent)),
          ),
        );
    case 'buy_x_get_y':
      return buyXGetY(rule, lines);
    case 'bulk':
      return bulk(rule, lines);
  }
}

function buyXGetY(rule: BuyXGetYRule, lines: LineState[]): LineCandidate[] {
  const eligible = lines.filter((s) => rule.skus.includes(s.line.sku));
  const pools =
    rule.mode === 'cheapest_in_set'
      ? [eligible]
      : [...new Set(eligible.map((s) => s.line.sku))].map((sku) => eligible.filter((s) => s.line.sku === sku));
  return pools.flatMap((pool) => {
    // Dearest first; in each group of buy+get units the last `get` (the cheapest) are free.
    // Ties by line then unit keep the result deterministic.
    const units = pool
      .flatMap((s) => s.units.map((price, unit) => ({ line: s.index, unit, price })))
      .sort((a, b) => b.price - a.price || a.line - b.line || a.unit - b.unit);
    const size = rule.buy + rule.get;
    const used = Math.floor(units.length / size) * size;
    if (used === 0) return [];
    const perUnit = new Map(pool.map((s) => [s.index, s.units.map(() => 0)]));
    for (let i = 0; i < used; i++) {
      if (i % size >= rule.buy) perUnit.get(units[i].line)![units[i].unit] = units[i].price;
    }
    const claims = [...new Set(units.slice(0, used).map((u) => u.line))].sort((a, b) => a - b);
    const allocations = claims.map((line) => ({ line, perUnit: perUnit.get(line)! }));
    const savings = sum(allocations.map((a) => sum(a.perUnit)));
    return savings > 0 ? [{ claims, allocations, savings }] : [];
  });
}

function bulk(rule: BulkRule, lines: LineState[]): LineCandidate[] {
  const eligible = lines.filter((s) => rule.skus.includes(s.line.sku));
  if (sum(eligible.map((s) => s.units.length)) < rule.minQuantity) return [];
  const off = rule.off;
  const allocations = eligible.map((s) => ({
    line: s.index,
    perUnit: s.units.map((p) => (off.kind === 'percent' ? percentOf(p, off.percent) : Math.max(0, p - off.unitPrice))),
  }));
  const savings = sum(allocations.map((a) => sum(a.perUnit)));
  return savings > 0 ? [{ claims: eligible.map((s) => s.index), allocations, savings }] : [];
}

/** An order-level discount on `base` (what is left of the order), never more than `base`. */
function orderDiscountAmount(off: OrderDiscountRule, base: Vnd): Vnd {
  if (off.kind === 'fixed') return Math.min(off.amount, base);
  return Math.min(percentOf(base, off.percent), off.maxDiscount ?? Infinity);
}

/** Units are priced one by one; this bounds the work and is far above any grocery basket. */
const MAX_LINE_QUANTITY = 10_000;

export function perUnitPriceCart(input: PriceCartInput): PricedCart {
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
