// Coupon codes: when they apply, and why they are refused.
import { priceCart } from './price-cart';
import { DAY, NOW, at, line, promotion } from './test/fixtures';
import type { CartLine, Promotion } from './types';

const price = (lines: CartLine[], promotions: Promotion[], couponCodes?: string[]) =>
  priceCart({ lines, promotions, couponCodes, now: NOW, currency: 'VND' });

const tet = (overrides: Partial<Promotion> = {}) =>
  promotion(
    'tet',
    { type: 'sku_discount', skus: ['banh-chung'], off: { kind: 'fixed', amountPerUnit: 10_000 } },
    {
      couponCode: 'TET2025',
      ...overrides,
    },
  );
const cart = [line('banh-chung', 150_000, 2)];

describe('coupon codes', () => {
  it('apply only when the code is given', () => {
    expect(price(cart, [tet()]).total).toBe(300_000);
    expect(price(cart, [tet()], ['TET2025'])).toMatchObject({ total: 280_000, rejectedCoupons: [] });
  });

  it('match whatever the case and surrounding spaces, and count once if given twice', () => {
    const priced = price(cart, [tet()], [' tet2025 ', 'TET2025']);
    expect(priced.total).toBe(280_000);
    expect(priced.appliedPromotions).toEqual([
      {
        promotionId: 'tet',
        amount: 20_000,
        reason: { en: 'tet (en)', vi: 'tet (vi)' },
        level: 'line',
        couponCode: 'TET2025',
      },
    ]);
  });

  it('refuses an unknown code and a switched-off one as UNKNOWN', () => {
    expect(price(cart, [tet()], ['NOPE']).rejectedCoupons).toEqual([{ code: 'NOPE', reason: 'UNKNOWN' }]);
    expect(price(cart, [tet({ active: false })], ['TET2025']).rejectedCoupons).toEqual([
      { code: 'TET2025', reason: 'UNKNOWN' },
    ]);
  });

  it('refuses a code before validFrom and from validUntil on', () => {
    expect(price(cart, [tet({ validFrom: at(1) })], ['TET2025']).rejectedCoupons).toEqual([
      { code: 'TET2025', reason: 'NOT_YET_VALID' },
    ]);
    expect(price(cart, [tet({ validUntil: at(0) })], ['TET2025']).rejectedCoupons).toEqual([
      { code: 'TET2025', reason: 'EXPIRED' },
    ]);
    expect(price(cart, [tet({ validFrom: at(0), validUntil: at(1) })], ['TET2025']).total).toBe(280_000);
  });

  it('stops at the overall usage limit', () => {
    expect(price(cart, [tet({ usageLimit: 100, usedCount: 99 })], ['TET2025']).total).toBe(280_000);
    const full = price(cart, [tet({ usageLimit: 100, usedCount: 100 })], ['TET2025']);
    expect(full.total).toBe(300_000);
    expect(full.rejectedCoupons).toEqual([{ code: 'TET2025', reason: 'USAGE_LIMIT_REACHED' }]);
  });

  it('stops at the per-customer limit', () => {
    expect(price(cart, [tet({ perCustomerLimit: 1, customerUsedCount: 0 })], ['TET2025']).total).toBe(280_000);
    expect(price(cart, [tet({ perCustomerLimit: 1 })], ['TET2025']).total).toBe(280_000);
    expect(price(cart, [tet({ perCustomerLimit: 1, customerUsedCount: 1 })], ['TET2025']).rejectedCoupons).toEqual([
      { code: 'TET2025', reason: 'USAGE_LIMIT_REACHED' },
    ]);
  });

  it('refuses an order coupon below its minimum as MIN_ORDER_NOT_MET', () => {
    const order = promotion(
      'order',
      { type: 'order_threshold', minSubtotal: 500_000, off: { kind: 'fixed', amount: 50_000 } },
      {
        couponCode: 'BIG50',
      },
    );
    expect(price(cart, [order], ['BIG50']).rejectedCoupons).toEqual([{ code: 'BIG50', reason: 'MIN_ORDER_NOT_MET' }]);
    expect(price([line('banh-chung', 250_000, 2)], [order], ['BIG50']).total).toBe(450_000);
  });

  it('refuses a code nothing in the cart qualifies for as NOT_APPLICABLE', () => {
    expect(price([line('rice', 100_000)], [tet()], ['TET2025']).rejectedCoupons).toEqual([
      { code: 'TET2025', reason: 'NOT_APPLICABLE' },
    ]);
    const bogo = promotion(
      'bogo',
      { type: 'buy_x_get_y', skus: ['rice'], buy: 1, get: 1, mode: 'same_sku' },
      {
        couponCode: 'RICE-BOGO',
      },
    );
    expect(price([line('rice', 100_000)], [bogo], ['RICE-BOGO']).rejectedCoupons).toEqual([
      { code: 'RICE-BOGO', reason: 'NOT_APPLICABLE' },
    ]);
  });

  it('lists each refused code once, next to the applied ones', () => {
    const priced = price(cart, [tet()], ['TET2025', 'nope', 'NOPE', 'other']);
    expect(priced.total).toBe(280_000);
    expect(priced.rejectedCoupons).toEqual([
      { code: 'NOPE', reason: 'UNKNOWN' },
      { code: 'OTHER', reason: 'UNKNOWN' },
    ]);
  });

  it('skips an automatic promotion that has used up its limit, without any refusal', () => {
    const auto = promotion(
      'auto',
      { type: 'sku_discount', skus: ['banh-chung'], off: { kind: 'percent', percent: 10 } },
      {
        usageLimit: 5,
        usedCount: 5,
      },
    );
    expect(price(cart, [auto])).toMatchObject({ total: 300_000, rejectedCoupons: [] });
    expect(price(cart, [{ ...auto, usedCount: 4 }]).total).toBe(270_000);
  });

  it('ignores promotions outside their window whatever the zone they were entered in', () => {
    // 00:00 on 11 March in Hà Nội is 17:00 UTC on 10 March.
    const from = new Date('2025-03-11T00:00:00+07:00');
    const p = tet({ validFrom: from, validUntil: new Date(from.getTime() + DAY) });
    const at = (iso: string) =>
      priceCart({ lines: cart, promotions: [p], couponCodes: ['TET2025'], now: new Date(iso), currency: 'VND' }).total;
    const original = process.env.TZ;
    try {
      for (const zone of ['UTC', 'Asia/Ho_Chi_Minh', 'America/Los_Angeles']) {
        process.env.TZ = zone; // Node re-reads TZ on assignment.
        expect(at('2025-03-10T16:59:59.999Z')).toBe(300_000);
        expect(at('2025-03-10T17:00:00.000Z')).toBe(280_000);
        expect(at('2025-03-11T16:59:59.999Z')).toBe(280_000);
        expect(at('2025-03-12T00:00:00.000+07:00')).toBe(300_000);
      }
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
  });
});
