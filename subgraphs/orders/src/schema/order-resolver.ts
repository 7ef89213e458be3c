// Orders: checkout, reading, cancelling; staff picking and hand-over; the customer's decisions
// on substitutes. Thin resolvers over CheckoutService and OrderService.
import { Arg, Ctx, Directive, ID, Mutation, Query, Resolver, Int } from 'type-graphql';
import { callerOf, type OrdersContext } from '../context';
import type { PaymentProviderName } from '../payments/payment-provider';
import {
  CancelOrderResult,
  Order,
  OrdersErrorCode,
  PickedLineInput,
  PlaceOrderInput,
  PlaceOrderResult,
} from './order-types';
import { orderView, refusalView, type OrderView } from './views';

@Resolver(() => Order)
export class OrderResolver {
  @Directive('@cost(weight: 20)')
  @Query(() => Order, {
    nullable: true,
    description: 'An order: for its customer, staff, or with its access token (guest orders). Null otherwise.',
  })
  async order(
    @Arg('id', () => ID) id: string,
    @Arg('accessToken', () => String, { nullable: true }) accessToken: string | null,
    @Ctx() ctx: OrdersContext,
  ): Promise<OrderView | null> {
    const order = await ctx.orders.readable(ctx.request.identity, id, accessToken);
    return order ? orderView(order, ctx.request.locale) : null;
  }

  @Directive('@cost(weight: 500)')
  @Mutation(() => PlaceOrderResult, {
    description:
      'Checks out a cart: prices it, reserves every line at the location (all or nothing), claims its coupons and starts the payment. Expected refusals are typed results; the same idempotencyKey never places two orders.',
  })
  async placeOrder(@Arg('input', () => PlaceOrderInput) input: PlaceOrderInput, @Ctx() ctx: OrdersContext) {
    const outcome = await ctx.checkout.placeOrder(callerOf(ctx), {
      ...input,
      fulfilment: {
        type: input.fulfilment.type,
        locationId: input.fulfilment.locationId,
        address: input.fulfilment.address ?? null,
        slotHoldId: input.fulfilment.slotHoldId ?? null,
      },
      payment: {
        provider: input.payment.provider as PaymentProviderName,
        token: input.payment.token,
        returnUrl: input.payment.returnUrl,
      },
    });
    if (outcome.kind === 'order') return orderView(outcome.order, ctx.request.locale, outcome.accessToken);
    return refusalView(outcome.refusal, ctx.request.locale);
  }

  @Directive('@cost(weight: 300)')
  @Mutation(() => CancelOrderResult, {
    description:
      'Cancels an order before picking (staff: until picking ends). Stock and coupons go back; an authorization is voided, a capture refunded.',
  })
  async cancelOrder(
    @Arg('id', () => ID) id: string,
    @Arg('accessToken', () => String, { nullable: true }) accessToken: string | null,
    @Ctx() ctx: OrdersContext,
  ) {
    const outcome = await ctx.orders.cancel(ctx.request.identity, id, accessToken);
    if (outcome.kind === 'order') return orderView(outcome.order, ctx.request.locale);
    return {
      __typename: 'OrderNotCancellable',
      errorCode: OrdersErrorCode.ORDER_NOT_CANCELLABLE,
      message:
        ctx.request.locale === 'vi'
          ? 'Đơn hàng đã qua bước có thể huỷ.'
          : `The order is ${outcome.status.toLowerCase().replace(/_/g, ' ')}: it can no longer be cancelled.`,
      status: outcome.status,
    };
  }

  @Directive('@cost(weight: 200)')
  @Mutation(() => Order, { description: 'Staff: start picking a confirmed order.' })
  async startPicking(@Arg('orderId', () => ID) orderId: string, @Ctx() ctx: OrdersContext): Promise<OrderView> {
    return orderView(await ctx.orders.startPicking(ctx.request.identity, orderId), ctx.request.locale);
  }

  @Directive('@cost(weight: 200)')
  @Mutation(() => Order, { description: 'Staff: record what was picked per line (1 to 500 lines).' })
  async recordPicked(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('lines', () => [PickedLineInput]) @Directive('@cost(weight: 2)') lines: PickedLineInput[],
    @Ctx() ctx: OrdersContext,
  ): Promise<OrderView> {
    return orderView(await ctx.orders.recordPicked(ctx.request.identity, orderId, lines), ctx.request.locale);
  }

  @Directive('@cost(weight: 200)')
  @Mutation(() => Order, { description: 'Staff: propose a substitute for a short line, as its preference allows.' })
  async proposeSubstitute(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('position', () => Int) position: number,
    @Arg('sku', () => ID) sku: string,
    @Arg('quantity', () => Int) quantity: number,
    @Ctx() ctx: OrdersContext,
  ): Promise<OrderView> {
    return orderView(
      await ctx.orders.proposeSubstitute(ctx.request.identity, orderId, { position, sku, quantity }),
      ctx.request.locale,
    );
  }

  @Directive('@cost(weight: 200)')
  @Mutation(() => Order, { description: 'The customer approves or rejects a proposed substitute.' })
  async decideSubstitution(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('substitutionId', () => ID) substitutionId: string,
    @Arg('approve') approve: boolean,
    @Arg('accessToken', () => String, { nullable: true }) accessToken: string | null,
    @Ctx() ctx: OrdersContext,
  ): Promise<OrderView> {
    return orderView(
      await ctx.orders.decideSubstitution(ctx.request.identity, orderId, substitutionId, approve, accessToken),
      ctx.request.locale,
    );
  }

  @Directive('@cost(weight: 400)')
  @Mutation(() => Order, {
    description:
      'Staff: picking is done. Picked units leave stock, the final amount is captured (never more than authorized), the order is ready.',
  })
  async finishPicking(@Arg('orderId', () => ID) orderId: string, @Ctx() ctx: OrdersContext): Promise<OrderView> {
    return orderView(await ctx.orders.finishPicking(ctx.request.identity, orderId), ctx.request.locale);
  }

  @Directive('@cost(weight: 200)')
  @Mutation(() => Order, { description: 'Staff: handed over (picked up or delivered); cash on delivery is taken.' })
  async completeOrder(@Arg('orderId', () => ID) orderId: string, @Ctx() ctx: OrdersContext): Promise<OrderView> {
    return orderView(await ctx.orders.complete(ctx.request.identity, orderId), ctx.request.locale);
  }
}
