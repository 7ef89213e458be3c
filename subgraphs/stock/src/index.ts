// The stock subgraph: locations, stock per (SKU, location), reservations, and the
// availability it adds to products. Wires data, domain, schema, events and background work.
import 'reflect-metadata';
import {
  buildFederatedSchema,
  databaseAnswers,
  DeadLetterStore,
  defineSubgraph,
  OutboxRelay,
  type SubgraphDeps,
  type SubgraphModule,
} from '@grocery/platform';
import { createStockContext, type StockContext } from './context';
import { createStockDb } from './data/db';
import { LocationRepository } from './data/location-repository';
import { LotRepository } from './data/lot-repository';
import { OrderStockRepository } from './data/order-stock-repository';
import { ReservationRepository } from './data/reservation-repository';
import { StockLevelRepository } from './data/stock-level-repository';
import { afterStockCommit } from './domain/after-commit';
import { AVAILABILITY_CACHE_NAMESPACE, AvailabilityService, type CachedLevels } from './domain/availability-service';
import { LocationDirectory } from './domain/location-directory';
import { OrderStockService } from './domain/order-stock-service';
import { ReservationSweeper, sweepIntervalMs } from './domain/reservation-sweeper';
import { StockService } from './domain/stock-service';
import { startStockConsumers } from './events/consumers';
import { StockChangeFeed } from './events/stock-change-feed';
import { BundleAvailabilityResolver, bundleReference } from './schema/bundle-availability-resolver';
import { Bundle } from './schema/bundle-types';
import { LocationAvailabilityResolver } from './schema/location-availability-resolver';
import { LocationResolver, locationReference } from './schema/location-resolver';
import { LotResolver } from './schema/lot-resolver';
import { OrderStockResolver } from './schema/order-stock-resolver';
import { ProductStockResolver, productReference } from './schema/product-stock-resolver';
import { ReservationResolver } from './schema/reservation-resolver';
import { StockChangeResolver } from './schema/stock-change-resolver';
import { StockLevelResolver, stockLevelReference } from './schema/stock-level-resolver';

export { STOCK_TOPIC, StockEventType, type StockLevelChangedData } from './events/stock-events';
export type { StockContext };

/**
 * The subgraph schema: alone for composition and SDL printing, or with the module's feed
 * (subscriptions read the feed from the request context either way).
 */
export function buildStockSchema(feed: StockChangeFeed = new StockChangeFeed()) {
  return buildFederatedSchema({
    pubSub: feed.pubSub,
    // Bundle is reachable from no stock query: it exists here only to extend the products entity.
    orphanedTypes: [Bundle],
    resolvers: [
      LocationResolver,
      ProductStockResolver,
      LocationAvailabilityResolver,
      StockLevelResolver,
      ReservationResolver,
      StockChangeResolver,
      BundleAvailabilityResolver,
      OrderStockResolver,
      LotResolver,
    ],
    extraResolvers: { ...locationReference, ...productReference, ...stockLevelReference, ...bundleReference },
  });
}

export async function createStockSubgraph(deps: SubgraphDeps): Promise<SubgraphModule<StockContext>> {
  const { config, logger } = deps;
  const db = createStockDb(deps.databaseUrl);
  const relay = new OutboxRelay({ db, bus: deps.bus, logger, pollMs: config.OUTBOX_POLL_MS });
  const levels = new StockLevelRepository(db);
  const availability = new AvailabilityService(
    levels,
    deps.caches.cache<CachedLevels>(AVAILABILITY_CACHE_NAMESPACE, config.CACHE_TTL_SECONDS),
  );
  const afterCommit = afterStockCommit({ availability, wakeRelay: () => relay.wake(), logger });
  const stock = new StockService(levels, new ReservationRepository(db), new LotRepository(db), {
    reservationTtlSeconds: config.RESERVATION_TTL_SECONDS,
    customerLimits: {
      maxActive: config.MAX_ACTIVE_RESERVATIONS_PER_CUSTOMER,
      maxUnits: config.MAX_RESERVED_UNITS_PER_CUSTOMER,
    },
    afterCommit,
    logger,
  });
  const orderStock = new OrderStockService(new OrderStockRepository(db), afterCommit);
  const feed = new StockChangeFeed();
  const services = {
    stock,
    orderStock,
    availability,
    locations: new LocationDirectory(new LocationRepository(db)),
    feed,
  };
  // Checkouts' and orders' holds expire on the same beat (orders hold 30 s at least).
  const sweeper = new ReservationSweeper(
    async () => (await stock.expireDueReservations()) + (await orderStock.expireDue()),
    sweepIntervalMs(config.RESERVATION_TTL_SECONDS),
    logger,
  );
  const lotExpiry = new ReservationSweeper(() => stock.writeOffExpiredLots(), config.LOT_EXPIRY_SWEEP_MS, logger, {
    done: 'wrote off expired lots',
    failed: 'lot expiry run failed; will retry at the next interval',
  });
  // Order events the release consumer keeps failing on wait here for staff (pnpm ops dead-letters).
  const deadLetters = new DeadLetterStore({ db, schema: 'stock', logger });
  const schema = await buildStockSchema(feed);
  let stopConsumers: (() => Promise<void>) | undefined;

  return {
    name: 'stock',
    schema,
    createContext: (request) => createStockContext(request, services),
    // Its loaders tag every read (context.ts): a stock event evicts only its SKU's answers.
    preciseCacheTags: true,
    async start() {
      relay.start();
      stopConsumers = await startStockConsumers({ bus: deps.bus, availability, orderStock, feed, logger, deadLetters });
      sweeper.start();
      lotExpiry.start();
    },
    async stop() {
      await lotExpiry.stop();
      await sweeper.stop();
      await stopConsumers?.();
      await deadLetters.close();
      await relay.stop();
      await db.$disconnect();
    },
    healthy: () => databaseAnswers(db),
  };
}

/** The stock subgraph as the gateway's registry and its own service know it. */
export const stockSubgraph = defineSubgraph({
  name: 'stock',
  defaultPort: 4002,
  buildSchema: () => buildStockSchema(),
  create: createStockSubgraph,
});
export { allStockLevels, readStockLevels, type StockLevelSnapshot } from './data/level-snapshot';
