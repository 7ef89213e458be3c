// The query DSL for catalog search and suggestions, built from a request alone (no I/O), so
// tests can assert exactly what is sent. The ranking mirrors the PostgreSQL engine's blend:
// names first, then brand, category and tags, descriptions last; a query naming a category
// ("trai cay") pulls that department up; typos match through fuzziness, only as a fallback
// signal (exact folded words always score higher).
import type { estypes } from '@elastic/elasticsearch';
import type { Locale } from '@grocery/platform';
import type { SearchFilter } from '../search-engine';

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

const localeName = (locale: Locale) => (locale === 'vi' ? 'nameVi' : 'nameEn');
const otherName = (locale: Locale) => (locale === 'vi' ? 'nameEn' : 'nameVi');

export function filterClauses(filter: SearchFilter | null | undefined): estypes.QueryDslQueryContainer[] {
  if (!filter) return [];
  const clauses: estypes.QueryDslQueryContainer[] = [];
  if (filter.categoryId) clauses.push({ term: { categoryIds: filter.categoryId } });
  // One term per label: the product must carry every one of them.
  for (const label of filter.dietary ?? []) clauses.push({ term: { dietary: label } });
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
  return clauses;
}

export function searchQuery(args: {
  query: string;
  filter?: SearchFilter | null;
  locale: Locale;
  from: number;
  size: number;
}): estypes.SearchRequest {
  const own = localeName(args.locale);
  return {
    from: args.from,
    size: args.size,
    track_total_hits: true,
    _source: false,
    query: {
      bool: {
        should: [
          // Every word present somewhere (name, brand, category...): "sua tuoi vinamilk".
          {
            multi_match: {
              query: args.query,
              type: 'cross_fields',
              operator: 'and',
              fields: EXACT_FIELDS,
              boost: 2,
            },
          },
          // Look-alikes: one or two edits per word ("choclate", "heiniken"), first letter kept.
          {
            multi_match: {
              query: args.query,
              type: 'best_fields',
              operator: 'and',
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
    },
    // The SKU breaks ties, so pages are stable and every match is seen exactly once.
    sort: [{ _score: { order: 'desc' } }, { sku: { order: 'asc' } }],
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
