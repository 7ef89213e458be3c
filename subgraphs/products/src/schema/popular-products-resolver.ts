// Query.popularProducts. DESIGN.md places it in a future recommendations subgraph; issue 3 puts
// it in products, which already holds the sales projection it ranks.
import { tagPopularityRead } from './cache-tags';
import { Arg, Ctx, Directive, ID, Int, Query, Resolver } from 'type-graphql';
import type { PopularProducts } from '../domain/popular-products';
import { DEFAULT_POPULAR } from '../domain/popular-products';
import type { ProductRecord } from '../domain/product';
import { Product } from './types';

/** What this resolver needs from the request context (wired in index.ts). */
export interface PopularProductsContext {
  popularProducts: PopularProducts;
}

@Resolver()
export class PopularProductsResolver {
  // Cost (20 per ms of work; on a list, per item): the ranking is cached per category for a
  // minute (nothing to measure then); computing it is one aggregate over 7 days of sales, which
  // `pnpm bench cost` cannot measure (the seed has no sales): taken as a browse page, ~2 ms,
  // spread over the default 10 items.
  @Directive('@cost(weight: 4)')
  @Directive('@listSize(slicingArguments: ["first"])')
  @Query(() => [Product], {
    description:
      'Best sellers: most units ordered in the last 7 days (Vietnam business days, today included), most first, ties by SKU. Archived products are left out. first: 1-50.',
  })
  popularProducts(
    @Ctx() ctx: PopularProductsContext,
    @Arg('categoryId', () => ID, { nullable: true, description: 'Only this category and its sub-categories.' })
    categoryId?: string,
    @Arg('first', () => Int, { defaultValue: DEFAULT_POPULAR }) first?: number,
  ): Promise<ProductRecord[]> {
    tagPopularityRead(ctx);
    return ctx.popularProducts.popularProducts({ categoryId, first });
  }
}
