// Distributed mode as deployed: every subgraph its own OS process (its main.ts), the gateway
// another (gateway/dist/main.js with the *_URLs), one PostgreSQL with one role per domain (set up
// by `pnpm db:roles`' CLI), Redis when REDIS_URL is set. The subgraph services answer only the
// gateway's signed requests; the users service keeps its signing keys encrypted.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { CLIENT_KEY_HEADER, GATEWAY_SIGNATURE_HEADER, GatewaySigner } from '@grocery/platform';
import { adminUrl, createTestDatabase, type TestDatabase } from '@grocery/platform/testing';
import { loadSeed } from '@grocery/seed';
import { Client } from 'pg';

const root = path.resolve(__dirname, '..', '..');

interface Proc {
  child: ChildProcess;
  out: string[];
}

function start(script: string, env: NodeJS.ProcessEnv, ready: RegExp): Promise<Proc> {
  const out: string[] = [];
  const child = spawn(process.execPath, [path.join(root, script)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => out.push(String(d)));
  child.stderr!.on('data', (d) => out.push(String(d)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} not ready in 60 s:\n${out.join('')}`)), 60_000);
    const check = () => {
      if (ready.test(out.join(''))) {
        clearTimeout(timer);
        resolve({ child, out });
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${out.join('')}`));
    });
  });
}

/** Runs a script expecting it to refuse to start: its exit code and everything it printed. */
function startFails(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return start(script, env, /subgraph ready|ready at/).then(
    async (p) => {
      await stop(p);
      throw new Error(`${script} started although it should not have:\n${p.out.join('')}`);
    },
    (err: Error) => ({ code: Number(/exited with (\d+)/.exec(err.message)?.[1] ?? NaN), out: err.message }),
  );
}

/** `n` distinct ports in 20000-32767 that nothing listens on now. */
async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  const ports: number[] = [];
  while (ports.length < n) {
    const candidate = 20000 + Math.floor(Math.random() * 12767);
    if (ports.includes(candidate)) continue;
    const server = net.createServer();
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(candidate, '127.0.0.1', () => resolve(true));
    });
    if (ok) {
      servers.push(server);
      ports.push(candidate);
    }
  }
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

function stop(p: Proc): Promise<number | null> {
  return new Promise((resolve) => {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve(p.child.exitCode);
    p.child.once('exit', (code) => resolve(code));
    p.child.kill('SIGTERM');
  });
}

// Run in the distributed CI pass only (it is mode-independent and takes a while).
const suite = process.env.TEST_MODE === 'distributed' ? describe : describe.skip;

suite('distributed mode: one process per subgraph plus the gateway', () => {
  let db: TestDatabase;
  const procs: Proc[] = [];
  // Filled in beforeAll with ports that are free now and below Linux's ephemeral range (32768+), where
  // the other suites' connections and port-0 listeners never land.
  const port = { users: 0, products: 0, stock: 0, gateway: 0, spare: 0, orders: 0, delivery: 0 };
  const url = (p: number) => `http://127.0.0.1:${p}/graphql`;
  const SECRET = randomBytes(32).toString('base64url');
  const ENCRYPTION_KEY = randomBytes(32).toString('base64');
  const tag = randomBytes(4).toString('hex');
  const roles = {
    products: `grocery_t${tag}_products`,
    stock: `grocery_t${tag}_stock`,
    users: `grocery_t${tag}_users`,
    orders: `grocery_t${tag}_orders`,
    delivery: `grocery_t${tag}_delivery`,
  };
  const ownUrls: Record<keyof typeof roles, string> = { products: '', stock: '', users: '', orders: '', delivery: '' };
  let env: NodeJS.ProcessEnv;
  /** Each service's environment: its own role's URL, never the owner's. */
  const serviceEnv = (name: keyof typeof roles, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    ...env,
    [`${name.toUpperCase()}_DATABASE_URL`]: ownUrls[name],
    ...(name === 'users' ? { SIGNING_KEY_ENCRYPTION_KEY: ENCRYPTION_KEY } : {}),
    ...extra,
  });

  beforeAll(async () => {
    const held = await freePorts(Object.keys(port).length);
    for (const [i, name] of (Object.keys(port) as (keyof typeof port)[]).entries()) port[name] = held[i]!;
    db = await createTestDatabase();
    await loadSeed({ databaseUrl: db.url, skus: 20 });
    for (const name of Object.keys(roles) as (keyof typeof roles)[]) {
      const u = new URL(db.url);
      u.username = roles[name];
      u.password = `pw-${randomBytes(6).toString('hex')}`;
      ownUrls[name] = u.toString();
    }
    // What an operator runs once per release, as the owner: migrations, then the roles.
    await promisify(execFile)(process.execPath, [path.join(root, 'platform/dist/db/roles-cli.js')], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: db.url,
        PRODUCTS_DATABASE_URL: ownUrls.products,
        STOCK_DATABASE_URL: ownUrls.stock,
        USERS_DATABASE_URL: ownUrls.users,
        ORDERS_DATABASE_URL: ownUrls.orders,
        DELIVERY_DATABASE_URL: ownUrls.delivery,
      },
    });
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      APOLLO_TELEMETRY_DISABLED: 'true',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      GATEWAY_SIGNING_SECRET: SECRET,
      JWKS_URL: `http://127.0.0.1:${port.users}/.well-known/jwks.json`,
      SEED_ADMIN_EMAIL: 'ops@grocery.test',
      SEED_ADMIN_PASSWORD: 'a-long-admin-password',
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `e2e:${tag}:` } : {}),
    };
    procs.push(
      await start('subgraphs/users/dist/main.js', serviceEnv('users', { PORT: String(port.users) }), /subgraph ready/),
    );
    procs.push(
      await start(
        'subgraphs/products/dist/main.js',
        serviceEnv('products', { PORT: String(port.products) }),
        /subgraph ready/,
      ),
    );
    procs.push(
      await start('subgraphs/stock/dist/main.js', serviceEnv('stock', { PORT: String(port.stock) }), /subgraph ready/),
    );
    procs.push(
      await start(
        'subgraphs/delivery/dist/main.js',
        serviceEnv('delivery', { PORT: String(port.delivery) }),
        /subgraph ready/,
      ),
    );
    // Orders calls products, stock and delivery itself (signed); its payment webhooks come through the gateway.
    procs.push(
      await start(
        'subgraphs/orders/dist/main.js',
        serviceEnv('orders', {
          PORT: String(port.orders),
          PRODUCTS_URL: url(port.products),
          STOCK_URL: url(port.stock),
          DELIVERY_URL: url(port.delivery),
          PAYMENT_WEBHOOK_BASE_URL: `http://127.0.0.1:${port.gateway}`,
        }),
        /subgraph ready/,
      ),
    );
    const gatewayEnv: NodeJS.ProcessEnv = { ...env, PORT: String(port.gateway), PRODUCTS_URL: url(port.products) };
    Object.assign(gatewayEnv, {
      STOCK_URL: url(port.stock),
      USERS_URL: url(port.users),
      ORDERS_URL: url(port.orders),
      DELIVERY_URL: url(port.delivery),
    });
    procs.push(await start('gateway/dist/main.js', gatewayEnv, /ready at/)); // the gateway alone needs no database
  }, 240_000);

  afterAll(async () => {
    for (const p of [...procs].reverse()) await stop(p);
    await db?.drop();
    const c = new Client({ connectionString: adminUrl() });
    await c.connect();
    for (const r of Object.values(roles)) await c.query(`DROP ROLE IF EXISTS ${r}`);
    await c.end();
  });

  async function gql(query: string, token?: string) {
    const res = await fetch(url(port.gateway), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    });
    return (await res.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
  }

  it('serves a cross-subgraph query, an admin from SEED_ADMIN_*, and staff mutations across processes', async () => {
    expect(procs.at(-1)!.out.join('')).toContain('(distributed)');
    const page = await gql(
      '{ products(first: 3) { totalCount edges { node { sku name availability { available } } } } }',
    );
    expect(page.errors).toBeUndefined();
    expect(page.data.products.totalCount).toBe(20);

    const login = await gql(
      'mutation { logIn(input: { email: "ops@grocery.test", password: "a-long-admin-password" }) { accessToken } }',
    );
    const token = login.data.logIn.accessToken as string;
    const before = await gql(
      '{ product(sku: "SKU-000001") { availability { byLocation { location { id } available } } } }',
    );
    const loc = before.data.product.availability.byLocation[0].location.id as string;
    const was = before.data.product.availability.byLocation[0].available as number;
    const adjusted = await gql(
      `mutation { adjustStock(input: { sku: "SKU-000001", locationId: "${loc}", delta: 5, reason: "e2e" }) { sku available } }`,
      token,
    );
    expect(adjusted.errors).toBeUndefined();
    expect(adjusted.data.adjustStock.available).toBe(was + 5);

    const customer = await gql(
      'mutation { signUp(input: { email: "e2e@grocery.test", password: "another-long-password", name: "E" }) { accessToken } }',
    );
    const refused = await gql(
      `mutation { adjustStock(input: { sku: "SKU-000001", locationId: "${loc}", delta: 1, reason: "x" }) { sku } }`,
      customer.data.signUp.accessToken,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('checks out across processes: orders reserves at stock and prices at products, the payment webhook comes through the gateway', async () => {
    const before = await gql(
      '{ product(sku: "SKU-000002") { availability { byLocation { location { id } available } } } }',
    );
    const loc = before.data.product.availability.byLocation.find((b: { available: number }) => b.available >= 2)
      .location.id as string;
    const cart = await gql(
      'mutation { addToCart(lines: [{ sku: "SKU-000002", quantity: 2 }]) { id total { amount } } }',
    );
    if (cart.errors)
      console.log(
        procs
          .map((p) => p.out.join(''))
          .join('\n----\n')
          .slice(-6000),
      );
    expect(cart.errors).toBeUndefined();
    const placed = await gql(
      `mutation { placeOrder(input: { cartId: "${cart.data.addToCart.id}", idempotencyKey: "e2e-checkout-1",
         email: "guest@grocery.test", fulfilment: { type: PICKUP, locationId: "${loc}" },
         payment: { provider: SIMULATOR, token: "sim_approve" } }) { __typename ... on Order { id accessToken } } }`,
    );
    expect(placed.errors).toBeUndefined();
    const { id, accessToken } = placed.data.placeOrder;
    let status = '';
    for (let i = 0; i < 100 && status !== 'CONFIRMED'; i++) {
      status = (await gql(`{ order(id: "${id}", accessToken: "${accessToken}") { status } }`)).data.order.status;
      if (status !== 'CONFIRMED') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('CONFIRMED');

    // A delivery: a slot held at delivery, booked by orders' checkout over signed HTTP.
    const zone = (await gql('{ deliveryZones { id locations { id } } }')).data.deliveryZones.find(
      (z: { id: string }) => z.id === 'hcm-central',
    );
    const store = before.data.product.availability.byLocation.find(
      (b: { location: { id: string }; available: number }) =>
        zone.locations.some((l: { id: string }) => l.id === b.location.id) && b.available >= 1,
    );
    expect(store).toBeDefined(); // the (deterministic) seed stocks SKU-000002 in the centre's stores
    const slots = await gql('{ deliverySlots(zoneId: "hcm-central", days: 2) { id bookable service } }');
    const slot = slots.data.deliverySlots.find(
      (s: { bookable: boolean; service: string }) => s.bookable && s.service === 'NEXT_DAY',
    );
    const held = await gql(`mutation { holdSlot(slotId: "${slot.id}") { __typename ... on SlotHold { id } } }`);
    expect(held.data.holdSlot.__typename).toBe('SlotHold');
    const cart2 = await gql('mutation { addToCart(lines: [{ sku: "SKU-000002", quantity: 1 }]) { id } }');
    const delivered = await gql(
      `mutation { placeOrder(input: { cartId: "${cart2.data.addToCart.id}", idempotencyKey: "e2e-checkout-2",
         email: "guest@grocery.test", fulfilment: { type: DELIVERY, locationId: "${store.location.id}", slotHoldId: "${held.data.holdSlot.id}",
           address: { recipient: "Lê Văn Tám", phone: "0901234567", line1: "1 Lê Lợi", ward: "Phường Bến Thành", province: "TP. Hồ Chí Minh" } },
         payment: { provider: CASH_ON_DELIVERY } }) { __typename ... on Order { status deliveryFee { amount } } ... on ErrorResult { errorCode message } } }`,
    );
    expect(delivered.errors).toBeUndefined();
    expect(delivered.data.placeOrder).toEqual({
      __typename: 'Order',
      status: 'CONFIRMED',
      deliveryFee: { amount: 15_000 },
    });
  });

  describe('a direct call to a subgraph service (not through the gateway)', () => {
    const entities = async () => {
      const login = await gql(
        'mutation { logIn(input: { email: "ops@grocery.test", password: "a-long-admin-password" }) { user { id } } }',
      );
      return JSON.stringify({
        query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name } } }',
        variables: { r: [{ __typename: 'User', id: login.data.logIn.user.id }] },
      });
    };
    const post = async (body: string, signature?: string) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'accept-language': 'en' };
      if (signature) headers[GATEWAY_SIGNATURE_HEADER] = signature;
      const res = await fetch(url(port.users), { method: 'POST', headers, body });
      type Body = { data?: any; errors?: { extensions?: Record<string, unknown> }[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
      return { status: res.status, body: (await res.json()) as Body };
    };
    const sign = (body: string, secret = SECRET, at = Date.now()) =>
      new GatewaySigner(secret, () => at).sign({
        method: 'POST',
        path: '/graphql',
        body,
        forwarded: { acceptLanguage: 'en' },
      });

    it('refuses an unsigned _entities POST to the users service', async () => {
      const r = await post(await entities());
      expect(r.status).toBe(401);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('GATEWAY_SIGNATURE_REQUIRED');
      expect(r.body.data).toBeUndefined();
    });

    it('refuses a forged signature and an expired one', async () => {
      const body = await entities();
      const forged = await post(body, sign(body, randomBytes(32).toString('base64url')));
      expect(forged.status).toBe(403);
      expect(forged.body.errors?.[0]?.extensions).toMatchObject({
        code: 'GATEWAY_SIGNATURE_INVALID',
        reason: 'mismatch',
      });
      const expired = await post(body, sign(body, SECRET, Date.now() - 10 * 60_000));
      expect(expired.status).toBe(403);
      expect(expired.body.errors?.[0]?.extensions).toMatchObject({
        code: 'GATEWAY_SIGNATURE_INVALID',
        reason: 'expired',
      });
      // The control: the same body, signed as the gateway signs it now, is answered.
      const signed = await post(body, sign(body));
      expect(signed.status).toBe(200);
      expect(signed.body.data._entities[0].name).toBe('Administrator');
    });

    it('refuses a signed request sent with a client key it was not signed for', async () => {
      const body = await entities();
      const res = await fetch(url(port.users), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'accept-language': 'en',
          [CLIENT_KEY_HEADER]: 'user:someone-else',
          [GATEWAY_SIGNATURE_HEADER]: sign(body),
        },
        body,
      });
      expect(res.status).toBe(403);
    });
  });

  describe('refusing to start', () => {
    it('a subgraph service without GATEWAY_SIGNING_SECRET, saying what to set', async () => {
      const r = await startFails(
        'subgraphs/products/dist/main.js',
        serviceEnv('products', { PORT: String(port.spare), GATEWAY_SIGNING_SECRET: '' }),
      );
      expect(r.code).toBe(1);
      expect(r.out).toContain('products: set GATEWAY_SIGNING_SECRET');
    });

    it('…unless told SUBGRAPH_ALLOW_UNSIGNED=true (development), and then it answers anyone', async () => {
      const dev = await start(
        'subgraphs/products/dist/main.js',
        serviceEnv('products', {
          PORT: String(port.spare),
          GATEWAY_SIGNING_SECRET: '',
          SUBGRAPH_ALLOW_UNSIGNED: 'true',
        }),
        /subgraph ready/,
      );
      try {
        expect(dev.out.join('')).toContain('SUBGRAPH_ALLOW_UNSIGNED=true: this service answers anyone');
        const res = await fetch(url(port.spare), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ products(first: 1) { totalCount } }' }),
        });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { data: any }).data.products.totalCount).toBe(20); // eslint-disable-line @typescript-eslint/no-explicit-any
      } finally {
        expect(await stop(dev)).toBe(0);
      }
    });

    it('a gateway with subgraph URLs but no GATEWAY_SIGNING_SECRET', async () => {
      const r = await startFails('gateway/dist/main.js', {
        ...env,
        GATEWAY_SIGNING_SECRET: '',
        PORT: String(port.spare),
        PRODUCTS_URL: url(port.products),
        STOCK_URL: url(port.stock),
        USERS_URL: url(port.users),
      });
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/GATEWAY_SIGNING_SECRET: required when PRODUCTS_URL, STOCK_URL, USERS_URL are set/);
    });

    it('a users service given the wrong SIGNING_KEY_ENCRYPTION_KEY, saying which setting is wrong', async () => {
      const r = await startFails(
        'subgraphs/users/dist/main.js',
        serviceEnv('users', {
          PORT: String(port.spare),
          SIGNING_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        }),
      );
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/cannot decrypt the private key of users\.signing_key .*set SIGNING_KEY_ENCRYPTION_KEY/);
    });
  });

  it('stops every process cleanly on SIGTERM', async () => {
    const codes = [];
    for (const p of [...procs].reverse()) codes.push(await stop(p));
    expect(codes).toEqual(procs.map(() => 0));
  });
});
