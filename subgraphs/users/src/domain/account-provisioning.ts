// Provisioning staff and admin accounts (the create-account CLI, SEED_ADMIN_*, the embedded dev
// admin). Needs no signing keys, bus or cache, so it runs with nothing else started.
import { randomUUID } from 'node:crypto';
import { AppError, ErrorCode } from '@grocery/platform';
import type { UserRepository } from '../data/user-repository';
import { USERS_TOPIC } from '../events/user-events';
import { validEmail, validName, validPassword, validRoles, withoutSecret, type UserRecord } from './account';
import type { PasswordHasher } from './password-hasher';

export interface AccountSpec {
  email: string;
  password: string;
  name: string;
  roles: readonly string[];
}

export interface EnsuredAccount {
  user: UserRecord;
  created: boolean;
  /** Whether the password or roles of an existing account were changed. */
  updated: boolean;
}

export class AccountProvisioning {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  /**
   * Creates the account, or brings an existing one's password and roles in line with `spec`
   * (its name is kept). Idempotent: run again with the same spec it changes nothing, so a
   * service that provisions its admin on every start does not end that admin's sessions.
   * A changed password ends every session of the account.
   */
  async ensureAccount(spec: AccountSpec): Promise<EnsuredAccount> {
    const email = validEmail(spec.email);
    const password = validPassword(spec.password);
    const name = validName(spec.name);
    const roles = validRoles(spec.roles);
    for (let attempt = 0; ; attempt++) {
      const existing = await this.users.findByEmail(email);
      if (!existing) {
        try {
          const passwordHash = await this.hasher.hash(password);
          const user = await this.users.create(
            { id: randomUUID(), email, passwordHash, name, roles },
            null,
            USERS_TOPIC,
            () => [],
          );
          return { user, created: true, updated: false };
        } catch (err) {
          // Another replica provisioned the same account a moment ago: update that one instead.
          if (attempt === 0 && err instanceof AppError && err.extensions.code === ErrorCode.CONFLICT) continue;
          throw err;
        }
      }
      const samePassword = await this.hasher.verify(existing.passwordHash, password);
      const sameRoles = existing.roles.length === roles.length && roles.every((r) => existing.roles.includes(r));
      if (samePassword && !sameRoles) {
        const user = await this.users.updateAccount(existing.id, { roles });
        return { user, created: false, updated: true };
      }
      if (!samePassword) {
        const passwordHash = await this.hasher.hash(password);
        const user = await this.users.updateAccount(existing.id, { passwordHash, ...(sameRoles ? {} : { roles }) });
        return { user, created: false, updated: true };
      }
      return { user: withoutSecret(existing), created: false, updated: false };
    }
  }
}
