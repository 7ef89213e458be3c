// Signs short-lived access tokens (RFC 9068 style JWTs) with the ring's active key. The gateway
// and every subgraph verify them with the public keys alone.
import { randomUUID } from 'node:crypto';
import { ACCESS_TOKEN_ALG, type Role } from '@grocery/platform';
import { SignJWT } from 'jose';
import type { SigningKeyRing } from './signing-key-ring';

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export interface AccessToken {
  token: string;
  expiresAt: Date;
}

export class AccessTokenIssuer {
  constructor(
    private readonly ring: SigningKeyRing,
    private readonly settings: AccessTokenSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async issue(user: { id: string; roles: Role[] }): Promise<AccessToken> {
    const { kid, key } = await this.ring.signingKey();
    const iat = Math.floor(this.now().getTime() / 1000);
    const exp = iat + this.settings.ttlSeconds;
    const token = await new SignJWT({ roles: user.roles })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid, typ: 'at+jwt' })
      .setSubject(user.id)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(key);
    return { token, expiresAt: new Date(exp * 1000) };
  }
}
