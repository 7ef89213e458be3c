// Promotions through the gateway: staff manage them, the shelf and checkout prices follow.
import { execute, parse } from 'graphql';
import { Client } from 'pg';
import { startTestPlatform, type TestPlatform } from '@grocery/gateway/testing';

let p: TestPlatform;
let staff: string;
let customer: string;
let db: Client;

beforeAll(async () => {
  p = await startTestPlatform({ seedSkus: 50 });
  staff = (await p.signIn(['staff'])).accessToken;
  customer = (await p.signIn(['customer'])).accessToken;
  db = new Client({ connectionString: p.database.url });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await p?.stop();
});

const HOUR = 3_600_000;
const window = () => ({
  validFrom: new Date(Date.now() - HOUR).toISOString(),
  validUntil: new Date(Date.now() + 24 * HOUR).toISOString(),
});
const skuDiscount = (sku: string, percent: number, extra: Record<string, unknown> = {}) => ({
  nameEn: `${percent}% off ${sku}`,
  nameVi: `Giảm ${percent}% ${sku}`,
  kind: 'SKU_DISCOUNT',
  skus: [sku],
  percent,
  ...window(),
  ...extra,
});

const PROMOTION_FIELDS = `id name names { en vi } kind skus percent amount validFrom validUntil active couponCode priority stackable`;
const CREATE = `mutation ($input: PromotionInput!) { createPromotion(input: $input) { ${PROMOTION_FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: PromotionInput!) { updatePromotion(id: $id, input: $input) { ${PROMOTION_FIELDS} } }`;
const ARCHIVE = `mutation ($id: ID!) { archivePromotion(id: $id) { id active } }`;
const SHELF = `query ($sku: String!) { product(sku: $sku) { price { amount currency } regularPrice { amount currency } currentPrice { amount currency } promotion { id name kind percent } } }`;
const PRICE_CART = `query ($lines: [CartLineInput!]!, $codes: [String!]) { priceCart(lines: $lines, couponCodes: $codes) {
  lines { sku quantity unitPrice { amount } total { amount } appliedPromotions { promotionId reason } }
  subtotal { amount } discount { amount } total { amount currency }
  appliedPromotions { promotionId reason reasons { en vi } level couponCode amount { amount } }
  rejectedCoupons { code reason } } }`;

const shelf = async (sku: string) => (await p.gql(SHELF, { sku }, { lang: 'en' })).data!.product;
const outboxTypes = async (subject: string) =>
  (
    await db.query<{ type: string }>(`SELECT type FROM products.outbox_event WHERE subject = $1 ORDER BY seq`, [
      subject,
    ])
  ).rows.map((r) => r.type);
const promotionCount = async () => Number((await db.query(`SELECT count(*) AS n FROM products.promotion`)).rows[0].n);
const promotionEventCount = async () =>
  Number((await db.query(`SELECT count(*) AS n FROM products.outbox_event WHERE type LIKE 'promotion.%'`)).rows[0].n);
const twentyOff = (amount: number, percent: number) => amount - Math.floor((amount * percent) / 100);

describe('managing promotions', () => {
  it('shows a staff SKU promotion in currentPrice while price and regularPrice stay regular, until archived', async () => {
    const sku = 'SKU-000010';
    const before = await shelf(sku);
    expect(before.currentPrice).toEqual(before.price);
    expect(before.promotion).toBeNull();

    const created = await p.gql(CREATE, { input: skuDiscount(sku, 20) }, { token: staff, lang: 'vi' });
    expect(created.errors).toBeUndefined();
    const promotion = created.data!.createPromotion;
    expect(promotion).toMatchObject({ name: `Giảm 20% ${sku}`, kind: 'SKU_DISCOUNT', skus: [sku], percent: 20 });
    expect(promotion.amount).toBeNull();

    const on = await shelf(sku);
    expect(on.price).toEqual(before.price);
    expect(on.regularPrice).toEqual(before.price);
    expect(on.currentPrice).toEqual({ amount: twentyOff(before.price.amount, 20), currency: 'VND' });
    expect(on.promotion).toEqual({ id: promotion.id, name: `20% off ${sku}`, kind: 'SKU_DISCOUNT', percent: 20 });
    const listed = await p.gql(`{ promotions { id couponCode } }`);
    expect(listed.data!.promotions).toContainEqual({ id: promotion.id, couponCode: null });

    const updated = await p.gql(UPDATE, { id: promotion.id, input: skuDiscount(sku, 30) }, { token: staff });
    expect(updated.errors).toBeUndefined();
    expect((await shelf(sku)).currentPrice.amount).toBe(twentyOff(before.price.amount, 30));

    const archived = await p.gql(ARCHIVE, { id: promotion.id }, { token: staff });
    expect(archived.data!.archivePromotion).toEqual({ id: promotion.id, active: false });
    const off = await shelf(sku);
    expect(off.currentPrice).toEqual(before.price);
    expect(off.promotion).toBeNull();
    expect((await p.gql(`{ promotions { id } }`)).data!.promotions).not.toContainEqual({ id: promotion.id });

    expect(await outboxTypes(promotion.id)).toEqual(['promotion.created', 'promotion.updated', 'promotion.archived']);
  });

  it('refuses customers (FORBIDDEN) and anonymous callers (UNAUTHENTICATED) and writes nothing', async () => {
    const [rows, events] = [await promotionCount(), await promotionEventCount()];
    const c = await p.gql(CREATE, { input: skuDiscount('SKU-000013', 20) }, { token: customer });
    expect(c.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const a = await p.gql(CREATE, { input: skuDiscount('SKU-000013', 20) });
    expect(a.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const all = await p.gql(`{ promotions(activeOnly: false) { id } }`, {}, { token: customer });
    expect(all.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect([await promotionCount(), await promotionEventCount()]).toEqual([rows, events]);
  });

  it.each([
    ['percent 0', { percent: 0 }, 'percent'],
    ['percent 101', { percent: 101 }, 'percent'],
    ['validUntil before validFrom', { validUntil: new Date(Date.now() - 2 * HOUR).toISOString() }, 'validUntil'],
    ['a malformed coupon code', { couponCode: 'no!' }, 'couponCode'],
    ['a field its kind does not use', { categoryIds: ['c1'] }, 'categoryIds'],
    ['both percent and amount', { amount: 1000 }, 'amount'],
  ])('refuses %s with BAD_USER_INPUT naming the field, writing nothing', async (_, change, field) => {
    const [rows, events] = [await promotionCount(), await promotionEventCount()];
    const r = await p.gql(CREATE, { input: { ...skuDiscount('SKU-000014', 20), ...change } }, { token: staff });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect([await promotionCount(), await promotionEventCount()]).toEqual([rows, events]);
  });
});

describe('pricing a cart', () => {
  it('applies a coupon given at checkout, only there, and refuses an unknown one (UNKNOWN to a customer)', async () => {
    const sku = 'SKU-000011';
    const created = await p.gql(
      CREATE,
      { input: skuDiscount(sku, 10, { couponCode: 'tet-test10' }) },
      { token: staff },
    );
    expect(created.errors).toBeUndefined();
    const promotion = created.data!.createPromotion;
    expect(promotion.couponCode).toBe('TET-TEST10'); // staff see it, normalised
    const regular = (await shelf(sku)).price.amount;
    expect((await shelf(sku)).currentPrice.amount).toBe(regular); // a coupon is not a shelf price

    const r = await p.gql(
      PRICE_CART,
      { lines: [{ sku, quantity: 2 }], codes: [' tet-test10 ', 'NOPE-1234'] },
      { lang: 'vi' },
    );
    expect(r.errors).toBeUndefined();
    const cart = r.data!.priceCart;
    const discount = 2 * Math.floor(regular / 10);
    expect(cart.subtotal.amount).toBe(2 * regular);
    expect(cart.discount.amount).toBe(discount);
    expect(cart.total).toEqual({ amount: 2 * regular - discount, currency: 'VND' });
    expect(cart.lines[0].appliedPromotions).toEqual([{ promotionId: promotion.id, reason: `Giảm 10% ${sku}` }]);
    expect(cart.appliedPromotions).toEqual([
      {
        promotionId: promotion.id,
        reason: `Giảm 10% ${sku}`,
        reasons: { en: `10% off ${sku}`, vi: `Giảm 10% ${sku}` },
        level: 'LINE',
        couponCode: 'TET-TEST10',
        amount: { amount: discount },
      },
    ]);
    // Signed out, every refused code looks alike (gateway/test/price-cart-limits.test.ts).
    expect(cart.rejectedCoupons).toEqual([{ code: 'NOPE-1234', reason: 'NOT_ACCEPTED' }]);
    const signedIn = await p.gql(
      PRICE_CART,
      { lines: [{ sku, quantity: 2 }], codes: ['NOPE-1234'] },
      { token: customer },
    );
    expect(signedIn.data!.priceCart.rejectedCoupons).toEqual([{ code: 'NOPE-1234', reason: 'UNKNOWN' }]);

    const listed = await p.gql(`{ promotions { id couponCode } }`, {}, { token: customer });
    expect(listed.data!.promotions).toContainEqual({ id: promotion.id, couponCode: null });
  });

  it('answers NOT_FOUND for an unknown SKU and BAD_USER_INPUT for a quantity outside 1..MAX_CART_LINE_QUANTITY', async () => {
    const unknown = await p.gql(PRICE_CART, { lines: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    for (const quantity of [0, p.config.MAX_CART_LINE_QUANTITY + 1]) {
      const r = await p.gql(PRICE_CART, { lines: [{ sku: 'SKU-000001', quantity }] });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lines[0].quantity' });
    }
  });
});

describe('near-expiry and archived products', () => {
  it('takes a near-expiry percentage off perishables expiring within the window, on the shelf and at checkout', async () => {
    const { rows } = await db.query<{ sku: string }>(
      `SELECT sku FROM products.product WHERE is_perishable ORDER BY sku LIMIT 2`,
    );
    const [soon, later] = rows.map((r) => r.sku);
    const inDays = (d: number) => new Date(Date.now() + d * 24 * HOUR).toISOString();
    for (const [sku, expiresAt] of [
      [soon, inDays(2)],
      [later, inDays(20)],
    ]) {
      const r = await p.gql(
        `mutation ($sku: String!, $at: DateTimeISO!) { updateProduct(sku: $sku, input: { expiresAt: $at }) { sku } }`,
        { sku, at: expiresAt },
        { token: staff },
      );
      expect(r.errors).toBeUndefined();
    }
    const created = await p.gql(
      CREATE,
      {
        input: {
          nameEn: '30% off near expiry',
          nameVi: 'Giảm 30% hàng cận date',
          kind: 'NEAR_EXPIRY',
          withinDays: 3,
          percent: 30,
          ...window(),
        },
      },
      { token: staff },
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createPromotion.id;
    const near = await shelf(soon);
    expect(near.promotion?.id).toBe(id);
    expect(near.currentPrice.amount).toBe(twentyOff(near.price.amount, 30));
    const far = await shelf(later);
    expect(far.promotion).toBeNull();
    const cart = (
      await p.gql(PRICE_CART, {
        lines: [
          { sku: soon, quantity: 2 },
          { sku: later, quantity: 1 },
        ],
      })
    ).data!.priceCart;
    expect(cart.lines[0].total.amount).toBe(2 * twentyOff(near.price.amount, 30));
    expect(cart.lines[1].total.amount).toBe(far.price.amount);
    await p.gql(ARCHIVE, { id }, { token: staff });
  });

  it('refuses to price an archived product', async () => {
    const r = await p.gql(`mutation { archiveProduct(sku: "SKU-000050") { sku } }`, {}, { token: staff });
    expect(r.errors).toBeUndefined();
    const priced = await p.gql(PRICE_CART, {
      lines: [
        { sku: 'SKU-000001', quantity: 1 },
        { sku: 'SKU-000050', quantity: 1 },
      ],
    });
    expect(priced.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lines[1].sku' });
  });
});

describe('promotions across replicas', () => {
  it('shows another replica the new current price once the event arrives', async () => {
    const sku = 'SKU-000012';
    const replica = await p.createReplica('products');
    const read = async () => {
      const r = await execute({
        schema: replica.schema,
        document: parse(`{ product(sku: "${sku}") { price { amount } currentPrice { amount } } }`),
        contextValue: replica.createContext({ locale: 'en' }),
      });
      return (r.data as { product: { price: { amount: number }; currentPrice: { amount: number } } }).product;
    };
    const before = await read(); // the replica now holds the live promotions for 30 s
    expect(before.currentPrice).toEqual(before.price);
    const created = await p.gql(CREATE, { input: skuDiscount(sku, 25) }, { token: staff });
    expect(created.errors).toBeUndefined();
    const expected = twentyOff(before.price.amount, 25);
    const t0 = performance.now();
    let seen = (await read()).currentPrice.amount;
    while (seen !== expected && performance.now() - t0 < 5_000) {
      await new Promise((res) => setTimeout(res, 10));
      seen = (await read()).currentPrice.amount;
    }
    expect(seen).toBe(expected);
  });
});
