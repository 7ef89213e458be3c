import { LocalizedText, Money, MoneyInput, PageInfo, CacheControl } from '@grocery/platform';
import { Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

// The shared vocabulary is the platform's, one definition for every subgraph; re-exported for
// this subgraph's schema files.
export { LocalizedText, Money, MoneyInput, PageInfo };

export enum ProductSort {
  RELEVANCE = 'RELEVANCE',
  PRICE_ASC = 'PRICE_ASC',
  PRICE_DESC = 'PRICE_DESC',
  POPULARITY = 'POPULARITY',
  RATING = 'RATING',
  NEWEST = 'NEWEST',
}

registerEnumType(ProductSort, {
  name: 'ProductSort',
  description: 'Result order. Ties are broken by SKU, so pages never overlap.',
  valuesConfig: {
    RELEVANCE: { description: 'Best text match first (search); for products without a query, the same as POPULARITY.' },
    PRICE_ASC: { description: 'Cheapest regular price first.' },
    PRICE_DESC: { description: 'Dearest regular price first.' },
    POPULARITY: { description: 'Most units ordered in the last 7 days first.' },
    RATING: { description: 'Highest average review rating first; products without reviews last.' },
    NEWEST: { description: 'Most recently added to the catalog first.' },
  },
});

@ObjectType()
@CacheControl({ maxAge: 300 })
export class Category {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'In the request language (Accept-Language or the locale argument).' })
  name!: string;

  @Field(() => LocalizedText)
  names!: LocalizedText;

  @Field(() => ID, { nullable: true })
  parentId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Set when staff archived it; archived categories are not listed.' })
  archivedAt?: Date | null;
}

@Directive('@key(fields: "sku")')
@ObjectType()
@CacheControl({ maxAge: 60 })
export class Product {
  @Field(() => ID)
  sku!: string;

  @Field({ description: 'In the request language (Accept-Language or the locale argument).' })
  name!: string;

  @Field(() => LocalizedText)
  names!: LocalizedText;

  @Field(() => Category)
  category!: Category;

  @Field(() => Money)
  price!: Money;

  @Field({ description: 'Unit of measure: kg, g, l, ml, piece, pack, ...' })
  unit!: string;

  @Field(() => String, { nullable: true })
  brand?: string | null;

  @Field()
  isPerishable!: boolean;

  @Field(() => String, { nullable: true, description: 'In the request language.' })
  description?: string | null;

  @Field(() => LocalizedText, { nullable: true, description: 'Both languages; null when the product has none.' })
  descriptions?: LocalizedText | null;

  @Field(() => String, { nullable: true })
  manufacturer?: string | null;

  // List sizes for the gateway's cost estimate: what the 50,000-SKU seed holds at most (tags 5,
  // labels 5 of 6, images 3), not the edit limits (30 tags, 12 images).
  @Directive('@listSize(assumedSize: 5)')
  @Field(() => [String], { description: 'Lower-case tags (e.g. "imported", "tet", "fresh").' })
  tags!: string[];

  @Directive('@listSize(assumedSize: 6)')
  @Field(() => [String], {
    description: 'Dietary labels: vegan, vegetarian, gluten_free, halal, organic, lactose_free.',
  })
  dietary!: string[];

  @Directive('@listSize(assumedSize: 5)')
  @Field(() => [String], { description: 'Image URLs, the main image first.' })
  imageUrls!: string[];

  @Field(() => Int, { nullable: true, description: 'Perishables: days it keeps from delivery.' })
  shelfLifeDays?: number | null;

  // Resolved by ProductResolver.expiresAt: stock's lots when it has any, else this stored value.
  @Field(() => Date, {
    nullable: true,
    description:
      'Perishables: the earliest expiry of its live lots across locations when stock holds it in lots; ' +
      'otherwise the best-before staff set for the current batch, when known.',
  })
  expiresAt?: Date | null;

  @Field(() => Float, { nullable: true, description: 'Mean review rating from 1 to 5; null without reviews.' })
  averageRating?: number | null;

  @Field(() => Int)
  reviewCount!: number;

  @Field({ description: 'When it was added to the catalog.' })
  createdAt!: Date;

  @Field()
  updatedAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'Set when staff archived it: still readable by SKU, no longer browsed, searched or sold.',
  })
  archivedAt?: Date | null;
}

@ObjectType()
@CacheControl({ inheritMaxAge: true })
export class ProductEdge {
  @Field()
  cursor!: string;

  @Field(() => Product)
  node!: Product;
}

@ObjectType()
@CacheControl({ inheritMaxAge: true })
export class CategoryFacet {
  @Field(() => Category)
  category!: Category;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
@CacheControl({ inheritMaxAge: true })
export class DietaryFacet {
  @Field({ description: 'The label as in Product.dietary and ProductFilter.dietary (vegan, gluten_free, ...).' })
  label!: string;

  @Field({ description: 'The label for people, in the request language.' })
  name!: string;

  @Field(() => LocalizedText)
  names!: LocalizedText;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
@CacheControl({ inheritMaxAge: true })
export class BrandFacet {
  @Field()
  brand!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'Products whose regular price is at least min and below max (no upper bound when null).' })
@CacheControl({ inheritMaxAge: true })
export class PriceBucketFacet {
  @Field(() => Int)
  min!: number;

  @Field(() => Int, { nullable: true })
  max?: number | null;

  @Field(() => Int)
  count!: number;
}

@ObjectType({
  description:
    'Counts over every product the query and filter match (not only this page). A category counts its sub-categories’ products too; brands lists the 20 largest.',
})
@CacheControl({ inheritMaxAge: true })
export class ProductFacets {
  // At most every category (78 in the 50,000-SKU seed), the 6 labels, MAX_BRAND_FACETS, PRICE_BUCKETS.
  @Directive('@listSize(assumedSize: 80)')
  @Field(() => [CategoryFacet])
  categories!: CategoryFacet[];

  @Directive('@listSize(assumedSize: 6)')
  @Field(() => [DietaryFacet])
  dietary!: DietaryFacet[];

  @Directive('@listSize(assumedSize: 20)')
  @Field(() => [BrandFacet])
  brands!: BrandFacet[];

  @Directive('@listSize(assumedSize: 6)')
  @Field(() => [PriceBucketFacet], { description: 'Every bucket, in ascending price, zero counts included.' })
  priceBuckets!: PriceBucketFacet[];
}

@ObjectType()
@CacheControl({ maxAge: 60 })
export class ProductConnection {
  @Field(() => Int)
  totalCount!: number;

  @Field(() => [ProductEdge])
  edges!: ProductEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  // Cost (20 per ms of work, `pnpm bench cost` on the 500-SKU seed): four counts over every match
  // in one statement, ~10 ms (8-16) over a typo search's matches, ~7 ms (6-10) over a browse filter's.
  @Directive('@cost(weight: 300)')
  @Field(() => ProductFacets, { description: 'Computed only when selected.' })
  facets!: ProductFacets;

  @Field(() => Boolean, {
    description:
      'Search only: true when no product matched every word of the query, so these are the products ' +
      'matching some of its words, best first (say so to the shopper: "no results for …, showing …"). ' +
      'False when browsing.',
  })
  partialMatch!: boolean;
}

@InputType()
export class ProductFilter {
  @Field(() => ID, { nullable: true, description: 'Only products in this category or its sub-categories.' })
  categoryId?: string;

  @Field(() => Boolean, { nullable: true })
  isPerishable?: boolean;

  @Field(() => String, { nullable: true, description: 'Case- and diacritic-insensitive.' })
  brand?: string;

  @Field(() => [String], {
    nullable: true,
    description:
      'Products carrying every one of these labels (vegan, vegetarian, gluten_free, halal, organic, lactose_free).',
  })
  dietary?: string[];

  @Field(() => [String], { nullable: true, description: 'Products carrying every one of these tags.' })
  tags?: string[];

  @Field(() => Int, { nullable: true, description: 'Regular price.amount at least this.' })
  minPrice?: number;

  @Field(() => Int, { nullable: true, description: 'Regular price.amount at most this.' })
  maxPrice?: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Perishables whose expiresAt falls within this many days from now (1-365).',
  })
  expiringWithinDays?: number;

  @Field(() => Float, {
    nullable: true,
    description: 'averageRating at least this (1-5); unreviewed products excluded.',
  })
  minRating?: number;

  @Field(() => ID, {
    nullable: true,
    description:
      'Only products with units available at this stock location (Location.id), as of the latest stock event.',
  })
  inStockAt?: string;
}

@ObjectType({ description: 'A completion for a search box: a product name in the request language.' })
@CacheControl({ maxAge: 60 })
export class SearchSuggestion {
  @Field()
  text!: string;

  @Field(() => ID)
  sku!: string;
}

@InputType({ description: 'Staff edit of a product: only the fields given change; null clears an optional field.' })
export class UpdateProductInput {
  @Field(() => MoneyInput, { nullable: true })
  price?: MoneyInput;

  @Field(() => String, { nullable: true })
  nameEn?: string;

  @Field(() => String, { nullable: true })
  nameVi?: string;

  @Field(() => String, {
    nullable: true,
    description: 'kg, g, l, ml, piece, pack, bottle, box, bag, can, bunch, tray.',
  })
  unit?: string;

  @Field(() => String, { nullable: true })
  brand?: string | null;

  @Field(() => ID, { nullable: true, description: 'A live category.' })
  categoryId?: string;

  @Field(() => String, { nullable: true })
  descriptionEn?: string | null;

  @Field(() => String, { nullable: true })
  descriptionVi?: string | null;

  @Field(() => String, { nullable: true })
  manufacturer?: string | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the tags (lower-cased, duplicates dropped).' })
  tags?: string[];

  @Field(() => [String], {
    nullable: true,
    description:
      'Replaces the labels: vegan, vegetarian, gluten_free, halal, organic, lactose_free (vegan implies vegetarian).',
  })
  dietary?: string[];

  @Field(() => [String], { nullable: true, description: 'Replaces the images: https URLs, the main one first.' })
  imageUrls?: string[];

  @Field(() => Boolean, { nullable: true, description: 'A perishable product needs shelfLifeDays.' })
  isPerishable?: boolean;

  @Field(() => Int, { nullable: true })
  shelfLifeDays?: number | null;

  @Field(() => Date, { nullable: true, description: 'Perishables only.' })
  expiresAt?: Date | null;
}

@InputType({ description: 'A new product. sku, names, category, price and unit are required.' })
export class CreateProductInput extends UpdateProductInput {
  @Field(() => ID, { description: '3-40 upper-case letters, digits and dashes; unique.' })
  sku!: string;
}

@InputType()
export class CreateCategoryInput {
  @Field(() => ID, { description: 'A lower-case slug, e.g. "cat-dairy-kefir"; unique.' })
  id!: string;

  @Field()
  nameEn!: string;

  @Field()
  nameVi!: string;

  @Field(() => ID, { nullable: true, description: 'A live top-level category; null for a top-level one.' })
  parentId?: string | null;
}

@InputType()
export class UpdateCategoryInput {
  @Field(() => String, { nullable: true })
  nameEn?: string;

  @Field(() => String, { nullable: true })
  nameVi?: string;

  @Field(() => ID, { nullable: true, description: 'Moves it under this top-level category; null makes it top-level.' })
  parentId?: string | null;
}
