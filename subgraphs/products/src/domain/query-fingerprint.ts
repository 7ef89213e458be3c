// The fingerprint a cursor carries of the listing or search that produced it, so a cursor replayed
// against another query, filter or sort is refused instead of misread.
import { createHash } from 'node:crypto';
import type { SearchFilter } from './product-filter';

/** Same query (after folding whitespace and case) and filter → same fingerprint. */
export function searchFingerprint(query: string, filter?: SearchFilter | null, sort?: string | null): string {
  const f = filter ?? {};
  const canonical = JSON.stringify([
    query.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim(),
    f.categoryId ?? null,
    f.dietary ? [...f.dietary].sort() : null,
    f.isPerishable ?? null,
    f.brand ?? null,
    f.minPrice ?? null,
    f.maxPrice ?? null,
    f.expiringWithinDays ?? null,
    f.tags ? [...f.tags].sort() : null,
    f.minRating ?? null,
    f.inStockAt ?? null,
    sort ?? 'RELEVANCE',
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}
