// The token-signing private keys are encrypted at rest: what the database holds signs nothing
// without SIGNING_KEY_ENCRYPTION_KEY; the wrong key stops the users service at start with a
// message saying what to set; keys written in clear before this are encrypted on start; the
// encryption key rotates; and tokens keep verifying across restarts.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createCacheFactory,
  createLogger,
  InProcessBus,
  loadConfig,
  SecretBox,
  type Config,
  type SubgraphDeps,
} from '@grocery/platform';
import { createTestDatabase, type TestDatabase } from '@grocery/platform/testing';
import { decodeProtectedHeader, importJWK, jwtVerify, SignJWT } from 'jose';
import { startTestPlatform, type TestPlatform } from '@grocery/gateway/testing';
import { rotateSigningKey } from '../cli/rotate-signing-key';
import { createUsersDb, type UsersDb } from '../data/db';
import { DEV_ENCRYPTION_KEY_FILE, signingKeyEncryption } from '../data/signing-key-encryption';
import { SigningKeyRepository } from '../data/signing-key-repository';
import { generateSigningKey } from '../domain/signing-key-ring';
import { createUsersSubgraph, type UsersSubgraph } from '../index';

const newKey = () => randomBytes(32).toString('base64');

/** Every row's stored private key, as PostgreSQL holds it. */
async function storedRows(db: UsersDb) {
  const rows = await db.$queryRawUnsafe<{ kid: string; private_jwk: unknown; text: string }[]>(
    'SELECT kid, private_jwk, private_jwk::text AS text FROM users.signing_key ORDER BY created_at',
  );
  return rows;
}

describe('through the gateway', () => {
  let p: TestPlatform;
  let db: UsersDb;
  beforeAll(async () => {
    p = await startTestPlatform();
    db = createUsersDb(p.database.url, 2);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await p?.stop();
  });

  it('stores no private JWK member in clear, though the key behind the row signs the tokens', async () => {
    const { accessToken } = await p.signIn(['customer']);
    await rotateSigningKey({ databaseUrl: p.database.url, box: signingKeyEncryption(p.config).box });
    const rows = await storedRows(db);
    expect(rows).toHaveLength(2);
    // The control: decrypted with the service's key, the row is the private key that signed the token.
    const keys = await new SigningKeyRepository(db, signingKeyEncryption(p.config).box).verifiable(new Date());
    const signer = keys.find((k) => k.kid === decodeProtectedHeader(accessToken).kid)!;
    expect(signer.privateJwk.d).toEqual(expect.any(String));
    for (const row of rows) {
      const secret = keys.find((k) => k.kid === row.kid)!.privateJwk.d!;
      expect(row.private_jwk).not.toHaveProperty('d');
      expect(row.private_jwk).toMatchObject({ v: 1, alg: 'A256GCM' });
      expect(row.text).not.toContain(secret);
    }
  });

  it('verifies tokens issued before a restart of the users service (a new instance reads the keys)', async () => {
    const { accessToken } = await p.signIn(['customer']);
    const restarted = (await p.createReplica('users')) as UsersSubgraph;
    const { payload } = await jwtVerify(accessToken, restarted.verificationKeys, {
      issuer: p.config.JWT_ISSUER,
      audience: p.config.JWT_AUDIENCE,
    });
    expect(payload.sub).toEqual(expect.any(String));
    expect((await p.gql('{ me { id } }', {}, { token: accessToken })).data!.me.id).toBe(payload.sub);
  });
});

describe('the users service at start', () => {
  let database: TestDatabase;
  let db: UsersDb;
  const started: UsersSubgraph[] = [];
  const logger = createLogger('silent', 'test');

  beforeEach(async () => {
    database = await createTestDatabase();
    db = createUsersDb(database.url, 2);
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((m) => m.stop()));
    await db.$disconnect();
    await database.drop();
  });

  function config(env: Record<string, string>): Config {
    return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url, ...env });
  }

  async function start(env: Record<string, string>): Promise<UsersSubgraph> {
    const c = config(env);
    const deps: SubgraphDeps = {
      config: c,
      logger,
      databaseUrl: database.url,
      bus: new InProcessBus({ logger }),
      caches: createCacheFactory(c, logger),
      peers: { module: () => undefined, url: () => undefined },
    };
    const users = await createUsersSubgraph(deps);
    started.push(users);
    return users;
  }

  const activeKid = (users: UsersSubgraph) => users.jwks().keys.at(-1)!.kid!;

  it('fails with a clear message when SIGNING_KEY_ENCRYPTION_KEY is not the key the signing keys were encrypted with', async () => {
    const key = newKey();
    await start({ SIGNING_KEY_ENCRYPTION_KEY: key });
    await expect(start({ SIGNING_KEY_ENCRYPTION_KEY: newKey() })).rejects.toThrow(
      /cannot decrypt the private key of users\.signing_key .*set SIGNING_KEY_ENCRYPTION_KEY to the key the signing keys were encrypted with/,
    );
    // The control: the right key starts.
    await expect(start({ SIGNING_KEY_ENCRYPTION_KEY: key })).resolves.toBeDefined();
  });

  it('encrypts, at start, a private key written in clear before encryption at rest, and keeps signing with it', async () => {
    const legacy = await generateSigningKey();
    await db.$executeRawUnsafe(
      'INSERT INTO users.signing_key (kid, alg, private_jwk, public_jwk) VALUES ($1, $2, $3::jsonb, $4::jsonb)',
      legacy.kid,
      legacy.alg,
      JSON.stringify(legacy.privateJwk),
      JSON.stringify(legacy.publicJwk),
    );
    expect((await storedRows(db))[0]!.private_jwk).toHaveProperty('d'); // the clear row, before
    const users = await start({ SIGNING_KEY_ENCRYPTION_KEY: newKey() });
    const [row] = await storedRows(db);
    expect(row!.private_jwk).not.toHaveProperty('d');
    expect(row!.text).not.toContain(legacy.privateJwk.d);
    // Same key: a token signed with the legacy private key still verifies, and the service still signs with it.
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: legacy.kid })
      .setIssuer('grocery-supergraph')
      .setAudience('grocery-api')
      .setSubject('u')
      .setExpirationTime('5m')
      .sign(await importJWK(legacy.privateJwk, 'ES256'));
    await expect(jwtVerify(token, users.verificationKeys)).resolves.toBeDefined();
    expect(users.jwks().keys.map((k) => k.kid)).toEqual([legacy.kid]);
  });

  it('rotates the encryption key: the previous key opens, start re-encrypts with the new one, then the old key alone fails', async () => {
    const oldKey = newKey();
    const first = await start({ SIGNING_KEY_ENCRYPTION_KEY: oldKey });
    const kid = activeKid(first);
    const sealedBy = async () => ((await storedRows(db))[0]!.private_jwk as { key: string }).key;
    const before = await sealedBy();

    const nextKey = newKey();
    const rotated = await start({ SIGNING_KEY_ENCRYPTION_KEY: nextKey, SIGNING_KEY_ENCRYPTION_KEY_PREVIOUS: oldKey });
    expect(await sealedBy()).not.toBe(before);
    expect(await sealedBy()).toBe(new SecretBox(Buffer.from(nextKey, 'base64')).currentKeyId);
    expect(rotated.jwks().keys.map((k) => k.kid)).toEqual([kid]);

    await expect(start({ SIGNING_KEY_ENCRYPTION_KEY: nextKey })).resolves.toBeDefined();
    await expect(start({ SIGNING_KEY_ENCRYPTION_KEY: oldKey })).rejects.toThrow(/cannot decrypt/);
  });

  it('refuses a row whose sealed private key was copied from another row (a planted key)', async () => {
    const key = newKey();
    await start({ SIGNING_KEY_ENCRYPTION_KEY: key });
    const [row] = await storedRows(db);
    const planted = await generateSigningKey();
    await db.$executeRawUnsafe(
      'INSERT INTO users.signing_key (kid, alg, private_jwk, public_jwk) VALUES ($1, $2, $3::jsonb, $4::jsonb)',
      planted.kid,
      planted.alg,
      JSON.stringify(row!.private_jwk),
      JSON.stringify(planted.publicJwk),
    );
    await expect(start({ SIGNING_KEY_ENCRYPTION_KEY: key })).rejects.toThrow(
      new RegExp(`users\\.signing_key ${planted.kid} .*does not open`),
    );
  });
});

describe('where the encryption key comes from', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'grocery-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const cfg = (env: Record<string, string>) => loadConfig({ DATA_DIR: dir, ...env });

  it('outside production with none set, generates one once under DATA_DIR (owner-only) and reuses it', () => {
    const first = signingKeyEncryption(cfg({ NODE_ENV: 'development' }));
    const file = path.join(dir, DEV_ENCRYPTION_KEY_FILE);
    expect(first.source).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = signingKeyEncryption(cfg({ NODE_ENV: 'development' }));
    expect(again.box.currentKeyId).toBe(first.box.currentKeyId);
  });

  it('in production, requires SIGNING_KEY_ENCRYPTION_KEY and says so', () => {
    expect(() => signingKeyEncryption(cfg({ NODE_ENV: 'production' }))).toThrow(
      /set SIGNING_KEY_ENCRYPTION_KEY \(base64 of 32 random bytes/,
    );
    const key = newKey();
    const c = signingKeyEncryption(cfg({ NODE_ENV: 'production', SIGNING_KEY_ENCRYPTION_KEY: key }));
    expect(c.source).toBe('SIGNING_KEY_ENCRYPTION_KEY');
    expect(c.box.currentKeyId).toBe(new SecretBox(Buffer.from(key, 'base64')).currentKeyId);
  });
});
