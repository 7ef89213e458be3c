import DataLoader from 'dataloader';
import type { RequestInfo } from '@grocery/platform';
import type { CatalogService } from './domain/catalog-service';
import type { CategoryRecord, ProductRecord } from './domain/product';

export interface ProductsContext {
  request: RequestInfo;
  catalog: CatalogService;
  loaders: {
    product: DataLoader<string, ProductRecord | null>;
    category: DataLoader<string, CategoryRecord | null>;
  };
}

export function createProductsContext(request: RequestInfo, catalog: CatalogService): ProductsContext {
  return {
    request,
    catalog,
    loaders: {
      product: new DataLoader((skus) => catalog.productsBySkus(skus), { maxBatchSize: 500 }),
      category: new DataLoader((ids) => catalog.categoriesByIds(ids)),
    },
  };
}
