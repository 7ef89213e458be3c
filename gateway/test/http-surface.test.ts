// The gateway's HTTP surface as a client meets it: health probes, bad bodies, CSRF, tokens.
import { startTestPlatform, type TestPlatform } from '../src/testing/platform';
import { testTokens, type TestTokens } from '../src/testing/tokens';

describe('gateway HTTP surface', () => {
  let p: TestPlatform;
  let tokens: TestTokens;

  beforeAll(async () => {
    tokens = await testTokens();
    p = await startTestPlatform({ subgraphs: ['products'], verificationKeys: tokens.verificationKeys });
  });
  afterAll(() => p?.stop());

  it('answers /healthz and /readyz', async () => {
    const health = await p.fetch('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await p.fetch('/readyz');
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; checks: Record<string, boolean> };
    expect(body.status).toBe('ready');
    if (p.mode === 'embedded') expect(body.checks.products).toBe(true);
  });

  it('answers a CORS preflight from the storefront dev origin, and a POST from it carries the CORS headers', async () => {
    const origin = 'http://localhost:5173';
    const preflight = await p.fetch('/graphql', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');

    const res = await p.fetch('/graphql', {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('access-control-expose-headers')).toContain('RateLimit-Remaining');
  });

  it('gives an origin that is not allowed no CORS headers (the browser then blocks it)', async () => {
    const preflight = await p.fetch('/graphql', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const res = await p.fetch('/graphql', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a malformed JSON body with 400 BAD_REQUEST', async () => {
    const res = await p.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": "{ __typename }"',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('refuses a body over MAX_BODY_BYTES with 413 PAYLOAD_TOO_LARGE', async () => {
    const padding = 'x'.repeat(p.config.MAX_BODY_BYTES + 10);
    const res = await p.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: { padding } }),
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a GET without a CSRF preflight header', async () => {
    const res = await p.fetch(`/graphql?query=${encodeURIComponent('{ categories { id } }')}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/i);
    // The same GET with the preflight header goes through.
    const ok = await p.fetch(`/graphql?query=${encodeURIComponent('{ categories { id } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(ok.status).toBe(200);
  });

  it('refuses a form-encoded POST (a cross-site form) as a CSRF risk', async () => {
    const res = await p.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `query=${encodeURIComponent('mutation { updateProduct(sku: "X", input: {}) { sku } }')}`,
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/i);
  });

  it('answers 401 UNAUTHENTICATED for an expired token', async () => {
    const expired = await tokens.sign({ sub: 'u-expired' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const res = await p.gql('{ categories { id } }', {}, { token: expired });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.errors?.[0]?.message).toMatch(/expired/i);
  });

  it('answers 401 UNAUTHENTICATED for a token signed with a key it does not trust', async () => {
    const forged = await tokens.forge({ sub: 'u-admin', roles: ['admin', 'staff'] });
    const res = await p.gql('{ categories { id } }', {}, { token: forged });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers 401 for a token from another issuer, and serves a valid one', async () => {
    const foreign = await tokens.sign({ sub: 'u-1' }, { issuer: 'someone-else' });
    expect((await p.gql('{ categories { id } }', {}, { token: foreign })).status).toBe(401);
    const valid = await tokens.sign({ sub: 'u-1' });
    const res = await p.gql('{ categories { id } }', {}, { token: valid });
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
  });
});

describe('error masking', () => {
  it("never shows an uncoded error's message (Apollo codes those INTERNAL_SERVER_ERROR first)", async () => {
    const { formatError } = await import('@grocery/platform');
    const leaked = formatError({
      message: 'relation "stock.level" does not exist',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(leaked).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    const coded = formatError({ message: 'Sign in to do this.', extensions: { code: 'UNAUTHENTICATED' } });
    expect(coded.message).toBe('Sign in to do this.');
  });
});
