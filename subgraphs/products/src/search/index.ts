// Catalog search: the engine port, its PostgreSQL implementation and the engine-independent rules.
import type { ProductsDb } from '../data/db';
import { PostgresSearchEngine } from './postgres-search-engine';
import type { SearchEngine } from './search-engine';

export { CatalogSearch, MAX_QUERY_LENGTH, MAX_SUGGESTIONS } from './catalog-search';
export { PostgresSearchEngine } from './postgres-search-engine';
export type * from './search-engine';

/** The configured engine; PostgreSQL until an Elasticsearch adapter joins (ELASTICSEARCH_URL). */
export function createSearchEngine(db: ProductsDb): SearchEngine {
  return new PostgresSearchEngine(db);
}
