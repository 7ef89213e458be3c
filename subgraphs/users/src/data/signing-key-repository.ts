// Prisma access for the access-token signing keys. Creating or rotating the active key runs
// under a transaction-scoped advisory lock, so replicas starting together agree on one key.
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

export class SigningKeyRepository {
  constructor(private readonly db: UsersDb) {}

  /**
   * Returns the newest key with no retirement date, creating one with `generate` when there is none.
   * Concurrent callers serialise on the lock; the second finds the first one's key.
   */
  ensureActive(generate: () => Promise<NewSigningKey>): Promise<StoredSigningKey> {
    return this.db.$transaction(async (tx) => {
      await lock(tx);
      const active = await newestActive(tx);
      if (active) return active;
      return insert(tx, await generate());
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
      return insert(tx, await generate());
    });
  }

  /** Keys that may have signed a still-valid token (unretired, or retired after `retiredAfter`), oldest first. */
  async verifiable(retiredAfter: Date): Promise<StoredSigningKey[]> {
    const rows = await this.db.signingKey.findMany({
      where: { OR: [{ retiredAt: null }, { retiredAt: { gt: retiredAfter } }] },
      orderBy: [{ createdAt: 'asc' }, { kid: 'asc' }],
    });
    return rows.map(toStored);
  }
}

async function lock(tx: Prisma.TransactionClient): Promise<void> {
  // $executeRaw: pg_advisory_xact_lock returns void, which the driver adapter cannot read as a row.
  await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', LOCK_KEY);
}

async function insert(tx: Prisma.TransactionClient, key: NewSigningKey): Promise<StoredSigningKey> {
  const row = await tx.signingKey.create({
    data: {
      kid: key.kid,
      alg: key.alg,
      // A JWK is a JSON object by definition; jose's type just lacks the index signature.
      privateJwk: key.privateJwk as unknown as Prisma.InputJsonObject,
      publicJwk: key.publicJwk as unknown as Prisma.InputJsonObject,
    },
  });
  return toStored(row);
}

async function newestActive(tx: Prisma.TransactionClient): Promise<StoredSigningKey | null> {
  const row = await tx.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
  return row ? toStored(row) : null;
}

function toStored(row: {
  kid: string;
  alg: string;
  privateJwk: Prisma.JsonValue;
  publicJwk: Prisma.JsonValue;
  createdAt: Date;
  retiredAt: Date | null;
}): StoredSigningKey {
  return {
    kid: row.kid,
    alg: row.alg,
    privateJwk: asJwk(row.privateJwk, row.kid),
    publicJwk: asJwk(row.publicJwk, row.kid),
    createdAt: row.createdAt,
    retiredAt: row.retiredAt,
  };
}

function asJwk(value: Prisma.JsonValue, kid: string): JWK {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof value.kty !== 'string')
    throw new Error(`signing_key ${kid} holds no JWK`);
  return value as unknown as JWK;
}
