// The products subgraph: catalog (Product by SKU, Category) and promotions. Wires data, domain, schema, events.
import 'reflect-metadata';
import { buildFederatedSchema, OutboxRelay, type SubgraphDeps, type SubgraphModule } from '@grocery/platform';
import { createProductsContext, type ProductsContext } from './context';
import { createProductsDb } from './data/db';
import { BundleRepository } from './data/bundle-repository';
import { ProductBrowse } from './data/product-browse';
import { ProductRepository } from './data/product-repository';
import { PromotionRepository } from './data/promotion-repository';
import { BundleService, type CachedBundle } from './domain/bundle-service';
import { CatalogService } from './domain/catalog-service';
import { PromotionService } from './domain/promotion-service';
import { startProductConsumers } from './events/consumers';
import { BundleResolver, bundleReference } from './schema/bundle-resolver';
import {
  CategoryResolver,
  ProductConnectionResolver,
  ProductResolver,
  productReference,
} from './schema/product-resolver';
import { ProductPriceResolver, PromotionResolver } from './schema/promotion-resolver';
import { SearchResolver } from './schema/search-resolver';
import { createCatalogSearch, startSearchIndexing } from './search';

export { PRODUCTS_TOPIC, ProductEventType } from './events/product-events';
export type { ProductsContext };

/** The subgraph schema alone (for composition and SDL printing). */
export function buildProductsSchema() {
  return buildFederatedSchema({
    resolvers: [
      ProductResolver,
      ProductConnectionResolver,
      CategoryResolver,
      SearchResolver,
      PromotionResolver,
      ProductPriceResolver,
      BundleResolver,
    ],
    extraResolvers: { ...productReference, ...bundleReference },
  });
}

export async function createProductsSubgraph(deps: SubgraphDeps): Promise<SubgraphModule<ProductsContext>> {
  const db = createProductsDb(deps.databaseUrl);
  const relay = new OutboxRelay({ db, bus: deps.bus, logger: deps.logger, pollMs: deps.config.OUTBOX_POLL_MS });
  const catalog = new CatalogService(
    new ProductRepository(db),
    new ProductBrowse(db),
    deps.caches.cache('products:product', deps.config.CACHE_TTL_SECONDS),
    () => relay.wake(),
    deps.config.MAX_PAGE_SIZE,
    deps.logger,
  );
  const promotions = new PromotionService(new PromotionRepository(db), catalog, () => relay.wake());
  const bundles = new BundleService(
    new BundleRepository(db),
    deps.caches.cache<CachedBundle>('products:bundle', deps.config.CACHE_TTL_SECONDS),
    () => relay.wake(),
    deps.config.MAX_PAGE_SIZE,
    deps.logger,
  );
  const search = createCatalogSearch(db, deps.config);
  const schema = await buildProductsSchema();
  let stopConsumers: (() => Promise<void>) | undefined;
  let stopSearchIndexing: (() => Promise<void>) | undefined;

  return {
    name: 'products',
    schema,
    createContext: (request) => createProductsContext(request, catalog, search, promotions, bundles),
    async start() {
      relay.start();
      stopConsumers = await startProductConsumers({ bus: deps.bus, catalog, promotions, bundles, logger: deps.logger });
      stopSearchIndexing = await startSearchIndexing({ bus: deps.bus, db, engine: search.engine, logger: deps.logger });
    },
    async stop() {
      await stopConsumers?.();
      await stopSearchIndexing?.();
      await relay.stop();
      await db.$disconnect();
    },
    async healthy() {
      try {
        await db.$queryRawUnsafe('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
  };
}
