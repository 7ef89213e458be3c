// Applies a domain's committed Prisma migrations (`prisma migrate deploy`).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root (where prisma/<domain>/ lives), from this file's location. */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/**
 * Every domain with migrations (prisma/<domain>/migrations): a domain is a PostgreSQL schema of
 * its own, named like its subgraph, so a new one is picked up by its folder alone.
 */
export function domainsWithMigrations(): string[] {
  const prisma = path.join(repoRoot, 'prisma');
  return readdirSync(prisma, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(prisma, d.name, 'migrations')))
    .map((d) => d.name)
    .sort();
}

export async function migrateDomain(domain: string, databaseUrl: string): Promise<void> {
  const cli = require.resolve('prisma/build/index.js', { paths: [repoRoot] });
  const config = path.join(repoRoot, 'prisma', domain, 'prisma.config.ts');
  try {
    await run(process.execPath, [cli, 'migrate', 'deploy', '--config', config], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      maxBuffer: 10 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`migrating ${domain} failed: ${e.stderr || e.stdout || e.message}`);
  }
}

export async function migrateAll(domains: readonly string[], databaseUrl: string): Promise<void> {
  // One at a time: they share one database and `CREATE EXTENSION` / schema creation race otherwise.
  for (const d of domains) await migrateDomain(d, databaseUrl);
}
