// Staff input checks for promotions, with field names for the admin form.
import { promotion, NOW, at, DAY } from './test/fixtures';
import type { Promotion, PromotionRule } from './types';
import { validatePromotion } from './validate-promotion';

const fields = (p: Promotion) => validatePromotion(p).map((e) => [e.field, e.code]);
const withRule = (rule: PromotionRule, overrides: Partial<Promotion> = {}) => promotion('p', rule, overrides);
const skuRule = (percent: number): PromotionRule => ({
  type: 'sku_discount',
  skus: ['milk'],
  off: { kind: 'percent', percent },
});

describe('validatePromotion', () => {
  it('accepts a well-formed promotion of every type', () => {
    const rules: PromotionRule[] = [
      skuRule(10),
      { type: 'sku_discount', skus: ['milk'], off: { kind: 'fixed', amountPerUnit: 5_000 } },
      { type: 'category_discount', categoryIds: ['dairy'], off: { kind: 'percent', percent: 100 } },
      { type: 'near_expiry', withinDays: 3, percent: 30 },
      { type: 'buy_x_get_y', skus: ['milk'], buy: 1, get: 1, mode: 'same_sku' },
      { type: 'bulk', skus: ['egg'], minQuantity: 10, off: { kind: 'unit_price', unitPrice: 0 } },
      { type: 'order_threshold', minSubtotal: 0, off: { kind: 'percent', percent: 10, maxDiscount: 50_000 } },
      { type: 'order_threshold', minSubtotal: 300_000, off: { kind: 'fixed', amount: 30_000 } },
    ];
    for (const rule of rules) expect(validatePromotion(withRule(rule))).toEqual([]);
    expect(
      validatePromotion(
        withRule(skuRule(10), { couponCode: 'TET-2025', usageLimit: 1, perCustomerLimit: 1, usedCount: 0 }),
      ),
    ).toEqual([]);
  });

  it.each([0, 101, 12.5, -5])('refuses percent %p (whole numbers 1..100)', (percent) => {
    const errors = validatePromotion(withRule(skuRule(percent)));
    expect(errors).toEqual([
      {
        field: 'rule.off.percent',
        code: Number.isInteger(percent) ? 'OUT_OF_RANGE' : 'NOT_AN_INTEGER',
        message: Number.isInteger(percent) ? 'must be from 1 to 100' : 'must be a whole number',
      },
    ]);
  });

  it('refuses a validity window that ends when or before it starts', () => {
    expect(fields(withRule(skuRule(10), { validFrom: NOW, validUntil: NOW }))).toEqual([
      ['validUntil', 'WINDOW_NOT_ORDERED'],
    ]);
    expect(fields(withRule(skuRule(10), { validFrom: at(DAY), validUntil: NOW }))).toEqual([
      ['validUntil', 'WINDOW_NOT_ORDERED'],
    ]);
    expect(fields(withRule(skuRule(10), { validFrom: new Date('not a date') }))).toEqual([
      ['validFrom', 'INVALID_DATE'],
    ]);
  });

  it('refuses empty SKU and category lists and blank entries', () => {
    expect(fields(withRule({ type: 'sku_discount', skus: [], off: { kind: 'percent', percent: 10 } }))).toEqual([
      ['rule.skus', 'REQUIRED'],
    ]);
    expect(
      fields(withRule({ type: 'bulk', skus: ['egg', ' '], minQuantity: 2, off: { kind: 'percent', percent: 5 } })),
    ).toEqual([['rule.skus[1]', 'REQUIRED']]);
    expect(
      fields(withRule({ type: 'category_discount', categoryIds: [], off: { kind: 'percent', percent: 10 } })),
    ).toEqual([['rule.categoryIds', 'REQUIRED']]);
  });

  it('needs buy and get of at least 1, and a known mode', () => {
    expect(
      fields(withRule({ type: 'buy_x_get_y', skus: ['milk'], buy: 0, get: 0, mode: 'any' as 'same_sku' })),
    ).toEqual([
      ['rule.buy', 'OUT_OF_RANGE'],
      ['rule.get', 'OUT_OF_RANGE'],
      ['rule.mode', 'INVALID_CHOICE'],
    ]);
  });

  it('bounds near-expiry days, bulk quantities and order amounts', () => {
    expect(fields(withRule({ type: 'near_expiry', withinDays: 0, percent: 30 }))).toEqual([
      ['rule.withinDays', 'OUT_OF_RANGE'],
    ]);
    expect(fields(withRule({ type: 'near_expiry', withinDays: 31, percent: 30 }))).toEqual([
      ['rule.withinDays', 'OUT_OF_RANGE'],
    ]);
    expect(
      fields(withRule({ type: 'bulk', skus: ['egg'], minQuantity: 1, off: { kind: 'percent', percent: 5 } })),
    ).toEqual([['rule.minQuantity', 'OUT_OF_RANGE']]);
    expect(
      fields(
        withRule({ type: 'order_threshold', minSubtotal: -1, off: { kind: 'percent', percent: 10, maxDiscount: 0 } }),
      ),
    ).toEqual([
      ['rule.minSubtotal', 'OUT_OF_RANGE'],
      ['rule.off.maxDiscount', 'OUT_OF_RANGE'],
    ]);
    expect(fields(withRule({ type: 'order_threshold', minSubtotal: 0, off: { kind: 'fixed', amount: 0.5 } }))).toEqual([
      ['rule.off.amount', 'NOT_AN_INTEGER'],
    ]);
  });

  it.each(['tet2025', 'TET', 'TET 2025', 'TẾT2025', 'A'.repeat(33)])('refuses the coupon code %p', (couponCode) => {
    expect(fields(withRule(skuRule(10), { couponCode }))).toEqual([['couponCode', 'INVALID_FORMAT']]);
  });

  it.each(['ABCD', 'TET-2025', 'A'.repeat(32)])('accepts the coupon code %p', (couponCode) => {
    expect(fields(withRule(skuRule(10), { couponCode }))).toEqual([]);
  });

  it('needs usage limits of at least 1', () => {
    expect(fields(withRule(skuRule(10), { usageLimit: 0, perCustomerLimit: 0 }))).toEqual([
      ['usageLimit', 'OUT_OF_RANGE'],
      ['perCustomerLimit', 'OUT_OF_RANGE'],
    ]);
  });

  it('lists every problem at once, names included', () => {
    const p = withRule(skuRule(0), { names: { en: '', vi: ' ' }, couponCode: 'x', validUntil: at(-30 * DAY) });
    expect(fields(p)).toEqual([
      ['names.en', 'REQUIRED'],
      ['names.vi', 'REQUIRED'],
      ['validUntil', 'WINDOW_NOT_ORDERED'],
      ['couponCode', 'INVALID_FORMAT'],
      ['rule.off.percent', 'OUT_OF_RANGE'],
    ]);
  });

  it('refuses an unknown rule type (rules arrive as JSON)', () => {
    expect(fields(withRule({ type: 'mystery' } as unknown as PromotionRule))).toEqual([
      ['rule.type', 'INVALID_CHOICE'],
    ]);
  });
});
