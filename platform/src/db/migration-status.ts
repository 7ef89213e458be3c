// For a service on its own domain role, which may not change its schema: checks, read-only,
// that the owner has applied every committed migration (pnpm db:roles), instead of applying them.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { repoRoot } from './migrate';

/** The committed migrations of a domain, by folder name. */
export function committedMigrations(domain: string): string[] {
  const dir = path.join(repoRoot, 'prisma', domain, 'migrations');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((m) => existsSync(path.join(dir, m, 'migration.sql')))
    .sort();
}

export async function assertMigrated(domain: string, databaseUrl: string): Promise<void> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  let applied: Set<string>;
  try {
    const { rows } = await c.query<{ migration_name: string }>(
      `SELECT migration_name FROM "${domain}"."_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    applied = new Set(rows.map((r) => r.migration_name));
  } catch (err) {
    const e = err as { message: string };
    throw new Error(
      `${domain}: cannot read its migration history (${e.message}); as the database owner, run ` +
        '`pnpm db:roles` (it migrates and grants each domain role its schema)',
    );
  } finally {
    await c.end();
  }
  const missing = committedMigrations(domain).filter((m) => !applied.has(m));
  if (missing.length > 0)
    throw new Error(
      `${domain}: its schema lacks migrations ${missing.join(', ')}; this service's role may not apply them: ` +
        'as the database owner, run `pnpm db:roles`',
    );
}
