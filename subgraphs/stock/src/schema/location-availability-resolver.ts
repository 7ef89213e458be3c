import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { StockContext } from '../context';
import type { LocationRecord } from '../domain/location';
import { loadLocation } from './location-resolver';
import { Location } from './location-types';
import type { LocationAvailabilityView } from './product-stock-resolver';
import { LocationAvailability } from './stock-types';

@Resolver(() => LocationAvailability)
export class LocationAvailabilityResolver {
  @FieldResolver(() => Location)
  location(@Root() view: LocationAvailabilityView, @Ctx() ctx: StockContext): Promise<LocationRecord> {
    return loadLocation(ctx, view.locationId);
  }
}
