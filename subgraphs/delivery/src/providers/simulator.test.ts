// The built-in courier: deterministic quotes, a shipment moving along on its clock with the
// driver's position, every step told by a signed webhook our endpoint can verify, the test hooks
// the fallback relies on, and cancel/track/close.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@grocery/platform';
import {
  DeliveryOperationRefused,
  DeliveryProviderUnavailable,
  DeliveryWebhookRejected,
  type IncomingWebhook,
  type ShipmentUpdate,
} from './delivery-provider';
import { DELIVERY_SIMULATOR_SIGNATURE_HEADER, DeliverySimulator } from './simulator';
import { bookRequest, customer, quoteRequest, store } from './test/requests';

const STEP_MS = 15;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('DeliverySimulator', () => {
  let server: Server;
  let url: string;
  let received: IncomingWebhook[] = [];
  let sim: DeliverySimulator;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          rawBody: Buffer.concat(chunks),
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
          query: {},
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/delivery/simulator`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    received = [];
    sim = new DeliverySimulator({
      secret: 'delivery-simulator-test-secret',
      stepMs: STEP_MS,
      positionsInTransit: 2,
      webhookUrl: () => url,
      logger: createLogger('silent'),
    });
  });
  afterEach(() => sim.close());

  /**
   * The webhooks so far about one shipment, verified and parsed as our endpoint would (a webhook
   * of an earlier test's shipment may still be in flight when the next test starts).
   */
  async function updates(providerRef: string): Promise<ShipmentUpdate[]> {
    const all: ShipmentUpdate[] = [];
    for (const w of received) {
      const outcome = await sim.parseWebhook(w);
      if (outcome.kind === 'updates') all.push(...outcome.updates.filter((u) => u.providerRef === providerRef));
    }
    return all;
  }

  async function until(
    providerRef: string,
    done: (u: ShipmentUpdate[]) => boolean,
    ms = 2_000,
  ): Promise<ShipmentUpdate[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const u = await updates(providerRef);
      if (done(u) || Date.now() > deadline) return u;
      await sleep(5);
    }
  }

  it('quotes a deterministic fee that grows with distance, weight and speed', async () => {
    const a = await sim.quote(quoteRequest());
    expect(await sim.quote(quoteRequest())).toEqual(a);
    const far = await sim.quote(quoteRequest({ destination: { ...customer, latitude: 10.85, longitude: 106.77 } }));
    const heavy = await sim.quote(quoteRequest({ parcel: { ...quoteRequest().parcel, weightGrams: 12_000 } }));
    const slow = await sim.quote(quoteRequest({ service: 'NEXT_DAY' }));
    expect(far.fee).toBeGreaterThan(a.fee);
    expect(heavy.fee).toBe(a.fee + 2_000 * (9 - 5));
    expect(slow.fee).toBe(a.fee - 10_000);
  });

  it('books, then moves through every status to DELIVERED with the driver travelling from store to customer', async () => {
    const req = bookRequest();
    const booking = await sim.book(req);
    expect(booking).toMatchObject({ provider: 'SIMULATOR', status: 'BOOKED' });
    const arrived = await until(booking.providerRef, (u) => u.some((x) => x.status === 'DELIVERED'));
    // Webhooks are concurrent POSTs and may arrive out of order, as a real courier's do: the
    // caller orders them by rank and time; here, by the time each step happened.
    const all = [...arrived].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    expect(all.map((u) => u.status)).toEqual([
      'COURIER_ASSIGNED',
      'PICKED_UP',
      'IN_TRANSIT',
      'IN_TRANSIT',
      'DELIVERED',
    ]);
    expect(all.every((u) => u.providerRef === booking.providerRef && u.shipmentId === req.shipmentId)).toBe(true);
    const lat = all.map((u) => u.position!.latitude);
    expect(lat[0]).toBeCloseTo(store.latitude!, 6);
    expect(lat.at(-1)).toBeCloseTo(customer.latitude!, 6);
    expect(lat[2]).toBeCloseTo(store.latitude! + (customer.latitude! - store.latitude!) / 3, 5);
    expect(new Set(all.map((u) => u.eventId)).size).toBe(all.length);
    expect(all[0]!.courier).toMatchObject({ name: expect.any(String) });
    expect((await sim.track({ shipmentId: req.shipmentId, providerRef: booking.providerRef })).status).toBe(
      'DELIVERED',
    );
  });

  it('answers the same booking for the same shipment id', async () => {
    const req = bookRequest();
    const a = await sim.book(req);
    expect((await sim.book(req)).providerRef).toBe(a.providerRef);
  });

  it('tracks the current state', async () => {
    const req = bookRequest();
    const b = await sim.book(req);
    const ref = { shipmentId: req.shipmentId, providerRef: b.providerRef };
    expect((await sim.track(ref)).status).toBe('BOOKED');
    await until(b.providerRef, (u) => u.some((x) => x.status === 'PICKED_UP'));
    expect(['PICKED_UP', 'IN_TRANSIT', 'DELIVERED']).toContain((await sim.track(ref)).status);
  });

  it('cancels before pickup (idempotently, told by webhook) and refuses once picked up', async () => {
    const slow = new DeliverySimulator({
      secret: 's',
      stepMs: 60_000,
      webhookUrl: () => url,
      logger: createLogger('silent'),
    });
    try {
      const req = bookRequest();
      const b = await slow.book(req);
      const ref = { shipmentId: req.shipmentId, providerRef: b.providerRef };
      await slow.cancel(ref);
      await slow.cancel(ref);
      expect((await slow.track(ref)).status).toBe('CANCELLED');
      const mine = () => received.filter((w) => w.rawBody.toString().includes(b.providerRef));
      for (let i = 0; i < 200 && mine().length === 0; i++) await sleep(5);
      expect(mine()).toHaveLength(1);
      expect(await slow.parseWebhook(mine()[0]!)).toMatchObject({ updates: [{ status: 'CANCELLED' }] });
    } finally {
      slow.close();
    }
    received = [];
    const req = bookRequest();
    const b = await sim.book(req);
    await until(b.providerRef, (u) => u.some((x) => x.status === 'PICKED_UP'));
    const err = await sim.cancel({ shipmentId: req.shipmentId, providerRef: b.providerRef }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryOperationRefused);
    expect(err).toMatchObject({ code: 'ALREADY_PICKED_UP' });
  });

  it('has hooks to be unavailable, to refuse, and to fail the delivery', async () => {
    await expect(
      sim.quote(quoteRequest({ parcel: { ...quoteRequest().parcel, reference: 'GRC-sim_unavailable' } })),
    ).rejects.toBeInstanceOf(DeliveryProviderUnavailable);
    await expect(
      sim.book(bookRequest({ destination: { ...customer, address: '1 sim_refuse St' } })),
    ).rejects.toMatchObject({
      code: 'OUTSIDE_SERVICE_AREA',
    });
    const failing = await sim.book(bookRequest({ parcel: { ...quoteRequest().parcel, reference: 'GRC-sim_fail' } }));
    const all = await until(failing.providerRef, (u) => u.some((x) => x.status === 'FAILED'));
    expect(all.at(-1)).toMatchObject({ status: 'FAILED', reason: expect.stringContaining('sim_fail') });
  });

  describe('webhook', () => {
    const body = JSON.stringify({
      id: 'sim_shp_1:3',
      type: 'shipment.updated',
      created: Date.parse('2026-12-07T07:00:00Z'),
      data: {
        providerRef: 'sim_shp_1',
        shipmentId: 's1',
        status: 'IN_TRANSIT',
        position: { latitude: 10.77, longitude: 106.69, at: '2026-12-07T07:00:00Z' },
      },
    });
    const signed = (raw: string, signature: string | undefined): IncomingWebhook => ({
      rawBody: Buffer.from(raw),
      headers: { [DELIVERY_SIMULATOR_SIGNATURE_HEADER]: signature },
      query: {},
    });

    it('accepts its own signature and gives the event id, time and position', async () => {
      const outcome = await sim.parseWebhook(signed(body, sim.sign(body)));
      expect(outcome).toEqual({
        kind: 'updates',
        updates: [
          {
            eventId: 'sim_shp_1:3',
            provider: 'SIMULATOR',
            providerRef: 'sim_shp_1',
            shipmentId: 's1',
            status: 'IN_TRANSIT',
            occurredAt: new Date('2026-12-07T07:00:00Z'),
            position: { latitude: 10.77, longitude: 106.69, at: new Date('2026-12-07T07:00:00Z') },
          },
        ],
      });
    });

    it('rejects a forged, tampered, missing or stale signature with 401', async () => {
      const other = new DeliverySimulator({
        secret: 'another',
        stepMs: 1,
        webhookUrl: () => undefined,
        logger: createLogger('silent'),
      });
      const cases = [
        signed(body, other.sign(body)),
        signed(body.replace('IN_TRANSIT', 'DELIVERED'), sim.sign(body)),
        signed(body, undefined),
        signed(body, sim.sign(body, Date.now() - 301_000)),
      ];
      for (const w of cases) {
        const err = await sim.parseWebhook(w).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(DeliveryWebhookRejected);
        expect(err).toMatchObject({ httpStatus: 401 });
      }
    });

    it('gives a replayed (re-sent) event the same eventId, for the caller to apply once', async () => {
      const first = await sim.parseWebhook(signed(body, sim.sign(body)));
      const again = await sim.parseWebhook(signed(body, sim.sign(body, Date.now() + 1_000)));
      expect(again).toEqual(first);
    });
  });

  it('sends nothing more once closed', async () => {
    const b = await sim.book(bookRequest());
    sim.close();
    await sleep(STEP_MS * 4);
    expect(received.filter((w) => w.rawBody.toString().includes(b.providerRef))).toHaveLength(0);
  });
});
