// The access-token signing keys as this process sees them: the private key that signs now and
// every public key a still-valid token may carry (verifies, and is served as JWKS). Keys live in
// the database so every replica signs with the same key; each replica re-reads them periodically
// and whenever a token names a key it does not know.
//
// Rotation publishes first and signs later: a new key appears in the JWKS at once, but the old
// key keeps signing for `publishDelaySeconds`, long enough for every replica to re-read the keys
// and for remote verifiers' JWKS caches to allow a refetch. A retired key stays verifiable for
// `retiredKeyGraceSeconds` (an access-token lifetime plus skew) after it stopped signing.
import { ACCESS_TOKEN_ALG } from '@grocery/platform';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTVerifyGetKey,
  type KeyLike,
} from 'jose';
import type { NewSigningKey, SigningKeyRepository, StoredSigningKey } from '../data/signing-key-repository';

export interface SigningKeyRingOptions {
  retiredKeyGraceSeconds: number;
  /** How long a rotated-out key keeps signing while its successor is already published. */
  publishDelaySeconds?: number;
  /** Periodic re-read, so every replica learns of rotations. */
  reloadEveryMs?: number;
  /** Fewest milliseconds between re-reads caused by unknown `kid`s (forged tokens cannot flood the database). */
  minReloadGapMs?: number;
  now?: () => Date;
}

/** Re-read interval plus remote verifiers' refetch cool-down (30 s), with room to spare. */
export const DEFAULT_PUBLISH_DELAY_SECONDS = 120;

export interface JsonWebKeySet {
  keys: JWK[];
}

export interface SigningKey {
  kid: string;
  key: KeyLike | Uint8Array;
}

/** A fresh ES256 key pair as JWKs; the kid is the public key's RFC 7638 thumbprint. */
export async function generateSigningKey(): Promise<NewSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG, { extractable: true });
  const publicJwk = publicOnly(await exportJWK(publicKey));
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, alg: ACCESS_TOKEN_ALG, privateJwk: await exportJWK(privateKey), publicJwk: { ...publicJwk, kid } };
}

/** Copies only the public EC members, so a private `d` can never reach the JWKS by mistake. */
export function publicOnly(jwk: JWK): JWK {
  const { kty, crv, x, y } = jwk;
  return { kty, crv, x, y, ...(jwk.kid ? { kid: jwk.kid } : {}) };
}

/** The key that signs at `now`: the oldest one not yet retired (see rotation above). */
export function currentSigner<K extends Pick<StoredSigningKey, 'retiredAt'>>(
  oldestFirst: readonly K[],
  now: Date,
): K | undefined {
  return oldestFirst.find((k) => k.retiredAt === null || k.retiredAt > now) ?? oldestFirst.at(-1);
}

export class SigningKeyRing {
  private keys: StoredSigningKey[] = [];
  private published: JsonWebKeySet = { keys: [] };
  private localSet?: JWTVerifyGetKey;
  private readonly imported = new Map<string, Promise<KeyLike | Uint8Array>>();
  private reloading?: Promise<void>;
  private lastReloadAt = 0;
  private timer?: NodeJS.Timeout;
  private readonly now: () => Date;

  constructor(
    private readonly store: SigningKeyRepository,
    private readonly opts: SigningKeyRingOptions,
  ) {
    this.now = opts.now ?? (() => new Date());
  }

  /**
   * Seals private keys stored in clear or with a previous encryption key, creates the first key
   * if the database has none, and loads the keys. Fails if a key cannot be decrypted.
   */
  async init(): Promise<{ sealed: number; resealed: number }> {
    const sealing = await this.store.sealAtRest();
    await this.store.ensureActive(generateSigningKey);
    await this.reload();
    return sealing;
  }

  /** Re-reads the keys periodically until stop(). */
  startRefreshing(): void {
    this.timer ??= setInterval(() => {
      this.reload().catch(() => undefined);
    }, this.opts.reloadEveryMs ?? 60_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Publishes a new key now; it starts signing after the publish delay. Returns its kid. */
  async rotate(): Promise<string> {
    const delay = (this.opts.publishDelaySeconds ?? DEFAULT_PUBLISH_DELAY_SECONDS) * 1000;
    const key = await this.store.rotate(generateSigningKey, new Date(this.now().getTime() + delay));
    await this.reload();
    return key.kid;
  }

  /** Re-reads the keys; concurrent callers share one read. */
  reload(): Promise<void> {
    this.reloading ??= this.load().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  /** The key new access tokens are signed with, at this moment. */
  async signingKey(): Promise<SigningKey> {
    const signer = currentSigner(this.keys, this.now());
    if (!signer) throw new Error('signing keys are not loaded: call init() first');
    let key = this.imported.get(signer.kid);
    if (!key) {
      key = importJWK(signer.privateJwk, signer.alg);
      this.imported.set(signer.kid, key);
    }
    return { kid: signer.kid, key: await key };
  }

  /** The public keys, as served at /.well-known/jwks.json. */
  jwks(): JsonWebKeySet {
    return this.published;
  }

  /** For jose's jwtVerify: finds the key by `kid`, re-reading the keys once if it is unknown. */
  readonly verificationKeys: JWTVerifyGetKey = async (header, token) => {
    if (!this.localSet) throw new Error('signing keys are not loaded: call init() first');
    try {
      return await this.localSet(header, token);
    } catch (err) {
      const gap = this.opts.minReloadGapMs ?? 10_000;
      if (!(err instanceof errors.JWKSNoMatchingKey) || Date.now() - this.lastReloadAt < gap) throw err;
      await this.reload();
      return this.localSet(header, token);
    }
  };

  private async load(): Promise<void> {
    this.lastReloadAt = Date.now();
    const since = new Date(this.now().getTime() - this.opts.retiredKeyGraceSeconds * 1000);
    let keys = await this.store.verifiable(since);
    if (!keys.some((k) => k.retiredAt === null)) {
      await this.store.ensureActive(generateSigningKey);
      keys = await this.store.verifiable(since);
    }
    this.keys = keys;
    this.published = {
      keys: keys.map((k) => ({ ...publicOnly(k.publicJwk), kid: k.kid, alg: k.alg, use: 'sig' })),
    };
    this.localSet = createLocalJWKSet(this.published);
    for (const kid of this.imported.keys()) if (!keys.some((k) => k.kid === kid)) this.imported.delete(kid);
  }
}
