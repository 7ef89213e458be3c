// Access tokens for gateway tests while the users subgraph is not in the run: an ES256 key
// pair of the test's own, signed the way the users service signs (issuer, audience, sub, roles).
import { generateKeyPair, SignJWT, type JWTVerifyGetKey, type KeyLike } from 'jose';

export interface TestTokens {
  verificationKeys: JWTVerifyGetKey;
  sign(
    claims: { sub: string; roles?: string[] },
    opts?: { expiresIn?: string | number; issuer?: string },
  ): Promise<string>;
  /** Same claims, signed with a key the gateway does not trust. */
  forge(claims: { sub: string; roles?: string[] }): Promise<string>;
}

async function signWith(
  key: KeyLike,
  claims: { sub: string; roles?: string[] },
  expiresIn: string | number,
  issuer: string,
) {
  return new SignJWT({ roles: claims.roles ?? ['customer'] })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject(claims.sub)
    .setIssuer(issuer)
    .setAudience('grocery-api')
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key);
}

export async function testTokens(): Promise<TestTokens> {
  const trusted = await generateKeyPair('ES256');
  const stranger = await generateKeyPair('ES256');
  return {
    verificationKeys: async () => trusted.publicKey,
    sign: (claims, opts = {}) =>
      signWith(trusted.privateKey, claims, opts.expiresIn ?? '15m', opts.issuer ?? 'grocery-supergraph'),
    forge: (claims) => signWith(stranger.privateKey, claims, '15m', 'grocery-supergraph'),
  };
}
