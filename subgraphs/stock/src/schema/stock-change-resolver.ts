import { Arg, Ctx, FieldResolver, Resolver, Root, Subscription } from 'type-graphql';
import type { StockContext } from '../context';
import type { LocationRecord } from '../domain/location';
import type { StockChange as StockChangeRecord } from '../domain/stock-change';
import { validateWatchedSkus } from '../domain/stock-rules';
import { loadLocation } from './location-resolver';
import { Location } from './location-types';
import { StockChange } from './stock-change-types';
import { Product } from './stock-types';

/** StockChange as the schema shows it: the SKU's total first, this location's figures after. */
interface StockChangeView {
  sku: string;
  available: number;
  inStock: boolean;
  locationId: string;
  locationAvailable: number;
  onHand: number;
  reserved: number;
  reason: StockChangeRecord['reason'];
  changedAt: Date;
}

@Resolver(() => StockChange)
export class StockChangeResolver {
  @Subscription(() => StockChange, {
    description: 'Every stock change of these SKUs (1 to 100), from now on.',
    // Validated here rather than in the resolver so bad input fails the subscribe call itself.
    subscribe: ({ args, context }) => (context as StockContext).feed.watch(validateWatchedSkus(args.skus as string[])),
  })
  stockChanged(
    @Root() change: StockChangeRecord,
    // Read by `subscribe` above; declared here so it is part of the schema.
    @Arg('skus', () => [String]) _skus: string[],
  ): StockChangeView {
    return {
      sku: change.sku,
      available: change.totalAvailable,
      inStock: change.totalAvailable > 0,
      locationId: change.locationId,
      locationAvailable: change.available,
      onHand: change.onHand,
      reserved: change.reserved,
      reason: change.reason,
      changedAt: change.changedAt,
    };
  }

  @FieldResolver(() => Product, { nullable: true })
  product(@Root() change: StockChangeView): { sku: string } {
    return { sku: change.sku };
  }

  @FieldResolver(() => Location)
  location(@Root() change: StockChangeView, @Ctx() ctx: StockContext): Promise<LocationRecord> {
    return loadLocation(ctx, change.locationId);
  }
}
