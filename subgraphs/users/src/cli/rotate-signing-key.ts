// Rotates the access-token signing key, with no service running:
//   DATABASE_URL=… SIGNING_KEY_ENCRYPTION_KEY=… node subgraphs/users/dist/cli/rotate-signing-key.js [--publish-delay <seconds>]
// (USERS_DATABASE_URL wins over DATABASE_URL; the encryption key is the users service's.)
// The new key is published at once and starts signing after the delay (see SigningKeyRing);
// running services pick it up on their next periodic re-read.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { domainDatabaseUrl, loadConfig, type SecretBox } from '@grocery/platform';
import { createUsersDb } from '../data/db';
import { signingKeyEncryption } from '../data/signing-key-encryption';
import { SigningKeyRepository } from '../data/signing-key-repository';
import { DEFAULT_PUBLISH_DELAY_SECONDS, generateSigningKey } from '../domain/signing-key-ring';

export async function rotateSigningKey(opts: {
  databaseUrl: string;
  /** Seals the new private key: the users service's SIGNING_KEY_ENCRYPTION_KEY. */
  box: SecretBox;
  publishDelaySeconds?: number;
}): Promise<{ kid: string; signsFrom: Date }> {
  const db = createUsersDb(opts.databaseUrl, 1);
  try {
    const signsFrom = new Date(Date.now() + (opts.publishDelaySeconds ?? DEFAULT_PUBLISH_DELAY_SECONDS) * 1000);
    const key = await new SigningKeyRepository(db, opts.box).rotate(generateSigningKey, signsFrom);
    return { kid: key.kid, signsFrom };
  } finally {
    await db.$disconnect();
  }
}

if (require.main === module) {
  (async () => {
    const { values } = parseArgs({ options: { 'publish-delay': { type: 'string' } } });
    const config = loadConfig();
    const databaseUrl = domainDatabaseUrl(config, 'users');
    if (!databaseUrl) throw new Error('DATABASE_URL is not set');
    const delay = values['publish-delay'] === undefined ? undefined : Number(values['publish-delay']);
    if (delay !== undefined && !(Number.isInteger(delay) && delay >= 0))
      throw new Error('--publish-delay must be a whole number of seconds');
    const { box } = signingKeyEncryption(config);
    const { kid, signsFrom } = await rotateSigningKey({ databaseUrl, box, publishDelaySeconds: delay });
    console.log(`Published signing key ${kid}; it signs access tokens from ${signsFrom.toISOString()}.`);
  })().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
