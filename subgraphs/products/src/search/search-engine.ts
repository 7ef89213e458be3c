// The catalog's search port. PostgreSQL (default) and Elasticsearch implement it; the
// GraphQL layer only ever sees SKUs and scores, and hydrates products through its DataLoader.
import type { Locale } from '@grocery/platform';

export interface SearchFilter {
  /** A category or a parent category (its sub-categories included). */
  categoryId?: string | null;
  /** Every label must be present (vegan, halal, ...). */
  dietary?: readonly string[] | null;
  isPerishable?: boolean | null;
  /** Case- and diacritic-insensitive brand name. */
  brand?: string | null;
  /** Inclusive bounds on the price amount (VND). */
  minPrice?: number | null;
  maxPrice?: number | null;
  /** Perishables whose expiry falls between now and now + this many days. */
  expiringWithinDays?: number | null;
  /** Every tag must be present (exact, as stored: lower case). */
  tags?: readonly string[] | null;
  /** ratingAverage at least this (1-5); products without reviews are excluded. */
  minRating?: number | null;
  /** Only products with available units at this location (per the stock events). */
  inStockAt?: string | null;
}

/** Result orders. RELEVANCE needs a query; browsing without one treats it as POPULARITY. */
export const PRODUCT_SORTS = ['RELEVANCE', 'PRICE_ASC', 'PRICE_DESC', 'POPULARITY', 'RATING', 'NEWEST'] as const;
export type ProductSortKey = (typeof PRODUCT_SORTS)[number];

/** Price bucket bounds for the price facet (VND, lower bound inclusive, upper exclusive). */
export const PRICE_BUCKETS: readonly { min: number; max: number | null }[] = [
  { min: 0, max: 20_000 },
  { min: 20_000, max: 50_000 },
  { min: 50_000, max: 100_000 },
  { min: 100_000, max: 200_000 },
  { min: 200_000, max: 500_000 },
  { min: 500_000, max: null },
];

/** How many brands the brand facet lists (most products first). */
export const MAX_BRAND_FACETS = 20;

/**
 * Counts over every product matching the query and filter (not just the page). A category
 * counts its own products and its sub-categories' products. Zero counts are left out, except
 * price buckets, which are always all listed in PRICE_BUCKETS order.
 */
export interface Facets {
  categories: { categoryId: string; count: number }[];
  dietary: { label: string; count: number }[];
  brands: { brand: string; count: number }[];
  priceBuckets: { min: number; max: number | null; count: number }[];
}

export interface SearchRequest {
  /** Already validated: trimmed, non-empty, at most MAX_QUERY_LENGTH characters. */
  query: string;
  filter?: SearchFilter | null;
  first: number;
  /** An opaque cursor this engine produced for the same query and filter. */
  after?: string | null;
  /** The request language; an engine may use it to break ties, never to hide results. */
  locale: Locale;
  /** Defaults to RELEVANCE. */
  sort?: ProductSortKey | null;
  /**
   * Match products having ANY of the query's words (ranked so that more and better-matched words
   * come first) instead of all of them: the fallback when nothing matches every word.
   */
  matchAnyWord?: boolean;
}

export type FacetsRequest = Omit<SearchRequest, 'first' | 'after' | 'sort'>;

export interface SearchHit {
  sku: string;
  score: number;
  /** Resumes the search right after this hit. */
  cursor: string;
}

export interface SearchResult {
  totalCount: number;
  hits: SearchHit[];
  /** Null on the last page. */
  nextCursor: string | null;
  /** No product matched every word: these match some of them (see SearchRequest.matchAnyWord). */
  partial?: boolean;
}

export interface SuggestRequest {
  prefix: string;
  locale: Locale;
  limit: number;
}

export interface Suggestion {
  /** Product name in the requested language. */
  text: string;
  sku: string;
}

/** Products as an index needs them; engines that keep their own index are fed these. */
export interface IndexableProduct {
  sku: string;
  nameEn: string;
  nameVi: string;
  brand: string | null;
  manufacturer: string | null;
  descriptionEn: string | null;
  descriptionVi: string | null;
  tags: readonly string[];
  dietary: readonly string[];
  isPerishable: boolean;
  priceAmount: number;
  priceCurrency: string;
  /** The product's own category, with its parent (a filter on the parent covers the child). */
  category: IndexableCategory;
  /** Mean review rating (1-5), null without reviews. */
  ratingAverage: number | null;
  reviewCount: number;
  createdAt: Date;
  expiresAt: Date | null;
  /** Increases with every write: an index may refuse to replace a newer entry with an older. */
  version: number;
}

export interface IndexableCategory {
  id: string;
  nameEn: string;
  nameVi: string;
  parent: { id: string; nameEn: string; nameVi: string } | null;
}

export interface SearchEngine {
  readonly name: string;
  search(request: SearchRequest): Promise<SearchResult>;
  /** Facet counts over everything `search` would match for the same query and filter. */
  facets(request: FacetsRequest): Promise<Facets>;
  suggest(request: SuggestRequest): Promise<Suggestion[]>;
  /** Brings these products' index entries up to date (a no-op where the index is the table). */
  index(products: readonly IndexableProduct[]): Promise<void>;
  /**
   * Takes these SKUs out. With a SKU's current version (an archived row's), an index that
   * versions its entries refuses a late write of an older version afterwards.
   */
  remove(skus: readonly string[], versions?: ReadonlyMap<string, number>): Promise<void>;
}
