import DataLoader from 'dataloader';
import type { RequestInfo } from '@grocery/platform';
import type { AvailabilityService } from './domain/availability-service';
import type { LocationRecord } from './domain/location';
import type { LocationDirectory } from './domain/location-directory';
import type { SkuAvailability } from './domain/stock-level';
import type { StockService } from './domain/stock-service';
import type { StockChangeFeed } from './events/stock-change-feed';

export interface StockServices {
  stock: StockService;
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

export function createStockContext(request: RequestInfo, services: StockServices): StockContext {
  return {
    ...services,
    request,
    loaders: {
      availability: new DataLoader((skus) => services.availability.forSkus(skus), { maxBatchSize: 500 }),
      location: new DataLoader((ids) => services.locations.byIds(ids)),
    },
  };
}
