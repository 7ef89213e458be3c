// Real courier adapters against local fakes of their documented APIs, through the gateway: the
// zone's couriers in order with fallback (the window is tomorrow and Grab has no next-day service,
// so GHN books), GHN's unsigned webhooks only make us re-read GHN, staff move a shipment to
// ViettelPost (cancelled at GHN first), and each courier's webhook — valid, forged, replayed,
// out of order — reaches /webhooks/delivery/<courier> and moves the shipment once, never back.
import { startTestPlatform, type CallOptions, type TestPlatform } from '@grocery/gateway/testing';
import { randomUUID } from 'node:crypto';
import { ADD, count, insertItems, until, withDb } from '../../../orders/src/through-gateway/fixture';
import { FAKE_GHN, API as GHN_API, FakeGhn } from '../providers/ghn/test/fake-ghn';
import { API as GRAB_API, FAKE_GRAB_CLIENT, FakeGrab } from '../providers/grab/test/fake-grab';
import { vietnamDate } from '../providers/viettelpost/viettelpost-dates';
import { FAKE_VTP_USER, FakeViettelPost } from '../providers/viettelpost/test/fake-viettelpost';

const STORE = 'hcm-store-q1';
const GRAB_SECRET = 'grab-webhook-secret-for-tests';
const VTP_TOKEN = 'vtp-webhook-token-for-tests';
const SHIPMENT = `query ($id: ID!) { order(id: $id) { id status shipment { id status provider version attempts lastError nextAttemptAt trackingUrl courier { name } } } }`;
const ADDRESS = {
  recipient: 'Lê Thị Hoa',
  phone: '0907654321',
  line1: '45 Pasteur',
  ward: 'Phường Bến Thành',
  province: 'TP. Hồ Chí Minh',
};

const grab = new FakeGrab();
const vtp = new FakeViettelPost();
const ghn = new FakeGhn();
let p: TestPlatform;
let staff: string;
let alice: string;
let holds = 0;

beforeAll(async () => {
  const [g, v, h] = await Promise.all([grab.start(), vtp.start(), ghn.start()]);
  p = await startTestPlatform({
    env: {
      MAX_SLOT_HOLDS_PER_CLIENT: '50',
      SHIPMENT_SWEEP_MS: '200',
      SHIPMENT_RETRY_BASE_MS: '200',
      SHIPMENT_MAX_ATTEMPTS: '3',
      DELIVERY_PROVIDERS: 'GRAB,GHN,VIETTELPOST',
      GRAB_CLIENT_ID: FAKE_GRAB_CLIENT.id,
      GRAB_CLIENT_SECRET: FAKE_GRAB_CLIENT.secret,
      GRAB_BASE_URL: `${g}${GRAB_API}`,
      GRAB_WEBHOOK_SECRET: GRAB_SECRET,
      VIETTELPOST_USERNAME: FAKE_VTP_USER.username,
      VIETTELPOST_PASSWORD: FAKE_VTP_USER.password,
      VIETTELPOST_BASE_URL: v,
      VIETTELPOST_WEBHOOK_TOKEN: VTP_TOKEN,
      GHN_TOKEN: FAKE_GHN.token,
      GHN_SHOP_ID: FAKE_GHN.shopId,
      GHN_BASE_URL: `${h}${GHN_API}`,
    },
  });
  staff = (await p.signIn(['staff'])).accessToken;
  alice = (await p.signIn(['customer'])).accessToken;
  await withDb(p.database.url, (db) =>
    db.query(
      `INSERT INTO stock.location (id, name_en, name_vi, kind, city, address)
       VALUES ($1, 'Store District 1', 'Cửa hàng Quận 1', 'STORE', 'Hồ Chí Minh', '135 Nam Kỳ Khởi Nghĩa') ON CONFLICT DO NOTHING`,
      [STORE],
    ),
  );
  await insertItems(p.database.url, [{ sku: 'C-TEA', price: 80_000, onHand: 500 }], STORE);
}, 180_000);
afterAll(async () => {
  await p?.stop();
  await Promise.all([grab.stop(), vtp.stop(), ghn.stop()]);
});

const as = (token: string): CallOptions => ({ token });
const shipmentOf = async (id: string) => (await p.gql(SHIPMENT, { id }, as(staff))).data!.order.shipment;

/** A cash-on-delivery order of alice's, picked and out for delivery. */
async function outForDelivery(): Promise<string> {
  const cart = (await p.gql(ADD, { cartId: null, lines: [{ sku: 'C-TEA', quantity: 1 }] }, as(alice))).data!.addToCart
    .id;
  const slots = (
    await p.gql(`query { deliverySlots(zoneId: "hcm-central", days: 2) { id service bookable } }`)
  ).data!.deliverySlots.filter((s: { service: string; bookable: boolean }) => s.service === 'NEXT_DAY' && s.bookable);
  const hold = (
    await p.gql(
      `mutation ($s: ID!) { holdSlot(slotId: $s) { ... on SlotHold { id } } }`,
      { s: slots[holds++ % 5].id },
      as(alice),
    )
  ).data!.holdSlot.id;
  const placed = await p.gql(
    `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { __typename ... on Order { id status } } }`,
    {
      input: {
        cartId: cart,
        idempotencyKey: `c-${randomUUID()}`,
        fulfilment: { type: 'DELIVERY', locationId: STORE, address: ADDRESS, slotHoldId: hold },
        payment: { provider: 'CASH_ON_DELIVERY' },
      },
    },
    as(alice),
  );
  const id = placed.data!.placeOrder.id as string;
  const call = (q: string) => p.gql(q, { id }, as(staff));
  await call(`mutation ($id: ID!) { startPicking(orderId: $id) { status } }`);
  await p.gql(
    `mutation ($id: ID!) { recordPicked(orderId: $id, lines: [{ position: 0, quantity: 1 }]) { status } }`,
    { id },
    as(staff),
  );
  expect(
    (await call(`mutation ($id: ID!) { finishPicking(orderId: $id) { status } }`)).data!.finishPicking.status,
  ).toBe('OUT_FOR_DELIVERY');
  return id;
}

const post = (courier: string, body: unknown, headers: Record<string, string> = {}) =>
  p.fetch(`/webhooks/delivery/${courier}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const events = (shipmentId: string) =>
  withDb(
    p.database.url,
    async (db) =>
      (
        await db.query(
          `SELECT provider, status, outcome FROM delivery.shipment_event WHERE shipment_id = $1 ORDER BY id`,
          [shipmentId],
        )
      ).rows,
  );

describe('couriers behind the delivery subgraph', () => {
  let order: string;
  let shipmentId: string;

  it('books the zone’s first courier that takes it: Grab has no next-day service, GHN books', async () => {
    order = await outForDelivery();
    await until(
      async () => expect(await shipmentOf(order)).toMatchObject({ status: 'BOOKED', provider: 'GHN' }),
      10_000,
    );
    const s = await shipmentOf(order);
    expect(s.lastError).toBe('passed over: GRAB (SERVICE_NOT_OFFERED)');
    expect(s.attempts).toBe(1);
    shipmentId = s.id;
    expect([...ghn.orders.values()].filter((o) => o.clientOrderCode === shipmentId)).toHaveLength(1);
    expect(grab.deliveries.size).toBe(0);
  });

  it('GHN: a webhook only makes us re-read GHN, so a forged status changes nothing and a replay changes nothing twice', async () => {
    const code = [...ghn.orders.values()].find((o) => o.clientOrderCode === shipmentId)!.orderCode;
    // Forged: claims delivered, GHN says it is still waiting for pickup.
    expect((await post('ghn', { OrderCode: code, Status: 'delivered', Type: 'switch_status' })).status).toBe(200);
    expect(await shipmentOf(order)).toMatchObject({ status: 'BOOKED' });
    // GHN's driver is on the way: the re-read says so.
    ghn.setStatus(shipmentId, 'picking', '2026-12-07T04:00:00Z');
    expect((await post('ghn', { OrderCode: code, Status: 'picking' })).status).toBe(200);
    const before = await shipmentOf(order);
    expect(before.status).toBe('COURIER_ASSIGNED');
    // Replayed: the same re-read, recorded once, nothing changes.
    expect((await post('ghn', { OrderCode: code, Status: 'picking' })).status).toBe(200);
    expect((await shipmentOf(order)).version).toBe(before.version);
    // Malformed: 400.
    expect((await post('ghn', { Status: 'picking' })).status).toBe(400);
    expect((await events(shipmentId)).filter((e) => e.status === 'COURIER_ASSIGNED')).toEqual([
      { provider: 'GHN', status: 'COURIER_ASSIGNED', outcome: 'APPLIED' },
    ]);
  });

  it('staff move it to ViettelPost: cancelled at GHN first, then booked; GHN’s late news is not applied', async () => {
    const moved = await p.gql(
      `mutation ($id: ID!) { reassignShipment(id: $id, provider: VIETTELPOST) { status provider courier { name } } }`,
      { id: shipmentId },
      as(staff),
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.reassignShipment).toEqual({ status: 'BOOKED', provider: 'VIETTELPOST', courier: null });
    expect([...ghn.orders.values()].find((o) => o.clientOrderCode === shipmentId)!.status).toBe('cancel');
    expect([...vtp.orders.values()].filter((o) => o.orderNumber === shipmentId)).toHaveLength(1);
    // GHN's webhook about the cancelled order: acknowledged, the shipment stays with ViettelPost.
    const code = [...ghn.orders.values()].find((o) => o.clientOrderCode === shipmentId)!.orderCode;
    expect((await post('ghn', { OrderCode: code, Status: 'cancel' })).status).toBe(200);
    expect(await shipmentOf(order)).toMatchObject({ status: 'BOOKED', provider: 'VIETTELPOST' });
    // Moving it to where it is: a conflict.
    const again = await p.gql(
      `mutation ($id: ID!) { reassignShipment(id: $id, provider: VIETTELPOST) { status } }`,
      { id: shipmentId },
      as(staff),
    );
    expect(again.errors![0].extensions!.code).toBe('CONFLICT');
  });

  it('ViettelPost: its TOKEN authenticates; forged is 401, replayed and older are not applied; delivered completes the order', async () => {
    const waybill = [...vtp.orders.values()].find((o) => o.orderNumber === shipmentId)!.waybill;
    const body = (code: number, at: Date, token = VTP_TOKEN) => ({
      DATA: {
        ORDER_NUMBER: waybill,
        ORDER_REFERENCE: shipmentId,
        ORDER_STATUS: code,
        ORDER_STATUSDATE: vietnamDate(at),
        STATUS_NAME: 'x',
      },
      TOKEN: token,
    });
    const now = Date.now();
    expect((await post('viettelpost', body(200, new Date(now - 60_000), 'forged-token'))).status).toBe(401);
    expect((await post('viettelpost', { DATA: {} })).status).toBe(401);
    expect(await shipmentOf(order)).toMatchObject({ status: 'BOOKED' });
    expect((await post('viettelpost', body(300, new Date(now - 30_000)))).status).toBe(200); // in transit
    const inTransit = await shipmentOf(order);
    expect(inTransit.status).toBe('IN_TRANSIT');
    // Replayed, and an older status (picked up, earlier) arriving late: neither applied.
    expect((await post('viettelpost', body(300, new Date(now - 30_000)))).status).toBe(200);
    expect((await post('viettelpost', body(200, new Date(now - 60_000)))).status).toBe(200);
    expect(await shipmentOf(order)).toMatchObject({ status: 'IN_TRANSIT', version: inTransit.version });
    const vtpEvents = (await events(shipmentId)).filter((e) => e.provider === 'VIETTELPOST');
    expect(vtpEvents).toEqual([
      { provider: 'VIETTELPOST', status: 'IN_TRANSIT', outcome: 'APPLIED' },
      { provider: 'VIETTELPOST', status: 'PICKED_UP', outcome: 'STALE' },
    ]);
    expect((await post('viettelpost', body(501, new Date(now - 1_000)))).status).toBe(200);
    await until(async () =>
      expect((await p.gql(SHIPMENT, { id: order }, as(alice))).data!.order).toMatchObject({
        status: 'COMPLETED',
        shipment: { status: 'DELIVERED', provider: 'VIETTELPOST' },
      }),
    );
  });

  it('Grab: its shared Authorization secret authenticates; forged is 401, replayed and older are not applied', async () => {
    // A shipment booked with Grab (ours carry no coordinates, so Grab is given one directly).
    const id = randomUUID();
    const orderId = randomUUID();
    await withDb(p.database.url, (db) =>
      db.query(
        `INSERT INTO delivery.shipment (id, key, order_id, purpose, customer_id, zone_id, location_id, service, status,
           status_rank, provider, provider_ref, request, updated_at)
         VALUES ($1, $2, $3, 'delivery', NULL, 'hcm-central', $4, 'INSTANT', 'BOOKED', 1, 'GRAB', 'IN-GRAB-1', '{}', now())`,
        [id, `delivery:${orderId}`, orderId, STORE],
      ),
    );
    const body = (status: string, at: number) => ({
      deliveryID: 'IN-GRAB-1',
      merchantOrderID: id,
      status,
      timestamp: Math.floor(at / 1000),
      trackURL: 'https://express.grab.com/track/IN-GRAB-1',
      driver: { name: 'Nguyễn Văn Tài', phone: '0912345678', licensePlate: '59X1-123.45' },
    });
    const now = Date.now();
    const auth = { authorization: GRAB_SECRET };
    expect((await post('grab', body('COMPLETED', now), { authorization: 'not-the-secret' })).status).toBe(401);
    expect((await post('grab', body('COMPLETED', now))).status).toBe(401);
    expect((await post('grab', body('IN_DELIVERY', now - 20_000), auth)).status).toBe(200);
    expect((await post('grab', body('IN_DELIVERY', now - 20_000), auth)).status).toBe(200); // replayed
    expect((await post('grab', body('PICKING_UP', now - 40_000), auth)).status).toBe(200); // older, late
    const row = (
      await withDb(p.database.url, (db) =>
        db.query(`SELECT status, tracking_url, courier_name, version FROM delivery.shipment WHERE id = $1`, [id]),
      )
    ).rows[0];
    expect(row).toEqual({
      status: 'IN_TRANSIT',
      tracking_url: 'https://express.grab.com/track/IN-GRAB-1',
      courier_name: 'Nguyễn Văn Tài',
      version: 2,
    });
    expect(await events(id)).toEqual([
      { provider: 'GRAB', status: 'IN_TRANSIT', outcome: 'APPLIED' },
      { provider: 'GRAB', status: 'COURIER_ASSIGNED', outcome: 'STALE' },
    ]);
    expect(
      await count(p.database.url, `SELECT count(*)::int AS n FROM delivery.shipment_event WHERE provider = 'GRAB'`),
    ).toBe(2);
  });

  it('retries when no courier takes a shipment, waits for staff after the last attempt, and staff retry', async () => {
    // Every courier down or unable: GHN and ViettelPost answer 503, Grab has no next-day service.
    ghn.server.mode = 'down';
    vtp.server.mode = 'down';
    const orderId = await outForDelivery();
    try {
      // Three attempts (SHIPMENT_MAX_ATTEMPTS), 200 then 400 ms apart, then it waits for staff.
      await until(
        async () => expect(await shipmentOf(orderId)).toMatchObject({ attempts: 3, nextAttemptAt: null }),
        10_000,
      );
      const s = await shipmentOf(orderId);
      expect(s.status).toBe('PENDING');
      expect(s.lastError).toMatch(/GRAB \(SERVICE_NOT_OFFERED\), GHN \(unavailable\), VIETTELPOST \(unavailable\)/);
    } finally {
      ghn.server.mode = 'up';
      vtp.server.mode = 'up';
    }
    // Couriers back: staff try again, GHN books.
    const retried = await p.gql(
      `mutation ($id: ID!) { retryShipment(id: $id) { status provider attempts } }`,
      { id: (await shipmentOf(orderId)).id },
      as(staff),
    );
    expect(retried.data!.retryShipment).toEqual({ status: 'BOOKED', provider: 'GHN', attempts: 1 });
    // Retried again at once, many times: it is booked already — a conflict, no second booking.
    const shipmentId = (await shipmentOf(orderId)).id as string;
    const retries = await Promise.all(
      Array.from({ length: 5 }, () =>
        p.gql(`mutation ($id: ID!) { retryShipment(id: $id) { status } }`, { id: shipmentId }, as(staff)),
      ),
    );
    expect(retries.map((r) => r.errors?.[0]?.extensions?.code)).toEqual(Array(5).fill('CONFLICT'));
    expect([...ghn.orders.values()].filter((o) => o.clientOrderCode === shipmentId)).toHaveLength(1);

    // Five staff move it to ViettelPost at once: one move, one ViettelPost booking.
    const moves = await Promise.all(
      Array.from({ length: 5 }, () =>
        p.gql(
          `mutation ($id: ID!) { reassignShipment(id: $id, provider: VIETTELPOST) { provider } }`,
          { id: shipmentId },
          as(staff),
        ),
      ),
    );
    const won = moves.filter((m) => m.data?.reassignShipment);
    expect(won).toHaveLength(1);
    for (const m of moves.filter((x) => !x.data?.reassignShipment))
      expect(m.errors![0].extensions!.code).toBe('CONFLICT');
    expect([...vtp.orders.values()].filter((o) => o.orderNumber === shipmentId)).toHaveLength(1);
    expect(await shipmentOf(orderId)).toMatchObject({ status: 'BOOKED', provider: 'VIETTELPOST' });
    const left = await withDb(p.database.url, (db) =>
      db.query(`SELECT left_providers FROM delivery.shipment WHERE id = $1`, [shipmentId]),
    );
    expect(left.rows[0].left_providers).toEqual(['GHN']);
  }, 30_000);
});
