// Throttles on the credential endpoints, so passwords cannot be guessed at the rate argon2 allows
// and accounts cannot be mass-created:
// - failed log-ins per email: counted whether or not the email has an account, before its
//   password is checked (an attempt takes a place, a success gives it back), so the refusal is the
//   same for every email and concurrent guesses cannot all slip in before the count;
// - log-in attempts and sign-ups per client (`user:<id>` or `ip:<address>`, from the gateway).
// Counted in the subgraph's cache store: shared by every replica when it is Redis.
import { createHash } from 'node:crypto';
import { AppError, ErrorCode, type RateLimiter, type RateLimitVerdict } from '@grocery/platform';

export interface SignInLimiters {
  failedLogInsPerEmail: RateLimiter;
  logInsPerClient: RateLimiter;
  signUpsPerClient: RateLimiter;
}

function refused(v: RateLimitVerdict, limit: string, what: string): AppError {
  return new AppError(ErrorCode.RATE_LIMITED, `${what} Try again in ${v.retryAfterSeconds} s.`, {
    limit,
    max: v.limit,
    retryAfterSeconds: v.retryAfterSeconds,
  });
}

// Emails are personal data: the shared store sees only a digest.
const emailKey = (email: string) => createHash('sha256').update(email).digest('base64url');

export class SignInThrottle {
  constructor(private readonly limiters: SignInLimiters) {}

  /**
   * Before a password is checked: throws RATE_LIMITED when the client or the email has used its
   * attempts. Returns what to call with the outcome once it is known.
   */
  async beginLogIn(email: string, clientKey: string | undefined): Promise<(succeeded: boolean) => Promise<void>> {
    if (clientKey) {
      const client = await this.limiters.logInsPerClient.hit(clientKey);
      if (!client.allowed) throw refused(client, 'logInsPerClient', 'Too many log-in attempts from here.');
    }
    const key = emailKey(email);
    const perEmail = await this.limiters.failedLogInsPerEmail.hit(key);
    if (!perEmail.allowed) throw refused(perEmail, 'failedLogInsPerEmail', 'Too many failed log-ins for this email.');
    // A success clears the email's failures: its owner is not held back by earlier typos.
    return async (succeeded) => {
      if (succeeded) await this.limiters.failedLogInsPerEmail.reset(key);
    };
  }

  /** Every sign-up counts, accepted or refused (a taken email tells something too). */
  async beginSignUp(clientKey: string | undefined): Promise<void> {
    if (!clientKey) return;
    const v = await this.limiters.signUpsPerClient.hit(clientKey);
    if (!v.allowed) throw refused(v, 'signUpsPerClient', 'Too many sign-ups from here.');
  }
}
