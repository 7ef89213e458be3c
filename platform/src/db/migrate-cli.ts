// Applies every domain's committed migrations to DATABASE_URL, as its owner, one domain after
// the other (a deployment's migrate job, e.g. `node platform/dist/db/migrate-cli.js`). Services
// that run on their own domain roles need `pnpm db:roles` instead (it migrates too).
import { ConfigError, loadConfig } from '../config';
import { domainsWithMigrations, migrateAll } from './migrate';

async function main(): Promise<void> {
  const { DATABASE_URL } = loadConfig();
  if (!DATABASE_URL) throw new ConfigError('set DATABASE_URL to the database owner (or a superuser)');
  const domains = domainsWithMigrations();
  await migrateAll(domains, DATABASE_URL);
  console.log(`Migrations applied: ${domains.join(', ')}.`);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
