// Subscriptions through the gateway, the way apps use them: a graphql-ws client on /graphql
// subscribes to stockChanged with fields from two subgraphs; a staff adjustStock happens; the
// client receives the change with the product's name and price from the products subgraph.
// Runs embedded (default) and distributed (TEST_MODE=distributed: the gateway reaches stock's
// own graphql-ws endpoint).
import { createClient, type Client } from 'graphql-ws/client';
import { Client as Pg } from 'pg';
import WebSocket from 'ws';
import { startTestPlatform, type TestPlatform } from '../testing/platform';
import { testTokens, type TestTokens } from '../testing/tokens';

const SKU = 'SUB-MILK-1L';
const LOCATION = 'loc-sub-d1';

const STOCK_CHANGED = /* GraphQL */ `
  subscription Watch($skus: [String!]!) {
    stockChanged(skus: $skus) {
      sku
      available
      product {
        sku
        name
        price {
          amount
          currency
        }
      }
    }
  }
`;

interface StockChangedEvent {
  stockChanged: {
    sku: string;
    available: number;
    product: { sku: string; name: string; price: { amount: number; currency: string } };
  };
}

async function insertCatalog(databaseUrl: string) {
  const pg = new Pg({ connectionString: databaseUrl });
  await pg.connect();
  try {
    await pg.query(`INSERT INTO products.category (id, name_en, name_vi) VALUES ('cat-sub-dairy', 'Dairy', 'Sữa')`);
    await pg.query(
      `INSERT INTO products.product (sku, name_en, name_vi, category_id, price_amount, unit, updated_at)
       VALUES ($1, 'Fresh milk 1 L', 'Sữa tươi 1 L', 'cat-sub-dairy', 32000, 'l', now())`,
      [SKU],
    );
    await pg.query(
      `INSERT INTO stock.location (id, name_en, name_vi, kind, city, address)
       VALUES ($1, 'District 1 store', 'Cửa hàng Quận 1', 'STORE', 'Ho Chi Minh City', '1 Lê Lợi')`,
      [LOCATION],
    );
  } finally {
    await pg.end();
  }
}

function wsClient(p: TestPlatform, token?: string, extra: Partial<Parameters<typeof createClient>[0]> = {}): Client {
  return createClient({
    url: p.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    ...extra,
  });
}

/** Resolves with the close event's code when the client's socket closes. */
function closeCode(client: Client): Promise<number> {
  return new Promise((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code)));
}

/** Errors a subscribe attempt ends with (the first `next` with errors, or the error message). */
async function subscribeErrors(client: Client, query: string, variables: Record<string, unknown> = {}) {
  try {
    for await (const result of client.iterate({ query, variables })) {
      if (result.errors) return result.errors;
    }
    return [];
  } catch (errors) {
    return errors as { message: string; extensions?: { code?: string } }[];
  }
}

/** The first event of `events`, adjusting stock until it arrives (the subscription opens asynchronously). */
async function firstEvent<T>(events: AsyncIterator<T>, adjust: () => Promise<unknown>, timeoutMs = 15_000): Promise<T> {
  const first = events.next();
  let delivered = false;
  void first.then(() => (delivered = true));
  const deadline = Date.now() + timeoutMs;
  while (!delivered && Date.now() < deadline) {
    await adjust();
    await Promise.race([first, new Promise((r) => setTimeout(r, 300))]);
  }
  return (await first).value;
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(check()).toBe(true);
}

describe(`subscriptions through the gateway`, () => {
  let p: TestPlatform;
  let tokens: TestTokens;
  let staff: string;
  let stopped = false;
  const clients: Client[] = [];
  const track = (c: Client) => (clients.push(c), c);

  beforeAll(async () => {
    tokens = await testTokens();
    p = await startTestPlatform({ subgraphs: ['products', 'stock'], verificationKeys: tokens.verificationKeys });
    await insertCatalog(p.database.url);
    staff = await tokens.sign({ sub: 'staff-1', roles: ['staff'] });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    if (!stopped) await p?.stop();
  });

  const adjust = (delta: number) =>
    p.gql(
      'mutation Adjust($input: AdjustStockInput!) { adjustStock(input: $input) { sku available } }',
      { input: { sku: SKU, locationId: LOCATION, delta, reason: 'delivery' } },
      { token: staff },
    );

  it(`delivers each stock change with the product's name and price from the catalog (${process.env.TEST_MODE ?? 'embedded'})`, async () => {
    const customer = await tokens.sign({ sub: 'customer-1', roles: ['customer'] });
    const client = track(wsClient(p, customer));
    const events = client.iterate<StockChangedEvent>({ query: STOCK_CHANGED, variables: { skus: [SKU] } });
    // The subscription opens asynchronously: adjust (a real, committed change each time) until
    // the first change arrives.
    let adjustments = 0;
    const value = await firstEvent(events, async () => {
      const res = await adjust(5);
      expect(res.errors).toBeUndefined();
      adjustments++;
    });
    expect(value.errors).toBeUndefined();
    expect(value.data!.stockChanged).toEqual({
      sku: SKU,
      available: expect.any(Number),
      product: { sku: SKU, name: 'Fresh milk 1 L', price: { amount: 32000, currency: 'VND' } },
    });
    expect(value.data!.stockChanged.available % 5).toBe(0);

    // The next change comes through too, in order, with the new total.
    const before = (await adjust(0 + 3)).data!.adjustStock.available as number;
    let next = await events.next();
    while (next.value.data!.stockChanged.available !== before) next = await events.next();
    expect(next.value.data!.stockChanged.available).toBe(5 * adjustments + 3);
    await events.return?.();
  });

  it('serves the product fields in the language of the connection', async () => {
    const client = track(wsClient(p, undefined, { connectionParams: { 'accept-language': 'vi' } }));
    const events = client.iterate<StockChangedEvent>({ query: STOCK_CHANGED, variables: { skus: [SKU] } });
    const event = await firstEvent(events, () => adjust(1));
    expect(event.data!.stockChanged.product.name).toBe('Sữa tươi 1 L');
    await events.return?.();
  });

  it('closes the upstream subscription when the client completes or disconnects (embedded)', async () => {
    const stock = p.platform.modules.stock;
    if (!stock) return; // distributed: the gateway's upstream is a graphql-ws client, closed the same way
    type Feed = { watch(skus: readonly string[]): AsyncIterable<unknown> };
    let closedUpstreams = 0;
    const createContext = stock.createContext.bind(stock);
    const spy = jest.spyOn(stock, 'createContext').mockImplementation((request) => {
      const ctx = createContext(request) as { feed: Feed };
      const watch = (skus: readonly string[]) => {
        const inner = ctx.feed.watch(skus)[Symbol.asyncIterator]();
        return {
          [Symbol.asyncIterator]: () => ({
            next: () => inner.next(),
            return: async () => {
              closedUpstreams++;
              return (await inner.return?.()) ?? { done: true as const, value: undefined };
            },
          }),
        };
      };
      return { ...ctx, feed: { watch } };
    });
    try {
      const completing = track(wsClient(p));
      const events = completing.iterate<StockChangedEvent>({ query: STOCK_CHANGED, variables: { skus: [SKU] } });
      await firstEvent(events, () => adjust(1));
      await events.return?.();
      await until(() => closedUpstreams === 1);

      const disconnecting = wsClient(p);
      const more = disconnecting.iterate<StockChangedEvent>({ query: STOCK_CHANGED, variables: { skus: [SKU] } });
      await firstEvent(more, () => adjust(1));
      await disconnecting.dispose();
      await until(() => closedUpstreams === 2);
    } finally {
      spy.mockRestore();
    }
  });

  it('opens the upstream of a public selection as nobody: the owning subgraph gets the language only (embedded)', async () => {
    // stockChanged selects only what the subgraphs declare public (@cacheControl), so one
    // resolution per event serves every caller and nobody's credentials are used for it. A
    // selection that is not public is opened as its caller (shareScope; no such subscription
    // exists in today's schema: orders' and delivery's will be).
    const stock = p.platform.modules.stock;
    if (!stock) return; // distributed: forwarded as connectionParams to the subgraph, which verifies the token
    const spy = jest.spyOn(stock, 'createContext');
    try {
      const token = await tokens.sign({ sub: 'customer-7', roles: ['customer'] });
      const client = track(
        wsClient(p, token, { connectionParams: { authorization: `Bearer ${token}`, 'accept-language': 'vi' } }),
      );
      const events = client.iterate<StockChangedEvent>({ query: STOCK_CHANGED, variables: { skus: [SKU] } });
      await firstEvent(events, () => adjust(1));
      expect(spy).toHaveBeenCalledWith({
        identity: undefined,
        locale: 'vi',
        clientKey: 'gateway:public-subscription',
      });
      await events.return?.();
    } finally {
      spy.mockRestore();
    }
  });

  it('closes the connection with 4401 for an expired or forged token', async () => {
    const expired = await tokens.sign({ sub: 'customer-2' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const forged = await tokens.forge({ sub: 'staff-9', roles: ['staff'] });
    for (const token of [expired, forged]) {
      const client = track(wsClient(p, token));
      const closed = closeCode(client);
      const errors = await subscribeErrors(client, STOCK_CHANGED, { skus: [SKU] });
      expect(await closed).toBe(4401);
      expect(errors).toBeDefined();
    }
  });

  it('applies the request limits to subscriptions', async () => {
    const client = track(wsClient(p));
    const aliases = Array.from({ length: p.config.MAX_ALIASES + 1 }, (_, i) => `a${i}: sku`).join(' ');
    const aliased = `subscription { stockChanged(skus: ["${SKU}"]) { ${aliases} } }`;
    const tooMany = await subscribeErrors(client, aliased);
    expect(tooMany[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');

    const unknownField = await subscribeErrors(client, 'subscription { stockChanged(skus: ["A"]) { nope } }');
    expect(unknownField[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const query = await subscribeErrors(client, '{ categories { id } }');
    expect(query[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(query[0]?.message).toMatch(/HTTP POST/);
  });

  it('passes the owning subgraph’s refusals through (too many SKUs)', async () => {
    const client = track(wsClient(p));
    const skus = Array.from({ length: 101 }, (_, i) => `SKU-${i}`);
    const errors = await subscribeErrors(client, STOCK_CHANGED, { skus });
    expect(errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('closes every subscriber when the gateway stops', async () => {
    const client = track(wsClient(p));
    const closed = closeCode(client);
    const events = client.iterate({ query: STOCK_CHANGED, variables: { skus: [SKU] } });
    void events.next().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    stopped = true;
    await p.stop();
    expect(await closed).toBe(1001);
  });
});

describe('subscriptions over HTTP', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    const tokens = await testTokens();
    p = await startTestPlatform({ subgraphs: ['products', 'stock'], verificationKeys: tokens.verificationKeys });
  });
  afterAll(() => p?.stop());

  it('points the client to WebSocket', async () => {
    const res = await p.gql('subscription { stockChanged(skus: ["A"]) { sku } }');
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(res.errors?.[0]?.message).toMatch(/WebSocket/);
  });
});
