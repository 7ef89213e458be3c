// Each promotion rule on its own, with exact amounts in đồng.
import { priceCart } from './price-cart';
import { DAY, NOW, at, line, promotion } from './test/fixtures';
import type { CartLine, Promotion } from './types';

const price = (lines: CartLine[], promotions: Promotion[], couponCodes?: string[]) =>
  priceCart({ lines, promotions, couponCodes, now: NOW, currency: 'VND' });

describe('priceCart without promotions', () => {
  it('charges the regular price', () => {
    const cart = price([line('rice-5kg', 125_000, 2), line('milk-1l', 32_900)], []);
    expect(cart.lines.map((l) => [l.regularTotal, l.discount, l.total])).toEqual([
      [250_000, 0, 250_000],
      [32_900, 0, 32_900],
    ]);
    expect(cart).toMatchObject({ subtotal: 282_900, discount: 0, total: 282_900, appliedPromotions: [] });
  });
});

describe('sku_discount', () => {
  const tenPercent = promotion('milk-10', {
    type: 'sku_discount',
    skus: ['milk-1l'],
    off: { kind: 'percent', percent: 10 },
  });

  it('takes the percentage off each unit of the listed SKU only', () => {
    const cart = price([line('milk-1l', 32_900, 3), line('bread', 20_000)], [tenPercent]);
    expect(cart.lines[0]).toMatchObject({ regularTotal: 98_700, discount: 9_870, total: 88_830 });
    expect(cart.lines[0].appliedPromotions).toEqual([
      { promotionId: 'milk-10', amount: 9_870, reason: { en: 'milk-10 (en)', vi: 'milk-10 (vi)' } },
    ]);
    expect(cart.lines[1]).toMatchObject({ discount: 0, total: 20_000 });
    expect(cart.total).toBe(108_830);
  });

  it('rounds each unit discount down to whole đồng, so the line is quantity × unit price', () => {
    const thirty = promotion('p', { type: 'sku_discount', skus: ['x'], off: { kind: 'percent', percent: 30 } });
    // 30% of 12.345 đ is 3.703,5 đ → 3.703 đ off each unit → 8.642 đ each.
    const cart = price([line('x', 12_345, 3)], [thirty]);
    expect(cart.lines[0]).toMatchObject({ discount: 11_109, total: 25_926 });
    expect(cart.lines[0].total).toBe(3 * 8_642);
  });

  it('takes a fixed amount off each unit, never below zero', () => {
    const fiveK = promotion('p', {
      type: 'sku_discount',
      skus: ['x', 'y'],
      off: { kind: 'fixed', amountPerUnit: 5_000 },
    });
    const cart = price([line('x', 20_000, 2), line('y', 3_000, 2)], [fiveK]);
    expect(cart.lines.map((l) => [l.discount, l.total])).toEqual([
      [10_000, 30_000],
      [6_000, 0],
    ]);
    expect(cart.total).toBe(30_000);
  });
});

describe('category_discount', () => {
  const dairy = promotion('dairy-15', {
    type: 'category_discount',
    categoryIds: ['dairy'],
    off: { kind: 'percent', percent: 15 },
  });

  it('covers sub-categories through the line’s category ancestry', () => {
    const cart = price(
      [
        line('milk-1l', 40_000, 2, { categoryPath: ['fresh', 'dairy', 'milk'] }),
        line('cabbage', 15_000, 1, { categoryPath: ['fresh', 'vegetables'] }),
      ],
      [dairy],
    );
    expect(cart.lines.map((l) => l.discount)).toEqual([12_000, 0]);
    expect(cart.total).toBe(83_000);
  });
});

describe('near_expiry', () => {
  const nearExpiry = promotion('near-expiry-30', { type: 'near_expiry', withinDays: 3, percent: 30 });
  const yogurt = (expiresAt: Date | undefined, isPerishable = true) =>
    line('yogurt', 45_000, 1, { isPerishable, expiresAt });

  it('takes 30% off a perishable expiring exactly 3 days from now', () => {
    expect(price([yogurt(at(3 * DAY))], [nearExpiry]).lines[0]).toMatchObject({ discount: 13_500, total: 31_500 });
  });

  it('does not apply one millisecond beyond the window', () => {
    expect(price([yogurt(at(3 * DAY + 1))], [nearExpiry]).total).toBe(45_000);
  });

  it('applies up to the last millisecond before expiry but not to expired goods', () => {
    expect(price([yogurt(at(1))], [nearExpiry]).total).toBe(31_500);
    expect(price([yogurt(at(0))], [nearExpiry]).total).toBe(45_000);
    expect(price([yogurt(at(-DAY))], [nearExpiry]).total).toBe(45_000);
  });

  it('ignores non-perishables and lines without an expiry date', () => {
    expect(price([yogurt(at(DAY), false)], [nearExpiry]).total).toBe(45_000);
    expect(price([yogurt(undefined)], [nearExpiry]).total).toBe(45_000);
  });
});

describe('buy_x_get_y', () => {
  const bogo = (buy: number, get: number, mode: 'same_sku' | 'cheapest_in_set', skus = ['milk-1l']) =>
    promotion('bogo', { type: 'buy_x_get_y', skus, buy, get, mode });

  it.each([
    [1, 0, 30_000],
    [2, 30_000, 30_000],
    [3, 30_000, 60_000],
    [5, 60_000, 90_000],
  ])('buy 1 get 1: %i units → %i đ off, pays %i đ', (quantity, discount, total) => {
    expect(price([line('milk-1l', 30_000, quantity)], [bogo(1, 1, 'same_sku')]).lines[0]).toMatchObject({
      discount,
      total,
    });
  });

  it.each([
    [2, 0],
    [3, 30_000],
    [5, 30_000],
    [6, 60_000],
  ])('buy 2 get 1: %i units → %i đ off', (quantity, discount) => {
    expect(price([line('milk-1l', 30_000, quantity)], [bogo(2, 1, 'same_sku')]).lines[0].discount).toBe(discount);
  });

  it('counts one SKU across lines (two batches) and gives the cheaper unit free', () => {
    const cart = price([line('milk-1l', 30_000), line('milk-1l', 21_000)], [bogo(1, 1, 'same_sku')]);
    expect(cart.lines.map((l) => l.discount)).toEqual([0, 21_000]);
    expect(cart.total).toBe(30_000);
  });

  it('does not pair different SKUs in same_sku mode', () => {
    const cart = price([line('a', 20_000), line('b', 20_000)], [bogo(1, 1, 'same_sku', ['a', 'b'])]);
    expect(cart.discount).toBe(0);
  });

  it('gives the cheapest unit of each group free within a set', () => {
    // Dearest first: 20.000, 20.000, 18.000 | 15.000 → the 18.000 đ unit is free; 15.000 has no group.
    const cart = price(
      [line('yogurt-a', 20_000, 2), line('yogurt-b', 15_000), line('yogurt-c', 18_000)],
      [bogo(2, 1, 'cheapest_in_set', ['yogurt-a', 'yogurt-b', 'yogurt-c'])],
    );
    expect(cart.lines.map((l) => l.discount)).toEqual([0, 0, 18_000]);
    expect(cart.total).toBe(55_000);
  });
});

describe('bulk', () => {
  const water = promotion('water-bulk', {
    type: 'bulk',
    skus: ['water-500ml', 'water-1500ml'],
    minQuantity: 5,
    off: { kind: 'percent', percent: 10 },
  });

  it('does nothing one unit below the minimum', () => {
    expect(price([line('water-500ml', 5_000, 2), line('water-1500ml', 11_000, 2)], [water]).discount).toBe(0);
  });

  it('discounts every unit of the set once the set reaches the minimum', () => {
    const cart = price([line('water-500ml', 5_000, 3), line('water-1500ml', 11_000, 2)], [water]);
    expect(cart.lines.map((l) => l.discount)).toEqual([1_500, 2_200]);
    expect(cart.total).toBe(33_300);
  });

  it('sets a per-unit price from the minimum quantity', () => {
    const eggs = promotion('eggs-10', {
      type: 'bulk',
      skus: ['egg'],
      minQuantity: 10,
      off: { kind: 'unit_price', unitPrice: 3_000 },
    });
    expect(price([line('egg', 3_500, 9)], [eggs]).total).toBe(31_500);
    expect(price([line('egg', 3_500, 10)], [eggs]).lines[0]).toMatchObject({ discount: 5_000, total: 30_000 });
  });
});

describe('order_threshold', () => {
  const capped = promotion('order-10', {
    type: 'order_threshold',
    minSubtotal: 300_000,
    off: { kind: 'percent', percent: 10, maxDiscount: 20_000 },
  });

  it('does nothing 1 đ below the minimum', () => {
    const cart = price([line('x', 299_999)], [capped]);
    expect(cart).toMatchObject({ orderDiscount: 0, total: 299_999, orderDiscounts: [] });
  });

  it('applies at exactly the minimum, capped', () => {
    const cart = price([line('x', 300_000)], [capped]);
    expect(cart.orderDiscounts).toEqual([
      { promotionId: 'order-10', amount: 20_000, reason: { en: 'order-10 (en)', vi: 'order-10 (vi)' } },
    ]);
    expect(cart).toMatchObject({ discountedSubtotal: 300_000, orderDiscount: 20_000, total: 280_000 });
    expect(cart.lines[0]).toMatchObject({ discount: 0, total: 300_000 });
  });

  it('rounds an uncapped percentage down', () => {
    const five = promotion('order-5', {
      type: 'order_threshold',
      minSubtotal: 0,
      off: { kind: 'percent', percent: 5 },
    });
    // 5% of 300.001 đ = 15.000,05 đ.
    expect(price([line('x', 300_001)], [five])).toMatchObject({ orderDiscount: 15_000, total: 285_001 });
  });

  it('takes a fixed amount off at the minimum', () => {
    const fixed = promotion('order-30k', {
      type: 'order_threshold',
      minSubtotal: 200_000,
      off: { kind: 'fixed', amount: 30_000 },
    });
    expect(price([line('x', 199_999)], [fixed]).total).toBe(199_999);
    expect(price([line('x', 100_000, 2)], [fixed]).total).toBe(170_000);
  });
});

describe('malformed input', () => {
  it('throws on lines that no caller should build', () => {
    expect(() => price([line('x', 1_000, 0)], [])).toThrow(RangeError);
    expect(() => price([line('x', 1_000.5)], [])).toThrow(/unitPrice/);
    expect(() => priceCart({ lines: [], promotions: [], now: NOW, currency: 'USD' as 'VND' })).toThrow(/VND/);
  });

  it('throws on a promotion that could not have been saved', () => {
    const bad = promotion('bad', { type: 'sku_discount', skus: [], off: { kind: 'percent', percent: 10 } });
    expect(() => price([line('x', 1_000)], [bad])).toThrow(/promotion bad is invalid: rule.skus/);
  });
});
