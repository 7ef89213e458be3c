// Carts through the gateway: guests and customers, lines of SKUs and bundles with their
// preferences, priced by products, merged on sign-in, bounded.
import { startTestPlatform, type TestPlatform } from '@grocery/gateway/testing';
import { ADD, CART, count, insertItems, STORE } from './fixture';

const START_TIMEOUT_MS = 180_000;
let p: TestPlatform;
let alice: string;
let bob: string;

beforeAll(async () => {
  p = await startTestPlatform({ env: { MAX_CART_LINES: '5', MAX_CART_LINE_QUANTITY: '50' } });
  await insertItems(p.database.url, [
    { sku: 'C-MILK', price: 32_000, onHand: 10 },
    { sku: 'C-RICE', price: 120_000, onHand: 3 },
    { sku: 'C-EGGS', price: 45_000, onHand: 0 },
  ]);
  alice = (await p.signIn(['customer'])).accessToken;
  bob = (await p.signIn(['customer'])).accessToken;
}, START_TIMEOUT_MS);
afterAll(async () => p?.stop());

describe('carts', () => {
  it('gives a guest a new cart priced in VND, readable by its id with product names from the catalog', async () => {
    const added = await p.gql(ADD, {
      cartId: null,
      lines: [
        { sku: 'C-MILK', quantity: 2, substitution: 'NONE', note: 'không đá' },
        { sku: 'C-RICE', quantity: 1, substitution: 'SPECIFIC', substituteSku: 'C-MILK' },
      ],
    });
    expect(added.errors).toBeUndefined();
    const cart = added.data!.addToCart;
    expect(cart.total).toEqual({ amount: 2 * 32_000 + 120_000, currency: 'VND' });
    expect(
      cart.lines.map((l: { sku: string; quantity: number; note: string | null }) => [l.sku, l.quantity, l.note]),
    ).toEqual([
      ['C-MILK', 2, 'không đá'],
      ['C-RICE', 1, null],
    ]);
    const read = await p.gql(CART, { id: cart.id }, { lang: 'vi' });
    expect(read.data!.cart.lines[0].product.name).toBe('Hàng C-MILK');
    // Adding the same SKU again sums into its line.
    const again = await p.gql(ADD, { cartId: cart.id, lines: [{ sku: 'C-MILK', quantity: 3 }] });
    expect(again.data!.addToCart.lines[0].quantity).toBe(5);
  });

  it('keeps a customer’s cart to themself: another customer reads null and cannot add to it', async () => {
    const mine = await p.gql(ADD, { cartId: null, lines: [{ sku: 'C-MILK', quantity: 1 }] }, { token: alice });
    const id = mine.data!.addToCart.id;
    expect((await p.gql(CART, { id }, { token: bob })).data!.cart).toBeNull();
    expect((await p.gql(CART, { id })).data!.cart).toBeNull();
    const theirs = await p.gql(ADD, { cartId: id, lines: [{ sku: 'C-MILK', quantity: 1 }] }, { token: bob });
    expect(theirs.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // Alice's own second add without a cart id lands in the same cart.
    const second = await p.gql(ADD, { cartId: null, lines: [{ sku: 'C-RICE', quantity: 1 }] }, { token: alice });
    expect(second.data!.addToCart.id).toBe(id);
    expect((await p.gql(`{ me { cart { id itemCount } } }`, {}, { token: alice })).data!.me.cart).toEqual({
      id,
      itemCount: 2,
    });
  });

  it('merges a guest cart into the customer’s on sign-in: quantities summed, what it adds capped by stock', async () => {
    const carol = (await p.signIn(['customer'])).accessToken;
    await p.gql(
      `mutation { setCartFulfilment(cartId: "${(await p.gql(ADD, { cartId: null, lines: [{ sku: 'C-RICE', quantity: 1 }] }, { token: carol })).data!.addToCart.id}", input: { locationId: "${STORE}" }) { id } }`,
      {},
      { token: carol },
    );
    const guest = (
      await p.gql(ADD, {
        cartId: null,
        lines: [
          { sku: 'C-RICE', quantity: 5 },
          { sku: 'C-MILK', quantity: 2 },
        ],
      })
    ).data!.addToCart;
    const merged = await p.gql(
      `mutation ($g: ID!) { mergeCart(guestCartId: $g) { lines { sku quantity } } }`,
      { g: guest.id },
      { token: carol },
    );
    expect(merged.errors).toBeUndefined();
    const bySku = Object.fromEntries(
      merged.data!.mergeCart.lines.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity]),
    );
    // 1 + 5 rice, but the store has 3: capped at 3. Milk: 2 (10 in stock).
    expect(bySku).toEqual({ 'C-RICE': 3, 'C-MILK': 2 });
    expect((await p.gql(CART, { id: guest.id })).data!.cart).toBeNull();
    // The cart shows each line's stock at its store (from stock, through the gateway).
    const shown = await p.gql(
      `{ me { cart { locationId lines { sku stockLevel { available } } } } }`,
      {},
      { token: carol },
    );
    expect(shown.data!.me.cart.locationId).toBe(STORE);
    expect(
      Object.fromEntries(
        shown.data!.me.cart.lines.map((l: { sku: string; stockLevel: { available: number } }) => [
          l.sku,
          l.stockLevel.available,
        ]),
      ),
    ).toEqual({ 'C-RICE': 3, 'C-MILK': 10 });
  });

  it('refuses bad lines with BAD_USER_INPUT and writes nothing', async () => {
    const before = await count(p.database.url, `SELECT count(*) AS n FROM orders.cart_line`);
    const cases: [string, unknown[]][] = [
      ['no item', [{ quantity: 1 }]],
      ['both sku and bundle', [{ sku: 'C-MILK', bundleId: '00000000-0000-0000-0000-000000000000', quantity: 1 }]],
      ['zero quantity', [{ sku: 'C-MILK', quantity: 0 }]],
      ['too many units', [{ sku: 'C-MILK', quantity: 51 }]],
      ['unknown sku', [{ sku: 'NOPE', quantity: 1 }]],
      ['specific without a substitute', [{ sku: 'C-MILK', quantity: 1, substitution: 'SPECIFIC' }]],
      ['too many lines', ['a', 'b', 'c', 'd', 'e', 'f'].map((s) => ({ sku: `C-${s}`, quantity: 1 }))],
      ['a long note', [{ sku: 'C-MILK', quantity: 1, note: 'x'.repeat(201) }]],
    ];
    for (const [name, lines] of cases) {
      const r = await p.gql(ADD, { cartId: null, lines });
      expect([name, r.errors?.[0]?.extensions?.code]).toEqual([name, 'BAD_USER_INPUT']);
    }
    expect(await count(p.database.url, `SELECT count(*) AS n FROM orders.cart_line`)).toBe(before);
  });

  it('bounds the coupon codes of a cart', async () => {
    const id = (await p.gql(ADD, { cartId: null, lines: [{ sku: 'C-MILK', quantity: 1 }] })).data!.addToCart.id;
    const r = await p.gql(
      `mutation ($c: ID!, $codes: [String!]) { setCartFulfilment(cartId: $c, input: { couponCodes: $codes }) { id } }`,
      { c: id, codes: ['A1', 'A2', 'A3', 'A4', 'A5', 'A6'] },
    );
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'couponCodes', max: 5 });
  });

  it('bounds the lines of one cart across many adds', async () => {
    const id = (await p.gql(ADD, { cartId: null, lines: [{ sku: 'C-MILK', quantity: 1 }] })).data!.addToCart.id;
    await insertItems(
      p.database.url,
      ['B1', 'B2', 'B3', 'B4', 'B5'].map((s) => ({ sku: `C-${s}`, price: 1_000, onHand: 5 })),
    );
    const results = await Promise.all(
      ['B1', 'B2', 'B3', 'B4', 'B5'].map((s) => p.gql(ADD, { cartId: id, lines: [{ sku: `C-${s}`, quantity: 1 }] })),
    );
    const refused = results.filter((r) => r.errors?.[0]?.extensions?.limit === 'lines');
    expect(refused).toHaveLength(1);
    expect((await p.gql(CART, { id })).data!.cart.lines).toHaveLength(5);
  });

  it('expires an idle guest cart after its day', async () => {
    const id = (await p.gql(ADD, { cartId: null, lines: [{ sku: 'C-MILK', quantity: 1 }] })).data!.addToCart.id;
    await count(
      p.database.url,
      `WITH x AS (UPDATE orders.cart SET expires_at = now() - interval '1 second' WHERE id = $1 RETURNING 1) SELECT count(*) AS n FROM x`,
      [id],
    );
    expect((await p.gql(CART, { id })).data!.cart).toBeNull();
    const r = await p.gql(ADD, { cartId: id, lines: [{ sku: 'C-MILK', quantity: 1 }] });
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
