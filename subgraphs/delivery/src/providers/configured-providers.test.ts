// Which couriers the configuration enables, in which order, that each is wired to its endpoint
// and credentials behind the resilience wrapper, and that a courier named without what it needs
// stops start-up with a clear message.
import { ConfigError, loadConfig } from '@grocery/platform';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDeliveryProviders, deliveryWebhookPaths } from './configured-providers';
import { DeliveryProviderUnavailable } from './delivery-provider';
import { FAKE_GHN, API as GHN_API, FakeGhn } from './ghn/test/fake-ghn';
import { API as GRAB_API, FAKE_GRAB_CLIENT, FakeGrab } from './grab/test/fake-grab';
import { ResilientDeliveryProvider } from './resilient-provider';
import { DeliverySimulator } from './simulator';
import { bookRequest, quoteRequest } from './test/requests';
import { FAKE_VTP_USER, FakeViettelPost } from './viettelpost/test/fake-viettelpost';

const wiring = { webhookUrl: () => undefined };

describe('createDeliveryProviders', () => {
  const grab = new FakeGrab();
  const vtp = new FakeViettelPost();
  const ghn = new FakeGhn();
  let env: Record<string, string>;
  let providers: ResilientDeliveryProvider[] = [];

  beforeAll(async () => {
    const [g, v, h] = await Promise.all([grab.start(), vtp.start(), ghn.start()]);
    env = {
      GRAB_CLIENT_ID: FAKE_GRAB_CLIENT.id,
      GRAB_CLIENT_SECRET: FAKE_GRAB_CLIENT.secret,
      GRAB_BASE_URL: `${g}${GRAB_API}`,
      GRAB_WEBHOOK_SECRET: 'grab-webhook-secret',
      VIETTELPOST_USERNAME: FAKE_VTP_USER.username,
      VIETTELPOST_PASSWORD: FAKE_VTP_USER.password,
      VIETTELPOST_BASE_URL: v,
      VIETTELPOST_WEBHOOK_TOKEN: 'vtp-token',
      GHN_TOKEN: FAKE_GHN.token,
      GHN_SHOP_ID: FAKE_GHN.shopId,
      GHN_BASE_URL: `${h}${GHN_API}`,
    };
  });
  afterAll(() => Promise.all([grab.stop(), vtp.stop(), ghn.stop()]));
  afterEach(() => {
    for (const p of providers) p.shutdown();
    providers = [];
  });

  it('has the documented defaults: the simulator alone, sandbox hosts, 10 s calls', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      DELIVERY_PROVIDERS: ['SIMULATOR'],
      GRAB_BASE_URL: 'https://partner-api.grab.com/grab-express-sandbox',
      VIETTELPOST_BASE_URL: 'https://partner.viettelpost.vn',
      GHN_BASE_URL: 'https://dev-online-gateway.ghn.vn/shiip/public-api',
      DELIVERY_SIMULATOR_STEP_MS: 3_000,
      DELIVERY_CALL_TIMEOUT_MS: 10_000,
      DELIVERY_BREAKER_ERROR_PERCENT: 50,
      DELIVERY_BREAKER_RESET_MS: 30_000,
      DELIVERY_BREAKER_VOLUME: 5,
    });
    providers = createDeliveryProviders(c, wiring);
    expect(providers.map((p) => p.name)).toEqual(['SIMULATOR']);
    expect(providers[0]!.inner).toBeInstanceOf(DeliverySimulator);
  });

  it('refuses an unknown courier name when the configuration loads', () => {
    expect(() => loadConfig({ DELIVERY_PROVIDERS: 'SIMULATOR,GOJEK' })).toThrow(ConfigError);
  });

  it('stops start-up when a named courier lacks its credentials, naming each missing setting', () => {
    const c = loadConfig({ DELIVERY_PROVIDERS: 'GRAB,GHN', GRAB_CLIENT_ID: 'id', GHN_TOKEN: 't' });
    expect(() => createDeliveryProviders(c, wiring)).toThrow(ConfigError);
    expect(() => createDeliveryProviders(c, wiring)).toThrow(
      /GRAB, which needs GRAB_CLIENT_SECRET, GRAB_WEBHOOK_SECRET[\s\S]*GHN, which needs GHN_SHOP_ID/,
    );
    const v = loadConfig({ DELIVERY_PROVIDERS: 'VIETTELPOST', VIETTELPOST_USERNAME: 'u', VIETTELPOST_PASSWORD: 'p' });
    expect(() => createDeliveryProviders(v, wiring)).toThrow(/VIETTELPOST_WEBHOOK_TOKEN/);
  });

  it('refuses the public development simulator secret in production', () => {
    const c = loadConfig({ NODE_ENV: 'production', GATEWAY_SIGNING_SECRET: 'x'.repeat(32) });
    expect(() => createDeliveryProviders(c, wiring)).toThrow(/DELIVERY_SIMULATOR_SECRET/);
    const own = loadConfig({ NODE_ENV: 'production', DELIVERY_SIMULATOR_SECRET: 'an-own-secret-of-enough-length' });
    providers = createDeliveryProviders(own, wiring);
    expect(providers).toHaveLength(1);
  });

  it('wires every courier to its endpoint in preference order, each behind the resilience wrapper', async () => {
    providers = createDeliveryProviders(
      loadConfig({ ...env, DELIVERY_PROVIDERS: 'ghn, grab,VIETTELPOST,SIMULATOR' }),
      wiring,
    );
    expect(providers.map((p) => p.name)).toEqual(['GHN', 'GRAB', 'VIETTELPOST', 'SIMULATOR']);
    expect(providers.every((p) => p instanceof ResilientDeliveryProvider)).toBe(true);
    const [g, gr, v, s] = providers as [
      ResilientDeliveryProvider,
      ResilientDeliveryProvider,
      ResilientDeliveryProvider,
      ResilientDeliveryProvider,
    ];
    await expect(g.quote(quoteRequest({ service: 'NEXT_DAY' }))).resolves.toMatchObject({ provider: 'GHN' });
    await expect(gr.quote(quoteRequest())).resolves.toMatchObject({ provider: 'GRAB' });
    await expect(v.quote(quoteRequest({ service: 'NEXT_DAY' }))).resolves.toMatchObject({ provider: 'VIETTELPOST' });
    await expect(s.quote(quoteRequest())).resolves.toMatchObject({ provider: 'SIMULATOR' });
  });

  it('answers DeliveryProviderUnavailable when a courier cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const dead = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    providers = createDeliveryProviders(loadConfig({ ...env, DELIVERY_PROVIDERS: 'GHN', GHN_BASE_URL: dead }), wiring);
    await expect(providers[0]!.book(bookRequest({ service: 'NEXT_DAY' }))).rejects.toBeInstanceOf(
      DeliveryProviderUnavailable,
    );
  });

  it('gives the simulator the webhook URL callback and the step from the configuration', async () => {
    let server: Server | undefined;
    const seen: string[] = [];
    try {
      server = createServer((req, res) => {
        seen.push(`${req.url} ${String(req.headers['x-delivery-simulator-signature']).slice(0, 2)}`);
        res.writeHead(200).end();
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      providers = createDeliveryProviders(loadConfig({ DELIVERY_SIMULATOR_STEP_MS: '10' }), {
        webhookUrl: () => `${base}${deliveryWebhookPaths.SIMULATOR}`,
      });
      await providers[0]!.book(bookRequest());
      for (let i = 0; i < 200 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(seen[0]).toBe('/webhooks/delivery/simulator t=');
    } finally {
      providers.forEach((p) => p.shutdown());
      providers = [];
      await new Promise((resolve) => server?.close(resolve));
    }
  });
});
