// Property-style: many random carts and promotions from a seeded PRNG (reproducible), checking the
// accounting invariants that must hold whatever the promotions are.
import { priceCart } from './price-cart';
import { DAY, NOW, at, promotion } from './test/fixtures';
import type { CartLine, Promotion, PromotionRule } from './types';
import { validatePromotion } from './validate-promotion';

/** mulberry32: tiny, fast, good enough to explore carts; the seed makes a failure replayable. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];
  const some = <T>(xs: readonly T[]): T[] => {
    const chosen = xs.filter(() => next() < 0.4);
    return chosen.length > 0 ? chosen : [pick(xs)];
  };
  return { next, int, pick, some };
}
type Rng = ReturnType<typeof prng>;

const SKUS = ['milk', 'yogurt', 'rice', 'egg', 'mango', 'water'] as const;
const PATHS = [['fresh', 'dairy'], ['fresh', 'fruit'], ['pantry'], ['pantry', 'drinks']] as const;
const CODES = ['CODE-A', 'CODE-B'] as const;

function randomLine(r: Rng): CartLine {
  const perishable = r.next() < 0.5;
  return {
    sku: r.pick(SKUS),
    quantity: r.int(1, 12),
    unitPrice: r.pick([0, 1, 999, 12_345, 32_900, r.int(1, 2_000_000)]),
    categoryPath: [...r.pick(PATHS)],
    isPerishable: perishable,
    expiresAt: perishable && r.next() < 0.8 ? at(r.int(-DAY, 6 * DAY)) : undefined,
  };
}

function randomRule(r: Rng): PromotionRule {
  const unitOff = () =>
    r.next() < 0.6
      ? { kind: 'percent' as const, percent: r.int(1, 100) }
      : { kind: 'fixed' as const, amountPerUnit: r.int(1, 500_000) };
  switch (r.int(0, 5)) {
    case 0:
      return { type: 'sku_discount', skus: r.some(SKUS), off: unitOff() };
    case 1:
      return {
        type: 'category_discount',
        categoryIds: r.some(['fresh', 'dairy', 'fruit', 'pantry', 'drinks']),
        off: unitOff(),
      };
    case 2:
      return { type: 'near_expiry', withinDays: r.int(1, 5), percent: r.int(1, 100) };
    case 3:
      return {
        type: 'buy_x_get_y',
        skus: r.some(SKUS),
        buy: r.int(1, 3),
        get: r.int(1, 2),
        mode: r.pick(['same_sku', 'cheapest_in_set'] as const),
      };
    case 4:
      return {
        type: 'bulk',
        skus: r.some(SKUS),
        minQuantity: r.int(2, 15),
        off:
          r.next() < 0.5
            ? { kind: 'percent', percent: r.int(1, 100) }
            : { kind: 'unit_price', unitPrice: r.int(0, 100_000) },
      };
    default:
      return {
        type: 'order_threshold',
        minSubtotal: r.int(0, 1_000_000),
        off:
          r.next() < 0.5
            ? { kind: 'percent', percent: r.int(1, 100), ...(r.next() < 0.5 ? { maxDiscount: r.int(1, 200_000) } : {}) }
            : { kind: 'fixed', amount: r.int(1, 500_000) },
      };
  }
}

function randomPromotion(r: Rng, id: string): Promotion {
  const p = promotion(id, randomRule(r), {
    priority: r.int(-2, 2),
    stackable: r.next() < 0.3,
    ...(r.next() < 0.3 ? { couponCode: r.pick(CODES) } : {}),
    ...(r.next() < 0.1 ? { validUntil: NOW } : {}),
    ...(r.next() < 0.1 ? { usageLimit: 3, usedCount: r.int(0, 3) } : {}),
  });
  expect(validatePromotion(p)).toEqual([]);
  return p;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const isVnd = (x: number) => Number.isSafeInteger(x) && x >= 0;

describe('priceCart over 2,000 random carts (seeded)', () => {
  const r = prng(20250310);
  const cases = Array.from({ length: 2_000 }, (_, n) => ({
    n,
    lines: Array.from({ length: r.int(1, 6) }, () => randomLine(r)),
    promotions: Array.from({ length: r.int(0, 6) }, (_, i) => randomPromotion(r, `p${i}`)),
    couponCodes: ['CODE-A', 'code-b', 'NOPE'].filter(() => r.next() < 0.5),
    shuffleSeed: r.int(1, 1e9),
  }));

  it('adds up exactly, never goes negative, never discounts more than the regular price', () => {
    // Collected rather than asserted one by one: fast, and a failure names the case to replay.
    const broken: string[] = [];
    const check = (n: number, what: string, ok: boolean) => {
      if (!ok) broken.push(`case ${n}: ${what}`);
    };
    for (const c of cases) {
      const cart = priceCart({ ...c, now: NOW, currency: 'VND' });
      for (const [i, l] of cart.lines.entries()) {
        check(c.n, `line ${i} regular`, l.regularTotal === c.lines[i].unitPrice * c.lines[i].quantity);
        check(c.n, `line ${i} whole đồng ≥ 0`, [l.regularTotal, l.discount, l.total].every(isVnd));
        check(c.n, `line ${i} discount ≤ regular`, l.discount <= l.regularTotal);
        check(c.n, `line ${i} total`, l.total === l.regularTotal - l.discount);
        check(c.n, `line ${i} reasons add up`, sum(l.appliedPromotions.map((a) => a.amount)) === l.discount);
        check(
          c.n,
          `line ${i} no empty reasons`,
          l.appliedPromotions.every((a) => a.amount > 0),
        );
      }
      check(c.n, 'subtotal', cart.subtotal === sum(cart.lines.map((l) => l.regularTotal)));
      check(c.n, 'discounted subtotal', cart.discountedSubtotal === sum(cart.lines.map((l) => l.total)));
      check(c.n, 'line discount', cart.lineDiscount === cart.subtotal - cart.discountedSubtotal);
      check(c.n, 'order discount', cart.orderDiscount === sum(cart.orderDiscounts.map((d) => d.amount)));
      // The promised identity: sum of line totals − order discounts = total.
      check(c.n, 'total', cart.total === cart.discountedSubtotal - cart.orderDiscount);
      check(c.n, 'discount', cart.discount === cart.subtotal - cart.total);
      check(c.n, 'whole đồng ≥ 0', [cart.total, cart.discount, cart.orderDiscount].every(isVnd));
      check(c.n, 'discount ≤ subtotal', cart.discount <= cart.subtotal);
      check(c.n, 'applied add up', sum(cart.appliedPromotions.map((a) => a.amount)) === cart.discount);
    }
    expect(broken).toEqual([]);
  });

  it('gives each line at most one non-stackable line promotion', () => {
    for (const c of cases) {
      const byId = new Map(c.promotions.map((p) => [p.id, p]));
      const cart = priceCart({ ...c, now: NOW, currency: 'VND' });
      for (const l of cart.lines) {
        expect(l.appliedPromotions.filter((a) => !byId.get(a.promotionId)!.stackable).length).toBeLessThanOrEqual(1);
      }
      expect(cart.orderDiscounts.filter((d) => !byId.get(d.promotionId)!.stackable).length).toBeLessThanOrEqual(1);
    }
  });

  it('answers every given code: applied or refused, never both', () => {
    for (const c of cases) {
      const cart = priceCart({ ...c, now: NOW, currency: 'VND' });
      const appliedCodes = new Set(cart.appliedPromotions.map((a) => a.couponCode).filter((x) => x !== null));
      const refused = cart.rejectedCoupons.map((x) => x.code);
      const given = [...new Set(c.couponCodes.map((x) => x.toUpperCase()))];
      expect(new Set(refused).size).toBe(refused.length);
      expect([...appliedCodes, ...refused].sort()).toEqual(given.sort());
    }
  });

  it('does not depend on the order promotions are listed in', () => {
    const differs: number[] = [];
    for (const c of cases) {
      const shuffled = [...c.promotions];
      const s = prng(c.shuffleSeed);
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = s.int(0, i);
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      const a = JSON.stringify(priceCart({ ...c, promotions: shuffled, now: NOW, currency: 'VND' }));
      if (a !== JSON.stringify(priceCart({ ...c, now: NOW, currency: 'VND' }))) differs.push(c.n);
    }
    expect(differs).toEqual([]);
  });

  it('actually exercises discounts (the generator is not vacuous)', () => {
    const carts = cases.map((c) => priceCart({ ...c, now: NOW, currency: 'VND' }));
    const kinds = new Set(
      carts.flatMap((cart, n) =>
        cart.appliedPromotions.map((a) => cases[n].promotions.find((p) => p.id === a.promotionId)!.rule.type),
      ),
    );
    expect(carts.filter((cart) => cart.lineDiscount > 0).length).toBeGreaterThan(500);
    expect(carts.filter((cart) => cart.orderDiscount > 0).length).toBeGreaterThan(100);
    expect(carts.filter((cart) => cart.rejectedCoupons.length > 0).length).toBeGreaterThan(100);
    expect([...kinds].sort()).toEqual([
      'bulk',
      'buy_x_get_y',
      'category_discount',
      'near_expiry',
      'order_threshold',
      'sku_discount',
    ]);
  });
});
