// Checkout through the gateway on real PostgreSQL: the saga never oversells, never double-charges,
// and leaves nothing behind when it is refused, declined, times out or succeeds too late.
import { startTestPlatform, testMode, type TestPlatform } from '@grocery/gateway/testing';
import type { OrdersSubgraph } from '../index';
import { ADD, count, insertItems, level, ORDER, PLACE, placeInput, STORE, until, withDb } from './fixture';

const START_TIMEOUT_MS = 180_000;
let p: TestPlatform;
let staff: string;

beforeAll(async () => {
  p = await startTestPlatform({
    env: {
      // Hundreds of checkouts from one test client at once: the per-client limits are not under test here.
      MAX_CONCURRENT_OPERATIONS_PER_CLIENT: '1000',
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_COST_PER_MINUTE: '100000000',
      MAX_REJECTED_COUPON_CODES: '100000',
      PAYMENT_CALL_TIMEOUT_MS: '400',
      PAYMENT_SIMULATOR_DELAY_MS: '20',
      ORDER_SWEEP_MS: '200',
    },
  });
  staff = (await p.signIn(['staff'])).accessToken;
  await insertItems(p.database.url, [
    { sku: 'K-MILK', price: 32_000, onHand: 100 },
    { sku: 'K-RICE', price: 120_000, onHand: 100 },
    { sku: 'K-LAST10', price: 50_000, onHand: 10 },
    { sku: 'K-SHORT', price: 10_000, onHand: 2 },
    { sku: 'K-COUPON', price: 200_000, onHand: 1000 },
  ]);
}, START_TIMEOUT_MS);
afterAll(async () => p?.stop());

const simulator = () => (p.modules.orders as OrdersSubgraph | undefined)?.simulator;

async function guestCart(lines: { sku: string; quantity: number }[]): Promise<string> {
  const r = await p.gql(ADD, { cartId: null, lines });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!.addToCart.id;
}

const ADDRESS = {
  recipient: 'Nguyễn Văn A',
  phone: '0901234567',
  line1: '12 Lê Lợi',
  ward: 'Phường Bến Thành',
  province: 'Hồ Chí Minh',
};

const readOrder = async (id: string, token?: string) =>
  (await p.gql(ORDER, { id }, { token: token ?? staff })).data!.order;

describe('placeOrder', () => {
  it('with sim_approve: PENDING_PAYMENT at once, then CONFIRMED with the payment AUTHORIZED and the stock held', async () => {
    const cart = await guestCart([{ sku: 'K-MILK', quantity: 2 }]);
    const placed = await p.gql(PLACE, { input: placeInput(cart) });
    expect(placed.errors).toBeUndefined();
    const order = placed.data!.placeOrder;
    expect(order).toMatchObject({
      __typename: 'Order',
      status: 'PENDING_PAYMENT',
      total: { amount: 64_000, currency: 'VND' },
    });
    expect(order.payment.clientSecret).toEqual(expect.any(String));
    expect(order.accessToken).toEqual(expect.any(String));
    const started = Date.now();
    await until(
      async () => expect(await readOrder(order.id)).toMatchObject({ status: 'CONFIRMED', paymentStatus: 'AUTHORIZED' }),
      5_000,
    );
    // The issue asks for a second; measured here, not asserted (never timings in tests).
    console.log(`sim_approve → CONFIRMED in ${Date.now() - started} ms`);
    expect(await level(p.database.url, 'K-MILK')).toEqual({ onHand: 100, reserved: 2 });
    expect(
      await count(
        p.database.url,
        `SELECT count(*) AS n FROM orders.outbox_event WHERE subject = $1 AND type = 'order.placed'`,
        [order.id],
      ),
    ).toBe(1);
    // The guest reads it with its access token; nobody else does.
    expect((await p.gql(ORDER, { id: order.id, t: order.accessToken })).data!.order.status).toBe('CONFIRMED');
    expect((await p.gql(ORDER, { id: order.id, t: 'not-the-token' })).data!.order).toBeNull();
    const other = (await p.signIn(['customer'])).accessToken;
    expect((await p.gql(ORDER, { id: order.id }, { token: other })).data!.order).toBeNull();
  });

  it('with sim_decline: ends CANCELLED with the payment FAILED, and everything it held released', async () => {
    const cart = await guestCart([{ sku: 'K-RICE', quantity: 3 }]);
    const order = (await p.gql(PLACE, { input: placeInput(cart, {}, 'sim_decline') })).data!.placeOrder;
    expect(order.__typename).toBe('Order');
    await until(
      async () => expect(await readOrder(order.id)).toMatchObject({ status: 'CANCELLED', paymentStatus: 'FAILED' }),
      5_000,
    );
    await until(async () => expect(await level(p.database.url, 'K-RICE')).toEqual({ onHand: 100, reserved: 0 }), 5_000);
  });

  it('when the provider times out: PaymentUnavailable, nothing held, and the late success is given back', async () => {
    const cart = await guestCart([{ sku: 'K-RICE', quantity: 1 }]);
    const r = (await p.gql(PLACE, { input: placeInput(cart, {}, 'sim_timeout') })).data!.placeOrder;
    expect(r).toMatchObject({ __typename: 'PaymentUnavailable', errorCode: 'PAYMENT_UNAVAILABLE' });
    expect(await level(p.database.url, 'K-RICE')).toEqual({ onHand: 100, reserved: 0 });
    const orderId = await withDb(
      p.database.url,
      async (db) => (await db.query(`SELECT id FROM orders.customer_order ORDER BY placed_at DESC LIMIT 1`)).rows[0].id,
    );
    expect((await readOrder(orderId)).status).toBe('CANCELLED');
    // The simulator succeeds after the call gave up: the authorization is voided, the order stays cancelled.
    await until(async () => {
      const row = await withDb(
        p.database.url,
        async (db) =>
          (await db.query(`SELECT provider_ref, failure_reason FROM orders.payment WHERE order_id = $1`, [orderId]))
            .rows[0],
      );
      expect(row.failure_reason).toBe('late_success_given_back');
      if (simulator())
        expect((await simulator()!.query({ paymentId: '', providerRef: row.provider_ref, orderId }))?.status).toBe(
          'CANCELLED',
        );
    }, 5_000);
    expect((await readOrder(orderId)).status).toBe('CANCELLED');
  });

  it('answers OutOfStock with every short line and what could replace it, reserving nothing', async () => {
    // A same-aisle product in stock at the store, as the catalog learns it from stock's events.
    await insertItems(p.database.url, [{ sku: 'K-SHORT-ALT', price: 11_000, onHand: 0 }]);
    const adjusted = await p.gql(
      `mutation { adjustStock(input: { sku: "K-SHORT-ALT", locationId: "${STORE}", delta: 7, reason: "delivery" }) { onHand } }`,
      {},
      { token: staff },
    );
    expect(adjusted.errors).toBeUndefined();
    const cart = await guestCart([
      { sku: 'K-MILK', quantity: 1 },
      { sku: 'K-SHORT', quantity: 5 },
    ]);
    const before = await level(p.database.url, 'K-MILK');
    const r = (await p.gql(PLACE, { input: placeInput(cart) })).data!.placeOrder;
    expect(r).toMatchObject({
      __typename: 'OutOfStock',
      errorCode: 'OUT_OF_STOCK',
      sku: 'K-SHORT',
      requested: 5,
      available: 2,
      lines: [{ sku: 'K-SHORT', requested: 5, available: 2 }],
    });
    await until(async () => {
      const again = (await p.gql(PLACE, { input: placeInput(cart) })).data!.placeOrder;
      expect(again.lines[0].substitutes).toContainEqual({ sku: 'K-SHORT-ALT' });
    });
    expect(await level(p.database.url, 'K-MILK')).toEqual(before);
    expect(await level(p.database.url, 'K-SHORT')).toEqual({ onHand: 2, reserved: 0 });
  });

  it('checks out a meal kit: every component reserved, the kit priced at its own price', async () => {
    await insertItems(p.database.url, [
      { sku: 'K-KIT-A', price: 40_000, onHand: 10 },
      { sku: 'K-KIT-B', price: 30_000, onHand: 3 },
    ]);
    const created = await p.gql(
      `mutation ($input: CreateBundleInput!) { createBundle(input: $input) { id } }`,
      {
        input: {
          slug: 'lau-thu',
          nameEn: 'Test hotpot',
          nameVi: 'Lẩu thử',
          price: { amount: 99_000 },
          components: [
            { sku: 'K-KIT-A', quantity: 2 },
            { sku: 'K-KIT-B', quantity: 1 },
          ],
        },
      },
      { token: staff },
    );
    expect(created.errors).toBeUndefined();
    const bundleId = created.data!.createBundle.id;
    const cart = (await p.gql(ADD, { cartId: null, lines: [{ bundleId, quantity: 2 }] })).data!.addToCart;
    expect(cart.total.amount).toBe(198_000);
    const order = (await p.gql(PLACE, { input: placeInput(cart.id, { payment: { provider: 'CASH_ON_DELIVERY' } }) }))
      .data!.placeOrder;
    expect(order).toMatchObject({ __typename: 'Order', status: 'CONFIRMED', total: { amount: 198_000 } });
    expect(await level(p.database.url, 'K-KIT-A')).toEqual({ onHand: 10, reserved: 4 });
    expect(await level(p.database.url, 'K-KIT-B')).toEqual({ onHand: 3, reserved: 2 });
    // Two more kits need two more of B, of which one is left: short on the component.
    const more = (await p.gql(ADD, { cartId: null, lines: [{ bundleId, quantity: 2 }] })).data!.addToCart;
    const short = (await p.gql(PLACE, { input: placeInput(more.id) })).data!.placeOrder;
    expect(short).toMatchObject({ __typename: 'OutOfStock', lines: [{ sku: 'K-KIT-B', requested: 2, available: 1 }] });
  });

  it('answers PaymentDeclined when the provider refuses at once, and holds nothing', async () => {
    const cart = await guestCart([{ sku: 'K-RICE', quantity: 2 }]);
    const r = (await p.gql(PLACE, { input: placeInput(cart, {}, 'sim_no_such_card') })).data!.placeOrder;
    expect(r).toMatchObject({ __typename: 'PaymentDeclined', errorCode: 'PAYMENT_DECLINED' });
    expect((await readOrder(r.orderId)).status).toBe('CANCELLED');
    await until(async () => expect(await level(p.database.url, 'K-RICE')).toMatchObject({ reserved: 0 }));
  });

  it('answers CartEmpty and PriceChanged as typed results', async () => {
    const empty = await guestCart([{ sku: 'K-MILK', quantity: 1 }]);
    await p.gql(`mutation ($c: ID!, $l: ID!) { removeCartLine(cartId: $c, lineId: $l) { id } }`, {
      c: empty,
      l: (await p.gql(`query ($id: ID!) { cart(id: $id) { lines { id } } }`, { id: empty })).data!.cart.lines[0].id,
    });
    expect((await p.gql(PLACE, { input: placeInput(empty) })).data!.placeOrder.__typename).toBe('CartEmpty');
    const cart = await guestCart([{ sku: 'K-MILK', quantity: 1 }]);
    const changed = (await p.gql(PLACE, { input: placeInput(cart, { expectedTotal: 31_000 }) })).data!.placeOrder;
    expect(changed).toMatchObject({
      __typename: 'PriceChanged',
      expectedTotal: { amount: 31_000 },
      total: { amount: 32_000 },
    });
  });

  it('500 concurrent checkouts for 10 units: exactly 10 orders, nothing oversold, no reservation left over', async () => {
    const carts = await Promise.all(Array.from({ length: 500 }, () => guestCart([{ sku: 'K-LAST10', quantity: 1 }])));
    const answers = await Promise.all(
      carts.map((c) => p.gql(PLACE, { input: placeInput(c, { payment: { provider: 'CASH_ON_DELIVERY' } }) })),
    );
    expect(answers.filter((a) => a.errors)).toEqual([]);
    const kinds = answers.map((a) => a.data!.placeOrder.__typename);
    expect(kinds.filter((k) => k === 'Order')).toHaveLength(10);
    expect(kinds.filter((k) => k === 'OutOfStock')).toHaveLength(490);
    expect(await level(p.database.url, 'K-LAST10')).toEqual({ onHand: 10, reserved: 10 });
    expect(await count(p.database.url, `SELECT count(*) AS n FROM orders.order_line WHERE sku = 'K-LAST10'`)).toBe(10);
    // No reservation held for any refused attempt: what stock holds is exactly the ten orders'.
    expect(
      await count(
        p.database.url,
        `SELECT coalesce(sum(reserved), 0) AS n FROM stock.stock_level WHERE sku = 'K-LAST10'`,
      ),
    ).toBe(10);
  });

  it('200 concurrent checkouts for a coupon with one use left: exactly one gets it', async () => {
    const created = await p.gql(
      `mutation ($input: PromotionInput!) { createPromotion(input: $input) { id } }`,
      {
        input: {
          nameEn: 'Last use',
          nameVi: 'Lượt cuối',
          kind: 'SKU_DISCOUNT',
          skus: ['K-COUPON'],
          percent: 10,
          validFrom: new Date(Date.now() - 3_600_000).toISOString(),
          validUntil: new Date(Date.now() + 86_400_000).toISOString(),
          couponCode: 'LASTONE',
          usageLimit: 1,
        },
      },
      { token: staff },
    );
    expect(created.errors).toBeUndefined();
    const carts = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const id = await guestCart([{ sku: 'K-COUPON', quantity: 1 }]);
        await p.gql(
          `mutation ($c: ID!) { setCartFulfilment(cartId: $c, input: { couponCodes: ["LASTONE"] }) { id } }`,
          { c: id },
        );
        return id;
      }),
    );
    const answers = await Promise.all(
      carts.map((c) => p.gql(PLACE, { input: placeInput(c, { payment: { provider: 'CASH_ON_DELIVERY' } }) })),
    );
    expect(answers.filter((a) => a.errors)).toEqual([]);
    const kinds = answers.map((a) => a.data!.placeOrder.__typename);
    expect(kinds.filter((k) => k === 'Order')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'CouponNotApplicable')).toHaveLength(199);
    expect(
      await count(p.database.url, `SELECT used_count AS n FROM products.promotion WHERE coupon_code = 'LASTONE'`),
    ).toBe(1);
    // The refused ones hold no stock either.
    expect(await level(p.database.url, 'K-COUPON')).toEqual({ onHand: 1000, reserved: 1 });
  });

  it('bounds the orders one customer may leave waiting for payment', async () => {
    const dan = (await p.signIn(['customer'])).accessToken;
    const placeOne = async () => {
      const cart = (await p.gql(ADD, { cartId: null, lines: [{ sku: 'K-MILK', quantity: 1 }] }, { token: dan })).data!
        .addToCart.id;
      return p.gql(PLACE, { input: { ...placeInput(cart, {}, 'sim_requires_action'), email: null } }, { token: dan });
    };
    for (let i = 0; i < 5; i++) expect((await placeOne()).data!.placeOrder.__typename).toBe('Order');
    const sixth = await placeOne();
    expect(sixth.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'pendingOrders', max: 5 });
    // The refused attempt wrote nothing: five orders, all waiting.
    const me = (await p.gql(`{ me { id orders(first: 10) { totalCount } } }`, {}, { token: dan })).data!.me;
    expect(me.orders.totalCount).toBe(5);
  });

  // Only the distributed pass runs stock behind its own server, which can be taken down.
  (testMode() === 'distributed' ? it : it.skip)(
    'answers SUBGRAPH_UNAVAILABLE while stock is down, holding nothing, and the same key places the order once it is back',
    async () => {
      const cart = await guestCart([{ sku: 'K-RICE', quantity: 1 }]);
      const input = placeInput(cart, { payment: { provider: 'CASH_ON_DELIVERY' } });
      await p.services!.stopServer('stock');
      try {
        const down = await p.gql(PLACE, { input });
        expect(down.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
      } finally {
        await p.services!.restartServer('stock');
      }
      expect(
        await count(p.database.url, `SELECT count(*) AS n FROM orders.checkout WHERE idempotency_key = $1`, [
          input.idempotencyKey,
        ]),
      ).toBe(0);
      const before = await level(p.database.url, 'K-RICE');
      const back = (await p.gql(PLACE, { input })).data!.placeOrder;
      expect(back).toMatchObject({ __typename: 'Order', status: 'CONFIRMED' });
      expect(await level(p.database.url, 'K-RICE')).toEqual({ ...before, reserved: before.reserved + 1 });
    },
  );

  it('keeps the service-only steps of checkout out of clients’ reach', async () => {
    const customer = (await p.signIn(['customer'])).accessToken;
    for (const op of [
      `mutation { claimCouponUses(orderId: "x", codes: ["LASTONE"]) { claimed } }`,
      `mutation { releaseCouponUses(orderId: "x") }`,
      `mutation { releaseOrderStock(orderId: "x") { status } }`,
      `query { priceCartFor(lines: [{ sku: "K-MILK", quantity: 1 }], couponCodes: [], clientKey: "x") { total { amount } } }`,
    ])
      for (const token of [customer, staff])
        expect((await p.gql(op, {}, { token })).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('the same idempotencyKey 20 times at once: one order, one charge, the same answer', async () => {
    const cart = await guestCart([{ sku: 'K-MILK', quantity: 1 }]);
    const input = placeInput(cart);
    const answers = await Promise.all(Array.from({ length: 20 }, () => p.gql(PLACE, { input })));
    expect(answers.filter((a) => a.errors)).toEqual([]);
    const ids = new Set(answers.map((a) => a.data!.placeOrder.id));
    expect(ids.size).toBe(1);
    const [orderId] = [...ids];
    expect(await count(p.database.url, `SELECT count(*) AS n FROM orders.payment WHERE order_id = $1`, [orderId])).toBe(
      1,
    );
    await until(async () => expect((await readOrder(orderId!)).status).toBe('CONFIRMED'), 5_000);
    expect(
      await count(p.database.url, `SELECT count(*) AS n FROM orders.customer_order WHERE id = $1`, [orderId]),
    ).toBe(1);
    // A customer's key is theirs across carts: reused for a different checkout, it is refused.
    const carol = (await p.signIn(['customer'])).accessToken;
    const mine = (await p.gql(ADD, { cartId: null, lines: [{ sku: 'K-MILK', quantity: 1 }] }, { token: carol })).data!
      .addToCart.id;
    const key = { ...placeInput(mine), email: null };
    const first = await p.gql(PLACE, { input: key }, { token: carol });
    expect(first.data!.placeOrder.__typename).toBe('Order');
    const reused = await p.gql(
      PLACE,
      {
        input: { ...key, fulfilment: { type: 'DELIVERY', locationId: STORE, address: ADDRESS, slotHoldId: 'a-hold' } },
      },
      { token: carol },
    );
    expect(reused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('refuses forged webhooks and ignores replayed and out-of-order ones', async () => {
    const cart = await guestCart([{ sku: 'K-MILK', quantity: 1 }]);
    const order = (await p.gql(PLACE, { input: placeInput(cart) })).data!.placeOrder;
    await until(async () => expect((await readOrder(order.id)).status).toBe('CONFIRMED'), 5_000);
    const payment = await withDb(
      p.database.url,
      async (db) =>
        (await db.query(`SELECT id, provider_ref FROM orders.payment WHERE order_id = $1`, [order.id])).rows[0],
    );
    const body = (status: string, id: string) =>
      JSON.stringify({
        id,
        type: 'payment.updated',
        created: Date.now(),
        data: { paymentId: payment.id, providerRef: payment.provider_ref, status, amount: 32_000 },
      });
    const post = (raw: string, signature?: string) =>
      p.fetch('/webhooks/payments/simulator', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(signature ? { 'x-simulator-signature': signature } : {}) },
        body: raw,
      });
    const sim = simulator();
    // Forged: no signature, a signature by another key, an altered body.
    expect((await post(body('FAILED', 'evt_forged1'))).status).toBe(400);
    expect(
      (await post(body('FAILED', 'evt_forged2'), `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`)).status,
    ).toBe(400);
    if (sim) {
      const signed = body('FAILED', 'evt_altered');
      expect((await post(signed.replace('FAILED', 'CAPTURED'), sim.sign(signed))).status).toBe(400);
      // Too old to be believed (a replay from long ago).
      const old = body('FAILED', 'evt_old');
      expect((await post(old, sim.sign(old, Date.now() - 600_000))).status).toBe(400);
      // Out of order: a FAILED after AUTHORIZED changes nothing; sent twice, recorded once.
      const late = body('FAILED', 'evt_late');
      expect((await post(late, sim.sign(late))).status).toBe(200);
      expect((await post(late, sim.sign(late))).status).toBe(200);
      expect(
        await count(p.database.url, `SELECT count(*) AS n FROM orders.payment_event WHERE event_id = 'evt_late'`),
      ).toBe(1);
    }
    expect(await readOrder(order.id)).toMatchObject({ status: 'CONFIRMED', paymentStatus: 'AUTHORIZED' });
  });
});
