// The gateway's response cache: anonymous catalog reads are served from memory, and every write
// a client could see — through this gateway or announced on the bus — takes them out first.
import { makeEvent, topicFor } from '@grocery/platform';
import { startTestPlatform, type GraphQLResult, type TestPlatform } from '../src/testing/platform';

let p: TestPlatform;
let staff: string;

beforeAll(async () => {
  // A long TTL, so only invalidation can make a cached answer go away within a test.
  p = await startTestPlatform({ seedSkus: 60, env: { RESPONSE_CACHE_TTL_SECONDS: '600' } });
  staff = (await p.signIn(['staff'])).accessToken;
});
afterAll(() => p?.stop());

type Answer = GraphQLResult & { cache: string | null };

/** POSTs to /graphql and reports the x-cache header with the body. */
async function call(
  query: string,
  variables: Record<string, unknown> = {},
  opts: { token?: string; lang?: string } = {},
): Promise<Answer> {
  const res = await fetch(p.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.lang ? { 'accept-language': opts.lang } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { ...((await res.json()) as GraphQLResult), status: res.status, cache: res.headers.get('x-cache') };
}

/** Reads until the answer satisfies `ok` (bus events arrive asynchronously); returns that answer. */
async function readUntil(read: () => Promise<Answer>, ok: (a: Answer) => boolean, ms = 5_000): Promise<Answer> {
  const deadline = Date.now() + ms;
  let a = await read();
  while (!ok(a) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    a = await read();
  }
  return a;
}

/**
 * Reads until the answer comes from the cache. Earlier tests' events (and their settle-time
 * second evictions) may still take an entry out once more; extra evictions are allowed.
 */
async function cached(query: string, variables: Record<string, unknown>, opts: { lang?: string } = {}) {
  const a = await readUntil(
    () => call(query, variables, opts),
    (x) => x.cache === 'hit',
  );
  expect(a.cache).toBe('hit');
  return a;
}

const SHELF = `query Shelf($sku: String!) { product(sku: $sku) { sku name price { amount } currentPrice { amount } } }`;
const STOCK = `query Stock($sku: String!) { product(sku: $sku) { sku availability { available byLocation { location { id } available } } } }`;
const SEARCH = `query Find($q: String!) { search(query: $q, first: 5) { totalCount edges { node { sku name price { amount } } } } }`;

describe('anonymous catalog reads', () => {
  it('answers a repeated product query from the cache, with the same data', async () => {
    const first = await call(SHELF, { sku: 'SKU-000001' });
    const second = await call(SHELF, { sku: 'SKU-000001' });
    expect(first.errors).toBeUndefined();
    expect(second.cache).toBe('hit');
    expect(second.data).toEqual(first.data);
  });

  it('answers a repeated search from the cache; other variables are another entry', async () => {
    const name = (await call(SHELF, { sku: 'SKU-000002' })).data!.product.name as string;
    const q = name.split(' ')[0]!;
    // Ranked partly by popularity, a search also depends on orders: the first answer that does
    // makes this replica listen to grocery.orders and is not stored (an order placed while it
    // starts listening would go unheard); one after it listens is.
    expect((await call(SEARCH, { q })).cache).toBe('miss');
    const again = await cached(SEARCH, { q });
    expect(again.data!.search.totalCount).toBeGreaterThan(0);
    expect((await call(SEARCH, { q: `${q} x` })).cache).toBe('miss');
  });

  it('never shares an entry between en and vi', async () => {
    const en = await call(SHELF, { sku: 'SKU-000003' }, { lang: 'en-US,en;q=0.9' });
    const vi = await call(SHELF, { sku: 'SKU-000003' }, { lang: 'vi-VN,vi;q=0.9' });
    expect(vi.cache).toBe('miss');
    expect(vi.data!.product.name).not.toBe(en.data!.product.name);
    const viAgain = await call(SHELF, { sku: 'SKU-000003' }, { lang: 'vi' });
    const enAgain = await call(SHELF, { sku: 'SKU-000003' }, { lang: 'en' });
    expect([viAgain.cache, enAgain.cache]).toEqual(['hit', 'hit']);
    expect(viAgain.data).toEqual(vi.data);
    expect(enAgain.data).toEqual(en.data);
  });

  it('bypasses authenticated requests, mutations and private fields', async () => {
    await call(SHELF, { sku: 'SKU-000004' });
    const authed = await call(SHELF, { sku: 'SKU-000004' }, { token: staff });
    expect(authed.cache).toBe('bypass');
    expect(authed.data!.product.sku).toBe('SKU-000004');
    const mutation = await call(`mutation ($t: String!) { logOut(refreshToken: $t) }`, { t: 'nothing' });
    expect(mutation.cache).toBe('bypass');
    const me = await call(`{ me { id } }`);
    expect(me.cache).toBe('bypass');
    expect((await call(`{ me { id } }`)).cache).toBe('bypass');
  });

  it('stores only what the subgraphs declared cacheable, for no longer than their maxAge', async () => {
    // priceCart answers for one cart: no cache hint anywhere on it, so never stored.
    const PRICE = `{ priceCart(lines: [{ sku: "SKU-000005", quantity: 2 }]) { total { amount } } }`;
    expect((await call(PRICE)).cache).toBe('bypass');
    expect((await call(PRICE)).cache).toBe('bypass');
    // Locations are reference data (maxAge 300): cached like the catalog.
    await cached(`{ locations { id } }`, {});
    // Stock declares maxAge 5: gone after 5 s although RESPONSE_CACHE_TTL_SECONDS is 600 here.
    await cached(STOCK, { sku: 'SKU-000006' });
    await new Promise((r) => setTimeout(r, 5_500));
    expect((await call(STOCK, { sku: 'SKU-000006' })).cache).toBe('miss');
  }, 20_000);

  it('does not cache an answer with errors', async () => {
    const BAD = `{ products(first: 5, filter: { inStockAt: "" }) { totalCount } }`;
    const first = await call(BAD);
    expect(first.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const second = await call(BAD);
    expect(second.cache).toBe('miss');
    expect(second.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('invalidation by events on the bus (writes through another replica)', () => {
  it('evicts per SKU on a stock event, and every products entry once a review changes a rating', async () => {
    const [a, b] = ['SKU-000020', 'SKU-000021'];
    await cached(STOCK, { sku: a });
    await cached(STOCK, { sku: b });

    // stock.level_changed for a: a's availability goes, b's stays.
    const bus = p.platform.deps.bus;
    await bus.publish(topicFor('stock'), [
      makeEvent({ source: 'test', type: 'stock.level_changed', subject: a, data: { sku: a } }),
    ]);
    await readUntil(
      () => call(STOCK, { sku: a }),
      (x) => x.cache === 'miss',
    );
    expect((await call(STOCK, { sku: b })).cache).toBe('hit');

    // A review changes ratings in products, which announces it (product.rating_changed): every
    // products entry goes.
    await cached(SHELF, { sku: b });
    await bus.publish(topicFor('reviews'), [
      makeEvent({
        source: 'test',
        type: 'review.created',
        subject: `review-of-${b}`,
        data: { reviewId: `review-of-${b}`, sku: b, rating: 4 },
      }),
    ]);
    expect(
      (
        await readUntil(
          () => call(SHELF, { sku: b }),
          (x) => x.cache === 'miss',
        )
      ).cache,
    ).toBe('miss');
  });

  it('evicts an in-stock filtered list on any SKU’s stock event', async () => {
    const loc = (await call(STOCK, { sku: 'SKU-000030' })).data!.product.availability.byLocation[0].location.id;
    const LIST = `query ($loc: ID!) { products(first: 3, filter: { inStockAt: $loc }) { totalCount } }`;
    await cached(LIST, { loc });
    await p.platform.deps.bus.publish(topicFor('stock'), [
      makeEvent({ source: 'test', type: 'stock.level_changed', subject: 'SKU-000059', data: {} }),
    ]);
    expect(
      (
        await readUntil(
          () => call(LIST, { loc }),
          (x) => x.cache === 'miss',
        )
      ).cache,
    ).toBe('miss');
  });
});

describe('invalidation by writes through this gateway', () => {
  it('shows a staff price change on the next anonymous read, then caches that', async () => {
    const sku = 'SKU-000010';
    const before = (await call(SHELF, { sku })).data!.product;
    await cached(SHELF, { sku });

    const amount = before.price.amount + 1000;
    const updated = await call(
      `mutation ($s: String!, $input: UpdateProductInput!) { updateProduct(sku: $s, input: $input) { sku } }`,
      { s: sku, input: { price: { amount, currency: 'VND' } } },
      { token: staff },
    );
    expect(updated.errors).toBeUndefined();

    const next = await call(SHELF, { sku });
    expect(next.cache).toBe('miss');
    expect(next.data!.product.price.amount).toBe(amount);
    const settled = await readUntil(
      () => call(SHELF, { sku }),
      (a) => a.cache === 'hit',
    );
    expect(settled.data!.product.price.amount).toBe(amount);
  });

  it('shows a new promotion in the currentPrice of a cached product', async () => {
    const sku = 'SKU-000011';
    const before = (await call(SHELF, { sku })).data!.product;
    expect(before.currentPrice).toEqual(before.price);
    await cached(SHELF, { sku });

    const hour = 3_600_000;
    const created = await call(
      `mutation ($input: PromotionInput!) { createPromotion(input: $input) { id } }`,
      {
        input: {
          nameEn: `25% off ${sku}`,
          nameVi: `Giảm 25% ${sku}`,
          kind: 'SKU_DISCOUNT',
          skus: [sku],
          percent: 25,
          validFrom: new Date(Date.now() - hour).toISOString(),
          validUntil: new Date(Date.now() + 24 * hour).toISOString(),
        },
      },
      { token: staff },
    );
    expect(created.errors).toBeUndefined();

    const after = await call(SHELF, { sku });
    expect(after.cache).toBe('miss');
    expect(after.data!.product.currentPrice.amount).toBe(before.price.amount - Math.floor(before.price.amount / 4));
  });

  it('shows adjusted stock in a cached availability', async () => {
    const sku = 'SKU-000012';
    const before = (await call(STOCK, { sku })).data!.product.availability;
    await cached(STOCK, { sku });
    const loc = before.byLocation[0].location.id as string;

    const adjusted = await call(
      `mutation ($input: AdjustStockInput!) { adjustStock(input: $input) { sku } }`,
      { input: { sku, locationId: loc, delta: 7, reason: 'response cache test' } },
      { token: staff },
    );
    expect(adjusted.errors).toBeUndefined();

    const after = await call(STOCK, { sku });
    expect(after.cache).toBe('miss');
    expect(after.data!.product.availability.available).toBe(before.available + 7);
  });
});

describe('hits answered before Apollo', () => {
  it('answers the same bytes as the miss did, and another spelling of the operation shares the entry', async () => {
    const q = `query Sp($sku: String!) { product(sku: $sku) { sku name price { amount } } }`;
    const first = await readUntil(
      () => call(q, { sku: 'SKU-000031' }),
      (a) => a.cache === 'miss' || a.cache === 'hit',
    );
    const hit = await cached(q, { sku: 'SKU-000031' });
    expect(hit.data).toEqual(first.data);
    const respelled = `query Sp($sku: String!) {\n  product(sku: $sku) {\n    sku name\n    price { amount }\n  }\n}`;
    const again = await call(respelled, { sku: 'SKU-000031' });
    expect(again.cache).toBe('hit');
    expect(again.data).toEqual(first.data);
  });

  it('still counts cached answers against the per-client rate limit', async () => {
    const limited = await startTestPlatform({
      seedSkus: 5,
      env: { RESPONSE_CACHE_TTL_SECONDS: '600', RATE_LIMIT_PER_MINUTE: '5' },
    });
    try {
      const statuses: (string | number | null)[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await fetch(limited.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ product(sku: "SKU-000001") { sku } }' }),
        });
        statuses.push(res.status === 200 ? res.headers.get('x-cache') : res.status);
      }
      expect(statuses.slice(0, 5)).toEqual(['miss', 'hit', 'hit', 'hit', 'hit']);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
    } finally {
      await limited.stop();
    }
  });
});

describe('RESPONSE_CACHE=off', () => {
  it('has no cache layer at all: no x-cache header on any answer', async () => {
    const off = await startTestPlatform({ seedSkus: 5, env: { RESPONSE_CACHE: 'off' } });
    try {
      const token = (await off.signIn(['staff'])).accessToken;
      const read = async () => {
        const res = await fetch(off.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ product(sku: "SKU-000002") { price { amount } } }' }),
        });
        const body = (await res.json()) as { data: { product: { price: { amount: number } } } };
        return { cache: res.headers.get('x-cache'), amount: body.data.product.price.amount };
      };
      const before = await read();
      expect((await read()).cache).toBeNull();
      await off.gql(
        `mutation { updateProduct(sku: "SKU-000002", input: { price: { amount: ${before.amount + 1} } }) { sku } }`,
        {},
        { token },
      );
      expect(await read()).toEqual({ cache: null, amount: before.amount + 1 });
    } finally {
      await off.stop();
    }
  });
});

describe('memory bound (RESPONSE_CACHE_MAX_BYTES)', () => {
  let small: TestPlatform;
  beforeAll(async () => {
    // 16 KB: an answer over 1 KB is never stored.
    small = await startTestPlatform({
      seedSkus: 60,
      env: { RESPONSE_CACHE_TTL_SECONDS: '600', RESPONSE_CACHE_MAX_BYTES: '16384' },
    });
  });
  afterAll(() => small?.stop());

  const post = async (query: string) => {
    const res = await fetch(small.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return { body: (await res.json()) as GraphQLResult, cache: res.headers.get('x-cache') };
  };

  it('answers but never stores an answer too large for it; small answers are still cached', async () => {
    const LARGE = `{ products(first: 50) { edges { node { sku name description names { en vi } } } } }`;
    const first = await post(LARGE);
    expect(JSON.stringify(first.body.data).length).toBeGreaterThan(1024);
    const second = await post(LARGE);
    expect(second.cache).toBe('miss');
    expect(second.body.data).toEqual(first.body.data);

    const SMALL = `{ product(sku: "SKU-000001") { sku price { amount } } }`;
    await post(SMALL);
    expect((await post(SMALL)).cache).toBe('hit');
  });
});
