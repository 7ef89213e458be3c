// What the products subgraph consumes: its own product events, to evict cached entries on
// every replica (the writer already evicted its own; this covers the others).
import type { Bus, Logger } from '@grocery/platform';
import type { CatalogService } from '../domain/catalog-service';
import { PRODUCTS_TOPIC } from './product-events';

export async function startProductConsumers(opts: {
  bus: Bus;
  catalog: CatalogService;
  logger: Logger;
}): Promise<() => Promise<void>> {
  const sub = await opts.bus.subscribe(
    PRODUCTS_TOPIC,
    { group: 'products.cache-invalidation', from: 'latest' },
    async (event) => {
      if (event.type.startsWith('product.')) await opts.catalog.evict([event.subject]);
    },
  );
  return () => sub.close();
}
