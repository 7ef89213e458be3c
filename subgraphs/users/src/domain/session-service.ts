// Sessions: an access token plus a rotating refresh token. Each log-in starts a refresh-token
// family; refreshing swaps the presented token for a new one; presenting a token a second time
// means it was copied, so the whole family (the thief's and the owner's tokens alike) is revoked.
// A family also has an absolute end (SESSION_MAX_LIFETIME_SECONDS from its log-in): refreshing
// never carries a session past it, so a stolen-and-kept-alive session cannot last forever.
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

export interface SessionLifetimes {
  /** How long one refresh token stays usable (it is replaced on every refresh). */
  refreshTtlSeconds: number;
  /** How long a session (a family) may be kept alive by refreshing, from its log-in. */
  maxLifetimeSeconds: number;
}

export class SessionService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly users: UserRepository,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly lifetimes: SessionLifetimes,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A first refresh token for `userId`, in a new family; the caller stores `row`. */
  newFamily(userId: string): PendingRefreshToken {
    const token = newRefreshToken();
    const familyExpiresAt = this.after(this.lifetimes.maxLifetimeSeconds);
    return {
      token,
      row: {
        id: randomUUID(),
        familyId: randomUUID(),
        userId,
        tokenHash: refreshTokenHash(token),
        expiresAt: earliest(this.after(this.lifetimes.refreshTtlSeconds), familyExpiresAt),
        familyExpiresAt,
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
    const nextRow = {
      id: randomUUID(),
      tokenHash: refreshTokenHash(next),
      expiresAt: this.after(this.lifetimes.refreshTtlSeconds),
    };
    const result = await this.sessions.rotate(refreshTokenHash(token), nextRow, this.now());
    if (result.outcome !== 'rotated') throw unauthenticated(REFRESH_REFUSED);
    const user = await this.users.findById(result.userId);
    if (!user) throw unauthenticated(REFRESH_REFUSED);
    return this.complete(user, { token: next, row: result.stored });
  }

  /** Ends the session the token belongs to (its whole family). False when the token is unknown. */
  logOut(token: string): Promise<boolean> {
    return this.sessions.revokeFamilyOf(refreshTokenHash(token), this.now());
  }

  /** Deletes refresh tokens that expired more than a day ago; returns how many. */
  purgeExpired(): Promise<number> {
    return this.sessions.deleteExpired(new Date(this.now().getTime() - 24 * 3600 * 1000));
  }

  private after(seconds: number): Date {
    return new Date(this.now().getTime() + seconds * 1000);
  }
}

const earliest = (a: Date, b: Date): Date => (a <= b ? a : b);
