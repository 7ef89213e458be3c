// User.orders and User.cart (me { orders … cart … }): only the user themself, or staff, see them.
import { AppError, ErrorCode, badInput, forbidden, hasRole } from '@grocery/platform';
import { Arg, Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { OrdersContext } from '../context';
import type { OrderStatus as DomainOrderStatus } from '../domain/order-rules';
import { Cart } from './cart-types';
import { pricedCart } from './cart-resolver';
import { OrderConnection, OrderFilter } from './order-types';
import { User } from './references';
import { orderView } from './views';

const MAX_PAGE = 50;

function requireSelfOrStaff(ctx: OrdersContext, user: { id: string }): void {
  const who = ctx.request.identity;
  if (!who) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Sign in to see orders.');
  if (who.userId !== user.id && !hasRole(who, 'staff'))
    throw forbidden('Only the customer and staff see their orders.');
}

const cursorOf = (placedAt: Date, id: string) => Buffer.from(`${placedAt.toISOString()}|${id}`).toString('base64url');

function parseCursor(after: string): { placedAt: Date; id: string } {
  const [at, id] = Buffer.from(after, 'base64url').toString('utf8').split('|');
  const placedAt = new Date(at ?? '');
  if (!id || Number.isNaN(placedAt.getTime())) throw badInput('after is not a cursor from this list', 'after');
  return { placedAt, id };
}

@Resolver(() => User)
export class UserOrdersResolver {
  @Directive('@cost(weight: 20)')
  @Directive('@listSize(slicingArguments: ["first"], sizedFields: ["edges"])')
  @FieldResolver(() => OrderConnection, { description: 'Newest first. first: 1-50.' })
  async orders(
    @Root() user: { id: string },
    @Ctx() ctx: OrdersContext,
    @Arg('first', () => Int, { defaultValue: 10 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('filter', () => OrderFilter, { nullable: true }) filter: OrderFilter | null,
  ): Promise<OrderConnection> {
    requireSelfOrStaff(ctx, user);
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
      throw new AppError(ErrorCode.BAD_USER_INPUT, `first must be 1 to ${MAX_PAGE}`, {
        field: 'first',
        limit: 'first',
        max: MAX_PAGE,
      });
    if (filter?.statuses && filter.statuses.length > 8) throw badInput('at most 8 statuses', 'filter.statuses');
    const page = await ctx.orders.ofCustomer(user.id, {
      statuses: (filter?.statuses ?? undefined) as DomainOrderStatus[] | undefined,
      placedFrom: filter?.placedFrom ?? undefined,
      placedTo: filter?.placedTo ?? undefined,
      first,
      after: after ? parseCursor(after) : undefined,
    });
    const edges = page.orders.map((o) => ({
      cursor: cursorOf(o.placedAt, o.id),
      node: orderView(o, ctx.request.locale),
    }));
    return {
      totalCount: page.totalCount,
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  @Directive('@cost(weight: 60)')
  @FieldResolver(() => Cart, { nullable: true, description: 'The customer’s cart (null until they add something).' })
  async cart(@Root() user: { id: string }, @Ctx() ctx: OrdersContext): Promise<Cart | null> {
    requireSelfOrStaff(ctx, user);
    const cart = await ctx.carts.cartOf(user.id);
    return cart ? pricedCart(ctx, cart) : null;
  }
}

export const userReference = {
  User: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
};
