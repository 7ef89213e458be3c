// Access tokens as the gateway sees them: only tokens signed by the users service's current
// keys, for this issuer and audience, unexpired, get through; the JWKS serves public keys only.
import { randomBytes } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
} from 'jose';
import { startTestPlatform, type GraphQLResult, type TestPlatform } from '@grocery/gateway/testing';
import { createUsersDb, type UsersDb } from '../data/db';
import { signingKeyEncryption } from '../data/signing-key-encryption';
import { SigningKeyRepository } from '../data/signing-key-repository';

let p: TestPlatform;
let db: UsersDb;
let session: { accessToken: string; refreshToken: string; userId: string };

const ME = `query { me { id email roles } }`;
const codeOf = (r: GraphQLResult) => r.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  p = await startTestPlatform();
  db = createUsersDb(p.database.url, 2);
  const email = `token-${randomBytes(4).toString('hex')}@test.grocery.vn`;
  const r = await p.gql(
    `mutation ($e: String!) { signUp(input: { email: $e, password: "chả giò rế 2026", name: "An" }) { accessToken refreshToken user { id } } }`,
    { e: email },
  );
  session = { ...r.data!.signUp, userId: r.data!.signUp.user.id };
});
afterAll(async () => {
  await db?.$disconnect();
  await p?.stop();
});

/** Where this deployment serves its keys: the users service in distributed mode, the gateway when embedded. */
const jwksUrl = () => p.config.JWKS_URL ?? `${p.baseUrl}/.well-known/jwks.json`;

/**
 * The real signing key, read from the database and decrypted with the service's encryption key:
 * lets a test sign tokens the service would not issue.
 */
async function realKey() {
  const keys = new SigningKeyRepository(db, signingKeyEncryption(p.config).box);
  const active = (await keys.verifiable(new Date())).find((k) => k.retiredAt === null)!;
  return { kid: active.kid, key: await importJWK(active.privateJwk, 'ES256'), privateJwk: active.privateJwk };
}

function claims(overrides: { iss?: string; aud?: string; exp?: number; iat?: number } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: ['customer'] })
    .setSubject(session.userId)
    .setIssuer(overrides.iss ?? p.config.JWT_ISSUER)
    .setAudience(overrides.aud ?? p.config.JWT_AUDIENCE)
    .setIssuedAt(overrides.iat ?? now)
    .setExpirationTime(overrides.exp ?? now + 600)
    .setJti(randomBytes(8).toString('hex'));
}

async function expectRefused(token: string) {
  const r = await p.gql(ME, {}, { token });
  expect(codeOf(r)).toBe('UNAUTHENTICATED');
  expect(r.status).toBe(401);
  expect(r.data ?? null).toBeNull();
}

describe('access tokens at the gateway', () => {
  it('accepts the token it issued, and a token the test signs with the real key (the control)', async () => {
    expect((await p.gql(ME, {}, { token: session.accessToken })).data!.me.id).toBe(session.userId);
    const { kid, key } = await realKey();
    const token = await claims().setProtectedHeader({ alg: 'ES256', kid }).sign(key);
    expect((await p.gql(ME, {}, { token })).data!.me.id).toBe(session.userId);
  });

  it('refuses an expired token signed with the real key', async () => {
    const { kid, key } = await realKey();
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(
      await claims({ iat: now - 1000, exp: now - 60 })
        .setProtectedHeader({ alg: 'ES256', kid })
        .sign(key),
    );
  });

  it('refuses a token for another audience or issuer, though signed with the real key', async () => {
    const { kid, key } = await realKey();
    await expectRefused(await claims({ aud: 'someone-else' }).setProtectedHeader({ alg: 'ES256', kid }).sign(key));
    await expectRefused(await claims({ iss: 'evil' }).setProtectedHeader({ alg: 'ES256', kid }).sign(key));
  });

  it('refuses a token signed by another key, whether it names the real kid or its own', async () => {
    const { kid } = await realKey();
    const { privateKey } = await generateKeyPair('ES256');
    await expectRefused(await claims().setProtectedHeader({ alg: 'ES256', kid }).sign(privateKey));
    await expectRefused(await claims().setProtectedHeader({ alg: 'ES256', kid: 'attacker' }).sign(privateKey));
  });

  it('refuses an unsigned token (alg none)', async () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const { kid } = decodeProtectedHeader(session.accessToken);
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      sub: session.userId,
      roles: ['admin'],
      iss: p.config.JWT_ISSUER,
      aud: p.config.JWT_AUDIENCE,
      iat: now,
      exp: now + 600,
    };
    await expectRefused(`${enc({ alg: 'none', typ: 'JWT' })}.${enc(payload)}.`);
    await expectRefused(`${enc({ alg: 'none', kid })}.${enc(payload)}.`);
  });

  it('refuses an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const jwks = (await (await fetch(jwksUrl())).json()) as { keys: JWK[] };
    const secret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
    await expectRefused(await claims().setProtectedHeader({ alg: 'HS256', kid: jwks.keys[0]!.kid }).sign(secret));
  });

  it('refuses a real token whose claims were edited (roles raised to admin)', async () => {
    const [h, body, sig] = session.accessToken.split('.');
    const edited = { ...JSON.parse(Buffer.from(body!, 'base64url').toString()), roles: ['admin'] };
    await expectRefused(`${h}.${Buffer.from(JSON.stringify(edited)).toString('base64url')}.${sig}`);
  });

  it('refuses a malformed Authorization header', async () => {
    const r = await p.gql(ME, {}, { headers: { authorization: `Token ${session.accessToken}` } });
    expect(codeOf(r)).toBe('UNAUTHENTICATED');
  });
});

describe('JWKS', () => {
  it('serves public keys only (no private "d"), and they verify the issued tokens', async () => {
    const res = await fetch(jwksUrl());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const text = await res.text();
    const jwks = JSON.parse(text) as { keys: JWK[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const k of jwks.keys) {
      expect(Object.keys(k).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      expect(k).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    }
    expect(text).not.toMatch(/"d"\s*:/);
    expect(jwks.keys.map((k) => k.kid)).toContain(decodeProtectedHeader(session.accessToken).kid);
    const { payload } = await jwtVerify(session.accessToken, createRemoteJWKSet(new URL(jwksUrl())), {
      issuer: p.config.JWT_ISSUER,
      audience: p.config.JWT_AUDIENCE,
    });
    expect(payload.sub).toBe(session.userId);
  });

  it('keeps the private key only in the database, and the exported private JWK differs from the public one', async () => {
    const row = await db.signingKey.findFirstOrThrow({ where: { retiredAt: null } });
    const { privateJwk } = await realKey();
    expect(privateJwk.d).toEqual(expect.any(String));
    expect((row.publicJwk as { d?: string }).d).toBeUndefined();
    const fromPublic = await exportJWK(await importJWK(row.publicJwk as unknown as JWK, 'ES256'));
    expect(fromPublic.d).toBeUndefined();
  });
});
