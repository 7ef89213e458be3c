// Signing keys against real PostgreSQL: one key however many replicas start at once, and
// rotation that publishes before it signs.
import { randomBytes } from 'node:crypto';
import { SecretBox } from '@grocery/platform';
import { createTestDatabase, type TestDatabase } from '@grocery/platform/testing';
import { errors, jwtVerify, SignJWT } from 'jose';
import { rotateSigningKey } from '../cli/rotate-signing-key';
import { createUsersDb, type UsersDb } from '../data/db';
import { SigningKeyRepository } from '../data/signing-key-repository';
import { currentSigner, SigningKeyRing, type SigningKeyRingOptions } from './signing-key-ring';

let database: TestDatabase;
const clients: UsersDb[] = [];
const box = new SecretBox(randomBytes(32));

beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.$disconnect()));
  await database.drop();
});

function replica(opts: Partial<SigningKeyRingOptions> = {}): SigningKeyRing {
  const db = createUsersDb(database.url, 2);
  clients.push(db);
  return new SigningKeyRing(new SigningKeyRepository(db, box), {
    retiredKeyGraceSeconds: 960,
    minReloadGapMs: 0,
    ...opts,
  });
}

async function sign(ring: SigningKeyRing): Promise<string> {
  const { kid, key } = await ring.signingKey();
  return new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid }).setSubject('u').setExpirationTime('1h').sign(key);
}

const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid as string;

describe('signing keys', () => {
  it('creates exactly one key when several replicas start at the same time', async () => {
    const rings = Array.from({ length: 5 }, () => replica());
    await Promise.all(rings.map((r) => r.init()));
    const kids = await Promise.all(rings.map(async (r) => (await r.signingKey()).kid));
    expect(new Set(kids).size).toBe(1);
    expect(await clients[0]!.signingKey.count()).toBe(1);
  });

  it('serves only public members in the JWKS', async () => {
    const ring = replica();
    await ring.init();
    const [jwk] = ring.jwks().keys;
    expect(Object.keys(jwk!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
  });

  it('publishes a rotated key at once, signs with it after the delay, and drops the old one after the grace', async () => {
    let now = new Date();
    const clock = () => now;
    const a = replica({ now: clock, publishDelaySeconds: 120, retiredKeyGraceSeconds: 960 });
    const b = replica({ now: clock, publishDelaySeconds: 120, retiredKeyGraceSeconds: 960 });
    await a.init();
    await b.init();
    const before = await sign(a);

    const next = await a.rotate();
    expect(a.jwks().keys.map((k) => k.kid)).toEqual([kidOf(before), next]);
    expect(kidOf(await sign(a))).toBe(kidOf(before)); // published, not yet signing

    now = new Date(now.getTime() + 121_000);
    const after = await sign(a);
    expect(kidOf(after)).toBe(next);
    // b has not re-read yet: the unknown kid makes it re-read, and both tokens verify.
    await expect(jwtVerify(after, b.verificationKeys)).resolves.toBeDefined();
    await expect(jwtVerify(before, b.verificationKeys)).resolves.toBeDefined();
    expect(kidOf(await sign(b))).toBe(next);

    now = new Date(now.getTime() + 961_000);
    await b.reload();
    expect(b.jwks().keys.map((k) => k.kid)).toEqual([next]);
    await expect(jwtVerify(before, b.verificationKeys)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
  });

  it('rotates from the CLI with no service running; a running replica picks the key up', async () => {
    const ring = replica();
    await ring.init();
    const { kid } = await rotateSigningKey({ databaseUrl: database.url, box, publishDelaySeconds: 0 });
    await ring.reload();
    expect((await ring.signingKey()).kid).toBe(kid);
    expect(ring.jwks().keys).toHaveLength(2);
  });
});

describe('currentSigner', () => {
  const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
  it('is the oldest key not yet retired', () => {
    const keys = [
      { kid: 'a', retiredAt: t(10) },
      { kid: 'b', retiredAt: t(20) },
      { kid: 'c', retiredAt: null },
    ];
    expect(currentSigner(keys, t(5))!.kid).toBe('a');
    expect(currentSigner(keys, t(15))!.kid).toBe('b');
    expect(currentSigner(keys, t(25))!.kid).toBe('c');
  });
});
