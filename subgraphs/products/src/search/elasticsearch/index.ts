// The Elasticsearch search engine (ELASTICSEARCH_URL), its index, rebuild and event consumer.
export {
  DEFAULT_PRODUCT_ALIAS,
  ELASTICSEARCH_CAPABILITIES,
  ElasticsearchSearchEngine,
  facetsResult,
  searchResult,
  type IndexState,
} from './elasticsearch-search-engine';
export {
  PRODUCT_INDEX_MAPPINGS,
  PRODUCT_INDEX_SETTINGS,
  PRODUCT_MAPPING_VERSION,
  productDocument,
} from './product-index';
export { facetsQuery, searchQuery, suggestQuery } from './product-queries';
export { reindexAll, type ReindexProgress, type ReindexResult } from './reindex';
export { affectsSearchIndex, startSearchIndexing, syncSearchIndex } from './search-index-consumer';
