// Facet counts beside a catalog listing or search: which counts there are and how prices are
// bucketed, the same whichever engine counts them.

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
