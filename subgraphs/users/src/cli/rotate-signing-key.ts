// Rotates the access-token signing key, with no service running:
//   DATABASE_URL=… node subgraphs/users/dist/cli/rotate-signing-key.js [--publish-delay <seconds>]
// The new key is published at once and starts signing after the delay (see SigningKeyRing);
// running services pick it up on their next periodic re-read.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createUsersDb } from '../data/db';
import { SigningKeyRepository } from '../data/signing-key-repository';
import { DEFAULT_PUBLISH_DELAY_SECONDS, generateSigningKey } from '../domain/signing-key-ring';

export async function rotateSigningKey(opts: {
  databaseUrl: string;
  publishDelaySeconds?: number;
}): Promise<{ kid: string; signsFrom: Date }> {
  const db = createUsersDb(opts.databaseUrl, 1);
  try {
    const signsFrom = new Date(Date.now() + (opts.publishDelaySeconds ?? DEFAULT_PUBLISH_DELAY_SECONDS) * 1000);
    const key = await new SigningKeyRepository(db).rotate(generateSigningKey, signsFrom);
    return { kid: key.kid, signsFrom };
  } finally {
    await db.$disconnect();
  }
}

if (require.main === module) {
  (async () => {
    const { values } = parseArgs({ options: { 'publish-delay': { type: 'string' } } });
    const databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) throw new Error('DATABASE_URL is not set');
    const delay = values['publish-delay'] === undefined ? undefined : Number(values['publish-delay']);
    if (delay !== undefined && !(Number.isInteger(delay) && delay >= 0))
      throw new Error('--publish-delay must be a whole number of seconds');
    const { kid, signsFrom } = await rotateSigningKey({ databaseUrl, publishDelaySeconds: delay });
    console.log(`Published signing key ${kid}; it signs access tokens from ${signsFrom.toISOString()}.`);
  })().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
