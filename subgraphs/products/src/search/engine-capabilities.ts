// Which filters and sorts an engine can answer from its own index. The PostgreSQL engine answers
// every one: its index is the catalog table, next to the stock and sales projections the event
// consumers keep. An engine with an index of its own declares what that index holds, and
// CatalogSearch hands any request needing more to the PostgreSQL engine.
import type { SearchFilter } from '../domain/product-filter';
import type { ProductSortKey } from '../domain/product-sort';
import type { SearchEngine } from './search-engine';

export interface SearchCapabilities {
  filters: ReadonlySet<keyof SearchFilter>;
  sorts: ReadonlySet<ProductSortKey>;
}

/** An engine may declare capabilities; one that does not answers every filter and sort. */
export type SearchEngineWithCapabilities = SearchEngine & { readonly capabilities?: SearchCapabilities };

const used = (value: unknown) => value != null && !(Array.isArray(value) && value.length === 0);

/** The filter fields and sort the request uses that the engine cannot answer (empty: it can). */
export function unanswerable(
  engine: SearchEngineWithCapabilities,
  request: { filter?: SearchFilter | null; sort?: ProductSortKey | null },
): string[] {
  const capabilities = engine.capabilities;
  if (!capabilities) return [];
  const filter = request.filter ?? {};
  const missing = (Object.keys(filter) as (keyof SearchFilter)[])
    .filter((key) => used(filter[key]) && !capabilities.filters.has(key))
    .map((key) => `filter.${key}`);
  const sort = request.sort ?? 'RELEVANCE';
  if (!capabilities.sorts.has(sort)) missing.push(`sort ${sort}`);
  return missing;
}
