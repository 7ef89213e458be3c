// Secrets at rest: AES-256-GCM with a key from config, so a database dump (or a role that can
// read the row) yields nothing usable, and a row cannot be forged or moved without the key.
// A sealed value names the key that sealed it, so a key can be rotated: the previous key still
// opens what it sealed, and the owner re-seals those values with the current key.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface SealedSecret {
  v: 1;
  alg: 'A256GCM';
  /** Which key sealed it (a fingerprint, not the key). */
  key: string;
  iv: string;
  tag: string;
  ct: string;
}

export class SecretBoxError extends Error {}

/** A fingerprint that names a key in sealed values and messages without revealing it. */
export function encryptionKeyId(key: Buffer): string {
  return createHash('sha256').update('grocery secret-box key id\0').update(key).digest('hex').slice(0, 16);
}

/** Decodes a base64 AES-256 key; `name` says which setting was wrong. */
export function parseEncryptionKey(base64: string, name: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new SecretBoxError(`${name} must be base64 of exactly 32 bytes`);
  return key;
}

export function isSealedSecret(value: unknown): value is SealedSecret {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return v.v === 1 && v.alg === 'A256GCM' && ['key', 'iv', 'tag', 'ct'].every((k) => typeof v[k] === 'string');
}

export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  /** `current` seals; `current` and `previous` open. */
  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    for (const k of [current, ...previous]) if (k.length !== 32) throw new SecretBoxError('an AES-256 key is 32 bytes');
    this.currentKeyId = encryptionKeyId(current);
    this.keys.set(this.currentKeyId, current);
    for (const k of previous) this.keys.set(encryptionKeyId(k), k);
  }

  /** `context` (e.g. the row's key) is authenticated too: the value opens only in the same context. */
  seal(plaintext: string, context: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      v: 1,
      alg: 'A256GCM',
      key: this.currentKeyId,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ct: ct.toString('base64'),
    };
  }

  /** Throws SecretBoxError when no configured key sealed it, or it was altered or moved. */
  open(sealed: SealedSecret, context: string): string {
    const key = this.keys.get(sealed.key);
    if (!key)
      throw new SecretBoxError(`sealed with key ${sealed.key}, which is not configured (configured: ${this.keyIds()})`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(`sealed with key ${sealed.key}, but it does not open: altered, or moved from elsewhere`);
    }
  }

  /** True when it was sealed with a key other than the current one (re-seal it). */
  isStale(sealed: SealedSecret): boolean {
    return sealed.key !== this.currentKeyId;
  }

  private keyIds(): string {
    return [...this.keys.keys()].join(', ');
  }
}
