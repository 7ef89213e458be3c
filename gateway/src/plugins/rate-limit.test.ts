// The per-client rate limit: through the gateway (429 RATE_LIMITED, per client key), and the
// Redis-backed limiter shared by two gateway replicas when REDIS_URL is set.
import { createClient } from 'graphql-ws/client';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { randomBytes } from 'node:crypto';
import { createLogger } from '@grocery/platform';
import { startTestPlatform, type TestPlatform } from '../testing/platform';
import { testTokens, type TestTokens } from '../test/test-tokens';
import { InMemoryRateLimiter, RedisRateLimiter } from './rate-limiter';

describe('rate limit through the gateway', () => {
  let p: TestPlatform;
  let tokens: TestTokens;

  beforeAll(async () => {
    tokens = await testTokens();
    p = await startTestPlatform({
      subgraphs: ['products'],
      verificationKeys: tokens.verificationKeys,
      env: { RATE_LIMIT_PER_MINUTE: '5' },
    });
  });
  afterAll(() => p?.stop());

  it('answers 429 RATE_LIMITED past RATE_LIMIT_PER_MINUTE, per client', async () => {
    const alice = await tokens.sign({ sub: 'alice' });
    for (let i = 0; i < 5; i++) {
      const ok = await p.gql('{ categories { id } }', {}, { token: alice });
      expect(ok.status).toBe(200);
    }
    const res = await p.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice}` },
      body: JSON.stringify({ query: '{ categories { id } }' }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('RATE_LIMITED');
    expect(body.errors[0]!.message).toMatch(/at most 5 per minute/);

    // Another signed-in client has its own budget; anonymous callers are counted by address.
    const bob = await tokens.sign({ sub: 'bob' });
    expect((await p.gql('{ categories { id } }', {}, { token: bob })).status).toBe(200);
    expect((await p.gql('{ categories { id } }')).status).toBe(200);
  });

  it('refuses before reading the body: even a malformed request counts and gets 429', async () => {
    const carol = await tokens.sign({ sub: 'carol' });
    const send = () =>
      p.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${carol}` },
        body: '{not json',
      });
    for (let i = 0; i < 5; i++) expect((await send()).status).toBe(400);
    expect((await send()).status).toBe(429);
  });
});

describe('rate limit over WebSocket', () => {
  let p: TestPlatform;
  let tokens: TestTokens;
  beforeAll(async () => {
    tokens = await testTokens();
    p = await startTestPlatform({
      subgraphs: ['products'],
      verificationKeys: tokens.verificationKeys,
      env: { RATE_LIMIT_PER_MINUTE: '5' },
    });
  });
  afterAll(() => p?.stop());

  it('counts connections and subscribe messages against the same budget', async () => {
    const frank = await tokens.sign({ sub: 'frank' });
    // One socket for the whole test (a lazy client would reconnect, and count, per attempt).
    const connect = () =>
      createClient({
        url: p.wsUrl,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => undefined,
        connectionParams: { authorization: `Bearer ${frank}` },
      });
    const attempt = async (client: ReturnType<typeof connect>) => {
      try {
        for await (const r of client.iterate({ query: 'subscription { anything }' })) return r.errors;
      } catch (errors) {
        return errors as { extensions?: { code?: string } }[];
      }
    };
    const first = connect(); // the connection is request 1
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await attempt(first))?.[0]?.extensions?.code);
    // Requests 2-5 are let through (and refused: products has no subscriptions); 6 is not.
    expect(codes).toEqual([...Array(4).fill('GRAPHQL_VALIDATION_FAILED'), 'RATE_LIMITED']);
    await first.dispose();

    const second = connect();
    const closed = new Promise<number>((resolve) => second.on('closed', (e) => resolve((e as { code: number }).code)));
    void attempt(second);
    expect(await closed).toBe(4429);
    await second.dispose();
  });
});

describe('sliding-window limiter', () => {
  it('lets the previous minute slide out gradually', async () => {
    let now = 60_000 * 1000; // the start of a minute
    const limiter = new InMemoryRateLimiter(10, () => now);
    for (let i = 0; i < 10; i++) expect((await limiter.hit('k')).allowed).toBe(true);
    expect((await limiter.hit('k')).allowed).toBe(false);
    now += 60_000 + 30_000; // half-way through the next minute: 10 x 0.5 = 5 still count
    for (let i = 0; i < 5; i++) expect((await limiter.hit('k')).allowed).toBe(true);
    const refused = await limiter.hit('k');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(30);
  });
});

const redisUrl = process.env.REDIS_URL;
(redisUrl ? describe : describe.skip)('Redis-backed limiter (REDIS_URL)', () => {
  const logger = createLogger('silent', 'test');
  const prefix = `test:${randomBytes(5).toString('hex')}:`;
  const connections: Redis[] = [];
  const replica = () => {
    const redis = new Redis(redisUrl!);
    connections.push(redis);
    return new RedisRateLimiter(redis, 6, prefix, logger);
  };
  afterAll(async () => {
    const [first] = connections;
    const keys = first ? await first.keys(`${prefix}*`) : [];
    if (first && keys.length) await first.del(...keys);
    await Promise.all(connections.map((c) => c.quit()));
  });

  it('shares one budget per client between gateway replicas', async () => {
    const a = replica();
    const b = replica();
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push(await a.hit('user:dave'), await b.hit('user:dave'));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(6);
    expect(verdicts.slice(6).every((v) => !v.allowed)).toBe(true);
    expect((await b.hit('user:erin')).allowed).toBe(true);
  });
});
