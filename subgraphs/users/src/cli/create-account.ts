// Creates a staff or admin account (or resets its password and roles) straight in the users
// database, with no service running:
//   ACCOUNT_PASSWORD=… DATABASE_URL=… node subgraphs/users/dist/cli/create-account.js --email a@b.vn --role admin
// Without ACCOUNT_PASSWORD the password is read from stdin (piped, or typed without echo).
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { AppError, migrateDomain, ROLES } from '@grocery/platform';
import { createUsersDb } from '../data/db';
import { UserRepository } from '../data/user-repository';
import { AccountProvisioning, type EnsuredAccount } from '../domain/account-provisioning';
import { PasswordHasher } from '../domain/password-hasher';
import { readPassword } from './read-password';

export interface CreateAccountOptions {
  databaseUrl: string;
  email: string;
  password: string;
  name?: string;
  roles: readonly string[];
  /** Apply the users migrations first (idempotent), so a fresh database works too. Default true. */
  migrate?: boolean;
}

export async function createAccount(opts: CreateAccountOptions): Promise<EnsuredAccount> {
  if (opts.migrate ?? true) await migrateDomain('users', opts.databaseUrl);
  const db = createUsersDb(opts.databaseUrl, 2);
  try {
    const provisioning = new AccountProvisioning(new UserRepository(db), new PasswordHasher());
    return await provisioning.ensureAccount({
      email: opts.email,
      password: opts.password,
      // The name is for people reading lists of staff; the mailbox name is a fair default.
      name: opts.name ?? opts.email.trim().split('@')[0] ?? opts.email,
      roles: opts.roles,
    });
  } finally {
    await db.$disconnect();
  }
}

export const USAGE = `Usage: create-account --email <email> --role <${ROLES.join('|')}>[,<role>…] [--name <name>]
Reads the password from ACCOUNT_PASSWORD, else from stdin. Needs DATABASE_URL.
Run again with the same email to change the password or roles (a new password ends all sessions).`;

export class UsageError extends Error {}

/** `--role` may repeat or hold a comma-separated list. */
export function parseCliArgs(argv: string[]): { email: string; roles: string[]; name?: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        email: { type: 'string' },
        role: { type: 'string', multiple: true },
        name: { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (!values.email) throw new UsageError('--email is required');
  const roles = (values.role ?? [])
    .flatMap((r) => r.split(','))
    .map((r) => r.trim())
    .filter(Boolean);
  if (roles.length === 0) throw new UsageError('--role is required');
  return { email: values.email, roles, ...(values.name ? { name: values.name } : {}) };
}

async function main(): Promise<number> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new UsageError('DATABASE_URL is not set');
  const args = parseCliArgs(process.argv.slice(2));
  const password = await readPassword();
  const { user, created, updated } = await createAccount({ databaseUrl, password, ...args });
  const what = created ? 'Created' : updated ? 'Updated' : 'Unchanged:';
  console.log(`${what} account ${user.email} (id ${user.id}, roles ${user.roles.join(', ')})`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof UsageError) console.error(`${err.message}\n\n${USAGE}`);
      // Coded errors (a bad email, a short password) carry a message meant for people.
      else if (err instanceof AppError) console.error(err.message);
      else console.error(err);
      process.exit(err instanceof UsageError || err instanceof AppError ? 2 : 1);
    },
  );
}
