import DataLoader from 'dataloader';
import { tagCache, type RequestInfo } from '@grocery/platform';
import type { AvailabilityService } from './domain/availability-service';
import type { LocationRecord } from './domain/location';
import type { LocationDirectory } from './domain/location-directory';
import type { OrderStockService } from './domain/order-stock-service';
import type { SkuAvailability } from './domain/stock-level';
import type { StockService } from './domain/stock-service';
import type { StockChangeFeed } from './events/stock-change-feed';

export interface StockServices {
  stock: StockService;
  orderStock: OrderStockService;
  availability: AvailabilityService;
  locations: LocationDirectory;
  feed: StockChangeFeed;
}

export interface StockContext extends StockServices {
  request: RequestInfo;
  loaders: {
    /** Availability by SKU: a page of products (or `_entities`) is one cache read and one query. */
    availability: DataLoader<string, SkuAvailability>;
    location: DataLoader<string, LocationRecord | null>;
  };
}

/**
 * Every stock read goes through these loaders, and each tags the answer with what it read (the
 * gateway's response cache: a stock.level_changed event of SKU S evicts `stock/stock:S`, and
 * locations have no events, so they are tagged as a whole). Stock's tags are precise.
 */
export function createStockContext(request: RequestInfo, services: StockServices): StockContext {
  const ctx: StockContext = {
    ...services,
    request,
    loaders: {
      availability: new DataLoader(
        (skus) => {
          tagCache(ctx, ...skus.map((sku) => `stock/stock:${sku}`));
          return services.availability.forSkus(skus);
        },
        { maxBatchSize: 500 },
      ),
      location: new DataLoader((ids) => {
        tagCache(ctx, 'stock/location:*');
        return services.locations.byIds(ids);
      }),
    },
  };
  return ctx;
}
