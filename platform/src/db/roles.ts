// One PostgreSQL role per domain schema (distributed mode), so that a service can read and write
// its own domain's tables and nothing else: products cannot read users' signing keys. Run as the
// database owner (or a superuser), which also applies the migrations: the domain roles own
// nothing and may not change their schemas. Creating or updating is idempotent.
import { Client } from 'pg';
import { migrateAll } from './migrate';

export interface DomainRoleSpec {
  /** The domain, which is also its PostgreSQL schema (e.g. "products"). */
  domain: string;
  /** The URL the domain's service will connect with: its user is the role, its password the role's. */
  url: string;
}

export interface DomainRoleResult {
  domain: string;
  role: string;
  created: boolean;
}

export interface SetUpDomainRolesOptions {
  /** The owner's (or a superuser's) connection to the platform's database. */
  ownerUrl: string;
  roles: readonly DomainRoleSpec[];
  /** Apply every domain's migrations as the owner first (default true). */
  migrate?: boolean;
}

export class DomainRolesError extends Error {}

interface Planned {
  domain: string;
  role: string;
  password: string;
}

function plan(ownerUrl: string, specs: readonly DomainRoleSpec[]): { database: string; roles: Planned[] } {
  const owner = new URL(ownerUrl);
  const database = decodeURIComponent(owner.pathname.replace(/^\//, ''));
  if (!database) throw new DomainRolesError('DATABASE_URL names no database');
  const ownerUser = decodeURIComponent(owner.username) || 'postgres';
  const roles = specs.map(({ domain, url }) => {
    const u = new URL(url);
    const role = decodeURIComponent(u.username);
    const password = decodeURIComponent(u.password);
    const name = `${domain.toUpperCase()}_DATABASE_URL`;
    if (!/^[a-z0-9_]+$/.test(domain)) throw new DomainRolesError(`"${domain}" is not a schema name`);
    if (!role || !password)
      throw new DomainRolesError(`${name} must name its role and password (postgresql://role:password@…)`);
    if (role === ownerUser)
      throw new DomainRolesError(`${name} uses the owner's role "${role}": give each domain a role of its own`);
    const db = decodeURIComponent(u.pathname.replace(/^\//, ''));
    if (db !== database) throw new DomainRolesError(`${name} names database "${db}", DATABASE_URL "${database}"`);
    return { domain, role, password };
  });
  const seen = new Map<string, string>();
  for (const r of roles) {
    const other = seen.get(r.role);
    if (other) throw new DomainRolesError(`${other} and ${r.domain} share the role "${r.role}": one role per domain`);
    seen.set(r.role, r.domain);
  }
  return { database, roles };
}

export async function setUpDomainRoles(opts: SetUpDomainRolesOptions): Promise<DomainRoleResult[]> {
  const { database, roles } = plan(opts.ownerUrl, opts.roles);
  const domains = roles.map((r) => r.domain);
  if (opts.migrate !== false) await migrateAll(domains, opts.ownerUrl);

  const c = new Client({ connectionString: opts.ownerUrl });
  await c.connect();
  const id = (name: string) => c.escapeIdentifier(name);
  const results: DomainRoleResult[] = [];
  try {
    await c.query('BEGIN');
    // Two runs at once would race on CREATE ROLE.
    await c.query(`SELECT pg_advisory_xact_lock(hashtext('grocery db:roles'))`);
    for (const r of roles) {
      const { rows } = await c.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
        'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1',
        [r.role],
      );
      const existing = rows[0];
      if (existing && (existing.rolsuper || existing.rolbypassrls))
        throw new DomainRolesError(`role "${r.role}" (${r.domain}) is a superuser or bypasses row security; refusing`);
      const verb = existing ? 'ALTER' : 'CREATE';
      await c.query(`${verb} ROLE ${id(r.role)} WITH LOGIN PASSWORD ${c.escapeLiteral(r.password)}`);
      results.push({ domain: r.domain, role: r.role, created: !existing });
    }

    // Nobody reaches this database or its schemas by default: each role is granted what it needs.
    await c.query(`REVOKE ALL ON DATABASE ${id(database)} FROM PUBLIC`);
    await c.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    for (const r of roles) await c.query(`GRANT CONNECT ON DATABASE ${id(database)} TO ${id(r.role)}`);

    for (const domain of domains) {
      const schema = id(domain);
      await c.query(`REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC`);
      await c.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM PUBLIC`);
      await c.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM PUBLIC`);
      await c.query(`REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ${schema} FROM PUBLIC`);
      for (const r of roles) {
        const role = id(r.role);
        if (r.domain === domain) {
          await c.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
          await c.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`);
          await c.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`);
          await c.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${schema} TO ${role}`);
          // Its migration history: readable (the service checks it is current), never writable.
          await c.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${schema}."_prisma_migrations" FROM ${role}`);
          // Tables that later migrations (run by this owner) create: the same grants.
          const future = `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema}`;
          await c.query(`${future} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`);
          await c.query(`${future} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${role}`);
          await c.query(`${future} GRANT EXECUTE ON FUNCTIONS TO ${role}`);
        } else {
          // A role re-used or re-assigned from another domain keeps nothing of it.
          await c.query(`REVOKE ALL ON SCHEMA ${schema} FROM ${role}`);
          await c.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${role}`);
          await c.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM ${role}`);
          await c.query(`REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ${schema} FROM ${role}`);
          const future = `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema}`;
          await c.query(`${future} REVOKE ALL ON TABLES FROM ${role}`);
          await c.query(`${future} REVOKE ALL ON SEQUENCES FROM ${role}`);
          await c.query(`${future} REVOKE ALL ON FUNCTIONS FROM ${role}`);
        }
      }
    }
    await c.query('COMMIT');
    return results;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await c.end();
  }
}
