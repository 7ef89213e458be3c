// Sessions: an access token plus a rotating refresh token. Each log-in starts a refresh-token
// family; refreshing swaps the presented token for a new one; presenting a token a second time
// means it was copied, so the whole family (the thief's and the owner's tokens alike) is revoked.
import { randomUUID } from 'node:crypto';
import { unauthenticated } from '@grocery/platform';
import type { NewRefreshToken, SessionRepository } from '../data/session-repository';
import type { UserRepository } from '../data/user-repository';
import type { AccessTokenIssuer } from './access-token-issuer';
import type { UserRecord } from './account';
import { newRefreshToken, refreshTokenHash } from './refresh-token';

export interface Session {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  user: UserRecord;
}

/** A refresh token about to be stored: the plain token goes to the client, the row to the database. */
export interface PendingRefreshToken {
  token: string;
  row: NewRefreshToken;
}

export const REFRESH_REFUSED = 'Your session has ended; log in again.';

export class SessionService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly users: UserRepository,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly refreshTtlSeconds: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A first refresh token for `userId`, in a new family; the caller stores `row`. */
  newFamily(userId: string): PendingRefreshToken {
    const token = newRefreshToken();
    return {
      token,
      row: {
        id: randomUUID(),
        familyId: randomUUID(),
        userId,
        tokenHash: refreshTokenHash(token),
        expiresAt: this.refreshExpiry(),
      },
    };
  }

  /** Starts a session (a new family) for a user whose credentials were just checked. */
  async start(user: UserRecord): Promise<Session> {
    const pending = this.newFamily(user.id);
    await this.sessions.insert(pending.row);
    return this.complete(user, pending);
  }

  /** Signs the access token for a refresh token that is already stored. */
  async complete(user: UserRecord, refresh: PendingRefreshToken): Promise<Session> {
    const access = await this.accessTokens.issue(user);
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: refresh.token,
      refreshTokenExpiresAt: refresh.row.expiresAt,
      user,
    };
  }

  /**
   * Exchanges a refresh token for a new pair. The new access token carries the roles the user
   * has now, so a role change reaches tokens within one access-token lifetime.
   */
  async refresh(token: string): Promise<Session> {
    const next = newRefreshToken();
    const nextRow = { id: randomUUID(), tokenHash: refreshTokenHash(next), expiresAt: this.refreshExpiry() };
    const result = await this.sessions.rotate(refreshTokenHash(token), nextRow, this.now());
    if (result.outcome !== 'rotated') throw unauthenticated(REFRESH_REFUSED);
    const user = await this.users.findById(result.userId);
    if (!user) throw unauthenticated(REFRESH_REFUSED);
    return this.complete(user, { token: next, row: { ...nextRow, familyId: result.familyId, userId: result.userId } });
  }

  /** Ends the session the token belongs to (its whole family). False when the token is unknown. */
  logOut(token: string): Promise<boolean> {
    return this.sessions.revokeFamilyOf(refreshTokenHash(token), this.now());
  }

  /** Deletes refresh tokens that expired more than a day ago; returns how many. */
  purgeExpired(): Promise<number> {
    return this.sessions.deleteExpired(new Date(this.now().getTime() - 24 * 3600 * 1000));
  }

  private refreshExpiry(): Date {
    return new Date(this.now().getTime() + this.refreshTtlSeconds * 1000);
  }
}
