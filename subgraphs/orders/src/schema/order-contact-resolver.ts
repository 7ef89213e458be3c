// What the notifications consumer (in the users service) asks of orders, service to service
// (PeerClient): who to tell about an order and in which language. @inaccessible: the gateway's
// clients cannot call it; requireService refuses anyone but the users service.
import { requireService } from '@grocery/platform';
import { Arg, Ctx, Directive, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { OrdersContext } from '../context';

@Directive('@inaccessible')
@ObjectType({ description: 'How to reach an order’s customer (notifications only).' })
export class OrderContact {
  @Field(() => ID) orderId!: string;
  @Field({ description: 'Shown to the customer, e.g. on the receipt.' }) number!: string;
  @Field(() => ID, { nullable: true, description: 'Null for a guest order.' }) customerId!: string | null;
  @Field(() => String, { nullable: true, description: 'The email given at checkout (guest orders).' })
  email!: string | null;
  @Field(() => String, { nullable: true, description: 'The delivery address’s phone; null for pickup.' })
  phone!: string | null;
  @Field({ description: '"en" or "vi": the language the order was placed in.' }) locale!: string;
  @Field({ description: 'PICKUP or DELIVERY.' }) fulfilmentType!: string;
  @Field(() => Int, { description: 'What the customer pays: the picked total once known, else as placed.' })
  total!: number;
  @Field() currency!: string;
}

@Resolver()
export class OrderContactResolver {
  @Directive('@inaccessible')
  @Query(() => OrderContact, { nullable: true, description: 'Users (notifications) only: null for an unknown order.' })
  async orderContact(
    @Ctx() ctx: OrdersContext,
    @Arg('orderId', () => ID) orderId: string,
  ): Promise<OrderContact | null> {
    requireService(ctx.request.identity, 'users');
    if (!/^[0-9a-f-]{36}$/i.test(orderId)) return null;
    const o = await ctx.orders.byIdUnchecked(orderId);
    if (!o) return null;
    return {
      orderId: o.id,
      number: o.number,
      customerId: o.customerId,
      email: o.email,
      phone: o.address?.phone ?? null,
      locale: o.locale,
      fulfilmentType: o.fulfilmentType,
      total: o.finalTotal ?? o.total,
      currency: 'VND',
    };
  }
}
