// The resilience wrapper around a scripted provider: timeouts, the circuit breaker opening, failing
// fast and half-opening, and business answers that must not count as failures.
import {
  PaymentOperationRefused,
  PaymentProviderUnavailable,
  WebhookRejected,
  type AuthorizeOutcome,
  type PaymentProvider,
} from './payment-provider';
import { ResilientPaymentProvider, type ResilienceOptions } from './resilient-provider';

type Behaviour = 'ok' | 'decline' | 'fail' | 'hang' | 'refuse';

/** A provider that does what the test says, and counts the calls that reached it. */
class ScriptedProvider implements PaymentProvider {
  readonly name = 'STRIPE' as const;
  readonly webhookAck = { status: 200 };
  behaviour: Behaviour = 'ok';
  calls = 0;

  async authorize(): Promise<AuthorizeOutcome> {
    this.calls++;
    switch (this.behaviour) {
      case 'ok':
        return { status: 'AUTHORIZED', providerRef: 'pi_1' };
      case 'decline':
        return { status: 'DECLINED', providerRef: 'pi_1', reason: 'insufficient_funds' };
      case 'fail':
        throw new Error('connect ECONNREFUSED 127.0.0.1:443');
      case 'refuse':
        throw new PaymentOperationRefused('STRIPE', 'amount_too_large', 'Amount too large');
      case 'hang':
        return new Promise<never>(() => {});
    }
  }
  async capture(): Promise<void> {
    this.calls++;
    if (this.behaviour === 'refuse')
      throw new PaymentOperationRefused('STRIPE', 'amount_too_large', 'Amount too large');
  }
  async cancel(): Promise<void> {}
  async refund(): Promise<void> {}
  async query() {
    return null;
  }
  async parseWebhook(): Promise<null> {
    throw new WebhookRejected('bad signature', 400);
  }
}

const request = {
  paymentId: 'pay-1',
  orderId: 'order-1',
  amount: 100_000,
  currency: 'VND' as const,
  locale: 'vi' as const,
  description: 'Đơn hàng GRC-1',
};
const ref = { paymentId: 'pay-1', orderId: 'order-1', providerRef: 'pi_1' };

const options = (over: Partial<ResilienceOptions> = {}): ResilienceOptions => ({
  timeoutMs: { authorize: 100, capture: 100, cancel: 100, refund: 100, query: 100 },
  errorThresholdPercentage: 50,
  resetTimeoutMs: 200,
  volumeThreshold: 3,
  ...over,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ResilientPaymentProvider', () => {
  let inner: ScriptedProvider;
  let provider: ResilientPaymentProvider;
  beforeEach(() => {
    inner = new ScriptedProvider();
    provider = new ResilientPaymentProvider(inner, options());
  });
  afterEach(() => provider.shutdown());

  it('passes answers through and keeps the provider’s name and webhook acknowledgement', async () => {
    expect(await provider.authorize(request)).toEqual({ status: 'AUTHORIZED', providerRef: 'pi_1' });
    expect(provider.name).toBe('STRIPE');
    expect(provider.webhookAck).toEqual({ status: 200 });
  });

  it('turns a call that hangs into PaymentProviderUnavailable after the method’s timeout', async () => {
    inner.behaviour = 'hang';
    const started = Date.now();
    const err = await provider.authorize(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaymentProviderUnavailable);
    expect(err).toMatchObject({ provider: 'STRIPE', message: expect.stringContaining('timed out after 100 ms') });
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('turns a transport failure into PaymentProviderUnavailable', async () => {
    inner.behaviour = 'fail';
    await expect(provider.authorize(request)).rejects.toBeInstanceOf(PaymentProviderUnavailable);
  });

  it('opens the circuit after enough failures, fails fast without calling the provider, then half-opens after the reset', async () => {
    inner.behaviour = 'fail';
    for (let i = 0; i < 3; i++)
      await expect(provider.authorize(request)).rejects.toBeInstanceOf(PaymentProviderUnavailable);
    expect(provider.circuitState).toBe('open');
    expect(inner.calls).toBe(3);

    const err = await provider.capture(ref, 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaymentProviderUnavailable);
    expect((err as Error).message).toMatch(/circuit open/);
    expect(inner.calls).toBe(3); // not called

    await sleep(250);
    expect(provider.circuitState).toBe('halfOpen');
    inner.behaviour = 'ok';
    expect(await provider.authorize(request)).toMatchObject({ status: 'AUTHORIZED' });
    expect(inner.calls).toBe(4);
    expect(provider.circuitState).toBe('closed');
  });

  it('re-opens when the probe after the reset fails', async () => {
    inner.behaviour = 'fail';
    for (let i = 0; i < 3; i++) await provider.authorize(request).catch(() => undefined);
    await sleep(250);
    await expect(provider.authorize(request)).rejects.toBeInstanceOf(PaymentProviderUnavailable);
    expect(provider.circuitState).toBe('open');
    expect(inner.calls).toBe(4);
  });

  it('does not count DECLINED answers as failures', async () => {
    inner.behaviour = 'decline';
    for (let i = 0; i < 6; i++) expect(await provider.authorize(request)).toMatchObject({ status: 'DECLINED' });
    inner.behaviour = 'fail';
    for (let i = 0; i < 2; i++) await provider.authorize(request).catch(() => undefined);
    // 2 failures in 8 calls: 25 %, under the 50 % threshold.
    expect(provider.circuitState).toBe('closed');
  });

  it('passes refusals through unchanged and does not count them', async () => {
    inner.behaviour = 'refuse';
    for (let i = 0; i < 5; i++) await expect(provider.capture(ref, 1)).rejects.toBeInstanceOf(PaymentOperationRefused);
    expect(provider.circuitState).toBe('closed');
    expect(inner.calls).toBe(5);
  });

  it('leaves webhooks out of the breaker: verification runs even with the circuit open', async () => {
    inner.behaviour = 'fail';
    for (let i = 0; i < 3; i++) await provider.authorize(request).catch(() => undefined);
    expect(provider.circuitState).toBe('open');
    await expect(provider.parseWebhook({ rawBody: Buffer.from('{}'), headers: {} })).rejects.toBeInstanceOf(
      WebhookRejected,
    );
  });
});
