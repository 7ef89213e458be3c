// Shipments with the built-in courier simulator, through the gateway: a confirmed delivery order
// becomes a pending shipment, out for delivery books a courier, the simulator's signed webhooks
// (to the gateway's /webhooks/delivery/simulator) move it to DELIVERED and complete the order,
// deliveryTracking streams it to the order's customer (and staff) only; forged, replayed and
// out-of-order webhooks change nothing; a cancelled order cancels its shipment; a return of a
// delivered order gets a courier pickup; every list is bounded.
import { startTestPlatform, type CallOptions, type TestPlatform } from '@grocery/gateway/testing';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { ADD, count, insertItems, until, withDb } from '../../../orders/src/through-gateway/fixture';
import type { DeliverySubgraph } from '../index';
import { DELIVERY_SIMULATOR_SIGNATURE_HEADER } from '../providers';

const STORE = 'hcm-store-q1';
const SLOTS = `query ($z: ID!) { deliverySlots(zoneId: $z, days: 2) { id service bookable } }`;
const HOLD = `mutation ($s: ID!) { holdSlot(slotId: $s) { __typename ... on SlotHold { id } } }`;
const PLACE = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { __typename
  ... on Order { id status } ... on ErrorResult { errorCode message } } }`;
const SHIPMENT = `query ($id: ID!) { order(id: $id) { id status paymentStatus
  shipment { id status provider trackingUrl courier { name } positions(last: 50) { latitude longitude }
    version attempts lastError }
  returnPickups { id purpose status provider } } }`;
const ADDRESS = {
  recipient: 'Trần Văn An',
  phone: '0901234567',
  line1: '12 Lê Lợi',
  ward: 'Phường Bến Thành',
  province: 'TP. Hồ Chí Minh',
};

let p: TestPlatform;
let staff: string;
let alice: string;
let bob: string;
let holds = 0;

beforeAll(async () => {
  p = await startTestPlatform({
    env: {
      MAX_SLOT_HOLDS_PER_CLIENT: '50',
      DELIVERY_SIMULATOR_STEP_MS: '150',
      SHIPMENT_SWEEP_MS: '200',
    },
  });
  staff = (await p.signIn(['staff'])).accessToken;
  alice = (await p.signIn(['customer'])).accessToken;
  bob = (await p.signIn(['customer'])).accessToken;
  await withDb(p.database.url, (db) =>
    db.query(
      `INSERT INTO stock.location (id, name_en, name_vi, kind, city, address)
       VALUES ($1, 'Store District 1', 'Cửa hàng Quận 1', 'STORE', 'Hồ Chí Minh', '135 Nam Kỳ Khởi Nghĩa') ON CONFLICT DO NOTHING`,
      [STORE],
    ),
  );
  await insertItems(p.database.url, [{ sku: 'S-RICE', price: 120_000, onHand: 500 }], STORE);
}, 180_000);
afterAll(async () => {
  await p?.stop();
});

const as = (token: string): CallOptions => ({ token });
const delivery = () => p.modules.delivery as unknown as DeliverySubgraph;

/** A confirmed cash-on-delivery order of alice's (or `token`'s) with a next-day slot of hcm-central. */
async function deliveryOrder(token = alice): Promise<string> {
  const cart = (await p.gql(ADD, { cartId: null, lines: [{ sku: 'S-RICE', quantity: 2 }] }, as(token))).data!.addToCart
    .id;
  const list = (await p.gql(SLOTS, { z: 'hcm-central' })).data!.deliverySlots as {
    id: string;
    service: string;
    bookable: boolean;
  }[];
  const slot = list.filter((s) => s.service === 'NEXT_DAY' && s.bookable)[holds++ % 5]!;
  const hold = (await p.gql(HOLD, { s: slot.id }, as(token))).data!.holdSlot.id as string;
  const r = await p.gql(
    PLACE,
    {
      input: {
        cartId: cart,
        idempotencyKey: `ship-${Math.random().toString(36).slice(2)}`,
        fulfilment: { type: 'DELIVERY', locationId: STORE, address: ADDRESS, slotHoldId: hold },
        payment: { provider: 'CASH_ON_DELIVERY' },
      },
    },
    as(token),
  );
  expect(r.data!.placeOrder).toMatchObject({ __typename: 'Order', status: 'CONFIRMED' });
  return r.data!.placeOrder.id;
}

async function outForDelivery(id: string): Promise<void> {
  const call = (q: string, v: Record<string, unknown>) => p.gql(q, v, as(staff));
  expect((await call(`mutation ($id: ID!) { startPicking(orderId: $id) { status } }`, { id })).errors).toBeUndefined();
  const picked = await call(
    `mutation ($id: ID!, $l: [PickedLineInput!]!) { recordPicked(orderId: $id, lines: $l) { status } }`,
    { id, l: [{ position: 0, quantity: 2 }] },
  );
  expect(picked.errors).toBeUndefined();
  const done = await call(`mutation ($id: ID!) { finishPicking(orderId: $id) { status } }`, { id });
  expect(done.data!.finishPicking.status).toBe('OUT_FOR_DELIVERY');
}

const shipmentOf = async (id: string, token = alice) => (await p.gql(SHIPMENT, { id }, as(token))).data!.order;

function track(token: string | undefined, orderId: string) {
  const client: Client = createClient({
    url: p.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
  const events = client.iterate<{
    deliveryTracking: {
      status: string;
      trackingUrl: string | null;
      eta: string | null;
      version: number;
      position: { latitude: number } | null;
      courier: { name: string } | null;
    };
  }>({
    query: `subscription ($o: ID!) { deliveryTracking(orderId: $o) { status trackingUrl eta version position { latitude longitude at } courier { name } } }`,
    variables: { o: orderId },
  });
  return { events, client };
}

/** Posts a body to the simulator's webhook route, signed as the simulator would (or not). */
function postSimulator(body: string, signature: string | null) {
  return p.fetch('/webhooks/delivery/simulator', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature ? { [DELIVERY_SIMULATOR_SIGNATURE_HEADER]: signature } : {}),
    },
    body,
  });
}

describe('shipments with the courier simulator', () => {
  let delivered: string;

  it('books the simulator when the order is out for delivery; its webhooks deliver it, complete the order and stream to the owner only', async () => {
    const id = await deliveryOrder();
    // Confirmed: a pending shipment, no courier yet.
    await until(async () =>
      expect((await shipmentOf(id)).shipment).toMatchObject({ status: 'PENDING', provider: null }),
    );
    // Another customer and an anonymous caller cannot follow it; nor see the shipment.
    for (const token of [bob, undefined]) {
      const other = track(token, id);
      const refused = await other.events.next();
      expect((refused.value as { errors?: { extensions?: { code?: string } }[] })?.errors?.[0]?.extensions?.code).toBe(
        'NOT_FOUND',
      );
      await other.client.dispose();
    }
    const mine = track(alice, id);
    const staffWatch = track(staff, id);
    const seen: { status: string; position: unknown; version: number }[] = [];
    const staffSeen: string[] = [];
    const collect = (async () => {
      for await (const e of mine.events) {
        seen.push(e.data!.deliveryTracking);
        if (e.data!.deliveryTracking.status === 'DELIVERED') break;
      }
    })();
    const collectStaff = (async () => {
      for await (const e of staffWatch.events) {
        staffSeen.push(e.data!.deliveryTracking.status);
        if (e.data!.deliveryTracking.status === 'DELIVERED') break;
      }
    })();
    await new Promise((r) => setTimeout(r, 300)); // both subscriptions open
    await outForDelivery(id);
    await Promise.race([
      Promise.all([collect, collectStaff]),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`tracking stalled: ${JSON.stringify(seen)}`)), 20_000),
      ),
    ]);
    await mine.client.dispose();
    await staffWatch.client.dispose();
    const statuses = seen.map((s) => s.status);
    expect(statuses[0]).toBe('BOOKED');
    expect(statuses).toEqual(expect.arrayContaining(['COURIER_ASSIGNED', 'PICKED_UP', 'IN_TRANSIT', 'DELIVERED']));
    expect(seen.filter((s) => s.position !== null).length).toBeGreaterThanOrEqual(3);
    // Never backwards: versions and ranks never fall (a position comes with the change it belongs to).
    const rank = ['PENDING', 'BOOKED', 'COURIER_ASSIGNED', 'PICKED_UP', 'IN_TRANSIT', 'DELIVERED'];
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.version).toBeGreaterThanOrEqual(seen[i - 1]!.version);
      expect(rank.indexOf(seen[i]!.status)).toBeGreaterThanOrEqual(rank.indexOf(seen[i - 1]!.status));
    }
    expect(staffSeen).toContain('DELIVERED');
    // Delivered: the order is completed and the cash taken.
    await until(async () =>
      expect(await shipmentOf(id)).toMatchObject({ status: 'COMPLETED', paymentStatus: 'CAPTURED' }),
    );
    const { shipment } = await shipmentOf(id);
    expect(shipment).toMatchObject({
      status: 'DELIVERED',
      provider: 'SIMULATOR',
      courier: { name: expect.any(String) },
    });
    expect(shipment.positions.length).toBeGreaterThanOrEqual(3);
    // Staff details stay with staff.
    expect(shipment).toMatchObject({ attempts: null, lastError: null });
    expect((await shipmentOf(id, staff)).shipment.attempts).toBe(1);
    delivered = id;
  }, 60_000);

  it('refuses forged and unsigned simulator webhooks, and changes nothing for a replayed or an older one', async () => {
    const { shipment } = await shipmentOf(delivered, staff);
    const sim = delivery().simulator!;
    const ref = (
      await withDb(p.database.url, (db) =>
        db.query(`SELECT provider_ref FROM delivery.shipment WHERE id = $1`, [shipment.id]),
      )
    ).rows[0].provider_ref as string;
    const older = JSON.stringify({
      id: `${ref}:late`,
      type: 'shipment.updated',
      created: Date.now() - 60_000,
      data: { providerRef: ref, shipmentId: shipment.id, status: 'PICKED_UP', providerStatus: 'PICKED_UP' },
    });
    // Unsigned, badly signed, signed with another secret: 401, nothing recorded.
    expect((await postSimulator(older, null)).status).toBe(401);
    const sig = sim.sign(older);
    expect((await postSimulator(older, sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0'))).status).toBe(401);
    expect((await postSimulator(older, 't=1,v1=' + 'a'.repeat(64))).status).toBe(401);
    expect(
      await count(p.database.url, `SELECT count(*)::int AS n FROM delivery.shipment_event WHERE event_id = $1`, [
        `${ref}:late`,
      ]),
    ).toBe(0);
    // Authentic but older than DELIVERED: acknowledged, kept as STALE, the shipment unchanged.
    expect((await postSimulator(older, sim.sign(older))).status).toBe(200);
    // Replayed: acknowledged, recorded once.
    expect((await postSimulator(older, sim.sign(older))).status).toBe(200);
    const rows = await withDb(p.database.url, (db) =>
      db.query(`SELECT outcome FROM delivery.shipment_event WHERE event_id = $1`, [`${ref}:late`]),
    );
    expect(rows.rows).toEqual([{ outcome: 'STALE' }]);
    const after = (await shipmentOf(delivered, staff)).shipment;
    expect(after).toMatchObject({ status: 'DELIVERED', version: shipment.version });
    // Not JSON but authentic: 400. An unknown courier: 404.
    expect((await postSimulator('not json', sim.sign('not json'))).status).toBe(400);
    expect((await p.fetch('/webhooks/delivery/gojek', { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('books a courier pickup for a return of a delivered order', async () => {
    const r = await p.gql(
      `mutation ($o: ID!) { requestReturn(orderId: $o, lines: [{ position: 0, quantity: 1, reason: "bao bị rách" }]) { id status } }`,
      { o: delivered },
      as(alice),
    );
    expect(r.errors).toBeUndefined();
    await until(async () =>
      expect((await shipmentOf(delivered)).returnPickups).toEqual([
        expect.objectContaining({ purpose: 'RETURN', provider: 'SIMULATOR' }),
      ]),
    );
    // Asked again (a redelivered event): still one pickup.
    await delivery()
      .dispatchShipments()
      .then(() => undefined);
    expect(
      await count(
        p.database.url,
        `SELECT count(*)::int AS n FROM delivery.shipment WHERE order_id = $1 AND purpose = 'return'`,
        [delivered],
      ),
    ).toBe(1);
  }, 30_000);

  it('cancels the pending shipment of a cancelled order', async () => {
    const id = await deliveryOrder();
    await until(async () => expect((await shipmentOf(id)).shipment?.status).toBe('PENDING'));
    const c = await p.gql(`mutation ($id: ID!) { cancelOrder(id: $id) { __typename } }`, { id }, as(alice));
    expect(c.data!.cancelOrder.__typename).toBe('Order');
    await until(async () => expect((await shipmentOf(id)).shipment?.status).toBe('CANCELLED'));
  });

  it('has no shipment for a pickup order', async () => {
    const cart = (await p.gql(ADD, { cartId: null, lines: [{ sku: 'S-RICE', quantity: 1 }] }, as(bob))).data!.addToCart
      .id;
    const r = await p.gql(
      PLACE,
      {
        input: {
          cartId: cart,
          idempotencyKey: `pick-${Date.now()}`,
          fulfilment: { type: 'PICKUP', locationId: STORE },
          payment: { provider: 'CASH_ON_DELIVERY' },
        },
      },
      as(bob),
    );
    const id = r.data!.placeOrder.id;
    await new Promise((res) => setTimeout(res, 500));
    expect((await shipmentOf(id, bob)).shipment).toBeNull();
  });

  it('bounds every list and keeps staff operations to staff', async () => {
    const id = delivered;
    const tooMany = await p.gql(
      `query ($id: ID!) { order(id: $id) { shipment { positions(last: 51) { at } } } }`,
      { id },
      as(alice),
    );
    expect(tooMany.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'last' } });
    const list = await p.gql(`{ shipments(first: 101) { id } }`, {}, as(staff));
    expect(list.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const customers = await p.gql(`{ shipments(first: 5) { id } }`, {}, as(alice));
    expect(customers.errors![0].extensions!.code).toBe('FORBIDDEN');
    const ok = await p.gql(`{ shipments(first: 5, statuses: [DELIVERED]) { id status } }`, {}, as(staff));
    expect(ok.data!.shipments.length).toBeGreaterThanOrEqual(1);
    const { shipment } = await shipmentOf(id, staff);
    const reassign = await p.gql(
      `mutation ($id: ID!) { reassignShipment(id: $id, provider: GRAB) { id } }`,
      { id: shipment.id },
      as(alice),
    );
    expect(reassign.errors![0].extensions!.code).toBe('FORBIDDEN');
    // Staff: a courier that is not enabled here is bad input.
    const notEnabled = await p.gql(
      `mutation ($id: ID!) { reassignShipment(id: $id, provider: GRAB) { id } }`,
      { id: shipment.id },
      as(staff),
    );
    expect(notEnabled.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'provider' });
    // Another customer cannot read it by id.
    const byId = await p.gql(`query ($id: ID!) { shipment(id: $id) { id } }`, { id: shipment.id }, as(bob));
    expect(byId.data!.shipment).toBeNull();
  });
});
