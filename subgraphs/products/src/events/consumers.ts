// What the products subgraph consumes: its own product, category, promotion and bundle events, to evict cached entries.
// Every replica has its own in-process LRU, so each one listens (an ephemeral fan-out group)
// and evicts its LRU and the shared Redis entry; deleting twice is harmless.
// Other domains' events feed durable projections (one replica handles each event): ratings
// from review.*, popularity from order.placed, per-location stock from stock.level_changed.
import type { Bus, DeadLetterSink, Logger } from '@grocery/platform';
import type { BundleService } from '../domain/bundle-service';
import type { ProductsDb } from '../data/db';
import type { CouponRedemptions } from '../data/coupon-redemptions';
import type { ProductSales } from '../data/product-sales';
import type { CatalogService } from '../domain/catalog-service';
import type { PopularProducts } from '../domain/popular-products';
import type { PromotionService } from '../domain/promotion-service';
import { startCouponRedemptionConsumer } from './coupon-redemption-consumer';
import { startPopularityConsumer } from './popularity-consumer';
import { PRODUCTS_TOPIC } from './product-events';
import { startRatingsConsumer } from './ratings-consumer';
import { startStockProjection } from './stock-projection';

export async function startProductConsumers(opts: {
  bus: Bus;
  db: ProductsDb;
  catalog: CatalogService;
  promotions: PromotionService;
  bundles: BundleService;
  sales: ProductSales;
  popular: PopularProducts;
  logger: Logger;
  redemptions: CouponRedemptions;
  /** Where the durable projections put events they keep failing on (products.dead_letter_event). */
  deadLetters: DeadLetterSink;
}): Promise<() => Promise<void>> {
  const sub = await opts.bus.subscribe(
    PRODUCTS_TOPIC,
    { group: 'products.cache-invalidation', from: 'latest', ephemeral: true },
    async (event) => {
      if (event.type.startsWith('product.')) await opts.catalog.evict([event.subject]);
      else if (event.type.startsWith('category.')) opts.catalog.forgetCategories();
      else if (event.type.startsWith('promotion.')) opts.promotions.forgetLivePromotions();
      else if (event.type.startsWith('bundle.')) await opts.bundles.evict([event.subject]);
    },
  );
  const stops = [
    await startRatingsConsumer(opts),
    await startPopularityConsumer(opts),
    await startStockProjection(opts),
    await startCouponRedemptionConsumer(opts),
  ];
  return async () => {
    for (const stop of stops) await stop();
    await sub.close();
  };
}
