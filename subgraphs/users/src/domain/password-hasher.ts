// argon2id password hashing with OWASP's minimum parameters, plus a dummy verification so an
// unknown email costs the same time as a wrong password.
import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';

// `Algorithm` is a const enum in the typings but an empty object at runtime, so code compiled
// file by file (swc in tests) cannot read Argon2id from it: spell the value out.
const ARGON2ID = 2 as Algorithm;

/** OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1. */
export const ARGON2_PARAMS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } satisfies Options;

export class PasswordHasher {
  private dummy?: Promise<string>;

  constructor(private readonly params: Options = ARGON2_PARAMS) {}

  hash(password: string): Promise<string> {
    return hash(password, this.params);
  }

  /** False for a wrong password or an unreadable hash; never throws on bad input. */
  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }

  /**
   * Burns one verification's worth of time and memory for a login with an unknown email.
   * The dummy hash uses the current parameters, so it tracks any future change to them.
   */
  async verifyAgainstDummy(password: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(24).toString('base64url')).catch((err: unknown) => {
      this.dummy = undefined; // try again next time rather than fail every unknown-email log-in
      throw err;
    });
    await this.verify(await this.dummy, password);
    return false;
  }

  /** True when a stored hash was made with other parameters (rehash it at the next log-in). */
  needsRehash(passwordHash: string): boolean {
    try {
      const o = parseOptions(passwordHash);
      return (
        o.algorithm !== this.params.algorithm ||
        o.memoryCost !== this.params.memoryCost ||
        o.timeCost !== this.params.timeCost ||
        o.parallelism !== this.params.parallelism
      );
    } catch {
      return true;
    }
  }
}
