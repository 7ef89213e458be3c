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
}

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
  suggest(request: SuggestRequest): Promise<Suggestion[]>;
  /** Brings these products' index entries up to date (a no-op where the index is the table). */
  index(products: readonly IndexableProduct[]): Promise<void>;
  remove(skus: readonly string[]): Promise<void>;
}
