// Verifies access tokens (asymmetric JWTs) against a JWKS: the users service's keys,
// local in embedded mode, fetched and cached from JWKS_URL in distributed mode.
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { unauthenticated } from '../errors';
import { ROLES, type Identity, type Role } from './identity';

export const ACCESS_TOKEN_ALG = 'ES256';

export interface TokenVerifier {
  /** Resolves the identity, or throws an UNAUTHENTICATED error for a bad or expired token. */
  verify(token: string): Promise<Identity>;
}

export function createTokenVerifier(opts: { keys: JWTVerifyGetKey; issuer: string; audience: string }): TokenVerifier {
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, opts.keys, {
          issuer: opts.issuer,
          audience: opts.audience,
          algorithms: [ACCESS_TOKEN_ALG],
        });
        const roles = Array.isArray(payload.roles)
          ? payload.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r as string))
          : [];
        if (!payload.sub) throw unauthenticated('Access token has no subject.');
        return { userId: payload.sub, roles };
      } catch (err) {
        if (err instanceof errors.JWTExpired) throw unauthenticated('Access token expired; refresh the session.');
        if (err instanceof errors.JOSEError) throw unauthenticated('Access token is not valid.');
        throw err;
      }
    },
  };
}

export function remoteKeys(jwksUrl: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
}

/** Extracts the bearer token from an Authorization header value; undefined when absent. */
export function bearerToken(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!m) throw unauthenticated('Authorization header must be "Bearer <token>".');
  return m[1];
}
