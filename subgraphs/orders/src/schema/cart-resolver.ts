// Carts: thin resolvers over CartService. Every answer is priced (one call to products).
import { Arg, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import { callerOf, type OrdersContext } from '../context';
import type { CartRecord } from '../data/cart-store';
import { Cart, CartFulfilmentInput, CartLineInput, CartLineUpdateInput } from './cart-types';
import { cartView } from './views';

export async function pricedCart(ctx: OrdersContext, cart: CartRecord): Promise<Cart> {
  return cartView(cart, await ctx.carts.price(callerOf(ctx), cart));
}

@Resolver(() => Cart)
export class CartResolver {
  @Directive('@cost(weight: 60)')
  @Query(() => Cart, {
    nullable: true,
    description:
      'A cart by id: a guest cart for whoever holds its id; a customer’s only for them (and staff). Null when none.',
  })
  async cart(@Arg('id', () => ID) id: string, @Ctx() ctx: OrdersContext): Promise<Cart | null> {
    const cart = await ctx.carts.cart(callerOf(ctx), id);
    return cart ? pricedCart(ctx, cart) : null;
  }

  @Directive('@cost(weight: 150)')
  @Mutation(() => Cart, {
    description:
      'Adds lines (SKUs or bundles) to a cart; quantities add up. No cartId: the signed-in customer’s cart, or a new guest cart.',
  })
  async addToCart(
    @Arg('cartId', () => ID, { nullable: true }) cartId: string | null,
    @Arg('lines', () => [CartLineInput]) @Directive('@cost(weight: 3)') lines: CartLineInput[],
    @Ctx() ctx: OrdersContext,
  ): Promise<Cart> {
    return pricedCart(ctx, await ctx.carts.addToCart(callerOf(ctx), cartId ?? null, lines));
  }

  @Directive('@cost(weight: 150)')
  @Mutation(() => Cart, { description: 'Changes a line’s quantity (0 removes it), substitution preference or note.' })
  async updateCartLine(
    @Arg('cartId', () => ID) cartId: string,
    @Arg('lineId', () => ID) lineId: string,
    @Arg('input', () => CartLineUpdateInput) input: CartLineUpdateInput,
    @Ctx() ctx: OrdersContext,
  ): Promise<Cart> {
    return pricedCart(ctx, await ctx.carts.updateLine(callerOf(ctx), cartId, lineId, input));
  }

  @Directive('@cost(weight: 150)')
  @Mutation(() => Cart)
  async removeCartLine(
    @Arg('cartId', () => ID) cartId: string,
    @Arg('lineId', () => ID) lineId: string,
    @Ctx() ctx: OrdersContext,
  ): Promise<Cart> {
    return pricedCart(ctx, await ctx.carts.updateLine(callerOf(ctx), cartId, lineId, { quantity: 0 }));
  }

  @Directive('@cost(weight: 150)')
  @Mutation(() => Cart, { description: 'Chooses the store, pickup or delivery, and the coupon codes.' })
  async setCartFulfilment(
    @Arg('cartId', () => ID) cartId: string,
    @Arg('input', () => CartFulfilmentInput) input: CartFulfilmentInput,
    @Ctx() ctx: OrdersContext,
  ): Promise<Cart> {
    return pricedCart(ctx, await ctx.carts.setFulfilment(callerOf(ctx), cartId, input));
  }

  @Directive('@cost(weight: 200)')
  @Mutation(() => Cart, {
    description:
      'Signed-in: call after logging in with the guest cart’s id. Its lines join your cart (quantities summed, what it adds capped by availability); the guest cart is deleted.',
  })
  async mergeCart(@Arg('guestCartId', () => ID) guestCartId: string, @Ctx() ctx: OrdersContext): Promise<Cart> {
    return pricedCart(ctx, await ctx.carts.mergeGuestCart(callerOf(ctx), guestCartId));
  }

  @Directive('@cost(weight: 200)')
  @Mutation(() => Cart, { description: 'Fills your cart with what of an order is still sold.' })
  async reorder(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('accessToken', () => String, { nullable: true }) accessToken: string | null,
    @Ctx() ctx: OrdersContext,
  ): Promise<Cart> {
    const { cart } = await ctx.orders.reorder(callerOf(ctx), orderId, accessToken);
    return pricedCart(ctx, cart);
  }
}
