// The stock subgraph's view of products: the Product entity (key only) gains availability
// and per-location stock levels. Declaration order matters: decorator metadata names a
// field's class when the class is defined, so a type comes after those its fields hold.
import { CacheControl } from '@grocery/platform';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Location } from './location-types';

@ObjectType({ description: 'Stock of one product at one location, as shoppers see it.' })
@CacheControl({ inheritMaxAge: true })
export class LocationAvailability {
  @Field(() => Location)
  location!: Location;

  @Field(() => Int)
  available!: number;

  @Field(() => Int)
  onHand!: number;

  @Field(() => Int)
  reserved!: number;
}

@ObjectType({ description: 'Whether and where a product can be bought now.' })
@CacheControl({ maxAge: 5 })
export class ProductAvailability {
  @Field(() => Int, { description: 'Units available across every location.' })
  available!: number;

  @Field()
  inStock!: boolean;

  // For the gateway's cost estimate: one per location carrying it (11 locations in the seed).
  @Directive('@listSize(assumedSize: 12)')
  @Field(() => [LocationAvailability], { description: 'Every location that stocks the product, by location id.' })
  byLocation!: LocationAvailability[];
}

@Directive('@key(fields: "sku")')
@ObjectType({ description: 'A product (owned by the products subgraph); stock adds availability.' })
export class Product {
  @Field(() => ID)
  sku!: string;

  // Nullable like every field one subgraph adds to another's entity: with stock unreachable the
  // product still answers, this field null with a SUBGRAPH_UNAVAILABLE error on its path.
  // Cost (20 per ms of work, `pnpm bench cost` on the 500-SKU seed): one entity fetch per page,
  // batched into one query: ~3 ms (3-4) for 100 products, ~5 ms (3-8) for one.
  @Directive('@cost(weight: 10)')
  @Field(() => ProductAvailability, {
    nullable: true,
    description: 'Null, with a SUBGRAPH_UNAVAILABLE error, while stock cannot be reached.',
  })
  availability!: ProductAvailability;

  // Per level (a list's weight is per item): the same batched fetch as availability.
  @Directive('@cost(weight: 2)')
  @Directive('@listSize(assumedSize: 12)')
  @Field(() => [StockLevel], {
    nullable: true,
    description: 'Stock at each location that carries it, by location id (null while stock cannot be reached).',
  })
  stockLevels!: StockLevel[];
}

@Directive('@key(fields: "sku locationId")')
@ObjectType({ description: 'Stock of one SKU at one location.' })
@CacheControl({ maxAge: 5 })
export class StockLevel {
  @Field()
  sku!: string;

  @Field(() => ID)
  locationId!: string;

  @Field(() => Location)
  location!: Location;

  @Field(() => Int, { description: 'Units physically at the location.' })
  onHand!: number;

  @Field(() => Int, { description: 'Units held by checkouts in progress.' })
  reserved!: number;

  @Field(() => Int, { description: 'onHand - reserved: what can still be sold.' })
  available!: number;

  @Field()
  updatedAt!: Date;

  @Field(() => Product, { nullable: true })
  product!: Product;
}
