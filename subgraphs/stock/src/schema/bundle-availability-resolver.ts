// Bundle availability, the minimum over the components' stock. Federation design: products owns
// Bundle and its components, stock owns the stock. Stock declares the components @external and
// `available` @requires them, so the gateway fetches `components { quantity product { sku } }`
// from products first and hands them to stock in the entity representation. Stock then answers
// from its own availability cache with one batched read for every component (of every bundle in
// the response, through the request's DataLoader), and keeps no copy of bundle contents that
// bundle edits would have to invalidate. The alternatives were worse: products projecting stock
// per bundle would need every stock event fanned out to the kits holding that SKU, and a client
// computing the minimum itself would get it wrong at a location.
import { notFound } from '@grocery/platform';
import { Arg, Ctx, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import type { StockContext } from '../context';
import { kitsAvailable } from '../domain/bundle-availability';
import { Bundle } from './bundle-types';

/** What the gateway hands us: the key plus the required components. */
export interface BundleRepresentation {
  id: string;
  components?: { quantity: number; product: { sku: string } }[];
  /** Serialized by the gateway: an ISO string, or null for a live bundle. */
  archivedAt?: string | Date | null;
}

@Resolver(() => Bundle)
export class BundleAvailabilityResolver {
  @FieldResolver(() => Int, { nullable: true })
  async available(
    @Root() bundle: BundleRepresentation,
    @Ctx() ctx: StockContext,
    @Arg('locationId', () => ID, { nullable: true }) locationId?: string | null,
  ): Promise<number> {
    if (locationId != null && !(await ctx.loaders.location.load(locationId)))
      throw notFound(`No location with id ${locationId}.`);
    // A retired kit is not sold, whatever its components' stock.
    if (bundle.archivedAt) return 0;
    const components = (bundle.components ?? []).map((c) => ({ sku: c.product.sku, quantity: c.quantity }));
    const availability = await ctx.loaders.availability.loadMany(components.map((c) => c.sku));
    const failed = availability.find((a) => a instanceof Error);
    if (failed) throw failed;
    return kitsAvailable(
      components,
      availability as Exclude<(typeof availability)[number], Error>[],
      locationId ?? null,
    );
  }
}

export const bundleReference = {
  Bundle: {
    __resolveReference: (ref: BundleRepresentation) => ref,
  },
};
