// Bundles (meal kits) in the schema. Bundle is an entity so the stock subgraph can add
// availability to it (it @requires the components: see subgraphs/stock bundle-availability).
import { CacheControl } from '@grocery/platform';
import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LocalizedText, MoneyInput, Money, PageInfo, Product } from './types';

@ObjectType({ description: 'One product in a bundle and how many units of it a kit holds.' })
@CacheControl({ inheritMaxAge: true })
export class BundleComponent {
  @Field(() => Product)
  product!: Product;

  @Field(() => Int)
  quantity!: number;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A meal kit: products in fixed quantities sold together at the kit’s own price.' })
@CacheControl({ maxAge: 60 })
export class Bundle {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Stable, URL-friendly name, e.g. "lau-thai-hai-san".' })
  slug!: string;

  @Field({ description: 'In the request language (Accept-Language or the locale argument).' })
  name!: string;

  @Field(() => LocalizedText)
  names!: LocalizedText;

  @Field(() => String, { nullable: true, description: 'In the request language.' })
  description?: string | null;

  @Field(() => LocalizedText, { nullable: true, description: 'Both languages; null when the kit has none.' })
  descriptions?: LocalizedText | null;

  @Field(() => Money, { description: 'What the kit costs.' })
  price!: Money;

  @Directive('@listSize(assumedSize: 5)')
  @Field(() => [String], { description: 'Image URLs, the main image first.' })
  imageUrls!: string[];

  // For the gateway's cost estimate: seeded kits hold 3 to 7 products (MAX_COMPONENTS allows 20).
  @Directive('@listSize(assumedSize: 8)')
  @Field(() => [BundleComponent], { description: 'In SKU order.' })
  components!: BundleComponent[];

  @Field(() => Money, {
    description: 'The components bought singly at their regular prices (price × quantity, summed).',
  })
  regularTotal!: Money;

  @Field(() => Money, { description: 'regularTotal - price, or zero when the kit costs as much or more.' })
  savings!: Money;

  @Field(() => Int, { description: 'Counts the edits; bundle events carry it.' })
  version!: number;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'Set when staff archived it: still readable by id, no longer listed or sold.',
  })
  archivedAt?: Date | null;
}

@ObjectType()
@CacheControl({ inheritMaxAge: true })
export class BundleEdge {
  @Field()
  cursor!: string;

  @Field(() => Bundle)
  node!: Bundle;
}

@ObjectType()
@CacheControl({ maxAge: 60 })
export class BundleConnection {
  @Field(() => Int, { description: 'Active bundles in all.' })
  totalCount!: number;

  @Field(() => [BundleEdge])
  edges!: BundleEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@InputType()
export class BundleComponentInput {
  @Field()
  sku!: string;

  @Field(() => Int, { description: '1-99 units per kit.' })
  quantity!: number;
}

@InputType({ description: 'A new bundle: 2-20 distinct, unarchived products.' })
export class CreateBundleInput {
  @Field({ description: 'Lower-case words joined by hyphens; unique.' })
  slug!: string;

  @Field()
  nameEn!: string;

  @Field()
  nameVi!: string;

  @Field(() => String, { nullable: true })
  descriptionEn?: string;

  @Field(() => String, { nullable: true })
  descriptionVi?: string;

  @Field(() => MoneyInput)
  price!: MoneyInput;

  @Field(() => [String], { nullable: true })
  imageUrls?: string[];

  @Field(() => [BundleComponentInput])
  components!: BundleComponentInput[];
}

@InputType({ description: 'Only the fields given change; components, when given, replace the whole list.' })
export class UpdateBundleInput {
  @Field(() => String, { nullable: true })
  slug?: string;

  @Field(() => String, { nullable: true })
  nameEn?: string;

  @Field(() => String, { nullable: true })
  nameVi?: string;

  @Field(() => String, { nullable: true, description: 'An empty string clears it.' })
  descriptionEn?: string;

  @Field(() => String, { nullable: true, description: 'An empty string clears it.' })
  descriptionVi?: string;

  @Field(() => MoneyInput, { nullable: true })
  price?: MoneyInput;

  @Field(() => [String], { nullable: true })
  imageUrls?: string[];

  @Field(() => [BundleComponentInput], { nullable: true })
  components?: BundleComponentInput[];
}
