// Customer-facing account rules: sign-up and log-in. Every write commits with its events; the
// relay is woken after commit.
import { randomUUID } from 'node:crypto';
import { requireIdentity, unauthenticated, type Identity, type Locale } from '@grocery/platform';
import type { UserRepository } from '../data/user-repository';
import { userSignedUp, USERS_TOPIC } from '../events/user-events';
import {
  isUserId,
  validateLogIn,
  validateProfileChange,
  validateSignUp,
  type LogInInput,
  type SignUpInput,
  withoutSecret,
  type UserRecord,
} from './account';
import type { PasswordHasher } from './password-hasher';
import type { Session, SessionService } from './session-service';
import type { SignInThrottle } from './sign-in-throttle';

/** One message for an unknown email and a wrong password: the reply must not reveal which. */
export const BAD_CREDENTIALS = 'Email or password is incorrect.';

export class AccountService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly afterCommit: () => void,
    /** Absent where a test drives the service alone. */
    private readonly throttle?: SignInThrottle,
  ) {}

  /**
   * Creates a customer account and signs it in; CONFLICT when the email is taken, RATE_LIMITED
   * when `clientKey` signed up too often.
   */
  async signUp(input: SignUpInput, locale: Locale, clientKey?: string): Promise<Session> {
    const { email, password, name } = validateSignUp(input);
    await this.throttle?.beginSignUp(clientKey);
    const id = randomUUID();
    const refresh = this.sessions.newFamily(id);
    const passwordHash = await this.hasher.hash(password);
    const user = await this.users.create(
      { id, email, passwordHash, name, roles: ['customer'] },
      refresh.row,
      USERS_TOPIC,
      (u) => [userSignedUp(u, locale)],
    );
    this.afterCommit();
    return this.sessions.complete(user, refresh);
  }

  /**
   * Checks the credentials and starts a session. An unknown email still costs one argon2
   * verification, so response time does not tell which emails have accounts; and it is
   * throttled like a known one (RATE_LIMITED after too many failures, or too many attempts from
   * `clientKey`), before anything is looked up.
   */
  async logIn(input: LogInInput, clientKey?: string): Promise<Session> {
    const { email, password } = validateLogIn(input);
    const outcome = await this.throttle?.beginLogIn(email, clientKey);
    const found = await this.users.findByEmail(email);
    const valid = found
      ? await this.hasher.verify(found.passwordHash, password)
      : await this.hasher.verifyAgainstDummy(password);
    await outcome?.(!!found && valid);
    if (!found || !valid) throw unauthenticated(BAD_CREDENTIALS);
    if (this.hasher.needsRehash(found.passwordHash))
      await this.users.setPasswordHash(found.id, await this.hasher.hash(password));
    return this.sessions.start(withoutSecret(found));
  }

  /** The signed-in caller's own account. */
  async me(identity: Identity | undefined): Promise<UserRecord> {
    const who = requireIdentity(identity);
    const user = isUserId(who.userId) ? await this.users.findById(who.userId) : null;
    if (!user) throw unauthenticated('This account no longer exists; log in again.');
    return user;
  }

  /** The caller changes their own name, phone and/or language. */
  async updateProfile(
    identity: Identity | undefined,
    input: { name?: string | null; phone?: string | null; locale?: string | null },
  ): Promise<UserRecord> {
    const me = await this.me(identity);
    return this.users.updateProfile(me.id, validateProfileChange(input));
  }

  /** The caller opts in or out of order notifications per channel; an absent channel keeps its setting. */
  async setNotificationPreferences(
    identity: Identity | undefined,
    change: { email?: boolean | null; sms?: boolean | null },
  ): Promise<UserRecord> {
    const me = await this.me(identity);
    return this.users.setNotificationPreferences(me.id, {
      email: change.email ?? undefined,
      sms: change.sms ?? undefined,
    });
  }

  /** Users for the given ids, aligned with the input (null when unknown); one query. */
  async usersByIds(ids: readonly string[]): Promise<(UserRecord | null)[]> {
    const rows = await this.users.findByIds(ids.filter(isUserId));
    const byId = new Map(rows.map((u) => [u.id, u]));
    return ids.map((id) => byId.get(id) ?? null);
  }
}
