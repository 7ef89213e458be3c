// The Grab Express adapter against a local fake of the GrabExpress Delivery API (fake-grab.ts):
// tokens, quotes, idempotent booking, cancel, tracking, returns and the tracking webhook.
import {
  DeliveryOperationRefused,
  DeliveryProviderUnavailable,
  DeliveryWebhookRejected,
  SHIPMENT_STATUS_RANK,
  type IncomingWebhook,
  type ShipmentUpdate,
} from '../delivery-provider';
import { bookRequest, customer, quoteRequest, returnRequest, store } from '../test/requests';
import { GrabDeliveryProvider } from './grab-provider';
import { API, FAKE_GRAB_CLIENT, FakeGrab } from './test/fake-grab';

const WEBHOOK_SECRET = 'grab-webhook-secret-agreed-with-support';

function webhook(
  body: Record<string, unknown>,
  headers: IncomingWebhook['headers'] = { authorization: WEBHOOK_SECRET },
): IncomingWebhook {
  return { rawBody: Buffer.from(JSON.stringify(body)), headers, query: {} };
}

async function updatesOf(p: GrabDeliveryProvider, w: IncomingWebhook): Promise<ShipmentUpdate[]> {
  const outcome = await p.parseWebhook(w);
  if (outcome.kind !== 'updates') throw new Error('expected updates');
  return outcome.updates;
}

describe('GrabDeliveryProvider', () => {
  const fake = new FakeGrab();
  let url: string;
  let clock = 1_800_000_000_000;
  const provider = (over: { requestTimeoutMs?: number } = {}) =>
    new GrabDeliveryProvider({
      clientId: FAKE_GRAB_CLIENT.id,
      clientSecret: FAKE_GRAB_CLIENT.secret,
      baseUrl: `${url}${API}`,
      webhookSecret: WEBHOOK_SECRET,
      now: () => clock,
      ...over,
    });

  beforeAll(async () => {
    url = await fake.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.server.calls.length = 0;
    fake.server.mode = 'up';
    fake.quoteDelayMs = 0;
  });

  it('fetches one token for many concurrent calls and reuses it until shortly before expiry', async () => {
    const p = provider();
    await Promise.all([p.quote(quoteRequest()), p.quote(quoteRequest()), p.quote(quoteRequest())]);
    expect(fake.server.to('/grabid/v1/oauth2/token')).toHaveLength(1);
    await p.quote(quoteRequest());
    expect(p.tokens.fetched).toBe(1);

    clock += 3_600_000 - 30_000; // inside the refresh margin before the hour is up
    await p.quote(quoteRequest());
    expect(p.tokens.fetched).toBe(2);
    expect(fake.server.to('/grabid/v1/oauth2/token')[0]!.body).toMatchObject({
      grant_type: 'client_credentials',
      scope: 'grab_express.partner_deliveries',
    });
  });

  it('fetches a new token once when Grab answers 401 to a revoked one', async () => {
    const p = provider();
    await p.quote(quoteRequest());
    fake.revokeTokens();
    await expect(p.quote(quoteRequest())).resolves.toMatchObject({ provider: 'GRAB' });
    expect(p.tokens.fetched).toBe(2);
  });

  it('refuses bad client credentials as an outage of Grab, not a business answer', async () => {
    const p = new GrabDeliveryProvider({
      clientId: 'wrong',
      clientSecret: 'wrong',
      baseUrl: `${url}${API}`,
      webhookSecret: WEBHOOK_SECRET,
    });
    await expect(p.quote(quoteRequest())).rejects.toBeInstanceOf(DeliveryProviderUnavailable);
  });

  it('quotes INSTANT and SAME_DAY in whole VND, and refuses NEXT_DAY as SERVICE_NOT_OFFERED without calling Grab', async () => {
    const p = provider();
    expect(await p.quote(quoteRequest())).toEqual({
      provider: 'GRAB',
      service: 'INSTANT',
      fee: 12_000 + 5 * 7_200,
      eta: new Date('2026-12-07T10:45:00Z'),
    });
    expect(fake.server.to(`${API}/v1/deliveries/quotes`)[0]!.body).toMatchObject({
      serviceType: 'INSTANT',
      origin: { coordinates: { latitude: store.latitude, longitude: store.longitude } },
    });
    await expect(p.quote(quoteRequest({ service: 'SAME_DAY' }))).resolves.toMatchObject({ service: 'SAME_DAY' });
    fake.server.calls.length = 0;
    const err = await p.quote(quoteRequest({ service: 'NEXT_DAY' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryOperationRefused);
    expect(err).toMatchObject({ provider: 'GRAB', code: 'SERVICE_NOT_OFFERED' });
    expect(fake.server.to(`${API}/v1/deliveries/quotes`)).toHaveLength(0);
  });

  it('refuses an address without coordinates (Grab routes by them)', async () => {
    const { latitude: _lat, longitude: _lng, ...noCoordinates } = customer;
    await expect(provider().quote(quoteRequest({ destination: noCoordinates }))).rejects.toMatchObject({
      code: 'ADDRESS_NOT_SUPPORTED',
    });
  });

  it('books with merchantOrderID = shipment id; booking again answers the same delivery, not a second one', async () => {
    const p = provider();
    const req = bookRequest({ parcel: { ...quoteRequest().parcel, codAmount: 320_000 } });
    const first = await p.book(req);
    expect(first).toMatchObject({ provider: 'GRAB', status: 'BOOKED', fee: 48_000 });
    expect(first.trackingUrl).toBeUndefined(); // no driver yet
    const sent = fake.server.to(`${API}/v1/deliveries`)[0]!.body;
    expect(sent).toMatchObject({ merchantOrderID: req.shipmentId, cashOnDelivery: { amount: 320_000 } });

    const again = await p.book(req);
    expect(again.providerRef).toBe(first.providerRef);
    expect([...fake.deliveries.values()].filter((d) => d.merchantOrderID === req.shipmentId)).toHaveLength(1);
  });

  it('after a restart, a duplicate it cannot resolve is refused, never booked twice', async () => {
    const req = bookRequest();
    await provider().book(req);
    const err = await provider()
      .book(req)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DUPLICATE_UNRESOLVED' });
    expect([...fake.deliveries.values()].filter((d) => d.merchantOrderID === req.shipmentId)).toHaveLength(1);
  });

  it('a restarted adapter that saw the webhook resolves the duplicate to the existing delivery', async () => {
    const req = bookRequest();
    const first = await provider().book(req);
    const restarted = provider();
    await restarted.parseWebhook(
      webhook({ deliveryID: first.providerRef, merchantOrderID: req.shipmentId, status: 'ALLOCATING', timestamp: 1 }),
    );
    expect((await restarted.book(req)).providerRef).toBe(first.providerRef);
  });

  it('cancels before pickup, succeeds again on a cancelled delivery, and refuses after pickup', async () => {
    const p = provider();
    const req = bookRequest();
    const booking = await p.book(req);
    const ref = { shipmentId: req.shipmentId, providerRef: booking.providerRef };
    await p.cancel(ref);
    expect(fake.deliveries.get(booking.providerRef)!.status).toBe('CANCELED');
    await expect(p.cancel(ref)).resolves.toBeUndefined();

    const picked = bookRequest();
    const b2 = await p.book(picked);
    fake.setStatus(picked.shipmentId, 'PENDING_DROP_OFF');
    const err = await p.cancel({ shipmentId: picked.shipmentId, providerRef: b2.providerRef }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryOperationRefused);
    expect(err).toMatchObject({ code: 'ALREADY_PICKED_UP' });
  });

  it.each([
    ['ALLOCATING', 'BOOKED'],
    ['PENDING_PICKUP', 'COURIER_ASSIGNED'],
    ['PICKING_UP', 'COURIER_ASSIGNED'],
    ['PENDING_DROP_OFF', 'PICKED_UP'],
    ['IN_DELIVERY', 'IN_TRANSIT'],
    ['COMPLETED', 'DELIVERED'],
    ['FAILED', 'FAILED'],
    ['IN_RETURN', 'FAILED'],
    ['RETURNED', 'RETURNED'],
    ['CANCELED', 'CANCELLED'],
  ])('tracks Grab %s as %s', async (grabStatus, status) => {
    const p = provider();
    const req = bookRequest();
    const booking = await p.book(req);
    fake.setStatus(req.shipmentId, grabStatus);
    const update = await p.track({ shipmentId: req.shipmentId, providerRef: booking.providerRef });
    expect(update).toMatchObject({
      provider: 'GRAB',
      providerRef: booking.providerRef,
      status,
      providerStatus: grabStatus,
    });
  });

  it('gives the tracking URL and driver once one is assigned', async () => {
    const p = provider();
    const req = bookRequest();
    const booking = await p.book(req);
    fake.setStatus(req.shipmentId, 'PICKING_UP');
    const update = await p.track({ shipmentId: req.shipmentId, providerRef: booking.providerRef });
    expect(update.trackingUrl).toBe(`https://express.grab.com/track/${booking.providerRef}`);
    expect(update.courier).toMatchObject({ name: 'Nguyễn Văn Tài' });
    expect(update.position).toMatchObject({ latitude: 10.77, longitude: 106.7 });
  });

  it('books a return from the customer to the store, with nothing to collect', async () => {
    const p = provider();
    const req = returnRequest({ parcel: { ...quoteRequest().parcel, codAmount: 50_000 } });
    await p.bookReturn(req);
    const sent = fake.server.to(`${API}/v1/deliveries`).at(-1)!.body;
    expect(sent).toMatchObject({
      merchantOrderID: req.shipmentId,
      origin: { coordinates: { latitude: customer.latitude } },
      destination: { coordinates: { latitude: store.latitude } },
      sender: { firstName: customer.name },
      recipient: { firstName: store.name },
    });
    expect(sent.cashOnDelivery).toBeUndefined();
  });

  describe('webhook', () => {
    const body = {
      deliveryID: 'IN-2-ABC',
      merchantOrderID: 'c0ffee00-0000-4000-8000-000000000001',
      timestamp: 1_765_100_000,
      status: 'PICKING_UP',
      trackURL: 'https://express.grab.com/track/IN-2-ABC',
      driver: {
        name: 'Lê Văn Bình',
        phone: '84900000001',
        licensePlate: '59X1-123.45',
        currentLat: 10.771,
        currentLng: 106.699,
      },
    };

    it('accepts the agreed secret and reads the update with its time and driver', async () => {
      const [update] = await updatesOf(provider(), webhook(body));
      expect(update).toEqual({
        eventId: 'grab:IN-2-ABC:PICKING_UP:1765100000',
        provider: 'GRAB',
        providerRef: 'IN-2-ABC',
        shipmentId: body.merchantOrderID,
        status: 'COURIER_ASSIGNED',
        occurredAt: new Date(1_765_100_000 * 1000),
        trackingUrl: body.trackURL,
        courier: { name: 'Lê Văn Bình', phone: '84900000001', vehicle: '59X1-123.45' },
        position: { latitude: 10.771, longitude: 106.699, at: new Date(1_765_100_000 * 1000) },
        providerStatus: 'PICKING_UP',
        reason: undefined,
      });
    });

    it('rejects a forged or missing secret with 401', async () => {
      for (const auth of ['not-the-secret', undefined, `${WEBHOOK_SECRET}x`]) {
        const err = await provider()
          .parseWebhook(webhook(body, { authorization: auth }))
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(DeliveryWebhookRejected);
        expect(err).toMatchObject({ httpStatus: 401 });
      }
    });

    it('rejects an authentic but malformed body with 400', async () => {
      await expect(provider().parseWebhook(webhook({ deliveryID: 'IN-2-ABC' }))).rejects.toMatchObject({
        httpStatus: 400,
      });
    });

    it('gives a replayed notification the same eventId, so the caller applies it once', async () => {
      const p = provider();
      const [a] = await updatesOf(p, webhook(body));
      const [b] = await updatesOf(p, webhook(body));
      expect(a!.eventId).toBe(b!.eventId);
      const [later] = await updatesOf(p, webhook({ ...body, status: 'IN_DELIVERY', timestamp: body.timestamp + 60 }));
      expect(later!.eventId).not.toBe(a!.eventId);
    });

    it('passes an older status through with its time; the caller ignores it by rank', async () => {
      const p = provider();
      const [delivered] = await updatesOf(
        p,
        webhook({ ...body, status: 'COMPLETED', timestamp: body.timestamp + 900 }),
      );
      const [late] = await updatesOf(p, webhook(body)); // PICKING_UP, arriving after COMPLETED
      expect(late!.occurredAt.getTime()).toBeLessThan(delivered!.occurredAt.getTime());
      const held = delivered!.status;
      const applies = SHIPMENT_STATUS_RANK[late!.status] >= SHIPMENT_STATUS_RANK[held];
      expect(applies).toBe(false);
    });

    it('acknowledges a state it does not know without updating anything', async () => {
      expect(await provider().parseWebhook(webhook({ ...body, status: 'SOMETHING_NEW' }))).toEqual({
        kind: 'updates',
        updates: [],
      });
    });
  });

  it('is unavailable when Grab is down or does not answer within the request timeout', async () => {
    const p = provider({ requestTimeoutMs: 150 });
    await p.quote(quoteRequest()); // token first
    fake.server.mode = 'down';
    await expect(p.quote(quoteRequest())).rejects.toBeInstanceOf(DeliveryProviderUnavailable);
    fake.server.mode = 'up';
    fake.quoteDelayMs = 1_000;
    const started = Date.now();
    await expect(p.quote(quoteRequest())).rejects.toBeInstanceOf(DeliveryProviderUnavailable);
    expect(Date.now() - started).toBeLessThan(900);
  });
});
