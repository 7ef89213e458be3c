// priceCart under hostile input, through the gateway: oversized carts and strings refused before
// any work, totals beyond 32 bits answered exactly (and beyond 53 bits refused, not a 500), and
// coupon codes that cannot be probed: a signed-out caller cannot tell a real code from a made-up
// one, and each client may have only so many codes refused before further codes are not read.
import { execute, parse } from 'graphql';
import { startTestPlatform, type CallOptions, type TestPlatform } from '@grocery/gateway/testing';

const PRICE_CART = `query ($lines: [CartLineInput!]!, $codes: [String!]) { priceCart(lines: $lines, couponCodes: $codes) {
  lines { sku quantity unitPrice { amount currency } regularTotal { amount } discount { amount } total { amount }
    appliedPromotions { promotionId amount { amount } reason } }
  subtotal { amount currency } lineDiscount { amount } discountedSubtotal { amount } orderDiscount { amount }
  discount { amount } total { amount currency }
  appliedPromotions { promotionId level couponCode amount { amount } }
  rejectedCoupons { code reason } } }`;
const CREATE_PROMOTION = `mutation ($input: PromotionInput!) { createPromotion(input: $input) { id couponCode } }`;
const SET_PRICE = `mutation ($sku: String!, $amount: SafeInt!) {
  updateProduct(sku: $sku, input: { price: { amount: $amount } }) { sku price { amount currency } } }`;

const HOUR = 3_600_000;
const window = () => ({
  validFrom: new Date(Date.now() - HOUR).toISOString(),
  validUntil: new Date(Date.now() + 24 * HOUR).toISOString(),
});
const sku = (n: number) => `SKU-${String(n).padStart(6, '0')}`;
/** `n` lines cycling over the first 40 seeded SKUs. */
const cartOf = (n: number, quantity = 1) => Array.from({ length: n }, (_, i) => ({ sku: sku((i % 40) + 1), quantity }));
/** A caller behind its own address (the gateway trusts X-Forwarded-For from loopback). */
const fromAddress = (address: string): CallOptions => ({ headers: { 'x-forwarded-for': address } });

let p: TestPlatform;
let staff: string;

beforeAll(async () => {
  // The burst below sends 20 operations at once from one client: above the gateway's default of
  // 8 in flight per client, which would refuse some of them (RATE_LIMITED, limit "concurrency")
  // before products counted their codes.
  p = await startTestPlatform({ seedSkus: 50, env: { MAX_CONCURRENT_OPERATIONS_PER_CLIENT: '32' } });
  staff = (await p.signIn(['staff'])).accessToken;
});
afterAll(async () => {
  await p?.stop();
});

const price = (lines: unknown[], codes?: string[], opts?: CallOptions) => p.gql(PRICE_CART, { lines, codes }, opts);

describe('cart limits, checked in products before any work', () => {
  it('refuses more lines than MAX_CART_LINES, naming the field and the limit, before looking up a SKU', async () => {
    const max = p.config.MAX_CART_LINES;
    expect(max).toBe(200);
    const ok = await price(cartOf(max));
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.priceCart.lines).toHaveLength(max);

    // SKUs that do not exist: were any work done first, this would be NOT_FOUND.
    const tooMany = Array.from({ length: max + 1 }, (_, i) => ({ sku: `NO-SUCH-${i}`, quantity: 1 }));
    const r = await price(tooMany);
    expect(r.data).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lines', limit: 'lines', max });
  });

  it('refuses the carts that took seconds of CPU before: 500 lines of 100 units, and the ~7,000 lines a 256 KiB body holds', async () => {
    const attack = await price(cartOf(500, 100));
    expect(attack.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'lines' });
    const lines = cartOf(7_000, 100);
    expect(JSON.stringify({ query: PRICE_CART, variables: { lines } }).length).toBeLessThan(p.config.MAX_BODY_BYTES);
    // So many lines cost more than one operation may (3 each): refused at the gateway, before products.
    const biggest = await price(lines);
    expect(biggest.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost' });
    expect((await p.fetch('/healthz')).status).toBe(200);
  });

  it('refuses a quantity outside 1..MAX_CART_LINE_QUANTITY on the line that has it', async () => {
    const max = p.config.MAX_CART_LINE_QUANTITY;
    expect(max).toBe(999);
    const ok = await price([{ sku: sku(1), quantity: max }]);
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.priceCart.lines[0].quantity).toBe(max);
    for (const quantity of [max + 1, 10_000, 0, -1]) {
      const r = await price([
        { sku: sku(1), quantity: 1 },
        { sku: sku(2), quantity },
      ]);
      expect(r.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'lines[1].quantity',
        limit: 'quantity',
        max,
      });
    }
  });

  it('refuses more coupon codes than MAX_CART_COUPON_CODES, and SKUs or codes longer than their formats allow', async () => {
    const max = p.config.MAX_CART_COUPON_CODES;
    expect(max).toBe(5);
    const codes = Array.from({ length: max + 1 }, (_, i) => `GUESS-${i}`);
    const many = await price(cartOf(1), codes);
    expect(many.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'couponCodes',
      limit: 'couponCodes',
      max,
    });

    const longSku = await price([
      { sku: sku(1), quantity: 1 },
      { sku: 'X'.repeat(41), quantity: 1 },
    ]);
    expect(longSku.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'lines[1].sku',
      limit: 'skuLength',
      max: 40,
    });
    const hugeSku = await price([{ sku: 'X'.repeat(200_000), quantity: 1 }]);
    expect(hugeSku.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'skuLength' });

    const longCode = await price(cartOf(1), ['OK-CODE', `  ${'A'.repeat(33)}  `]);
    expect(longCode.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'couponCodes[1]',
      limit: 'couponCodeLength',
      max: 32,
    });
    // 32 characters plus the spaces customers paste around a code is still a code.
    const padded = await price(cartOf(1), [`  ${'A'.repeat(32)}  `], fromAddress('192.0.2.99'));
    expect(padded.errors).toBeUndefined();
    expect(padded.data!.priceCart.rejectedCoupons).toEqual([{ code: 'A'.repeat(32), reason: 'NOT_ACCEPTED' }]);
  });
});

describe('money beyond 32 bits', () => {
  it('answers totals above 2^31 − 1 exactly (SafeInt), where Int answered INTERNAL_SERVER_ERROR', async () => {
    const dear = sku(45);
    const set = await p.gql(SET_PRICE, { sku: dear, amount: 1_000_000_000 }, { token: staff });
    expect(set.errors).toBeUndefined();
    expect(set.data!.updateProduct.price).toEqual({ amount: 1_000_000_000, currency: 'VND' });
    const quantity = p.config.MAX_CART_LINE_QUANTITY;
    const r = await price(Array.from({ length: 10 }, () => ({ sku: dear, quantity })));
    expect(r.errors).toBeUndefined();
    const cart = r.data!.priceCart;
    const total = 10 * quantity * 1_000_000_000;
    expect(total).toBeGreaterThan(2 ** 31 - 1);
    expect(cart.lines[0].regularTotal.amount).toBe(quantity * 1_000_000_000);
    expect(cart.subtotal).toEqual({ amount: total, currency: 'VND' });
    expect(cart.total).toEqual({ amount: total, currency: 'VND' });
  });
});

describe('coupon codes cannot be probed', () => {
  const WELCOME = 'WELCOME30-PROBE';
  beforeAll(async () => {
    // Real, live, but out of reach of a small cart: 30% off orders of 50 million đ or more.
    const r = await p.gql(
      CREATE_PROMOTION,
      {
        input: {
          nameEn: 'Welcome 30%',
          nameVi: 'Chào mừng 30%',
          kind: 'ORDER_THRESHOLD',
          minSubtotal: 50_000_000,
          percent: 30,
          couponCode: WELCOME,
          ...window(),
        },
      },
      { token: staff },
    );
    expect(r.errors).toBeUndefined();
  });

  it('tells a signed-out caller the same about a real code it cannot use and one that does not exist', async () => {
    const cart = cartOf(2);
    const real = await price(cart, [WELCOME], fromAddress('192.0.2.1'));
    const madeUp = await price(cart, ['NOPE123-PROBE'], fromAddress('192.0.2.1'));
    expect(real.errors).toBeUndefined();
    expect(real.data!.priceCart.rejectedCoupons).toEqual([{ code: WELCOME, reason: 'NOT_ACCEPTED' }]);
    // Everything else identical, field by field, once the code itself is set aside.
    const withoutCode = (data: unknown) =>
      JSON.stringify(data).replaceAll(WELCOME, '<code>').replaceAll('NOPE123-PROBE', '<code>');
    expect(withoutCode(madeUp)).toBe(withoutCode(real));

    // A signed-in customer is told why.
    const customer = (await p.signIn(['customer'])).accessToken;
    const told = await price(cart, [WELCOME, 'NOPE123-PROBE'], { token: customer });
    expect(told.data!.priceCart.rejectedCoupons).toEqual([
      { code: WELCOME, reason: 'MIN_ORDER_NOT_MET' },
      { code: 'NOPE123-PROBE', reason: 'UNKNOWN' },
    ]);
  });

  it('refuses the 11th refused code from one client with RATE_LIMITED, unread; other clients are unaffected', async () => {
    const max = p.config.MAX_REJECTED_COUPON_CODES;
    expect(max).toBe(10);
    const guesser = fromAddress('198.51.100.7');
    const coupon = await p.gql(
      CREATE_PROMOTION,
      {
        input: {
          nameEn: '5% off',
          nameVi: 'Giảm 5%',
          kind: 'SKU_DISCOUNT',
          skus: [sku(3)],
          percent: 5,
          couponCode: 'REAL-5',
          ...window(),
        },
      },
      { token: staff },
    );
    expect(coupon.errors).toBeUndefined();
    const applies = async (opts: CallOptions) => {
      const r = await price([{ sku: sku(3), quantity: 1 }], ['REAL-5'], opts);
      expect(r.errors).toBeUndefined();
      return r.data!.priceCart.appliedPromotions.map((a: { couponCode: string }) => a.couponCode);
    };
    // Codes that apply are not guesses: they never count.
    for (let i = 0; i < max + 2; i++) expect(await applies(guesser)).toEqual(['REAL-5']);

    // Ten refused codes (in calls of 4, 4 and 2), each answered.
    for (const batch of [
      ['G-01', 'G-02', 'G-03', 'G-04'],
      ['G-05', 'G-06', 'G-07', 'G-08'],
      ['G-09', WELCOME],
    ]) {
      const r = await price(cartOf(1), batch, guesser);
      expect(r.errors).toBeUndefined();
      expect(r.data!.priceCart.rejectedCoupons).toHaveLength(batch.length);
    }
    // The 11th is refused without being read: even a code that would apply.
    for (const codes of [['G-11'], ['REAL-5']]) {
      const r = await price([{ sku: sku(3), quantity: 1 }], codes, guesser);
      expect(r.data).toBeNull();
      expect(r.errors![0].extensions).toMatchObject({
        code: 'RATE_LIMITED',
        field: 'couponCodes',
        limit: 'rejectedCouponCodes',
        max,
      });
      const retryAfterSeconds = r.errors![0].extensions!.retryAfterSeconds as number;
      expect(retryAfterSeconds).toBeGreaterThan(0);
      expect(retryAfterSeconds).toBeLessThanOrEqual(p.config.REJECTED_COUPON_CODES_WINDOW_SECONDS);
    }
    // The guesser can still price a cart without codes.
    const plain = await price(cartOf(3), [], guesser);
    expect(plain.errors).toBeUndefined();

    // Another address, and a signed-in customer on the guesser's address, still get answers.
    const other = await price(cartOf(1), ['G-12'], fromAddress('198.51.100.8'));
    expect(other.data!.priceCart.rejectedCoupons).toEqual([{ code: 'G-12', reason: 'NOT_ACCEPTED' }]);
    const customer = (await p.signIn(['customer'])).accessToken;
    const signedIn = await price(cartOf(1), ['G-13'], { ...guesser, token: customer });
    expect(signedIn.data!.priceCart.rejectedCoupons).toEqual([{ code: 'G-13', reason: 'UNKNOWN' }]);
    expect(await applies({ ...guesser, token: customer })).toEqual(['REAL-5']);
  });

  it('counts a burst of concurrent guesses exactly: 20 at once, 10 answered and 10 refused', async () => {
    const burst = fromAddress('198.51.100.20');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => price(cartOf(1), [`BURST-${i}`], burst)));
    const answered = results.filter((r) => r.data?.priceCart?.rejectedCoupons?.length === 1);
    const refused = results.filter(
      (r) =>
        r.errors?.[0]?.extensions?.code === 'RATE_LIMITED' && r.errors[0].extensions.limit === 'rejectedCouponCodes',
    );
    expect([answered.length, refused.length]).toEqual([10, 10]);
  });

  it('shares one client budget between products replicas when REDIS_URL is set', async () => {
    const address = '198.51.100.30';
    for (const batch of [
      ['R-1', 'R-2', 'R-3', 'R-4', 'R-5'],
      ['R-6', 'R-7', 'R-8', 'R-9', 'R-10'],
    ])
      expect((await price(cartOf(1), batch, fromAddress(address))).errors).toBeUndefined();
    // The same client on another replica (the gateway would balance across them).
    const replica = await p.createReplica('products');
    const r = await execute({
      schema: replica.schema,
      document: parse(
        `{ priceCart(lines: [{ sku: "${sku(1)}", quantity: 1 }], couponCodes: ["R-11"]) { rejectedCoupons { reason } } }`,
      ),
      contextValue: replica.createContext({ locale: 'en', clientKey: `ip:${address}` }),
    });
    if (p.config.REDIS_URL) expect(r.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // Without Redis each replica counts in its own process.
    else expect(r.data).toEqual({ priceCart: { rejectedCoupons: [{ reason: 'NOT_ACCEPTED' }] } });
  });
});

describe('a total beyond 2^53 − 1 with the limits raised', () => {
  let raised: TestPlatform;
  beforeAll(async () => {
    raised = await startTestPlatform({ seedSkus: 5, env: { MAX_CART_LINE_QUANTITY: '100000000' } });
  });
  afterAll(async () => {
    await raised?.stop();
  });

  it('is refused with BAD_USER_INPUT naming the limit, never an inexact total or a 500', async () => {
    const token = (await raised.signIn(['staff'])).accessToken;
    expect((await raised.gql(SET_PRICE, { sku: sku(1), amount: 1_000_000_000 }, { token })).errors).toBeUndefined();
    const quantity = 9_007_200; // × 1,000,000,000 đ > 2^53 − 1
    const r = await raised.gql(PRICE_CART, { lines: [{ sku: sku(1), quantity }] });
    expect(r.data).toBeNull();
    expect(r.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'lines',
      limit: 'total',
      max: Number.MAX_SAFE_INTEGER,
    });
    const fits = await raised.gql(PRICE_CART, { lines: [{ sku: sku(1), quantity: 9_007_199 }] });
    expect(fits.data!.priceCart.total.amount).toBe(9_007_199 * 1_000_000_000);
  });
});
