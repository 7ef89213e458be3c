// The resilience wrapper around a scripted courier: timeouts, the breaker opening, failing fast
// and half-opening, and refusals that must pass through without counting.
import { DeliveryOperationRefused, DeliveryProviderUnavailable, DeliveryWebhookRejected } from './delivery-provider';
import { ResilientDeliveryProvider, type DeliveryResilienceOptions } from './resilient-provider';
import { bookRequest } from './test/requests';
import { ScriptedProvider } from './test/scripted-provider';

const options = (over: Partial<DeliveryResilienceOptions> = {}): DeliveryResilienceOptions => ({
  timeoutMs: 100,
  errorThresholdPercentage: 50,
  resetTimeoutMs: 200,
  volumeThreshold: 3,
  ...over,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ResilientDeliveryProvider', () => {
  let inner: ScriptedProvider;
  let provider: ResilientDeliveryProvider;
  const req = bookRequest();
  const ref = { shipmentId: req.shipmentId, providerRef: 'GRAB-1' };
  beforeEach(() => {
    inner = new ScriptedProvider('GRAB');
    provider = new ResilientDeliveryProvider(inner, options());
  });
  afterEach(() => provider.shutdown());

  it('passes answers through and keeps the courier’s name', async () => {
    expect(await provider.book(req)).toMatchObject({ provider: 'GRAB', status: 'BOOKED' });
    expect(provider.name).toBe('GRAB');
  });

  it('turns a call that hangs into DeliveryProviderUnavailable after the timeout', async () => {
    inner.behaviour = 'hang';
    const started = Date.now();
    const err = await provider.book(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryProviderUnavailable);
    expect(err).toMatchObject({ provider: 'GRAB', message: expect.stringContaining('book timed out after 100 ms') });
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('turns a transport failure into DeliveryProviderUnavailable', async () => {
    inner.behaviour = 'fail';
    await expect(provider.quote(req)).rejects.toBeInstanceOf(DeliveryProviderUnavailable);
  });

  it('opens the circuit after enough failures, fails fast without calling the courier, then half-opens', async () => {
    inner.behaviour = 'unavailable';
    for (let i = 0; i < 3; i++) await expect(provider.book(req)).rejects.toBeInstanceOf(DeliveryProviderUnavailable);
    expect(provider.circuitState).toBe('open');
    expect(inner.calls).toHaveLength(3);

    const err = await provider.track(ref).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryProviderUnavailable);
    expect((err as Error).message).toMatch(/circuit open/);
    expect(inner.calls).toHaveLength(3); // not called

    await sleep(250);
    expect(provider.circuitState).toBe('halfOpen');
    inner.behaviour = 'ok';
    expect(await provider.book(req)).toMatchObject({ status: 'BOOKED' });
    expect(provider.circuitState).toBe('closed');
  });

  it('counts timeouts towards opening the circuit', async () => {
    inner.behaviour = 'hang';
    for (let i = 0; i < 3; i++) await provider.quote(req).catch(() => undefined);
    expect(provider.circuitState).toBe('open');
  });

  it('passes refusals through unchanged and does not count them', async () => {
    inner.behaviour = 'refuse';
    for (let i = 0; i < 5; i++) await expect(provider.book(req)).rejects.toBeInstanceOf(DeliveryOperationRefused);
    expect(provider.circuitState).toBe('closed');
    expect(inner.calls).toHaveLength(5);
  });

  it('leaves webhooks out of the breaker: verification runs even with the circuit open', async () => {
    inner.behaviour = 'fail';
    for (let i = 0; i < 3; i++) await provider.book(req).catch(() => undefined);
    expect(provider.circuitState).toBe('open');
    await expect(provider.parseWebhook({ rawBody: Buffer.from('{}'), headers: {}, query: {} })).rejects.toBeInstanceOf(
      DeliveryWebhookRejected,
    );
  });
});
