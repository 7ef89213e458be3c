import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'An amount of money in integer minor units (VND has none) and its ISO 4217 currency.' })
export class Money {
  @Field(() => Int)
  amount!: number;

  @Field()
  currency!: string;
}

@InputType()
export class MoneyInput {
  @Field(() => Int, { description: 'Integer minor units; VND has no minor unit (25000 = 25,000 ₫).' })
  amount!: number;

  @Field({ defaultValue: 'VND' })
  currency!: string;
}

@ObjectType({ description: 'A customer-facing text in English and Vietnamese.' })
export class LocalizedText {
  @Field()
  en!: string;

  @Field()
  vi!: string;
}

@ObjectType()
export class Category {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'In the request language (Accept-Language or the locale argument).' })
  name!: string;

  @Field(() => LocalizedText)
  names!: LocalizedText;

  @Field(() => ID, { nullable: true })
  parentId?: string | null;
}

@Directive('@key(fields: "sku")')
@ObjectType()
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

  @Field()
  updatedAt!: Date;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor?: string | null;
}

@ObjectType()
export class ProductEdge {
  @Field()
  cursor!: string;

  @Field(() => Product)
  node!: Product;
}

@ObjectType()
export class ProductConnection {
  @Field(() => Int)
  totalCount!: number;

  @Field(() => [ProductEdge])
  edges!: ProductEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@InputType()
export class ProductFilter {
  @Field(() => ID, { nullable: true, description: 'Only products in this category.' })
  categoryId?: string;

  @Field(() => Boolean, { nullable: true })
  isPerishable?: boolean;

  @Field(() => String, { nullable: true })
  brand?: string;

  @Field(() => [String], {
    nullable: true,
    description:
      'search only: products carrying every one of these labels (vegan, vegetarian, gluten_free, halal, organic, lactose_free).',
  })
  dietary?: string[];

  @Field(() => Int, { nullable: true, description: 'search only: price.amount at least this.' })
  minPrice?: number;

  @Field(() => Int, { nullable: true, description: 'search only: price.amount at most this.' })
  maxPrice?: number;
}

@ObjectType({ description: 'A completion for a search box: a product name in the request language.' })
export class SearchSuggestion {
  @Field()
  text!: string;

  @Field(() => ID)
  sku!: string;
}

@InputType()
export class UpdateProductInput {
  @Field(() => MoneyInput, { nullable: true })
  price?: MoneyInput;

  @Field(() => String, { nullable: true })
  nameEn?: string;

  @Field(() => String, { nullable: true })
  nameVi?: string;

  @Field(() => String, { nullable: true })
  unit?: string;

  @Field(() => String, { nullable: true })
  brand?: string;
}
