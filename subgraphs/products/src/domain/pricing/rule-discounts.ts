// What each promotion rule takes off, given the current prices of the units in the cart.
// Rounding is per unit, so a line of n units costs exactly n × the shelf price that
// currentUnitPrice shows and stacked discounts see what is left. Units at the same price on one
// line are interchangeable, so a line is kept as runs (count × price) and every rule is counted
// in closed form: the work depends on the number of lines, never on quantities.
import type { BulkRule, BuyXGetYRule, CartLine, OrderDiscountRule, PromotionRule, UnitDiscount, Vnd } from './types';

export const DAY_MS = 24 * 60 * 60 * 1000;

export type LineRule = Exclude<PromotionRule, { type: 'order_threshold' }>;

/** `count` units of one line, each now at `price`. */
export interface Run {
  price: Vnd;
  count: number;
}

/** One cart line while it is being priced: its units as runs, dearest first, one run per price. */
export interface LineState {
  index: number;
  line: CartLine;
  runs: Run[];
}

/** `count` units now at `price` each get `off` off. */
export interface Slice {
  price: Vnd;
  count: number;
  off: Vnd;
}

/**
 * One way a promotion can apply. `claims` are the lines it uses, including lines that only
 * qualify it (the paid units of a buy-2-get-1), so a non-stackable winner keeps them to itself.
 */
export interface LineCandidate {
  claims: number[];
  allocations: { line: number; slices: Slice[] }[];
  savings: Vnd;
}

/**
 * Rounded down to whole đồng: a "30%" discount never exceeds 30%, and stays an integer.
 * Split at hundreds so that `amount × percent` cannot leave the safe integers for any safe amount.
 */
export const percentOf = (amount: Vnd, percent: number): Vnd =>
  Math.floor(amount / 100) * percent + Math.floor(((amount % 100) * percent) / 100);

const unitOff = (off: UnitDiscount, price: Vnd): Vnd =>
  off.kind === 'percent' ? percentOf(price, off.percent) : Math.min(off.amountPerUnit, price);

const sliceTotal = (slices: readonly Slice[]): Vnd => slices.reduce((a, s) => a + s.count * s.off, 0);

/** A line's units at its shelf price, before any promotion. */
export const regularState = (line: CartLine, index: number): LineState => ({
  index,
  line,
  runs: [{ price: line.unitPrice, count: line.quantity }],
});

export const lineTotal = (state: LineState): Vnd => state.runs.reduce((a, r) => a + r.count * r.price, 0);

/** Takes each slice's discount off its units; runs stay one per price, dearest first. */
export function takeOff(state: LineState, slices: readonly Slice[]): void {
  const counts = new Map(state.runs.map((r) => [r.price, r.count]));
  for (const { price, count, off } of slices) {
    if (off === 0) continue;
    counts.set(price, counts.get(price)! - count);
    counts.set(price - off, (counts.get(price - off) ?? 0) + count);
  }
  state.runs = [...counts]
    .filter(([, count]) => count > 0)
    .map(([price, count]) => ({ price, count }))
    .sort((a, b) => b.price - a.price);
}

function perUnit(state: LineState, off: (price: Vnd) => Vnd): LineCandidate[] {
  const slices = state.runs.map((r) => ({ price: r.price, count: r.count, off: off(r.price) }));
  const savings = sliceTotal(slices);
  return savings > 0 ? [{ claims: [state.index], allocations: [{ line: state.index, slices }], savings }] : [];
}

export function isNearExpiry(line: Pick<CartLine, 'isPerishable' | 'expiresAt'>, withinDays: number, now: Date) {
  if (!line.isPerishable || !line.expiresAt) return false;
  const left = line.expiresAt.getTime() - now.getTime();
  // Already expired goods are not for sale; discounting them is not pricing's call.
  return left > 0 && left <= withinDays * DAY_MS;
}

/** The lines `rule` looks at (by SKU, category or expiry), whatever their quantities, in cart order. */
export function coveredLines<T extends { line: CartLine }>(rule: LineRule, lines: readonly T[], now: Date): T[] {
  switch (rule.type) {
    case 'sku_discount':
    case 'buy_x_get_y':
    case 'bulk': {
      const skus = new Set(rule.skus);
      return lines.filter((s) => skus.has(s.line.sku));
    }
    case 'category_discount': {
      const ids = new Set(rule.categoryIds);
      return lines.filter((s) => s.line.categoryPath.some((id) => ids.has(id)));
    }
    case 'near_expiry':
      return lines.filter((s) => isNearExpiry(s.line, rule.withinDays, now));
  }
}

/** Candidates of a line-level rule over `lines` (the lines still open to it, in cart order). */
export function lineCandidates(rule: LineRule, lines: readonly LineState[], now: Date): LineCandidate[] {
  return candidatesAmong(rule, coveredLines(rule, lines, now));
}

/** Candidates over lines the rule is known to cover (coveredLines), in cart order. */
export function candidatesAmong(rule: LineRule, covered: LineState[]): LineCandidate[] {
  switch (rule.type) {
    case 'sku_discount':
    case 'category_discount': {
      const off = rule.off;
      return covered.flatMap((s) => perUnit(s, (p) => unitOff(off, p)));
    }
    case 'near_expiry':
      return covered.flatMap((s) => perUnit(s, (p) => percentOf(p, rule.percent)));
    case 'buy_x_get_y':
      return buyXGetY(rule, covered);
    case 'bulk':
      return bulk(rule, covered);
  }
}

/** Of the first `n` positions of groups of buy+get units, how many are free (the last `get` of each group). */
const freeAmongFirst = (n: number, buy: number, size: number): number =>
  Math.floor(n / size) * (size - buy) + Math.max(0, (n % size) - buy);

function buyXGetY(rule: BuyXGetYRule, eligible: LineState[]): LineCandidate[] {
  const pools =
    rule.mode === 'cheapest_in_set'
      ? [eligible]
      : [...new Set(eligible.map((s) => s.line.sku))].map((sku) => eligible.filter((s) => s.line.sku === sku));
  return pools.flatMap((pool) => {
    // Dearest first; in each group of buy+get units the last `get` (the cheapest) are free.
    // Ties by line keep the result deterministic (which units of one run go free cannot matter).
    const runs = pool
      .flatMap((s) => s.runs.map((r) => ({ line: s.index, ...r })))
      .sort((a, b) => b.price - a.price || a.line - b.line);
    const size = rule.buy + rule.get;
    const units = runs.reduce((a, r) => a + r.count, 0);
    const used = Math.floor(units / size) * size;
    if (used === 0) return [];
    const slices = new Map<number, Slice[]>();
    let position = 0;
    for (const run of runs) {
      if (position >= used) break;
      const end = Math.min(position + run.count, used);
      const free = freeAmongFirst(end, rule.buy, size) - freeAmongFirst(position, rule.buy, size);
      const ofLine = slices.get(run.line) ?? [];
      if (free > 0) ofLine.push({ price: run.price, count: free, off: run.price });
      slices.set(run.line, ofLine);
      position += run.count;
    }
    const claims = [...slices.keys()].sort((a, b) => a - b);
    const allocations = claims.map((line) => ({ line, slices: slices.get(line)! }));
    const savings = allocations.reduce((a, x) => a + sliceTotal(x.slices), 0);
    return savings > 0 ? [{ claims, allocations, savings }] : [];
  });
}

function bulk(rule: BulkRule, eligible: LineState[]): LineCandidate[] {
  if (eligible.reduce((a, s) => a + s.line.quantity, 0) < rule.minQuantity) return [];
  const off = rule.off;
  const allocations = eligible.map((s) => ({
    line: s.index,
    slices: s.runs.map((r) => ({
      price: r.price,
      count: r.count,
      off: off.kind === 'percent' ? percentOf(r.price, off.percent) : Math.max(0, r.price - off.unitPrice),
    })),
  }));
  const savings = allocations.reduce((a, x) => a + sliceTotal(x.slices), 0);
  return savings > 0 ? [{ claims: eligible.map((s) => s.index), allocations, savings }] : [];
}

/** An order-level discount on `base` (what is left of the order), never more than `base`. */
export function orderDiscountAmount(off: OrderDiscountRule, base: Vnd): Vnd {
  if (off.kind === 'fixed') return Math.min(off.amount, base);
  return Math.min(percentOf(base, off.percent), off.maxDiscount ?? Infinity);
}
