import { CacheControl } from '@grocery/platform';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Location } from './location-types';
import { Product } from './stock-types';

export enum StockChangeReason {
  ADJUSTED = 'ADJUSTED',
  RESERVED = 'RESERVED',
  RELEASED = 'RELEASED',
  EXPIRED = 'EXPIRED',
  RECEIVED = 'RECEIVED',
  PICKED = 'PICKED',
  RETURNED = 'RETURNED',
  WRITTEN_OFF = 'WRITTEN_OFF',
}
registerEnumType(StockChangeReason, {
  name: 'StockChangeReason',
  description:
    'ADJUSTED by staff; RESERVED, RELEASED or EXPIRED holds; RECEIVED deliveries; PICKED for an order; ' +
    'RETURNED goods restocked; WRITTEN_OFF expired lots.',
});

@ObjectType({ description: 'A product’s stock changed at one location.' })
// The same for every subscriber (public stock figures): the gateway shares one resolution per event.
@CacheControl({ maxAge: 5 })
export class StockChange {
  @Field()
  sku!: string;

  @Field(() => Int, { description: 'Units available across every location after the change.' })
  available!: number;

  @Field()
  inStock!: boolean;

  @Field(() => Product, {
    nullable: true,
    description:
      'The product; the gateway resolves its other fields (name, price) from the catalog (null while it cannot be reached).',
  })
  product!: Product;

  @Field(() => ID)
  locationId!: string;

  @Field(() => Location)
  location!: Location;

  @Field(() => Int, { description: 'Units available at this location after the change.' })
  locationAvailable!: number;

  @Field(() => Int)
  onHand!: number;

  @Field(() => Int)
  reserved!: number;

  @Field(() => StockChangeReason)
  reason!: StockChangeReason;

  @Field()
  changedAt!: Date;
}
