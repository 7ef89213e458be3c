import { Arg, Ctx, Directive, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { StockContext } from '../context';
import type { LocationRecord } from '../domain/location';
import { availableOf, type StockLevelRecord } from '../domain/stock-level';
import { loadLocation } from './location-resolver';
import { Location } from './location-types';
import { AdjustStockInput } from './stock-inputs';
import { Product, StockLevel } from './stock-types';

@Resolver(() => StockLevel)
export class StockLevelResolver {
  // Cost (20 per ms of work, `pnpm bench cost`): a write with its outbox row, ~9 ms (6-11).
  @Directive('@cost(weight: 200)')
  @Mutation(() => StockLevel, {
    description:
      'Staff: add (delta > 0) or remove (delta < 0) units at a location, with a reason for the audit trail. ' +
      'Removing more than is unreserved fails with CONFLICT; an unknown location with NOT_FOUND.',
  })
  async adjustStock(
    @Arg('input', () => AdjustStockInput) input: AdjustStockInput,
    @Ctx() ctx: StockContext,
  ): Promise<StockLevelRecord> {
    const level = await ctx.stock.adjustStock(ctx.request.identity, input);
    ctx.loaders.availability.clear(level.sku);
    return level;
  }

  @FieldResolver(() => Int)
  available(@Root() level: StockLevelRecord): number {
    return availableOf(level);
  }

  @FieldResolver(() => Location)
  location(@Root() level: StockLevelRecord, @Ctx() ctx: StockContext): Promise<LocationRecord> {
    return loadLocation(ctx, level.locationId);
  }

  @FieldResolver(() => Product, { nullable: true })
  product(@Root() level: StockLevelRecord): { sku: string } {
    return { sku: level.sku };
  }
}

/** Federation: `{ sku, locationId }` from another subgraph; null when that SKU is not stocked there. */
export const stockLevelReference = {
  StockLevel: {
    __resolveReference: async (ref: { sku: string; locationId: string }, ctx: StockContext) => {
      const { levels } = await ctx.loaders.availability.load(ref.sku);
      return levels.find((l) => l.locationId === ref.locationId) ?? null;
    },
  },
};
