// Live stock at scale: subscribers asking for the same selection share one upstream
// subscription and one resolution per event; each still gets the whole answer, and signed-in
// users never share with anyone but themselves.
import { LOCATIONS } from '@grocery/seed';
import { createClient, type Client } from 'graphql-ws/client';
import WebSocket from 'ws';
import { startTestPlatform, type TestPlatform } from '../testing/platform';
import { shareScope } from './federated-subscriptions';

const SKU = 'SKU-000003';
const OTHER = 'SKU-000004';
const WATCH = `subscription Watch($skus: [String!]!) {
  stockChanged(skus: $skus) { sku available product { sku name price { amount } } }
}`;

let p: TestPlatform;
let staff: string;
const clients: Client[] = [];

beforeAll(async () => {
  p = await startTestPlatform({ seedSkus: 10 });
  staff = (await p.signIn(['staff'])).accessToken;
}, 120_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await p?.stop();
});

function connect(token?: string): Client {
  const c = createClient({
    url: p.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
  clients.push(c);
  return c;
}

interface Shared {
  groups: number;
  subscribers: number;
}
const shared = async (): Promise<Shared> =>
  ((await (await p.fetch('/status')).json()) as { subscriptions: { shared: Shared } }).subscriptions.shared;

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Subscribes and collects events; resolves `first` with the first one. */
function watch(client: Client, skus: string[]) {
  const events: { stockChanged: { sku: string; product: { name: string } } }[] = [];
  let firstResolve: () => void;
  const first = new Promise<void>((r) => (firstResolve = r));
  const stop = client.subscribe(
    { query: WATCH, variables: { skus } },
    {
      next: (r) => {
        events.push(r.data as never);
        firstResolve();
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  return { events, first, stop };
}

const adjust = (sku: string, delta: number) =>
  p.gql(
    `mutation ($i: AdjustStockInput!) { adjustStock(input: $i) { sku } }`,
    { i: { sku, locationId: LOCATIONS[0]!.id, delta, reason: 'shared subscription test' } },
    { token: staff },
  );

describe('shared subscriptions', () => {
  it('serves 40 anonymous watchers of one product from one group, each with the whole answer', async () => {
    const before = await shared();
    const connections = Array.from({ length: 4 }, () => connect());
    const watchers = Array.from({ length: 40 }, (_, i) => watch(connections[i % 4]!, [SKU]));
    const other = watch(connect(), [OTHER]);
    await until(async () => (await shared()).subscribers - before.subscribers === 41, '41 subscribers');
    expect((await shared()).groups - before.groups).toBe(2);

    expect((await adjust(SKU, 3)).errors).toBeUndefined();
    await Promise.all(watchers.map((w) => w.first));
    for (const w of watchers) {
      expect(w.events).toHaveLength(1);
      expect(w.events[0]!.stockChanged).toMatchObject({ sku: SKU, product: { name: expect.any(String) } });
    }
    expect(other.events).toHaveLength(0);

    for (const w of watchers.slice(0, 39)) w.stop();
    await until(async () => (await shared()).subscribers - before.subscribers === 2, 'two left');
    expect((await shared()).groups - before.groups).toBe(2);
    watchers[39]!.stop();
    other.stop();
    await until(async () => (await shared()).groups === before.groups, 'groups closed with their last watcher');
  });

  it('serves signed-in and anonymous watchers of a selection the subgraphs declare public from one group', async () => {
    // StockChange, Product, Location: all declared public (@cacheControl), so an event's answer
    // is the same for everyone and is resolved once, without anyone's credentials.
    const before = await shared();
    const [a, b] = [(await p.signIn(['customer'])).accessToken, (await p.signIn(['customer'])).accessToken];
    const watchers = [
      watch(connect(a), [SKU]),
      watch(connect(a), [SKU]),
      watch(connect(b), [SKU]),
      watch(connect(), [SKU]),
    ];
    await until(async () => (await shared()).subscribers - before.subscribers === 4, '4 subscribers');
    expect((await shared()).groups - before.groups).toBe(1);
    expect((await adjust(SKU, -3)).errors).toBeUndefined();
    await Promise.all(watchers.map((w) => w.first));
    for (const w of watchers)
      expect(w.events[0]!.stockChanged).toMatchObject({ sku: SKU, product: { name: expect.any(String) } });
    watchers.forEach((w) => w.stop());
  });
});

describe('share scope', () => {
  const customer = (userId: string) =>
    ({ identity: { userId, roles: ['customer'] }, locale: 'en', clientKey: userId }) as never;

  it('never puts two signed-in customers together unless the selection is public', () => {
    expect(shareScope(customer('a'))).not.toBe(shareScope(customer('b')));
    expect(shareScope(customer('a'))).not.toBe(shareScope({ locale: 'en', clientKey: 'ip:1' }));
    expect(shareScope(customer('a'), true)).toBe(shareScope(customer('b'), true));
  });
});
