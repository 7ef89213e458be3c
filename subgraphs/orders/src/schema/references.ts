// Other subgraphs' entities, by key only: orders points at them and the gateway fetches the rest
// (a cart line's product name from products, its stock at the chosen store from stock).
// User is resolvable here: orders adds User.orders and User.cart (the user themself or staff).
import { Directive, Field, ID, ObjectType } from 'type-graphql';

@Directive('@key(fields: "sku", resolvable: false)')
@ObjectType()
export class Product {
  @Field(() => ID)
  sku!: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Bundle {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Location {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "sku locationId", resolvable: false)')
@ObjectType()
export class StockLevel {
  @Field()
  sku!: string;

  @Field(() => ID)
  locationId!: string;
}

@Directive('@key(fields: "id")')
@ObjectType()
export class User {
  @Field(() => ID)
  id!: string;
}
