// The seeded promotions as a fresh platform serves them: every rule kind present, each one valid
// by the pricing domain's own rules, shelf prices discounted and coupon codes working at checkout.
import { Client } from 'pg';
import { validatePromotion } from '../domain/pricing/validate-promotion';
import type { Promotion, PromotionRule } from '../domain/pricing/types';
import { startTestPlatform, type TestPlatform } from '@grocery/gateway/testing';

let p: TestPlatform;
let db: Client;

beforeAll(async () => {
  p = await startTestPlatform({ seedSkus: 1000, seedPromotions: true });
  db = new Client({ connectionString: p.database.url });
  await db.connect();
}, 120_000);
afterAll(async () => {
  await db?.end();
  await p?.stop();
});

interface Row {
  id: string;
  name_en: string;
  name_vi: string;
  rule: PromotionRule;
  valid_from: Date;
  valid_until: Date;
  coupon_code: string | null;
  usage_limit: number | null;
  per_customer_limit: number | null;
  priority: number;
  stackable: boolean;
}

const rows = async () => (await db.query<Row>(`SELECT * FROM products.promotion ORDER BY id`)).rows;

it('seeds every rule kind, each valid by the pricing domain and live now', async () => {
  const all = await rows();
  expect(new Set(all.map((r) => r.rule.type))).toEqual(
    new Set(['sku_discount', 'category_discount', 'near_expiry', 'buy_x_get_y', 'bulk', 'order_threshold']),
  );
  for (const r of all) {
    const promotion: Promotion = {
      id: r.id,
      names: { en: r.name_en, vi: r.name_vi },
      rule: r.rule,
      validFrom: r.valid_from,
      validUntil: r.valid_until,
      active: true,
      ...(r.coupon_code ? { couponCode: r.coupon_code } : {}),
      ...(r.usage_limit ? { usageLimit: r.usage_limit } : {}),
      ...(r.per_customer_limit ? { perCustomerLimit: r.per_customer_limit } : {}),
      priority: r.priority,
      stackable: r.stackable,
    };
    expect({ name: r.name_en, errors: validatePromotion(promotion) }).toEqual({ name: r.name_en, errors: [] });
  }
  const listed = await p.gql(`{ promotions { id } }`);
  expect(listed.errors).toBeUndefined();
  // The public list shows automatic promotions; coupon promotions are for checkout.
  expect(listed.data!.promotions.length).toBeGreaterThanOrEqual(all.filter((r) => !r.coupon_code).length);
});

it('shows a weekly special on the shelf and applies a seeded coupon at checkout', async () => {
  const special = (await rows()).find((r) => r.rule.type === 'sku_discount')!;
  const sku = (special.rule as { skus: string[] }).skus[0];
  const shelf = await p.gql(
    `query ($sku: String!) { product(sku: $sku) { price { amount } currentPrice { amount } promotion { id } } }`,
    { sku },
  );
  expect(shelf.data!.product.promotion.id).toBe(special.id);
  expect(shelf.data!.product.currentPrice.amount).toBeLessThan(shelf.data!.product.price.amount);

  const { rows: dear } = await db.query(
    `SELECT sku FROM products.product WHERE price_amount >= 250000 ORDER BY sku LIMIT 1`,
  );
  const cart = await p.gql(
    `query ($lines: [CartLineInput!]!) { priceCart(lines: $lines, couponCodes: ["welcome30"]) {
       subtotal { amount } total { amount } appliedPromotions { couponCode amount { amount } } rejectedCoupons { code } } }`,
    { lines: [{ sku: dear[0].sku, quantity: 1 }] },
  );
  expect(cart.errors).toBeUndefined();
  const coupon = cart.data!.priceCart.appliedPromotions.find(
    (a: { couponCode: string | null }) => a.couponCode === 'WELCOME30',
  );
  expect(coupon?.amount.amount).toBe(30_000);
  expect(cart.data!.priceCart.rejectedCoupons).toEqual([]);
});
