// The platform with one PostgreSQL role per domain (what `pnpm db:roles` sets up): each
// subgraph connects as its own role and everything clients do still works through the gateway —
// reads across subgraphs, writes with their outbox rows, the outbox relays (which update them),
// the signing keys — while no role can read another domain's tables.
import { Client } from 'pg';
import { startTestPlatform, type TestPlatform } from '../src/testing/platform';

let p: TestPlatform;
let owner: Client;

beforeAll(async () => {
  p = await startTestPlatform({ databaseRoles: true, seedSkus: 5 });
  owner = new Client({ connectionString: p.database.url });
  await owner.connect();
});
afterAll(async () => {
  await owner?.end();
  await p?.stop();
});

const ownRole = (domain: string) => new URL(p.config.domainDatabaseUrls[domain]!).username;

describe('one database role per domain', () => {
  it('runs every subgraph on its own role', async () => {
    // Some work for every subgraph, so each holds a connection.
    await p.gql('{ products(first: 1) { edges { node { sku availability { available } } } } }');
    await p.signIn(['customer']);
    const { rows } = await owner.query<{ usename: string }>(
      'SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database()',
    );
    const users = rows.map((r) => r.usename);
    for (const domain of ['products', 'stock', 'users']) expect(users).toContain(ownRole(domain));
  });

  it('serves reads across subgraphs, sign-up and sign-in, and writes with their events', async () => {
    const page = await p.gql(
      '{ products(first: 5) { totalCount edges { node { sku name availability { available byLocation { location { id } available } } } } } }',
    );
    expect(page.errors).toBeUndefined();
    expect(page.data!.products.totalCount).toBe(5);
    const sku = page.data!.products.edges[0].node.sku as string;
    const loc = page.data!.products.edges[0].node.availability.byLocation[0].location.id as string;

    const staff = await p.signIn(['staff']);
    const adjusted = await p.gql(
      'mutation ($i: AdjustStockInput!) { adjustStock(input: $i) { sku available } }',
      { i: { sku, locationId: loc, delta: 3, reason: 'roles test' } },
      { token: staff.accessToken },
    );
    expect(adjusted.errors).toBeUndefined();
    const available = adjusted.data!.adjustStock.available as number;

    const customer = await p.signIn(['customer']);
    const reserved = await p.gql(
      'mutation ($i: ReserveStockInput!) { reserveStock(input: $i) { __typename ... on Reservation { quantity owner { id name } } } }',
      { i: { sku, locationId: loc, quantity: 1 } },
      { token: customer.accessToken },
    );
    expect(reserved.errors).toBeUndefined();
    expect(reserved.data!.reserveStock).toMatchObject({ __typename: 'Reservation', quantity: 1 });
    expect(reserved.data!.reserveStock.owner.name).toBe('Test customer');

    // The relays, on their domain roles, published every event they wrote.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { rows } = await owner.query<{ n: string }>(
        `SELECT (SELECT count(*) FROM stock.outbox_event WHERE published_at IS NULL)
              + (SELECT count(*) FROM users.outbox_event WHERE published_at IS NULL) AS n`,
      );
      const written = await owner.query<{ n: string }>('SELECT count(*) AS n FROM stock.outbox_event');
      expect(Number(written.rows[0]!.n)).toBeGreaterThan(0);
      if (Number(rows[0]!.n) === 0) break;
      if (Date.now() > deadline) throw new Error(`${rows[0]!.n} outbox events still unpublished`);
      await new Promise((r) => setTimeout(r, 100));
    }

    // A consumer on the products role records stock's event in products' projection (when the
    // services share a bus: embedded, or Redis in distributed mode).
    if (p.mode === 'embedded' || process.env.REDIS_URL) {
      const projected = async () =>
        (
          await owner.query<{ available: number }>(
            'SELECT available FROM products.product_stock WHERE sku = $1 AND location_id = $2',
            [sku, loc],
          )
        ).rows[0]?.available;
      const until = Date.now() + 20_000;
      while ((await projected()) !== available - 1 && (await projected()) !== available && Date.now() < until)
        await new Promise((r) => setTimeout(r, 100));
      expect([available, available - 1]).toContain(await projected());
    }
  });

  it("keeps each role out of the others' schemas: products cannot read the signing keys", async () => {
    const as = async (domain: string, sql: string) => {
      const c = new Client({
        connectionString: p.config.domainDatabaseUrls[domain],
      });
      await c.connect();
      try {
        return await c.query(sql).then(
          (r) => r.rows,
          (err: { code?: string }) => err.code,
        );
      } finally {
        await c.end();
      }
    };
    expect(await as('products', 'SELECT private_jwk FROM users.signing_key')).toBe('42501');
    expect(await as('stock', 'SELECT private_jwk FROM users.signing_key')).toBe('42501');
    expect(await as('users', 'SELECT kid FROM users.signing_key')).toEqual([{ kid: expect.any(String) }]);
  });
});
