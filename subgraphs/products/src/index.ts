// The products subgraph: catalog (Product by SKU, Category) and promotions. Wires data, domain, schema, events.
import 'reflect-metadata';
import { buildFederatedSchema, OutboxRelay, type SubgraphDeps, type SubgraphModule } from '@grocery/platform';
import { createProductsContext, type ProductsContext } from './context';
import { createProductsDb } from './data/db';
import { ProductBrowse } from './data/product-browse';
import { ProductRepository } from './data/product-repository';
import { ProductSales } from './data/product-sales';
import { PromotionRepository } from './data/promotion-repository';
import { CatalogService } from './domain/catalog-service';
import { PopularProducts, POPULAR_TTL_SECONDS } from './domain/popular-products';
import { PromotionService } from './domain/promotion-service';
import { startProductConsumers } from './events/consumers';
import {
  CategoryResolver,
  ProductConnectionResolver,
  ProductResolver,
  productReference,
} from './schema/product-resolver';
import { PopularProductsResolver } from './schema/popular-products-resolver';
import { ProductPriceResolver, PromotionResolver } from './schema/promotion-resolver';
import { SearchResolver } from './schema/search-resolver';
import { CatalogSearch, createSearchEngine, startSearchIndexing } from './search';

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
      PopularProductsResolver,
    ],
    extraResolvers: productReference,
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
  const sales = new ProductSales(db);
  const popularProducts = new PopularProducts(
    sales,
    catalog,
    deps.caches.cache('products:popular', POPULAR_TTL_SECONDS),
  );
  const search = new CatalogSearch(createSearchEngine(db, deps.config), deps.config.MAX_PAGE_SIZE);
  const schema = await buildProductsSchema();
  let stopConsumers: (() => Promise<void>) | undefined;
  let stopSearchIndexing: (() => Promise<void>) | undefined;

  return {
    name: 'products',
    schema,
    createContext: (request) => ({ ...createProductsContext(request, catalog, search, promotions), popularProducts }),
    async start() {
      relay.start();
      stopConsumers = await startProductConsumers({
        bus: deps.bus,
        db,
        catalog,
        promotions,
        sales,
        popular: popularProducts,
        logger: deps.logger,
      });
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
