import { notFound } from '@grocery/platform';
import { Arg, Ctx, FieldResolver, Float, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ProductsContext } from '../context';
import type { CategoryRecord, ProductRecord } from '../domain/product';
import { Locale, localeOf } from './locale';
import type { ProductPage } from '../domain/catalog-service';
import type { Facets } from '../search/search-engine';
import {
  Category,
  LocalizedText,
  Money,
  Product,
  ProductConnection,
  ProductFacets,
  ProductFilter,
  ProductSort,
  UpdateProductInput,
} from './types';

@Resolver(() => Product)
export class ProductResolver {
  @Query(() => Product, { nullable: true, description: 'One product by SKU; null when there is none.' })
  product(@Arg('sku', () => String) sku: string, @Ctx() ctx: ProductsContext): Promise<ProductRecord | null> {
    return ctx.loaders.product.load(sku);
  }

  @Query(() => ProductConnection, {
    description:
      'The catalog a page at a time (first <= 100): filtered, in SKU order unless sorted. Archived products are not listed.',
  })
  products(
    @Ctx() ctx: ProductsContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('filter', () => ProductFilter, { nullable: true }) filter?: ProductFilter,
    @Arg('sort', () => ProductSort, { nullable: true, description: 'Null: SKU order.' }) sort?: ProductSort,
  ): Promise<ProductPage> {
    return ctx.catalog.listProducts({ first, after, filter, sort });
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

  @FieldResolver(() => String, { nullable: true })
  description(
    @Root() p: ProductRecord,
    @Ctx() ctx: ProductsContext,
    @Arg('locale', () => Locale, { nullable: true }) locale?: Locale,
  ): string | null {
    return localeOf(ctx, locale) === 'vi' ? p.descriptionVi : p.descriptionEn;
  }

  @FieldResolver(() => LocalizedText, { nullable: true })
  descriptions(@Root() p: ProductRecord): LocalizedText | null {
    return p.descriptionEn !== null && p.descriptionVi !== null ? { en: p.descriptionEn, vi: p.descriptionVi } : null;
  }

  @FieldResolver(() => Float, { nullable: true })
  averageRating(@Root() p: ProductRecord): number | null {
    // Two decimals: a client shows "4.33", never a long binary fraction.
    return p.ratingAverage === null ? null : Math.round(p.ratingAverage * 100) / 100;
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

@Resolver(() => ProductConnection)
export class ProductConnectionResolver {
  @FieldResolver(() => ProductFacets)
  async facets(
    @Root() page: ProductPage,
    @Ctx() ctx: ProductsContext,
  ): Promise<Omit<Facets, 'categories'> & { categories: { category: CategoryRecord; count: number }[] }> {
    const facets = await page.facets();
    const categories = await ctx.loaders.category.loadMany(facets.categories.map((c) => c.categoryId));
    return {
      ...facets,
      // A category archived since the count was taken is left out rather than failing the page.
      categories: facets.categories.flatMap((c, i) => {
        const category = categories[i];
        return category && !(category instanceof Error) ? [{ category, count: c.count }] : [];
      }),
    };
  }
}

/** Federation: other subgraphs hand us `{ sku }`; batched through the request's DataLoader. */
export const productReference = {
  Product: {
    __resolveReference: (ref: { sku: string }, ctx: ProductsContext) => ctx.loaders.product.load(ref.sku),
  },
};
