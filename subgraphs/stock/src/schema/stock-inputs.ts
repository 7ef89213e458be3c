import { Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class AdjustStockInput {
  @Field()
  sku!: string;

  @Field(() => ID)
  locationId!: string;

  @Field(() => Int, { description: 'Units to add (positive) or remove (negative); never zero.' })
  delta!: number;

  @Field({ description: 'Why, for the audit trail: "delivery", "recount", "damaged", ...' })
  reason!: string;
}

@InputType()
export class ReserveStockInput {
  @Field()
  sku!: string;

  @Field(() => ID)
  locationId!: string;

  @Field(() => Int)
  quantity!: number;
}
