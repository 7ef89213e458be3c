// Test data for the orders suites: products in the catalog and stock at a store, written straight
// into the test database (each suite sets up exactly what it asserts on), and the operations the
// suites send through the gateway.
import { Client } from 'pg';

export const STORE = 'T-ORD-STORE';
export const OTHER_STORE = 'T-ORD-STORE2';

export interface Item {
  sku: string;
  price: number;
  onHand: number;
  unit?: string;
}

export async function withDb<T>(url: string, fn: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

export async function insertItems(url: string, items: Item[], locationId = STORE): Promise<void> {
  await withDb(url, async (db) => {
    await db.query(
      `INSERT INTO products.category (id, name_en, name_vi) VALUES ('T-ORD-CAT', 'Test aisle', 'Quầy thử') ON CONFLICT DO NOTHING`,
    );
    for (const id of [STORE, OTHER_STORE])
      await db.query(
        `INSERT INTO stock.location (id, name_en, name_vi, kind, city, address)
         VALUES ($1, $1, $1, 'STORE', 'Hồ Chí Minh', '1 Test Street') ON CONFLICT DO NOTHING`,
        [id],
      );
    for (const it of items) {
      await db.query(
        `INSERT INTO products.product (sku, name_en, name_vi, category_id, price_amount, unit, updated_at)
         VALUES ($1, $2, $3, 'T-ORD-CAT', $4, $5, now())`,
        [it.sku, `Item ${it.sku}`, `Hàng ${it.sku}`, it.price, it.unit ?? 'piece'],
      );
      await db.query(`INSERT INTO stock.stock_level (sku, location_id, on_hand, reserved) VALUES ($1, $2, $3, 0)`, [
        it.sku,
        locationId,
        it.onHand,
      ]);
    }
  });
}

export async function level(
  url: string,
  sku: string,
  locationId = STORE,
): Promise<{ onHand: number; reserved: number }> {
  return withDb(url, async (db) => {
    const { rows } = await db.query<{ on_hand: number; reserved: number }>(
      `SELECT on_hand, reserved FROM stock.stock_level WHERE sku = $1 AND location_id = $2`,
      [sku, locationId],
    );
    return { onHand: rows[0]!.on_hand, reserved: rows[0]!.reserved };
  });
}

export async function count(url: string, sql: string, params: unknown[] = []): Promise<number> {
  return withDb(url, async (db) => Number((await db.query(sql, params)).rows[0].n));
}

export const ADD = `mutation ($cartId: ID, $lines: [CartLineInput!]!) {
  addToCart(cartId: $cartId, lines: $lines) { id lines { id sku bundleId quantity substitution note unitPrice { amount } total { amount } }
    subtotal { amount } discount { amount } deliveryFee { amount } total { amount currency } } }`;

export const CART = `query ($id: ID!) { cart(id: $id) { id lines { sku quantity product { name } } total { amount } } }`;

export const PLACE = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { __typename
  ... on Order { id number status accessToken total { amount currency } payment { id status amount { amount } clientSecret redirectUrl } orderLines: lines { sku quantity } }
  ... on OutOfStock { errorCode message sku requested available lines { sku requested available substitutes { sku } } }
  ... on ErrorResult { errorCode message }
  ... on PaymentDeclined { reason orderId }
  ... on CouponNotApplicable { code reason }
  ... on PriceChanged { expectedTotal { amount } total { amount } } } }`;

export const ORDER = `query ($id: ID!, $t: String) { order(id: $id, accessToken: $t) {
  id status paymentStatus version total { amount } finalTotal { amount }
  lines { position sku quantity pickedQuantity }
  payment { status amount { amount } captured { amount } refunded { amount } failureReason }
  substitutions { id sku status } } }`;

export function placeInput(cartId: string, extra: Record<string, unknown> = {}, token = 'sim_approve') {
  return {
    cartId,
    idempotencyKey: `key-${Math.random().toString(36).slice(2)}-${Date.now()}`,
    email: 'guest@test.grocery.vn',
    fulfilment: { type: 'PICKUP', locationId: STORE },
    payment: { provider: 'SIMULATOR', token },
    ...extra,
  };
}

/** Retries an assertion until it passes (events and webhooks arrive asynchronously), for at most `ms`. */
export async function until(assertion: () => Promise<void>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
