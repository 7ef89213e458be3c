// What each promotion rule takes off, given the current price of every unit in the cart.
// Rules work unit by unit so that rounding is per unit: a line of n units then costs exactly
// n × the shelf price that currentUnitPrice shows, and stacked discounts see what is left.
import type { BulkRule, BuyXGetYRule, CartLine, OrderDiscountRule, PromotionRule, UnitDiscount, Vnd } from './types';

export const DAY_MS = 24 * 60 * 60 * 1000;

export type LineRule = Exclude<PromotionRule, { type: 'order_threshold' }>;

/** One cart line while it is being priced: the current price of each of its units. */
export interface LineState {
  index: number;
  line: CartLine;
  units: Vnd[];
}

/**
 * One way a promotion can apply. `claims` are the lines it uses, including lines that only
 * qualify it (the paid units of a buy-2-get-1), so a non-stackable winner keeps them to itself.
 */
export interface LineCandidate {
  claims: number[];
  allocations: { line: number; perUnit: Vnd[] }[];
  savings: Vnd;
}

/** Rounded down to whole đồng: a "30%" discount never exceeds 30%, and stays an integer. */
export const percentOf = (amount: Vnd, percent: number): Vnd => Math.floor((amount * percent) / 100);

const unitOff = (off: UnitDiscount, price: Vnd): Vnd =>
  off.kind === 'percent' ? percentOf(price, off.percent) : Math.min(off.amountPerUnit, price);

const sum = (xs: Vnd[]): Vnd => xs.reduce((a, b) => a + b, 0);

function single(state: LineState, perUnit: Vnd[]): LineCandidate[] {
  const savings = sum(perUnit);
  return savings > 0 ? [{ claims: [state.index], allocations: [{ line: state.index, perUnit }], savings }] : [];
}

export function isNearExpiry(line: Pick<CartLine, 'isPerishable' | 'expiresAt'>, withinDays: number, now: Date) {
  if (!line.isPerishable || !line.expiresAt) return false;
  const left = line.expiresAt.getTime() - now.getTime();
  // Already expired goods are not for sale; discounting them is not pricing's call.
  return left > 0 && left <= withinDays * DAY_MS;
}

/** Candidates of a line-level rule over `lines` (the lines still open to it). */
export function lineCandidates(rule: LineRule, lines: LineState[], now: Date): LineCandidate[] {
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
export function orderDiscountAmount(off: OrderDiscountRule, base: Vnd): Vnd {
  if (off.kind === 'fixed') return Math.min(off.amount, base);
  return Math.min(percentOf(base, off.percent), off.maxDiscount ?? Infinity);
}
