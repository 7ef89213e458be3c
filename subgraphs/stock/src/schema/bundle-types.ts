// The stock subgraph's view of bundles (owned by products): the key, the components it needs
// from products (@external, fetched by the gateway through @requires), and availability.
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Product } from './stock-types';

@ObjectType({ description: 'One product in a bundle and how many units of it a kit holds.' })
export class BundleComponent {
  @Field(() => Product)
  @Directive('@external')
  product!: Product;

  @Field(() => Int)
  @Directive('@external')
  quantity!: number;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A meal kit (owned by the products subgraph); stock adds how many can be sold.' })
export class Bundle {
  @Field(() => ID)
  id!: string;

  @Field(() => [BundleComponent])
  @Directive('@external')
  components!: BundleComponent[];

  @Field(() => Date, { nullable: true })
  @Directive('@external')
  archivedAt?: Date | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Whole kits that can be sold now: the minimum over the components of floor(available / quantity). ' +
      'At one location (a kit is picked from one place) when locationId is given, else summed over every location. ' +
      'An archived bundle has 0. Null, with a SUBGRAPH_UNAVAILABLE error, while stock cannot be reached.',
  })
  @Directive('@requires(fields: "archivedAt components { quantity product { sku } }")')
  // Cost (20 per ms of work): the components' availability, batched like Product.availability.
  @Directive('@cost(weight: 10)')
  available!: number;
}
