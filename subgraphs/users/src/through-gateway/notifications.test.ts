// Notifications through the gateway: orders placed by real clients, the real event bus, the
// users service's consumer calling orders' orderContact, and staff reading the outbox through
// `notifications`. Runs embedded and distributed (TEST_MODE=distributed).
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { startTestPlatform, type TestPlatform } from '@grocery/gateway/testing';
import { makeEvent, type DomainEvent } from '@grocery/platform';
import twilio from 'twilio';
import type { UsersSubgraph } from '../index';
import { SendgridEmailSender } from '../notifications/senders/sendgrid-email-sender';
import { TwilioSmsSender } from '../notifications/senders/twilio-sms-sender';
import { fakeSendgrid, fakeTwilio, type FakeProvider } from '../notifications/test/fake-providers';
import { ADD, insertItems, PLACE, placeInput, until, withDb } from '../../../orders/src/through-gateway/fixture';

const START_TIMEOUT_MS = 180_000;
const RETRY_MS = 150;
const TWILIO_TOKEN = 'twilio-auth-token-for-tests';
const TWILIO_SID = `AC${'0f'.repeat(16)}`;
const CALLBACK_URL = 'https://shop.example.vn/webhooks/notifications/twilio';
const sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const forgerKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

let p: TestPlatform;
let staff: string;
let users: UsersSubgraph;

const LIST = `query ($f: NotificationFilter, $first: Int, $after: String) {
  notifications(filter: $f, first: $first, after: $after) {
    totalCount
    edges { cursor node { id eventId channel kind orderId customerId recipient locale subject body status provider
      providerMessageId attempts lastError nextAttemptAt detail sentAt } }
    pageInfo { hasNextPage endCursor } } }`;

interface Message {
  id: string;
  eventId: string;
  channel: 'EMAIL' | 'SMS';
  kind: string;
  recipient: string;
  locale: string;
  subject: string | null;
  body: string;
  status: string;
  provider: string;
  providerMessageId: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  detail: string | null;
}

async function messages(orderId: string, extra: Record<string, unknown> = {}): Promise<Message[]> {
  const r = await p.gql(LIST, { f: { orderId, ...extra }, first: 100 }, { token: staff });
  expect(r.errors).toBeUndefined();
  return r.data!.notifications.edges.map((e: { node: Message }) => e.node);
}

/** Places a cash-on-delivery pickup order (CONFIRMED at once); a guest when no token. */
async function placeOrder(opts: { token?: string; lang: string; email?: string | null }) {
  const cart = await p.gql(ADD, { cartId: null, lines: [{ sku: 'N-TEA', quantity: 2 }] }, opts);
  expect(cart.errors).toBeUndefined();
  const placed = await p.gql(
    PLACE,
    {
      input: placeInput(cart.data!.addToCart.id, {
        payment: { provider: 'CASH_ON_DELIVERY' },
        email: opts.email === undefined ? null : opts.email,
      }),
    },
    opts,
  );
  expect(placed.errors).toBeUndefined();
  expect(placed.data!.placeOrder).toMatchObject({ __typename: 'Order', status: 'CONFIRMED' });
  return placed.data!.placeOrder as { id: string; number: string };
}

async function customer(profile: { phone?: string; locale?: string }) {
  const { accessToken } = await p.signIn(['customer']);
  if (Object.keys(profile).length === 0) return { token: accessToken };
  const r = await p.gql(
    `mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { id phone locale } }`,
    { input: profile },
    { token: accessToken },
  );
  expect(r.errors).toBeUndefined();
  return { token: accessToken, id: r.data!.updateProfile.id as string };
}

/** The order's first status_changed event to `status`, exactly as orders published it (its outbox row holds the envelope). */
async function publishedStatusEvent(orderId: string, status: string): Promise<DomainEvent> {
  return withDb(p.database.url, async (db) => {
    const { rows } = await db.query<{ payload: DomainEvent }>(
      `SELECT payload FROM orders.outbox_event
        WHERE subject = $1 AND type = 'order.status_changed' AND payload->'data'->>'status' = $2 ORDER BY seq LIMIT 1`,
      [orderId, status],
    );
    return rows[0]!.payload;
  });
}

beforeAll(async () => {
  p = await startTestPlatform({
    env: {
      NOTIFICATION_RETRY_MS: String(RETRY_MS),
      NOTIFICATION_MAX_ATTEMPTS: '3',
      SENDGRID_WEBHOOK_PUBLIC_KEY: sendgridKeys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
      TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
      TWILIO_STATUS_CALLBACK_URL: CALLBACK_URL,
      RESPONSE_CACHE: 'off',
    },
  });
  staff = (await p.signIn(['staff'])).accessToken;
  users = p.modules.users as unknown as UsersSubgraph;
  await insertItems(p.database.url, [{ sku: 'N-TEA', price: 62_500, onHand: 1_000 }]);
}, START_TIMEOUT_MS);
afterAll(async () => p?.stop());

describe('notifications', () => {
  it('emails a guest once, in Vietnamese, when their order is confirmed (no phone: no SMS)', async () => {
    const order = await placeOrder({ lang: 'vi', email: 'Khach.Le@Test.Grocery.vn' });
    await until(async () => expect((await messages(order.id)).map((m) => m.status)).toEqual(['SENT']));
    const [email] = await messages(order.id);
    expect(email).toMatchObject({
      channel: 'EMAIL',
      kind: 'ORDER_CONFIRMED',
      recipient: 'khach.le@test.grocery.vn',
      locale: 'vi',
      subject: `Đơn hàng GRC-${order.number} của bạn đã được xác nhận`,
      status: 'SENT',
      provider: 'outbox',
      attempts: 1,
    });
    expect(email!.body).toBe(
      `Xin chào,\n\nĐơn hàng GRC-${order.number} của bạn đã được xác nhận. Tổng cộng: 125.000 ₫.\n\nĐội ngũ Grocery`,
    );
  });

  it('emails and texts a signed-in customer in the language they chose, to their own phone', async () => {
    const alice = await customer({ phone: '0912 345 678', locale: 'en' });
    // The order is placed in Vietnamese; Alice chose English for her messages.
    const order = await placeOrder({ token: alice.token, lang: 'vi' });
    await until(async () => expect((await messages(order.id)).map((m) => m.status)).toEqual(['SENT', 'SENT']));
    const byChannel = Object.fromEntries((await messages(order.id)).map((m) => [m.channel, m]));
    expect(byChannel.EMAIL).toMatchObject({
      locale: 'en',
      subject: `Your order GRC-${order.number} is confirmed`,
      status: 'SENT',
    });
    expect(byChannel.EMAIL!.recipient).toMatch(/@test\.grocery\.vn$/);
    expect(byChannel.SMS).toMatchObject({
      recipient: '+84912345678',
      locale: 'en',
      body: `Your order GRC-${order.number} is confirmed. Total: VND 125,000.`,
      status: 'SENT',
    });
  });

  it('sends nothing more when the same event is delivered again, or handled twice at once', async () => {
    const bob = await customer({ phone: '+84 987 654 321', locale: 'vi' });
    const order = await placeOrder({ token: bob.token, lang: 'en' });
    await until(async () => expect(await messages(order.id)).toHaveLength(2));
    const confirmed = await publishedStatusEvent(order.id, 'CONFIRMED');
    // The very event the messages answer.
    expect((await messages(order.id)).map((m) => m.eventId)).toEqual([confirmed.id, confirmed.id]);
    // Redelivered on the bus twice, then a new event for the same order behind it: once that one
    // is handled, the redeliveries (same subject, so in order before it) were handled too.
    await p.platform.deps.bus.publish('grocery.orders', [confirmed, confirmed]);
    const ready = makeEvent({
      source: 'grocery/orders',
      type: 'order.status_changed',
      subject: order.id,
      data: {
        orderId: order.id,
        customerId: bob.id,
        status: 'READY_FOR_PICKUP',
        paymentStatus: 'PENDING',
        version: 9,
        reason: 'picking.finished',
      },
    });
    await p.platform.deps.bus.publish('grocery.orders', [ready]);
    await until(async () =>
      expect((await messages(order.id)).filter((m) => m.kind === 'ORDER_READY_FOR_PICKUP')).toHaveLength(2),
    );
    // Two consumers racing on one new event: the unique keys let one of them record it.
    const completed = makeEvent({
      source: 'grocery/orders',
      type: 'order.status_changed',
      subject: order.id,
      data: {
        orderId: order.id,
        customerId: bob.id,
        status: 'COMPLETED',
        paymentStatus: 'CAPTURED',
        version: 10,
        reason: 'order.completed',
      },
    });
    await Promise.all([users.notifications.handleEvent(completed), users.notifications.handleEvent(completed)]);
    // And a different event announcing the same status (a second CONFIRMED change) is no new message.
    const again: DomainEvent = {
      ...confirmed,
      id: randomUUID(),
      data: { ...(confirmed.data as object), reason: 'payment.captured' },
    };
    await users.notifications.handleEvent(again);
    const all = await messages(order.id);
    const count = (kind: string) =>
      all
        .filter((m) => m.kind === kind)
        .map((m) => m.channel)
        .sort();
    expect(count('ORDER_CONFIRMED')).toEqual(['EMAIL', 'SMS']);
    expect(count('ORDER_READY_FOR_PICKUP')).toEqual(['EMAIL', 'SMS']);
    expect(count('ORDER_COMPLETED')).toEqual(['EMAIL', 'SMS']);
    expect(all).toHaveLength(6);
    expect(all.find((m) => m.kind === 'ORDER_READY_FOR_PICKUP' && m.channel === 'SMS')!.body).toBe(
      `Đơn hàng GRC-${order.number} của bạn đã sẵn sàng để nhận tại cửa hàng.`,
    );
  });

  it('records an opted-out channel as SKIPPED and never sends it', async () => {
    const chi = await customer({ phone: '0387654321' });
    const set = await p.gql(
      `mutation { setNotificationPreferences(sms: false) { notificationPreferences { email sms } locale } }`,
      {},
      { token: chi.token },
    );
    expect(set.data!.setNotificationPreferences).toEqual({
      notificationPreferences: { email: true, sms: false },
      locale: 'vi',
    });
    const order = await placeOrder({ token: chi.token, lang: 'vi' });
    await until(async () =>
      expect((await messages(order.id)).map((m) => m.status).sort()).toEqual(['SENT', 'SKIPPED']),
    );
    const byChannel = Object.fromEntries((await messages(order.id)).map((m) => [m.channel, m]));
    expect(byChannel.EMAIL).toMatchObject({ status: 'SENT', locale: 'vi' });
    expect(byChannel.SMS).toMatchObject({
      status: 'SKIPPED',
      recipient: '+84387654321',
      attempts: 0,
      detail: 'The customer opted out of SMS notifications.',
    });
    const skipped = await p.gql(
      LIST,
      { f: { status: 'SKIPPED', channel: 'SMS', recipient: '+84387654321' } },
      { token: staff },
    );
    expect(skipped.data!.notifications.totalCount).toBe(1);
  });

  it('retries a failing send with growing waits, then gives up (DEAD), all visible to staff', async () => {
    const calls: number[] = [];
    const real = users.notifications.senders.email;
    users.notifications.senders.email = {
      provider: 'sendgrid',
      send: async () => {
        calls.push(Date.now());
        throw Object.assign(new Error('Service Unavailable'), { code: 503 });
      },
    };
    try {
      const order = await placeOrder({ lang: 'en', email: 'flaky@test.grocery.vn' });
      await until(async () => expect((await messages(order.id))[0]).toMatchObject({ status: 'RETRYING', attempts: 1 }));
      const retrying = (await messages(order.id))[0]!;
      expect(retrying.lastError).toBe('503 Service Unavailable');
      expect(new Date(retrying.nextAttemptAt!).getTime()).toBeGreaterThan(calls[0]! + RETRY_MS / 2);
      await until(
        async () => expect((await messages(order.id))[0]).toMatchObject({ status: 'DEAD', attempts: 3 }),
        10_000,
      );
      expect(calls).toHaveLength(3);
      // The waits doubled: about RETRY_MS, then about 2 × RETRY_MS (the sweeper ticks every RETRY_MS).
      expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(RETRY_MS - 20);
      expect(calls[2]! - calls[1]!).toBeGreaterThanOrEqual(2 * RETRY_MS - 20);
      await new Promise((r) => setTimeout(r, 3 * RETRY_MS));
      expect(calls).toHaveLength(3);
      const dead = await p.gql(LIST, { f: { status: 'DEAD', orderId: order.id } }, { token: staff });
      expect(dead.data!.notifications.edges[0].node).toMatchObject({
        status: 'DEAD',
        attempts: 3,
        lastError: '503 Service Unavailable',
        nextAttemptAt: null,
      });
    } finally {
      users.notifications.senders.email = real;
    }
  });

  it('lets staff page through notifications, and refuses customers and anonymous callers', async () => {
    const page1 = await p.gql(LIST, { first: 2 }, { token: staff });
    expect(page1.data!.notifications.edges).toHaveLength(2);
    expect(page1.data!.notifications.pageInfo.hasNextPage).toBe(true);
    const page2 = await p.gql(
      LIST,
      { first: 2, after: page1.data!.notifications.pageInfo.endCursor },
      { token: staff },
    );
    const ids = (r: typeof page1) => r.data!.notifications.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids(page2)).toHaveLength(2);
    expect(ids(page2).filter((id: string) => ids(page1).includes(id))).toEqual([]);
    const tooMany = await p.gql(LIST, { first: 101 }, { token: staff });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const { token } = await customer({});
    const refused = await p.gql(LIST, {}, { token });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.data?.notifications ?? null).toBeNull();
    expect((await p.gql(LIST, {})).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a phone number that is not a Vietnamese mobile, and changes preferences only for a signed-in user', async () => {
    const { token } = await customer({ phone: '0901234567' });
    const bad = await p.gql(`mutation { updateProfile(input: { phone: "12345" }) { id } }`, {}, { token });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'phone' });
    const me = await p.gql(`{ me { phone locale notificationPreferences { email sms } } }`, {}, { token });
    expect(me.data!.me).toEqual({
      phone: '+84901234567',
      locale: 'vi',
      notificationPreferences: { email: true, sms: true },
    });
    const anonymous = await p.gql(`mutation { setNotificationPreferences(email: false) { id } }`);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('provider webhooks', () => {
  let sendgrid: FakeProvider;
  let twilioApi: FakeProvider;
  let realSenders: UsersSubgraph['notifications']['senders'];

  beforeAll(async () => {
    sendgrid = await fakeSendgrid('SG.fake');
    twilioApi = await fakeTwilio(TWILIO_SID, TWILIO_TOKEN);
    realSenders = { ...users.notifications.senders };
    users.notifications.senders.email = new SendgridEmailSender({
      apiKey: 'SG.fake',
      from: 'no-reply@grocery.vn',
      baseUrl: sendgrid.url,
    });
    users.notifications.senders.sms = new TwilioSmsSender({
      accountSid: TWILIO_SID,
      authToken: TWILIO_TOKEN,
      from: '+15005550006',
      statusCallbackUrl: CALLBACK_URL,
      apiBaseUrl: twilioApi.url,
    });
  });
  afterAll(async () => {
    Object.assign(users.notifications.senders, realSenders);
    await sendgrid.close();
    await twilioApi.close();
  });

  const postSendgrid = (
    body: string,
    key = sendgridKeys.privateKey,
    timestamp = String(Math.floor(Date.now() / 1000)),
  ) =>
    p.fetch('/webhooks/notifications/sendgrid', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
        'X-Twilio-Email-Event-Webhook-Signature': sign('sha256', Buffer.from(timestamp + body), key).toString('base64'),
      },
      body,
    });

  const postTwilio = (params: Record<string, string>, token = TWILIO_TOKEN) =>
    p.fetch('/webhooks/notifications/twilio', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'X-Twilio-Signature': twilio.getExpectedTwilioSignature(token, CALLBACK_URL, params),
      },
      body: new URLSearchParams(params).toString(),
    });

  it('sends through SendGrid and Twilio, and applies their signed delivery reports, refusing forged ones', async () => {
    const dung = await customer({ phone: '0977 000 111', locale: 'vi' });
    const order = await placeOrder({ token: dung.token, lang: 'vi' });
    await until(async () => expect((await messages(order.id)).map((m) => m.status)).toEqual(['SENT', 'SENT']));
    const byChannel = Object.fromEntries((await messages(order.id)).map((m) => [m.channel, m]));
    const email = byChannel.EMAIL!;
    const sms = byChannel.SMS!;
    expect(email).toMatchObject({ provider: 'sendgrid', providerMessageId: expect.stringMatching(/^fakeSgId/) });
    expect(sms).toMatchObject({ provider: 'twilio', providerMessageId: expect.stringMatching(/^SM/) });
    // What reached the fakes: our message, and the status callback URL for Twilio.
    expect(JSON.parse(sendgrid.requests.at(-1)!.body).subject).toBe(
      `Đơn hàng GRC-${order.number} của bạn đã được xác nhận`,
    );
    expect(new URLSearchParams(twilioApi.requests.at(-1)!.body).get('StatusCallback')).toBe(CALLBACK_URL);

    // SendGrid: a forged signature, a tampered body and an unsigned post change nothing.
    const delivered = JSON.stringify([
      {
        email: email.recipient,
        event: 'delivered',
        sg_message_id: `${email.providerMessageId}.filterdrecv-1-2`,
        notificationId: email.id,
      },
    ]);
    expect((await postSendgrid(delivered, forgerKeys.privateKey)).status).toBe(403);
    const signed = sign('sha256', Buffer.from('1700000000' + delivered), sendgridKeys.privateKey).toString('base64');
    const tampered = await p.fetch('/webhooks/notifications/sendgrid', {
      method: 'POST',
      headers: {
        'X-Twilio-Email-Event-Webhook-Timestamp': '1700000000',
        'X-Twilio-Email-Event-Webhook-Signature': signed,
      },
      body: delivered.replace('delivered', 'bounce'),
    });
    expect(tampered.status).toBe(403);
    expect((await p.fetch('/webhooks/notifications/sendgrid', { method: 'POST', body: delivered })).status).toBe(403);
    expect((await messages(order.id, { channel: 'EMAIL' }))[0]!.status).toBe('SENT');
    // Signed: applied.
    expect((await postSendgrid(delivered)).status).toBe(204);
    expect((await messages(order.id, { channel: 'EMAIL' }))[0]!.status).toBe('DELIVERED');
    // A bounce found by sg_message_id alone (no custom args).
    const bounce = JSON.stringify([
      {
        event: 'bounce',
        sg_message_id: `${email.providerMessageId}.filterdrecv-3-4`,
        reason: '550 5.1.1 user unknown',
      },
    ]);
    expect((await postSendgrid(bounce)).status).toBe(204);
    expect((await messages(order.id, { channel: 'EMAIL' }))[0]).toMatchObject({
      status: 'BOUNCED',
      detail: '550 5.1.1 user unknown',
    });

    // Twilio: signed with another token, or with other parameters than sent: refused.
    const report = { MessageSid: sms.providerMessageId!, MessageStatus: 'delivered', AccountSid: TWILIO_SID };
    expect((await postTwilio(report, 'not-the-auth-token')).status).toBe(403);
    const altered = await p.fetch('/webhooks/notifications/twilio', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'X-Twilio-Signature': twilio.getExpectedTwilioSignature(TWILIO_TOKEN, CALLBACK_URL, report),
      },
      body: new URLSearchParams({ ...report, MessageStatus: 'undelivered' }).toString(),
    });
    expect(altered.status).toBe(403);
    expect((await messages(order.id, { channel: 'SMS' }))[0]!.status).toBe('SENT');
    expect((await postTwilio(report)).status).toBe(204);
    expect((await messages(order.id, { channel: 'SMS' }))[0]).toMatchObject({
      status: 'DELIVERED',
      detail: 'delivered',
    });
  });
});
