// Which real providers the configuration enables, and that each is wired to its endpoint, our
// webhook URL and the resilience wrapper (one local server stands in for both Stripe and MoMo).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@grocery/platform';
import { createExternalPaymentProviders } from './configured-providers';
import { PaymentProviderUnavailable } from './payment-provider';
import type { ResilientPaymentProvider } from './resilient-provider';

const stripeEnv = { STRIPE_SECRET_KEY: 'sk_test_configured', STRIPE_WEBHOOK_SECRET: 'whsec_configured' };
const momoEnv = { MOMO_PARTNER_CODE: 'MOMOTEST2026', MOMO_ACCESS_KEY: 'access', MOMO_SECRET_KEY: 'secret' };
const opts = { webhookBaseUrl: 'https://api.example.vn/', returnUrl: 'https://shop.example.vn/return' };
const request = {
  paymentId: 'c0ffee00-0000-4000-8000-000000000001',
  orderId: 'order-1',
  amount: 120_000,
  currency: 'VND' as const,
  locale: 'en' as const,
  description: 'Order GRC-1',
};

describe('createExternalPaymentProviders', () => {
  let server: Server;
  let url: string;
  const bodies: { path: string; body: string }[] = [];
  let providers: ResilientPaymentProvider[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bodies.push({ path: req.url!, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        if (req.url === '/v1/payment_intents')
          return res.end(
            JSON.stringify({ id: 'pi_cfg', object: 'payment_intent', status: 'requires_capture', amount: 120_000 }),
          );
        const sent = JSON.parse(body) as { orderId: string; requestId: string };
        res.end(
          JSON.stringify({
            partnerCode: 'MOMOTEST2026',
            orderId: sent.orderId,
            requestId: sent.requestId,
            resultCode: 0,
            message: 'Successful.',
            payUrl: 'https://test-payment.momo.vn/pay',
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  afterEach(() => {
    for (const p of providers) p.shutdown();
    providers = [];
  });

  it('enables none without credentials, and not Stripe without its webhook secret', () => {
    expect(createExternalPaymentProviders(loadConfig({}), opts)).toEqual([]);
    expect(
      createExternalPaymentProviders(
        loadConfig({ STRIPE_SECRET_KEY: 'sk_test_x', ...momoEnv, MOMO_SECRET_KEY: '' }),
        opts,
      ),
    ).toEqual([]);
  });

  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      MOMO_ENDPOINT: 'https://test-payment.momo.vn',
      PAYMENT_CALL_TIMEOUT_MS: 10_000,
      PAYMENT_SLOW_CALL_TIMEOUT_MS: 30_000,
      PAYMENT_BREAKER_ERROR_PERCENT: 50,
      PAYMENT_BREAKER_RESET_MS: 30_000,
      PAYMENT_BREAKER_VOLUME: 5,
    });
  });

  it('wires Stripe to STRIPE_API_URL behind the resilience wrapper', async () => {
    providers = createExternalPaymentProviders(loadConfig({ ...stripeEnv, STRIPE_API_URL: url }), opts);
    expect(providers.map((p) => p.name)).toEqual(['STRIPE']);
    expect(await providers[0]!.authorize({ ...request, token: 'pm_card_visa' })).toEqual({
      status: 'AUTHORIZED',
      providerRef: 'pi_cfg',
    });
    expect(providers[0]!.webhookAck).toEqual({ status: 200, body: { received: true } });
  });

  it('wires MoMo to MOMO_ENDPOINT with our IPN URL and return URL', async () => {
    providers = createExternalPaymentProviders(loadConfig({ ...momoEnv, MOMO_ENDPOINT: url }), opts);
    expect(providers.map((p) => p.name)).toEqual(['MOMO']);
    bodies.length = 0;
    expect(await providers[0]!.authorize(request)).toMatchObject({
      status: 'PENDING',
      redirectUrl: 'https://test-payment.momo.vn/pay',
    });
    expect(bodies[0]!.path).toBe('/v2/gateway/api/create');
    expect(JSON.parse(bodies[0]!.body)).toMatchObject({
      ipnUrl: 'https://api.example.vn/webhooks/payments/momo',
      redirectUrl: 'https://shop.example.vn/return',
    });
    expect(providers[0]!.webhookAck).toEqual({ status: 204 });
  });

  it('answers PaymentProviderUnavailable when the provider cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    providers = createExternalPaymentProviders(
      loadConfig({ ...stripeEnv, ...momoEnv, STRIPE_API_URL: deadUrl, MOMO_ENDPOINT: deadUrl }),
      opts,
    );
    expect(providers.map((p) => p.name)).toEqual(['STRIPE', 'MOMO']);
    await expect(providers[1]!.authorize(request)).rejects.toBeInstanceOf(PaymentProviderUnavailable);
    await expect(providers[0]!.authorize({ ...request, token: 'pm_card_visa' })).rejects.toBeInstanceOf(
      PaymentProviderUnavailable,
    );
  });
});
