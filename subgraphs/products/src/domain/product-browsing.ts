// Browsing the catalog without a query: the orders a page can come in, the port that reads a
// page (data/product-browse.ts implements it in SQL), and the opaque cursor that resumes one.
import { badInput } from '@grocery/platform';
import type { Facets } from './facets';
import type { SearchFilter } from './product-filter';
import type { ProductSortKey } from './product-sort';
import { searchFingerprint } from './query-fingerprint';

/** SKU order (no sort given) or a sort; RELEVANCE needs a query, so browsing has none. */
export type BrowseOrder = 'SKU' | Exclude<ProductSortKey, 'RELEVANCE'>;

/** Where the previous page ended: its last row's sort value and SKU. */
export interface BrowsePosition {
  value: string | number | null;
  sku: string;
}

/** Pages, totals and facet counts of the catalog under an already validated filter. */
export interface ProductBrowsing {
  /** One page: SKUs in order with the position each ends at, and whether more follow. */
  page(args: {
    filter: SearchFilter | null;
    order: BrowseOrder;
    first: number;
    after: BrowsePosition | null;
  }): Promise<{ rows: { sku: string; position: BrowsePosition }[]; hasNextPage: boolean }>;
  count(filter: SearchFilter | null): Promise<number>;
  facets(filter: SearchFilter | null): Promise<Facets>;
}

const CURSOR_PREFIX = 'b1';

/** Binds a cursor to the order and filter that produced it (the search fingerprint, without a query). */
export const browseFingerprint = (order: BrowseOrder, filter: SearchFilter | null): string =>
  searchFingerprint('', filter, order);

export function encodeBrowseCursor(position: BrowsePosition, fingerprint: string): string {
  return Buffer.from(JSON.stringify([CURSOR_PREFIX, fingerprint, position.value, position.sku]), 'utf8').toString(
    'base64url',
  );
}

export function decodeBrowseCursor(cursor: string, fingerprint: string): BrowsePosition {
  const invalid = () =>
    badInput('after is not a cursor of this listing; use pageInfo.endCursor from the previous page.', 'after');
  if (cursor.length > 400) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw invalid();
  const [prefix, fp, value, sku] = parsed as unknown[];
  if (prefix !== CURSOR_PREFIX || fp !== fingerprint || typeof sku !== 'string' || sku.length === 0 || sku.length > 100)
    throw invalid();
  if (value !== null && typeof value !== 'string' && typeof value !== 'number') throw invalid();
  return { value, sku };
}
