// The catalog's search port. PostgreSQL (default) and Elasticsearch implement it; the
// GraphQL layer only ever sees SKUs and scores, and hydrates products through its DataLoader.
import type { Locale } from '@grocery/platform';
import type { Facets } from '../domain/facets';
import type { SearchFilter } from '../domain/product-filter';
import type { ProductSortKey } from '../domain/product-sort';

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
