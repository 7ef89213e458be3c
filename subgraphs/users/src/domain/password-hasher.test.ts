import { parseOptions } from '@node-rs/argon2';
import { PasswordHasher } from './password-hasher';

const hasher = new PasswordHasher();

describe('PasswordHasher', () => {
  it('hashes with argon2id at OWASP’s parameters (m=19456 KiB, t=2, p=1), salted', async () => {
    const a = await hasher.hash('bánh mì thịt nướng');
    const b = await hasher.hash('bánh mì thịt nướng');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(parseOptions(a)).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });

  it('verifies the right password and refuses a wrong one or a broken hash without throwing', async () => {
    const h = await hasher.hash('bánh mì thịt nướng');
    expect(await hasher.verify(h, 'bánh mì thịt nướng')).toBe(true);
    expect(await hasher.verify(h, 'bánh mì thịt nương')).toBe(false);
    expect(await hasher.verify('not a hash', 'x')).toBe(false);
  });

  it('spends a real verification, at the current parameters, on an unknown email', async () => {
    const verify = jest.spyOn(hasher, 'verify');
    expect(await hasher.verifyAgainstDummy('a guess')).toBe(false);
    expect(verify).toHaveBeenCalledTimes(1);
    const [dummyHash, password] = verify.mock.calls[0]!;
    expect(password).toBe('a guess');
    expect(hasher.needsRehash(dummyHash)).toBe(false);
    // A real argon2id hash at the current parameters, which the spied call (passing through)
    // really verified: the same work as for a known email, whatever the machine's speed.
    expect(dummyHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verify.mock.results[0]!.value).toBe(false);
    verify.mockRestore();
  });

  it('asks for a rehash when a stored hash was made with other parameters', async () => {
    const weak = new PasswordHasher({ algorithm: 2 as never, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    expect(hasher.needsRehash(await weak.hash('x'.repeat(10)))).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('x'.repeat(10)))).toBe(false);
    expect(hasher.needsRehash('garbage')).toBe(true);
  });
});
