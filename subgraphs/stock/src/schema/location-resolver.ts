import { Arg, Ctx, Directive, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { StockContext } from '../context';
import type { LocationRecord } from '../domain/location';
import { fieldIn, LocaleArg as Locale, localeOf, tagCache } from '@grocery/platform';
import { Location, LocationFilter, LocationNames } from './location-types';

@Resolver(() => Location)
export class LocationResolver {
  // For the gateway's cost estimate: reference data; 11 locations in the seed.
  @Directive('@listSize(assumedSize: 20)')
  @Query(() => [Location], {
    description: 'Stores, warehouses and pickup points, by id; optionally of one kind or city.',
  })
  locations(
    @Ctx() ctx: StockContext,
    @Arg('filter', () => LocationFilter, { nullable: true }) filter?: LocationFilter,
  ): Promise<LocationRecord[]> {
    tagCache(ctx, 'stock/location:*');
    return ctx.locations.list(filter ?? {});
  }

  @Directive('@cost(weight: 5)')
  @Query(() => Location, { nullable: true, description: 'One location by id; null when there is none.' })
  location(@Arg('id', () => ID) id: string, @Ctx() ctx: StockContext): Promise<LocationRecord | null> {
    return ctx.loaders.location.load(id);
  }

  @FieldResolver(() => String)
  name(
    @Root() l: LocationRecord,
    @Ctx() ctx: StockContext,
    @Arg('locale', () => Locale, { nullable: true }) locale?: Locale,
  ): string {
    return fieldIn(l, 'name', localeOf(ctx, locale));
  }

  @FieldResolver(() => LocationNames)
  names(@Root() l: LocationRecord): LocationNames {
    return { en: l.nameEn, vi: l.nameVi };
  }
}

/**
 * For fields holding a location id: the foreign key guarantees the location exists, so a
 * miss is a bug (reported to the client as INTERNAL_SERVER_ERROR, detail only in the logs).
 */
export async function loadLocation(ctx: StockContext, id: string): Promise<LocationRecord> {
  const location = await ctx.loaders.location.load(id);
  if (!location) throw new Error(`location ${id} is referenced but missing`);
  return location;
}

/** Federation: other subgraphs hand us `{ id }`; batched through the request's DataLoader. */
export const locationReference = {
  Location: {
    __resolveReference: (ref: { id: string }, ctx: StockContext) => ctx.loaders.location.load(ref.id),
  },
};
