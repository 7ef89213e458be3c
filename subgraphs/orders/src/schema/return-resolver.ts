// Returns: the customer asks, staff receive and settle (refund and restock, or reject).
import {
  Arg,
  Ctx,
  Directive,
  Field,
  FieldResolver,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  registerEnumType,
  Resolver,
  Root,
} from 'type-graphql';
import { Money } from '@grocery/platform';
import type { OrdersContext } from '../context';
import type { ReturnRecord } from '../data/return-store';
import { vnd } from './cart-types';
import { Order } from './order-types';
import type { OrderView } from './views';

export enum ReturnStatus {
  REQUESTED = 'REQUESTED',
  RECEIVED = 'RECEIVED',
  REFUNDED = 'REFUNDED',
  REJECTED = 'REJECTED',
}
registerEnumType(ReturnStatus, {
  name: 'ReturnStatus',
  description: 'REQUESTED by the customer; REFUNDED (approved) or REJECTED by staff.',
});

@ObjectType()
export class ReturnLine {
  @Field(() => Int) linePosition!: number;
  @Field(() => Int) quantity!: number;
  @Field() reason!: string;
  @Field(() => Int, { nullable: true }) receivedQuantity!: number | null;
  @Field(() => Int, { nullable: true }) damagedQuantity!: number | null;
  @Field({ description: 'Whether the received, undamaged units went back on the shelf.' }) restock!: boolean;
}

@ObjectType({ description: 'A return of some of an order’s units, within 7 days of hand-over.' })
export class Return {
  @Field(() => ID) id!: string;
  @Field(() => ID) orderId!: string;
  @Field(() => ReturnStatus) status!: ReturnStatus;
  @Field(() => Money) refundTotal!: Money;
  @Field(() => [ReturnLine]) lines!: ReturnLine[];
  @Field() requestedAt!: Date;
  @Field(() => Date, { nullable: true }) closedAt!: Date | null;
}

@InputType()
export class ReturnLineInput {
  @Field(() => Int) position!: number;
  @Field(() => Int) quantity!: number;
  @Field({ description: 'Why (damaged, wrong item, expired, …), at most 200 characters.' }) reason!: string;
}

@InputType()
export class ReceivedLineInput {
  @Field(() => Int) position!: number;
  @Field(() => Int) received!: number;
  @Field(() => Int) damaged!: number;
  @Field({ description: 'Put the received, undamaged units back on the shelf (perishables: staff decide).' })
  restock!: boolean;
}

const returnView = (r: ReturnRecord): Return => ({
  id: r.id,
  orderId: r.orderId,
  status: r.status as ReturnStatus,
  refundTotal: vnd(r.refundTotal),
  lines: r.lines,
  requestedAt: r.requestedAt,
  closedAt: r.closedAt,
});

@Resolver(() => Order)
export class ReturnResolver {
  @Directive('@cost(weight: 300)')
  @Mutation(() => Return, { description: 'Asks to return units of a handed-over order, per line (1 to 100 lines).' })
  async requestReturn(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('lines', () => [ReturnLineInput]) @Directive('@cost(weight: 2)') lines: ReturnLineInput[],
    @Arg('accessToken', () => String, { nullable: true }) accessToken: string | null,
    @Ctx() ctx: OrdersContext,
  ): Promise<Return> {
    return returnView(await ctx.returns.request(ctx.request.identity, orderId, accessToken, lines));
  }

  @Directive('@cost(weight: 400)')
  @Mutation(() => Return, {
    description:
      'Staff: records what came back per line; approve refunds the received units and restocks those marked, reject refunds nothing.',
  })
  async receiveReturn(
    @Arg('returnId', () => ID) returnId: string,
    @Arg('lines', () => [ReceivedLineInput]) @Directive('@cost(weight: 2)') lines: ReceivedLineInput[],
    @Arg('approve') approve: boolean,
    @Ctx() ctx: OrdersContext,
  ): Promise<Return> {
    return returnView(await ctx.returns.receive(ctx.request.identity, returnId, lines, approve));
  }

  @FieldResolver(() => [Return], { description: 'Returns of this order, oldest first.' })
  async returns(@Root() order: OrderView, @Ctx() ctx: OrdersContext): Promise<Return[]> {
    return (await ctx.returns.ofOrderUnchecked(order.id)).map(returnView);
  }
}
