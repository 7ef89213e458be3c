import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config';
import { encryptionKeyId, isSealedSecret, SecretBox, SecretBoxError } from './secret-box';

const SECRET = '{"kty":"EC","crv":"P-256","d":"private-scalar-value"}';

describe('SecretBox (AES-256-GCM)', () => {
  const key = randomBytes(32);
  const box = new SecretBox(key);

  it('opens what it sealed, and the sealed value shows none of the secret', () => {
    const sealed = box.seal(SECRET, 'row:1');
    expect(isSealedSecret(sealed)).toBe(true);
    expect(JSON.stringify(sealed)).not.toContain('private-scalar-value');
    expect(JSON.stringify(sealed)).not.toContain('"d"');
    expect(box.open(sealed, 'row:1')).toBe(SECRET);
    // A fresh IV each time: the same secret never seals to the same bytes.
    expect(box.seal(SECRET, 'row:1').ct).not.toBe(sealed.ct);
  });

  it('refuses a value moved to another context, or altered', () => {
    const sealed = box.seal(SECRET, 'row:1');
    expect(() => box.open(sealed, 'row:2')).toThrow(SecretBoxError);
    const ct = Buffer.from(sealed.ct, 'base64');
    ct[0]! ^= 1;
    expect(() => box.open({ ...sealed, ct: ct.toString('base64') }, 'row:1')).toThrow(/does not open/);
  });

  it('names the key a value was sealed with when that key is not configured', () => {
    const other = new SecretBox(randomBytes(32));
    const sealed = box.seal(SECRET, 'row:1');
    expect(() => other.open(sealed, 'row:1')).toThrow(
      `sealed with key ${encryptionKeyId(key)}, which is not configured`,
    );
  });

  it('rotates: the previous key still opens, and what it sealed is stale', () => {
    const next = new SecretBox(randomBytes(32), [key]);
    const old = box.seal(SECRET, 'row:1');
    expect(next.open(old, 'row:1')).toBe(SECRET);
    expect(next.isStale(old)).toBe(true);
    expect(next.isStale(next.seal(SECRET, 'row:1'))).toBe(false);
  });

  it('only accepts a base64 key of 32 bytes from config', () => {
    expect(() => loadConfig({ SIGNING_KEY_ENCRYPTION_KEY: randomBytes(16).toString('base64') })).toThrow(
      /SIGNING_KEY_ENCRYPTION_KEY: must be base64 of exactly 32 bytes/,
    );
    expect(() => loadConfig({ SIGNING_KEY_ENCRYPTION_KEY: 'not base64 at all!' })).toThrow(/32 bytes/);
    expect(loadConfig({ SIGNING_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') })).toBeDefined();
  });
});
