// Local fakes of the two providers' documented send APIs, on 127.0.0.1, for tests: SendGrid's
// v3 Mail Send (POST /v3/mail/send, Bearer API key, JSON, 202 + X-Message-Id) and Twilio's
// Messages create (POST /2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP Basic with the
// account sid and auth token, form-encoded, 201 + the message as JSON with its sid). They record
// what arrived and can be told to fail. They are our reading of the docs, not the providers.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeProvider {
  url: string;
  requests: RecordedRequest[];
  /** The status the next requests get instead of success (e.g. 503); undefined: succeed. */
  failWith?: number;
  close(): Promise<void>;
}

async function serve(
  answer: (
    req: RecordedRequest,
    fake: FakeProvider,
  ) => { status: number; headers?: Record<string, string>; body?: string },
): Promise<FakeProvider> {
  const fake: FakeProvider = { url: '', requests: [], close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      fake.requests.push(recorded);
      const a = fake.failWith
        ? { status: fake.failWith, body: JSON.stringify({ errors: [{ message: 'fake outage' }] }) }
        : answer(recorded, fake);
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}

export function fakeSendgrid(apiKey: string): Promise<FakeProvider> {
  let n = 0;
  return serve((req) => {
    if (req.method !== 'POST' || req.path !== '/v3/mail/send') return { status: 404, body: '{}' };
    if (req.headers.authorization !== `Bearer ${apiKey}`)
      return {
        status: 401,
        body: JSON.stringify({ errors: [{ message: 'The provided authorization grant is invalid' }] }),
      };
    return { status: 202, headers: { 'x-message-id': `fakeSgId${++n}` } };
  });
}

export function fakeTwilio(accountSid: string, authToken: string): Promise<FakeProvider> {
  let n = 0;
  return serve((req) => {
    if (req.method !== 'POST' || req.path !== `/2010-04-01/Accounts/${accountSid}/Messages.json`)
      return { status: 404, body: JSON.stringify({ code: 20404, message: 'not found', status: 404 }) };
    const basic = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
    if (req.headers.authorization !== basic)
      return { status: 401, body: JSON.stringify({ code: 20003, message: 'Authenticate', status: 401 }) };
    const form = new URLSearchParams(req.body);
    const sid = `SM${String(++n).padStart(32, '0')}`;
    return {
      status: 201,
      body: JSON.stringify({
        sid,
        account_sid: accountSid,
        to: form.get('To'),
        from: form.get('From'),
        body: form.get('Body'),
        status: 'queued',
        date_created: new Date().toUTCString(),
      }),
    };
  });
}
