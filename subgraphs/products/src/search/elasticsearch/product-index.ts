// The Elasticsearch product index: settings (the Vietnamese-folding analysis chain), mapping,
// and the document written for each product (live products only: archiving removes it). Folding matches the PostgreSQL engine's
// products.search_fold: lower case, no diacritics (asciifolding also turns đ into d), y → i
// ("mỳ" = "mì"), so "sua tuoi" and "Sữa tươi" are the same terms.
import type { estypes } from '@elastic/elasticsearch';
import { MAX_SEARCH_OFFSET } from '../search-cursor';
import type { IndexableProduct } from '../search-engine';

/** Analyzer and normalizer names, as the query builder refers to them. */
export const VI_FOLDING = 'vi_folding';
export const VI_FOLDING_PREFIX = 'vi_folding_prefix';
export const VI_FOLDING_KEYWORD = 'vi_folding_keyword';

/** Room for the deepest cursor (MAX_SEARCH_OFFSET) plus a page, which ES's default 10,000 lacks. */
const MAX_PAGE = 100;

export const PRODUCT_INDEX_SETTINGS: estypes.IndicesIndexSettings = {
  number_of_shards: 1,
  max_result_window: MAX_SEARCH_OFFSET + MAX_PAGE,
  analysis: {
    char_filter: {
      vi_y_to_i: { type: 'mapping', mappings: ['y => i', 'Y => i', 'ỳ => i', 'Ỳ => i', 'ý => i', 'Ý => i'] },
    },
    filter: {
      vi_prefix_edge_ngram: { type: 'edge_ngram', min_gram: 1, max_gram: 20 },
    },
    analyzer: {
      [VI_FOLDING]: {
        type: 'custom',
        char_filter: ['vi_y_to_i'],
        tokenizer: 'standard',
        filter: ['lowercase', 'asciifolding'],
      },
      // Index side of the `.prefix` subfields: every leading fragment of every folded word.
      [VI_FOLDING_PREFIX]: {
        type: 'custom',
        char_filter: ['vi_y_to_i'],
        tokenizer: 'standard',
        filter: ['lowercase', 'asciifolding', 'vi_prefix_edge_ngram'],
      },
    },
    normalizer: {
      [VI_FOLDING_KEYWORD]: { type: 'custom', char_filter: ['vi_y_to_i'], filter: ['lowercase', 'asciifolding'] },
    },
  },
};

const foldedText = { type: 'text', analyzer: VI_FOLDING } as const;
/** A name: folded words, plus leading fragments for search-as-you-type (searched unfragmented). */
const name = {
  ...foldedText,
  fields: { prefix: { type: 'text', analyzer: VI_FOLDING_PREFIX, search_analyzer: VI_FOLDING } },
} as const;

/**
 * Bumped with every change to the mapping. A running index behind an older version gets the new
 * fields added in place (ensureIndex), and needs a rebuild (reindex-cli) to fill them in.
 */
export const PRODUCT_MAPPING_VERSION = 2;

export const PRODUCT_INDEX_MAPPINGS: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  _meta: { mappingVersion: PRODUCT_MAPPING_VERSION },
  properties: {
    sku: { type: 'keyword' },
    nameVi: name,
    nameEn: name,
    // .keyword is the brand as written, for the brand facet; .folded matches the brand filter.
    brand: {
      ...foldedText,
      fields: { folded: { type: 'keyword', normalizer: VI_FOLDING_KEYWORD }, keyword: { type: 'keyword' } },
    },
    manufacturer: foldedText,
    descriptionVi: foldedText,
    descriptionEn: foldedText,
    // Searched folded; filtered exactly as stored (lower case), like the PostgreSQL filter.
    tags: { ...foldedText, fields: { keyword: { type: 'keyword' } } },
    /** Both languages' names of the category and its parent, for matching a department by name. */
    categoryNames: foldedText,
    /** Each "&"-separated part of those names, folded whole: "Cà phê & Trà" → "ca phe", "tra". */
    categoryNameParts: { type: 'keyword', normalizer: VI_FOLDING_KEYWORD },
    /** The category and its parent: a filter on either finds the product. */
    categoryIds: { type: 'keyword' },
    dietary: { type: 'keyword' },
    isPerishable: { type: 'boolean' },
    priceAmount: { type: 'long' },
    priceCurrency: { type: 'keyword', index: false },
    /** Absent without reviews: the minRating filter leaves such products out, RATING sorts them last. */
    ratingAverage: { type: 'double' },
    reviewCount: { type: 'integer' },
    createdAt: { type: 'date' },
    expiresAt: { type: 'date' },
  },
};

export interface ProductDocument {
  sku: string;
  nameVi: string;
  nameEn: string;
  brand: string | null;
  manufacturer: string | null;
  descriptionVi: string | null;
  descriptionEn: string | null;
  tags: string[];
  categoryNames: string[];
  categoryNameParts: string[];
  categoryIds: string[];
  dietary: string[];
  isPerishable: boolean;
  priceAmount: number;
  priceCurrency: string;
  ratingAverage: number | null;
  reviewCount: number;
  /** ISO 8601, UTC. */
  createdAt: string;
  expiresAt: string | null;
}

const nameParts = (n: string) =>
  n
    .split('&')
    .map((part) => part.trim())
    .filter(Boolean);

export function productDocument(p: IndexableProduct): ProductDocument {
  const categories = [p.category, ...(p.category.parent ? [p.category.parent] : [])];
  const categoryNames = categories.flatMap((c) => [c.nameVi, c.nameEn]);
  return {
    sku: p.sku,
    nameVi: p.nameVi,
    nameEn: p.nameEn,
    brand: p.brand,
    manufacturer: p.manufacturer,
    descriptionVi: p.descriptionVi,
    descriptionEn: p.descriptionEn,
    tags: [...p.tags],
    categoryNames,
    categoryNameParts: [...new Set(categoryNames.flatMap(nameParts))],
    categoryIds: categories.map((c) => c.id),
    dietary: [...p.dietary],
    isPerishable: p.isPerishable,
    priceAmount: p.priceAmount,
    priceCurrency: p.priceCurrency,
    ratingAverage: p.ratingAverage,
    reviewCount: p.reviewCount,
    createdAt: p.createdAt.toISOString(),
    expiresAt: p.expiresAt?.toISOString() ?? null,
  };
}
