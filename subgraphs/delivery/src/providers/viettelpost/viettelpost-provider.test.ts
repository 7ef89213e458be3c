// The ViettelPost adapter against a local fake of its partner API v2 (fake-viettelpost.ts):
// log-in and the long-lived token, price, idempotent orders, cancel, returns and the webhook.
import {
  DeliveryOperationRefused,
  DeliveryProviderUnavailable,
  DeliveryWebhookRejected,
  SHIPMENT_STATUS_RANK,
  type IncomingWebhook,
  type ShipmentUpdate,
} from '../delivery-provider';
import { bookRequest, customer, quoteRequest, returnRequest, store } from '../test/requests';
import { FAKE_VTP_USER, FakeViettelPost } from './test/fake-viettelpost';
import { vietnamDate, vietnamTime } from './viettelpost-dates';
import { ViettelPostDeliveryProvider } from './viettelpost-provider';

const WEBHOOK_TOKEN = 'vtp-secure-token-configured-in-portal';

/** `token: null` sends a notification without TOKEN. */
function webhook(data: Record<string, unknown>, token: unknown = WEBHOOK_TOKEN): IncomingWebhook {
  const body = token === null ? { DATA: data } : { DATA: data, TOKEN: token };
  return { rawBody: Buffer.from(JSON.stringify(body)), headers: {}, query: {} };
}

async function updatesOf(p: ViettelPostDeliveryProvider, w: IncomingWebhook): Promise<ShipmentUpdate[]> {
  const outcome = await p.parseWebhook(w);
  if (outcome.kind !== 'updates') throw new Error('expected updates');
  return outcome.updates;
}

describe('ViettelPostDeliveryProvider', () => {
  const fake = new FakeViettelPost();
  let url: string;
  const provider = (over: { requestTimeoutMs?: number } = {}) =>
    new ViettelPostDeliveryProvider({ ...FAKE_VTP_USER, baseUrl: url, webhookToken: WEBHOOK_TOKEN, ...over });

  beforeAll(async () => {
    url = await fake.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.server.calls.length = 0;
    fake.server.mode = 'up';
  });

  it('logs in once (Login, then ownerconnect) for concurrent calls and sends the long-lived token', async () => {
    const p = provider();
    const req = quoteRequest({ service: 'NEXT_DAY' });
    await Promise.all([p.quote(req), p.quote(req), p.quote(req)]);
    await p.quote(req);
    expect(p.session.logins).toBe(1);
    expect(fake.server.to('/v2/user/Login')).toHaveLength(1);
    const connect = fake.server.to('/v2/user/ownerconnect')[0]!;
    expect(connect.body).toEqual({ USERNAME: FAKE_VTP_USER.username, PASSWORD: FAKE_VTP_USER.password });
    expect(String(fake.server.to('/v2/order/getPrice')[0]!.headers['token'])).toMatch(/^owner-/);
  });

  it('logs in again once when ViettelPost stops accepting the token', async () => {
    const p = provider();
    await p.quote(quoteRequest({ service: 'NEXT_DAY' }));
    fake.revokeTokens();
    await expect(p.quote(quoteRequest({ service: 'NEXT_DAY' }))).resolves.toMatchObject({ provider: 'VIETTELPOST' });
    expect(p.session.logins).toBe(2);
  });

  it('treats refused credentials as ViettelPost being unavailable to us', async () => {
    const p = new ViettelPostDeliveryProvider({
      username: 'x',
      password: 'y',
      baseUrl: url,
      webhookToken: WEBHOOK_TOKEN,
    });
    await expect(p.quote(quoteRequest({ service: 'NEXT_DAY' }))).rejects.toBeInstanceOf(DeliveryProviderUnavailable);
  });

  it('prices SAME_DAY as VHT and NEXT_DAY as VCN, and refuses INSTANT as SERVICE_NOT_OFFERED', async () => {
    const p = provider();
    expect(await p.quote(quoteRequest({ service: 'NEXT_DAY' }))).toMatchObject({ fee: 18_000 + 2 * 7_200 });
    expect(await p.quote(quoteRequest({ service: 'SAME_DAY' }))).toMatchObject({ fee: 2 * (18_000 + 2 * 7_200) });
    expect(fake.server.to('/v2/order/getPrice').map((c) => c.body.ORDER_SERVICE)).toEqual(['VCN', 'VHT']);
    await expect(p.quote(quoteRequest({ service: 'INSTANT' }))).rejects.toMatchObject({ code: 'SERVICE_NOT_OFFERED' });
  });

  it('sends ViettelPost area ids when a resolver knows them, and the full address always', async () => {
    const p = new ViettelPostDeliveryProvider({
      ...FAKE_VTP_USER,
      baseUrl: url,
      webhookToken: WEBHOOK_TOKEN,
      areaOf: (place) => (place === store ? { provinceId: 2, districtId: 43 } : undefined),
    });
    await p.quote(quoteRequest({ service: 'NEXT_DAY' }));
    expect(fake.server.to('/v2/order/getPrice')[0]!.body).toMatchObject({
      SENDER_PROVINCE: 2,
      SENDER_DISTRICT: 43,
      RECEIVER_ADDRESS: `${customer.address}, ${customer.ward}, ${customer.province}`,
    });
    expect(fake.server.to('/v2/order/getPrice')[0]!.body.RECEIVER_PROVINCE).toBeUndefined();
  });

  it('creates the order with ORDER_NUMBER = shipment id; booking again answers the same waybill', async () => {
    const p = provider();
    const req = bookRequest({ service: 'NEXT_DAY', parcel: { ...quoteRequest().parcel, codAmount: 320_000 } });
    const first = await p.book(req);
    expect(first).toMatchObject({ provider: 'VIETTELPOST', status: 'BOOKED', fee: 18_000 + 2 * 7_200 });
    expect(fake.server.to('/v2/order/createOrder')[0]!.body).toMatchObject({
      ORDER_NUMBER: req.shipmentId,
      ORDER_PAYMENT: 3,
      MONEY_COLLECTION: 320_000,
      ORDER_SERVICE: 'VCN',
    });
    const again = await p.book(req);
    expect(again.providerRef).toBe(first.providerRef);
    expect([...fake.orders.values()].filter((o) => o.orderNumber === req.shipmentId)).toHaveLength(1);
    await expect(provider().book(req)).rejects.toMatchObject({ code: 'DUPLICATE_UNRESOLVED' });
  });

  it('cancels with UpdateOrder TYPE 4, succeeds again on a cancelled order, and refuses after pickup', async () => {
    const p = provider();
    const req = bookRequest({ service: 'NEXT_DAY' });
    const booking = await p.book(req);
    const ref = { shipmentId: req.shipmentId, providerRef: booking.providerRef };
    await p.cancel(ref);
    expect(fake.server.to('/v2/order/UpdateOrder')[0]!.body).toMatchObject({
      TYPE: 4,
      ORDER_NUMBER: booking.providerRef,
    });
    await expect(provider().cancel(ref)).resolves.toBeUndefined(); // a fresh process: ViettelPost says already cancelled

    const picked = bookRequest({ service: 'NEXT_DAY' });
    const b2 = await p.book(picked);
    fake.setStatus(picked.shipmentId, 105);
    const err = await p.cancel({ shipmentId: picked.shipmentId, providerRef: b2.providerRef }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryOperationRefused);
    expect(err).toMatchObject({ code: 'ALREADY_PICKED_UP' });
  });

  it('books a return from the customer to the store, collecting nothing', async () => {
    const p = provider();
    const req = returnRequest({ service: 'NEXT_DAY', parcel: { ...quoteRequest().parcel, codAmount: 90_000 } });
    await p.bookReturn(req);
    expect(fake.server.to('/v2/order/createOrder').at(-1)!.body).toMatchObject({
      SENDER_FULLNAME: customer.name,
      RECEIVER_FULLNAME: store.name,
      ORDER_PAYMENT: 1,
      MONEY_COLLECTION: 0,
    });
  });

  it('refuses track: ViettelPost statuses arrive by webhook only', async () => {
    await expect(provider().track({ shipmentId: 's', providerRef: '1' })).rejects.toMatchObject({
      code: 'TRACK_NOT_AVAILABLE',
    });
  });

  it('reads and writes ViettelPost dates in Vietnam time', () => {
    expect(vietnamTime('13/12/2026 17:34:05')).toEqual(new Date('2026-12-13T10:34:05Z'));
    expect(vietnamDate(new Date('2026-12-13T10:34:05Z'))).toBe('13/12/2026 17:34:05');
  });

  describe('webhook', () => {
    const data = {
      ORDER_NUMBER: '10345381626',
      ORDER_REFERENCE: 'c0ffee00-0000-4000-8000-000000000002',
      ORDER_STATUSDATE: '07/12/2026 14:05:00',
      ORDER_STATUS: 105,
      STATUS_NAME: 'Bưu tá đã nhận hàng',
      LOCALION_CURRENTLY: 'Bưu cục Quận 1',
      NOTE: '',
      MONEY_COLLECTION: 0,
    };

    it('accepts the configured TOKEN and reads the status, reference and time', async () => {
      const [update] = await updatesOf(provider(), webhook(data));
      expect(update).toMatchObject({
        eventId: 'viettelpost:10345381626:105:07/12/2026 14:05:00',
        provider: 'VIETTELPOST',
        providerRef: '10345381626',
        shipmentId: data.ORDER_REFERENCE,
        status: 'PICKED_UP',
        occurredAt: new Date('2026-12-07T07:05:00Z'),
        providerStatus: '105 Bưu tá đã nhận hàng',
      });
    });

    it.each([
      [-100, 'BOOKED'],
      [104, 'COURIER_ASSIGNED'],
      [200, 'PICKED_UP'],
      [500, 'IN_TRANSIT'],
      [501, 'DELIVERED'],
      [505, 'FAILED'],
      [503, 'CANCELLED'],
      [504, 'RETURNED'],
      [107, 'CANCELLED'],
    ])('maps ORDER_STATUS %s to %s', async (code, status) => {
      const [update] = await updatesOf(provider(), webhook({ ...data, ORDER_STATUS: code }));
      expect(update!.status).toBe(status);
    });

    it('rejects a forged, missing or non-string TOKEN with 401', async () => {
      for (const token of ['guess', null, 12345, `${WEBHOOK_TOKEN} `]) {
        const err = await provider()
          .parseWebhook(webhook(data, token))
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(DeliveryWebhookRejected);
        expect(err).toMatchObject({ httpStatus: 401 });
      }
    });

    it('gives a replayed notification the same eventId', async () => {
      const p = provider();
      const [a] = await updatesOf(p, webhook(data));
      const [b] = await updatesOf(p, webhook(data));
      expect(a!.eventId).toBe(b!.eventId);
    });

    it('passes an older status through with its time; ranked below the held one, the caller ignores it', async () => {
      const p = provider();
      const [delivered] = await updatesOf(
        p,
        webhook({ ...data, ORDER_STATUS: 501, ORDER_STATUSDATE: '07/12/2026 18:00:00' }),
      );
      const [late] = await updatesOf(p, webhook(data));
      expect(late!.occurredAt < delivered!.occurredAt).toBe(true);
      expect(SHIPMENT_STATUS_RANK[late!.status] < SHIPMENT_STATUS_RANK[delivered!.status]).toBe(true);
    });

    it('lets a restarted adapter resolve a duplicate booking from the webhook reference', async () => {
      const req = bookRequest({ service: 'NEXT_DAY' });
      const first = await provider().book(req);
      const restarted = provider();
      await restarted.parseWebhook(
        webhook({ ...data, ORDER_NUMBER: first.providerRef, ORDER_REFERENCE: req.shipmentId, ORDER_STATUS: -100 }),
      );
      expect((await restarted.book(req)).providerRef).toBe(first.providerRef);
    });
  });

  it('is unavailable when ViettelPost is down or hangs past the request timeout', async () => {
    const p = provider({ requestTimeoutMs: 150 });
    await p.quote(quoteRequest({ service: 'NEXT_DAY' }));
    fake.server.mode = 'down';
    await expect(p.quote(quoteRequest({ service: 'NEXT_DAY' }))).rejects.toBeInstanceOf(DeliveryProviderUnavailable);
    fake.server.mode = 'hang';
    await expect(p.quote(quoteRequest({ service: 'NEXT_DAY' }))).rejects.toBeInstanceOf(DeliveryProviderUnavailable);
  });
});
