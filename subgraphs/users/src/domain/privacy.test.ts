import { mayReadPrivateFields } from './privacy';

const none = new Set<string>();

describe('mayReadPrivateFields', () => {
  it('lets the user themself, staff and admins read; nobody else', () => {
    expect(
      mayReadPrivateFields({ identity: { userId: 'u1', roles: ['customer'] }, authenticatedInRequest: none }, 'u1'),
    ).toBe(true);
    expect(
      mayReadPrivateFields({ identity: { userId: 'u2', roles: ['customer'] }, authenticatedInRequest: none }, 'u1'),
    ).toBe(false);
    expect(
      mayReadPrivateFields({ identity: { userId: 's', roles: ['staff'] }, authenticatedInRequest: none }, 'u1'),
    ).toBe(true);
    expect(
      mayReadPrivateFields({ identity: { userId: 'a', roles: ['admin'] }, authenticatedInRequest: none }, 'u1'),
    ).toBe(true);
    expect(mayReadPrivateFields({ authenticatedInRequest: none }, 'u1')).toBe(false);
  });

  it('lets a caller who just logged in see their own account in the payload', () => {
    expect(mayReadPrivateFields({ authenticatedInRequest: new Set(['u1']) }, 'u1')).toBe(true);
    expect(mayReadPrivateFields({ authenticatedInRequest: new Set(['u1']) }, 'u2')).toBe(false);
  });
});
