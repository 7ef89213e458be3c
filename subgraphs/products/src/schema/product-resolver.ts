import { badInput, notFound } from '@grocery/platform';
import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ProductsContext } from '../context';
import type { CategoryRecord, ProductRecord } from '../domain/product';
import { Locale, localeOf } from './locale';
import { Category, LocalizedText, Money, Product, ProductConnection, ProductFilter, UpdateProductInput } from './types';

@Resolver(() => Product)
export class ProductResolver {
  @Query(() => Product, { nullable: true, description: 'One product by SKU; null when there is none.' })
  product(@Arg('sku', () => String) sku: string, @Ctx() ctx: ProductsContext): Promise<ProductRecord | null> {
    return ctx.loaders.product.load(sku);
  }

  @Query(() => ProductConnection, { description: 'Products in SKU order, a page at a time (first <= 100).' })
  products(
    @Ctx() ctx: ProductsContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('filter', () => ProductFilter, { nullable: true }) filter?: ProductFilter,
  ) {
    // Refused rather than silently ignored: a client would otherwise trust an unfiltered list.
    const searchOnly = (['dietary', 'minPrice', 'maxPrice'] as const).find((f) => filter?.[f] != null);
    if (searchOnly)
      throw badInput(`filter.${searchOnly} is supported by search, not products.`, `filter.${searchOnly}`);
    return ctx.catalog.listProducts({ first, after, filter });
  }

  @Mutation(() => Product, { description: 'Staff: change a product’s price, names, unit or brand.' })
  async updateProduct(
    @Arg('sku', () => String) sku: string,
    @Arg('input', () => UpdateProductInput) input: UpdateProductInput,
    @Ctx() ctx: ProductsContext,
  ): Promise<ProductRecord> {
    const updated = await ctx.catalog.updateProduct(ctx.request.identity, sku, input);
    ctx.loaders.product.clear(sku).prime(sku, updated);
    return updated;
  }

  @FieldResolver(() => String)
  name(
    @Root() p: ProductRecord,
    @Ctx() ctx: ProductsContext,
    @Arg('locale', () => Locale, { nullable: true }) locale?: Locale,
  ): string {
    return localeOf(ctx, locale) === 'vi' ? p.nameVi : p.nameEn;
  }

  @FieldResolver(() => LocalizedText)
  names(@Root() p: ProductRecord): LocalizedText {
    return { en: p.nameEn, vi: p.nameVi };
  }

  @FieldResolver(() => Money)
  price(@Root() p: ProductRecord): Money {
    return { amount: p.priceAmount, currency: p.priceCurrency };
  }

  @FieldResolver(() => Category)
  async category(@Root() p: ProductRecord, @Ctx() ctx: ProductsContext): Promise<CategoryRecord> {
    const c = await ctx.loaders.category.load(p.categoryId);
    if (!c) throw notFound(`Category ${p.categoryId} is missing.`);
    return c;
  }
}

@Resolver(() => Category)
export class CategoryResolver {
  @Query(() => [Category], { description: 'Every category (a two-level tree: see parentId).' })
  categories(@Ctx() ctx: ProductsContext): Promise<CategoryRecord[]> {
    return ctx.catalog.categories();
  }

  @FieldResolver(() => String)
  name(
    @Root() c: CategoryRecord,
    @Ctx() ctx: ProductsContext,
    @Arg('locale', () => Locale, { nullable: true }) locale?: Locale,
  ): string {
    return localeOf(ctx, locale) === 'vi' ? c.nameVi : c.nameEn;
  }

  @FieldResolver(() => LocalizedText)
  names(@Root() c: CategoryRecord): LocalizedText {
    return { en: c.nameEn, vi: c.nameVi };
  }
}

/** Federation: other subgraphs hand us `{ sku }`; batched through the request's DataLoader. */
export const productReference = {
  Product: {
    __resolveReference: (ref: { sku: string }, ctx: ProductsContext) => ctx.loaders.product.load(ref.sku),
  },
};
