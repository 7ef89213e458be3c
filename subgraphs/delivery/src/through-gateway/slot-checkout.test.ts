// Checkout with a delivery or pickup slot, through the gateway: placeOrder books the held slot in
// its saga (the slot's fee is the order's delivery fee) and every failure path gives it back —
// an expired hold, someone else's hold, an address outside the zone, a changed total, a declined
// payment, a cancelled order.
import { startTestPlatform, type CallOptions, type TestPlatform } from '@grocery/gateway/testing';
import { ADD, count, insertItems, level, withDb } from '../../../orders/src/through-gateway/fixture';

const STORE = 'hcm-store-q1';
const PLACE = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { __typename
  ... on Order { id number status deliveryFee { amount } subtotal { amount } total { amount } }
  ... on SlotHoldInvalid { errorCode message reason }
  ... on PriceChanged { expectedTotal { amount } total { amount } }
  ... on PaymentDeclined { reason orderId }
  ... on ErrorResult { errorCode message } } }`;
const SLOTS = `query ($z: ID!) { deliverySlots(zoneId: $z, days: 2) { id service bookable remaining fee { amount } } }`;
const PICKUP = `query ($l: ID!) { pickupSlots(locationId: $l, days: 2) { id service bookable remaining } }`;
const HOLD = `mutation ($s: ID!) { holdSlot(slotId: $s) { __typename ... on SlotHold { id } } }`;
const CANCEL = `mutation ($id: ID!) { cancelOrder(id: $id) { __typename ... on Order { status } } }`;
const ADDRESS = {
  recipient: 'Nguyễn Thị Mai',
  phone: '0901234567',
  line1: '12 Lê Lợi',
  ward: 'Phường Bến Thành',
  province: 'TP. Hồ Chí Minh',
};

let p: TestPlatform;

beforeAll(async () => {
  p = await startTestPlatform({ env: { MAX_SLOT_HOLDS_PER_CLIENT: '50' } });
  await withDb(p.database.url, (db) =>
    db.query(
      `INSERT INTO stock.location (id, name_en, name_vi, kind, city, address)
       VALUES ($1, 'Store District 1', 'Cửa hàng Quận 1', 'STORE', 'Hồ Chí Minh', '135 Nam Kỳ Khởi Nghĩa') ON CONFLICT DO NOTHING`,
      [STORE],
    ),
  );
  await insertItems(p.database.url, [{ sku: 'D-RICE', price: 120_000, onHand: 100 }], STORE);
}, 180_000);
afterAll(async () => {
  await p?.stop();
});

async function customer(): Promise<CallOptions> {
  return { token: (await p.signIn(['customer'])).accessToken };
}

async function cartOf(opts: CallOptions, quantity = 1): Promise<string> {
  const r = await p.gql(ADD, { cartId: null, lines: [{ sku: 'D-RICE', quantity }] }, opts);
  expect(r.errors).toBeUndefined();
  return r.data!.addToCart.id;
}

/** Holds a next-day slot of hcm-central (index-th), answering the slot and the hold's id. */
async function hold(opts: CallOptions, index = 0): Promise<{ slotId: string; holdId: string }> {
  const list = (await p.gql(SLOTS, { z: 'hcm-central' })).data!.deliverySlots as {
    id: string;
    service: string;
    bookable: boolean;
  }[];
  const slot = list.filter((s) => s.service === 'NEXT_DAY' && s.bookable)[index]!;
  const r = await p.gql(HOLD, { s: slot.id }, opts);
  expect(r.data!.holdSlot.__typename).toBe('SlotHold');
  return { slotId: slot.id, holdId: r.data!.holdSlot.id };
}

const deliveryInput = (cartId: string, holdId: string | null, extra: Record<string, unknown> = {}) => ({
  cartId,
  idempotencyKey: `key-${Math.random().toString(36).slice(2)}-${Date.now()}`,
  fulfilment: { type: 'DELIVERY', locationId: STORE, address: ADDRESS, ...(holdId ? { slotHoldId: holdId } : {}) },
  payment: { provider: 'CASH_ON_DELIVERY' },
  ...extra,
});

const taken = (slotId: string) => count(p.database.url, `SELECT taken AS n FROM delivery.slot WHERE id = $1`, [slotId]);
const holdStatus = async (holdId: string) =>
  withDb(
    p.database.url,
    async (db) =>
      (await db.query(`SELECT status, order_id, details FROM delivery.slot_hold WHERE id = $1`, [holdId])).rows[0],
  );

describe('checkout with a delivery slot', () => {
  it('refuses a delivery without a slot hold', async () => {
    const me = await customer();
    const r = await p.gql(PLACE, { input: deliveryInput(await cartOf(me), null) }, me);
    expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fulfilment.slotHoldId' });
  });

  it('books the held slot: the slot’s fee is the delivery fee, the hold becomes the order’s booking', async () => {
    const me = await customer();
    const cart = await cartOf(me, 2);
    const { slotId, holdId } = await hold(me, 0);
    expect(await taken(slotId)).toBe(1);
    // The client saw 240,000 đ of rice and the 15,000 đ next-day fee.
    const r = await p.gql(PLACE, { input: deliveryInput(cart, holdId, { expectedTotal: 255_000 }) }, me);
    expect(r.errors).toBeUndefined();
    const order = r.data!.placeOrder;
    expect(order).toMatchObject({
      __typename: 'Order',
      status: 'CONFIRMED',
      subtotal: { amount: 240_000 },
      deliveryFee: { amount: 15_000 },
      total: { amount: 255_000 },
    });
    const booked = await holdStatus(holdId);
    expect(booked.status).toBe('BOOKED');
    expect(booked.order_id).toBe(order.id);
    expect(booked.details).toMatchObject({
      orderNumber: order.number,
      locationId: STORE,
      address: { wardCode: 'hcm-ben-thanh', recipient: 'Nguyễn Thị Mai' },
      value: 240_000,
      codAmount: 255_000,
      fee: 15_000,
    });
    expect(await taken(slotId)).toBe(1);
    // Cancelled: the slot's unit goes back.
    const cancelled = await p.gql(CANCEL, { id: order.id }, me);
    expect(cancelled.data!.cancelOrder).toEqual({ __typename: 'Order', status: 'CANCELLED' });
    expect((await holdStatus(holdId)).status).toBe('RELEASED');
    expect(await taken(slotId)).toBe(0);
  });

  it('delivers free above the threshold', async () => {
    const me = await customer();
    const cart = await cartOf(me, 5); // 600,000 đ
    const { holdId } = await hold(me, 1);
    const r = await p.gql(PLACE, { input: deliveryInput(cart, holdId) }, me);
    expect(r.data!.placeOrder).toMatchObject({ deliveryFee: { amount: 0 }, total: { amount: 600_000 } });
  });

  it('answers SlotHoldInvalid for an expired hold and leaves nothing taken', async () => {
    const me = await customer();
    const cart = await cartOf(me);
    const { slotId, holdId } = await hold(me, 2);
    await withDb(p.database.url, (db) =>
      db.query(`UPDATE delivery.slot_hold SET expires_at = now() - interval '1 second' WHERE id = $1`, [holdId]),
    );
    const before = await level(p.database.url, 'D-RICE', STORE);
    const r = await p.gql(PLACE, { input: deliveryInput(cart, holdId) }, me);
    expect(r.data!.placeOrder).toMatchObject({
      __typename: 'SlotHoldInvalid',
      errorCode: 'SLOT_HOLD_INVALID',
      reason: 'HOLD_EXPIRED',
    });
    expect(await level(p.database.url, 'D-RICE', STORE)).toEqual(before);
    await (p.modules.delivery as unknown as { sweepHolds(): Promise<void> }).sweepHolds();
    expect(await taken(slotId)).toBe(0);
    // No order was written: the only delivery order rows are the ones whose slot is booked.
    expect(
      await count(
        p.database.url,
        `SELECT count(*) AS n FROM orders.customer_order o WHERE o.fulfilment_type = 'DELIVERY'
           AND NOT EXISTS (SELECT 1 FROM delivery.slot_hold h WHERE h.order_id = o.id)`,
      ),
    ).toBe(0);
  });

  it('counts the order’s real items against a slot’s item capacity, whatever the hold declared', async () => {
    const me = await customer();
    const { slotId, holdId } = await hold(me, 6);
    // This slot also counts items: 5 at most. The hold declared none.
    await withDb(p.database.url, (db) =>
      db.query(`UPDATE delivery.slot SET item_capacity = 5 WHERE id = $1`, [slotId]),
    );
    const before = await level(p.database.url, 'D-RICE', STORE);
    const cart = await cartOf(me, 6);
    const big = await p.gql(PLACE, { input: deliveryInput(cart, holdId) }, me);
    expect(big.data!.placeOrder).toMatchObject({ __typename: 'SlotHoldInvalid', reason: 'SLOT_ITEMS_FULL' });
    expect(await level(p.database.url, 'D-RICE', STORE)).toEqual(before);
    const slot = async () =>
      (
        await withDb(p.database.url, (db) =>
          db.query(`SELECT taken, taken_items FROM delivery.slot WHERE id = $1`, [slotId]),
        )
      ).rows[0];
    expect(await slot()).toEqual({ taken: 1, taken_items: 0 });
    // Five fit: booked, the five counted.
    const line = (await p.gql(`query ($id: ID!) { cart(id: $id) { lines { id } } }`, { id: cart }, me)).data!.cart
      .lines[0].id;
    await p.gql(
      `mutation ($c: ID!, $l: ID!) { updateCartLine(cartId: $c, lineId: $l, input: { quantity: 5 }) { id } }`,
      { c: cart, l: line },
      me,
    );
    const fits = await p.gql(PLACE, { input: deliveryInput(cart, holdId) }, me);
    expect(fits.data!.placeOrder).toMatchObject({ __typename: 'Order' });
    expect(await slot()).toEqual({ taken: 1, taken_items: 5 });
    // Cancelled: orders and items go back.
    await p.gql(CANCEL, { id: fits.data!.placeOrder.id }, me);
    expect(await slot()).toEqual({ taken: 0, taken_items: 0 });
  });

  it('refuses another customer’s hold and an address outside the hold’s zone, giving back stock and the hold', async () => {
    const alice = await customer();
    const bob = await customer();
    const { slotId, holdId } = await hold(alice, 3);
    const before = await level(p.database.url, 'D-RICE', STORE);
    const stolen = await p.gql(PLACE, { input: deliveryInput(await cartOf(bob), holdId) }, bob);
    expect(stolen.data!.placeOrder).toMatchObject({ __typename: 'SlotHoldInvalid', reason: 'HOLD_NOT_FOUND' });
    expect((await holdStatus(holdId)).status).toBe('HELD');
    const far = await p.gql(
      PLACE,
      {
        input: deliveryInput(await cartOf(alice), holdId, {
          fulfilment: {
            type: 'DELIVERY',
            locationId: STORE,
            address: { ...ADDRESS, ward: 'Phường Hoàn Kiếm', province: 'Hà Nội' },
            slotHoldId: holdId,
          },
        }),
      },
      alice,
    );
    expect(far.data!.placeOrder).toMatchObject({ __typename: 'SlotHoldInvalid', reason: 'NOT_DELIVERED_HERE' });
    expect(await level(p.database.url, 'D-RICE', STORE)).toEqual(before);
    expect((await holdStatus(holdId)).status).toBe('HELD');
    expect(await taken(slotId)).toBe(1);
  });

  it('gives the slot back when the total changed or the payment is declined (by webhook)', async () => {
    const me = await customer();
    const { slotId, holdId } = await hold(me, 4);
    const changed = await p.gql(
      PLACE,
      { input: deliveryInput(await cartOf(me), holdId, { expectedTotal: 120_000 }) },
      me,
    );
    expect(changed.data!.placeOrder).toMatchObject({ __typename: 'PriceChanged', total: { amount: 135_000 } });
    expect((await holdStatus(holdId)).status).toBe('RELEASED');
    expect(await taken(slotId)).toBe(0);

    const again = await hold(me, 4);
    const declined = await p.gql(
      PLACE,
      {
        input: deliveryInput(await cartOf(me), again.holdId, {
          payment: { provider: 'SIMULATOR', token: 'sim_decline' },
        }),
      },
      me,
    );
    // The simulator declines by webhook: the order is placed, then cancelled, and gives everything back.
    expect(declined.data!.placeOrder.__typename).toBe('Order');
    const deadline = Date.now() + 5_000;
    while ((await taken(again.slotId)) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await taken(again.slotId)).toBe(0);
    expect((await holdStatus(again.holdId)).status).toBe('RELEASED');
  });
});

describe('checkout with a pickup slot', () => {
  it('books a pickup window at the store; a pickup slot cannot carry a delivery', async () => {
    const me = await customer();
    const list = (await p.gql(PICKUP, { l: STORE })).data!.pickupSlots as {
      id: string;
      service: string;
      bookable: boolean;
    }[];
    const slot = list.filter((s) => s.bookable)[0]!;
    const held = (await p.gql(HOLD, { s: slot.id }, me)).data!.holdSlot.id;
    const cart = await cartOf(me);
    const wrong = await p.gql(PLACE, { input: deliveryInput(cart, held) }, me);
    expect(wrong.data!.placeOrder).toMatchObject({ __typename: 'SlotHoldInvalid', reason: 'WRONG_SLOT' });
    const r = await p.gql(
      PLACE,
      {
        input: deliveryInput(cart, held, {
          fulfilment: { type: 'PICKUP', locationId: STORE, slotHoldId: held },
        }),
      },
      me,
    );
    expect(r.data!.placeOrder).toMatchObject({
      __typename: 'Order',
      status: 'CONFIRMED',
      deliveryFee: { amount: 0 },
      total: { amount: 120_000 },
    });
    expect((await holdStatus(held)).status).toBe('BOOKED');
  });
});
