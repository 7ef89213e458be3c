// The query DSL for catalog search and suggestions, built from a request alone (no I/O), so
// tests can assert exactly what is sent. The ranking mirrors the PostgreSQL engine's blend:
// names first, then brand, category and tags, descriptions last; a query naming a category
// ("trai cay") pulls that department up; typos match through fuzziness, only as a fallback
// signal (exact folded words always score higher). Filters, sorts and facets mean what the
// shared filter SQL (product-filter-sql.ts) means by them; archived products are never in the
// index, so no clause is needed to leave them out.
import type { estypes } from '@elastic/elasticsearch';
import { inLocale, type Locale } from '@grocery/platform';
import { MAX_BRAND_FACETS, PRICE_BUCKETS } from '../../domain/facets';
import type { SearchFilter } from '../../domain/product-filter';
import type { ProductSortKey } from '../../domain/product-sort';

/** Searched fields and their weights (folded text, see product-index.ts). */
const EXACT_FIELDS = [
  'nameVi^3',
  'nameEn^3',
  'brand^1.5',
  'manufacturer^1.5',
  'categoryNames',
  'tags^0.8',
  'descriptionVi^0.3',
  'descriptionEn^0.3',
];
const FUZZY_FIELDS = ['nameVi^1.5', 'nameEn^1.5', 'brand'];
const CATEGORY_NAMED_BOOST = 10;

const localeName = (locale: Locale) => inLocale(locale, { en: 'nameEn', vi: 'nameVi' });
const otherName = (locale: Locale) => inLocale(locale, { en: 'nameVi', vi: 'nameEn' });

export function filterClauses(filter: SearchFilter | null | undefined): estypes.QueryDslQueryContainer[] {
  if (!filter) return [];
  const clauses: estypes.QueryDslQueryContainer[] = [];
  if (filter.categoryId) clauses.push({ term: { categoryIds: filter.categoryId } });
  // One term per label or tag: the product must carry every one of them.
  for (const label of filter.dietary ?? []) clauses.push({ term: { dietary: label } });
  for (const tag of filter.tags ?? []) clauses.push({ term: { 'tags.keyword': tag } });
  if (filter.isPerishable != null) clauses.push({ term: { isPerishable: filter.isPerishable } });
  // brand.folded has the folding normalizer, which term queries apply to their value too.
  if (filter.brand) clauses.push({ term: { 'brand.folded': filter.brand } });
  if (filter.minPrice != null || filter.maxPrice != null)
    clauses.push({
      range: {
        priceAmount: {
          ...(filter.minPrice != null ? { gte: filter.minPrice } : {}),
          ...(filter.maxPrice != null ? { lte: filter.maxPrice } : {}),
        },
      },
    });
  // Date math is evaluated by Elasticsearch at query time, like now() in the SQL filter.
  if (filter.expiringWithinDays != null)
    clauses.push({ range: { expiresAt: { gte: 'now', lt: `now+${filter.expiringWithinDays}d` } } });
  // A product without reviews has no ratingAverage, so a range leaves it out.
  if (filter.minRating != null) clauses.push({ range: { ratingAverage: { gte: filter.minRating } } });
  return clauses;
}

/** The sorts this index can answer: POPULARITY needs the sales projection, which only PostgreSQL has. */
export type ElasticsearchSortKey = Exclude<ProductSortKey, 'POPULARITY'>;

const BY_SKU: estypes.SortCombinations = { sku: { order: 'asc' } };

/** Every order ends with the SKU, so pages are stable and every match is seen exactly once. */
export const SORTS: Record<ElasticsearchSortKey, estypes.SortCombinations[]> = {
  RELEVANCE: [{ _score: { order: 'desc' } }, BY_SKU],
  PRICE_ASC: [{ priceAmount: { order: 'asc' } }, BY_SKU],
  PRICE_DESC: [{ priceAmount: { order: 'desc' } }, BY_SKU],
  RATING: [{ ratingAverage: { order: 'desc', missing: '_last' } }, BY_SKU],
  NEWEST: [{ createdAt: { order: 'desc' } }, BY_SKU],
};

function matchQuery(args: {
  query: string;
  filter?: SearchFilter | null;
  locale: Locale;
  matchAnyWord?: boolean;
}): estypes.QueryDslQueryContainer {
  const own = localeName(args.locale);
  // Partial matching (nothing matched every word): any word will do, more words score higher.
  const operator = args.matchAnyWord ? 'or' : 'and';
  return {
    bool: {
      should: [
        // Every word present somewhere (name, brand, category...): "sua tuoi vinamilk".
        {
          multi_match: {
            query: args.query,
            type: 'cross_fields',
            operator,
            fields: EXACT_FIELDS,
            boost: 2,
          },
        },
        // Look-alikes: one or two edits per word ("choclate", "heiniken"), first letter kept.
        {
          multi_match: {
            query: args.query,
            type: 'best_fields',
            operator,
            fields: FUZZY_FIELDS,
            fuzziness: 'AUTO',
            prefix_length: 1,
          },
        },
        // The words in order in a name, or a name starting with them.
        { match_phrase: { nameVi: { query: args.query, boost: 1 } } },
        { match_phrase: { nameEn: { query: args.query, boost: 1 } } },
        { match_phrase_prefix: { [own]: { query: args.query, boost: 0.5 } } },
        { term: { categoryNameParts: { value: args.query, boost: CATEGORY_NAMED_BOOST } } },
      ],
      minimum_should_match: 1,
      filter: filterClauses(args.filter),
    },
  };
}

export function searchQuery(args: {
  query: string;
  filter?: SearchFilter | null;
  locale: Locale;
  matchAnyWord?: boolean;
  from: number;
  size: number;
  sort?: ElasticsearchSortKey | null;
}): estypes.SearchRequest {
  const sort = args.sort ?? 'RELEVANCE';
  return {
    from: args.from,
    size: args.size,
    track_total_hits: true,
    // Sorted by a field, hits still carry their relevance as the score.
    ...(sort === 'RELEVANCE' ? {} : { track_scores: true }),
    _source: false,
    query: matchQuery(args),
    sort: SORTS[sort],
  };
}

/**
 * Bounds on the terms facets. Categories (78 in the seeded tree) and dietary labels (6) are few:
 * these sizes list every one that has a match; brands are cut to the top MAX_BRAND_FACETS.
 */
export const MAX_CATEGORY_FACETS = 1000;
export const MAX_DIETARY_FACETS = 100;

/** Most products first, then by key: the order the PostgreSQL facets use. */
const BY_COUNT: estypes.AggregationsAggregateOrder = [{ _count: 'desc' }, { _key: 'asc' }];

/**
 * Facet counts as aggregations over everything the search matches (no hits). categoryIds holds
 * a product's category and its parent, so a department counts its sub-categories' products.
 */
export function facetsQuery(args: {
  query: string;
  filter?: SearchFilter | null;
  locale: Locale;
  matchAnyWord?: boolean;
}): estypes.SearchRequest {
  return {
    size: 0,
    track_total_hits: false,
    query: matchQuery(args),
    aggs: {
      categories: { terms: { field: 'categoryIds', size: MAX_CATEGORY_FACETS, order: BY_COUNT } },
      dietary: { terms: { field: 'dietary', size: MAX_DIETARY_FACETS, order: BY_COUNT } },
      brands: { terms: { field: 'brand.keyword', size: MAX_BRAND_FACETS, order: BY_COUNT } },
      // A range aggregation lists every range, empty ones included, in this order; `to` is exclusive.
      priceBuckets: {
        range: {
          field: 'priceAmount',
          ranges: PRICE_BUCKETS.map((b, i) => ({
            key: String(i),
            from: b.min,
            ...(b.max != null ? { to: b.max } : {}),
          })),
        },
      },
    },
  };
}

export function suggestQuery(args: { prefix: string; locale: Locale; limit: number }): estypes.SearchRequest {
  const own = localeName(args.locale);
  const other = otherName(args.locale);
  return {
    size: args.limit,
    track_total_hits: false,
    _source: ['sku', 'nameVi', 'nameEn'],
    query: {
      bool: {
        should: [
          // Names that start with what was typed first, then names containing words that do.
          { match_phrase_prefix: { [own]: { query: args.prefix, boost: 4 } } },
          { match: { [`${own}.prefix`]: { query: args.prefix, operator: 'and', boost: 2 } } },
          { match: { [`${other}.prefix`]: { query: args.prefix, operator: 'and' } } },
          { match: { [own]: { query: args.prefix, operator: 'and', fuzziness: 'AUTO', prefix_length: 1 } } },
        ],
        minimum_should_match: 1,
      },
    },
    sort: [{ _score: { order: 'desc' } }, { sku: { order: 'asc' } }],
  };
}
