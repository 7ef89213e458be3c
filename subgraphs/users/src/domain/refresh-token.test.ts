import { newRefreshToken, refreshTokenHash } from './refresh-token';

describe('refresh tokens', () => {
  it('are 256 random bits, URL-safe, and never repeat', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newRefreshToken));
    expect(tokens.size).toBe(1000);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('are stored as a SHA-256 hex digest, the same for the same token', () => {
    const t = newRefreshToken();
    expect(refreshTokenHash(t)).toBe(refreshTokenHash(t));
    expect(refreshTokenHash(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(refreshTokenHash(t)).not.toBe(refreshTokenHash(newRefreshToken()));
  });
});
