// The orders subgraph's calls (PeerClient, identity { service: 'orders' }): @inaccessible, so the
// gateway's public API has none of them; the service checks the caller.
import { Arg, Ctx, Directive, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { StockContext } from '../context';
import type { OrderStockRecord, ShortLine } from '../domain/order-stock';
import {
  OrderStockReservation,
  PickOrderStockInput,
  ReserveOrderStockInput,
  ReserveOrderStockResult,
  RestockReturnInput,
} from './order-stock-types';

@Resolver()
export class OrderStockResolver {
  @Directive('@inaccessible')
  @Query(() => OrderStockReservation, { nullable: true, description: 'Service (orders): the stock an order holds.' })
  orderStockReservation(
    @Arg('orderId', () => ID) orderId: string,
    @Ctx() ctx: StockContext,
  ): Promise<OrderStockRecord | null> {
    return ctx.orderStock.orderStockReservation(ctx.request.identity, orderId);
  }

  @Directive('@inaccessible')
  @Mutation(() => ReserveOrderStockResult, {
    description:
      'Service (orders): hold every line at the location, or none (OrderStockShortage). Idempotent by orderId.',
  })
  async reserveOrderStock(
    @Arg('input', () => ReserveOrderStockInput) input: ReserveOrderStockInput,
    @Ctx() ctx: StockContext,
  ): Promise<OrderStockRecord | { lines: ShortLine[] }> {
    const outcome = await ctx.orderStock.reserveOrderStock(ctx.request.identity, input);
    return outcome.kind === 'reserved' ? outcome.reservation : { lines: outcome.lines };
  }

  @Directive('@inaccessible')
  @Mutation(() => OrderStockReservation, {
    description: 'Service (orders): RESERVED becomes ALLOCATED (no expiry). CONFLICT when expired, released or absent.',
  })
  allocateOrderStock(@Arg('orderId', () => ID) orderId: string, @Ctx() ctx: StockContext): Promise<OrderStockRecord> {
    return ctx.orderStock.allocateOrderStock(ctx.request.identity, orderId);
  }

  @Directive('@inaccessible')
  @Mutation(() => OrderStockReservation, {
    nullable: true,
    description: 'Service (orders): give the order’s units back; idempotent; null when the order holds none.',
  })
  releaseOrderStock(
    @Arg('orderId', () => ID) orderId: string,
    @Ctx() ctx: StockContext,
  ): Promise<OrderStockRecord | null> {
    return ctx.orderStock.releaseOrderStock(ctx.request.identity, orderId);
  }

  @Directive('@inaccessible')
  @Mutation(() => OrderStockReservation, {
    description: 'Service (orders): the picked units leave on-hand and the order’s hold ends (CONSUMED).',
  })
  pickOrderStock(
    @Arg('input', () => PickOrderStockInput) input: PickOrderStockInput,
    @Ctx() ctx: StockContext,
  ): Promise<OrderStockRecord> {
    return ctx.orderStock.pickOrderStock(ctx.request.identity, input);
  }

  @Directive('@inaccessible')
  @Mutation(() => Int, { description: 'Service (orders): returned units back on-hand; idempotent by returnId.' })
  restockReturn(
    @Arg('input', () => RestockReturnInput) input: RestockReturnInput,
    @Ctx() ctx: StockContext,
  ): Promise<number> {
    return ctx.orderStock.restockReturn(ctx.request.identity, input);
  }
}
