// The MoMo adapter against a local fake of MoMo's AIO v2 gateway (node:http on 127.0.0.1). The fake
// recomputes every request's signature from the field orders MoMo documents (written out here
// again, not imported, so a wrong order in the adapter fails), keeps its own payment states, and
// sends IPNs signed the way MoMo signs them.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PaymentOperationRefused, WebhookRejected } from '../payment-provider';
import {
  MomoPaymentProvider,
  MomoUnavailable,
  momoRawSignature,
  momoSignature,
  MOMO_SIGNED_FIELDS,
} from './momo-provider';

const PARTNER = 'MOMOTEST2026';
const ACCESS_KEY = 'test-access-key';
const SECRET = 'test-secret-key-for-the-local-fake';

/** Raw-signature formats as the docs print them (developers.momo.vn/v3, pages cited in the adapter). */
const DOCUMENTED = {
  '/v2/gateway/api/create':
    'accessKey=$accessKey&amount=$amount&extraData=$extraData&ipnUrl=$ipnUrl&orderId=$orderId&orderInfo=$orderInfo&partnerCode=$partnerCode&redirectUrl=$redirectUrl&requestId=$requestId&requestType=$requestType',
  '/v2/gateway/api/query': 'accessKey=$accessKey&orderId=$orderId&partnerCode=$partnerCode&requestId=$requestId',
  '/v2/gateway/api/confirm':
    'accessKey=$accessKey&amount=$amount&description=$description&orderId=$orderId&partnerCode=$partnerCode&requestId=$requestId&requestType=$requestType',
  '/v2/gateway/api/refund':
    'accessKey=$accessKey&amount=$amount&description=$description&orderId=$orderId&partnerCode=$partnerCode&requestId=$requestId&transId=$transId',
  ipn: 'accessKey=$accessKey&amount=$amount&extraData=$extraData&message=$message&orderId=$orderId&orderInfo=$orderInfo&orderType=$orderType&partnerCode=$partnerCode&payType=$payType&requestId=$requestId&responseTime=$responseTime&resultCode=$resultCode&transId=$transId',
} as const;

function signDocumented(format: string, values: Record<string, unknown>): string {
  const raw = format.replace(/\$(\w+)/g, (_, k: string) => String(values[k] ?? ''));
  return createHmac('sha256', SECRET).update(raw).digest('hex');
}

interface FakeOrder {
  orderId: string;
  requestId: string;
  amount: number;
  orderInfo: string;
  extraData: string;
  autoCapture: unknown;
  resultCode: number;
  transId: number;
  refunds: { orderId: string; amount: number; resultCode: number; transId: number }[];
}

class FakeMomo {
  readonly seen: { path: string; body: Record<string, unknown> }[] = [];
  badSignatures = 0;
  /** 'down': answer 503; 'hang': never answer. */
  mode: 'up' | 'down' | 'hang' = 'up';
  readonly orders = new Map<string, FakeOrder>();
  private nextTransId = 4_088_878_600;
  private server?: Server;
  private readonly hanging: ServerResponse[] = [];

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** The customer approves in the MoMo app: authorised (autoCapture false) or paid. */
  customerPays(orderId: string): FakeOrder {
    const order = this.orders.get(orderId)!;
    order.resultCode = order.autoCapture === false ? 9000 : 0;
    order.transId = this.nextTransId++;
    return order;
  }

  /** The IPN MoMo posts for an order, signed as documented. */
  ipn(order: FakeOrder, over: Record<string, unknown> = {}, secret = SECRET): Buffer {
    const body: Record<string, unknown> = {
      partnerCode: PARTNER,
      orderId: order.orderId,
      requestId: order.requestId,
      amount: order.amount,
      orderInfo: order.orderInfo,
      orderType: 'momo_wallet',
      transId: order.transId,
      resultCode: order.resultCode,
      message: order.resultCode === 9000 ? 'Giao dịch đã được xác nhận thành công.' : 'Successful.',
      payType: 'qr',
      responseTime: 1_765_000_456_789,
      extraData: order.extraData,
      ...over,
    };
    const raw = DOCUMENTED.ipn.replace(/\$(\w+)/g, (_, k: string) =>
      String(k === 'accessKey' ? ACCESS_KEY : (body[k] ?? '')),
    );
    body.signature = createHmac('sha256', secret).update(raw).digest('hex');
    return Buffer.from(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    const path = new URL(req.url!, 'http://x').pathname;
    this.seen.push({ path, body });
    if (this.mode === 'hang') return void this.hanging.push(res);
    const send = (status: number, answer: Record<string, unknown>) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ partnerCode: PARTNER, responseTime: Date.now(), ...answer }));
    };
    if (this.mode === 'down') return send(503, { resultCode: 99, message: 'Service unavailable' });
    const format = DOCUMENTED[path as keyof typeof DOCUMENTED];
    if (!format) return send(404, { resultCode: 12, message: 'Unsupported API' });
    if (body.partnerCode !== PARTNER || body.signature !== signDocumented(format, { ...body, accessKey: ACCESS_KEY })) {
      this.badSignatures++;
      return send(400, { resultCode: 11, message: 'Access denied: wrong signature' });
    }
    const orderId = body.orderId as string;
    const requestId = body.requestId as string;
    const result = (resultCode: number, message: string, extra: Record<string, unknown> = {}) =>
      send(200, { orderId, requestId, resultCode, message, ...extra });

    if (path === '/v2/gateway/api/create') {
      const amount = Number(body.amount);
      if (amount < 1_000) return result(22, 'Transaction amount is out of range.');
      const order: FakeOrder = {
        orderId,
        requestId,
        amount,
        orderInfo: body.orderInfo as string,
        extraData: body.extraData as string,
        autoCapture: body.autoCapture,
        resultCode: 1000,
        transId: 0,
        refunds: [],
      };
      if (!this.orders.has(orderId)) this.orders.set(orderId, order);
      return result(0, 'Thành công.', {
        amount,
        payUrl: `https://test-payment.momo.vn/v2/gateway/pay?t=${orderId}`,
        deeplink: `momo://app?action=payWithApp&orderId=${orderId}`,
        qrCodeUrl: `momo://app?action=payWithApp&qr=${orderId}`,
      });
    }
    if (path === '/v2/gateway/api/query') {
      const order = this.orders.get(orderId);
      if (!order) return result(42, 'Invalid orderId or orderId is not found.');
      return result(order.resultCode, 'query answer', {
        amount: order.amount,
        transId: order.transId,
        payType: 'qr',
        extraData: order.extraData,
        refundTrans: order.refunds,
      });
    }
    if (path === '/v2/gateway/api/confirm') {
      const order = this.orders.get(orderId);
      if (!order || order.resultCode !== 9000) return result(1080, 'Transaction is not in an authorized state.');
      if (body.requestType === 'capture') {
        if (Number(body.amount) > order.amount) return result(21, 'Invalid amount.');
        Object.assign(order, { resultCode: 0, amount: Number(body.amount) });
      } else order.resultCode = 1003;
      return result(0, 'Successful.', { amount: order.amount, transId: order.transId, requestType: body.requestType });
    }
    if (path === '/v2/gateway/api/refund') {
      const order = [...this.orders.values()].find((o) => o.transId === Number(body.transId));
      if (!order || order.resultCode !== 0)
        return result(1080, 'Refund attempt failed: transaction not found or not paid.');
      const refund = { orderId, amount: Number(body.amount), resultCode: 0, transId: this.nextTransId++ };
      order.refunds.push(refund);
      return result(0, 'Successful.', { amount: refund.amount, transId: refund.transId });
    }
  }
}

const request = {
  paymentId: '6f1c2f0e-8b1a-4c55-9d3e-0a2b3c4d5e6f',
  orderId: 'order-1',
  amount: 250_000,
  currency: 'VND' as const,
  locale: 'vi' as const,
  description: 'Đơn hàng GRC-1',
  returnUrl: 'https://shop.example.vn/checkout/return',
};
const refOf = (paymentId: string, providerRef = paymentId) => ({ paymentId, providerRef, orderId: 'order-1' });

describe('MomoPaymentProvider against a local fake MoMo gateway', () => {
  const fake = new FakeMomo();
  let endpoint: string;
  let provider: MomoPaymentProvider;
  let n = 0;
  /** A fresh payment id per test (MoMo orderIds are unique per attempt). */
  const nextPaymentId = () => `${request.paymentId.slice(0, -2)}${String(++n).padStart(2, '0')}`;

  beforeAll(async () => {
    endpoint = await fake.start();
    provider = new MomoPaymentProvider({
      partnerCode: PARTNER,
      accessKey: ACCESS_KEY,
      secretKey: SECRET,
      endpoint,
      ipnUrl: 'https://api.example.vn/webhooks/payments/momo',
      createTimeoutMs: 2_000,
      slowTimeoutMs: 2_000,
    });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.seen.length = 0;
    fake.mode = 'up';
    fake.badSignatures = 0;
  });
  afterEach(() => expect(fake.badSignatures).toBe(0));

  async function authorized(paymentId = nextPaymentId()) {
    await provider.authorize({ ...request, paymentId });
    return fake.customerPays(paymentId);
  }

  it('creates a captureWallet payment to authorise only: PENDING with the payUrl to send the customer to', async () => {
    const paymentId = nextPaymentId();
    const outcome = await provider.authorize({ ...request, paymentId });
    expect(outcome).toEqual({
      status: 'PENDING',
      providerRef: paymentId,
      redirectUrl: `https://test-payment.momo.vn/v2/gateway/pay?t=${paymentId}`,
    });
    const sent = fake.seen[0]!;
    expect(sent.path).toBe('/v2/gateway/api/create');
    expect(sent.body).toMatchObject({
      partnerCode: PARTNER,
      requestType: 'captureWallet',
      autoCapture: false,
      orderId: paymentId,
      requestId: `auth-${paymentId}`,
      amount: 250_000,
      orderInfo: 'Đơn hàng GRC-1',
      ipnUrl: 'https://api.example.vn/webhooks/payments/momo',
      redirectUrl: request.returnUrl,
      lang: 'vi',
    });
    expect(sent.body).not.toHaveProperty('accessKey');
    expect(JSON.parse(Buffer.from(sent.body.extraData as string, 'base64').toString())).toEqual({
      paymentId,
      orderId: 'order-1',
    });
    expect((sent.body.requestId as string).length).toBeLessThanOrEqual(50);
  });

  it('sends the same requestId when the create is retried (MoMo idempotency)', async () => {
    const paymentId = nextPaymentId();
    await provider.authorize({ ...request, paymentId });
    await provider.authorize({ ...request, paymentId });
    expect(fake.seen.map((s) => s.body.requestId)).toEqual([`auth-${paymentId}`, `auth-${paymentId}`]);
  });

  it('answers DECLINED with MoMo’s code and message when MoMo refuses to create the payment', async () => {
    const outcome = await provider.authorize({ ...request, paymentId: nextPaymentId(), amount: 500 });
    expect(outcome).toMatchObject({ status: 'DECLINED', reason: '22: Transaction amount is out of range.' });
  });

  describe('IPN', () => {
    it('reads an authorisation (9000): our payment id, MoMo transId, the amount and order for the domain to check', async () => {
      const order = await authorized();
      const update = await provider.parseWebhook({ rawBody: fake.ipn(order), headers: {} });
      expect(update).toEqual({
        eventId: `${order.requestId}:9000`,
        provider: 'MOMO',
        paymentId: order.orderId,
        providerRef: String(order.transId),
        status: 'AUTHORIZED',
        amount: 250_000,
        occurredAt: new Date(1_765_000_456_789),
      });
    });

    it.each([
      [0, 'CAPTURED'],
      [7000, 'PENDING'],
      [7002, 'PENDING'],
      [1000, 'PENDING'],
      [1006, 'FAILED'],
    ])('maps resultCode %i to %s', async (resultCode, status) => {
      const order = await authorized();
      const update = await provider.parseWebhook({
        rawBody: fake.ipn(order, { resultCode, message: 'từ MoMo' }),
        headers: {},
      });
      expect(update).toMatchObject({ status, eventId: `${order.requestId}:${resultCode}` });
      if (status === 'FAILED') expect(update!.reason).toBe('1006: từ MoMo');
    });

    it('rejects an IPN with a bad signature, another partnerCode, a tampered amount, or no JSON', async () => {
      const order = await authorized();
      const tampered = JSON.parse(fake.ipn(order).toString()) as Record<string, unknown>;
      tampered.amount = 1_000;
      const attempts = [
        fake.ipn(order, {}, 'someone-elses-secret'),
        fake.ipn(order, { partnerCode: 'MOMOOTHER2026' }),
        Buffer.from(JSON.stringify(tampered)),
        Buffer.from('partnerCode=MOMOTEST2026'),
      ];
      for (const rawBody of attempts)
        await expect(provider.parseWebhook({ rawBody, headers: {} })).rejects.toBeInstanceOf(WebhookRejected);
    });

    it('acknowledges with 204 No Content', () => {
      expect(provider.webhookAck).toEqual({ status: 204 });
    });
  });

  it('captures an authorisation with confirm (requestType capture), keyed by our payment id', async () => {
    const order = await authorized();
    fake.seen.length = 0;
    await provider.capture(refOf(order.orderId, String(order.transId)), 200_000);
    expect(fake.seen[0]).toEqual({
      path: '/v2/gateway/api/confirm',
      body: expect.objectContaining({
        orderId: order.orderId,
        requestId: `capture-${order.orderId}`,
        requestType: 'capture',
        amount: 200_000,
      }),
    });
    expect(await provider.query(refOf(order.orderId))).toMatchObject({
      status: 'CAPTURED',
      amount: 200_000,
      providerRef: String(order.transId),
    });
  });

  it('refuses to capture a payment that is not authorised, as a business answer', async () => {
    const paymentId = nextPaymentId();
    await provider.authorize({ ...request, paymentId });
    await expect(provider.capture(refOf(paymentId), 250_000)).rejects.toBeInstanceOf(PaymentOperationRefused);
  });

  it('cancels an authorisation with confirm (requestType cancel) for the held amount; cancelling again is harmless', async () => {
    const order = await authorized();
    fake.seen.length = 0;
    await provider.cancel(refOf(order.orderId));
    expect(fake.seen.map((s) => s.path)).toEqual(['/v2/gateway/api/query', '/v2/gateway/api/confirm']);
    expect(fake.seen[1]!.body).toMatchObject({
      requestType: 'cancel',
      amount: 250_000,
      requestId: `cancel-${order.orderId}`,
    });
    fake.seen.length = 0;
    await provider.cancel(refOf(order.orderId));
    expect(fake.seen.map((s) => s.path)).toEqual(['/v2/gateway/api/query']);
  });

  it('refunds by transId as a new MoMo order keyed by our refund id; query then shows the refund', async () => {
    const order = await authorized();
    const ref = refOf(order.orderId, String(order.transId));
    await provider.capture(ref, 250_000);
    fake.seen.length = 0;
    await provider.refund(ref, 50_000, 'b1d1c1a1-0000-4000-8000-000000000001');
    const sent = fake.seen[0]!;
    expect(sent.path).toBe('/v2/gateway/api/refund');
    expect(sent.body).toMatchObject({
      transId: order.transId,
      amount: 50_000,
      requestId: 'refund-b1d1c1a1-0000-4000-8000-000000000001',
    });
    expect(sent.body.orderId).not.toBe(order.orderId);
    expect(await provider.query(ref)).toMatchObject({ status: 'PARTIALLY_REFUNDED', amount: 50_000 });
    await provider.refund(ref, 200_000, 'b1d1c1a1-0000-4000-8000-000000000002');
    expect(await provider.query(ref)).toMatchObject({ status: 'REFUNDED', amount: 250_000 });
  });

  it('looks the transId up when the payment is known only by our id', async () => {
    const order = await authorized();
    await provider.capture(refOf(order.orderId), 250_000);
    fake.seen.length = 0;
    await provider.refund(refOf(order.orderId), 250_000, 'b1d1c1a1-0000-4000-8000-000000000003');
    expect(fake.seen.map((s) => s.path)).toEqual(['/v2/gateway/api/query', '/v2/gateway/api/refund']);
    expect(fake.seen[1]!.body.transId).toBe(order.transId);
  });

  it('queries a payment still waiting for the customer (non-final 1000) as PENDING, and an unknown one as null', async () => {
    const paymentId = nextPaymentId();
    await provider.authorize({ ...request, paymentId });
    const update = await provider.query(refOf(paymentId));
    expect(update).toMatchObject({ status: 'PENDING', eventId: `query:${paymentId}:1000`, paymentId });
    expect(await provider.query(refOf(nextPaymentId()))).toBeNull();
    // Each poll is a new request to MoMo.
    const ids = fake.seen.filter((s) => s.path === '/v2/gateway/api/query').map((s) => s.body.requestId as string);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(50);
  });

  it('throws MomoUnavailable when MoMo answers 5xx or does not answer in time', async () => {
    fake.mode = 'down';
    await expect(provider.authorize({ ...request, paymentId: nextPaymentId() })).rejects.toBeInstanceOf(
      MomoUnavailable,
    );
    fake.mode = 'hang';
    const started = Date.now();
    await expect(provider.query(refOf(nextPaymentId()))).rejects.toBeInstanceOf(MomoUnavailable);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
  });
});

describe('MoMo signatures', () => {
  // MoMo's official Node.js sample (github.com/momo-wallet/payment, nodejs/MoMo.js) builds the create
  // signature from its public sandbox values as below; the same values through our field list must
  // give the same string. No published signature value with its secret was found, so the HMAC
  // itself is checked against Node's HMAC of that string (the sample computes it the same way).
  it('builds the create raw signature exactly as MoMo’s official sample does', () => {
    const sample = {
      partnerCode: 'MOMO',
      accessKey: 'F8BBA842ECF85',
      requestId: 'MOMO1700000000000',
      orderId: 'MOMO1700000000000',
      orderInfo: 'pay with MoMo',
      redirectUrl: 'https://momo.vn/return',
      ipnUrl: 'https://callback.url/notify',
      amount: '50000',
      requestType: 'captureWallet',
      extraData: '',
    };
    // prettier-ignore
    const fromSample =
      'accessKey=' + sample.accessKey + '&amount=' + sample.amount + '&extraData=' + sample.extraData +
      '&ipnUrl=' + sample.ipnUrl + '&orderId=' + sample.orderId + '&orderInfo=' + sample.orderInfo +
      '&partnerCode=' + sample.partnerCode + '&redirectUrl=' + sample.redirectUrl +
      '&requestId=' + sample.requestId + '&requestType=' + sample.requestType;
    expect(momoRawSignature(MOMO_SIGNED_FIELDS.create, sample)).toBe(fromSample);
    const secret = 'K951B6PE1waDMi640xX08PD3vg6EkVlz'; // the sample's public sandbox key
    expect(momoSignature(MOMO_SIGNED_FIELDS.create, sample, secret)).toBe(
      createHmac('sha256', secret).update(fromSample).digest('hex'),
    );
  });

  it('uses the documented field order for every message', () => {
    const order = (format: string) => [...format.matchAll(/(\w+)=\$/g)].map((m) => m[1]);
    expect(MOMO_SIGNED_FIELDS.create).toEqual(order(DOCUMENTED['/v2/gateway/api/create']));
    expect(MOMO_SIGNED_FIELDS.query).toEqual(order(DOCUMENTED['/v2/gateway/api/query']));
    expect(MOMO_SIGNED_FIELDS.confirm).toEqual(order(DOCUMENTED['/v2/gateway/api/confirm']));
    expect(MOMO_SIGNED_FIELDS.refund).toEqual(order(DOCUMENTED['/v2/gateway/api/refund']));
    expect(MOMO_SIGNED_FIELDS.ipn).toEqual(order(DOCUMENTED.ipn));
  });
});
