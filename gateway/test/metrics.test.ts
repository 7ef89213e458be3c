// GET /metrics after real traffic through the gateway: a product read, a query that fails
// validation, a cart and two checkouts (one placed, one refused out of stock), a WebSocket
// subscription. The series are read from the Prometheus text a scraper gets, and counters must
// have moved between a scrape before and one after. Runs embedded and distributed
// (TEST_MODE=distributed: a subgraph service's own /metrics too).
import { createClient, type Client } from 'graphql-ws/client';
import WebSocket from 'ws';
import { insertCatalog } from '../../subgraphs/stock/src/through-gateway/catalog-fixture';
import { dashboardExpressions, readPromQL, ruleExpressions } from '../../test/deploy/promql';
import { eventually, startTestPlatform, type TestPlatform } from '../src/testing/platform';
import { testTokens } from '../src/testing/tokens';
import { rise, scrape } from './prometheus-text';

const STORE = 'T-MET-STORE';
const SKU = 'T-MET-MILK';

const PRODUCT = `query MetricsProduct($sku: String!) { product(sku: $sku) { sku name price { amount } } }`;
const ADD = `mutation MetricsAddToCart($lines: [CartLineInput!]!) { addToCart(lines: $lines) { id } }`;
const PLACE = `mutation MetricsPlaceOrder($input: PlaceOrderInput!) { placeOrder(input: $input) { __typename
  ... on Order { id status } ... on ErrorResult { errorCode message } } }`;

/** Fresh milk, 5 on hand at one store. */
const insertMilk = (url: string) =>
  insertCatalog(url, {
    products: [{ sku: SKU, nameEn: 'Fresh milk', nameVi: 'Sữa tươi', price: 32000 }],
    locations: [{ id: STORE, nameEn: STORE, nameVi: STORE, kind: 'STORE', city: 'Hồ Chí Minh' }],
    levels: [{ sku: SKU, locationId: STORE, onHand: 5 }],
  });

describe('metrics', () => {
  let p: TestPlatform;
  let clients: Client[] = [];
  const metricsUrl = () => `${p.baseUrl}/metrics`;

  beforeAll(async () => {
    p = await startTestPlatform({ env: { PAYMENT_SIMULATOR_DELAY_MS: '20' } });
    await insertMilk(p.database.url);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await p?.stop();
  });

  it('counts operations, subgraph fetches, caches and checkouts between two scrapes', async () => {
    const before = await scrape(metricsUrl());
    const { accessToken } = await p.signIn(['customer']);

    // Twice as a customer (not served by the gateway's response cache): a miss, then a hit, in products' cache.
    for (let i = 0; i < 2; i++) {
      const read = await p.gql(PRODUCT, { sku: SKU }, { token: accessToken });
      expect(read.data?.product).toMatchObject({ sku: SKU, price: { amount: 32000 } });
    }
    // Anonymous: what the response cache may keep.
    expect((await p.gql(PRODUCT, { sku: SKU })).errors).toBeUndefined();
    const broken = await p.gql(`query MetricsBroken { product(sku: "${SKU}") { noSuchField } }`);
    expect(broken.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const cart = async (quantity: number) => {
      const r = await p.gql(ADD, { lines: [{ sku: SKU, quantity }] });
      expect(r.errors).toBeUndefined();
      return r.data!.addToCart.id as string;
    };
    const input = (cartId: string) => ({
      cartId,
      idempotencyKey: `metrics-${Math.random().toString(36).slice(2)}`,
      email: 'guest@test.grocery.vn',
      fulfilment: { type: 'PICKUP', locationId: STORE },
      payment: { provider: 'SIMULATOR', token: 'sim_approve' },
    });
    const placed = await p.gql(PLACE, { input: input(await cart(2)) });
    expect(placed.data?.placeOrder).toMatchObject({ __typename: 'Order' });
    const refused = await p.gql(PLACE, { input: input(await cart(50)) });
    expect(refused.data?.placeOrder).toMatchObject({ __typename: 'OutOfStock' });

    const after = await scrape(metricsUrl());
    const op = { operation: 'MetricsProduct', type: 'query', root_field: 'product' };
    expect(rise(before, after, 'gateway_operations_total', op)).toBe(3);
    expect(rise(before, after, 'gateway_operation_duration_seconds_count', op)).toBe(3);
    expect(rise(before, after, 'gateway_operation_errors_total', op)).toBe(0);
    expect(
      rise(before, after, 'gateway_operation_errors_total', {
        operation: 'invalid',
        code: 'GRAPHQL_VALIDATION_FAILED',
      }),
    ).toBe(1);
    expect(
      rise(before, after, 'gateway_operations_total', {
        operation: 'MetricsPlaceOrder',
        type: 'mutation',
        root_field: 'placeOrder',
      }),
    ).toBe(2);

    expect(
      rise(before, after, 'gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'products' }),
    ).toBeGreaterThan(0);
    expect(
      rise(before, after, 'gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'orders' }),
    ).toBeGreaterThan(0);
    expect(after.value('gateway_subgraph_fetch_duration_seconds_bucket', { subgraph: 'products', le: '+Inf' })).toBe(
      after.value('gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'products' }),
    );

    expect(
      rise(before, after, 'cache_lookups_total', { cache: 'products:product:v2', result: 'miss' }),
    ).toBeGreaterThan(0);
    expect(rise(before, after, 'cache_lookups_total', { cache: 'products:product:v2', result: 'hit' })).toBeGreaterThan(
      0,
    );
    expect(rise(before, after, 'cache_lookups_total', { cache: 'gateway:response' })).toBeGreaterThan(0);

    expect(rise(before, after, 'orders_placed_total', { provider: 'SIMULATOR', fulfilment: 'PICKUP' })).toBe(1);
    expect(rise(before, after, 'checkout_refusals_total', { type: 'OutOfStock' })).toBe(1);
    expect(rise(before, after, 'stock_reservations_total', { kind: 'order', result: 'reserved' })).toBe(1);
    expect(rise(before, after, 'stock_reservations_total', { kind: 'order', result: 'short' })).toBe(1);

    // The orders written above went through orders' outbox; sampled per domain at scrape time.
    expect(after.value('outbox_unpublished_events', { domain: 'orders' })).toEqual(expect.any(Number));
    expect(after.value('outbox_oldest_unpublished_age_seconds', { domain: 'orders' })).toEqual(expect.any(Number));
    expect(rise(before, after, 'outbox_published_events_total', { topic: 'grocery.orders' })).toBeGreaterThan(0);
    expect(after.text).toContain('# TYPE dead_letters_unresolved gauge');
    expect(after.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(after.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it("counts the response cache's answers given before Apollo runs as operations, and apart", async () => {
    const SHELF = `query MetricsShelf($sku: String!) { product(sku: $sku) { sku name } }`;
    const read = async () => {
      const res = await fetch(p.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: SHELF, variables: { sku: SKU } }),
      });
      expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
      return res.headers.get('x-cache');
    };
    // Stored once the gateway hears every domain the answer reads: read until one is a hit. The
    // request that stored it left an alias, so the same request again skips Apollo.
    await eventually(read, (cache) => cache === 'hit', 'an answer from the response cache');
    const before = await scrape(metricsUrl());
    const answers = [await read(), await read()];
    const after = await scrape(metricsUrl());
    // An event may evict the entry in between (then Apollo answers): count what was a hit.
    const hits = answers.filter((a) => a === 'hit').length;
    expect(hits).toBeGreaterThan(0);
    const op = { operation: 'MetricsShelf', type: 'query', root_field: 'product' };
    expect(rise(before, after, 'gateway_operations_total', op)).toBe(2);
    expect(rise(before, after, 'gateway_operation_duration_seconds_count', op)).toBe(2);
    expect(rise(before, after, 'gateway_response_cache_fast_path_total', op)).toBe(hits);
    expect(rise(before, after, 'cache_lookups_total', { cache: 'gateway:response', result: 'hit' })).toBe(hits);
  });

  it('never labels a series with what a client chose beyond a bound', async () => {
    for (let i = 0; i < 3; i++) await p.gql(`query MetricsName${'X'.repeat(100)}${i} { __typename }`);
    const after = await scrape(metricsUrl());
    const names = after.samples.filter((s) => s.name === 'gateway_operations_total').map((s) => s.labels.operation!);
    expect(Math.max(...names.map((n) => n.length))).toBeLessThanOrEqual(64);
    expect(after.text).not.toMatch(/user_id|userId/);
  });

  it('exposes every series the alert rules and the dashboard read (deploy/)', async () => {
    const { text } = await scrape(metricsUrl());
    const exposed = new Set<string>();
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      exposed.add(name!);
      if (type === 'histogram') for (const suffix of ['_bucket', '_count', '_sum']) exposed.add(name! + suffix);
    }
    const read = [...ruleExpressions(), ...dashboardExpressions()].flatMap((e) =>
      readPromQL(e.expr)
        .metrics.filter((m) => !m.includes(':') && m !== 'up')
        .map((m) => ({ where: e.where, metric: m })),
    );
    expect(read.length).toBeGreaterThan(10);
    expect(read.filter((r) => !exposed.has(r.metric))).toEqual([]);
  });

  it('gauges open WebSocket connections and running subscriptions', async () => {
    const gauges = async () => {
      const s = await scrape(metricsUrl());
      return {
        connections: s.value('gateway_websocket_connections') ?? 0,
        subscriptions: s.value('gateway_subscriptions_active') ?? 0,
      };
    };
    const before = await gauges();
    const client = createClient({ url: p.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    clients.push(client);
    const unsubscribe = client.subscribe(
      {
        query: `subscription MetricsWatch($skus: [String!]!) { stockChanged(skus: $skus) { sku available } }`,
        variables: { skus: [SKU] },
      },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    await eventually(
      gauges,
      (g) => g.connections === before.connections + 1 && g.subscriptions === before.subscriptions + 1,
      'the connection and its subscription in the gauges',
    );
    unsubscribe();
    await client.dispose();
    clients = clients.filter((c) => c !== client);
    await eventually(
      gauges,
      (g) => g.connections === before.connections && g.subscriptions === before.subscriptions,
      'the gauges back where they were',
    );
  });

  it("measures the subgraph fetches of a subscription's events like a query plan's", async () => {
    const { accessToken: staff } = await p.signIn(['staff']);
    // Selects only stock's fields: any products fetch between the scrapes is the event's.
    const adjust = async () => {
      const r = await p.gql(
        `mutation MetricsAdjust($input: AdjustStockInput!) { adjustStock(input: $input) { sku available } }`,
        { input: { sku: SKU, locationId: STORE, delta: 1, reason: 'delivery' } },
        { token: staff },
      );
      expect(r.errors).toBeUndefined();
    };
    const client = createClient({ url: p.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    clients.push(client);
    const before = await scrape(metricsUrl());
    // product { name } is products' field: each event is completed by an entity fetch there.
    const events = client.iterate<{ stockChanged: { sku: string; product: { name: string } } }>({
      query: `subscription MetricsStock($skus: [String!]!) { stockChanged(skus: $skus) { sku product { name } } }`,
      variables: { skus: [SKU] },
    });
    const first = events.next();
    let received = false;
    void first.then(() => (received = true));
    // The subscription opens asynchronously: change stock until an event arrives.
    await eventually(
      async () => {
        await adjust();
        await Promise.race([first, new Promise((r) => setTimeout(r, 300))]);
        return received;
      },
      (got) => got,
      'a stock change event',
    );
    expect((await first).value?.data?.stockChanged.product.name).toBe('Fresh milk');
    await events.return?.();
    const after = await scrape(metricsUrl());
    expect(
      rise(before, after, 'gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'products' }),
    ).toBeGreaterThan(0);
  });

  it('serves a subgraph service its own /metrics (distributed)', async () => {
    if (p.mode !== 'distributed') return;
    const products = p.services!.urls.products!.replace(/\/graphql$/, '/metrics');
    const labels = { subgraph: 'products', root_field: '_entities' };
    const before = await scrape(products);
    // A cart line's product comes from products as an entity fetch.
    const { accessToken } = await p.signIn(['customer']);
    const r = await p.gql(
      `query MetricsCart($id: ID!) { cart(id: $id) { lines { sku product { name } } } }`,
      { id: (await p.gql(ADD, { lines: [{ sku: SKU, quantity: 1 }] }, { token: accessToken })).data!.addToCart.id },
      { token: accessToken },
    );
    expect(r.errors).toBeUndefined();
    const after = await scrape(products);
    expect(rise(before, after, 'subgraph_operations_total', labels)).toBeGreaterThan(0);
    expect(rise(before, after, 'subgraph_operation_duration_seconds_count', labels)).toBeGreaterThan(0);
  });
});

describe('METRICS=off', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    const { verificationKeys } = await testTokens();
    p = await startTestPlatform({ subgraphs: ['products'], verificationKeys, env: { METRICS: 'off' } });
  });
  afterAll(() => p?.stop());

  it('serves no /metrics on the gateway or a subgraph service', async () => {
    expect((await p.fetch('/metrics')).status).toBe(404);
    if (p.mode === 'distributed')
      expect((await fetch(p.services!.urls.products!.replace(/\/graphql$/, '/metrics'))).status).toBe(404);
  });
});
