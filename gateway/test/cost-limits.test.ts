// The cost limit attacked through the gateway, with the costs the subgraphs declare (@cost,
// @listSize): a batch of uncached typo searches with facets, a batch of password hashes, carts
// and subscriptions priced per item of their list arguments, and small nested lists that must
// still pass.
import { createClient } from 'graphql-ws/client';
import { parse } from 'graphql';
import { Client as PgClient } from 'pg';
import WebSocket from 'ws';
import { CostModel } from '../src/plugins/query-cost';
import { SubscriptionPlanner } from '../src/subscriptions/subscription-planner';
import { composeFromCode } from '../src/compose';
import { NO_RESPONSE_CACHE, startTestPlatform, type GraphQLResult, type TestPlatform } from '../src/testing/platform';
import { testTokens } from '../src/testing/tokens';

const codeOf = (r: GraphQLResult) => r.errors?.[0]?.extensions?.code;

describe('the default cost limit', () => {
  let p: TestPlatform;
  /** Subgraph calls made in this process (embedded mode); undefined when subgraphs are remote. */
  let subgraphCalls: jest.SpyInstance[] = [];

  beforeAll(async () => {
    p = await startTestPlatform({ seedSkus: 500, env: NO_RESPONSE_CACHE });
    subgraphCalls = Object.values(p.platform.modules).map((m) => jest.spyOn(m!, 'createContext'));
  });
  afterAll(() => p?.stop());
  beforeEach(() => subgraphCalls.forEach((s) => s.mockClear()));
  const noSubgraphCalled = () => subgraphCalls.forEach((s) => expect(s).not.toHaveBeenCalled());

  /** Typos of the catalog's own words: each one a search no cache has seen. */
  async function typos(n: number): Promise<string[]> {
    const page = await p.gql<{ products: { edges: { node: { name: string } }[] } }>(
      '{ products(first: 100) { edges { node { name } } } }',
      {},
      { lang: 'en' },
    );
    const words = new Set<string>();
    for (const { node } of page.data!.products.edges)
      for (const w of node.name.toLowerCase().split(/[^\p{L}]+/u))
        if (w.length >= 6) words.add(w.slice(0, 3) + w.slice(4));
    expect(words.size).toBeGreaterThanOrEqual(n);
    return [...words].slice(0, n);
  }

  const searchWithFacets = (alias: string, q: string) =>
    `${alias}search(query: ${JSON.stringify(q)}, first: 5) {
      totalCount edges { node { sku name price { amount } } }
      facets { categories { category { id name } count } brands { brand count } priceBuckets { min max count } } }`;

  it('refuses 31 uncached typo searches with facets at first: 5 in one request, before any subgraph works', async () => {
    const queries = await typos(31);
    subgraphCalls.forEach((s) => s.mockClear());
    // One field unaliased and 30 aliased: within MAX_ALIASES (30), so only the cost stops it.
    const fields = queries.map((q, i) => searchWithFacets(i === 0 ? '' : `s${i}: `, q)).join('\n');
    const res = await p.gql(`{ ${fields} }`);
    expect(res.status).toBe(400);
    expect(res.data ?? null).toBeNull();
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 20_000 });
    expect(res.errors![0]!.extensions!.cost as number).toBeGreaterThan(20_000);
    noSubgraphCalled();
  });

  it('answers one such search with its facets', async () => {
    const [q] = await typos(1);
    const res = await p.gql(`{ ${searchWithFacets('', q!)} }`);
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data!.search.facets.priceBuckets.length).toBeGreaterThan(0);
  });

  it('refuses 25 aliased sign-ups (a password hash each) and creates no account', async () => {
    const stamp = Date.now().toString(36);
    const fields = Array.from(
      { length: 25 },
      (_, i) =>
        `s${i}: signUp(input: { email: "batch-${stamp}-${i}@test.grocery.vn", password: "rau muong xao toi", name: "B" }) { accessToken }`,
    ).join('\n');
    const res = await p.gql(`mutation { ${fields} }`);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost' });
    noSubgraphCalled();
    const pg = new PgClient({ connectionString: p.database.url });
    await pg.connect();
    try {
      const { rows } = await pg.query(`SELECT count(*)::int AS n FROM users."user" WHERE email LIKE $1`, [
        `batch-${stamp}-%`,
      ]);
      expect(rows[0].n).toBe(0);
    } finally {
      await pg.end();
    }
  });

  it('passes small nested lists (a kit’s components, their stock per location, its availability by location)', async () => {
    const kits = await p.gql<{ bundles: { edges: { node: { id: string } }[] } }>(
      '{ bundles(first: 1) { edges { node { id } } } }',
    );
    const id = kits.data!.bundles.edges[0]!.node.id;
    // Three lists without a page size, nested, each of a few items in fact.
    const query = `query ($id: ID!) { bundle(id: $id) { id components { quantity product { sku name
      stockLevels { locationId available product { sku availability { available byLocation { available location { id name } } } } } } } } }`;
    const res = await p.gql(query, { id });
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    const components = res.data!.bundle.components as { product: { stockLevels: unknown[] } }[];
    expect(components.length).toBeGreaterThanOrEqual(2);
    expect(components.some((c) => c.product.stockLevels.length >= 2)).toBe(true);

    // What the subgraphs' list sizes change: with every list assumed to hold 20, it was refused.
    const { supergraphSdl } = await composeFromCode();
    const schema = new SubscriptionPlanner(supergraphSdl).apiGraphQLSchema;
    const declared = CostModel.fromSupergraph(supergraphSdl).estimate(schema, parse(query), { id }, undefined);
    const undeclared = CostModel.undeclared.estimate(schema, parse(query), { id }, undefined);
    expect(declared).toBeLessThan(p.config.MAX_QUERY_COST);
    expect(undeclared).toBeGreaterThan(p.config.MAX_QUERY_COST);
  });
});

describe('list arguments priced per item', () => {
  // Low enough that a cart written out in the query refuses within the token limit (3,000).
  const MAX = 500;
  let p: TestPlatform;

  beforeAll(async () => {
    p = await startTestPlatform({
      subgraphs: ['products', 'stock'],
      verificationKeys: (await testTokens()).verificationKeys,
      seedSkus: 30,
      env: { ...NO_RESPONSE_CACHE, MAX_QUERY_COST: String(MAX) },
    });
  });
  afterAll(() => p?.stop());

  const sku = (i: number) => `SKU-${String((i % 30) + 1).padStart(6, '0')}`;
  const lines = (n: number) => Array.from({ length: n }, (_, i) => ({ sku: sku(i), quantity: 1 }));
  const literal = (n: number, codes: string[] = []) =>
    `{ priceCart(lines: [${lines(n)
      .map((l) => `{ sku: "${l.sku}", quantity: ${l.quantity} }`)
      .join(', ')}], couponCodes: ${JSON.stringify(codes)}) { total { amount } } }`;
  const BY_VARIABLES = `query ($l: [CartLineInput!]!, $c: [String!]) { priceCart(lines: $l, couponCodes: $c) { total { amount } } }`;
  const refusedCost = (r: GraphQLResult) => {
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: MAX });
    return r.errors![0]!.extensions!.cost as number;
  };

  it('charges priceCart per line and per coupon code, written out or in variables alike', async () => {
    const small = await p.gql(BY_VARIABLES, { l: lines(3), c: ['WELCOME30'] });
    expect(codeOf(small)).not.toBe('QUERY_TOO_COMPLEX');

    const fewer = refusedCost(await p.gql(literal(250)));
    const more = refusedCost(await p.gql(literal(300)));
    expect(more - fewer).toBe(50 * 3); // products declares 3 per line
    expect(refusedCost(await p.gql(BY_VARIABLES, { l: lines(250) }))).toBe(fewer);
    expect(refusedCost(await p.gql(BY_VARIABLES, { l: lines(250), c: ['A', 'B', 'C'] }))).toBe(fewer + 3 * 10);
    expect(refusedCost(await p.gql(literal(250, ['A', 'B', 'C'])))).toBe(fewer + 3 * 10);
  });

  it('prices a subscription by the same rules, refusing it over WebSocket with the same answer', async () => {
    const client = createClient({ url: p.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const skus = Array.from({ length: MAX + 1 }, (_, i) => sku(i));
      const errors = await new Promise<{ extensions?: Record<string, unknown> }[]>((resolve) => {
        client.subscribe(
          { query: 'subscription ($s: [String!]!) { stockChanged(skus: $s) { sku } }', variables: { s: skus } },
          { next: () => resolve([]), error: (e) => resolve(e as never), complete: () => resolve([]) },
        );
      });
      expect(errors[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: MAX });
      expect(errors[0]!.extensions!.cost as number).toBeGreaterThan(MAX);
    } finally {
      await client.dispose();
    }
  });
});
