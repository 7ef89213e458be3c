import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { StockContext } from '../context';
import { availableOf, type StockLevelRecord } from '../domain/stock-level';
import { Product, ProductAvailability, StockLevel } from './stock-types';

/** What availability.byLocation items carry until their location is resolved. */
export interface LocationAvailabilityView {
  locationId: string;
  available: number;
  onHand: number;
  reserved: number;
}

@Resolver(() => Product)
export class ProductStockResolver {
  @FieldResolver(() => ProductAvailability, { nullable: true })
  async availability(
    @Root() product: { sku: string },
    @Ctx() ctx: StockContext,
  ): Promise<{ available: number; inStock: boolean; byLocation: LocationAvailabilityView[] }> {
    const a = await ctx.loaders.availability.load(product.sku);
    return {
      available: a.available,
      inStock: a.inStock,
      byLocation: a.levels.map((l) => ({
        locationId: l.locationId,
        available: availableOf(l),
        onHand: l.onHand,
        reserved: l.reserved,
      })),
    };
  }

  @FieldResolver(() => [StockLevel], { nullable: true })
  async stockLevels(@Root() product: { sku: string }, @Ctx() ctx: StockContext): Promise<StockLevelRecord[]> {
    return (await ctx.loaders.availability.load(product.sku)).levels;
  }
}

/**
 * Federation: the gateway hands us `{ sku }` for products from the catalog; the fields we add
 * load through the availability DataLoader, so a batch of 100 products is one query.
 */
export const productReference = {
  Product: {
    __resolveReference: (ref: { sku: string }) => ({ sku: ref.sku }),
  },
};
