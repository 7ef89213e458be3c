// The orders a shopper can list or search the catalog in; the engines and browsing implement each.

/** Result orders. RELEVANCE needs a query; browsing without one treats it as POPULARITY. */
export const PRODUCT_SORTS = ['RELEVANCE', 'PRICE_ASC', 'PRICE_DESC', 'POPULARITY', 'RATING', 'NEWEST'] as const;
export type ProductSortKey = (typeof PRODUCT_SORTS)[number];
