// What catalog answers read from other domains, for the gateway's response cache
// (platform/src/graphql/cache-control.ts). Everything products reads of its own is covered by
// `products/*` (any products event evicts it); these are the answers that also change with
// another domain's events: the in-stock projection (stock.level_changed) and popularity
// (order.placed). Ratings arrive from review.* but products republishes them as
// product.rating_changed, so they need nothing here.
import { tagCache } from '@grocery/platform';
import { ProductSort } from './types';

export function tagCatalogRead(
  ctx: object,
  filter?: { inStockAt?: string | null } | null,
  sort?: ProductSort | null,
): void {
  if (filter?.inStockAt) tagCache(ctx, 'stock/stock:*');
  // RELEVANCE ranks by popularity where the text does not decide (and is POPULARITY without a query).
  if (sort === ProductSort.POPULARITY || sort === ProductSort.RELEVANCE) tagCache(ctx, 'orders/order:*');
}

/** popularProducts: units ordered in the last 7 days. */
export function tagPopularityRead(ctx: object): void {
  tagCache(ctx, 'orders/order:*');
}
