import { notFound } from '@grocery/platform';
import { Arg, Ctx, Directive, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ProductsContext } from '../context';
import type { CategoryRecord, ProductRecord } from '../domain/product';
import { fieldIn, inLocale, LocaleArg as Locale, localeOf, tagCache } from '@grocery/platform';
import type { ProductPage } from '../domain/catalog-service';
import { DIETARY_NAMES, type DietaryLabel } from '../domain/dietary';
import type { Facets } from '../domain/facets';
import { tagCatalogRead } from './cache-tags';
import {
  Category,
  CreateCategoryInput,
  CreateProductInput,
  LocalizedText,
  Money,
  Product,
  ProductConnection,
  ProductFacets,
  ProductFilter,
  ProductSort,
  UpdateCategoryInput,
  UpdateProductInput,
} from './types';

@Resolver(() => Product)
export class ProductResolver {
  // Cost (20 per ms of work, `pnpm bench cost` on the 500-SKU seed): ~3 ms (1-8) when the entity
  // cache misses (one SQL query), nothing when it hits.
  @Directive('@cost(weight: 50)')
  @Query(() => Product, { nullable: true, description: 'One product by SKU; null when there is none.' })
  product(@Arg('sku', () => String) sku: string, @Ctx() ctx: ProductsContext): Promise<ProductRecord | null> {
    return ctx.loaders.product.load(sku);
  }

  // ~2 ms (0-6) for a filtered page of 20 (keyset SQL), plus hydrating it (priced per edge).
  @Directive('@cost(weight: 40)')
  @Directive('@listSize(slicingArguments: ["first"], sizedFields: ["edges"])')
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
    tagCatalogRead(ctx, filter, sort);
    return ctx.catalog.listProducts({ first, after, filter, sort });
  }

  // Writes: a transaction with its outbox row, then cache eviction; updateProduct ~10 ms (7-12).
  @Directive('@cost(weight: 200)')
  @Mutation(() => Product, { description: 'Staff: add a product to the catalog (published as product.created).' })
  async createProduct(
    @Arg('input', () => CreateProductInput) input: CreateProductInput,
    @Ctx() ctx: ProductsContext,
  ): Promise<ProductRecord> {
    const created = await ctx.catalog.createProduct(ctx.request.identity, input);
    ctx.loaders.product.clear(created.sku).prime(created.sku, created);
    return created;
  }

  @Directive('@cost(weight: 200)')
  @Mutation(() => Product, { description: 'Staff: change a product; only the fields given change.' })
  async updateProduct(
    @Arg('sku', () => String) sku: string,
    @Arg('input', () => UpdateProductInput) input: UpdateProductInput,
    @Ctx() ctx: ProductsContext,
  ): Promise<ProductRecord> {
    const updated = await ctx.catalog.updateProduct(ctx.request.identity, sku, input);
    ctx.loaders.product.clear(sku).prime(sku, updated);
    return updated;
  }

  @Directive('@cost(weight: 200)')
  @Mutation(() => Product, {
    description:
      'Staff: take a product off sale. It stays readable by SKU (orders refer to it) but leaves browse and search. Archiving an archived product changes nothing.',
  })
  async archiveProduct(@Arg('sku', () => String) sku: string, @Ctx() ctx: ProductsContext): Promise<ProductRecord> {
    const archived = await ctx.catalog.archiveProduct(ctx.request.identity, sku);
    ctx.loaders.product.clear(sku).prime(sku, archived);
    return archived;
  }

  @FieldResolver(() => String)
  name(
    @Root() p: ProductRecord,
    @Ctx() ctx: ProductsContext,
    @Arg('locale', () => Locale, { nullable: true }) locale?: Locale,
  ): string {
    return fieldIn(p, 'name', localeOf(ctx, locale));
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
    return fieldIn(p, 'description', localeOf(ctx, locale));
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

  @FieldResolver(() => Date, {
    nullable: true,
    description:
      'Perishables: the earliest expiry of its live lots across locations when stock holds it in lots; ' +
      'otherwise the best-before staff set for the current batch, when known.',
  })
  async expiresAt(@Root() p: ProductRecord, @Ctx() ctx: ProductsContext): Promise<Date | null> {
    // From the in-stock projection: a stock event of this SKU may change it.
    tagCache(ctx, `stock/stock:${p.sku}`);
    return (await ctx.loaders.lotExpiry.load(p.sku)) ?? p.expiresAt;
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
  // Reference data, read from memory; 78 categories in the 50,000-SKU seed.
  @Directive('@listSize(assumedSize: 80)')
  @Query(() => [Category], { description: 'Every live category (a two-level tree: see parentId).' })
  categories(@Ctx() ctx: ProductsContext): Promise<CategoryRecord[]> {
    return ctx.catalog.categories();
  }

  @Directive('@cost(weight: 200)')
  @Mutation(() => Category, { description: 'Staff: add a category (two levels: parentId must be a top-level one).' })
  createCategory(
    @Arg('input', () => CreateCategoryInput) input: CreateCategoryInput,
    @Ctx() ctx: ProductsContext,
  ): Promise<CategoryRecord> {
    return ctx.catalog.createCategory(ctx.request.identity, input);
  }

  @Directive('@cost(weight: 200)')
  @Mutation(() => Category, { description: 'Staff: rename a category or move it.' })
  updateCategory(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCategoryInput) input: UpdateCategoryInput,
    @Ctx() ctx: ProductsContext,
  ): Promise<CategoryRecord> {
    return ctx.catalog.updateCategory(ctx.request.identity, id, input);
  }

  @Directive('@cost(weight: 200)')
  @Mutation(() => Category, {
    description: 'Staff: retire an empty category (CONFLICT while live products or sub-categories remain in it).',
  })
  archiveCategory(@Arg('id', () => ID) id: string, @Ctx() ctx: ProductsContext): Promise<CategoryRecord> {
    return ctx.catalog.archiveCategory(ctx.request.identity, id);
  }

  @FieldResolver(() => String)
  name(
    @Root() c: CategoryRecord,
    @Ctx() ctx: ProductsContext,
    @Arg('locale', () => Locale, { nullable: true }) locale?: Locale,
  ): string {
    return fieldIn(c, 'name', localeOf(ctx, locale));
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
  ): Promise<
    Omit<Facets, 'categories' | 'dietary'> & {
      categories: { category: CategoryRecord; count: number }[];
      dietary: { label: string; name: string; names: LocalizedText; count: number }[];
    }
  > {
    const facets = await page.facets();
    const categories = await ctx.loaders.category.loadMany(facets.categories.map((c) => c.categoryId));
    const locale = localeOf(ctx);
    return {
      ...facets,
      dietary: facets.dietary.map((d) => {
        // Labels outside the known set (none are stored today) read as themselves.
        const names = DIETARY_NAMES[d.label as DietaryLabel] ?? { en: d.label, vi: d.label };
        return { ...d, names, name: inLocale(locale, names) };
      }),
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
