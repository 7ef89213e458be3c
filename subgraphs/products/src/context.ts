import DataLoader from 'dataloader';
import type { RequestInfo } from '@grocery/platform';
import type { CatalogService } from './domain/catalog-service';
import type { CategoryRecord, ProductRecord } from './domain/product';
import type { CatalogSearch } from './search';

export interface ProductsContext {
  request: RequestInfo;
  catalog: CatalogService;
  search: CatalogSearch;
  loaders: {
    product: DataLoader<string, ProductRecord | null>;
    category: DataLoader<string, CategoryRecord | null>;
  };
}

export function createProductsContext(
  request: RequestInfo,
  catalog: CatalogService,
  search: CatalogSearch,
): ProductsContext {
  return {
    request,
    catalog,
    search,
    loaders: {
      product: new DataLoader((skus) => catalog.productsBySkus(skus), { maxBatchSize: 500 }),
      category: new DataLoader((ids) => catalog.categoriesByIds(ids)),
    },
  };
}
