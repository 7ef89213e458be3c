// One subgraph down, as shoppers and operators see it through the gateway: the rest of the
// answer still comes, the missing fields are null with SUBGRAPH_UNAVAILABLE on their paths, the
// breaker opens and fails fast without touching the network, /status says which subgraph is
// down, /readyz keeps the gateway in rotation, and the breaker closes once the subgraph is back.
// Distributed only: in embedded mode the subgraphs run inside the gateway's process, so there
// is nothing to stop without stopping the gateway.
import net from 'node:net';
import { NO_RESPONSE_CACHE, startTestPlatform, testMode, type TestPlatform } from '../src/testing/platform';
import { testTokens, type TestTokens } from '../src/testing/tokens';

const distributed = testMode() === 'distributed';
const describeDistributed = distributed ? describe : describe.skip;
const ONLY = distributed ? '' : ' (skipped: distributed mode only, embedded subgraphs share the gateway process)';

const PRODUCT_PAGE = /* GraphQL */ `
  query ProductPage($sku: String!) {
    product(sku: $sku) {
      sku
      name
      price {
        amount
      }
      availability {
        available
      }
    }
  }
`;

interface SubgraphStatus {
  location: string;
  reachable: boolean;
  breaker?: string;
  lastError?: { reason: string; code?: string };
  fetches?: number;
  shortCircuited?: number;
  consecutiveFailures?: number;
}

async function subgraphStatus(p: TestPlatform): Promise<Record<string, SubgraphStatus>> {
  const res = await p.fetch('/status');
  expect(res.status).toBe(200);
  return ((await res.json()) as { subgraphs: Record<string, SubgraphStatus> }).subgraphs;
}

/** Polls /status until `check` holds for a subgraph's entry (the live probe is shared for a second). */
async function statusUntil(
  p: TestPlatform,
  name: string,
  check: (s: SubgraphStatus) => boolean,
): Promise<SubgraphStatus> {
  const deadline = Date.now() + 10_000;
  let status = (await subgraphStatus(p))[name]!;
  while (!check(status) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    status = (await subgraphStatus(p))[name]!;
  }
  return status;
}

async function someSkus(p: TestPlatform, n: number): Promise<string[]> {
  const res = await p.gql(`{ products(first: ${n}) { edges { node { sku } } } }`);
  return res.data!.products.edges.map((e: { node: { sku: string } }) => e.node.sku);
}

describe(`the status route`, () => {
  let p: TestPlatform;
  beforeAll(async () => {
    const tokens = await testTokens();
    p = await startTestPlatform({ subgraphs: ['products', 'stock'], verificationKeys: tokens.verificationKeys });
  });
  afterAll(() => p?.stop());

  it(`lists every subgraph with its reachability (${testMode()})`, async () => {
    const status = await subgraphStatus(p);
    expect(Object.keys(status).sort()).toEqual(['products', 'stock']);
    for (const s of Object.values(status)) {
      expect(s.reachable).toBe(true);
      expect(s.location).toBe(distributed ? 'remote' : 'in-process');
      if (distributed) expect(s.breaker).toBe('closed');
    }
  });
});

describeDistributed(`stock down, breaker slow to retry${ONLY}`, () => {
  let p: TestPlatform;
  let tokens: TestTokens;
  let skus: string[];

  beforeAll(async () => {
    tokens = await testTokens();
    p = await startTestPlatform({
      subgraphs: ['products', 'stock'],
      verificationKeys: tokens.verificationKeys,
      seedSkus: 20,
      // A cool-down longer than the test: once open, the breaker stays open throughout.
      env: { ...NO_RESPONSE_CACHE, SUBGRAPH_BREAKER_FAILURES: '2', SUBGRAPH_BREAKER_COOLDOWN_MS: '600000' },
    });
    skus = await someSkus(p, 3);
  });
  afterAll(() => p?.stop());

  it('answers fully while every subgraph is up', async () => {
    const res = await p.gql(PRODUCT_PAGE, { sku: skus[0] });
    expect(res.errors).toBeUndefined();
    expect(res.data!.product.availability.available).toEqual(expect.any(Number));
  });

  it('keeps the product’s name and price when stock is down; availability is null with SUBGRAPH_UNAVAILABLE on its path', async () => {
    await p.services!.stopServer('stock');
    const res = await p.gql(PRODUCT_PAGE, { sku: skus[0] });
    expect(res.status).toBe(200);
    expect(res.data!.product).toEqual({
      sku: skus[0],
      name: expect.any(String),
      price: { amount: expect.any(Number) },
      availability: null,
    });
    expect(res.errors).toEqual([
      {
        message: expect.stringMatching(/stock service cannot be reached/),
        path: ['product', 'availability'],
        extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'stock', reason: 'unreachable' }),
      },
    ]);
    expect(JSON.stringify(res.errors)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  });

  it('opens the breaker after consecutive failures; /status shows stock down, /readyz stays 200', async () => {
    const res = await p.gql(
      `{ products(first: 3) { edges { node { sku name stockLevels { onHand } availability { inStock } } } } }`,
    );
    const nodes = res.data!.products.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toHaveLength(3);
    for (const node of nodes)
      expect(node).toMatchObject({ name: expect.any(String), stockLevels: null, availability: null });
    // One error per missing field, each on its own path.
    expect(res.errors!.map((e) => e.path).sort()).toEqual(
      [0, 1, 2]
        .flatMap((i) => [
          ['products', 'edges', i, 'node', 'availability'],
          ['products', 'edges', i, 'node', 'stockLevels'],
        ])
        .sort(),
    );
    expect(new Set(res.errors!.map((e) => e.extensions?.code))).toEqual(new Set(['SUBGRAPH_UNAVAILABLE']));

    const status = await subgraphStatus(p);
    expect(status.stock).toMatchObject({
      reachable: false,
      breaker: 'open',
      lastError: { reason: 'unreachable', code: 'ECONNREFUSED' },
    });
    expect(status.products).toMatchObject({ reachable: true, breaker: 'closed' });

    const ready = await p.fetch('/readyz');
    expect(ready.status).toBe(200);
  });

  it('fails fast while open: no fetch reaches stock, even once it is back', async () => {
    await p.services!.restartServer('stock');
    const before = await statusUntil(p, 'stock', (s) => s.reachable);
    expect(before.reachable).toBe(true); // the live probe sees it back…
    for (let i = 0; i < 4; i++) {
      const res = await p.gql(PRODUCT_PAGE, { sku: skus[i % skus.length] });
      expect(res.data!.product.name).toEqual(expect.any(String));
      expect(res.data!.product.availability).toBeNull();
      expect(res.errors).toEqual([
        expect.objectContaining({
          path: ['product', 'availability'],
          extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', reason: 'circuit_open' }),
        }),
      ]);
    }
    const after = (await subgraphStatus(p)).stock;
    expect(after.breaker).toBe('open'); // …but traffic waits for the cool-down
    expect(after.fetches).toBe(before.fetches);
    expect(after.shortCircuited).toBe(before.shortCircuited! + 4);
  });

  it('codes a stock-only root field that cannot be answered, rather than INTERNAL_SERVER_ERROR', async () => {
    const res = await p.gql('{ locations { id } }');
    expect(res.data).toBeNull();
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['locations'],
        extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE' }),
      }),
    ]);
  });
});

describeDistributed(`products down: stock's answers keep their own fields${ONLY}`, () => {
  let p: TestPlatform;
  let staff: string;
  let sku: string;
  let locationId: string;

  beforeAll(async () => {
    const tokens = await testTokens();
    p = await startTestPlatform({
      subgraphs: ['products', 'stock'],
      verificationKeys: tokens.verificationKeys,
      seedSkus: 5,
      env: { ...NO_RESPONSE_CACHE, SUBGRAPH_BREAKER_FAILURES: '100' },
    });
    staff = await tokens.sign({ sub: 'staff-outage', roles: ['staff'] });
    const res = await p.gql(`{ products(first: 1) { edges { node { sku stockLevels { locationId } } } } }`);
    sku = res.data!.products.edges[0].node.sku;
    locationId = res.data!.products.edges[0].node.stockLevels[0].locationId;
  });
  afterAll(() => p?.stop());

  it('adjustStock still answers with the stock level; its product is null with SUBGRAPH_UNAVAILABLE', async () => {
    await p.services!.stopServer('products');
    const res = await p.gql(
      `mutation ($input: AdjustStockInput!) { adjustStock(input: $input) { sku onHand product { name } } }`,
      { input: { sku, locationId, delta: 1, reason: 'delivery' } },
      { token: staff },
    );
    expect(res.data!.adjustStock).toEqual({ sku, onHand: expect.any(Number), product: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        // name is what products could not give; the product (nullable) is nulled for it.
        path: ['adjustStock', 'product', 'name'],
        extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'products' }),
      }),
    ]);
  });
});

describeDistributed(`stock down, then back: the breaker closes again${ONLY}`, () => {
  let p: TestPlatform;
  let sku: string;

  beforeAll(async () => {
    const tokens = await testTokens();
    p = await startTestPlatform({
      subgraphs: ['products', 'stock'],
      verificationKeys: tokens.verificationKeys,
      seedSkus: 5,
      env: { ...NO_RESPONSE_CACHE, SUBGRAPH_BREAKER_FAILURES: '1', SUBGRAPH_BREAKER_COOLDOWN_MS: '300' },
    });
    [sku] = await someSkus(p, 1);
  });
  afterAll(() => p?.stop());

  it('lets a probe through after the cool-down and closes once stock answers', async () => {
    await p.services!.stopServer('stock');
    const down = await p.gql(PRODUCT_PAGE, { sku });
    expect(down.data!.product.availability).toBeNull();
    expect((await subgraphStatus(p)).stock.breaker).toMatch(/open/); // open, or half-open once the cool-down is over

    await p.services!.restartServer('stock');
    const deadline = Date.now() + 20_000;
    let back = await p.gql(PRODUCT_PAGE, { sku });
    while (back.data!.product.availability === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      back = await p.gql(PRODUCT_PAGE, { sku });
    }
    expect(back.errors).toBeUndefined();
    expect(back.data!.product.availability.available).toEqual(expect.any(Number));
    expect(await statusUntil(p, 'stock', (s) => s.reachable)).toMatchObject({
      breaker: 'closed',
      consecutiveFailures: 0,
      reachable: true,
    });
  });
});

describeDistributed(`stock hung (accepts connections, never answers)${ONLY}`, () => {
  let p: TestPlatform;
  let sku: string;
  let hung: net.Server | undefined;
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    const tokens = await testTokens();
    p = await startTestPlatform({
      subgraphs: ['products', 'stock'],
      verificationKeys: tokens.verificationKeys,
      seedSkus: 5,
      env: { ...NO_RESPONSE_CACHE, SUBGRAPH_TIMEOUT_MS: '500', SUBGRAPH_BREAKER_FAILURES: '100' },
    });
    [sku] = await someSkus(p, 1);
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => (hung ? hung.close(r) : r(undefined)));
    await p?.stop();
  });

  it('answers without availability once the fetch timeout is over, with reason timeout', async () => {
    await p.services!.stopServer('stock');
    const port = Number(new URL(p.services!.urls.stock!).port);
    hung = net.createServer((socket) => {
      sockets.add(socket); // read nothing, answer nothing
    });
    await new Promise<void>((resolve) => hung!.listen(port, '127.0.0.1', resolve));

    const res = await p.gql(PRODUCT_PAGE, { sku });
    expect(res.data!.product).toMatchObject({ name: expect.any(String), availability: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['product', 'availability'],
        message: expect.stringMatching(/did not answer within 500 ms/),
        extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', reason: 'timeout' }),
      }),
    ]);
    expect(sockets.size).toBeGreaterThan(0); // the request did reach the hung server
    const status = await subgraphStatus(p);
    expect(status.stock).toMatchObject({ reachable: false, lastError: { reason: 'timeout' } });
  });
});
