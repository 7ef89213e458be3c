// Other subgraphs' entities, by key only: delivery points at stock's locations (zones are served
// from them, pickup happens at them) and adds Order.shipment to orders' Order.
import { Directive, Field, ID, ObjectType } from 'type-graphql';

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Location {
  @Field(() => ID)
  id!: string;
}
