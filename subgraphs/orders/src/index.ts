// The orders subgraph: carts, checkout (a saga over stock and products), payments (Stripe, MoMo,
// the local simulator, cash on delivery), the order life cycle with picking and substitutions,
// and live order status. Wires data, domain, schema, events, routes and background work.
import 'reflect-metadata';
import {
  buildFederatedSchema,
  createPeerClient,
  databaseAnswers,
  defineSubgraph,
  OutboxRelay,
  type SubgraphDeps,
  type SubgraphModule,
} from '@grocery/platform';
import { createOrdersContext, type OrdersContext } from './context';
import { CartStore } from './data/cart-store';
import { CheckoutStore } from './data/checkout-store';
import { createOrdersDb } from './data/db';
import { OrderStore } from './data/order-store';
import { CartService } from './domain/cart-service';
import { CheckoutService } from './domain/checkout-service';
import { OrderService } from './domain/order-service';
import { ReturnService } from './domain/return-service';
import { ReturnStore } from './data/return-store';
import { PaymentService } from './domain/payment-service';
import { OrderSweeper } from './domain/order-sweeper';
import { startDeliveryConsumer } from './events/delivery-consumer';
import { OrderStatusFeed } from './events/order-status-feed';
import { PAYMENT_WEBHOOK_PATH, paymentWebhookRoutes } from './http/payment-webhooks';
import { CashOnDelivery } from './payments/cash-on-delivery';
import { createExternalPaymentProviders } from './payments/configured-providers';
import type { PaymentProviderName } from './payments/payment-provider';
import { PaymentProviderRegistry } from './payments/provider-registry';
import { ResilientPaymentProvider } from './payments/resilient-provider';
import { PaymentSimulator } from './payments/simulator';
import { CatalogClient } from './peers/catalog-client';
import { DeliveryClient } from './peers/delivery-client';
import { StockClient } from './peers/stock-client';
import { CartResolver } from './schema/cart-resolver';
import { OrderContactResolver } from './schema/order-contact-resolver';
import { OrderResolver } from './schema/order-resolver';
import { OrderStatusResolver } from './schema/order-status-resolver';
import { ReturnResolver } from './schema/return-resolver';
import { Bundle, Location, Product, StockLevel } from './schema/references';
import { UserOrdersResolver, userReference } from './schema/user-orders-resolver';

export * from './payments/payment-provider';
export { ORDERS_TOPIC, OrderEventType } from './events/order-events';
export type { OrdersContext };

export function buildOrdersSchema(feed: OrderStatusFeed = new OrderStatusFeed()) {
  return buildFederatedSchema({
    pubSub: feed.pubSub,
    orphanedTypes: [Product, Bundle, Location, StockLevel],
    resolvers: [
      CartResolver,
      OrderResolver,
      ReturnResolver,
      UserOrdersResolver,
      OrderStatusResolver,
      OrderContactResolver,
    ],
    extraResolvers: { ...userReference },
  });
}

export interface OrdersSubgraph extends SubgraphModule<OrdersContext> {
  /** The local payment simulator (tests sign and replay webhooks with it). */
  readonly simulator: PaymentSimulator;
}

export async function createOrdersSubgraph(deps: SubgraphDeps): Promise<OrdersSubgraph> {
  const { config, logger } = deps;
  const db = createOrdersDb(deps.databaseUrl);
  const relay = new OutboxRelay({ db, bus: deps.bus, logger, pollMs: config.OUTBOX_POLL_MS });
  const peers = createPeerClient({ self: 'orders', peers: deps.peers, config });
  const catalog = new CatalogClient(peers);
  const stock = new StockClient(peers);
  const delivery = new DeliveryClient(peers);
  const carts = new CartStore(db);
  const orders = new OrderStore(db);
  const afterCommit = () => relay.wake();

  let baseUrl: string | undefined = config.PAYMENT_WEBHOOK_BASE_URL?.replace(/\/+$/, '');
  const simulator = new PaymentSimulator({
    secret: config.PAYMENT_SIMULATOR_SECRET,
    delayMs: config.PAYMENT_SIMULATOR_DELAY_MS,
    hangMs: config.PAYMENT_CALL_TIMEOUT_MS + 250,
    webhookUrl: () => (baseUrl ? `${baseUrl}/webhooks/payments/simulator` : undefined),
    logger,
  });
  const resilience = {
    timeoutMs: {
      authorize: config.PAYMENT_CALL_TIMEOUT_MS,
      capture: config.PAYMENT_CALL_TIMEOUT_MS,
      cancel: config.PAYMENT_CALL_TIMEOUT_MS,
      refund: config.PAYMENT_CALL_TIMEOUT_MS,
      query: config.PAYMENT_CALL_TIMEOUT_MS,
    },
    errorThresholdPercentage: config.PAYMENT_BREAKER_ERROR_PERCENT,
    resetTimeoutMs: config.PAYMENT_BREAKER_RESET_MS,
    volumeThreshold: config.PAYMENT_BREAKER_VOLUME,
  };
  const external = createExternalPaymentProviders(config, {
    webhookBaseUrl: config.PAYMENT_WEBHOOK_BASE_URL ?? `http://${config.HOST}:${config.PORT}`,
  });
  const simulated = new ResilientPaymentProvider(simulator, resilience);
  const providers = new PaymentProviderRegistry(
    [simulated, new CashOnDelivery(), ...external],
    config.PAYMENT_PROVIDERS,
  );
  const payments = new PaymentService(orders, providers, stock, catalog, logger, afterCommit, delivery);
  const cartService = new CartService(carts, catalog, stock, {
    maxLines: config.MAX_CART_LINES,
    maxQuantity: config.MAX_CART_LINE_QUANTITY,
    maxCouponCodes: config.MAX_CART_COUPON_CODES,
    guestIdleHours: config.GUEST_CART_IDLE_HOURS,
    deliveryFee: config.DELIVERY_FEE,
  });
  const checkout = new CheckoutService(
    cartService,
    carts,
    new CheckoutStore(db),
    orders,
    catalog,
    stock,
    payments,
    providers,
    {
      holdSeconds: config.ORDER_PAYMENT_HOLD_SECONDS,
      maxPendingPerCustomer: config.MAX_PENDING_ORDERS_PER_CUSTOMER,
      weighedMarginPercent: config.WEIGHED_GOODS_MARGIN_PERCENT,
      enabledProviders: config.PAYMENT_PROVIDERS as PaymentProviderName[],
      waitForFirstMs: 2 * config.PAYMENT_CALL_TIMEOUT_MS + 5_000,
    },
    logger,
    afterCommit,
    delivery,
  );
  const orderService = new OrderService(orders, payments, providers, stock, catalog, cartService, logger, afterCommit);
  const returns = new ReturnService(
    new ReturnStore(db),
    orders,
    providers,
    stock,
    config.RETURN_WINDOW_DAYS,
    logger,
    afterCommit,
  );
  const feed = new OrderStatusFeed();
  const sweeper = new OrderSweeper(
    { orders: orderService, checkout, payments, carts: cartService },
    { intervalMs: config.ORDER_SWEEP_MS, abandonAfterMs: 2 * config.PAYMENT_CALL_TIMEOUT_MS + 60_000 },
    logger,
  );
  const schema = await buildOrdersSchema(feed);
  const services = { carts: cartService, checkout, orders: orderService, returns, feed };
  let stopFeed: (() => Promise<void>) | undefined;
  let stopDeliveries: (() => Promise<void>) | undefined;

  return {
    name: 'orders',
    schema,
    simulator,
    createContext: (request) => createOrdersContext(request, services),
    routes: paymentWebhookRoutes(providers, payments, logger),
    listening(url) {
      baseUrl ??= url;
    },
    async start() {
      relay.start();
      stopFeed = await feed.start(deps.bus, logger);
      stopDeliveries = await startDeliveryConsumer(deps.bus, orderService, logger);
      sweeper.start();
    },
    async stop() {
      await sweeper.stop();
      simulator.close();
      for (const p of external) p.shutdown();
      simulated.shutdown();
      await stopFeed?.();
      await stopDeliveries?.();
      await relay.stop();
      await db.$disconnect();
    },
    healthy: () => databaseAnswers(db),
  };
}

/** The orders subgraph as the gateway's registry and its own service know it. */
export const ordersSubgraph = defineSubgraph({
  name: 'orders',
  defaultPort: 4004,
  publicPaths: [PAYMENT_WEBHOOK_PATH],
  buildSchema: () => buildOrdersSchema(),
  create: createOrdersSubgraph,
});
