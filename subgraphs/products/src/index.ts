// The products subgraph: catalog (Product by SKU, Category) and promotions. Wires data, domain, schema, events.
import 'reflect-metadata';
import {
  buildFederatedSchema,
  databaseAnswers,
  DeadLetterStore,
  defineSubgraph,
  OutboxRelay,
  type SubgraphDeps,
  type SubgraphModule,
} from '@grocery/platform';
import { createProductsContext, type ProductsContext } from './context';
import { createCatalogReadDb, createProductsDb } from './data/db';
import { earliestLotExpiries } from './data/product-stock';
import { BundleRepository } from './data/bundle-repository';
import { CouponRedemptions } from './data/coupon-redemptions';
import { CheckoutResolver } from './schema/checkout-resolver';
import { ProductBrowse } from './data/product-browse';
import { ProductRepository } from './data/product-repository';
import { ProductSales } from './data/product-sales';
import { PromotionRepository } from './data/promotion-repository';
import { BUNDLE_CACHE, BundleService, type CachedBundle } from './domain/bundle-service';
import { CatalogService, PRODUCT_CACHE } from './domain/catalog-service';
import { CouponAttempts } from './domain/coupon-attempts';
import { POPULAR_CACHE, PopularProducts, POPULAR_TTL_SECONDS } from './domain/popular-products';
import { PromotionService } from './domain/promotion-service';
import { startProductConsumers } from './events/consumers';
import { BundleResolver, bundleReference } from './schema/bundle-resolver';
import {
  CategoryResolver,
  ProductConnectionResolver,
  ProductResolver,
  productReference,
} from './schema/product-resolver';
import { PopularProductsResolver } from './schema/popular-products-resolver';
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
      PopularProductsResolver,
      CheckoutResolver,
    ],
    extraResolvers: { ...productReference, ...bundleReference },
  });
}

export async function createProductsSubgraph(deps: SubgraphDeps): Promise<SubgraphModule<ProductsContext>> {
  const db = createProductsDb(deps.databaseUrl);
  const catalogReads = createCatalogReadDb(deps.databaseUrl, deps.config.CATALOG_STATEMENT_TIMEOUT_MS);
  const relay = new OutboxRelay({ db, bus: deps.bus, logger: deps.logger, pollMs: deps.config.OUTBOX_POLL_MS });
  const catalog = new CatalogService(
    new ProductRepository(db),
    new ProductBrowse(catalogReads),
    deps.caches.cache(PRODUCT_CACHE, deps.config.CACHE_TTL_SECONDS),
    () => relay.wake(),
    deps.config.MAX_PAGE_SIZE,
    deps.logger,
  );
  const redemptions = new CouponRedemptions(db);
  const promotions = new PromotionService(
    new PromotionRepository(db),
    catalog,
    () => relay.wake(),
    redemptions,
    {
      maxLines: deps.config.MAX_CART_LINES,
      maxQuantity: deps.config.MAX_CART_LINE_QUANTITY,
      maxCouponCodes: deps.config.MAX_CART_COUPON_CODES,
    },
    new CouponAttempts(
      deps.caches.rateLimiter({
        name: 'products:rejected-coupons',
        limit: deps.config.MAX_REJECTED_COUPON_CODES,
        windowMs: deps.config.REJECTED_COUPON_CODES_WINDOW_SECONDS * 1000,
      }),
      deps.config.REJECTED_COUPON_CODES_WINDOW_SECONDS,
    ),
  );
  const bundles = new BundleService(
    new BundleRepository(db),
    deps.caches.cache<CachedBundle>(BUNDLE_CACHE, deps.config.CACHE_TTL_SECONDS),
    () => relay.wake(),
    deps.config.MAX_PAGE_SIZE,
    deps.logger,
  );
  const sales = new ProductSales(catalogReads);
  const popularProducts = new PopularProducts(sales, catalog, deps.caches.cache(POPULAR_CACHE, POPULAR_TTL_SECONDS));
  const search = createCatalogSearch(catalogReads, deps.config);
  const schema = await buildProductsSchema();
  // Events the durable projections keep failing on wait here for staff (pnpm ops dead-letters).
  const deadLetters = new DeadLetterStore({ db, schema: 'products', logger: deps.logger });
  let stopConsumers: (() => Promise<void>) | undefined;
  let stopSearchIndexing: (() => Promise<void>) | undefined;

  return {
    name: 'products',
    schema,
    createContext: (request) => ({
      ...createProductsContext(request, catalog, search, promotions, bundles, (skus) => earliestLotExpiries(db, skus)),
      popularProducts,
      redemptions,
    }),
    async start() {
      relay.start();
      stopConsumers = await startProductConsumers({
        bus: deps.bus,
        db,
        catalog,
        promotions,
        bundles,
        sales,
        popular: popularProducts,
        redemptions,
        logger: deps.logger,
        deadLetters,
      });
      stopSearchIndexing = await startSearchIndexing({
        bus: deps.bus,
        db,
        engine: search.engine,
        logger: deps.logger,
        deadLetters,
      });
    },
    async stop() {
      await stopConsumers?.();
      await stopSearchIndexing?.();
      await deadLetters.close();
      await relay.stop();
      await db.$disconnect();
      await catalogReads.$disconnect();
    },
    healthy: () => databaseAnswers(db),
  };
}

/** The products subgraph as the gateway's registry and its own service know it. */
export const productsSubgraph = defineSubgraph({
  name: 'products',
  defaultPort: 4001,
  buildSchema: buildProductsSchema,
  create: createProductsSubgraph,
});
export { rebuildInStock, rebuildRatings, rebuildSales, rebuildSearchIndex } from './projections/rebuild';
