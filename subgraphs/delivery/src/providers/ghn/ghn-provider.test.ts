// The GHN adapter against a local fake of GHN's shipping-order API (fake-ghn.ts): headers, fee,
// idempotent create by client_order_code, cancel, status re-reads, returns, and unsigned
// webhooks that only ask for a re-read.
import {
  DeliveryOperationRefused,
  DeliveryProviderUnavailable,
  DeliveryWebhookRejected,
  SHIPMENT_STATUS_RANK,
  type IncomingWebhook,
} from '../delivery-provider';
import { bookRequest, customer, quoteRequest, returnRequest, store } from '../test/requests';
import { GhnDeliveryProvider } from './ghn-provider';
import { API, FAKE_GHN, FakeGhn } from './test/fake-ghn';

const nextDay = { service: 'NEXT_DAY' as const };

function webhook(body: unknown): IncomingWebhook {
  return { rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), headers: {}, query: {} };
}

describe('GhnDeliveryProvider', () => {
  const fake = new FakeGhn();
  let url: string;
  const provider = (over: { requestTimeoutMs?: number; token?: string } = {}) =>
    new GhnDeliveryProvider({ token: FAKE_GHN.token, shopId: FAKE_GHN.shopId, baseUrl: `${url}${API}`, ...over });

  beforeAll(async () => {
    url = await fake.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.server.calls.length = 0;
    fake.server.mode = 'up';
  });

  it('quotes NEXT_DAY with Token and ShopId headers, and refuses INSTANT and SAME_DAY as SERVICE_NOT_OFFERED', async () => {
    expect(await provider().quote(quoteRequest(nextDay))).toEqual({
      provider: 'GHN',
      service: 'NEXT_DAY',
      fee: 16_500 + 7_200,
    });
    const call = fake.server.to(`${API}/v2/shipping-order/fee`)[0]!;
    expect(call.headers).toMatchObject({ token: FAKE_GHN.token, shopid: FAKE_GHN.shopId });
    expect(call.body).toMatchObject({
      service_type_id: 2,
      to_ward_name: customer.ward,
      to_province_name: customer.province,
    });
    for (const service of ['INSTANT', 'SAME_DAY'] as const)
      await expect(provider().quote(quoteRequest({ service }))).rejects.toMatchObject({ code: 'SERVICE_NOT_OFFERED' });
  });

  it('sends GHN district and ward ids when a resolver knows them', async () => {
    const p = new GhnDeliveryProvider({
      ...FAKE_GHN,
      baseUrl: `${url}${API}`,
      areaOf: (place) => (place === customer ? { districtId: 1442, wardCode: '20109' } : undefined),
    });
    await p.quote(quoteRequest(nextDay));
    expect(fake.server.to(`${API}/v2/shipping-order/fee`)[0]!.body).toMatchObject({
      to_district_id: 1442,
      to_ward_code: '20109',
    });
  });

  it('treats a refused token as GHN being unavailable to us (the next courier is tried)', async () => {
    await expect(provider({ token: 'wrong' }).quote(quoteRequest(nextDay))).rejects.toBeInstanceOf(
      DeliveryProviderUnavailable,
    );
  });

  it('creates with client_order_code = shipment id; booking again, even from a fresh process, answers the same order', async () => {
    const req = bookRequest({ ...nextDay, parcel: { ...quoteRequest().parcel, codAmount: 320_000 } });
    const first = await provider().book(req);
    expect(first).toMatchObject({
      provider: 'GHN',
      status: 'BOOKED',
      fee: 16_500 + 7_200,
      eta: new Date('2026-12-08T10:59:59Z'),
    });
    expect(fake.server.to(`${API}/v2/shipping-order/create`)[0]!.body).toMatchObject({
      client_order_code: req.shipmentId,
      cod_amount: 320_000,
      from_name: store.name,
      to_name: customer.name,
    });
    const again = await provider().book(req);
    expect(again.providerRef).toBe(first.providerRef);
    expect(fake.server.to(`${API}/v2/shipping-order/detail-by-client-code`)).toHaveLength(1);
    expect([...fake.orders.values()].filter((o) => o.clientOrderCode === req.shipmentId)).toHaveLength(1);
  });

  it('cancels before pickup, succeeds on an order already cancelled, and refuses once picked', async () => {
    const p = provider();
    const req = bookRequest(nextDay);
    const booking = await p.book(req);
    const ref = { shipmentId: req.shipmentId, providerRef: booking.providerRef };
    await p.cancel(ref);
    expect(fake.orders.get(booking.providerRef)!.status).toBe('cancel');
    await expect(p.cancel(ref)).resolves.toBeUndefined();

    const picked = bookRequest(nextDay);
    const b2 = await p.book(picked);
    fake.setStatus(picked.shipmentId, 'picked');
    const err = await p.cancel({ shipmentId: picked.shipmentId, providerRef: b2.providerRef }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryOperationRefused);
    expect(err).toMatchObject({ code: 'ALREADY_PICKED_UP' });
  });

  it.each([
    ['ready_to_pick', 'BOOKED'],
    ['picking', 'COURIER_ASSIGNED'],
    ['picked', 'PICKED_UP'],
    ['storing', 'IN_TRANSIT'],
    ['transporting', 'IN_TRANSIT'],
    ['delivering', 'IN_TRANSIT'],
    ['delivery_fail', 'IN_TRANSIT'],
    ['delivered', 'DELIVERED'],
    ['waiting_to_return', 'FAILED'],
    ['return', 'FAILED'],
    ['returned', 'RETURNED'],
    ['cancel', 'CANCELLED'],
  ])('tracks GHN %s as %s, with the time GHN updated it', async (ghnStatus, status) => {
    const p = provider();
    const req = bookRequest(nextDay);
    const booking = await p.book(req);
    fake.setStatus(req.shipmentId, ghnStatus, '2026-12-07T09:30:00Z');
    const update = await p.track({ shipmentId: req.shipmentId, providerRef: booking.providerRef });
    expect(update).toMatchObject({
      eventId: `ghn:${booking.providerRef}:${ghnStatus}:2026-12-07T09:30:00Z`,
      providerRef: booking.providerRef,
      shipmentId: req.shipmentId,
      status,
      occurredAt: new Date('2026-12-07T09:30:00Z'),
      providerStatus: ghnStatus,
    });
  });

  it('gives a re-read of an unchanged order the same eventId, and an older status a lower rank', async () => {
    const p = provider();
    const req = bookRequest(nextDay);
    const booking = await p.book(req);
    const ref = { shipmentId: req.shipmentId, providerRef: booking.providerRef };
    fake.setStatus(req.shipmentId, 'delivering', '2026-12-07T09:30:00Z');
    const a = await p.track(ref);
    expect((await p.track(ref)).eventId).toBe(a.eventId);
    fake.setStatus(req.shipmentId, 'delivered', '2026-12-07T10:00:00Z');
    const delivered = await p.track(ref);
    expect(SHIPMENT_STATUS_RANK[a.status] < SHIPMENT_STATUS_RANK[delivered.status]).toBe(true);
    expect(a.occurredAt < delivered.occurredAt).toBe(true);
  });

  it('books a return from the customer to the store, collecting nothing', async () => {
    const req = returnRequest({ ...nextDay, parcel: { ...quoteRequest().parcel, codAmount: 75_000 } });
    await provider().bookReturn(req);
    expect(fake.server.to(`${API}/v2/shipping-order/create`).at(-1)!.body).toMatchObject({
      client_order_code: req.shipmentId,
      from_name: customer.name,
      to_name: store.name,
      to_ward_name: store.ward,
      cod_amount: 0,
    });
  });

  describe('webhook (unsigned: only a reason to re-read)', () => {
    it('names the order to re-read, whatever status it claims', async () => {
      expect(
        await provider().parseWebhook(
          webhook({
            OrderCode: 'LABC123',
            ClientOrderCode: 'c0ffee',
            Status: 'delivered',
            Type: 'switch_status',
            Time: '2026-12-07T10:00:00Z',
          }),
        ),
      ).toEqual({ kind: 'reread', providerRef: 'LABC123' });
    });

    it('rejects a body that is not a GHN notification with 400', async () => {
      for (const body of [
        'not json',
        { Status: 'delivered' },
        { OrderCode: 'L1' },
        { OrderCode: '../../etc', Status: 'x' },
      ]) {
        const err = await provider()
          .parseWebhook(webhook(body))
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(DeliveryWebhookRejected);
        expect(err).toMatchObject({ httpStatus: 400 });
      }
    });
  });

  it('is unavailable when GHN is down or hangs past the request timeout', async () => {
    const p = provider({ requestTimeoutMs: 150 });
    fake.server.mode = 'down';
    await expect(p.quote(quoteRequest(nextDay))).rejects.toBeInstanceOf(DeliveryProviderUnavailable);
    fake.server.mode = 'hang';
    await expect(p.quote(quoteRequest(nextDay))).rejects.toBeInstanceOf(DeliveryProviderUnavailable);
  });
});
