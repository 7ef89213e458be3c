// Opaque pagination cursors. Clients must treat them as opaque; we validate on the way in.
import { badInput } from '@grocery/platform';

const PREFIX = 'p1:';

export function encodeCursor(key: string): string {
  return Buffer.from(PREFIX + key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!raw.startsWith(PREFIX) || raw.length === PREFIX.length || raw.length > 200)
    throw badInput('after is not a valid cursor; use pageInfo.endCursor from a previous page.', 'after');
  return raw.slice(PREFIX.length);
}

export function validateFirst(first: number, max: number): number {
  if (!Number.isInteger(first) || first < 0) throw badInput('first must be a non-negative integer.', 'first');
  if (first > max) throw badInput(`first must be at most ${max}.`, 'first');
  return first;
}
