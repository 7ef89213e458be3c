// Catalog search on Elasticsearch (chosen when ELASTICSEARCH_URL is set). Reads and writes go
// through an alias, so a full rebuild fills a fresh index and swaps the alias in one step
// (reindex.ts); writes carry the product's version, so a late event never overwrites a newer
// entry. Cursors are the same query-bound offsets as the PostgreSQL engine's.
//
// The index holds what product.* events keep current (the product row: names, filters, rating,
// dates). Per-location stock and 7-day sales live in projections that stock.level_changed and
// order.placed feed into PostgreSQL, changing far more often than products; copying them into
// every document would mean re-indexing on each stock movement and sale. So inStockAt and the
// POPULARITY sort are left out of `capabilities`, and CatalogSearch answers those requests with
// the PostgreSQL engine instead.
import { Client, errors, type estypes } from '@elastic/elasticsearch';
import { fieldIn } from '@grocery/platform';
import { unanswerable, type SearchCapabilities } from '../engine-capabilities';
import { searchFingerprint } from '../../domain/query-fingerprint';
import { decodeSearchCursor, encodeSearchCursor } from '../search-cursor';
import { PRICE_BUCKETS, type Facets } from '../../domain/facets';
import type { SearchFilter } from '../../domain/product-filter';
import type { ProductSortKey } from '../../domain/product-sort';
import type {
  FacetsRequest,
  IndexableProduct,
  SearchEngine,
  SearchRequest,
  SearchResult,
  SuggestRequest,
  Suggestion,
} from '../search-engine';
import {
  PRODUCT_INDEX_MAPPINGS,
  PRODUCT_INDEX_SETTINGS,
  PRODUCT_MAPPING_VERSION,
  productDocument,
} from './product-index';
import { facetsQuery, searchQuery, SORTS, suggestQuery, type ElasticsearchSortKey } from './product-queries';

export const DEFAULT_PRODUCT_ALIAS = 'grocery-products';

export interface ElasticsearchEngineOptions {
  /** The alias searched and written; concrete indices are named `<alias>-<timestamp>`. */
  alias?: string;
  /** `wait_for` makes writes visible to the next search (tests); production leaves the 1 s refresh. */
  refresh?: boolean | 'wait_for';
}

export const ELASTICSEARCH_CAPABILITIES: SearchCapabilities = {
  filters: new Set<keyof SearchFilter>([
    'categoryId',
    'dietary',
    'isPerishable',
    'brand',
    'minPrice',
    'maxPrice',
    'expiringWithinDays',
    'tags',
    'minRating',
  ]),
  sorts: new Set(Object.keys(SORTS) as ElasticsearchSortKey[]),
};

/** Where an index's mapping stands against this code's (see PRODUCT_MAPPING_VERSION). */
export type IndexState = 'created' | 'current' | 'upgraded';

interface TermsBuckets {
  buckets: { key: string; doc_count: number }[];
}
/** Partial: the facets read absent aggregations as empty rather than fail. */
interface FacetAggregations {
  categories?: TermsBuckets;
  dietary?: TermsBuckets;
  brands?: TermsBuckets;
  priceBuckets?: TermsBuckets;
}

export class ElasticsearchSearchEngine implements SearchEngine {
  readonly name = 'elasticsearch';
  readonly capabilities = ELASTICSEARCH_CAPABILITIES;
  readonly alias: string;
  private readonly refresh: boolean | 'wait_for';

  constructor(
    readonly client: Client,
    options: ElasticsearchEngineOptions = {},
  ) {
    this.alias = options.alias ?? DEFAULT_PRODUCT_ALIAS;
    this.refresh = options.refresh ?? false;
  }

  static fromUrl(url: string, options?: ElasticsearchEngineOptions): ElasticsearchSearchEngine {
    return new ElasticsearchSearchEngine(new Client({ node: url }), options);
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    const sort = this.answerable(request);
    const fingerprint = searchFingerprint(request.query, request.filter, sort);
    const offset = request.after ? decodeSearchCursor(request.after, fingerprint) : 0;
    const response = await this.client.search({
      index: this.alias,
      ...searchQuery({ ...request, sort, from: offset, size: request.first }),
    });
    return searchResult(response, offset, fingerprint);
  }

  async facets(request: FacetsRequest): Promise<Facets> {
    this.answerable(request);
    const response = await this.client.search<unknown, FacetAggregations>({
      index: this.alias,
      ...facetsQuery(request),
    });
    return facetsResult(response);
  }

  async suggest(request: SuggestRequest): Promise<Suggestion[]> {
    const response = await this.client.search<{ sku: string; nameVi: string; nameEn: string }>({
      index: this.alias,
      ...suggestQuery(request),
    });
    return response.hits.hits.flatMap((h) =>
      h._source ? [{ sku: h._source.sku, text: fieldIn(h._source, 'name', request.locale) }] : [],
    );
  }

  /** Writes to the alias, or to `index` (a rebuild's fresh index). */
  async index(products: readonly IndexableProduct[], index = this.alias): Promise<void> {
    if (products.length === 0) return;
    const operations = products.flatMap((p) => [
      { index: { _index: index, _id: p.sku, version: p.version, version_type: 'external_gte' as const } },
      productDocument(p),
    ]);
    await this.bulk(operations);
  }

  async remove(skus: readonly string[], versions?: ReadonlyMap<string, number>): Promise<void> {
    if (skus.length === 0) return;
    await this.bulk(
      skus.map((sku) => {
        // A versioned delete leaves a tombstone that refuses an older index write arriving late.
        const version = versions?.get(sku);
        return {
          delete: {
            _index: this.alias,
            _id: sku,
            ...(version !== undefined ? { version, version_type: 'external_gte' as const } : {}),
          },
        };
      }),
    );
  }

  /** A new concrete index with our settings and mapping. */
  async createIndex(index: string): Promise<void> {
    await this.client.indices.create({ index, settings: PRODUCT_INDEX_SETTINGS, mappings: PRODUCT_INDEX_MAPPINGS });
  }

  /** Creates the first index behind the alias if there is none; true when it did (then empty). */
  async ensureIndex(): Promise<boolean> {
    if (await this.client.indices.exists({ index: this.alias })) return false;
    const index = this.newIndexName();
    await this.createIndex(index);
    await this.client.indices.putAlias({ index, name: this.alias });
    return true;
  }

  /**
   * An index created by older code lacks the newer fields, and its strict mapping would refuse
   * every document written now: add them in place (mappings only grow, so this is allowed and
   * leaves existing fields alone). 'upgraded' means documents written before lack the new values
   * until a rebuild.
   */
  async ensureCurrentMapping(): Promise<IndexState> {
    if (await this.ensureIndex()) return 'created';
    const mappings = await this.client.indices.getMapping({ index: this.alias });
    const stale = Object.values(mappings).some(
      (m) => Number(m.mappings._meta?.mappingVersion ?? 1) < PRODUCT_MAPPING_VERSION,
    );
    if (!stale) return 'current';
    await this.client.indices.putMapping({ index: this.alias, ...PRODUCT_INDEX_MAPPINGS });
    return 'upgraded';
  }

  newIndexName(): string {
    return `${this.alias}-${Date.now()}`;
  }

  /** Points the alias at `index` alone, atomically, and deletes the indices it pointed at. */
  async switchAlias(index: string): Promise<void> {
    const previous = await this.aliasedIndices();
    await this.client.indices.updateAliases({
      actions: [
        ...previous.filter((i) => i !== index).map((i) => ({ remove: { index: i, alias: this.alias } })),
        { add: { index, alias: this.alias } },
      ],
    });
    for (const old of previous.filter((i) => i !== index)) await this.client.indices.delete({ index: old });
  }

  private async aliasedIndices(): Promise<string[]> {
    try {
      return Object.keys(await this.client.indices.getAlias({ name: this.alias }));
    } catch (err) {
      if (err instanceof errors.ResponseError && err.statusCode === 404) return [];
      throw err;
    }
  }

  /** The request's sort, once checked that this index can answer the request at all. */
  private answerable(request: { filter?: SearchFilter | null; sort?: ProductSortKey | null }): ElasticsearchSortKey {
    const missing = unanswerable(this, request);
    // CatalogSearch routes such requests elsewhere; reaching here is a wiring bug, not bad input.
    if (missing.length > 0) throw new Error(`The Elasticsearch engine cannot answer ${missing.join(', ')}`);
    return (request.sort ?? 'RELEVANCE') as ElasticsearchSortKey;
  }

  private async bulk(operations: estypes.BulkRequest['operations']): Promise<void> {
    const response = await this.client.bulk({ operations, refresh: this.refresh });
    if (!response.errors) return;
    // A newer version already indexed (409) and deleting what is not there (404) are outcomes we want.
    const failed = response.items
      .map((item) => Object.values(item)[0])
      .filter((r) => r?.error && r.status !== 409 && r.status !== 404);
    if (failed.length > 0)
      throw new Error(
        `Elasticsearch bulk: ${failed.length} of ${response.items.length} operations failed; first: ` +
          `${failed[0]!._id}: ${failed[0]!.error?.type}: ${failed[0]!.error?.reason}`,
      );
  }
}

/** A search response as the port's hits: SKU, score, and a cursor resuming after each. */
export function searchResult(response: estypes.SearchResponse, offset: number, fingerprint: string): SearchResult {
  const total = response.hits.total;
  const totalCount = typeof total === 'number' ? total : (total?.value ?? 0);
  const hits = response.hits.hits.map((h, i) => ({
    sku: h._id!,
    score: h._score ?? Number(h.sort?.[0] ?? 0),
    cursor: encodeSearchCursor(offset + i + 1, fingerprint),
  }));
  const more = offset + hits.length < totalCount && hits.length > 0;
  return { totalCount, hits, nextCursor: more ? hits.at(-1)!.cursor : null };
}

/** Aggregations as the port's facets: zero-count terms never come back, every price bucket does. */
export function facetsResult(response: estypes.SearchResponse<unknown, FacetAggregations>): Facets {
  const aggs = response.aggregations;
  const terms = (a: TermsBuckets | undefined) =>
    (a?.buckets ?? []).map((b) => ({ key: String(b.key), count: b.doc_count }));
  const priceCounts = new Map((aggs?.priceBuckets?.buckets ?? []).map((b) => [b.key, b.doc_count]));
  return {
    categories: terms(aggs?.categories).map(({ key, count }) => ({ categoryId: key, count })),
    dietary: terms(aggs?.dietary).map(({ key, count }) => ({ label: key, count })),
    brands: terms(aggs?.brands).map(({ key, count }) => ({ brand: key, count })),
    priceBuckets: PRICE_BUCKETS.map((b, i) => ({ ...b, count: priceCounts.get(String(i)) ?? 0 })),
  };
}
