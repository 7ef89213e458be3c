// SUPERGRAPH_PATH: the gateway serves any composed supergraph whose join__graph URLs point at
// running subgraphs, with every layer on — here our own subgraph services behind a supergraph
// file, as a federation conformance suite or another gateway's benchmark would set it up.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, loadConfig } from '@grocery/platform';
import { createTestDatabase, type TestDatabase } from '@grocery/platform/testing';
import { loadSeed, LOCATIONS } from '@grocery/seed';
import { createClient } from 'graphql-ws/client';
import WebSocket from 'ws';
import { composeFromCode } from '../src/compose';
import { gatewayFeatures } from '../src/features';
import { startPlatform, type Platform } from '../src/host';
import { SUBGRAPHS } from '../src/registry';
import { startSubgraphServices, type SubgraphServices } from '../src/subgraph-services';

const logger = createLogger('silent', 'test');
let db: TestDatabase;
let services: SubgraphServices;
let dir: string;
let supergraphFile: string;
const platforms: Platform[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await loadSeed({ databaseUrl: db.url, skus: 20 });
  const base = { NODE_ENV: 'test', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', DATABASE_URL: db.url };
  services = await startSubgraphServices({ names: SUBGRAPHS, config: loadConfig(base), logger, databaseUrl: db.url });
  const { supergraphSdl } = await composeFromCode();
  dir = mkdtempSync(path.join(tmpdir(), 'supergraph-'));
  supergraphFile = path.join(dir, 'supergraph.graphql');
  writeFileSync(
    supergraphFile,
    supergraphSdl.replace(
      /http:\/\/(\w+)\.subgraph\.invalid\/graphql/g,
      (_m, name: string) => services.urls[name as 'users']!,
    ),
  );
}, 120_000);

afterAll(async () => {
  for (const p of platforms) await p.stop();
  await services?.stop();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** A gateway with nothing of this platform's own configured: no DATABASE_URL, no <NAME>_URL. */
async function gatewayFor(env: Record<string, string>): Promise<Platform> {
  const config = loadConfig(
    { NODE_ENV: 'test', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', SUPERGRAPH_PATH: supergraphFile, ...env },
    { subgraphs: SUBGRAPHS },
  );
  const p = await startPlatform({ config, logger, factories: {}, features: gatewayFeatures });
  platforms.push(p);
  return p;
}

async function post(p: Platform, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await fetch(p.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as { data?: any; errors?: any[] }) };
}

describe('SUPERGRAPH_PATH', () => {
  it("serves the file's subgraphs at their join__graph URLs, with limits, auth and subscriptions", async () => {
    const p = await gatewayFor({
      GATEWAY_SIGNING_SECRET: services.env.GATEWAY_SIGNING_SECRET!,
      JWKS_URL: services.env.JWKS_URL!,
      MAX_ALIASES: '2',
    });
    expect(p.mode).toBe('distributed');
    expect(p.databaseUrl).toBeUndefined();

    const page = await post(p, `{ product(sku: "SKU-000001") { sku name availability { available } } }`);
    expect(page.errors).toBeUndefined();
    expect(page.data.product).toMatchObject({ sku: 'SKU-000001', availability: { available: expect.any(Number) } });

    const aliased = await post(
      p,
      `{ a: product(sku: "SKU-1") { sku } b: product(sku: "SKU-2") { sku } c: product(sku: "SKU-3") { sku } }`,
    );
    expect(aliased.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases' });

    // Tokens verified with the users service's JWKS; staff may adjust stock through it.
    const staffEmail = `staff-${Date.now()}@test.grocery.vn`;
    await services.modules.users!.ensureAccount!({
      email: staffEmail,
      password: 'supergraph-path-staff',
      name: 'S',
      roles: ['staff'],
    });
    const login = await post(
      p,
      `mutation { logIn(input: { email: "${staffEmail}", password: "supergraph-path-staff" }) { accessToken } }`,
    );
    const staff = login.data.logIn.accessToken as string;

    const client = createClient({ url: p.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const event = new Promise<any>((resolve, reject) => {
        client.subscribe(
          { query: `subscription { stockChanged(skus: ["SKU-000002"]) { sku product { name } } }` },
          { next: (r) => resolve(r), error: reject, complete: () => undefined },
        );
      });
      const adjust = () =>
        post(
          p,
          `mutation ($i: AdjustStockInput!) { adjustStock(input: $i) { sku } }`,
          { i: { sku: 'SKU-000002', locationId: LOCATIONS[0]!.id, delta: 1, reason: 'supergraph path test' } },
          staff,
        );
      // The subscription opens asynchronously: change stock until it sees one.
      let got: any;
      const timer = setInterval(() => void adjust(), 200);
      try {
        got = await event;
      } finally {
        clearInterval(timer);
      }
      expect(got.data.stockChanged).toMatchObject({ sku: 'SKU-000002', product: { name: expect.any(String) } });
    } finally {
      await client.dispose();
    }

    const status = (await (await fetch(p.url.replace(/\/graphql$/, '/status'))).json()) as {
      subgraphs: Record<string, { location: string; reachable: boolean }>;
    };
    expect(Object.keys(status.subgraphs).sort()).toEqual([...SUBGRAPHS].sort());
    expect(Object.values(status.subgraphs).every((s) => s.location === 'remote' && s.reachable)).toBe(true);
  });

  it('without JWKS_URL serves anonymous callers and refuses tokens it cannot verify', async () => {
    const p = await gatewayFor({ GATEWAY_SIGNING_SECRET: services.env.GATEWAY_SIGNING_SECRET! });
    expect((await post(p, `{ product(sku: "SKU-000003") { sku } }`)).data.product.sku).toBe('SKU-000003');
    const withToken = await post(p, `{ product(sku: "SKU-000003") { sku } }`, {}, 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln');
    expect(withToken.status).toBe(401);
    expect(withToken.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('says what is wrong with a file that is not a composed supergraph', async () => {
    const bad = path.join(dir, 'bad.graphql');
    writeFileSync(bad, 'type Query { hello: String }');
    await expect(gatewayFor({ SUPERGRAPH_PATH: bad })).rejects.toThrow(
      /SUPERGRAPH_PATH: .* is not a valid composed supergraph/,
    );
    await expect(gatewayFor({ SUPERGRAPH_PATH: path.join(dir, 'missing.graphql') })).rejects.toThrow(
      /SUPERGRAPH_PATH: cannot read/,
    );
  });
});
