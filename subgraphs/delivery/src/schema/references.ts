// Other subgraphs' entities, by key only: delivery points at stock's locations (zones are served
// from them, pickup happens at them) and adds Order.shipment and Order.returnPickups to orders'
// Order (resolvable here: the gateway asks delivery for those fields by the order's id).
import { Directive, Field, ID, ObjectType } from 'type-graphql';

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Location {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "id")')
@ObjectType()
export class Order {
  @Field(() => ID)
  id!: string;
}

export const orderReference = {
  Order: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
};
