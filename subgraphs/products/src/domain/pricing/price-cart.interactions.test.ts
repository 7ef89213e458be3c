// Which discount wins when several could apply, and how the levels combine.
import { priceCart } from './price-cart';
import { DAY, NOW, at, line, promotion } from './test/fixtures';
import type { CartLine, Promotion } from './types';

const price = (lines: CartLine[], promotions: Promotion[], couponCodes?: string[]) =>
  priceCart({ lines, promotions, couponCodes, now: NOW, currency: 'VND' });

const milk = (quantity: number, extra: Partial<CartLine> = {}) =>
  line('milk-1l', 30_000, quantity, { categoryPath: ['fresh', 'dairy'], ...extra });
const skuTen = promotion('sku-10', { type: 'sku_discount', skus: ['milk-1l'], off: { kind: 'percent', percent: 10 } });
const dairyFifteen = promotion('dairy-15', {
  type: 'category_discount',
  categoryIds: ['dairy'],
  off: { kind: 'percent', percent: 15 },
});

describe('line level: the single best non-stackable discount wins', () => {
  it('SKU 10% vs category 15% → 15%, whatever their priority', () => {
    for (const skuPriority of [0, 100]) {
      const cart = price([milk(2)], [{ ...skuTen, priority: skuPriority }, dairyFifteen]);
      expect(cart.lines[0]).toMatchObject({ discount: 9_000, total: 51_000 });
      expect(cart.appliedPromotions.map((p) => p.promotionId)).toEqual(['dairy-15']);
    }
  });

  it('breaks a tie in savings by priority, then by id', () => {
    const a = { ...skuTen, id: 'a' };
    const b = { ...skuTen, id: 'b' };
    expect(price([milk(1)], [b, a]).appliedPromotions.map((p) => p.promotionId)).toEqual(['a']);
    expect(price([milk(1)], [a, { ...b, priority: 1 }]).appliedPromotions.map((p) => p.promotionId)).toEqual(['b']);
  });

  describe('BOGO vs 30% near-expiry: whichever saves more for the quantity', () => {
    const nearExpiry = promotion('near-expiry-30', { type: 'near_expiry', withinDays: 3, percent: 30 });
    const expiring = { isPerishable: true, expiresAt: at(2 * DAY) };
    const bogo = (buy: number, get: number) =>
      promotion('bogo', { type: 'buy_x_get_y', skus: ['milk-1l'], buy, get, mode: 'same_sku' });

    it('quantity 2, buy 1 get 1: BOGO saves 30.000 đ, 30% saves 18.000 đ → BOGO', () => {
      const cart = price([milk(2, expiring)], [nearExpiry, bogo(1, 1)]);
      expect(cart.lines[0]).toMatchObject({ discount: 30_000, total: 30_000 });
      expect(cart.lines[0].appliedPromotions.map((p) => p.promotionId)).toEqual(['bogo']);
    });

    it('quantity 4, buy 2 get 1: BOGO saves 30.000 đ, 30% saves 36.000 đ → near-expiry', () => {
      const cart = price([milk(4, expiring)], [nearExpiry, bogo(2, 1)]);
      expect(cart.lines[0]).toMatchObject({ discount: 36_000, total: 84_000 });
      expect(cart.lines[0].appliedPromotions.map((p) => p.promotionId)).toEqual(['near-expiry-30']);
    });

    it('quantity 1: BOGO cannot apply, so near-expiry does', () => {
      expect(price([milk(1, expiring)], [nearExpiry, bogo(1, 1)]).lines[0].discount).toBe(9_000);
    });
  });

  it('a buy-X-get-Y keeps the paid units it needs: no percent discount on them as well', () => {
    const set = promotion('yogurt-3for2', {
      type: 'buy_x_get_y',
      skus: ['yogurt-a', 'yogurt-b'],
      buy: 2,
      get: 1,
      mode: 'cheapest_in_set',
    });
    const tenOnA = promotion('a-10', {
      type: 'sku_discount',
      skus: ['yogurt-a'],
      off: { kind: 'percent', percent: 10 },
    });
    // BOGO frees the 15.000 đ unit (savings 15.000) and claims both lines; 10% on A would save 4.000.
    const cart = price([line('yogurt-a', 20_000, 2), line('yogurt-b', 15_000)], [tenOnA, set]);
    expect(cart.lines.map((l) => [l.discount, l.total])).toEqual([
      [0, 40_000],
      [15_000, 0],
    ]);
  });

  it('after a winner takes a line, the rest is re-priced without it', () => {
    const bulk = promotion('bulk-3', {
      type: 'bulk',
      skus: ['a', 'b'],
      minQuantity: 3,
      off: { kind: 'percent', percent: 10 },
    });
    const halfA = promotion('a-50', { type: 'sku_discount', skus: ['a'], off: { kind: 'percent', percent: 50 } });
    // 50% on A (10.000 đ) beats bulk over A+B (3.000 đ); B alone is then 1 unit, short of 3.
    const cart = price([line('a', 10_000, 2), line('b', 10_000)], [bulk, halfA]);
    expect(cart.lines.map((l) => l.discount)).toEqual([10_000, 0]);
  });

  it('a promotion may win several lines', () => {
    const cart = price(
      [milk(1), line('cheese', 80_000, 1, { categoryPath: ['fresh', 'dairy'] })],
      [skuTen, dairyFifteen],
    );
    expect(cart.lines.map((l) => l.discount)).toEqual([4_500, 12_000]);
    expect(cart.appliedPromotions).toEqual([
      expect.objectContaining({ promotionId: 'dairy-15', amount: 16_500, level: 'line', couponCode: null }),
    ]);
  });
});

describe('stackable promotions and coupons', () => {
  const autoTwenty = promotion('auto-20', {
    type: 'category_discount',
    categoryIds: ['dairy'],
    off: { kind: 'percent', percent: 20 },
  });
  const coupon = (percent: number, stackable: boolean) =>
    promotion(
      'coupon',
      { type: 'sku_discount', skus: ['milk-1l'], off: { kind: 'percent', percent } },
      {
        couponCode: 'MILK10',
        stackable,
      },
    );
  const bottle = () => line('milk-1l', 100_000, 1, { categoryPath: ['dairy'] });

  it('a stackable coupon applies on top, to the already discounted price (20% then 10% = 28%)', () => {
    const cart = price([bottle()], [autoTwenty, coupon(10, true)], ['MILK10']);
    expect(cart.lines[0]).toMatchObject({ discount: 28_000, total: 72_000 });
    expect(cart.lines[0].appliedPromotions.map((p) => [p.promotionId, p.amount])).toEqual([
      ['auto-20', 20_000],
      ['coupon', 8_000],
    ]);
    expect(cart.appliedPromotions.find((p) => p.promotionId === 'coupon')).toMatchObject({ couponCode: 'MILK10' });
    expect(cart.rejectedCoupons).toEqual([]);
  });

  it('a non-stackable coupon that saves less is superseded by the automatic promotion', () => {
    const cart = price([bottle()], [autoTwenty, coupon(10, false)], ['MILK10']);
    expect(cart.total).toBe(80_000);
    expect(cart.rejectedCoupons).toEqual([{ code: 'MILK10', reason: 'SUPERSEDED' }]);
  });

  it('a non-stackable coupon that saves more replaces the automatic promotion', () => {
    const cart = price([bottle()], [autoTwenty, coupon(25, false)], ['MILK10']);
    expect(cart.total).toBe(75_000);
    expect(cart.appliedPromotions.map((p) => p.promotionId)).toEqual(['coupon']);
  });

  it('stacked percentages never take a unit below zero', () => {
    const all = (id: string) =>
      promotion(
        id,
        { type: 'sku_discount', skus: ['milk-1l'], off: { kind: 'percent', percent: 100 } },
        { stackable: true },
      );
    const fixed = promotion(
      'fixed',
      { type: 'sku_discount', skus: ['milk-1l'], off: { kind: 'fixed', amountPerUnit: 999_999 } },
      { stackable: true },
    );
    const cart = price([bottle()], [all('x'), all('y'), fixed]);
    expect(cart.lines[0]).toMatchObject({ discount: 100_000, total: 0 });
    // Equal priority: applied in id order; "fixed" leaves nothing for x and y, which are not listed.
    expect(cart.lines[0].appliedPromotions.map((p) => [p.promotionId, p.amount])).toEqual([['fixed', 100_000]]);
  });
});

describe('order level after line level', () => {
  const thirtyOff = promotion('tet-30', {
    type: 'sku_discount',
    skus: ['gift-box'],
    off: { kind: 'percent', percent: 30 },
  });

  it('compares the minimum with the discounted subtotal', () => {
    const min300 = promotion('order-300k', {
      type: 'order_threshold',
      minSubtotal: 300_000,
      off: { kind: 'fixed', amount: 30_000 },
    });
    // Regular 400.000 đ, but 280.000 đ after 30% off: below 300.000 đ.
    const cart = price([line('gift-box', 400_000)], [thirtyOff, min300]);
    expect(cart).toMatchObject({ subtotal: 400_000, discountedSubtotal: 280_000, orderDiscount: 0, total: 280_000 });
  });

  it('takes the order percentage of the discounted subtotal', () => {
    const tenPercent = promotion('order-10', {
      type: 'order_threshold',
      minSubtotal: 250_000,
      off: { kind: 'percent', percent: 10 },
    });
    const cart = price([line('gift-box', 400_000)], [thirtyOff, tenPercent]);
    expect(cart).toMatchObject({
      subtotal: 400_000,
      lineDiscount: 120_000,
      discountedSubtotal: 280_000,
      orderDiscount: 28_000,
      discount: 148_000,
      total: 252_000,
    });
    expect(cart.appliedPromotions.map((p) => [p.promotionId, p.level, p.amount])).toEqual([
      ['tet-30', 'line', 120_000],
      ['order-10', 'order', 28_000],
    ]);
  });

  it('non-stackable order discounts compete; a stackable one applies to what is left', () => {
    const tenCapped = promotion('ten-capped', {
      type: 'order_threshold',
      minSubtotal: 0,
      off: { kind: 'percent', percent: 10, maxDiscount: 20_000 },
    });
    const fixed25 = promotion('fixed-25k', {
      type: 'order_threshold',
      minSubtotal: 0,
      off: { kind: 'fixed', amount: 25_000 },
    });
    const extra5 = promotion(
      'extra-5',
      { type: 'order_threshold', minSubtotal: 0, off: { kind: 'percent', percent: 5 } },
      { couponCode: 'EXTRA5', stackable: true },
    );
    // 10% capped = 20.000 < 25.000 fixed; then 5% of 275.000 = 13.750.
    const cart = price([line('x', 300_000)], [tenCapped, fixed25, extra5], ['extra5']);
    expect(cart.orderDiscounts.map((d) => [d.promotionId, d.amount])).toEqual([
      ['fixed-25k', 25_000],
      ['extra-5', 13_750],
    ]);
    expect(cart.total).toBe(261_250);
  });
});
