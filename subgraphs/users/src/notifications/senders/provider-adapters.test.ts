// The SendGrid and Twilio adapters at their seams: the official clients (@sendgrid/mail,
// twilio) really send, to local fakes of the documented APIs (test/fake-providers.ts), and we
// check the requests they build and how answers and failures come back. Not exercised: SendGrid's
// and Twilio's real servers (nothing here reaches them), TLS, their rate limits.
import { loadConfig, type SubgraphDeps } from '@grocery/platform';
import { createUsersSubgraph } from '../../index';
import { configuredSenders } from './configured-senders';
import { fakeSendgrid, fakeTwilio, type FakeProvider } from '../test/fake-providers';
import { SendgridEmailSender } from './sendgrid-email-sender';
import { TwilioSmsSender } from './twilio-sms-sender';

const SID = `AC${'a1'.repeat(16)}`;
const TOKEN = 'twilio-test-auth-token';
let sendgrid: FakeProvider;
let twilio: FakeProvider;

beforeAll(async () => {
  sendgrid = await fakeSendgrid('SG.test-key');
  twilio = await fakeTwilio(SID, TOKEN);
});
afterAll(async () => {
  await sendgrid.close();
  await twilio.close();
});

describe('SendGrid adapter', () => {
  const sender = () =>
    new SendgridEmailSender({ apiKey: 'SG.test-key', from: 'Grocery <no-reply@grocery.vn>', baseUrl: sendgrid.url });

  it('posts a v3 mail/send with the API key, the text, and our id as a custom arg; keeps X-Message-Id', async () => {
    sendgrid.requests.length = 0;
    const receipt = await sender().send({
      notificationId: '0b6f2c9e-4a57-4d0f-8d8f-111111111111',
      to: 'an@example.vn',
      subject: 'Đơn hàng GRC-1 của bạn đã được xác nhận',
      text: 'Xin chào,\n\nĐơn hàng GRC-1 của bạn đã được xác nhận.',
    });
    expect(receipt.providerMessageId).toMatch(/^fakeSgId\d+$/);
    expect(sendgrid.requests).toHaveLength(1);
    const body = JSON.parse(sendgrid.requests[0]!.body);
    expect(body).toMatchObject({
      from: { email: 'no-reply@grocery.vn', name: 'Grocery' },
      subject: 'Đơn hàng GRC-1 của bạn đã được xác nhận',
      personalizations: [{ to: [{ email: 'an@example.vn' }] }],
      content: [{ type: 'text/plain', value: 'Xin chào,\n\nĐơn hàng GRC-1 của bạn đã được xác nhận.' }],
      custom_args: { notificationId: '0b6f2c9e-4a57-4d0f-8d8f-111111111111' },
    });
  });

  it('throws when SendGrid refuses or is down, with its status for the message’s lastError', async () => {
    const wrongKey = new SendgridEmailSender({
      apiKey: 'SG.wrong',
      from: 'no-reply@grocery.vn',
      baseUrl: sendgrid.url,
    });
    await expect(
      wrongKey.send({ notificationId: 'x', to: 'an@example.vn', subject: 's', text: 't' }),
    ).rejects.toMatchObject({ code: 401 });
    sendgrid.failWith = 503;
    try {
      await expect(
        sender().send({ notificationId: 'x', to: 'an@example.vn', subject: 's', text: 't' }),
      ).rejects.toMatchObject({ code: 503 });
    } finally {
      sendgrid.failWith = undefined;
    }
  });
});

describe('Twilio adapter', () => {
  const sender = (statusCallbackUrl?: string) =>
    new TwilioSmsSender({
      accountSid: SID,
      authToken: TOKEN,
      from: '+15005550006',
      statusCallbackUrl,
      apiBaseUrl: twilio.url,
    });

  it('creates a message with Basic auth, To/From/Body and the statusCallback; keeps its sid', async () => {
    twilio.requests.length = 0;
    const receipt = await sender('https://shop.example.vn/webhooks/notifications/twilio').send({
      notificationId: 'x',
      to: '+84912345678',
      text: 'Đơn hàng GRC-1 của bạn đã được xác nhận.',
    });
    expect(receipt.providerMessageId).toMatch(/^SM\d{32}$/);
    expect(twilio.requests).toHaveLength(1);
    const form = new URLSearchParams(twilio.requests[0]!.body);
    expect(Object.fromEntries(form)).toEqual({
      To: '+84912345678',
      From: '+15005550006',
      Body: 'Đơn hàng GRC-1 của bạn đã được xác nhận.',
      StatusCallback: 'https://shop.example.vn/webhooks/notifications/twilio',
    });
  });

  it('throws when Twilio refuses', async () => {
    const wrong = new TwilioSmsSender({
      accountSid: SID,
      authToken: 'wrong',
      from: '+15005550006',
      apiBaseUrl: twilio.url,
    });
    await expect(wrong.send({ notificationId: 'x', to: '+84912345678', text: 't' })).rejects.toMatchObject({
      status: 401,
    });
  });
});

describe('choosing adapters', () => {
  it('uses the local outbox unless told otherwise', () => {
    const s = configuredSenders({ NOTIFICATION_EMAIL: 'outbox', NOTIFICATION_SMS: 'outbox' } as never);
    expect([s.email.provider, s.sms.provider]).toEqual(['outbox', 'outbox']);
  });

  it('refuses to start with a provider chosen and its credentials missing, naming them', () => {
    expect(() => configuredSenders({ NOTIFICATION_EMAIL: 'sendgrid', NOTIFICATION_SMS: 'outbox' } as never)).toThrow(
      'NOTIFICATION_EMAIL=sendgrid needs SENDGRID_API_KEY and SENDGRID_FROM',
    );
    expect(() =>
      configuredSenders({ NOTIFICATION_EMAIL: 'outbox', NOTIFICATION_SMS: 'twilio', TWILIO_FROM: '+1' } as never),
    ).toThrow('NOTIFICATION_SMS=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN');
  });

  it('stops the users service from starting, before it opens anything', async () => {
    const config = loadConfig({ NOTIFICATION_SMS: 'twilio', TWILIO_ACCOUNT_SID: SID } as NodeJS.ProcessEnv);
    await expect(createUsersSubgraph({ config } as SubgraphDeps)).rejects.toThrow(
      'Invalid configuration: NOTIFICATION_SMS=twilio needs TWILIO_AUTH_TOKEN, TWILIO_FROM',
    );
  });
});
