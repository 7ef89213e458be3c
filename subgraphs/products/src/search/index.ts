// Catalog search: the engine port, its PostgreSQL and Elasticsearch implementations and the
// engine-independent rules.
import type { ProductsDb } from '../data/db';
import { CatalogSearch } from './catalog-search';
import { ElasticsearchSearchEngine } from './elasticsearch/elasticsearch-search-engine';
import { PostgresSearchEngine } from './postgres-search-engine';
import type { SearchEngine } from './search-engine';

export { CatalogSearch, MAX_QUERY_LENGTH, MAX_SUGGESTIONS } from './catalog-search';
export { ElasticsearchSearchEngine } from './elasticsearch/elasticsearch-search-engine';
export { startSearchIndexing } from './elasticsearch/search-index-consumer';
export type { SearchCapabilities } from './engine-capabilities';
export { PostgresSearchEngine } from './postgres-search-engine';
export type * from './search-engine';
// The domain's filter, sorts and facets are what a search request and result speak in.
export type { Facets } from '../domain/facets';
export type { SearchFilter } from '../domain/product-filter';
export type { ProductSortKey } from '../domain/product-sort';

/** The configured engine: Elasticsearch when ELASTICSEARCH_URL is set, else PostgreSQL. */
export function createSearchEngine(db: ProductsDb, config: { ELASTICSEARCH_URL?: string } = {}): SearchEngine {
  return config.ELASTICSEARCH_URL
    ? ElasticsearchSearchEngine.fromUrl(config.ELASTICSEARCH_URL)
    : new PostgresSearchEngine(db);
}

/**
 * Catalog search on the configured engine. With Elasticsearch, the PostgreSQL engine stands by
 * for what the index does not hold (stock per location, 7-day sales): the same database and
 * tables that browsing reads, no extra process.
 */
export function createCatalogSearch(
  db: ProductsDb,
  config: { ELASTICSEARCH_URL?: string; MAX_PAGE_SIZE: number },
): CatalogSearch {
  const engine = createSearchEngine(db, config);
  const fallback = engine instanceof PostgresSearchEngine ? null : new PostgresSearchEngine(db);
  return new CatalogSearch(engine, config.MAX_PAGE_SIZE, fallback);
}
