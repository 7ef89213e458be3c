import DataLoader from 'dataloader';
import type { RequestInfo } from '@grocery/platform';
import type { BundleRecord } from './domain/bundle';
import type { BundleService } from './domain/bundle-service';
import type { CatalogService } from './domain/catalog-service';
import type { ShelfPrice } from './domain/pricing';
import type { CategoryRecord, ProductRecord } from './domain/product';
import type { PromotionService } from './domain/promotion-service';
import type { CatalogSearch } from './search';

export interface ProductsContext {
  request: RequestInfo;
  catalog: CatalogService;
  search: CatalogSearch;
  promotions: PromotionService;
  bundles: BundleService;
  loaders: {
    product: DataLoader<string, ProductRecord | null>;
    category: DataLoader<string, CategoryRecord | null>;
    /** Computed once per product per request (currentPrice and promotion share it). */
    shelfPrice: DataLoader<ProductRecord, ShelfPrice, string>;
    bundle: DataLoader<string, BundleRecord | null>;
    /** The earliest expiry of a SKU's live lots (the in-stock projection), null without lots. */
    lotExpiry: DataLoader<string, Date | null>;
  };
}

export function createProductsContext(
  request: RequestInfo,
  catalog: CatalogService,
  search: CatalogSearch,
  promotions: PromotionService,
  bundles: BundleService,
  lotExpiries: (skus: readonly string[]) => Promise<Map<string, Date>>,
): ProductsContext {
  return {
    request,
    catalog,
    search,
    promotions,
    bundles,
    loaders: {
      product: new DataLoader((skus) => catalog.productsBySkus(skus), { maxBatchSize: 500 }),
      category: new DataLoader((ids) => catalog.categoriesByIds(ids)),
      shelfPrice: new DataLoader((products) => Promise.all(products.map((p) => promotions.shelfPrice(p))), {
        cacheKeyFn: (p) => p.sku,
      }),
      bundle: new DataLoader((ids) => bundles.bundlesByIds(ids), { maxBatchSize: 500 }),
      lotExpiry: new DataLoader(
        async (skus) => {
          const found = await lotExpiries(skus);
          return skus.map((sku) => found.get(sku) ?? null);
        },
        { maxBatchSize: 500 },
      ),
    },
  };
}
