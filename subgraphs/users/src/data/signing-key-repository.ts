// Prisma access for the access-token signing keys. Creating or rotating the active key runs
// under a transaction-scoped advisory lock, so replicas starting together agree on one key.
// Private keys are stored sealed (AES-256-GCM, platform SecretBox), bound to their row's kid:
// a reader of the table gets nothing that signs, and a writer cannot plant a key of their own.
import { isSealedSecret, SecretBoxError, type SecretBox } from '@grocery/platform';
import type { JWK } from 'jose';
import type { UsersDb } from './db';
import type { Prisma } from './generated/client';

export interface StoredSigningKey {
  kid: string;
  alg: string;
  privateJwk: JWK;
  publicJwk: JWK;
  createdAt: Date;
  retiredAt: Date | null;
}

export type NewSigningKey = Pick<StoredSigningKey, 'kid' | 'alg' | 'privateJwk' | 'publicJwk'>;

/** Any constant works; it only has to be the same for every replica. */
const LOCK_KEY = 'users.signing_key';

/** A private key cannot be opened: the wrong SIGNING_KEY_ENCRYPTION_KEY, or an altered row. */
export class SigningKeyEncryptionError extends Error {}

type SigningKeyRow = {
  kid: string;
  alg: string;
  privateJwk: Prisma.JsonValue;
  publicJwk: Prisma.JsonValue;
  createdAt: Date;
  retiredAt: Date | null;
};

export class SigningKeyRepository {
  constructor(
    private readonly db: UsersDb,
    private readonly box: SecretBox,
  ) {}

  /**
   * Returns the newest key with no retirement date, creating one with `generate` when there is none.
   * Concurrent callers serialise on the lock; the second finds the first one's key.
   */
  ensureActive(generate: () => Promise<NewSigningKey>): Promise<StoredSigningKey> {
    return this.db.$transaction(async (tx) => {
      await lock(tx);
      const active = await tx.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
      if (active) return this.toStored(active);
      return this.insert(tx, await generate());
    });
  }

  /**
   * Adds a new key and schedules every current key to retire at `retireAt`. Until then the
   * older key keeps signing while the new one is already published, so verifiers that cache
   * the JWKS know it before the first token signed with it arrives.
   */
  rotate(generate: () => Promise<NewSigningKey>, retireAt: Date): Promise<StoredSigningKey> {
    return this.db.$transaction(async (tx) => {
      await lock(tx);
      await tx.signingKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: retireAt } });
      return this.insert(tx, await generate());
    });
  }

  /** Keys that may have signed a still-valid token (unretired, or retired after `retiredAfter`), oldest first. */
  async verifiable(retiredAfter: Date): Promise<StoredSigningKey[]> {
    const rows = await this.db.signingKey.findMany({
      where: { OR: [{ retiredAt: null }, { retiredAt: { gt: retiredAfter } }] },
      orderBy: [{ createdAt: 'asc' }, { kid: 'asc' }],
    });
    return rows.map((r) => this.toStored(r));
  }

  /**
   * Seals every private key still stored in clear (rows from before encryption at rest) and
   * re-seals those sealed with a previous SIGNING_KEY_ENCRYPTION_KEY. Run at start, before reading.
   */
  sealAtRest(): Promise<{ sealed: number; resealed: number }> {
    return this.db.$transaction(async (tx) => {
      await lock(tx);
      const rows = await tx.signingKey.findMany({ select: { kid: true, privateJwk: true } });
      let sealed = 0;
      let resealed = 0;
      for (const { kid, privateJwk: stored } of rows) {
        let jwk: JWK;
        if (!isSealedSecret(stored)) {
          jwk = asJwk(stored, kid);
          sealed++;
        } else if (this.box.isStale(stored)) {
          jwk = this.open(kid, stored);
          resealed++;
        } else continue;
        await tx.signingKey.update({ where: { kid }, data: { privateJwk: this.seal(kid, jwk) } });
      }
      return { sealed, resealed };
    });
  }

  private async insert(tx: Prisma.TransactionClient, key: NewSigningKey): Promise<StoredSigningKey> {
    const row = await tx.signingKey.create({
      data: {
        kid: key.kid,
        alg: key.alg,
        privateJwk: this.seal(key.kid, key.privateJwk),
        // A JWK is a JSON object by definition; jose's type just lacks the index signature.
        publicJwk: key.publicJwk as unknown as Prisma.InputJsonObject,
      },
    });
    return this.toStored(row);
  }

  private seal(kid: string, jwk: JWK): Prisma.InputJsonObject {
    return this.box.seal(JSON.stringify(jwk), sealContext(kid)) as unknown as Prisma.InputJsonObject;
  }

  private open(kid: string, stored: Prisma.JsonValue): JWK {
    if (!isSealedSecret(stored))
      throw new SigningKeyEncryptionError(
        `users.signing_key ${kid} holds its private key in clear; a users service seals it when it starts`,
      );
    try {
      return asJwk(JSON.parse(this.box.open(stored, sealContext(kid))) as Prisma.JsonValue, kid);
    } catch (err) {
      if (!(err instanceof SecretBoxError)) throw err;
      throw new SigningKeyEncryptionError(
        `cannot decrypt the private key of users.signing_key ${kid} (${err.message}): set ` +
          'SIGNING_KEY_ENCRYPTION_KEY to the key the signing keys were encrypted with (while rotating, ' +
          'the new key there and the old one in SIGNING_KEY_ENCRYPTION_KEY_PREVIOUS)',
      );
    }
  }

  private toStored(row: SigningKeyRow): StoredSigningKey {
    return {
      kid: row.kid,
      alg: row.alg,
      privateJwk: this.open(row.kid, row.privateJwk),
      publicJwk: asJwk(row.publicJwk, row.kid),
      createdAt: row.createdAt,
      retiredAt: row.retiredAt,
    };
  }
}

/** What a sealed private key is bound to: it opens only in its own row. */
const sealContext = (kid: string) => `users.signing_key:${kid}`;

async function lock(tx: Prisma.TransactionClient): Promise<void> {
  // $executeRaw: pg_advisory_xact_lock returns void, which the driver adapter cannot read as a row.
  await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', LOCK_KEY);
}

function asJwk(value: Prisma.JsonValue, kid: string): JWK {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof value.kty !== 'string')
    throw new Error(`signing_key ${kid} holds no JWK`);
  return value as unknown as JWK;
}
