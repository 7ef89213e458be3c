// Per-client budgets through the gateway: requests per minute (429 before any parsing), estimated
// cost per minute (429 once an operation's cost is known, over HTTP and WebSocket), operations in
// flight at once (the excess refused at once, other clients unaffected); and the sliding-window
// limiter itself, in memory and shared by replicas through Redis when REDIS_URL is set.
import { createClient } from 'graphql-ws/client';
import { Redis } from 'ioredis';
import { Client as PgClient } from 'pg';
import WebSocket from 'ws';
import { randomBytes } from 'node:crypto';
import { createLogger, MemoryWindowCounter, RedisWindowCounter, SlidingWindowRateLimiter } from '@grocery/platform';
import { startTestPlatform, type GraphQLResult, type TestPlatform } from '../testing/platform';
import { testTokens, type TestTokens } from '../testing/tokens';

const post = (p: TestPlatform, body: unknown, token?: string) =>
  p.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

type Errors = { message: string; extensions: Record<string, unknown> }[];

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
    const res = await post(p, { query: '{ categories { id } }' }, alice);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await res.json()) as { errors: Errors };
    expect(body.errors[0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'requests', max: 5 });
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

describe('cost budget per client', () => {
  const BUDGET = 2000;
  let p: TestPlatform;
  let tokens: TestTokens;
  /** Subgraph calls made in this process (embedded mode); undefined when subgraphs are remote. */
  let productsCalls: jest.SpyInstance | undefined;

  beforeAll(async () => {
    tokens = await testTokens();
    p = await startTestPlatform({
      subgraphs: ['products', 'stock'],
      verificationKeys: tokens.verificationKeys,
      seedSkus: 50,
      env: { RESPONSE_CACHE: 'off', MAX_QUERY_COST: String(BUDGET), RATE_LIMIT_COST_PER_MINUTE: String(BUDGET) },
    });
    const products = p.platform.modules.products;
    if (products) productsCalls = jest.spyOn(products, 'createContext');
  });
  afterAll(() => p?.stop());

  // Declared by products: a search weighs 400 (@cost), each edge what it selects (@listSize).
  const SEARCH = 'query ($q: String!) { search(query: $q, first: 5) { totalCount edges { node { sku name } } } }';

  it('charges each operation its estimated cost: past the budget, 429 RATE_LIMITED before the operation runs', async () => {
    const dana = await tokens.sign({ sub: 'dana' });
    const answered: GraphQLResult[] = [];
    let refused: Response | undefined;
    const startedAt = Date.now();
    for (let i = 0; i < 20 && !refused; i++) {
      const res = await post(p, { query: SEARCH, variables: { q: `sua ${i}` } }, dana);
      if (res.status === 429) refused = res;
      else answered.push({ status: res.status, ...((await res.json()) as object) });
    }
    expect(refused).toBeDefined();
    expect(answered.every((r) => r.status === 200 && !r.errors)).toBe(true);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const { errors } = (await refused!.json()) as { errors: Errors };
    const ext = errors[0]!.extensions;
    expect(ext).toMatchObject({ code: 'RATE_LIMITED', limit: 'cost', max: BUDGET });
    expect(ext.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(errors[0]!.message).toMatch(new RegExp(`at most ${BUDGET} cost per minute`));
    // As many searches ran as the budget holds at their cost, not as many requests as were allowed.
    const cost = ext.cost as number;
    expect(cost).toBeGreaterThan(400);
    // The budget is a sliding-window counter over fixed minutes: a run that straddles a minute
    // boundary sees the first minute's charges weighted down, and one more search fits.
    const crossedAMinute = Math.floor(startedAt / 60_000) !== Math.floor(Date.now() / 60_000);
    const extra = answered.length - Math.floor(BUDGET / cost);
    expect(crossedAMinute ? [0, 1] : [0]).toContain(extra);

    // The refused one never reached the subgraph.
    productsCalls?.mockClear();
    const again = await post(p, { query: SEARCH, variables: { q: 'sua again' } }, dana);
    expect(again.status).toBe(429);
    if (productsCalls) expect(productsCalls).not.toHaveBeenCalled();

    // Another client has its own budget.
    const eli = await tokens.sign({ sub: 'eli' });
    const other = await p.gql(SEARCH, { q: 'sua' }, { token: eli });
    expect(other.status).toBe(200);
    expect(other.errors).toBeUndefined();
  });

  it('charges subscriptions their cost too, with the same answer', async () => {
    const finn = await tokens.sign({ sub: 'finn' });
    // Spend the budget over HTTP, then subscribe over WebSocket.
    let status = 200;
    for (let i = 0; i < 20 && status !== 429; i++)
      status = (await post(p, { query: SEARCH, variables: { q: `ca phe ${i}` } }, finn)).status;
    expect(status).toBe(429);
    const client = createClient({
      url: p.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${finn}` },
    });
    try {
      // More than the budget has left (less than one search): each SKU of the list counts.
      const skus = Array.from({ length: 450 }, (_, i) => `SKU-${String(i + 1).padStart(6, '0')}`);
      const errors = await new Promise<Errors>((resolve) => {
        client.subscribe(
          {
            query: 'subscription ($skus: [String!]!) { stockChanged(skus: $skus) { sku available } }',
            variables: { skus },
          },
          { next: () => resolve([]), error: (e) => resolve(e as Errors), complete: () => resolve([]) },
        );
      });
      expect(errors[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'cost', max: BUDGET });
    } finally {
      await client.dispose();
    }
  });
});

describe('operations in flight per client', () => {
  const MAX = 4;
  let p: TestPlatform;
  let tokens: TestTokens;

  beforeAll(async () => {
    tokens = await testTokens();
    p = await startTestPlatform({
      subgraphs: ['products', 'stock'],
      verificationKeys: tokens.verificationKeys,
      seedSkus: 50,
      env: {
        RESPONSE_CACHE: 'off',
        MAX_CONCURRENT_OPERATIONS_PER_CLIENT: String(MAX),
        // The searches below wait on a lock this test holds; nothing may cancel them meanwhile.
        CATALOG_STATEMENT_TIMEOUT_MS: '120000',
      },
    });
  });
  afterAll(() => p?.stop());

  it('refuses one client’s excess at once (429, limit concurrency) while another client is served', async () => {
    const greedy = await tokens.sign({ sub: 'greedy' });
    const polite = await tokens.sign({ sub: 'polite' });
    // Catalog searches wait on this lock, so the greedy client's first operations stay in flight
    // for as long as the test needs, however fast the machine.
    const pg = new PgClient({ connectionString: p.database.url });
    await pg.connect();
    try {
      await pg.query('BEGIN');
      await pg.query('LOCK TABLE products.product IN ACCESS EXCLUSIVE MODE');

      const FIRED = 12;
      let settled = 0;
      const greedyCalls = Array.from({ length: FIRED }, (_, i) =>
        post(p, { query: SEARCH_WITH_FACETS, variables: { q: `typo ${i}` } }, greedy).then(async (res) => {
          settled++;
          return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: Errors } };
        }),
      );
      // The excess is refused without waiting for anything: FIRED - MAX answers come back while
      // MAX operations wait on the lock.
      while (settled < FIRED - MAX) await new Promise((r) => setTimeout(r, 10));

      // Meanwhile, another client is served, as many times as it asks.
      for (let i = 0; i < 2 * MAX; i++) {
        const r = await p.gql('{ locations { id } }', {}, { token: polite });
        expect(r.status).toBe(200);
        expect(r.errors).toBeUndefined();
      }
      expect(settled).toBe(FIRED - MAX);

      await pg.query('COMMIT');
      const results = await Promise.all(greedyCalls);
      const refused = results.filter((r) => r.status === 429);
      expect(refused).toHaveLength(FIRED - MAX);
      for (const r of refused)
        expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'concurrency', max: MAX });
      const served = results.filter((r) => r.status === 200);
      expect(served).toHaveLength(MAX);
      for (const r of served) expect(r.body.errors).toBeUndefined();

      // Slots are given back as answers go out: the greedy client is served again.
      expect((await p.gql('{ locations { id } }', {}, { token: greedy })).status).toBe(200);
    } finally {
      await pg.query('ROLLBACK').catch(() => undefined);
      await pg.end();
    }
  });
});

const SEARCH_WITH_FACETS = `query ($q: String!) { search(query: $q, first: 5) {
  totalCount edges { node { sku name } } facets { brands { brand count } } } }`;

describe('sliding-window limiter', () => {
  it('lets the previous minute slide out gradually', async () => {
    let now = 60_000 * 1000; // the start of a minute
    const limiter = new SlidingWindowRateLimiter(
      new MemoryWindowCounter(),
      { name: 't', limit: 10, windowMs: 60_000 },
      () => now,
    );
    for (let i = 0; i < 10; i++) expect((await limiter.hit('k')).allowed).toBe(true);
    expect((await limiter.hit('k')).allowed).toBe(false);
    now += 60_000 + 30_000; // half-way through the next minute: 10 x 0.5 = 5 still count
    for (let i = 0; i < 5; i++) expect((await limiter.hit('k')).allowed).toBe(true);
    const refused = await limiter.hit('k');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(30);
  });

  it('charges a cost: what fits is charged, what does not is refused and charges nothing', async () => {
    const limiter = new SlidingWindowRateLimiter(
      new MemoryWindowCounter(),
      { name: 't', limit: 100, windowMs: 60_000 },
      () => 60_000 * 1000,
    );
    expect(await limiter.hit('k', 70)).toMatchObject({ allowed: true, remaining: 30 });
    expect(await limiter.hit('k', 40)).toMatchObject({ allowed: false, remaining: 30 });
    expect(await limiter.hit('k', 30)).toMatchObject({ allowed: true, remaining: 0 });
    expect((await limiter.hit('other', 100)).allowed).toBe(true);
    await limiter.reset('k');
    expect((await limiter.hit('k', 100)).allowed).toBe(true);
  });

  it('gives back a refund, never below nothing', async () => {
    const limiter = new SlidingWindowRateLimiter(
      new MemoryWindowCounter(),
      { name: 't', limit: 10, windowMs: 60_000 },
      () => 60_000 * 1000,
    );
    expect((await limiter.hit('k', 10)).allowed).toBe(true);
    expect((await limiter.hit('k', 1)).allowed).toBe(false);
    await limiter.refund('k', 4);
    expect(await limiter.hit('k', 4)).toMatchObject({ allowed: true, remaining: 0 });
    await limiter.refund('k', 1_000);
    expect(await limiter.hit('k', 10)).toMatchObject({ allowed: true, remaining: 0 });
  });
});

const redisUrl = process.env.REDIS_URL;
(redisUrl ? describe : describe.skip)('Redis-backed limiter (REDIS_URL)', () => {
  const logger = createLogger('silent', 'test');
  const prefix = `test:${randomBytes(5).toString('hex')}:`;
  const connections: Redis[] = [];
  const replica = (limit: number) => {
    const redis = new Redis(redisUrl!);
    connections.push(redis);
    return new SlidingWindowRateLimiter(new RedisWindowCounter(redis, logger), {
      name: 'cost',
      limit,
      windowMs: 60_000,
      prefix,
    });
  };
  afterAll(async () => {
    const [first] = connections;
    const keys = first ? await first.keys(`${prefix}*`) : [];
    if (first && keys.length) await first.del(...keys);
    await Promise.all(connections.map((c) => c.quit()));
  });

  it('shares one budget per client between gateway replicas, charged by cost', async () => {
    const a = replica(1000);
    const b = replica(1000);
    expect((await a.hit('user:dave', 400)).allowed).toBe(true);
    expect((await b.hit('user:dave', 400)).allowed).toBe(true);
    // 800 spent across both: 300 more does not fit on either, 200 does.
    expect((await a.hit('user:dave', 300)).allowed).toBe(false);
    expect((await b.hit('user:dave', 300)).allowed).toBe(false);
    expect((await b.hit('user:dave', 200)).allowed).toBe(true);
    expect((await a.hit('user:dave', 1)).allowed).toBe(false);
    expect((await b.hit('user:erin', 1000)).allowed).toBe(true);
    // A refund on one replica frees budget on the other; never below nothing.
    await a.refund('user:dave', 500);
    expect((await b.hit('user:dave', 500)).allowed).toBe(true);
    await b.refund('user:erin', 5000);
    expect(await a.hit('user:erin', 1000)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('keeps counting in the process while Redis cannot be reached', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    dead.on('error', () => undefined);
    const limiter = new SlidingWindowRateLimiter(new RedisWindowCounter(dead, logger), {
      name: 'cost',
      limit: 10,
      windowMs: 60_000,
      prefix,
    });
    expect((await limiter.hit('user:gus', 10)).allowed).toBe(true);
    expect((await limiter.hit('user:gus', 1)).allowed).toBe(false);
    dead.disconnect();
  });
});
