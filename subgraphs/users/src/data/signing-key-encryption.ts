// The key that seals the access-token signing keys at rest: SIGNING_KEY_ENCRYPTION_KEY (and,
// during a rotation, SIGNING_KEY_ENCRYPTION_KEY_PREVIOUS). Production requires it. Elsewhere,
// with none set, one is generated once and kept under DATA_DIR (like the development admin), so
// the one-command start needs no setting; that file is then as secret as the database.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseEncryptionKey, SecretBox, type Config } from '@grocery/platform';

export const DEV_ENCRYPTION_KEY_FILE = 'signing-key-encryption.key';

export interface SigningKeyEncryption {
  box: SecretBox;
  /** Where the current key came from, for the start-up log. */
  source: 'SIGNING_KEY_ENCRYPTION_KEY' | string;
}

type KeyConfig = Pick<
  Config,
  'NODE_ENV' | 'DATA_DIR' | 'SIGNING_KEY_ENCRYPTION_KEY' | 'SIGNING_KEY_ENCRYPTION_KEY_PREVIOUS'
>;

export function signingKeyEncryption(config: KeyConfig): SigningKeyEncryption {
  const previous = config.SIGNING_KEY_ENCRYPTION_KEY_PREVIOUS
    ? [parseEncryptionKey(config.SIGNING_KEY_ENCRYPTION_KEY_PREVIOUS, 'SIGNING_KEY_ENCRYPTION_KEY_PREVIOUS')]
    : [];
  if (config.SIGNING_KEY_ENCRYPTION_KEY)
    return {
      box: new SecretBox(parseEncryptionKey(config.SIGNING_KEY_ENCRYPTION_KEY, 'SIGNING_KEY_ENCRYPTION_KEY'), previous),
      source: 'SIGNING_KEY_ENCRYPTION_KEY',
    };
  if (config.NODE_ENV === 'production')
    throw new Error(
      'set SIGNING_KEY_ENCRYPTION_KEY (base64 of 32 random bytes, e.g. `openssl rand -base64 32`): ' +
        'the users service keeps its token-signing keys encrypted with it',
    );
  const file = path.resolve(config.DATA_DIR, DEV_ENCRYPTION_KEY_FILE);
  return { box: new SecretBox(developmentKey(file), previous), source: file };
}

function developmentKey(file: string): Buffer {
  mkdirSync(path.dirname(file), { recursive: true });
  // Written aside, then linked into place: of several processes starting at once, exactly one
  // creates it, and no one reads it half-written.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(draft);
  }
  return parseEncryptionKey(readFileSync(file, 'utf8').trim(), file);
}
