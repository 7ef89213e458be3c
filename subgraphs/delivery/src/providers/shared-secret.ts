// Compares a secret a courier sends with a webhook (Grab's Authorization header, ViettelPost's
// TOKEN field) against ours in constant time. Both sides are hashed first so neither the
// comparison's duration nor an early length mismatch tells an attacker anything.
import { createHash, timingSafeEqual } from 'node:crypto';

export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined || expected === '') return false;
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
