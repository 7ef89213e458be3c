// The shelf price shown on Product.price.
import { currentUnitPrice } from './current-price';
import { priceCart } from './price-cart';
import { DAY, NOW, at, promotion } from './test/fixtures';
import type { Promotion } from './types';

const milk = {
  sku: 'milk-1l',
  unitPrice: 100_000,
  categoryPath: ['fresh', 'dairy'],
  isPerishable: true,
  expiresAt: at(10 * DAY),
};
const skuTen = promotion('sku-10', { type: 'sku_discount', skus: ['milk-1l'], off: { kind: 'percent', percent: 10 } });
const dairyFifteen = promotion('dairy-15', {
  type: 'category_discount',
  categoryIds: ['dairy'],
  off: { kind: 'percent', percent: 15 },
});

describe('currentUnitPrice', () => {
  it('is the regular price with no promotion', () => {
    expect(currentUnitPrice(milk, [], NOW)).toEqual({
      regular: 100_000,
      current: 100_000,
      promotion: null,
      stacked: [],
      offers: [],
    });
  });

  it('shows the best automatic discount and the promotion behind it', () => {
    const shelf = currentUnitPrice(milk, [skuTen, dairyFifteen], NOW);
    expect(shelf).toMatchObject({ regular: 100_000, current: 85_000, stacked: [] });
    expect(shelf.promotion?.id).toBe('dairy-15');
  });

  it('shows the near-expiry price of a batch that expires soon', () => {
    const nearExpiry = promotion('near-expiry-30', { type: 'near_expiry', withinDays: 3, percent: 30 });
    expect(currentUnitPrice({ ...milk, unitPrice: 45_000, expiresAt: at(2 * DAY) }, [nearExpiry], NOW)).toMatchObject({
      current: 31_500,
      promotion: nearExpiry,
    });
    expect(currentUnitPrice({ ...milk, unitPrice: 45_000 }, [nearExpiry], NOW)).toMatchObject({
      current: 45_000,
      promotion: null,
    });
  });

  it('includes stackable automatic promotions', () => {
    const extra = promotion(
      'extra-10',
      { type: 'sku_discount', skus: ['milk-1l'], off: { kind: 'percent', percent: 10 } },
      {
        stackable: true,
      },
    );
    const shelf = currentUnitPrice(milk, [dairyFifteen, extra], NOW);
    expect(shelf.current).toBe(76_500);
    expect(shelf.promotion?.id).toBe('dairy-15');
    expect(shelf.stacked.map((p) => p.id)).toEqual(['extra-10']);
  });

  it('leaves out coupons, expired promotions and order thresholds', () => {
    const coupon = promotion(
      'c',
      { type: 'sku_discount', skus: ['milk-1l'], off: { kind: 'percent', percent: 50 } },
      {
        couponCode: 'HALF',
      },
    );
    const expired = { ...skuTen, id: 'old', validUntil: NOW };
    const threshold = promotion('t', {
      type: 'order_threshold',
      minSubtotal: 0,
      off: { kind: 'percent', percent: 50 },
    });
    expect(currentUnitPrice(milk, [coupon, expired, threshold], NOW)).toEqual({
      regular: 100_000,
      current: 100_000,
      promotion: null,
      stacked: [],
      offers: [],
    });
  });

  it('reports live buy-X-get-Y and bulk offers on the SKU without changing the unit price', () => {
    const bogo = promotion('bogo', { type: 'buy_x_get_y', skus: ['milk-1l'], buy: 1, get: 1, mode: 'same_sku' });
    const bulk = promotion(
      'bulk',
      { type: 'bulk', skus: ['milk-1l'], minQuantity: 6, off: { kind: 'percent', percent: 5 } },
      {
        priority: 1,
      },
    );
    const otherSku = promotion('other', { type: 'buy_x_get_y', skus: ['rice'], buy: 1, get: 1, mode: 'same_sku' });
    const expiredBogo = { ...bogo, id: 'expired-bogo', validUntil: NOW };
    const shelf = currentUnitPrice(milk, [bogo, bulk, otherSku, expiredBogo, skuTen], NOW);
    expect(shelf.current).toBe(90_000);
    expect(shelf.offers.map((p: Promotion) => p.id)).toEqual(['bulk', 'bogo']);
  });

  it('agrees with checkout: n units cost n × the shelf price, rounding included', () => {
    const thirty = promotion('p', { type: 'sku_discount', skus: ['x'], off: { kind: 'percent', percent: 30 } });
    const product = { sku: 'x', unitPrice: 12_345, categoryPath: ['food'], isPerishable: false };
    const shelf = currentUnitPrice(product, [thirty], NOW);
    expect(shelf.current).toBe(8_642);
    for (const quantity of [1, 2, 3, 7, 10]) {
      const cart = priceCart({ lines: [{ ...product, quantity }], promotions: [thirty], now: NOW, currency: 'VND' });
      expect(cart.total).toBe(quantity * shelf.current);
    }
  });
});
