// The users subgraph's User entity, by key only: stock records who holds a reservation and
// lets the gateway fetch the rest of the user from users.
import { Directive, Field, ID, ObjectType } from 'type-graphql';

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class User {
  @Field(() => ID)
  id!: string;
}
