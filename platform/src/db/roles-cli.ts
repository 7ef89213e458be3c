// `pnpm db:roles`: as the database owner, applies every domain's migrations and creates (or
// updates) one PostgreSQL role per domain from the URLs its services will connect with:
//   DATABASE_URL=postgresql://owner:…@db/grocery \
//   PRODUCTS_DATABASE_URL=postgresql://grocery_products:…@db/grocery \
//   STOCK_DATABASE_URL=postgresql://grocery_stock:…@db/grocery \
//   USERS_DATABASE_URL=postgresql://grocery_users:…@db/grocery \
//   node platform/dist/db/roles-cli.js
// Run it again after every upgrade (it is how migrations reach a database whose services run
// on their own roles) and to change a role's password.
import { ConfigError, domainDatabaseUrlVariable, loadConfig, ownDomainDatabaseUrl } from '../config';
import { domainsWithMigrations } from './migrate';
import { DomainRolesError, setUpDomainRoles } from './roles';

const DOMAINS = domainsWithMigrations();

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new DomainRolesError('set DATABASE_URL to the database owner (or a superuser)');
  const missing = DOMAINS.filter((d) => !ownDomainDatabaseUrl(config, d)).map(domainDatabaseUrlVariable);
  if (missing.length > 0) throw new DomainRolesError(`set ${missing.join(', ')} (postgresql://role:password@host/db)`);
  const results = await setUpDomainRoles({
    ownerUrl: config.DATABASE_URL,
    roles: DOMAINS.map((domain) => ({ domain, url: ownDomainDatabaseUrl(config, domain)! })),
  });
  for (const r of results) console.log(`${r.created ? 'created' : 'updated'} role ${r.role}: schema ${r.domain} only`);
  console.log('Migrations applied. Start each service with its own <DOMAIN>_DATABASE_URL.');
}

main().catch((err: unknown) => {
  const known = err instanceof DomainRolesError || err instanceof ConfigError;
  console.error(known ? (err as Error).message : err);
  process.exit(1);
});
