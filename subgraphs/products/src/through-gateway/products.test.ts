// The catalog through the gateway, the way clients call it.
import { execute, parse } from 'graphql';
import { startTestPlatform, type GraphQLResult, type TestPlatform } from '@grocery/gateway/testing';

const SKU = 'SKU-000001';
let p: TestPlatform;
let staff: string;
let customer: string;

beforeAll(async () => {
  p = await startTestPlatform({ seedSkus: 300 });
  staff = (await p.signIn(['staff'])).accessToken;
  customer = (await p.signIn(['customer'])).accessToken;
});
afterAll(() => p?.stop());

const PRODUCT = `query ($sku: String!) { product(sku: $sku) { sku name names { en vi } price { amount currency } unit category { id name } } }`;
const UPDATE = `mutation ($s: String!, $input: UpdateProductInput!) { updateProduct(sku: $s, input: $input) { sku price { amount currency } name } }`;

describe('reading the catalog', () => {
  it('answers product(sku) in the language of Accept-Language', async () => {
    const en = await p.gql(PRODUCT, { sku: SKU }, { lang: 'en-US,en;q=0.9' });
    const vi = await p.gql(PRODUCT, { sku: SKU }, { lang: 'vi-VN,vi;q=0.9' });
    expect(en.errors).toBeUndefined();
    expect(en.data!.product.name).toBe(en.data!.product.names.en);
    expect(vi.data!.product.name).toBe(vi.data!.product.names.vi);
    expect(vi.data!.product.names.vi).not.toBe(vi.data!.product.names.en);
    expect(vi.data!.product.category.name).not.toBe(en.data!.product.category.name);
    expect(en.data!.product.price.currency).toBe('VND');
    expect(Number.isInteger(en.data!.product.price.amount)).toBe(true);
  });

  it('lets an explicit locale argument win over the header', async () => {
    const r = await p.gql(
      `query ($sku: String!) { product(sku: $sku) { name(locale: vi) names { vi } } }`,
      { sku: SKU },
      { lang: 'en' },
    );
    expect(r.data!.product.name).toBe(r.data!.product.names.vi);
  });

  it('answers null for an unknown SKU', async () => {
    const r = await p.gql(PRODUCT, { sku: 'NO-SUCH-SKU' });
    expect(r.errors).toBeUndefined();
    expect(r.data!.product).toBeNull();
  });

  it('pages through every product exactly once with cursors', async () => {
    const seen = new Set<string>();
    let after: string | null = null;
    let total = -1;
    for (let page = 0; page < 10; page++) {
      const r: GraphQLResult = await p.gql(
        `query ($after: String) { products(first: 100, after: $after) { totalCount edges { cursor node { sku } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expect(r.errors).toBeUndefined();
      const c = r.data!.products;
      total = c.totalCount;
      for (const e of c.edges) seen.add(e.node.sku);
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(total).toBe(300);
    expect(seen.size).toBe(300);
  });

  it('answers an empty last page and first: 0 with the total', async () => {
    const last = await p.gql(
      `query { products(first: 100, after: "${Buffer.from('p1:SKU-000300').toString('base64url')}") { totalCount edges { node { sku } } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(last.data!.products).toEqual({
      totalCount: 300,
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
    const none = await p.gql(`query { products(first: 0) { totalCount edges { node { sku } } } }`);
    expect(none.data!.products).toEqual({ totalCount: 300, edges: [] });
  });

  it('refuses an invalid cursor and an oversized page with BAD_USER_INPUT', async () => {
    const bad = await p.gql(`query { products(first: 5, after: "not-a-cursor") { totalCount } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const big = await p.gql(`query { products(first: 101) { totalCount } }`);
    expect(big.errors?.[0]?.extensions?.code).toBeDefined();
    expect(big.data?.products ?? null).toBeNull();
  });

  it('filters by a parent category, including its sub-categories', async () => {
    const cats = await p.gql(`query { categories { id parentId } }`);
    const parent = cats.data!.categories.find((c: { parentId: string | null }) => c.parentId === null).id;
    const children = new Set(
      cats.data!.categories.filter((c: { parentId: string }) => c.parentId === parent).map((c: { id: string }) => c.id),
    );
    const r = await p.gql(
      `query ($c: ID!) { products(first: 100, filter: { categoryId: $c }) { totalCount edges { node { category { id } } } } }`,
      { c: parent },
    );
    expect(r.data!.products.totalCount).toBeGreaterThan(0);
    for (const e of r.data!.products.edges)
      expect(children.has(e.node.category.id) || e.node.category.id === parent).toBe(true);
  });
});

describe('staff edit products', () => {
  it('changes the price, and the next read through the gateway shows it', async () => {
    await p.gql(PRODUCT, { sku: 'SKU-000002' }); // warm the cache
    const r = await p.gql(
      UPDATE,
      { s: 'SKU-000002', input: { price: { amount: 25000, currency: 'VND' } } },
      { token: staff },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.updateProduct.price).toEqual({ amount: 25000, currency: 'VND' });
    const after = await p.gql(PRODUCT, { sku: 'SKU-000002' });
    expect(after.data!.product.price.amount).toBe(25000);
  });

  it('refuses a negative price, an unknown currency and an empty name, changing nothing', async () => {
    const before = (await p.gql(PRODUCT, { sku: 'SKU-000003' })).data!.product;
    for (const input of [
      { price: { amount: -1, currency: 'VND' } },
      { price: { amount: 1000, currency: 'USD' } },
      { nameEn: '   ' },
      {},
    ]) {
      const r = await p.gql(UPDATE, { s: 'SKU-000003', input }, { token: staff });
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(r.data).toBeNull();
    }
    expect((await p.gql(PRODUCT, { sku: 'SKU-000003' })).data!.product).toEqual(before);
  });

  it('answers NOT_FOUND for an unknown SKU', async () => {
    const r = await p.gql(UPDATE, { s: 'NOPE-1', input: { price: { amount: 1000 } } }, { token: staff });
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses customers (FORBIDDEN) and anonymous callers (UNAUTHENTICATED)', async () => {
    const c = await p.gql(UPDATE, { s: SKU, input: { price: { amount: 1 } } }, { token: customer });
    expect(c.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const a = await p.gql(UPDATE, { s: SKU, input: { price: { amount: 1 } } });
    expect(a.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await p.gql(PRODUCT, { sku: SKU })).data!.product.price.amount).not.toBe(1);
  });

  it('publishes product.updated through the outbox', async () => {
    const { Client } = await import('pg');
    const db = new Client({ connectionString: p.database.url });
    await db.connect();
    try {
      await p.gql(UPDATE, { s: 'SKU-000004', input: { nameEn: 'Renamed in a test' } }, { token: staff });
      const { rows } = await db.query(
        `SELECT type, subject, payload FROM products.outbox_event WHERE subject = 'SKU-000004'`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].type).toBe('product.updated');
      expect(rows[0].payload.data.nameEn).toBe('Renamed in a test');
    } finally {
      await db.end();
    }
  });
});

describe('cache invalidation across replicas', () => {
  it('evicts another replica’s cached product once the event arrives, and reports the delay', async () => {
    const replica = await p.createReplica('products');
    const read = async () => {
      const r = await execute({
        schema: replica.schema,
        document: parse(`{ product(sku: "SKU-000005") { price { amount } } }`),
        contextValue: replica.createContext({ locale: 'en' }),
      });
      return (r.data as { product: { price: { amount: number } } }).product.price.amount;
    };
    const old = await read(); // now cached in the replica's LRU (and Redis when configured)
    const next = old + 1000;
    const t0 = performance.now();
    const r = await p.gql(UPDATE, { s: 'SKU-000005', input: { price: { amount: next } } }, { token: staff });
    expect(r.errors).toBeUndefined();
    let seen = await read();
    while (seen !== next && performance.now() - t0 < 10_000) {
      await new Promise((res) => setTimeout(res, 2));
      seen = await read();
    }
    const delay = performance.now() - t0;
    expect(seen).toBe(next);
    for (let i = 0; i < 20; i++) expect(await read()).toBe(next); // never stale again
    console.log(
      `price change -> other replica serves it: ${delay.toFixed(1)} ms (${p.mode}, bus ${p.platform.deps.bus.kind})`,
    );
  });
});
