// Distributed mode as deployed: every subgraph its own OS process (its main.ts), the gateway
// another (gateway/dist/main.js with the *_URLs), one PostgreSQL, Redis when REDIS_URL is set.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@grocery/platform/testing';
import { loadSeed } from '@grocery/seed';

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
  const base = 41000 + Math.floor(Math.random() * 4000);
  const port = { users: base, products: base + 1, stock: base + 2, gateway: base + 3 };
  const url = (p: number) => `http://127.0.0.1:${p}/graphql`;

  beforeAll(async () => {
    db = await createTestDatabase();
    await loadSeed({ databaseUrl: db.url, skus: 20 });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      APOLLO_TELEMETRY_DISABLED: 'true',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      JWKS_URL: `http://127.0.0.1:${port.users}/.well-known/jwks.json`,
      SEED_ADMIN_EMAIL: 'ops@grocery.test',
      SEED_ADMIN_PASSWORD: 'a-long-admin-password',
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `e2e:${base}:` } : {}),
    };
    procs.push(await start('subgraphs/users/dist/main.js', { ...env, PORT: String(port.users) }, /subgraph ready/));
    procs.push(
      await start('subgraphs/products/dist/main.js', { ...env, PORT: String(port.products) }, /subgraph ready/),
    );
    procs.push(await start('subgraphs/stock/dist/main.js', { ...env, PORT: String(port.stock) }, /subgraph ready/));
    const gatewayEnv: NodeJS.ProcessEnv = { ...env, PORT: String(port.gateway), PRODUCTS_URL: url(port.products) };
    Object.assign(gatewayEnv, { STOCK_URL: url(port.stock), USERS_URL: url(port.users) });
    delete gatewayEnv.DATABASE_URL; // the gateway alone needs no database
    procs.push(await start('gateway/dist/main.js', gatewayEnv, /ready at/));
  }, 240_000);

  afterAll(async () => {
    for (const p of [...procs].reverse()) await stop(p);
    await db?.drop();
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

  it('stops every process cleanly on SIGTERM', async () => {
    const codes = [];
    for (const p of [...procs].reverse()) codes.push(await stop(p));
    expect(codes).toEqual([0, 0, 0, 0]);
  });
});
