// Test databases: each suite gets its own database, cloned from a template that has
// every domain's migrations applied (built once per migration set), and drops it after.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { domainsWithMigrations, migrateAll, repoRoot } from '../db/migrate';

/** Every domain (prisma/<domain>/migrations), migrated into each test database by default. */
export const ALL_DOMAINS: readonly string[] = domainsWithMigrations();

/** The server tests run against: TEST_DATABASE_URL, else the local PostgreSQL. */
export function adminUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function migrationsHash(domains: readonly string[]): string {
  const h = createHash('sha256');
  for (const d of domains) {
    const dir = path.join(repoRoot, 'prisma', d, 'migrations');
    if (!existsSync(dir)) continue;
    for (const m of readdirSync(dir).sort()) {
      const f = path.join(dir, m, 'migration.sql');
      if (existsSync(f)) h.update(d).update(m).update(readFileSync(f));
    }
  }
  return h.digest('hex').slice(0, 12);
}

async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function ensureTemplate(domains: readonly string[]): Promise<string> {
  const name = `grocery_tpl_${migrationsHash(domains)}`;
  await withAdmin(async (c) => {
    // Jest workers race here: one builds the template, the others wait on the lock.
    await c.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (rowCount) return;
      const building = `${name}_building`;
      await c.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${building}`);
      await migrateAll(domains, withDatabase(adminUrl(), building));
      await c.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    } finally {
      await c.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
  return name;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(domains: readonly string[] = ALL_DOMAINS): Promise<TestDatabase> {
  const template = await ensureTemplate(domains);
  const name = `grocery_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    name,
    url: withDatabase(adminUrl(), name),
    drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
