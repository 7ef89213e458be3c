import type { RequestInfo } from '@grocery/platform';
import type { CartService } from './domain/cart-service';
import type { CheckoutService } from './domain/checkout-service';
import type { OrderService } from './domain/order-service';
import type { ReturnService } from './domain/return-service';
import type { OrderStatusFeed } from './events/order-status-feed';

export interface OrdersServices {
  carts: CartService;
  checkout: CheckoutService;
  orders: OrderService;
  returns: ReturnService;
  feed: OrderStatusFeed;
}

export interface OrdersContext extends OrdersServices {
  request: RequestInfo;
}

export function createOrdersContext(request: RequestInfo, services: OrdersServices): OrdersContext {
  return { ...services, request };
}

/** Who is calling, as the domain services take it. */
export function callerOf(ctx: OrdersContext) {
  return {
    identity: ctx.request.identity,
    clientKey: ctx.request.clientKey ?? 'ip:unknown',
    locale: ctx.request.locale,
  };
}
