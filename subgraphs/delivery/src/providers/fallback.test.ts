// Choosing the next courier and moving a shipment between couriers, with scripted couriers and
// with the real adapters behind the resilience wrapper (the simulator's failure hooks, and Grab
// against its local fake).
import { createLogger } from '@grocery/platform';
import { DeliveryOperationRefused, DeliveryProviderUnavailable } from './delivery-provider';
import { bookWithFallback, NoCourierAvailable, rebook, RebookRefused } from './fallback';
import { GrabDeliveryProvider } from './grab/grab-provider';
import { API, FAKE_GRAB_CLIENT, FakeGrab } from './grab/test/fake-grab';
import { ResilientDeliveryProvider } from './resilient-provider';
import { DeliverySimulator } from './simulator';
import { bookRequest, quoteRequest } from './test/requests';
import { ScriptedProvider } from './test/scripted-provider';

describe('bookWithFallback', () => {
  it('books with the first courier that is up, listing the ones passed over and why', async () => {
    const grab = new ScriptedProvider('GRAB');
    const vtp = new ScriptedProvider('VIETTELPOST');
    const ghn = new ScriptedProvider('GHN');
    grab.behaviour = 'unavailable';
    vtp.behaviour = 'not-offered';
    const { booking, tried } = await bookWithFallback([grab, vtp, ghn], bookRequest());
    expect(booking.provider).toBe('GHN');
    expect(tried.map((t) => [t.provider, t.error.constructor.name])).toEqual([
      ['GRAB', 'DeliveryProviderUnavailable'],
      ['VIETTELPOST', 'DeliveryOperationRefused'],
    ]);
  });

  it('does not try the next courier when one refuses this shipment for another reason', async () => {
    const grab = new ScriptedProvider('GRAB');
    const ghn = new ScriptedProvider('GHN');
    grab.behaviour = 'refuse';
    await expect(bookWithFallback([grab, ghn], bookRequest())).rejects.toBeInstanceOf(DeliveryOperationRefused);
    expect(ghn.calls).toHaveLength(0);
  });

  it('throws NoCourierAvailable listing every courier tried when none booked', async () => {
    const grab = new ScriptedProvider('GRAB');
    const ghn = new ScriptedProvider('GHN');
    grab.behaviour = 'unavailable';
    ghn.behaviour = 'not-offered';
    const err = await bookWithFallback([grab, ghn], bookRequest()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoCourierAvailable);
    expect((err as NoCourierAvailable).tried.map((t) => t.provider)).toEqual(['GRAB', 'GHN']);
    expect((err as Error).message).toContain('GRAB (unavailable), GHN (SERVICE_NOT_OFFERED)');
    await expect(bookWithFallback([], bookRequest())).rejects.toThrow('no delivery provider is configured');
  });

  it('books returns with bookReturn', async () => {
    const ghn = new ScriptedProvider('GHN');
    await bookWithFallback([ghn], bookRequest(), { as: 'return' });
    expect(ghn.count('bookReturn')).toBe(1);
    expect(ghn.count('book')).toBe(0);
  });

  describe('with real adapters behind the resilience wrapper', () => {
    const fake = new FakeGrab();
    let grabUrl: string;
    const wrap = (p: ConstructorParameters<typeof ResilientDeliveryProvider>[0]) =>
      new ResilientDeliveryProvider(p, {
        timeoutMs: 1_000, // a loaded CI machine takes longer than 200 ms for a token and a booking from the fake
        errorThresholdPercentage: 50,
        resetTimeoutMs: 60_000,
        volumeThreshold: 2,
      });
    let providers: ResilientDeliveryProvider[] = [];
    beforeAll(async () => {
      grabUrl = `${await fake.start()}${API}`;
    });
    afterAll(() => fake.stop());
    afterEach(() => providers.forEach((p) => p.shutdown()));

    it('moves from an unavailable simulator (sim_unavailable) to Grab', async () => {
      const sim = new DeliverySimulator({
        stepMs: 60_000,
        webhookUrl: () => undefined,
        logger: createLogger('silent'),
      });
      const grab = new GrabDeliveryProvider({
        clientId: FAKE_GRAB_CLIENT.id,
        clientSecret: FAKE_GRAB_CLIENT.secret,
        baseUrl: grabUrl,
        webhookSecret: 'w',
      });
      providers = [wrap(sim), wrap(grab)];
      const req = bookRequest({ parcel: { ...quoteRequest().parcel, reference: 'GRC-sim_unavailable' } });
      const { booking, tried } = await bookWithFallback(providers, req);
      expect(booking.provider).toBe('GRAB');
      expect(tried).toEqual([{ provider: 'SIMULATOR', error: expect.any(DeliveryProviderUnavailable) }]);
    });

    it('moves on from Grab when it hangs, and past its open circuit without waiting', async () => {
      const grab = new GrabDeliveryProvider({
        clientId: FAKE_GRAB_CLIENT.id,
        clientSecret: FAKE_GRAB_CLIENT.secret,
        baseUrl: grabUrl,
        webhookSecret: 'w',
      });
      const sim = new DeliverySimulator({
        stepMs: 60_000,
        webhookUrl: () => undefined,
        logger: createLogger('silent'),
      });
      providers = [wrap(grab), wrap(sim)];
      fake.server.mode = 'hang';
      try {
        for (let i = 0; i < 2; i++)
          expect((await bookWithFallback(providers, bookRequest())).booking.provider).toBe('SIMULATOR');
        expect(providers[0]!.circuitState).toBe('open');
        const started = Date.now();
        const { tried } = await bookWithFallback(providers, bookRequest());
        expect(Date.now() - started).toBeLessThan(100);
        expect(tried[0]!.error.message).toMatch(/circuit open/);
      } finally {
        fake.server.mode = 'up';
      }
    });
  });
});

describe('rebook', () => {
  it('cancels at the old courier, then books at the new one', async () => {
    const grab = new ScriptedProvider('GRAB');
    const ghn = new ScriptedProvider('GHN');
    const req = bookRequest();
    const ref = { shipmentId: req.shipmentId, providerRef: `GRAB-${req.shipmentId}` };
    const booking = await rebook(grab, ghn, ref, req);
    expect(booking.provider).toBe('GHN');
    expect(grab.cancelled.has(ref.providerRef)).toBe(true);
    expect(grab.calls.map((c) => c.method)).toEqual(['cancel']);
    expect(ghn.calls.map((c) => c.method)).toEqual(['book']);
  });

  it('refuses the switch when the old courier already picked the goods up, and books nothing', async () => {
    const grab = new ScriptedProvider('GRAB');
    const ghn = new ScriptedProvider('GHN');
    grab.cancelBehaviour = 'refuse';
    const req = bookRequest();
    const err = await rebook(grab, ghn, { shipmentId: req.shipmentId, providerRef: 'g1' }, req).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RebookRefused);
    expect(err).toMatchObject({ from: 'GRAB', refusal: { code: 'ALREADY_PICKED_UP' } });
    expect(ghn.calls).toHaveLength(0);
  });

  it('books nothing when the old courier cannot confirm the cancel (unavailable)', async () => {
    const grab = new ScriptedProvider('GRAB');
    const ghn = new ScriptedProvider('GHN');
    grab.cancelBehaviour = 'unavailable';
    const req = bookRequest();
    await expect(rebook(grab, ghn, { shipmentId: req.shipmentId, providerRef: 'g1' }, req)).rejects.toBeInstanceOf(
      DeliveryProviderUnavailable,
    );
    expect(ghn.calls).toHaveLength(0);
  });

  it('is safe to retry: a second rebook cancels again (idempotent) and gets the same booking', async () => {
    const sim = new DeliverySimulator({ stepMs: 60_000, webhookUrl: () => undefined, logger: createLogger('silent') });
    const other = new DeliverySimulator({
      stepMs: 60_000,
      webhookUrl: () => undefined,
      logger: createLogger('silent'),
    });
    try {
      const req = bookRequest();
      const first = await sim.book(req);
      const ref = { shipmentId: req.shipmentId, providerRef: first.providerRef };
      const a = await rebook(sim, other, ref, req);
      const b = await rebook(sim, other, ref, req);
      expect(b.providerRef).toBe(a.providerRef);
      expect((await sim.track(ref)).status).toBe('CANCELLED');
    } finally {
      sim.close();
      other.close();
    }
  });
});
