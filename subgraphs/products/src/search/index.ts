// Catalog search: the engine port, its PostgreSQL and Elasticsearch implementations and the
// engine-independent rules.
import type { ProductsDb } from '../data/db';
import { ElasticsearchSearchEngine } from './elasticsearch/elasticsearch-search-engine';
import { PostgresSearchEngine } from './postgres-search-engine';
import type { SearchEngine } from './search-engine';

export { CatalogSearch, MAX_QUERY_LENGTH, MAX_SUGGESTIONS } from './catalog-search';
export { ElasticsearchSearchEngine } from './elasticsearch/elasticsearch-search-engine';
export { startSearchIndexing } from './elasticsearch/search-index-consumer';
export { PostgresSearchEngine } from './postgres-search-engine';
export type * from './search-engine';

/** The configured engine: Elasticsearch when ELASTICSEARCH_URL is set, else PostgreSQL. */
export function createSearchEngine(db: ProductsDb, config: { ELASTICSEARCH_URL?: string } = {}): SearchEngine {
  return config.ELASTICSEARCH_URL
    ? ElasticsearchSearchEngine.fromUrl(config.ELASTICSEARCH_URL)
    : new PostgresSearchEngine(db);
}
