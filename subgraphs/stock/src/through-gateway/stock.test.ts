// Stock through the gateway, the way clients call it: availability joined onto the catalog,
// staff adjustments, the cache they invalidate, their events and the live subscription.
import { execute, parse } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { StockLevelRepository } from '../data/stock-level-repository';
import { insertCatalog, outboxRows, stockLevelRow, subjectOf, withDb, type FixtureProduct } from './catalog-fixture';
import { startTestPlatform, type TestPlatform } from '@grocery/gateway/testing';
import { openSubscription, type OpenSubscription } from './subscription-client';

// Starting the platform migrates every domain with the Prisma CLI: slow on a busy machine.
const START_TIMEOUT_MS = 180_000;

const STORE = 'T-HCM-D1';
const WAREHOUSE = 'T-HCM-WH';
const PICKUP = 'T-HN-PU';
const sku = (n: number) => `T-${String(n).padStart(4, '0')}`;
const PRODUCTS: FixtureProduct[] = Array.from({ length: 120 }, (_, i) => ({
  sku: sku(i + 1),
  nameEn: `Test product ${i + 1}`,
  nameVi: `Sản phẩm thử ${i + 1}`,
  price: 10_000 + i * 500,
}));

let p: TestPlatform;
let staff: string;
let customer: string;

beforeAll(async () => {
  p = await startTestPlatform();
  await insertCatalog(p.database.url, {
    products: PRODUCTS,
    locations: [
      { id: STORE, nameEn: 'District 1 store', nameVi: 'Cửa hàng Quận 1', kind: 'STORE', city: 'Hồ Chí Minh' },
      { id: WAREHOUSE, nameEn: 'Thu Duc warehouse', nameVi: 'Kho Thủ Đức', kind: 'WAREHOUSE', city: 'Hồ Chí Minh' },
      {
        id: PICKUP,
        nameEn: 'Hoan Kiem pickup point',
        nameVi: 'Điểm nhận hàng Hoàn Kiếm',
        kind: 'PICKUP_POINT',
        city: 'Hà Nội',
      },
    ],
    levels: [
      { sku: sku(1), locationId: STORE, onHand: 7 },
      { sku: sku(1), locationId: WAREHOUSE, onHand: 20, reserved: 2 },
      { sku: sku(2), locationId: STORE, onHand: 3, reserved: 3 },
      // T-0003 has no stock anywhere.
      ...Array.from({ length: 100 }, (_, i) => ({ sku: sku(i + 4), locationId: WAREHOUSE, onHand: i + 1 })),
    ],
  });
  staff = (await p.signIn(['staff'])).accessToken;
  customer = (await p.signIn(['customer'])).accessToken;
}, START_TIMEOUT_MS);
afterAll(() => p?.stop());

const CATALOG_WITH_STOCK = `query { products(first: 5) { totalCount edges { node { sku name price { amount currency }
        availability { available inStock byLocation { location { id name } available } } } } } }`;
const ADJUST = `mutation ($s: String!, $l: ID!) { adjustStock(input: { sku: $s, locationId: $l, delta: 5, reason: "recount" }) { sku } }`;
const ADJUST_BY = `mutation ($s: String!, $l: ID!, $d: Int!, $r: String!) {
  adjustStock(input: { sku: $s, locationId: $l, delta: $d, reason: $r }) { sku locationId onHand reserved available location { id } } }`;
const AVAILABILITY = `query ($s: String!) { product(sku: $s) { sku availability { available inStock byLocation { location { id } available onHand reserved } } } }`;

async function availableOf(s: string): Promise<number> {
  const r = await p.gql(AVAILABILITY, { s });
  expect(r.errors).toBeUndefined();
  return r.data!.product.availability.available;
}

describe('availability on the catalog', () => {
  it('joins stock onto products in one query through the gateway, by location', async () => {
    const r = await p.gql(CATALOG_WITH_STOCK);
    expect(r.errors).toBeUndefined();
    expect(r.data!.products.totalCount).toBe(120);
    const [first, second, third] = r.data!.products.edges.map((e: { node: unknown }) => e.node);
    expect(first).toEqual({
      sku: sku(1),
      name: 'Test product 1',
      price: { amount: 10_000, currency: 'VND' },
      availability: {
        available: 25,
        inStock: true,
        byLocation: [
          { location: { id: STORE, name: 'District 1 store' }, available: 7 },
          { location: { id: WAREHOUSE, name: 'Thu Duc warehouse' }, available: 18 },
        ],
      },
    });
    // Fully reserved: on hand, but nothing to sell.
    expect(second.availability).toEqual({
      available: 0,
      inStock: false,
      byLocation: [{ location: { id: STORE, name: 'District 1 store' }, available: 0 }],
    });
    expect(third.availability).toEqual({ available: 0, inStock: false, byLocation: [] });
  });

  it('names locations in the request language', async () => {
    const r = await p.gql(
      `query { product(sku: "${sku(1)}") { availability { byLocation { location { name names { en vi } } } } } }`,
      {},
      { lang: 'vi-VN' },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.product.availability.byLocation[0].location).toEqual({
      name: 'Cửa hàng Quận 1',
      names: { en: 'District 1 store', vi: 'Cửa hàng Quận 1' },
    });
  });

  it('loads availability for a page of 100 products with one stock query', async () => {
    const spy = jest.spyOn(StockLevelRepository.prototype, 'levelsForSkus');
    try {
      const r =
        await p.gql(`query { products(first: 100, after: "${Buffer.from(`p1:${sku(3)}`).toString('base64url')}") {
        edges { node { sku availability { available } stockLevels { locationId onHand } } } } }`);
      expect(r.errors).toBeUndefined();
      const nodes = r.data!.products.edges.map(
        (e: { node: { sku: string; availability: { available: number } } }) => e.node,
      );
      expect(nodes).toHaveLength(100);
      expect(nodes[0]).toEqual({
        sku: sku(4),
        availability: { available: 1 },
        stockLevels: [{ locationId: WAREHOUSE, onHand: 1 }],
      });
      expect(nodes[99].availability.available).toBe(100);
      // One query for every SKU the cache did not have (the first test cached two of them).
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0]![0].length).toBeGreaterThanOrEqual(98);
    } finally {
      spy.mockRestore();
    }
  });

  it('resolves 100 Product entities (_entities) with one stock query', async () => {
    const stock = p.modules.stock!;
    const spy = jest.spyOn(StockLevelRepository.prototype, 'levelsForSkus');
    try {
      const representations = Array.from({ length: 100 }, (_, i) => ({ __typename: 'Product', sku: `T-ENT-${i}` }));
      const r = await execute({
        schema: stock.schema,
        document: parse(
          `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Product { sku availability { available } } } }`,
        ),
        variableValues: { r: representations },
        contextValue: stock.createContext({ locale: 'en' }),
      });
      expect(r.errors).toBeUndefined();
      expect((r.data as { _entities: unknown[] })._entities).toHaveLength(100);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('lists locations, filtered by kind and city', async () => {
    const all = await p.gql(`query { locations { id name kind city } }`);
    expect(all.errors).toBeUndefined();
    expect(all.data!.locations.map((l: { id: string }) => l.id)).toEqual([STORE, WAREHOUSE, PICKUP]);
    const stores = await p.gql(`query { locations(filter: { kind: STORE }) { id name(locale: vi) } }`);
    expect(stores.data!.locations).toEqual([{ id: STORE, name: 'Cửa hàng Quận 1' }]);
    const hanoi = await p.gql(`query { locations(filter: { city: "hà nội" }) { id kind } }`);
    expect(hanoi.data!.locations).toEqual([{ id: PICKUP, kind: 'PICKUP_POINT' }]);
  });
});

describe('staff adjust stock', () => {
  it('adds units, records who did it and why, and writes a stock.level_changed outbox row', async () => {
    const r = await p.gql(ADJUST, { s: sku(5), l: WAREHOUSE }, { token: staff });
    expect(r.errors).toBeUndefined();
    expect(r.data!.adjustStock).toEqual({ sku: sku(5) });
    expect(await stockLevelRow(p.database.url, sku(5), WAREHOUSE)).toEqual({ onHand: 7, reserved: 0 });
    const movements = await withDb(p.database.url, (db) =>
      db.query(`SELECT delta, reason, actor_id FROM stock.stock_movement WHERE sku = $1`, [sku(5)]),
    );
    expect(movements.rows).toEqual([{ delta: 5, reason: 'recount', actor_id: subjectOf(staff) }]);
    const events = await outboxRows(p.database.url, sku(5));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'stock.level_changed', topic: 'grocery.stock', subject: sku(5) });
    expect(events[0]!.payload.data).toEqual({
      sku: sku(5),
      locationId: WAREHOUSE,
      onHand: 7,
      reserved: 0,
      available: 7,
      totalAvailable: 7,
      reason: 'ADJUSTED',
      version: 2, // the fixture's level is version 1; each change raises it by one
      earliestExpiry: null, // no lots
    });
  });

  it('creates the stock level on the first delivery to a location', async () => {
    const r = await p.gql(ADJUST_BY, { s: sku(3), l: PICKUP, d: 12, r: 'first delivery' }, { token: staff });
    expect(r.errors).toBeUndefined();
    expect(r.data!.adjustStock).toEqual({
      sku: sku(3),
      locationId: PICKUP,
      onHand: 12,
      reserved: 0,
      available: 12,
      location: { id: PICKUP },
    });
    expect(await availableOf(sku(3))).toBe(12);
  });

  it('removes units down to what is reserved, and no further (CONFLICT)', async () => {
    // T-0001 at the warehouse: 20 on hand, 2 reserved.
    const ok = await p.gql(ADJUST_BY, { s: sku(1), l: WAREHOUSE, d: -18, r: 'damaged' }, { token: staff });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.adjustStock).toMatchObject({ onHand: 2, reserved: 2, available: 0 });
    const tooMany = await p.gql(ADJUST_BY, { s: sku(1), l: WAREHOUSE, d: -1, r: 'damaged' }, { token: staff });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(tooMany.errors?.[0]?.message).toMatch(/at most 0 can be removed/);
    expect(await stockLevelRow(p.database.url, sku(1), WAREHOUSE)).toEqual({ onHand: 2, reserved: 2 });
    // Removing from a location that has none of it is the same refusal.
    const none = await p.gql(ADJUST_BY, { s: sku(3), l: STORE, d: -1, r: 'recount' }, { token: staff });
    expect(none.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await stockLevelRow(p.database.url, sku(3), STORE)).toBeNull();
  });

  it('refuses bad input with a coded error and changes nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ s: sku(6), l: WAREHOUSE, d: 0, r: 'recount' }, 'BAD_USER_INPUT'],
      [{ s: sku(6), l: WAREHOUSE, d: 100_001, r: 'recount' }, 'BAD_USER_INPUT'],
      [{ s: sku(6), l: WAREHOUSE, d: -100_001, r: 'recount' }, 'BAD_USER_INPUT'],
      [{ s: sku(6), l: WAREHOUSE, d: 1, r: '   ' }, 'BAD_USER_INPUT'],
      [{ s: '', l: WAREHOUSE, d: 1, r: 'recount' }, 'BAD_USER_INPUT'],
      [{ s: sku(6), l: 'NO-SUCH-PLACE', d: 1, r: 'recount' }, 'NOT_FOUND'],
    ];
    for (const [vars, code] of cases) {
      const r = await p.gql(ADJUST_BY, vars, { token: staff });
      expect({ vars, code: r.errors?.[0]?.extensions?.code }).toEqual({ vars, code });
      expect(r.data).toBeNull();
    }
    expect(await stockLevelRow(p.database.url, sku(6), WAREHOUSE)).toEqual({ onHand: 3, reserved: 0 });
    expect(await outboxRows(p.database.url, sku(6))).toEqual([]);
  });

  it('refuses customers (FORBIDDEN) and anonymous callers (UNAUTHENTICATED)', async () => {
    const asCustomer = await p.gql(ADJUST, { s: sku(7), l: WAREHOUSE }, { token: customer });
    expect(asCustomer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await p.gql(ADJUST, { s: sku(7), l: WAREHOUSE });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await stockLevelRow(p.database.url, sku(7), WAREHOUSE)).toEqual({ onHand: 4, reserved: 0 });
  });

  it('shows the new availability on the next read (the cached figure is evicted)', async () => {
    expect(await availableOf(sku(8))).toBe(5); // now cached
    expect(await availableOf(sku(8))).toBe(5);
    const r = await p.gql(ADJUST_BY, { s: sku(8), l: STORE, d: 10, r: 'delivery' }, { token: staff });
    expect(r.errors).toBeUndefined();
    expect(await availableOf(sku(8))).toBe(15);
  });
});

describe('stockChanged subscription', () => {
  const STOCK_CHANGED = `subscription ($s: [String!]!) { stockChanged(skus: $s) {
    sku available inStock locationId locationAvailable onHand reserved reason product { sku } location { id name } } }`;
  let sub: OpenSubscription | undefined;
  afterEach(() => sub?.close());

  it('yields the change after adjustStock, for the watched SKUs only', async () => {
    const opened = await openSubscription(p.modules.stock!, STOCK_CHANGED, { s: [sku(9), sku(10)] });
    if (!('next' in opened)) throw new Error(`subscribe failed: ${JSON.stringify(opened.errors)}`);
    sub = opened;
    // A change of an unwatched SKU first: it must not come through.
    expect(
      (await p.gql(ADJUST_BY, { s: sku(11), l: STORE, d: 1, r: 'delivery' }, { token: staff })).errors,
    ).toBeUndefined();
    expect(
      (await p.gql(ADJUST_BY, { s: sku(10), l: STORE, d: 4, r: 'delivery' }, { token: staff })).errors,
    ).toBeUndefined();
    const event = await sub.next();
    expect(event.errors).toBeUndefined();
    expect(event.data).toEqual({
      stockChanged: {
        sku: sku(10),
        available: 11, // 7 at the warehouse + 4 at the store
        inStock: true,
        locationId: STORE,
        locationAvailable: 4,
        onHand: 4,
        reserved: 0,
        reason: 'ADJUSTED',
        product: { sku: sku(10) },
        location: { id: STORE, name: 'District 1 store' },
      },
    });
  });

  it('refuses no SKUs or more than 100 with BAD_USER_INPUT', async () => {
    for (const skus of [[], Array.from({ length: 101 }, (_, i) => `S-${i}`)]) {
      const r = await openSubscription(p.modules.stock!, STOCK_CHANGED, { s: skus });
      expect('next' in r).toBe(false);
      expect((r as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code).toBe(
        'BAD_USER_INPUT',
      );
    }
  });

  it('reaches clients through the gateway, with product fields from the catalog', async () => {
    const client = createClient({ url: p.wsUrl, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
    try {
      const events = client.iterate({
        query: `subscription ($s: [String!]!) { stockChanged(skus: $s) { sku available product { name price { amount } } } }`,
        variables: { s: [sku(12)] },
      });
      const first = events.next();
      // The gateway opens the subgraph stream when the subscribe message arrives, and nothing
      // tells the client when that is done: deliver a unit at a time until an event comes.
      const totals: number[] = [];
      let result: IteratorResult<unknown> | undefined;
      for (let attempt = 0; attempt < 10 && !result; attempt++) {
        const r = await p.gql(ADJUST_BY, { s: sku(12), l: STORE, d: 1, r: 'delivery' }, { token: staff });
        expect(r.errors).toBeUndefined();
        totals.push(9 + r.data!.adjustStock.onHand); // 9 at the warehouse + the store's units
        result = await Promise.race([
          first,
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1_000)),
        ]);
      }
      expect(result?.done).toBe(false);
      const { stockChanged } = (result!.value as { data: { stockChanged: { available: number } } }).data;
      expect(stockChanged).toEqual({
        sku: sku(12),
        available: expect.any(Number),
        product: { name: 'Test product 12', price: { amount: 15_500 } },
      });
      expect(totals).toContain(stockChanged.available);
      await events.return?.();
    } finally {
      await client.dispose();
    }
  });
});
