// The Elasticsearch search engine (ELASTICSEARCH_URL), its index, rebuild and event consumer.
export { DEFAULT_PRODUCT_ALIAS, ElasticsearchSearchEngine, searchResult } from './elasticsearch-search-engine';
export { PRODUCT_INDEX_MAPPINGS, PRODUCT_INDEX_SETTINGS, productDocument } from './product-index';
export { searchQuery, suggestQuery } from './product-queries';
export { reindexAll, type ReindexProgress, type ReindexResult } from './reindex';
export { startSearchIndexing, syncSearchIndex } from './search-index-consumer';
