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
  };
}

export function createProductsContext(
  request: RequestInfo,
  catalog: CatalogService,
  search: CatalogSearch,
  promotions: PromotionService,
  bundles: BundleService,
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
    },
  };
}
