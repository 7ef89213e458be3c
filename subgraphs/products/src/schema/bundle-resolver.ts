import { notFound } from '@grocery/platform';
import { Arg, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ProductsContext } from '../context';
import type { BundleRecord } from '../domain/bundle';
import type { BundlePage } from '../domain/bundle-service';
import type { ProductRecord } from '../domain/product';
import { Bundle, BundleComponent, BundleConnection, CreateBundleInput, UpdateBundleInput } from './bundle-types';
import { fieldIn, LocaleArg as Locale, localeOf } from '@grocery/platform';
import { LocalizedText, Money } from './types';

async function componentProducts(b: BundleRecord, ctx: ProductsContext): Promise<ProductRecord[]> {
  const products = await ctx.loaders.product.loadMany(b.components.map((c) => c.sku));
  return products.map((p, i) => {
    // The foreign key keeps components in the catalog: a miss is a bug, not bad input.
    if (!p || p instanceof Error) throw p instanceof Error ? p : notFound(`Product ${b.components[i].sku} is missing.`);
    return p;
  });
}

@Resolver(() => Bundle)
export class BundleResolver {
  // Cost (20 per ms of work, `pnpm bench cost`): one SQL query unless cached, like a product read.
  @Directive('@cost(weight: 50)')
  @Query(() => Bundle, {
    nullable: true,
    description: 'One bundle by id (archived ones too); null when there is none.',
  })
  bundle(@Arg('id', () => ID) id: string, @Ctx() ctx: ProductsContext): Promise<BundleRecord | null> {
    return ctx.loaders.bundle.load(id);
  }

  // A page of 10 kits with their components: ~5 ms (3-15) in all, most of it the kits' fields.
  @Directive('@cost(weight: 40)')
  @Directive('@listSize(slicingArguments: ["first"], sizedFields: ["edges"])')
  @Query(() => BundleConnection, { description: 'Bundles on sale (not archived), a page at a time in slug order.' })
  bundles(
    @Ctx() ctx: ProductsContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<BundlePage> {
    return ctx.bundles.listBundles({ first, after });
  }

  // Writes: a transaction with its outbox row, then cache eviction, like updateProduct (~10 ms).
  @Directive('@cost(weight: 200)')
  @Mutation(() => Bundle, { description: 'Staff: a new bundle.' })
  async createBundle(
    @Arg('input', () => CreateBundleInput) input: CreateBundleInput,
    @Ctx() ctx: ProductsContext,
  ): Promise<BundleRecord> {
    const created = await ctx.bundles.createBundle(ctx.request.identity, input);
    ctx.loaders.bundle.prime(created.id, created);
    return created;
  }

  @Directive('@cost(weight: 200)')
  @Mutation(() => Bundle, { description: 'Staff: change a bundle (only the fields given).' })
  async updateBundle(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateBundleInput) input: UpdateBundleInput,
    @Ctx() ctx: ProductsContext,
  ): Promise<BundleRecord> {
    const updated = await ctx.bundles.updateBundle(ctx.request.identity, id, input);
    ctx.loaders.bundle.clear(id).prime(id, updated);
    return updated;
  }

  @Directive('@cost(weight: 200)')
  @Mutation(() => Bundle, { description: 'Staff: take a bundle off sale for good (it stays readable by id).' })
  async archiveBundle(@Arg('id', () => ID) id: string, @Ctx() ctx: ProductsContext): Promise<BundleRecord> {
    const archived = await ctx.bundles.archiveBundle(ctx.request.identity, id);
    ctx.loaders.bundle.clear(id).prime(id, archived);
    return archived;
  }

  @FieldResolver(() => String)
  name(
    @Root() b: BundleRecord,
    @Ctx() ctx: ProductsContext,
    @Arg('locale', () => Locale, { nullable: true }) locale?: Locale,
  ): string {
    return fieldIn(b, 'name', localeOf(ctx, locale));
  }

  @FieldResolver(() => LocalizedText)
  names(@Root() b: BundleRecord): LocalizedText {
    return { en: b.nameEn, vi: b.nameVi };
  }

  @FieldResolver(() => String, { nullable: true })
  description(
    @Root() b: BundleRecord,
    @Ctx() ctx: ProductsContext,
    @Arg('locale', () => Locale, { nullable: true }) locale?: Locale,
  ): string | null {
    return fieldIn(b, 'description', localeOf(ctx, locale));
  }

  @FieldResolver(() => LocalizedText, { nullable: true })
  descriptions(@Root() b: BundleRecord): LocalizedText | null {
    return b.descriptionEn !== null && b.descriptionVi !== null ? { en: b.descriptionEn, vi: b.descriptionVi } : null;
  }

  @FieldResolver(() => Money)
  price(@Root() b: BundleRecord): Money {
    return { amount: b.priceAmount, currency: b.priceCurrency };
  }

  @FieldResolver(() => [BundleComponent])
  async components(
    @Root() b: BundleRecord,
    @Ctx() ctx: ProductsContext,
  ): Promise<{ product: ProductRecord; quantity: number }[]> {
    const products = await componentProducts(b, ctx);
    return b.components.map((c, i) => ({ product: products[i], quantity: c.quantity }));
  }

  @FieldResolver(() => Money)
  async regularTotal(@Root() b: BundleRecord, @Ctx() ctx: ProductsContext): Promise<Money> {
    const { regularTotal } = ctx.bundles.value(b, await componentProducts(b, ctx));
    return { amount: regularTotal, currency: b.priceCurrency };
  }

  @FieldResolver(() => Money)
  async savings(@Root() b: BundleRecord, @Ctx() ctx: ProductsContext): Promise<Money> {
    const { savings } = ctx.bundles.value(b, await componentProducts(b, ctx));
    return { amount: savings, currency: b.priceCurrency };
  }
}

/** Federation: the stock subgraph hands us `{ id }` to fetch the components it @requires. */
export const bundleReference = {
  Bundle: {
    __resolveReference: (ref: { id: string }, ctx: ProductsContext) => ctx.loaders.bundle.load(ref.id),
  },
};
