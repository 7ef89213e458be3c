// Per-domain PostgreSQL roles for a test database (what `pnpm db:roles` makes in production),
// under names unique to the run: roles belong to the whole server, not to one database.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { setUpDomainRoles } from '../db/roles';
import { adminUrl, ALL_DOMAINS, type TestDatabase } from './database';

export interface TestDomainRoles {
  /** Each domain's own URL: its role, on the test database. */
  urls: Record<string, string>;
  /** The same as config env entries (PRODUCTS_DATABASE_URL, …). */
  env: Record<string, string>;
  roles: Record<string, string>;
  /** Drops the roles; call after the database is dropped (it holds their grants). */
  drop(): Promise<void>;
}

export async function createTestDomainRoles(
  database: TestDatabase,
  opts: { domains?: readonly string[]; migrate?: boolean } = {},
): Promise<TestDomainRoles> {
  const domains = opts.domains ?? ALL_DOMAINS;
  const tag = randomBytes(4).toString('hex');
  const urls: Record<string, string> = {};
  const env: Record<string, string> = {};
  const roles: Record<string, string> = {};
  for (const d of domains) {
    const u = new URL(database.url);
    roles[d] = `grocery_t${tag}_${d}`;
    u.username = roles[d];
    u.password = `pw-${randomBytes(9).toString('hex')}`;
    urls[d] = u.toString();
    env[`${d.toUpperCase()}_DATABASE_URL`] = urls[d];
  }
  const drop = async () => {
    const c = new Client({ connectionString: adminUrl() });
    await c.connect();
    try {
      for (const r of Object.values(roles)) await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(r)}`);
    } finally {
      await c.end();
    }
  };
  try {
    await setUpDomainRoles({
      ownerUrl: database.url,
      roles: domains.map((domain) => ({ domain, url: urls[domain]! })),
      migrate: opts.migrate ?? false, // test databases are clones of a migrated template
    });
  } catch (err) {
    await drop().catch(() => undefined);
    throw err;
  }
  return { urls, env, roles, drop };
}
