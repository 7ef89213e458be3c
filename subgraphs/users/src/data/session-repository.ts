// Prisma access for refresh tokens. A family is every token descended from one log-in; each
// refresh marks the presented token rotated and adds its successor to the family.
import type { UsersDb } from './db';
import type { Prisma } from './generated/client';

export interface NewRefreshToken {
  id: string;
  familyId: string;
  userId: string;
  tokenHash: string;
  /** Never after familyExpiresAt. */
  expiresAt: Date;
  /** The family's absolute end, fixed at log-in and carried by every successor. */
  familyExpiresAt: Date;
}

export type RotationOutcome =
  /** `stored`: the successor as written (its expiry capped by the family's end). */
  | { outcome: 'rotated'; userId: string; familyId: string; stored: NewRefreshToken }
  /** The token had already been rotated: someone replays it. Its family is now revoked. */
  | { outcome: 'reused'; userId: string; familyId: string }
  /** Unknown, expired or revoked. */
  | { outcome: 'invalid' };

type Tx = Prisma.TransactionClient;

export async function insertRefreshToken(tx: Tx | UsersDb, row: NewRefreshToken): Promise<void> {
  await tx.refreshToken.create({ data: row });
}

export class SessionRepository {
  constructor(private readonly db: UsersDb) {}

  insert(row: NewRefreshToken): Promise<void> {
    return insertRefreshToken(this.db, row);
  }

  /**
   * Exchanges the token with hash `tokenHash` for `next` (same family), atomically. The
   * conditional UPDATE takes the row lock, so of two concurrent refreshes with one token exactly
   * one rotates it; the other sees it rotated and, like any replay, revokes the family.
   */
  rotate(
    tokenHash: string,
    next: Omit<NewRefreshToken, 'familyId' | 'userId' | 'familyExpiresAt'>,
    now: Date,
  ): Promise<RotationOutcome> {
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.refreshToken.updateMany({
        where: { tokenHash, rotatedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { rotatedAt: now },
      });
      const current = await tx.refreshToken.findUnique({
        where: { tokenHash },
        select: { familyId: true, userId: true, rotatedAt: true, revokedAt: true, familyExpiresAt: true },
      });
      if (!current) return { outcome: 'invalid' };
      if (count === 1) {
        const stored: NewRefreshToken = {
          ...next,
          expiresAt: next.expiresAt <= current.familyExpiresAt ? next.expiresAt : current.familyExpiresAt,
          familyId: current.familyId,
          userId: current.userId,
          familyExpiresAt: current.familyExpiresAt,
        };
        await insertRefreshToken(tx, stored);
        return { outcome: 'rotated', userId: current.userId, familyId: current.familyId, stored };
      }
      if (current.rotatedAt && !current.revokedAt) {
        await revokeFamily(tx, current.familyId, now);
        return { outcome: 'reused', userId: current.userId, familyId: current.familyId };
      }
      return { outcome: 'invalid' };
    });
  }

  /** Revokes the family of the token with this hash; false when no such token exists. */
  async revokeFamilyOf(tokenHash: string, now: Date): Promise<boolean> {
    const token = await this.db.refreshToken.findUnique({ where: { tokenHash }, select: { familyId: true } });
    if (!token) return false;
    await revokeFamily(this.db, token.familyId, now);
    return true;
  }

  /** Refresh tokens that expired before `before` can never be used again: forget them. */
  async deleteExpired(before: Date): Promise<number> {
    const { count } = await this.db.refreshToken.deleteMany({ where: { expiresAt: { lt: before } } });
    return count;
  }
}

async function revokeFamily(tx: Tx | UsersDb, familyId: string, now: Date): Promise<void> {
  await tx.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: now } });
}
