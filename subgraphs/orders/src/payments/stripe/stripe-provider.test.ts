// The Stripe adapter against a local fake of Stripe's API (node:http on 127.0.0.1): what the
// official client sends (form-encoded params, bearer key, Idempotency-Key) and how Stripe's
// documented answers map to the contract. Webhooks are signed the way Stripe signs them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { PaymentOperationRefused, WebhookRejected } from '../payment-provider';
import { StripePaymentProvider } from './stripe-provider';

const SECRET_KEY = 'sk_test_fake_key_for_the_local_fake';
const WEBHOOK_SECRET = 'whsec_test_local_secret';

interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  form: URLSearchParams;
}

/** PaymentIntents as Stripe documents them (https://docs.stripe.com/api/payment_intents/object). */
function paymentIntent(over: { id: string } & Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'payment_intent',
    amount: 250_000,
    amount_capturable: 0,
    amount_received: 0,
    currency: 'vnd',
    capture_method: 'manual',
    client_secret: `${over.id}_secret_abc`,
    created: 1_765_000_000,
    metadata: { paymentId: 'pay-1', orderId: 'order-1' },
    next_action: null,
    last_payment_error: null,
    cancellation_reason: null,
    latest_charge: null,
    status: 'requires_payment_method',
    livemode: false,
    ...over,
  };
}

class FakeStripe {
  readonly seen: SeenRequest[] = [];
  /** Answer the next N requests with a 500 (the client retries them). */
  failNext = 0;
  private server?: Server;
  private readonly intents = new Map<string, Record<string, unknown>>();

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  put(pi: Record<string, unknown>): void {
    this.intents.set(pi.id as string, pi);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url!, 'http://x');
    const seen: SeenRequest = {
      method: req.method!,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
    };
    this.seen.push(seen);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${this.seen.length}` });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${SECRET_KEY}`)
      return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    if (this.failNext > 0) {
      this.failNext--;
      return send(500, { error: { type: 'api_error', message: 'Something went wrong on our end' } });
    }
    const f = seen.form;
    let m: RegExpExecArray | null;
    if (seen.method === 'POST' && seen.path === '/v1/payment_intents') {
      const id = `pi_${this.seen.length}`;
      const base = {
        id,
        amount: Number(f.get('amount')),
        metadata: { paymentId: f.get('metadata[paymentId]'), orderId: f.get('metadata[orderId]') },
      };
      const pm = f.get('payment_method');
      if (pm === 'pm_card_chargeDeclined') {
        const pi = paymentIntent({
          ...base,
          status: 'requires_payment_method',
          last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' },
        });
        this.put(pi);
        // https://docs.stripe.com/api/errors: a 402 card_error carrying the PaymentIntent.
        return send(402, {
          error: {
            type: 'card_error',
            code: 'card_declined',
            decline_code: 'insufficient_funds',
            message: 'Your card has insufficient funds.',
            payment_intent: pi,
          },
        });
      }
      const pi =
        pm === 'pm_card_threeDSecure2Required'
          ? paymentIntent({
              ...base,
              status: 'requires_action',
              next_action: {
                type: 'redirect_to_url',
                redirect_to_url: { url: 'https://hooks.stripe.com/3ds', return_url: 'x' },
              },
            })
          : pm
            ? paymentIntent({ ...base, status: 'requires_capture', amount_capturable: base.amount })
            : paymentIntent({ ...base, status: 'requires_payment_method' });
      this.put(pi);
      return send(200, pi);
    }
    if (seen.method === 'POST' && (m = /^\/v1\/payment_intents\/([^/]+)\/capture$/.exec(seen.path))) {
      const pi = this.intents.get(m[1]!)!;
      const toCapture = Number(f.get('amount_to_capture') ?? pi.amount);
      if (toCapture > (pi.amount_capturable as number))
        return send(400, {
          error: { type: 'invalid_request_error', code: 'amount_too_large', message: 'Amount to capture is too large' },
        });
      Object.assign(pi, { status: 'succeeded', amount_capturable: 0, amount_received: toCapture });
      return send(200, pi);
    }
    if (seen.method === 'POST' && (m = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(seen.path))) {
      const pi = this.intents.get(m[1]!)!;
      if (pi.status === 'canceled')
        return send(400, {
          error: {
            type: 'invalid_request_error',
            code: 'payment_intent_unexpected_state',
            message: 'This PaymentIntent has already been canceled',
            payment_intent: pi,
          },
        });
      Object.assign(pi, { status: 'canceled', cancellation_reason: 'requested_by_customer', amount_capturable: 0 });
      return send(200, pi);
    }
    if (seen.method === 'POST' && seen.path === '/v1/refunds') {
      const pi = this.intents.get(f.get('payment_intent')!)!;
      const amount = Number(f.get('amount'));
      pi.latest_charge = {
        id: 'ch_1',
        object: 'charge',
        amount: pi.amount_received,
        amount_refunded: amount,
        payment_intent: pi.id,
        metadata: {},
      };
      return send(200, { id: 're_1', object: 'refund', amount, payment_intent: pi.id, status: 'succeeded' });
    }
    if (seen.method === 'GET' && (m = /^\/v1\/payment_intents\/([^/]+)$/.exec(seen.path))) {
      const pi = this.intents.get(m[1]!);
      if (!pi)
        return send(404, {
          error: {
            type: 'invalid_request_error',
            code: 'resource_missing',
            message: `No such payment_intent: '${m[1]}'`,
          },
        });
      const expand = seen.query.getAll('expand[]').concat(seen.query.getAll('expand[0]'));
      const latest = pi.latest_charge as { id?: string } | null;
      return send(200, { ...pi, latest_charge: latest && !expand.includes('latest_charge') ? latest.id : latest });
    }
    send(404, {
      error: { type: 'invalid_request_error', message: `Unrecognized request URL (${seen.method}: ${seen.path})` },
    });
  }
}

const request = {
  paymentId: 'pay-1',
  orderId: 'order-1',
  amount: 250_000,
  currency: 'VND' as const,
  locale: 'vi' as const,
  description: 'Đơn hàng GRC-1',
};

describe('StripePaymentProvider against a local fake Stripe API', () => {
  const fake = new FakeStripe();
  let provider: StripePaymentProvider;

  beforeAll(async () => {
    const apiUrl = await fake.start();
    provider = new StripePaymentProvider({
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      apiUrl,
      timeoutMs: 5_000,
    });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.seen.length = 0;
    fake.failNext = 0;
  });

  it('authorizes with a PaymentMethod: a manual-capture PaymentIntent in VND, confirmed, keyed by our payment id', async () => {
    const outcome = await provider.authorize({ ...request, token: 'pm_card_visa' });
    expect(outcome).toEqual({ status: 'AUTHORIZED', providerRef: expect.stringMatching(/^pi_/) });
    const [sent] = fake.seen;
    expect(sent!.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(sent!.headers['content-type']).toMatch(/application\/x-www-form-urlencoded/);
    expect(sent!.headers['idempotency-key']).toBe('authorize:pay-1');
    expect(Object.fromEntries(sent!.form)).toMatchObject({
      amount: '250000', // zero-decimal: đồng as they are
      currency: 'vnd',
      capture_method: 'manual',
      payment_method: 'pm_card_visa',
      confirm: 'true',
      'metadata[paymentId]': 'pay-1',
      'metadata[orderId]': 'order-1',
      'automatic_payment_methods[allow_redirects]': 'never',
    });
  });

  it('authorizes without a token: PENDING with the client secret, not confirmed (Stripe Elements confirms)', async () => {
    const outcome = await provider.authorize(request);
    expect(outcome).toMatchObject({ status: 'PENDING', clientSecret: expect.stringContaining('_secret_') });
    expect(fake.seen[0]!.form.has('confirm')).toBe(false);
    expect(fake.seen[0]!.form.has('payment_method')).toBe(false);
  });

  it('passes a return URL and hands back the 3-D Secure redirect when Stripe requires an action', async () => {
    const outcome = await provider.authorize({
      ...request,
      token: 'pm_card_threeDSecure2Required',
      returnUrl: 'https://shop.example.vn/checkout/return',
    });
    expect(outcome).toMatchObject({ status: 'PENDING', redirectUrl: 'https://hooks.stripe.com/3ds' });
    expect(fake.seen[0]!.form.get('return_url')).toBe('https://shop.example.vn/checkout/return');
  });

  it('answers DECLINED with the decline reason for a card error (402)', async () => {
    const outcome = await provider.authorize({ ...request, token: 'pm_card_chargeDeclined' });
    expect(outcome).toEqual({
      status: 'DECLINED',
      providerRef: expect.stringMatching(/^pi_/),
      reason: 'insufficient_funds',
    });
  });

  it('retries a 500 with the same Idempotency-Key', async () => {
    fake.failNext = 1;
    const outcome = await provider.authorize({ ...request, paymentId: 'pay-retry', token: 'pm_card_visa' });
    expect(outcome.status).toBe('AUTHORIZED');
    expect(fake.seen).toHaveLength(2);
    expect(fake.seen.map((s) => s.headers['idempotency-key'])).toEqual(['authorize:pay-retry', 'authorize:pay-retry']);
  });

  it('throws (for the resilience wrapper) when Stripe keeps failing', async () => {
    fake.failNext = 3; // the first attempt and both retries
    await expect(
      provider.authorize({ ...request, paymentId: 'pay-down', token: 'pm_card_visa' }),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
  });

  it('captures less than authorized with amount_to_capture, and refuses more as a business answer', async () => {
    const auth = await provider.authorize({ ...request, paymentId: 'pay-cap', token: 'pm_card_visa' });
    const ref = { paymentId: 'pay-cap', orderId: 'order-1', providerRef: auth.providerRef! };
    await expect(provider.capture(ref, 300_000)).rejects.toBeInstanceOf(PaymentOperationRefused);
    fake.seen.length = 0;
    await provider.capture(ref, 180_000);
    expect(fake.seen[0]!.path).toBe(`/v1/payment_intents/${ref.providerRef}/capture`);
    expect(fake.seen[0]!.form.get('amount_to_capture')).toBe('180000');
    expect(fake.seen[0]!.headers['idempotency-key']).toBe('capture:pay-cap');
    const state = await provider.query(ref);
    expect(state).toMatchObject({ status: 'CAPTURED', amount: 180_000, eventId: `query:${ref.providerRef}:succeeded` });
  });

  it('cancels an authorization, and a second cancel is harmless', async () => {
    const auth = await provider.authorize({ ...request, paymentId: 'pay-void', token: 'pm_card_visa' });
    const ref = { paymentId: 'pay-void', orderId: 'order-1', providerRef: auth.providerRef! };
    await provider.cancel(ref);
    expect(fake.seen.at(-1)!.headers['idempotency-key']).toBe('cancel:pay-void');
    await expect(provider.cancel(ref)).resolves.toBeUndefined();
    expect(await provider.query(ref)).toMatchObject({ status: 'CANCELLED', reason: 'requested_by_customer' });
  });

  it('refunds part of a captured payment, keyed by our refund id, and query then reports it', async () => {
    const auth = await provider.authorize({ ...request, paymentId: 'pay-ref', token: 'pm_card_visa' });
    const ref = { paymentId: 'pay-ref', orderId: 'order-1', providerRef: auth.providerRef! };
    await provider.capture(ref, 250_000);
    fake.seen.length = 0;
    await provider.refund(ref, 50_000, 'refund-7');
    expect(fake.seen[0]!.path).toBe('/v1/refunds');
    expect(Object.fromEntries(fake.seen[0]!.form)).toMatchObject({ payment_intent: ref.providerRef, amount: '50000' });
    expect(fake.seen[0]!.headers['idempotency-key']).toBe('refund:refund-7');
    expect(await provider.query(ref)).toMatchObject({
      status: 'PARTIALLY_REFUNDED',
      amount: 50_000,
      paymentId: 'pay-ref',
    });
  });

  it('queries an authorized PaymentIntent, and answers null for one Stripe does not know', async () => {
    const auth = await provider.authorize({ ...request, paymentId: 'pay-q', token: 'pm_card_visa' });
    const ref = { paymentId: 'pay-q', orderId: 'order-1', providerRef: auth.providerRef! };
    expect(await provider.query(ref)).toMatchObject({
      eventId: `query:${ref.providerRef}:requires_capture`,
      provider: 'STRIPE',
      paymentId: 'pay-q',
      status: 'AUTHORIZED',
      amount: 250_000,
    });
    expect(await provider.query({ ...ref, providerRef: 'pi_unknown' })).toBeNull();
  });

  describe('webhooks', () => {
    const signed = (payload: string, timestamp?: number) => ({
      rawBody: Buffer.from(payload),
      headers: {
        'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, timestamp }),
      },
    });
    const event = (type: string, object: Record<string, unknown>, id = 'evt_1') =>
      JSON.stringify({
        id,
        object: 'event',
        type,
        created: 1_765_000_123,
        api_version: '2026-11-18.endive',
        data: { object },
      });
    const pi = (over: Record<string, unknown> = {}) => paymentIntent({ id: 'pi_9', ...over });

    it.each([
      [
        'payment_intent.amount_capturable_updated',
        { status: 'requires_capture', amount_capturable: 250_000 },
        'AUTHORIZED',
      ],
      ['payment_intent.succeeded', { status: 'succeeded', amount_received: 200_000 }, 'CAPTURED'],
      [
        'payment_intent.payment_failed',
        { last_payment_error: { code: 'card_declined', decline_code: 'lost_card' } },
        'FAILED',
      ],
      ['payment_intent.canceled', { status: 'canceled', cancellation_reason: 'abandoned' }, 'CANCELLED'],
      ['payment_intent.requires_action', { status: 'requires_action' }, 'REQUIRES_ACTION'],
    ])('maps %s (%j) to %s', async (type, over, status) => {
      const update = await provider.parseWebhook(signed(event(type, pi(over))));
      expect(update).toMatchObject({
        eventId: 'evt_1',
        provider: 'STRIPE',
        paymentId: 'pay-1',
        providerRef: 'pi_9',
        status,
        occurredAt: new Date(1_765_000_123_000),
      });
      if (status === 'CAPTURED') expect(update!.amount).toBe(200_000);
      if (status === 'FAILED') expect(update!.reason).toBe('lost_card');
      if (status === 'CANCELLED') expect(update!.reason).toBe('abandoned');
    });

    it('maps charge.refunded to REFUNDED or PARTIALLY_REFUNDED by amount_refunded against amount', async () => {
      const charge = (amount_refunded: number) => ({
        id: 'ch_9',
        object: 'charge',
        amount: 250_000,
        amount_refunded,
        payment_intent: 'pi_9',
        metadata: { paymentId: 'pay-1', orderId: 'order-1' },
      });
      expect(await provider.parseWebhook(signed(event('charge.refunded', charge(250_000))))).toMatchObject({
        status: 'REFUNDED',
        amount: 250_000,
        providerRef: 'pi_9',
        paymentId: 'pay-1',
      });
      expect(await provider.parseWebhook(signed(event('charge.refunded', charge(40_000))))).toMatchObject({
        status: 'PARTIALLY_REFUNDED',
        amount: 40_000,
      });
    });

    it("reads the paymentId from the charge's PaymentIntent when the charge has none", async () => {
      const auth = await provider.authorize({ ...request, paymentId: 'pay-meta', token: 'pm_card_visa' });
      const charge = {
        id: 'ch_2',
        object: 'charge',
        amount: 250_000,
        amount_refunded: 250_000,
        payment_intent: auth.providerRef,
        metadata: {},
      };
      expect(await provider.parseWebhook(signed(event('charge.refunded', charge)))).toMatchObject({
        paymentId: 'pay-meta',
        status: 'REFUNDED',
      });
    });

    it('ignores event types it does not use', async () => {
      expect(
        await provider.parseWebhook(signed(event('customer.created', { id: 'cus_1', object: 'customer' }))),
      ).toBeNull();
    });

    it('rejects a forged signature, an altered body, an old timestamp and a missing header', async () => {
      const body = event('payment_intent.succeeded', pi({ status: 'succeeded' }));
      const forged = {
        rawBody: Buffer.from(body),
        headers: {
          'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_someone_else' }),
        },
      };
      const altered = { ...signed(body), rawBody: Buffer.from(body.replace('250000', '1')) };
      const old = signed(body, Math.floor(Date.now() / 1000) - 301);
      for (const webhook of [forged, altered, old, { rawBody: Buffer.from(body), headers: {} }]) {
        const rejected = await provider.parseWebhook(webhook).catch((e: unknown) => e);
        expect(rejected).toBeInstanceOf(WebhookRejected);
        expect((rejected as WebhookRejected).httpStatus).toBe(400);
      }
      // Within the tolerance it is accepted.
      await expect(provider.parseWebhook(signed(body, Math.floor(Date.now() / 1000) - 250))).resolves.toMatchObject({
        status: 'CAPTURED',
      });
    });

    it('acknowledges with 200 { received: true }', () => {
      expect(provider.webhookAck).toEqual({ status: 200, body: { received: true } });
    });
  });
});
