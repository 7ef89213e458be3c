// Money as every subgraph shows and takes it: one definition, shared in the supergraph, so a
// total in orders and a price in products are the same type to clients.
import { CacheControl } from './cache-control';
import 'reflect-metadata';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Directive, Field, InputType, ObjectType } from 'type-graphql';

/**
 * `amount` is a SafeInt (an integer up to 2^53 − 1), not GraphQL's 32-bit Int: a cart of a few
 * expensive lines already passes 2^31 − 1 đồng, and JSON numbers carry 53 bits exactly.
 */
@Directive('@shareable')
@ObjectType({ description: 'An amount of money in integer minor units (VND has none) and its ISO 4217 currency.' })
@CacheControl({ inheritMaxAge: true })
export class Money {
  @Field(() => GraphQLSafeInt)
  amount!: number;

  @Field()
  currency!: string;
}

@InputType()
export class MoneyInput {
  @Field(() => GraphQLSafeInt, { description: 'Integer minor units; VND has no minor unit (25000 = 25,000 ₫).' })
  amount!: number;

  @Field({ defaultValue: 'VND' })
  currency!: string;
}
