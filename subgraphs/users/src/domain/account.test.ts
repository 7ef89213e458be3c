import { AppError } from '@grocery/platform';
import {
  isUserId,
  normalizeEmail,
  validateLogIn,
  validateSignUp,
  validName,
  validPassword,
  validRoles,
} from './account';

function codeAndField(fn: () => unknown): { code?: unknown; field?: unknown } {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return { code: err.extensions.code, field: err.extensions.field };
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('account rules', () => {
  it('stores emails trimmed and lower-cased', () => {
    expect(normalizeEmail('  An.Nguyen@Grocery.VN ')).toBe('an.nguyen@grocery.vn');
    expect(validateSignUp({ email: ' A@B.vn', password: 'x'.repeat(10), name: 'An' }).email).toBe('a@b.vn');
  });

  it.each(['', '   ', 'an', 'an@', '@b.vn', 'an@b', 'an b@c.vn', `${'a'.repeat(250)}@b.vn`])(
    'refuses the email %j',
    (email) => {
      expect(codeAndField(() => validateSignUp({ email, password: 'x'.repeat(10), name: 'An' }))).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'email',
      });
    },
  );

  it('counts password length in characters, after NFC, from 10 to 200', () => {
    expect(codeAndField(() => validPassword('123456789'))).toEqual({ code: 'BAD_USER_INPUT', field: 'password' });
    expect(validPassword('1234567890')).toBe('1234567890');
    expect(validPassword('ư'.repeat(200))).toHaveLength(200);
    // 10 letters typed as base + combining mark: 20 code points before NFC, 10 after.
    expect(validPassword('ư'.normalize('NFD').repeat(10))).toBe('ư'.repeat(10));
    expect(codeAndField(() => validPassword('x'.repeat(201)))).toEqual({ code: 'BAD_USER_INPUT', field: 'password' });
    // Emoji are one character each, though two UTF-16 units.
    expect(validPassword('🥭'.repeat(10))).toHaveLength(20);
  });

  it('keeps spaces inside a password: they are part of it', () => {
    expect(validPassword('  phở bò tái  ')).toBe('  phở bò tái  ');
  });

  it('requires a non-empty name of at most 100 characters, trimmed', () => {
    expect(validName('  Trần Thị Bích  ')).toBe('Trần Thị Bích');
    expect(codeAndField(() => validName(' \t '))).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
    expect(codeAndField(() => validName('a'.repeat(101)))).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
  });

  it('accepts known roles only, each once, in a stable order', () => {
    expect(validRoles(['admin', 'staff', 'admin'])).toEqual(['staff', 'admin']);
    expect(codeAndField(() => validRoles(['root']))).toEqual({ code: 'BAD_USER_INPUT', field: 'roles' });
    expect(codeAndField(() => validRoles([]))).toEqual({ code: 'BAD_USER_INPUT', field: 'roles' });
  });

  it('checks at log-in only what no account could match, not the password policy', () => {
    expect(validateLogIn({ email: 'A@b.vn', password: 'short' })).toEqual({ email: 'a@b.vn', password: 'short' });
    expect(codeAndField(() => validateLogIn({ email: 'a@b.vn', password: '' }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'password',
    });
    expect(codeAndField(() => validateLogIn({ email: 'a@b.vn', password: 'x'.repeat(201) }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'password',
    });
  });

  it('recognises user ids (UUIDs) so foreign references cannot reach the database as bad SQL input', () => {
    expect(isUserId('3f1c2a5e-8d7b-4c1a-9e2f-0a1b2c3d4e5f')).toBe(true);
    expect(isUserId('1; DROP TABLE user')).toBe(false);
    expect(isUserId('')).toBe(false);
  });
});
