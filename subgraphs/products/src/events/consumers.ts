// What the products subgraph consumes: its own product, category, promotion and bundle events, to evict cached entries.
// Every replica has its own in-process LRU, so each one listens (an ephemeral fan-out group)
// and evicts its LRU and the shared Redis entry; deleting twice is harmless.
import type { Bus, Logger } from '@grocery/platform';
import type { BundleService } from '../domain/bundle-service';
import type { CatalogService } from '../domain/catalog-service';
import type { PromotionService } from '../domain/promotion-service';
import { PRODUCTS_TOPIC } from './product-events';

export async function startProductConsumers(opts: {
  bus: Bus;
  catalog: CatalogService;
  promotions: PromotionService;
  bundles: BundleService;
  logger: Logger;
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
  return () => sub.close();
}
