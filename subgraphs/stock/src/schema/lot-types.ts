// Staff views of perishable lots and low stock, and the receipt that creates lots.
import { PageInfo } from '@grocery/platform';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { StockLevel } from './stock-types';

@InputType()
export class ReceiveStockInput {
  @Field()
  sku!: string;

  @Field(() => ID)
  locationId!: string;

  @Field(() => Int, { description: 'Units received: 1 to 100000.' })
  quantity!: number;

  @Field(() => Date, {
    nullable: true,
    description: 'Perishables: the batch’s expiry (in the future); the units then form a lot.',
  })
  expiresAt?: Date | null;

  @Field({ description: 'Why, for the audit trail: "delivery", "transfer in", ...' })
  reason!: string;
}

@ObjectType({ description: 'Units of a perishable SKU received together at a location, with one expiry.' })
export class StockLot {
  @Field(() => ID)
  id!: string;

  @Field()
  sku!: string;

  @Field(() => ID)
  locationId!: string;

  @Field(() => Int, { description: 'Units left.' })
  quantity!: number;

  @Field()
  expiresAt!: Date;

  @Field()
  receivedAt!: Date;
}

@ObjectType({ description: 'Levels below their location’s low-stock threshold, fewest available first.' })
export class LowStockPage {
  @Field(() => [StockLevel])
  levels!: StockLevel[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
