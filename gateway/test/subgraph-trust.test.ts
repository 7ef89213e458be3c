// Subgraph services answer only the gateway. Attacked the way an intruder on the internal
// network would: straight to a subgraph service's /graphql (HTTP and graphql-ws), unsigned,
// forged, stale, or replayed with a changed body or forwarded header. Each refusal has its
// control: the same request, signed as the gateway signs it, is answered. Distributed mode by
// nature (embedded mode has no subgraph services), so it runs so in both test passes.
import { randomBytes } from 'node:crypto';
import {
  CLIENT_KEY_HEADER,
  GATEWAY_SIGNATURE_HEADER,
  GatewaySigner,
  WEBSOCKET_SIGNATURE_METHOD,
  type ForwardedValues,
} from '@grocery/platform';
import { createClient } from 'graphql-ws/client';
import WebSocket from 'ws';
import { startTestPlatform, type TestPlatform } from '../src/testing/platform';

const PREVIOUS_SECRET = randomBytes(32).toString('base64url');
const SECRET = randomBytes(32).toString('base64url');

let p: TestPlatform;
let userId: string;
let token: string;

beforeAll(async () => {
  p = await startTestPlatform({
    mode: 'distributed',
    seedSkus: 3,
    // Mid-rotation: the gateway signs with SECRET; the services also accept PREVIOUS_SECRET.
    env: { GATEWAY_SIGNING_SECRET: SECRET, GATEWAY_SIGNING_SECRET_PREVIOUS: PREVIOUS_SECRET },
  });
  const session = await p.signIn(['customer']);
  token = session.accessToken;
  userId = (await p.gql('{ me { id } }', {}, { token })).data!.me.id;
});
afterAll(async () => {
  await p?.stop();
});

const ENTITIES = {
  query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name } } }',
  variables: () => ({ r: [{ __typename: 'User', id: userId }] }),
};

interface Direct {
  status: number;
  // Test assertions walk arbitrary response shapes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** POSTs straight to a subgraph service; `sign` decides the signature header (none by default). */
async function direct(
  service: 'users' | 'products',
  payload: object,
  opts: {
    sign?: (body: string, forwarded: ForwardedValues) => string;
    forwarded?: ForwardedValues;
    send?: string;
  } = {},
): Promise<Direct> {
  const url = service === 'users' ? p.config.subgraphUrls.users! : p.config.subgraphUrls.products!;
  const body = JSON.stringify(payload);
  // Always a language: fetch would otherwise send its own ("*"), which nobody signed.
  const forwarded = { acceptLanguage: 'en', ...opts.forwarded };
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'accept-language': forwarded.acceptLanguage,
  };
  if (forwarded.authorization) headers.authorization = forwarded.authorization;
  if (forwarded.clientKey) headers[CLIENT_KEY_HEADER] = forwarded.clientKey;
  if (opts.sign) headers[GATEWAY_SIGNATURE_HEADER] = opts.sign(body, forwarded);
  const res = await fetch(url, { method: 'POST', headers, body: opts.send ?? body });
  return { status: res.status, body: (await res.json()) as Direct['body'] };
}

/** Signs as the gateway would, with `secret`, at `at` (ms). */
const signer =
  (secret = SECRET, at = () => Date.now()) =>
  (body: string, forwarded: ForwardedValues) =>
    new GatewaySigner(secret, at).sign({ method: 'POST', path: '/graphql', body, forwarded });

const entities = () => ({ query: ENTITIES.query, variables: ENTITIES.variables() });
const codeOf = (r: Direct) => r.body.errors?.[0]?.extensions?.code;

describe('subgraph services answer only the gateway', () => {
  it('serves clients through the gateway (queries across services, signed by it)', async () => {
    const r = await p.gql('{ products(first: 2) { totalCount edges { node { sku availability { available } } } } }');
    expect(r.errors).toBeUndefined();
    expect(r.data!.products.totalCount).toBe(3);
    expect((await p.gql('{ me { id } }', {}, { token })).data!.me.id).toBe(userId);
  });

  it('answers a direct _entities call for a user only when signed as the gateway signs (the control)', async () => {
    const r = await direct('users', entities(), { sign: signer() });
    expect(r.status).toBe(200);
    expect(r.body.data!._entities[0]).toMatchObject({ id: userId, name: 'Test customer' });
  });

  it('refuses an unsigned direct call with 401 GATEWAY_SIGNATURE_REQUIRED and no data', async () => {
    for (const service of ['users', 'products'] as const) {
      const r = await direct(
        service,
        service === 'users' ? entities() : { query: '{ products(first: 1) { totalCount } }' },
      );
      expect(r.status).toBe(401);
      expect(codeOf(r)).toBe('GATEWAY_SIGNATURE_REQUIRED');
      expect(r.body.data).toBeUndefined();
    }
  });

  it('refuses a forged signature (another secret) with 403 GATEWAY_SIGNATURE_INVALID', async () => {
    const r = await direct('users', entities(), { sign: signer(randomBytes(32).toString('base64url')) });
    expect(r.status).toBe(403);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'GATEWAY_SIGNATURE_INVALID', reason: 'mismatch' });
    expect(r.body.data).toBeUndefined();
  });

  it('refuses a signature made with the right secret but too long ago, naming the limit', async () => {
    const r = await direct('users', entities(), { sign: signer(SECRET, () => Date.now() - 5 * 60_000) });
    expect(r.status).toBe(403);
    expect(r.body.errors![0]!.extensions).toMatchObject({
      code: 'GATEWAY_SIGNATURE_INVALID',
      reason: 'expired',
      limit: 'GATEWAY_SIGNATURE_MAX_SKEW_SECONDS',
      max: 60,
    });
  });

  it('refuses a signed request replayed with another body, or with a forwarded header changed', async () => {
    const signedFor = entities();
    const other = { ...signedFor, variables: { r: [{ __typename: 'User', id: 'someone-else' }] } };
    const replayed = await direct('users', signedFor, { sign: signer(), send: JSON.stringify(other) });
    expect(replayed.status).toBe(403);
    expect(codeOf(replayed)).toBe('GATEWAY_SIGNATURE_INVALID');

    // Signed for one client key, sent with another (the key a subgraph would throttle by).
    const sign = signer();
    const asAnotherClient = await direct('users', entities(), {
      forwarded: { clientKey: 'ip:10.0.0.7' },
      sign: (body) => sign(body, { acceptLanguage: 'en', clientKey: 'ip:10.0.0.1' }),
    });
    expect(asAnotherClient.status).toBe(403);
    // Signed for no token, sent with a token.
    const withToken = await direct(
      'users',
      { query: '{ me { id } }' },
      {
        forwarded: { authorization: `Bearer ${token}` },
        sign: (body) => sign(body, { acceptLanguage: 'en' }),
      },
    );
    expect(withToken.status).toBe(403);
    // The control: signed with what is sent, it is answered as that caller.
    const signedMe = await direct(
      'users',
      { query: '{ me { id } }' },
      {
        forwarded: { authorization: `Bearer ${token}` },
        sign,
      },
    );
    expect(signedMe.body.data!.me.id).toBe(userId);
  });

  it('accepts the previous secret during a rotation', async () => {
    const r = await direct('users', entities(), { sign: signer(PREVIOUS_SECRET) });
    expect(r.status).toBe(200);
    expect(r.body.data!._entities[0].id).toBe(userId);
  });

  it('keeps /healthz, /readyz and the JWKS public', async () => {
    const users = new URL(p.config.subgraphUrls.users!).origin;
    const products = new URL(p.config.subgraphUrls.products!).origin;
    for (const url of [`${users}/healthz`, `${users}/readyz`, `${products}/readyz`, `${users}/.well-known/jwks.json`]) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
    }
  });
});

describe('graphql-ws straight to a subgraph service', () => {
  const SUBSCRIPTION = 'subscription { stockChanged(skus: ["SKU-000001"]) { sku available } }';

  /** Opens a connection with these connectionParams; resolves with 'connected' or the close code. */
  function connect(params: () => Record<string, unknown>): Promise<'connected' | number> {
    const client = createClient({
      url: p.config.subgraphUrls.stock!.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: params,
    });
    return new Promise<'connected' | number>((resolve) => {
      client.on('connected', () => resolve('connected'));
      client.on('closed', (e) => resolve((e as { code: number }).code));
      // Subscribing is what opens the (lazy) connection.
      client.subscribe(
        { query: SUBSCRIPTION },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
    }).finally(() => client.dispose());
  }

  const wsSignature = (secret: string, at = Date.now()) =>
    new GatewaySigner(secret, () => at).sign({
      method: WEBSOCKET_SIGNATURE_METHOD,
      path: '/graphql',
      body: '',
      forwarded: {},
    });

  it('accepts a connection signed as the gateway signs it (the control)', async () => {
    expect(await connect(() => ({ [GATEWAY_SIGNATURE_HEADER]: wsSignature(SECRET) }))).toBe('connected');
  });

  it('closes an unsigned, forged or stale connection with 4403 before any subscription', async () => {
    expect(await connect(() => ({}))).toBe(4403);
    expect(await connect(() => ({ [GATEWAY_SIGNATURE_HEADER]: wsSignature(randomBytes(32).toString('hex')) }))).toBe(
      4403,
    );
    expect(await connect(() => ({ [GATEWAY_SIGNATURE_HEADER]: wsSignature(SECRET, Date.now() - 5 * 60_000) }))).toBe(
      4403,
    );
    // Signed without a token, sent with one: someone else's identity cannot be slipped in.
    expect(
      await connect(() => ({ [GATEWAY_SIGNATURE_HEADER]: wsSignature(SECRET), authorization: `Bearer ${token}` })),
    ).toBe(4403);
  });
});
