// Opaque search cursors: a position in one result list, bound to the query and filter that
// produced it, so a cursor replayed against another search is refused instead of misread.
import { badInput } from '@grocery/platform';

const PREFIX = 's1';
/** Deep offsets get slow and nobody reads result 10,000; refine the query instead. */
export const MAX_SEARCH_OFFSET = 10_000;

export function encodeSearchCursor(offset: number, fingerprint: string): string {
  return Buffer.from(`${PREFIX}:${offset}:${fingerprint}`, 'utf8').toString('base64url');
}

/** The offset to resume at; BAD_USER_INPUT for anything this search did not hand out. */
export function decodeSearchCursor(cursor: string, fingerprint: string): number {
  const invalid = () =>
    badInput('after is not a cursor of this search; use pageInfo.endCursor from the previous page.', 'after');
  if (cursor.length > 100) throw invalid();
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  if (parts.length !== 3 || parts[0] !== PREFIX || !/^\d{1,6}$/.test(parts[1]) || parts[2] !== fingerprint)
    throw invalid();
  const offset = Number(parts[1]);
  if (offset < 1 || offset > MAX_SEARCH_OFFSET) throw invalid();
  return offset;
}
