// search and searchSuggestions: the engine ranks SKUs, the request's DataLoader hydrates the
// page (one SQL query, or none when the entity cache has them).
import { Arg, Ctx, Directive, Int, Query, Resolver } from 'type-graphql';
import type { ProductsContext } from '../context';
import type { ProductPage } from '../domain/catalog-service';
import type { ProductRecord } from '../domain/product';
import { tagCatalogRead } from './cache-tags';
import { ProductConnection, ProductFilter, ProductSort, SearchSuggestion } from './types';

@Resolver()
export class SearchResolver {
  // Cost (@cost, @listSize; 20 per ms of work, gateway/src/plugins/query-cost.ts), measured with
  // `pnpm bench cost` on the 500-SKU seed (medians of five runs on 2 shared cores, range in
  // brackets): a typo search ranks by trigram similarity, ~10 ms (6-19) for one word and ~15 ms
  // (12-37) for two (no exact match: searched again for any word), whatever `first`; rounded up.
  @Directive('@cost(weight: 400)')
  @Directive('@listSize(slicingArguments: ["first"], sizedFields: ["edges"])')
  @Query(() => ProductConnection, {
    description:
      'Products matching a text query in English or Vietnamese, with or without diacritics and with small typos; best match first. The query has 2 to 200 characters, at least 2 of them letters or digits.',
  })
  async search(
    @Arg('query', () => String) query: string,
    @Ctx() ctx: ProductsContext,
    @Arg('filter', () => ProductFilter, { nullable: true }) filter?: ProductFilter,
    @Arg('first', () => Int, { defaultValue: 20 }) first = 20,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('sort', () => ProductSort, { defaultValue: ProductSort.RELEVANCE }) sort: ProductSort = ProductSort.RELEVANCE,
  ): Promise<ProductPage> {
    const locale = ctx.request.locale;
    tagCatalogRead(ctx, filter, sort);
    const result = await ctx.search.search({ query, filter, first, after, locale, sort });
    const nodes = await ctx.loaders.product.loadMany(result.hits.map((h) => h.sku));
    const edges: { cursor: string; node: ProductRecord }[] = [];
    result.hits.forEach((hit, i) => {
      const node = nodes[i];
      if (node instanceof Error) throw node;
      // A product removed between ranking and loading is skipped, not returned as null.
      if (node) edges.push({ cursor: hit.cursor, node });
    });
    return {
      totalCount: result.totalCount,
      edges,
      pageInfo: { hasNextPage: result.nextCursor !== null, endCursor: result.hits.at(-1)?.cursor ?? null },
      facets: () => ctx.search.facets({ query, filter, locale }),
      partialMatch: result.partial ?? false,
    };
  }

  // ~3 ms (1-6): one indexed prefix/trigram lookup, spread over the default 8 items (a list's
  // weight is per item).
  @Directive('@cost(weight: 8)')
  @Directive('@listSize(slicingArguments: ["first"])')
  @Query(() => [SearchSuggestion], {
    description: 'Search-box completions for what the customer has typed so far, in the request language.',
  })
  searchSuggestions(
    @Arg('prefix', () => String) prefix: string,
    @Ctx() ctx: ProductsContext,
    @Arg('first', () => Int, { defaultValue: 8 }) first = 8,
  ): Promise<SearchSuggestion[]> {
    return ctx.search.suggest({ prefix, first, locale: ctx.request.locale });
  }
}
