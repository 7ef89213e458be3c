// The bounds on subscriptions, attacked through the gateway the way a greedy or stuck client
// would: more connections than one client may hold, more subscriptions per connection and per
// client, oversized WebSocket messages (gateway and subgraph servers), and a subscriber that
// stops reading. Both modes (TEST_MODE=distributed: stock's own graphql-ws server upstream).
import { createClient, type Client } from 'graphql-ws/client';
import { Client as Pg } from 'pg';
import WebSocket from 'ws';
import { startTestPlatform, testMode, type TestPlatform } from '../testing/platform';
import { testTokens, type TestTokens } from '../testing/tokens';

const SKU = 'BOUND-MILK-1L';
const LOCATION = 'loc-bound-d1';
const MODE = testMode();

const WATCH = /* GraphQL */ `
  subscription Watch($skus: [String!]!) {
    stockChanged(skus: $skus) {
      sku
      available
    }
  }
`;

interface Status {
  connections: number;
  subscriptions: number;
  refusedConnections: number;
  refusedSubscriptions: number;
  slowConsumersDropped: number;
}

async function insertCatalog(databaseUrl: string, description: string) {
  const pg = new Pg({ connectionString: databaseUrl });
  await pg.connect();
  try {
    await pg.query(`INSERT INTO products.category (id, name_en, name_vi) VALUES ('cat-bound', 'Dairy', 'Sữa')`);
    await pg.query(
      `INSERT INTO products.product (sku, name_en, name_vi, category_id, price_amount, unit, description_en, description_vi, updated_at)
       VALUES ($1, 'Fresh milk 1 L', 'Sữa tươi 1 L', 'cat-bound', 32000, 'l', $2, $2, now())`,
      [SKU, description],
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

async function status(p: TestPlatform): Promise<Status> {
  const res = await p.fetch('/status');
  return ((await res.json()) as { subscriptions: Status }).subscriptions;
}

async function until<T>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  expect(check(value)).toBe(true);
  return value;
}

function wsClient(p: TestPlatform, token: string): Client {
  return createClient({
    url: p.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: { authorization: `Bearer ${token}` },
  });
}

/** Starts a subscription; resolves with its first error list (refused), never if it runs. */
function subscribe(client: Client, query = WATCH, variables: Record<string, unknown> = { skus: [SKU] }) {
  let stop = () => undefined as void;
  const refused = new Promise<{ message: string; extensions?: Record<string, unknown> }[]>((resolve) => {
    stop = client.subscribe(
      { query, variables },
      {
        next: (r) => r.errors && resolve(r.errors as never),
        error: (e) => resolve(e as never),
        complete: () => undefined,
      },
    );
  });
  return { refused, stop };
}

/** The close event of a client that connects now (code and reason). */
function connectOutcome(client: Client): Promise<{ code: number; reason: string } | 'connected'> {
  return new Promise((resolve) => {
    client.on('connected', () => resolve('connected'));
    client.on('closed', (e) => {
      const { code, reason } = e as { code: number; reason: string };
      resolve({ code, reason });
    });
    subscribe(client);
  });
}

/** A raw graphql-transport-ws socket, acknowledged. */
async function rawSocket(url: string, token?: string): Promise<WebSocket> {
  const ws = new WebSocket(url, 'graphql-transport-ws');
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'connection_init', payload: token ? { authorization: `Bearer ${token}` } : {} }));
  await new Promise<void>((resolve, reject) => {
    ws.once('message', (data) =>
      JSON.parse(String(data)).type === 'connection_ack' ? resolve() : reject(new Error(String(data))),
    );
  });
  return ws;
}

const closed = (ws: WebSocket) =>
  new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );

describe(`subscription bounds (${MODE})`, () => {
  let p: TestPlatform;
  let tokens: TestTokens;
  const clients: Client[] = [];
  const track = (c: Client) => (clients.push(c), c);
  let n = 0;
  const customer = () => tokens.sign({ sub: `bounded-${++n}`, roles: ['customer'] });

  beforeAll(async () => {
    tokens = await testTokens();
    p = await startTestPlatform({
      subgraphs: ['products', 'stock'],
      verificationKeys: tokens.verificationKeys,
      env: {
        MAX_WS_CONNECTIONS_PER_CLIENT: '2',
        MAX_SUBSCRIPTIONS_PER_CONNECTION: '3',
        MAX_SUBSCRIPTIONS_PER_CLIENT: '5',
      },
    });
    await insertCatalog(p.database.url, 'Fresh.');
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await until(
      () => status(p),
      (s) => s.connections === 0,
    );
  });
  afterAll(() => p?.stop());

  it('refuses a third connection from one client with close code 4430, and takes it once one has closed', async () => {
    const token = await customer();
    const first = track(wsClient(p, token));
    const second = track(wsClient(p, token));
    expect(await connectOutcome(first)).toBe('connected');
    expect(await connectOutcome(second)).toBe('connected');

    const before = await status(p);
    const outcome = await connectOutcome(track(wsClient(p, token)));
    expect(outcome).toEqual({ code: 4430, reason: expect.stringMatching(/Too many connections.*max 2/) });
    expect((await status(p)).refusedConnections).toBe(before.refusedConnections + 1);

    // Another client is not held to this one's count.
    expect(await connectOutcome(track(wsClient(p, await customer())))).toBe('connected');

    await first.dispose();
    await until(
      () => status(p),
      (s) => s.connections === 2,
    );
    expect(await connectOutcome(track(wsClient(p, token)))).toBe('connected');
  });

  it('refuses a fourth subscription on one connection with TOO_MANY_SUBSCRIPTIONS naming the limit, and takes one once another completes', async () => {
    const client = track(wsClient(p, await customer()));
    const running = [subscribe(client), subscribe(client), subscribe(client)];
    await until(
      () => status(p),
      (s) => s.subscriptions === 3,
    );
    const fourth = subscribe(client);
    expect(await fourth.refused).toEqual([
      {
        message: expect.stringMatching(/already runs 3 subscriptions/),
        extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 'subscriptionsPerConnection', max: 3 },
      },
    ]);
    // The connection and its other subscriptions live on.
    expect((await status(p)).subscriptions).toBe(3);

    running[0]!.stop();
    await until(
      () => status(p),
      (s) => s.subscriptions === 2,
    );
    subscribe(client);
    await until(
      () => status(p),
      (s) => s.subscriptions === 3,
    );
  });

  it('refuses a subscription beyond the per-client total across its connections', async () => {
    const token = await customer();
    const a = track(wsClient(p, token));
    const b = track(wsClient(p, token));
    for (let i = 0; i < 3; i++) subscribe(a);
    for (let i = 0; i < 2; i++) subscribe(b);
    await until(
      () => status(p),
      (s) => s.subscriptions === 5,
    );
    expect(await subscribe(b).refused).toEqual([
      expect.objectContaining({
        extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 'subscriptionsPerClient', max: 5 },
      }),
    ]);
    // Another client still subscribes.
    subscribe(track(wsClient(p, await customer())));
    await until(
      () => status(p),
      (s) => s.subscriptions === 6,
    );
  });

  it('closes a connection that sends a message over the body limit (1009)', async () => {
    const ws = await rawSocket(p.wsUrl, await customer());
    const outcome = closed(ws);
    ws.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: WATCH, variables: { skus: ['x'.repeat(p.config.MAX_BODY_BYTES)] } },
      }),
    );
    expect((await outcome).code).toBe(1009);
  });

  const itDistributed = MODE === 'distributed' ? it : it.skip;
  itDistributed(
    `subgraph servers close a connection that sends a message over the body limit (1009)${MODE === 'distributed' ? '' : ' (skipped: distributed only, embedded subgraphs have no WebSocket server)'}`,
    async () => {
      // Before any connection_init: the size limit holds for callers that have not (yet) signed in
      // as the gateway (subgraph services answer only gateway-signed connections).
      const ws = new WebSocket(p.services!.urls.stock!.replace(/^http/, 'ws'), 'graphql-transport-ws');
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      const outcome = closed(ws);
      ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'x'.repeat(p.config.MAX_BODY_BYTES) } }));
      expect((await outcome).code).toBe(1009);
    },
  );
});

describe(`slow subscribers (${MODE})`, () => {
  let p: TestPlatform;
  let staff: string;
  let reader: string;

  beforeAll(async () => {
    const tokens = await testTokens();
    p = await startTestPlatform({
      subgraphs: ['products', 'stock'],
      verificationKeys: tokens.verificationKeys,
      env: { WS_SLOW_CONSUMER_BYTES: '65536', WS_SLOW_CONSUMER_MS: '500', MAX_SUBSCRIPTIONS_PER_CONNECTION: '40' },
    });
    // Big events (two 16 KiB descriptions each), so a reader that stops backs up quickly.
    await insertCatalog(p.database.url, 'Sữa tươi thanh trùng. '.repeat(800));
    staff = await tokens.sign({ sub: 'staff-bounds', roles: ['staff'] });
    reader = await tokens.sign({ sub: 'stuck-reader', roles: ['customer'] });
  });
  afterAll(() => p?.stop());

  const adjust = () =>
    p.gql(
      'mutation Adjust($input: AdjustStockInput!) { adjustStock(input: $input) { available } }',
      { input: { sku: SKU, locationId: LOCATION, delta: 1, reason: 'delivery' } },
      { token: staff },
    );

  it('drops a subscriber that stops reading with close code 4431; a reader that keeps up stays', async () => {
    const big = `subscription Big($skus: [String!]!) {
      stockChanged(skus: $skus) { sku product { description descriptions { en vi } } }
    }`;
    const stuck = await rawSocket(p.wsUrl, reader);
    const healthy = await rawSocket(p.wsUrl, reader);
    let healthyEvents = 0;
    let stuckEvents = 0;
    healthy.on('message', (d) => JSON.parse(String(d)).type === 'next' && healthyEvents++);
    stuck.on('message', (d) => JSON.parse(String(d)).type === 'next' && stuckEvents++);
    for (let i = 0; i < 30; i++)
      stuck.send(
        JSON.stringify({ id: `s${i}`, type: 'subscribe', payload: { query: big, variables: { skus: [SKU] } } }),
      );
    healthy.send(JSON.stringify({ id: 'h', type: 'subscribe', payload: { query: big, variables: { skus: [SKU] } } }));
    // Both subscribed (events arrive), then the stuck one stops reading.
    await until(
      async () => (await adjust(), stuckEvents > 0 && healthyEvents > 0),
      (ok) => ok,
      30_000,
    );
    const outcome = closed(stuck);
    (stuck as unknown as { _socket: { pause(): void } })._socket.pause();

    const dropped = await until(
      async () => (await adjust(), (await status(p)).slowConsumersDropped),
      (count) => count >= 1,
      60_000,
    );
    expect(dropped).toBe(1);
    (stuck as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await outcome).toEqual({ code: 4431, reason: expect.stringMatching(/backed up/) });

    // The reader that kept up is still subscribed and still receives changes.
    expect(healthy.readyState).toBe(WebSocket.OPEN);
    const seen = healthyEvents;
    await until(
      async () => (await adjust(), healthyEvents),
      (count) => count > seen,
    );
    healthy.close();
  });
});
