// orderStatusChanged: one order's changes, to its customer, staff, or a guest with the order's
// access token — checked when the subscription starts; the stream carries only that order.
import { notFound } from '@grocery/platform';
import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { OrdersContext } from '../context';
import type { OrderStatusChangedData } from '../events/order-events';
import { OrderStatusChange, type OrderStatus, type PaymentStatus } from './order-types';
import { orderView, substitutionView } from './views';

type Change = OrderStatusChangedData & { changedAt: string };

@Resolver(() => OrderStatusChange)
export class OrderStatusResolver {
  @Subscription(() => OrderStatusChange, {
    description:
      'Every change of this order from now on: statuses, picking, substitutions to approve. Its customer, staff, or with its access token.',
    subscribe: async ({ args, context }) => {
      const ctx = context as OrdersContext;
      const order = await ctx.orders.readable(
        ctx.request.identity,
        String(args.orderId),
        args.accessToken as string | null,
      );
      if (!order) throw notFound('No such order.');
      return ctx.feed.watch(order.id);
    },
  })
  async orderStatusChanged(
    @Root() change: Change,
    @Arg('orderId', () => ID) _orderId: string,
    @Arg('accessToken', () => String, { nullable: true }) _accessToken: string | null,
    @Ctx() ctx: OrdersContext,
  ): Promise<OrderStatusChange> {
    const order = (await ctx.orders.byIdUnchecked(change.orderId))!;
    const substitution = change.substitutionId
      ? order.substitutions.find((s) => s.id === change.substitutionId)
      : undefined;
    return {
      id: change.orderId,
      status: change.status as OrderStatus,
      paymentStatus: change.paymentStatus as PaymentStatus | null,
      version: change.version,
      reason: change.reason,
      changedAt: new Date(change.changedAt),
      substitution: substitution ? substitutionView(substitution, ctx.request.locale) : null,
      order: orderView(order, ctx.request.locale),
    };
  }
}
