// One role per domain on real PostgreSQL: each reads and writes its own schema and nothing else.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, createTestDomainRoles, type TestDatabase, type TestDomainRoles } from '../testing';
import { assertMigrated } from './migration-status';
import { DomainRolesError, setUpDomainRoles } from './roles';

let db: TestDatabase;
let roles: TestDomainRoles;

beforeAll(async () => {
  db = await createTestDatabase();
  roles = await createTestDomainRoles(db);
});
afterAll(async () => {
  await db?.drop();
  await roles?.drop();
});

async function as<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The SQLSTATE of the statement's failure, or 'ok'. */
async function outcome(url: string, sql: string): Promise<string> {
  return as(url, async (c) => {
    try {
      await c.query(sql);
      return 'ok';
    } catch (err) {
      return (err as { code?: string }).code ?? String(err);
    }
  });
}

const PERMISSION_DENIED = '42501';

describe('per-domain database roles', () => {
  beforeAll(async () => {
    // A signing key to find: the users role must see it, the others must not.
    await as(db.url, (c) =>
      c.query(`INSERT INTO users.signing_key (kid, alg, private_jwk, public_jwk) VALUES ('k1', 'ES256', '{}', '{}')`),
    );
  });

  it('the products role cannot read users.signing_key; the users role can read its own', async () => {
    expect(await outcome(roles.urls.products!, 'SELECT private_jwk FROM users.signing_key')).toBe(PERMISSION_DENIED);
    expect(await outcome(roles.urls.stock!, 'SELECT private_jwk FROM users.signing_key')).toBe(PERMISSION_DENIED);
    const rows = await as(roles.urls.users!, (c) => c.query('SELECT kid FROM users.signing_key'));
    expect(rows.rows).toEqual([{ kid: 'k1' }]);
  });

  it("each role reads and writes its own schema's tables and sequences, and no one else's", async () => {
    const outbox = (schema: string) =>
      `INSERT INTO ${schema}.outbox_event (id, topic, type, subject, payload) VALUES ` +
      `(gen_random_uuid(), 't', 'x.y', 's', '{}')`;
    for (const [domain, url] of Object.entries(roles.urls)) {
      expect(await outcome(url, outbox(domain))).toBe('ok'); // its `seq` sequence too
      expect(await outcome(url, `DELETE FROM ${domain}.outbox_event`)).toBe('ok');
      for (const other of Object.keys(roles.urls).filter((d) => d !== domain)) {
        expect(await outcome(url, `SELECT 1 FROM ${other}.outbox_event`)).toBe(PERMISSION_DENIED);
        expect(await outcome(url, outbox(other))).toBe(PERMISSION_DENIED);
      }
    }
    // products' search functions stay usable by products.
    expect(await outcome(roles.urls.products!, `SELECT products.search_fold('Sữa tươi')`)).toBe('ok');
    expect(await outcome(roles.urls.users!, `SELECT products.search_fold('Sữa tươi')`)).toBe(PERMISSION_DENIED);
  });

  it('no role can change a schema or its migration history; the history stays readable', async () => {
    for (const [domain, url] of Object.entries(roles.urls)) {
      expect(await outcome(url, `CREATE TABLE ${domain}.sneaky (x int)`)).toBe(PERMISSION_DENIED);
      expect(await outcome(url, `CREATE TABLE public.sneaky (x int)`)).toBe(PERMISSION_DENIED);
      expect(await outcome(url, `DROP TABLE ${domain}.outbox_event`)).toBe(PERMISSION_DENIED);
      expect(await outcome(url, `DELETE FROM ${domain}."_prisma_migrations"`)).toBe(PERMISSION_DENIED);
      await expect(assertMigrated(domain, url)).resolves.toBeUndefined();
    }
  });

  it('any other role (PUBLIC) reaches no domain schema, even if someone had opened one to PUBLIC', async () => {
    const stranger = `grocery_t${randomBytes(4).toString('hex')}_stranger`;
    await as(db.url, (c) => c.query(`CREATE ROLE ${stranger} LOGIN`));
    try {
      await as(db.url, (c) =>
        c.query(
          `GRANT CONNECT ON DATABASE ${db.name} TO ${stranger}; ` +
            'GRANT USAGE ON SCHEMA users TO PUBLIC; GRANT SELECT ON users.signing_key TO PUBLIC',
        ),
      );
      const u = new URL(db.url);
      u.username = stranger;
      expect(await outcome(u.toString(), 'SELECT kid FROM users.signing_key')).toBe('ok'); // the control
      await setUpDomainRoles({
        ownerUrl: db.url,
        roles: Object.entries(roles.urls).map(([domain, url]) => ({ domain, url })),
        migrate: false,
      });
      for (const domain of Object.keys(roles.urls))
        expect(await outcome(u.toString(), `SELECT 1 FROM ${domain}.outbox_event`)).toBe(PERMISSION_DENIED);
      expect(await outcome(u.toString(), 'SELECT kid FROM users.signing_key')).toBe(PERMISSION_DENIED);
    } finally {
      await as(db.url, (c) => c.query(`DROP OWNED BY ${stranger}; DROP ROLE ${stranger}`));
    }
  });

  it('tables a later migration creates get the same grants (default privileges)', async () => {
    await as(db.url, (c) =>
      c.query('CREATE TABLE users.later_table (x int); INSERT INTO users.later_table VALUES (1)'),
    );
    expect(await outcome(roles.urls.users!, 'SELECT x FROM users.later_table')).toBe('ok');
    expect(await outcome(roles.urls.products!, 'SELECT x FROM users.later_table')).toBe(PERMISSION_DENIED);
  });

  it('is idempotent, and takes back what a role was given in another schema', async () => {
    await as(db.url, (c) =>
      c.query(
        `GRANT USAGE ON SCHEMA users TO ${roles.roles.products}; GRANT SELECT ON users.signing_key TO ${roles.roles.products}`,
      ),
    );
    expect(await outcome(roles.urls.products!, 'SELECT kid FROM users.signing_key')).toBe('ok'); // the control
    const again = await setUpDomainRoles({
      ownerUrl: db.url,
      roles: Object.entries(roles.urls).map(([domain, url]) => ({ domain, url })),
      migrate: false,
    });
    expect(again.map((r) => r.created)).toEqual(again.map(() => false));
    expect(again).toHaveLength(Object.keys(roles.urls).length);
    expect(await outcome(roles.urls.products!, 'SELECT kid FROM users.signing_key')).toBe(PERMISSION_DENIED);
  });

  it('refuses URLs that would not separate the domains', async () => {
    const url = (user: string, pw = 'pw', database = db.name) => {
      const u = new URL(db.url);
      u.username = user;
      u.password = pw;
      u.pathname = `/${database}`;
      return u.toString();
    };
    const run = (specs: { domain: string; url: string }[]) =>
      setUpDomainRoles({ ownerUrl: db.url, roles: specs, migrate: false });
    await expect(run([{ domain: 'users', url: url('postgres') }])).rejects.toThrow(/uses the owner's role/);
    await expect(
      run([
        { domain: 'users', url: url('shared_role') },
        { domain: 'stock', url: url('shared_role') },
      ]),
    ).rejects.toThrow(/share the role/);
    await expect(run([{ domain: 'users', url: url('r1', '') }])).rejects.toThrow(DomainRolesError);
    await expect(run([{ domain: 'users', url: url('r1', 'pw', 'elsewhere') }])).rejects.toThrow(/names database/);
  });
});
