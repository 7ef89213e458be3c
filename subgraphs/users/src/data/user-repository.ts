// Prisma access for accounts. The unique index on email, not a look-up first, decides
// whether an email is taken, so two concurrent sign-ups cannot both succeed.
import { appendToOutbox, conflict, type DomainEvent, type SqlClient } from '@grocery/platform';
import { knownRoles, type ProfileChange, type UserRecord, type UserWithSecret } from '../domain/account';
import type { UsersDb } from './db';
import type { User as UserRow } from './generated/client';
import { insertRefreshToken, type NewRefreshToken } from './session-repository';
import { isUniqueViolation } from './unique-violation';

export interface NewUser {
  id: string;
  email: string;
  passwordHash: string;
  name: string;
  roles: string[];
}

const toRecord = (r: UserRow): UserRecord => ({
  id: r.id,
  email: r.email,
  name: r.name,
  roles: knownRoles(r.roles),
  phone: r.phone,
  locale: r.locale === 'en' || r.locale === 'vi' ? r.locale : null,
  notificationPreferences: { email: r.notifyEmail, sms: r.notifySms },
  createdAt: r.createdAt,
});

const toSecret = (r: UserRow): UserWithSecret => ({ ...toRecord(r), passwordHash: r.passwordHash });

export const EMAIL_TAKEN = 'An account with this email already exists; log in instead.';

export class UserRepository {
  constructor(private readonly db: UsersDb) {}

  async findByEmail(email: string): Promise<UserWithSecret | null> {
    const row = await this.db.user.findUnique({ where: { email } });
    return row ? toSecret(row) : null;
  }

  async findById(id: string): Promise<UserRecord | null> {
    const row = await this.db.user.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  /** One query for the whole batch, in no particular order. */
  async findByIds(ids: readonly string[]): Promise<UserRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.user.findMany({ where: { id: { in: [...ids] } } });
    return rows.map(toRecord);
  }

  /**
   * Creates the user, its first refresh token and its events in one transaction.
   * Throws CONFLICT when the email is taken (nothing is written then).
   */
  async create(
    user: NewUser,
    session: NewRefreshToken | null,
    topic: string,
    eventsFor: (u: UserRecord) => DomainEvent[],
  ): Promise<UserRecord> {
    try {
      return await this.db.$transaction(async (tx) => {
        const record = toRecord(await tx.user.create({ data: user }));
        if (session) await insertRefreshToken(tx, session);
        await appendToOutbox(tx as unknown as SqlClient, topic, eventsFor(record));
        return record;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(EMAIL_TAKEN);
      throw err;
    }
  }

  /** Name, phone and/or language; NOT_FOUND-free: the caller has checked the account exists. */
  async updateProfile(id: string, change: ProfileChange): Promise<UserRecord> {
    return toRecord(await this.db.user.update({ where: { id }, data: change }));
  }

  async setNotificationPreferences(id: string, change: { email?: boolean; sms?: boolean }): Promise<UserRecord> {
    const row = await this.db.user.update({
      where: { id },
      data: {
        ...(change.email !== undefined ? { notifyEmail: change.email } : {}),
        ...(change.sms !== undefined ? { notifySms: change.sms } : {}),
      },
    });
    return toRecord(row);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db.user.update({ where: { id }, data: { passwordHash } });
  }

  /**
   * Changes an account's password hash and/or roles. A new password ends every session of the
   * account (all refresh-token families), in the same transaction.
   */
  async updateAccount(id: string, change: { passwordHash?: string; roles?: string[] }): Promise<UserRecord> {
    return this.db.$transaction(async (tx) => {
      const row = await tx.user.update({ where: { id }, data: change });
      if (change.passwordHash !== undefined)
        await tx.refreshToken.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: new Date() } });
      return toRecord(row);
    });
  }
}
