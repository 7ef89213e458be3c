// Staff operations on receipts, lots and low stock.
import { badInput } from '@grocery/platform';
import { Arg, Ctx, Directive, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { StockContext } from '../context';
import type { LotRecord } from '../domain/lot';
import type { StockLevelRecord } from '../domain/stock-level';
import { LowStockPage, ReceiveStockInput, StockLot } from './lot-types';
import { StockLevel } from './stock-types';

@Resolver()
export class LotResolver {
  @Directive('@cost(weight: 200)')
  @Mutation(() => StockLevel, {
    description:
      'Staff: units received at a location; with expiresAt they form a lot (consumed first-expiry-first, ' +
      'written off when it expires). An unknown location fails with NOT_FOUND.',
  })
  async receiveStock(
    @Arg('input', () => ReceiveStockInput) input: ReceiveStockInput,
    @Ctx() ctx: StockContext,
  ): Promise<StockLevelRecord> {
    const level = await ctx.stock.receiveStock(ctx.request.identity, input);
    ctx.loaders.availability.clear(level.sku);
    return level;
  }

  @Directive('@cost(weight: 20)')
  @Directive('@listSize(assumedSize: 20)')
  @Query(() => [StockLot], {
    description: 'Staff: a SKU’s live lots (units left, not expired), earliest expiry first; at most 200.',
  })
  stockLots(
    @Arg('sku', () => String) sku: string,
    @Ctx() ctx: StockContext,
    @Arg('locationId', () => ID, { nullable: true }) locationId?: string,
  ): Promise<LotRecord[]> {
    return ctx.stock.stockLots(ctx.request.identity, sku, locationId);
  }

  @Directive('@cost(weight: 20)')
  @Directive('@listSize(slicingArguments: ["first"], sizedFields: ["levels"])')
  @Query(() => LowStockPage, {
    description: 'Staff: levels at a location with fewer available units than its low-stock threshold, fewest first.',
  })
  async lowStock(
    @Arg('locationId', () => ID) locationId: string,
    @Ctx() ctx: StockContext,
    @Arg('first', () => Int, { defaultValue: 50, description: '1 to 200.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<{ levels: StockLevelRecord[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }> {
    const { levels, hasNextPage } = await ctx.stock.lowStock(
      ctx.request.identity,
      locationId,
      first,
      decodeCursor(after),
    );
    const last = levels[levels.length - 1];
    return {
      levels,
      pageInfo: { hasNextPage, endCursor: last ? encodeCursor({ available: last.available, sku: last.sku }) : null },
    };
  }

  @Directive('@cost(weight: 100)')
  @Mutation(() => Int, {
    description:
      'Staff: below how many available units (0 to 100000) a location’s levels are low (stock.low, lowStock). ' +
      'Answers the threshold set.',
  })
  setLowStockThreshold(
    @Arg('locationId', () => ID) locationId: string,
    @Arg('threshold', () => Int) threshold: number,
    @Ctx() ctx: StockContext,
  ): Promise<number> {
    return ctx.stock.setLowStockThreshold(ctx.request.identity, locationId, threshold);
  }
}

function encodeCursor(c: { available: number; sku: string }): string {
  return Buffer.from(JSON.stringify([c.available, c.sku])).toString('base64url');
}

function decodeCursor(cursor: string | undefined | null): { available: number; sku: string } | null {
  if (!cursor) return null;
  try {
    const [available, sku] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (Number.isInteger(available) && typeof sku === 'string') return { available: available as number, sku };
  } catch {
    // fall through
  }
  throw badInput('after must be a cursor from a previous lowStock page.', 'after');
}
