// Refresh tokens are opaque random strings; only their SHA-256 is stored, so a leaked table
// cannot be replayed. 256 bits of entropy makes a fast hash enough (no salt or KDF needed).
import { createHash, randomBytes } from 'node:crypto';

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function refreshTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
